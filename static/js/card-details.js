// Reading a card: a tap, a click or Enter on any card opens it whole (title, description, suggested
// domain and category, where it is, who placed it, its dots). For a card this person may move now it
// also offers "Placer dans…", the way phone and screen-reader users place cards; for a card they may
// edit, "Modifier". Only `click` opens it: a drag that ends is swallowed by dragdrop.js before.
import { label, t } from "./i18n.js";
import { originFacts } from "./origin.js";
import { fillNotesSection } from "./notes.js";
import { fillLinksSection } from "./links.js";
import { el, resultOf, zoneName } from "./render.js";
import { voterKey } from "./state.js";
import { ratingScales } from "./rating-controls.js";

/**
 * Wire the dialog to the board page. `onMove(cardId, zoneId)` places a card, `onEdit(cardId)` opens
 * the edit dialog, `canEdit(card)` says whether this person may edit it; `notes` ({send, mayChange},
 * notes.js) lists the card's notes and adds them, when the format has notes; `suggest()` names the zone
 * to offer first for a deck card that has no Panorama cell (the area a phone shows), or null; `send(type,
 * data)`, when given, sends the links' changes (the page's undo history), else the connection does.
 */
export function enableCardDetails(connection, { onMove, onEdit, canEdit, notes = null, suggest = () => null, send = null }) {
  const sendChange = send || ((type, data) => connection.send(type, data));
  const dialog = buildDialog();
  document.body.append(dialog);
  const part = (name) => dialog.querySelector(`[data-part="${name}"]`);
  let cardId = null;
  let opener = null;

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || !connection.confirmed) return;
    const target = event.target.closest?.("#panorama .card-body, #deck-panel .card-body, #deck-panel .entry-open");
    if (!target) return;
    const id = target.closest("[data-card]")?.dataset.card || target.closest("[data-placed-card]")?.dataset.placedCard;
    if (id) open(id, target);
  });

  function open(id, from) {
    cardId = id;
    opener = from;
    if (!fill(true)) return;
    if (!dialog.open) dialog.showModal();
    part("close").focus();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener("close", () => {
    const id = cardId;
    cardId = null;
    // The card may have moved meanwhile (to the Panorama from the deck): focus where it is now.
    if (opener && !opener.isConnected) {
      document.querySelector(`#panorama [data-card="${CSS.escape(id)}"] .card-body`)?.focus();
    }
    opener = null;
  });

  part("close").addEventListener("click", close);
  part("edit").addEventListener("click", () => {
    const id = cardId;
    close();
    onEdit(id);
  });
  part("place").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = cardId;
    const zone = part("zone").value;
    close();
    onMove(id, zone);
  });
  connection.addEventListener("change", () => {
    if (dialog.open && cardId) fill(false);
  });

  /** Fill the dialog from the current view; `fresh` when just opened (the zone choice starts over).
   * False when the card is no longer on the board. */
  function fill(fresh) {
    const view = connection.view();
    const card = view.cards.get(cardId);
    if (!card) {
      close(); // deleted meanwhile
      return false;
    }
    const me = connection.you;
    const team = card.team ? view.teams.get(card.team) : null;
    const name = (id) => view.participants.get(id)?.name ?? "";
    part("kind").textContent = t(`card.kind.${card.kind}`);
    part("title").textContent = card.hidden ? t("card.hidden", { team: team?.name ?? "" }) : card.text;
    part("description").textContent = card.description || "";
    part("description").hidden = !card.description;

    const facts = [];
    const row = view.format.panorama.rows.find((r) => r.id === card.domain);
    const column = view.format.panorama.columns.find((c) => c.id === card.category);
    if (row) facts.push([t("details.domain"), label(row.label)]);
    if (column) facts.push([t("details.category"), label(column.label)]);
    facts.push([t("details.where"), zoneName(view, card.zone)]);
    if (team) facts.push([t(card.kind === "deck" ? "details.placed_by_team" : "details.team"), team.name]);
    if (card.placed_by) facts.push([t("details.placed_by"), name(card.placed_by)]);
    if (card.author) facts.push([t("details.written_by"), name(card.author)]);
    const dots = dotsLine(view, card, me);
    if (dots) facts.push([t("details.dots"), dots]);
    facts.push(...originFacts(card)); // carried from another board: where from (CHAIN3)
    part("facts").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));

    // Placing: offered where this person could move the card; disabled, with the reason, otherwise.
    const reason = placeRefusal(view, card, me);
    const select = part("zone");
    const zones = [...view.zones.values()].filter((z) => z.kind !== "deck" || card.kind === "deck");
    if (fresh || select.options.length !== zones.length) {
      select.replaceChildren(...zones.map((z) => el("option", { value: z.id, text: zoneName(view, z.id) })));
      const suggested = `${card.domain}/${card.category}`;
      const shown = suggest(); // a phone showing one area offers that one (phone-areas.js)
      select.value = card.zone !== "deck" ? card.zone : view.zones.has(suggested) ? suggested
        : view.zones.has(shown) ? shown : zones[0]?.id;
    }
    select.disabled = part("place-submit").disabled = Boolean(reason);
    part("reason").textContent = reason;
    part("reason").hidden = !reason;
    part("edit").hidden = !canEdit(card) || !view.allows("edit_card", me.role);
    // The team's ratings on the format's two axes (a format with axes only, RATE1).
    const scales = ratingScales(view, card, me, (type, data) => connection.send(type, data));
    part("ratings").replaceChildren(...(scales ? [scales] : []));
    part("ratings").hidden = !scales;
    if (notes) fillNotesSection(part("notes"), connection, card, notes);
    else part("notes").hidden = true;
    // The cards it links to, and the picker to link one more (links.js, LINK10).
    fillLinksSection(part("links"), connection, card, sendChange); // through the undo history (undo.js)
    return true;
  }
}

