// Drawing the board: the Panorama grid, its cells and the cards in them.
// Cards are kept by id and moved between containers, so focus and scroll survive updates.
// Every text goes through textContent: card texts and names are never parsed as HTML.
import { label, t } from "./i18n.js";
import { showOrigin } from "./origin.js";
import { fillNotes } from "./notes.js";
import { fillLinks } from "./links.js";
import { teamIndex, teamMark } from "./teams.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** The name a person reads for a zone: "Maintenance × Techniques Métiers", "Parking", "Cartes". */
export function zoneName(state, zoneId) {
  const zone = state.zones.get(zoneId);
  if (!zone) return zoneId;
  if (zone.kind !== "cell") return label(zone.label);
  const row = state.format.panorama.rows.find((r) => r.id === zone.row);
  const column = state.format.panorama.columns.find((c) => c.id === zone.column);
  return `${label(row.short || row.label)} × ${label(column.label)}`;
}

/** Build the empty grid once: header row, one row per domain, the free areas below. A format without a
 *  Panorama keeps an empty grid, hidden, and shows its areas alone. */
export function buildPanorama(container, state) {
  container.replaceChildren();
  const { rows, columns } = state.format.panorama;
  const grid = el("div", { class: "grid", role: "table", "aria-label": t("panorama.label"), hidden: rows.length === 0 });
  grid.style.setProperty("--columns", columns.length);
  // The corner heads the column of domains: named for screen readers, empty on screen.
  const head = el("div", { class: "grid-row head", role: "row" },
    el("div", { class: "corner", role: "columnheader" }, el("span", { class: "visually-hidden", text: t("panorama.domains") })));
  for (const column of columns) {
    head.append(el("div", { class: "column-head", role: "columnheader", text: label(column.label) }));
  }
  grid.append(head);
  for (const row of rows) {
    const line = el("div", { class: "grid-row", role: "row" },
      el("div", { class: "row-head", role: "rowheader", title: label(row.label), text: label(row.short || row.label) }));
    for (const column of columns) {
      const zoneId = `${row.id}/${column.id}`;
      line.append(el("div", { class: "cell", role: "cell", "data-zone": zoneId, "aria-label": zoneName(state, zoneId) },
        el("ul", { class: "cards", "aria-label": zoneName(state, zoneId) })));
    }
    grid.append(line);
  }
  container.append(grid);
  for (const zone of state.zones.values()) {
    // A free area is a list of its cards; a canvas area is canvas.js's to draw (cards where they were put).
    if (zone.kind !== "free") continue;
    container.append(el("section", { class: `free-area area-${zone.kind}`, "data-zone": zone.id, "aria-label": label(zone.label) },
      el("h2", { text: label(zone.label) }), el("ul", { class: "cards", "aria-label": label(zone.label) })));
  }
  container.append(el("div", { class: "ghosts", "aria-hidden": "true" }));
}

