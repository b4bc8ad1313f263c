// Links from a card to other cards (LINK1-LINK10): the factors map's themes point to the factors behind
// them, any format may use it. A card's `links` lists the ids of the cards it points to, in link order.
//
// On the board a linking card shows "↔ 3" in its body; the projector shows under it the titles of the
// cards it links to (links.css shows that list on the projector alone). In the card's dialog
// (card-details.js) `fillLinksSection` lists the linked cards, each with a button that removes the
// link, and offers a searchable list of the board's cards to link one more, by mouse or keyboard.
import { t } from "./i18n.js";
import { el as node } from "./render.js"; // render.js imports this module too: el is only called later

export const LINKS_MAX = 30; // as the server's links.LINKS_MAX

/** The cards `card` links to that this page holds, in link order (a card gone is skipped). */
export function linkedCards(view, card) {
  return (card.links || []).map((id) => view.cards.get(id)).filter(Boolean);
}

function titleOf(card) {
  return card.hidden ? t("links.hidden") : card.text;
}

/** Lower case without accents, for the picker's search ("ecosyst" finds "Écosystème"). */
function folded(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
}

/**
 * Draw a card's links on the board (called by render.js at every render): the count "↔ 3" in its
 * body and, for the projector, the linked cards' titles in a list under it. Cheap when unchanged.
 */
export function fillLinks(cardNode, card, view) {
  const linked = card.parent ? [] : linkedCards(view, card);
  const body = cardNode.querySelector(".card-body");
  let count = body?.querySelector(".card-link-count");
  let list = cardNode.querySelector(":scope > .card-links");
  if (!linked.length) {
    count?.remove();
    list?.remove();
    cardNode.classList.remove("has-links");
    return;
  }
  cardNode.classList.add("has-links");
  if (body && !count) body.append(count = node("span", { class: "card-link-count" }));
  if (count) {
    count.textContent = `↔\u00a0${linked.length}`;
    count.title = t(linked.length === 1 ? "links.count_one" : "links.count", { count: linked.length });
  }
  const key = JSON.stringify(linked.map((c) => [c.id, titleOf(c)]));
  if (list && list.dataset.key === key) return;
  if (!list) cardNode.append(list = node("ul", { class: "card-links" }));
  list.dataset.key = key;
  list.setAttribute("aria-label", t("links.of_card", { text: card.hidden ? "" : card.text }));
  list.replaceChildren(...linked.map((target) => node("li", { class: "card-link", "data-link": target.id, text: titleOf(target) })));
}

/** Whether this person may link `card` now (LINK1, LINK5): the server decides, this offers the controls. */
export function mayLink(view, me, card) {
  if (card.parent || card.hidden || !view.allows("link_card", me.role)) return false;
  if (me.role === "facilitator") return true;
  if (card.author === me.id) return true;
  const myTeam = view.participants.get(me.id)?.team ?? null;
  return card.kind !== "deck" && card.team != null && card.team === myTeam;
}

/**
 * The links' part of a card's dialog: the linked cards' titles, each with a remove button, and the
 * picker to add one, for whoever may link the card now; only the list for the others; nothing on a
 * card without links that this person may not link. `send(type, data)` sends a command.
 */
export function fillLinksSection(section, connection, card, send) {
  const view = connection.view();
  const me = connection.you;
  const linked = linkedCards(view, card);
  const open = mayLink(view, me, card);
  section.hidden = Boolean(card.parent) || (!linked.length && !open);
  if (section.hidden) {
    section.replaceChildren();
    delete section.dataset.card;
    return;
  }
  if (section.dataset.card !== card.id || !section.querySelector(".links-heading")) {
    section.dataset.card = card.id;
    section.replaceChildren(node("h3", { class: "links-heading", id: "links-heading" }),
      node("ul", { class: "links-list", "aria-labelledby": "links-heading" }), picker(connection, send));
  }
  section.querySelector(".links-heading").textContent = t("links.heading", { count: linked.length });
  section.querySelector(".links-list").replaceChildren(...(linked.length ? linked.map((target) => {
    const item = node("li", { class: "link-line", "data-link": target.id }, node("span", { class: "link-title", text: titleOf(target) }));
    if (open) {
      const remove = node("button", { type: "button", class: "link-remove", text: "✕",
        "aria-label": t("links.remove", { text: titleOf(target) }) });
      remove.addEventListener("click", () => {
        send("link_card", { card_id: section.dataset.card, target_id: target.id, on: false });
        section.querySelector(".link-search")?.focus();
      });
      item.append(remove);
    }
    return item;
  }) : [node("li", { class: "link-none", text: t("links.none") })]));
  const form = section.querySelector(".link-add");
  form.hidden = !open || linked.length >= LINKS_MAX;
  if (!form.hidden) fillChoices(form, view, card);
}

/** The picker: a search field over a list of the board's cards, and a button that links the one chosen. */
function picker(connection, send) {
  const search = node("input", { id: "link-search", class: "link-search", type: "search", autocomplete: "off",
    placeholder: t("links.search_placeholder") });
  const choices = node("select", { id: "link-choices", class: "link-choices", size: "5" });
  const submit = node("button", { type: "submit", class: "link-submit", text: t("links.add") });
  const form = node("form", { class: "link-add" },
    node("label", { for: "link-search", text: t("links.search") }), search,
    node("label", { for: "link-choices", class: "visually-hidden", text: t("links.choices") }),
    node("div", { class: "link-add-row" }, choices, submit));
  const link = () => {
    const cardId = form.closest("[data-card]")?.dataset.card;
    const target = choices.value;
    if (!cardId || !target) return;
    send("link_card", { card_id: cardId, target_id: target, on: true });
    search.value = "";
    search.focus();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    link();
  });
  search.addEventListener("input", () => {
    const view = connection.view();
    const card = view.cards.get(form.closest("[data-card]")?.dataset.card);
    if (card) fillChoices(form, view, card);
  });
  // From the search field, the arrows walk the list and Enter links the one chosen (the first match at first).
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = Math.min(choices.options.length - 1, Math.max(0, choices.selectedIndex + step));
      choices.selectedIndex = next;
    }
  });
  choices.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      link();
    }
  });
  choices.addEventListener("dblclick", link);
  return form;
}

/** The cards one may link to from `card`, matching the search, by title: not itself, not a note, not
 * a face-down card, not one already linked. The first is chosen, so that Enter links it. */
function fillChoices(form, view, card) {
  const search = form.querySelector(".link-search");
  const choices = form.querySelector(".link-choices");
  const wanted = folded(search.value.trim());
  const taken = new Set(card.links || []);
  const offered = [...view.cards.values()]
    .filter((c) => c.id !== card.id && !c.parent && !c.hidden && !taken.has(c.id) && folded(c.text).includes(wanted))
    .sort((a, b) => a.text.localeCompare(b.text, undefined, { sensitivity: "base" }));
  const key = JSON.stringify([wanted, offered.map((c) => [c.id, c.text])]);
  if (choices.dataset.key === key) return;
  const chosen = choices.value;
  choices.dataset.key = key;
  choices.replaceChildren(...offered.map((c) => node("option", { value: c.id, text: c.text })));
  choices.value = offered.some((c) => c.id === chosen) ? chosen : offered[0]?.id ?? "";
  form.querySelector(".link-submit").disabled = !offered.length;
}
