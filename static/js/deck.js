// The deck panel: the cards still to place (searched with accents and case ignored, filtered by
// suggested domain and category), then the placed ones as one short line each under a folded
// heading; and the panel itself, folded away to give its width to the Panorama.
import { label, t } from "./i18n.js";
import { el, fillCard, zoneName } from "./render.js";

const FOLDED_KEY = "atelier.deck.folded";

/** Text as the search compares it: no accents, no case, one kind of apostrophe ("Sécu" ~ "secu"). */
export function searchable(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘ʼ]/g, "'").toLocaleLowerCase();
}

/** A row's short name for the small line on a deck card ("Socle commun"); its full name otherwise. */
export function rowName(view, rowId) {
  const row = view.format.panorama.rows.find((r) => r.id === rowId);
  return row ? label(row.short || row.label) : "";
}

export class DeckPanel {
  /**
   * `makeCard(card)` builds a card element as the Panorama does (body, edit and vote buttons);
   * `onChange()` is called when a filter changes, to render again.
   */
  constructor({ makeCard, onChange }) {
    const $ = (id) => document.getElementById(id);
    this.panel = $("deck-panel");
    this.list = $("deck-list");
    this.search = $("deck-search");
    this.unplacedOnly = $("deck-unplaced");
    this.domain = $("deck-domain");
    this.category = $("deck-category");
    this.count = $("deck-count");
    this.toggle = $("deck-fold");
    this.makeCard = makeCard;
    this.cards = new Map(); // card id -> element, for cards in the deck
    this.lines = new Map(); // card id -> one-line entry, for placed cards
    this.group = el("li", { class: "deck-placed-group" },
      el("details", { id: "deck-placed" }, el("summary", {}), el("ul", { class: "deck-placed-list" })));
    this.filtersBuilt = false;
    for (const input of [this.search, this.unplacedOnly, this.domain, this.category]) {
      input.addEventListener(input === this.search ? "input" : "change", onChange);
    }
    // Opening or closing the placed group changes what is shown, hence the count.
    this.group.querySelector("details").addEventListener("toggle", onChange);
    this.toggle.addEventListener("click", () => this.fold(this.toggle.getAttribute("aria-expanded") === "true"));
    this.fold(localStorage.getItem(FOLDED_KEY) === "1", { remember: false });
  }

  /** Fold the panel to a narrow strip (or open it), and remember it in this browser. */
  fold(folded, { remember = true } = {}) {
    this.panel.classList.toggle("folded", folded);
    document.getElementById("deck-body").hidden = folded;
    this.toggle.setAttribute("aria-expanded", String(!folded));
    this.toggle.title = t(folded ? "deck.unfold" : "deck.fold");
    this.toggle.querySelector(".fold-icon").textContent = folded ? "«" : "»";
    if (remember) localStorage.setItem(FOLDED_KEY, folded ? "1" : "0");
  }

  /** The elements of the cards still in the deck (they carry the same controls as the Panorama's). */
  cardNodes() {
    return [...this.cards.values()];
  }

  /** The element that stands for a card in the deck panel, if any. */
  nodeFor(cardId) {
    return this.cards.get(cardId) || this.lines.get(cardId) || null;
  }

  buildFilters(view) {
    const { rows, columns } = view.format.panorama;
    this.domain.replaceChildren(el("option", { value: "", text: t("deck.all_domains") }),
      ...rows.map((row) => el("option", { value: row.id, text: label(row.short || row.label) })));
    this.category.replaceChildren(el("option", { value: "", text: t("deck.all_categories") }),
      ...columns.map((column) => el("option", { value: column.id, text: label(column.label) })));
    this.filtersBuilt = true;
  }

  render(view) {
    if (!this.filtersBuilt) this.buildFilters(view);
    const query = searchable(this.search.value.trim());
    const domain = this.domain.value;
    const category = this.category.value;
    const matches = (card) => (!query || searchable(`${card.text} ${card.description}`).includes(query))
      && (!domain || card.domain === domain) && (!category || card.category === category);
    const deckCards = [...view.cards.values()].filter((c) => c.kind === "deck")
      .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true })); // an imported deck (k12-2, k12-10) in file order
    const waiting = deckCards.filter((c) => c.zone === "deck");
    const placed = deckCards.filter((c) => c.zone !== "deck");

    let shown = 0;
    waiting.forEach((card, index) => {
      let node = this.cards.get(card.id);
      if (!node) {
        node = this.makeCard(card);
        node.querySelector(".card-body").append(el("span", { class: "card-suggested", "aria-hidden": "true" }));
        this.cards.set(card.id, node);
      }
      fillCard(node, card, view);
      this.describeSuggestion(node, card, view);
      node.hidden = !matches(card);
      if (!node.hidden) shown += 1;
      if (this.list.children[index] !== node) this.list.insertBefore(node, this.list.children[index] || null);
    });
    for (const [id, node] of this.cards) {
      if (view.cards.get(id)?.zone !== "deck") {
        node.remove();
        this.cards.delete(id);
      }
    }

    const details = this.group.querySelector("details");
    const lines = this.group.querySelector(".deck-placed-list");
    let placedShown = 0;
    placed.forEach((card, index) => {
      let line = this.lines.get(card.id);
      if (!line) {
        line = el("li", { class: "deck-entry placed", "data-placed-card": card.id },
          el("button", { type: "button", class: "entry-open" },
            el("span", { class: "entry-text" }), el("span", { class: "entry-where" })));
        this.lines.set(card.id, line);
      }
      // The heading says they are placed; the line only says where, by the row's short name.
      const zone = view.zones.get(card.zone);
      const where = zone?.kind === "cell" ? rowName(view, zone.row) : zoneName(view, card.zone);
      line.querySelector(".entry-text").textContent = card.text;
      line.querySelector(".entry-where").textContent = where;
      line.querySelector(".entry-open").title = `${card.text} — ${t("deck.placed_in", { zone: zoneName(view, card.zone) })}`;
      line.hidden = !matches(card);
      if (!line.hidden) placedShown += 1;
      if (lines.children[index] !== line) lines.insertBefore(line, lines.children[index] || null);
    });
    for (const [id, line] of this.lines) {
      if (!view.cards.has(id) || view.cards.get(id).zone === "deck") {
        line.remove();
        this.lines.delete(id);
      }
    }
    this.group.hidden = placedShown === 0 || this.unplacedOnly.checked;
    details.querySelector("summary").textContent = t("deck.placed_group", { count: placedShown });
    if (this.list.lastElementChild !== this.group) this.list.append(this.group);
    if (!this.group.hidden && details.open) shown += placedShown;
    this.count.textContent = t("deck.count", { shown, total: deckCards.length });
    // Folded, the strip still says how many cards wait to be placed.
    document.getElementById("deck-waiting").textContent = t("deck.waiting", { count: waiting.length });
  }

  /** The small line under a deck card's text: its suggested domain, also told to screen readers. */
  describeSuggestion(node, card, view) {
    const body = node.querySelector(".card-body");
    const domain = rowName(view, card.domain);
    const line = body.querySelector(".card-suggested");
    if (line.textContent !== domain) line.textContent = domain;
    if (domain) {
      const said = t("deck.suggested", { domain });
      body.setAttribute("aria-description", [body.getAttribute("aria-description"), said].filter(Boolean).join(". "));
    }
  }
}