/** Put every card of the view in its zone's list, creating, updating and removing elements. */
export function renderCards(container, view, elements, makeCard) {
  const focused = document.activeElement;
  const active = focused?.closest?.("[data-card]")?.dataset.card;
  const seen = new Set();
  for (const zoneEl of container.querySelectorAll("[data-zone]")) {
    const list = zoneEl.querySelector("ul.cards");
    const cards = view.cardsIn(zoneEl.dataset.zone);
    cards.forEach((card, index) => {
      seen.add(card.id);
      let node = elements.get(card.id);
      if (!node) {
        node = makeCard(card);
        elements.set(card.id, node);
      }
      fillCard(node, card, view);
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
  }
  for (const [id, node] of elements) {
    if (!seen.has(id)) {
      node.remove();
      elements.delete(id);
    }
  }
  if (active && elements.has(active) && !elements.get(active).contains(document.activeElement)) {
    // A card moved to another place loses the focus: give it back to the very control that had it
    // (a dot button stays the dot button), else to the card.
    const node = elements.get(active);
    (node.contains(focused) ? focused : node.querySelector(".card-body"))?.focus({ preventScroll: true });
  }
}

/**
 * A card's element: a focusable body (text, team, author) and, when allowed, an edit button.
 * The body is named by its text alone; team and author are shown but hidden from screen readers,
 * which read them, with the kind and the place, in the body's description (see fillCard).
 */
export function cardElement(card, { focusable = true } = {}) {
  const body = el(focusable ? "button" : "div", { class: "card-body", type: focusable ? "button" : null },
    el("span", { class: "card-text" }), el("span", { class: "card-team", "aria-hidden": "true" }),
    el("span", { class: "card-author", "aria-hidden": "true" }));
  return el("li", { class: "card", "data-card": card.id }, body);
}

export function fillCard(node, card, view) {
  const team = card.team ? view.teams.get(card.team) : null;
  const author = card.author ? view.participants.get(card.author) : null;
  const result = resultOf(view, card.id);
  node.className = `card kind-${card.kind}${team ? " has-team" : ""}${card.hidden ? " hidden-card" : ""}`
    + `${result && result.rank <= TOP_RANKS ? " top" : ""}`;
  node.style.setProperty("--team-colour", card.colour || team?.colour || "transparent");
  // Never the colour alone: the team's shape and name in text, and a band pattern per team (a11y.css).
  const mark = team ? String(teamIndex(view, team.id) % 4) : undefined;
  if (node.dataset.teamMark !== mark) {
    if (mark === undefined) delete node.dataset.teamMark;
    else node.dataset.teamMark = mark;
  }
  const body = node.querySelector(".card-body");
  // A private card of another team: it exists and is shown face down, its text never sent here.
  setText(body.querySelector(".card-text"), card.hidden ? t("card.hidden", { team: team?.name ?? "" }) : card.text);
  showResult(body, result);
  // Its own team sees a private card whole: say plainly that the other teams do not, yet.
  const secret = card.private && !card.hidden;
  showPrivateNote(body, secret);
  // A no-break space: the team's mark never parts from its name at a line's end ("▲" alone, then "Ingénierie").
  setText(body.querySelector(".card-team"), team ? `${teamMark(view, team.id)}\u00a0${team.name}` : "");
  setText(body.querySelector(".card-author"), author ? t("card.by", { name: author.name }) : "");
  const kind = t(`card.kind.${card.kind}`);
  const where = zoneName(view, card.zone);
  // No aria-label: a name other than the visible text fails WCAG 2.5.3 (label in name) for speech users.
  const parts = [kind, team ? t("card.team", { name: team.name }) : "", author ? t("card.by", { name: author.name }) : "",
    secret ? t("card.private_note") : "", where, card.description];
  body.setAttribute("aria-description", parts.filter(Boolean).join(". "));
  body.title = [card.description, author ? t("card.by", { name: author.name }) : ""].filter(Boolean).join("\n");
  showOrigin(body, card); // a card carried from another board says where from (CHAIN3)
  fillNotes(node, card, view); // its notes as chips under it (notes.js)
  fillLinks(node, card, view); // "↔ 3", and on the projector the titles of the cards it links to (links.js)
}

// The must-haves highlighted on the Panorama once the results are revealed.
const TOP_RANKS = 3;

/** {dots, rank} of a card once the results are revealed, else null. */
export function resultOf(view, cardId) {
  const entry = view.vote?.results?.overall?.find((e) => e.card_id === cardId);
  return entry ? { dots: entry.dots, rank: entry.rank } : null;
}

function showResult(body, result) {
  let badge = body.querySelector(".card-result");
  if (!result) {
    badge?.remove();
    return;
  }
  if (!badge) body.append(badge = el("span", { class: "card-result" }));
  setText(badge, t("results.badge", { rank: result.rank, dots: result.dots }));
}

function showPrivateNote(body, secret) {
  let note = body.querySelector(".card-private");
  if (!secret) return note?.remove();
  if (!note) body.append(note = el("span", { class: "card-private", "aria-hidden": "true" }));
  setText(note, t("card.private_note"));
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
