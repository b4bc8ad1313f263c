// Keyboard reach on a full board: one Tab stop per Panorama cell (and per free area, and one for
// the deck), arrow keys between the cards, a card's own buttons in the Tab order only for the
// current card of its cell. With 72 cards on the board, Tab then crosses the Panorama in 17 stops
// instead of 150. Also the shortcuts at the top of the page, and the visible keyboard hint.
import { t } from "./i18n.js";

const CONTROLS = "button, a[href], input, select, textarea, [tabindex]";

const cardId = (body) => body.closest("[data-card]")?.dataset.card;
// Shown cards only: a search may hide deck cards, a small screen whole rows.
const itemsOf = (group) => [...group.querySelectorAll(".card-body")].filter((b) => b.getClientRects().length > 0);

function setTabIndex(node, value) {
  if (node.getAttribute("tabindex") !== String(value)) node.setAttribute("tabindex", String(value));
}

/**
 * Roving focus over `groups()` (each a cell, a free area or the deck list, in page order).
 * Call refresh() after every render: it keeps each group's current card (the focused one, else the
 * one it had, else the first shown) the only Tab stop of its group.
 */
export class RovingCards {
  constructor(groups) {
    this.groups = groups;
    this.current = new WeakMap(); // group element -> card id
    document.addEventListener("focusin", (event) => {
      const body = event.target.closest?.(".card-body");
      const group = body && this.groupOf(body);
      if (group) {
        this.current.set(group, cardId(body));
        this.refreshGroup(group);
      }
    });
    // After the page's own keys (dragdrop.js prevents them while a card is carried).
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  groupOf(node) {
    return this.groups().find((group) => group.contains(node)) || null;
  }

  refresh() {
    for (const group of this.groups()) this.refreshGroup(group);
  }

  refreshGroup(group) {
    const items = itemsOf(group);
    const focused = document.activeElement?.closest?.("[data-card]");
    const wanted = focused && group.contains(focused) ? focused.dataset.card : this.current.get(group);
    const chosen = items.find((body) => cardId(body) === wanted) || items[0] || null;
    if (chosen) this.current.set(group, cardId(chosen));
    // A list that scrolls with no card to focus (a deck all placed) is a Tab stop itself, to scroll it.
    if (!chosen && group.scrollHeight > group.clientHeight + 1) setTabIndex(group, 0);
    else if (group.getAttribute("tabindex") === "0") setTabIndex(group, -1);
    for (const body of group.querySelectorAll(".card-body")) {
      const stop = body === chosen ? 0 : -1;
      setTabIndex(body, stop);
      for (const control of body.closest("[data-card]").querySelectorAll(CONTROLS)) {
        if (control !== body && !body.contains(control)) setTabIndex(control, stop);
      }
    }
  }

  /** The current card of `group`, or null when it has none shown. */
  currentOf(group) {
    const items = itemsOf(group);
    return items.find((body) => cardId(body) === this.current.get(group)) || items[0] || null;
  }

  /** Focus the card with `body`, making it its group's Tab stop. */
  focus(body) {
    const group = this.groupOf(body);
    if (group) this.current.set(group, cardId(body));
    if (group) this.refreshGroup(group);
    body.focus();
  }

  onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const body = event.target.closest?.(".card-body");
    const group = body && this.groupOf(body);
    if (!group || body.getAttribute("aria-pressed") === "true") return;
    const items = itemsOf(group);
    const index = items.indexOf(body);
    let target = null;
    if (event.key === "Home") target = items[0];
    else if (event.key === "End") target = items[items.length - 1];
    else if (event.key === "ArrowRight") target = items[index + 1] || this.neighbour(group, 1);
    else if (event.key === "ArrowLeft") target = items[index - 1] || this.neighbour(group, -1);
    // Up and down follow the lines a person sees when cards flow several to a line.
    else if (event.key === "ArrowDown") target = lineNeighbour(items, body, 1) || items[index + 1] || this.neighbour(group, 1);
    else if (event.key === "ArrowUp") target = lineNeighbour(items, body, -1) || items[index - 1] || this.neighbour(group, -1);
    else return;
    event.preventDefault();
    if (target && target !== body) this.focus(target);
  }