/** Why this person may not move this card now, or "" when they may. */
function placeRefusal(view, card, me) {
  if (!view.allows("move_card", me.role)) {
    return t("details.closed", { sequence: label(view.currentSequence.name) });
  }
  const myTeam = view.participants.get(me.id)?.team ?? null;
  if (me.role !== "facilitator" && card.team && card.team !== myTeam) {
    return t("details.other_team", { team: view.teams.get(card.team)?.name ?? "" });
  }
  return "";
}

/** My dots on the card while the vote is open; everyone's, with the rank, once revealed. */
function dotsLine(view, card, me) {
  const result = resultOf(view, card.id);
  if (view.vote.revealed || view.vote.results) {
    return result ? t("details.dots_total", { dots: result.dots, rank: result.rank }) : t("details.no_dots");
  }
  if (view.vote.status !== "open" || card.zone === "deck") return "";
  const key = voterKey(view, me.id);
  const mine = (key && view.vote.dots[key]?.[card.id]) || 0;
  return t(view.vote.mode === "team" ? "details.dots_team" : "details.dots_mine", { count: mine });
}

function buildDialog() {
  const dialog = el("dialog", { id: "card-details", class: "card-details", "aria-labelledby": "card-details-title" },
    el("p", { class: "details-kind", "data-part": "kind" }),
    el("h2", { id: "card-details-title", "data-part": "title" }),
    el("p", { class: "details-description", "data-part": "description" }),
    el("dl", { class: "details-facts", "data-part": "facts" }),
    el("div", { class: "details-ratings", "data-part": "ratings", hidden: true }),
    el("form", { class: "details-place", "data-part": "place" },
      el("label", { for: "card-details-zone", text: t("details.place") }),
      el("div", { class: "details-place-row" },
        el("select", { id: "card-details-zone", "data-part": "zone", "aria-describedby": "card-details-reason" }),
        el("button", { type: "submit", "data-part": "place-submit", text: t("details.place_submit") })),
      el("p", { id: "card-details-reason", class: "details-reason", "data-part": "reason" })),
    el("section", { class: "details-notes", "data-part": "notes", hidden: true }),
    el("section", { class: "details-links", "data-part": "links", hidden: true }),
    el("div", { class: "dialog-actions" },
      el("button", { type: "button", "data-part": "edit", text: t("details.edit") }),
      el("button", { type: "button", "data-part": "close", text: t("dialog.close") })));
  return dialog;
}