  /** Past the last card of a cell the arrows go on into the next cell with cards (not into the deck). */
  neighbour(group, direction) {
    const groups = this.groups().filter((g) => g.closest("#panorama") && group.closest("#panorama"));
    for (let i = groups.indexOf(group) + direction; i >= 0 && i < groups.length; i += direction) {
      const items = itemsOf(groups[i]);
      if (items.length) return direction > 0 ? items[0] : items[items.length - 1];
    }
    return null;
  }
}

/** The card on the next line up or down (`direction` -1 or 1), the nearest to straight above or below. */
function lineNeighbour(items, body, direction) {
  const from = body.getBoundingClientRect();
  const middle = from.left + from.width / 2;
  let best = null, bestScore = Infinity;
  for (const item of items) {
    const box = item.getBoundingClientRect();
    const gap = direction > 0 ? box.top - from.bottom : from.top - box.bottom;
    if (gap < -2) continue; // on the same line, or the other way
    const score = Math.round(gap / 8) * 100000 + Math.abs(box.left + box.width / 2 - middle);
    if (score < bestScore) [best, bestScore] = [item, score];
  }
  return best;
}

/**
 * The shortcuts at the top of the page (shown when one has the focus): the deck search, a toolbar
 * of the Panorama's domains (one Tab stop, arrows between them, Enter goes to the domain's first
 * card) and, while I can vote, the first card's vote buttons.
 */
export function bindShortcuts({ nav, roving, rows, cellsOf, search }) {
  const domains = nav.querySelector(".shortcut-domains");
  const vote = nav.querySelector(".shortcut-vote");
  const buttons = rows.map((row, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = row.name;
    button.tabIndex = index === 0 ? 0 : -1;
    button.addEventListener("click", () => goTo(cellsOf(row.id)));
    return button;
  });
  domains.replaceChildren(...buttons);
  domains.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(event.target);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1,
                   Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const button = buttons[Math.min(buttons.length - 1, Math.max(0, next))];
    for (const b of buttons) b.tabIndex = b === button ? 0 : -1;
    button.focus();
  });
  nav.querySelector(".shortcut-search").addEventListener("click", (event) => {
    event.preventDefault();
    search.focus();
  });
  vote.addEventListener("click", (event) => {
    event.preventDefault();
    const card = firstVotingCard(roving);
    const more = card?.closest("[data-card]").querySelector(".dot-more");
    if (more && !more.disabled) more.focus();
    else if (card) roving.focus(card);
  });

  /** Focus the first card of a domain's cells (or its first cell when it holds none). */
  function goTo(cells) {
    for (const cell of cells) {
      const body = roving.currentOf(cell);
      if (body) return roving.focus(body);
    }
    cells[0]?.focus();
  }
  return {
    /** After each render: the vote shortcut only while some card shows its vote buttons. */
    update() {
      vote.hidden = !firstVotingCard(roving);
    },
  };
}

function firstVotingCard(roving) {
  for (const group of roving.groups()) {
    if (!group.closest("#panorama")) continue;
    const body = roving.currentOf(group);
    const dots = body?.closest("[data-card]").querySelector(".card-dots");
    if (dots && !dots.hidden) return body;
  }
  return null;
}

/**
 * The visible keyboard hint: shown while a card has the keyboard focus, saying which keys do what
 * (a different line while a card is carried). `isCarrying()` comes from the keyboard move.
 */
export function bindKeyHint(hint, isCarrying) {
  const update = () => {
    const body = document.activeElement?.closest?.(".card-body");
    const shown = Boolean(body) && (body.matches(":focus-visible") || isCarrying());
    hint.hidden = !shown;
    if (!shown) return;
    // A card that cannot be moved now offers no Space (it would only be refused): Enter reads it.
    const locked = Boolean(body.closest("[data-locked]"));
    const text = t(isCarrying() ? "hint.carrying" : locked ? "hint.locked_card" : "hint.card");
    if (hint.textContent !== text) hint.textContent = text;
    // Never over the card it speaks of: scroll the card above the hint when it would hide it.
    const card = body.getBoundingClientRect(), over = hint.getBoundingClientRect();
    const scroller = body.closest(".viewport, .deck-list");
    if (scroller && card.bottom > over.top - 4 && card.top < over.bottom) scroller.scrollTop += card.bottom - over.top + 8;
  };
  document.addEventListener("focusin", update);
  document.addEventListener("focusout", () => requestAnimationFrame(update));
  document.addEventListener("keyup", update);
  return update;
}
