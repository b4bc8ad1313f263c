// The console's "Suggérer des familles" (spec GROUP4, GROUP5): pick a zone, ask the server for proposed
// families of its cards (GET …/zones/<zone>/grouping, read only), then edit them here, in this browser
// only: rename a proposal, move a card to another one (dragged, or with its select) or out of all,
// discard a proposal. Nothing reaches the board until "Accepter", which sends one `create_zone` with
// the proposal's cards and its label, on the write path like any other change.
import { foldPanel } from "./console-fold.js";
import { t } from "./i18n.js";
import { el, zoneName } from "./render.js";

const UNGROUPED = "ungrouped";
const MAX_ASKED = 20;

/** Build the section before `before` (the first folded panel below the people) and keep its zone list
 *  up to date. Folded to one line like the preparation panels, so the afternoon's panels keep the first
 *  screens; it opens by itself on a board with a canvas area, where the group makes families. */
export function bindGrouping(connection, before) {
  const zoneSelect = el("select", { id: "grouping-zone" });
  const countSelect = el("select", { id: "grouping-count" },
    el("option", { value: "auto", text: t("grouping.automatic") }),
    ...Array.from({ length: MAX_ASKED - 1 }, (_, i) => el("option", { value: String(i + 2), text: String(i + 2) })));
  const ask = el("button", { type: "submit", id: "grouping-ask", class: "primary", text: t("grouping.ask") });
  const status = el("p", { id: "grouping-status", class: "grouping-status", role: "status" });
  const list = el("div", { id: "grouping-proposals", class: "grouping-proposals" });
  const form = el("form", { id: "grouping-form", class: "row" },
    el("label", {}, el("span", { text: t("grouping.zone") }), " ", zoneSelect),
    el("label", {}, el("span", { text: t("grouping.count") }), " ", countSelect), ask);
  const section = el("section", { class: "grouping-control", "aria-labelledby": "grouping-title" },
    el("h2", { id: "grouping-title", text: t("grouping.title") }),
    el("p", { class: "still", text: t("grouping.intro") }), form, status, list);
  before.before(section);

  // What the console holds between the answer and the group's decisions: never sent until accepted.
  let suggestion = null; // {zoneId, proposals: [{key, label, cardIds, note}], ungrouped: [card ids]}
  let shownZones = "";

  // The areas where a group makes families (kind "canvas") first: there an accepted proposal becomes one.
  const zonesWithCards = (view) => [...view.zones.values()]
    .filter((zone) => zone.kind !== "deck")
    .sort((a, b) => (b.kind === "canvas") - (a.kind === "canvas"))
    .map((zone) => ({ zone, count: cardsOf(view, zone.id).length }))
    .filter(({ count }) => count >= 2);

  const renderZones = () => {
    const view = connection.confirmed;
    if (!view) return;
    const zones = zonesWithCards(view);
    const key = JSON.stringify(zones.map(({ zone, count }) => [zone.id, count, zoneName(view, zone.id)]));
    if (key === shownZones) return; // a select rebuilt under the facilitator's pointer would close
    shownZones = key;
    const chosen = zoneSelect.value;
    zoneSelect.replaceChildren(...zones.map(({ zone, count }) =>
      el("option", { value: zone.id, text: t("grouping.zone_option", { zone: zoneName(view, zone.id), count }) })));
    if (zones.some(({ zone }) => zone.id === chosen)) zoneSelect.value = chosen;
    ask.disabled = !zones.length;
    if (!zones.length && !suggestion) status.textContent = t("grouping.no_zone");
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const zoneId = zoneSelect.value;
    if (!zoneId) return;
    status.textContent = t("grouping.asking");
    ask.disabled = true;
    try {
      const url = `${location.pathname}/zones/${encodeURIComponent(zoneId)}/grouping?groups=${countSelect.value}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const answer = await response.json();
      if (!response.ok || !answer.ok) throw new Error(t(`error.${answer.code}`));
      suggestion = {
        zoneId,
        proposals: answer.families.map((family, index) => ({ key: `p${index}`, label: family.label, cardIds: family.card_ids, note: "" })),
        ungrouped: answer.ungrouped,
      };
      status.textContent = answer.families.length
        ? t("grouping.result", { families: answer.families.length, ungrouped: answer.ungrouped.length })
        : t("grouping.nothing");
      renderProposals();
    } catch (error) {
      status.textContent = t("grouping.failed", { reason: error.message });
    } finally {
      ask.disabled = false;
    }
  });

  /** Move a card between proposals (or to the ungrouped); the labels typed so far stay. */
  const moveCard = (cardId, toKey) => {
    for (const proposal of suggestion.proposals) proposal.cardIds = proposal.cardIds.filter((id) => id !== cardId);
    suggestion.ungrouped = suggestion.ungrouped.filter((id) => id !== cardId);
    const order = cardsOf(connection.confirmed, suggestion.zoneId).map((card) => card.id);
    const sorted = (ids) => ids.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (toKey === UNGROUPED) suggestion.ungrouped = sorted([...suggestion.ungrouped, cardId]);
    else {
      const target = suggestion.proposals.find((proposal) => proposal.key === toKey);
      target.cardIds = sorted([...target.cardIds, cardId]);
    }
    renderProposals(cardId);
  };

  const discard = (key) => {
    const proposal = suggestion.proposals.find((p) => p.key === key);
    suggestion.proposals = suggestion.proposals.filter((p) => p.key !== key);
    // Its cards are not lost to the group: they wait without a family, to be moved elsewhere.
    for (const cardId of proposal.cardIds) moveCard(cardId, UNGROUPED);
    renderProposals();
  };

  const accept = async (key) => {
    const index = suggestion.proposals.findIndex((p) => p.key === key);
    const proposal = suggestion.proposals[index];
    const label = proposal.label.trim();
    if (!label) {
      proposal.note = t("grouping.need_label");
      return renderProposals();
    }
    // Families spread over the zone in a grid, so accepted ones do not land on each other (0..1 of the area).
    const columns = Math.max(1, Math.ceil(Math.sqrt(suggestion.proposals.length)));
    const answer = await connection.send("create_zone", {
      zone_id: connection.newId("zone"), area_id: suggestion.zoneId, label,
      x: round((index % columns) / columns + 0.02), y: round(Math.floor(index / columns) / columns + 0.02),
      card_ids: [...proposal.cardIds] });
    if (answer?.ok) {
      suggestion.proposals = suggestion.proposals.filter((p) => p.key !== key);
      status.textContent = t("grouping.accepted", { label });
    } else {
      proposal.note = t("grouping.refused", { reason: t(`error.${answer?.code ?? "bad_request"}`) });
    }
    renderProposals();
  };

  /** Draw the proposals; `focusCard` keeps the keyboard on a card just moved. */
  const renderProposals = (focusCard = null) => {
    if (!suggestion) return list.replaceChildren();
    const view = connection.confirmed;
    const present = new Set(cardsOf(view, suggestion.zoneId).map((card) => card.id));
    // A card moved or deleted on the board meanwhile leaves the suggestion.
    for (const proposal of suggestion.proposals) proposal.cardIds = proposal.cardIds.filter((id) => present.has(id));
    suggestion.ungrouped = suggestion.ungrouped.filter((id) => present.has(id));
    const targets = [...suggestion.proposals.map((p) => [p.key, p.label.trim() || "…"]), [UNGROUPED, t("grouping.ungrouped")]];
    const boxes = suggestion.proposals.map((proposal) => proposalBox(view, proposal, targets));
    if (suggestion.ungrouped.length) boxes.push(ungroupedBox(view, targets));
    list.replaceChildren(...boxes);
    if (focusCard) list.querySelector(`[data-card-id="${CSS.escape(focusCard)}"] select`)?.focus();
  };

  const cardItem = (view, cardId, here, targets) => {
    const card = view.cards.get(cardId);
    // "Déplacer…" until a choice: the card's own proposal is the box around it, not repeated here.
    const move = el("select", { class: "grouping-move", "aria-label": t("grouping.move", { card: card.text }) },
      el("option", { value: "", selected: true, text: t("grouping.move_to") }),
      ...targets.filter(([key]) => key !== here).map(([key, name]) => el("option", { value: key, text: name })));
    move.addEventListener("change", () => { if (move.value) moveCard(cardId, move.value); });
    const item = el("li", { class: "grouping-card", draggable: "true", "data-card-id": cardId },
      el("span", { class: "grouping-card-text", text: card.text }), move);
    item.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", cardId);
      event.dataTransfer.effectAllowed = "move";
    });
    return item;
  };

  const dropTarget = (box, key) => {
    box.addEventListener("dragover", (event) => {
      event.preventDefault();
      box.classList.add("drop-here");
    });
    box.addEventListener("dragleave", () => box.classList.remove("drop-here"));
    box.addEventListener("drop", (event) => {
      event.preventDefault();
      box.classList.remove("drop-here");
      const cardId = event.dataTransfer.getData("text/plain");
      if (cardId) moveCard(cardId, key);
    });
    return box;
  };

  const proposalBox = (view, proposal, targets) => {
    const name = el("input", { class: "grouping-label", value: proposal.label, maxlength: "60", "aria-label": t("grouping.label") });
    name.addEventListener("input", () => {
      proposal.label = name.value;
      // The selects name the proposals by label: told the new one as it is typed, without redrawing
      // the list (a redraw on leaving the field would take the "Accepter" being clicked away).
      for (const option of list.querySelectorAll(`option[value="${CSS.escape(proposal.key)}"]`)) {
        option.textContent = name.value.trim() || "…";
      }
    });
    const acceptButton = el("button", { type: "button", class: "primary grouping-accept", text: t("grouping.accept") });
    const discardButton = el("button", { type: "button", class: "grouping-discard", text: t("grouping.discard") });
    acceptButton.addEventListener("click", () => accept(proposal.key));
    discardButton.addEventListener("click", () => discard(proposal.key));
    return dropTarget(el("article", { class: "grouping-proposal", "data-proposal": proposal.key },
      el("label", { class: "grouping-name" }, el("span", { class: "grouping-count", text: t("grouping.cards", { count: proposal.cardIds.length }) }), name),
      el("ul", { class: "grouping-cards" }, ...proposal.cardIds.map((id) => cardItem(view, id, proposal.key, targets))),
      proposal.note ? el("p", { class: "notice warning grouping-note", role: "alert", text: proposal.note }) : null,
      el("div", { class: "row" }, acceptButton, discardButton)), proposal.key);
  };

  const ungroupedBox = (view, targets) => dropTarget(el("article", { class: "grouping-proposal grouping-ungrouped", "data-proposal": UNGROUPED },
    el("h3", { text: `${t("grouping.ungrouped")} (${suggestion.ungrouped.length})` }),
    el("ul", { class: "grouping-cards" }, ...suggestion.ungrouped.map((id) => cardItem(view, id, UNGROUPED, targets)))), UNGROUPED);

  connection.addEventListener("change", () => {
    renderZones();
    // A card of the suggestion that left the zone (moved, deleted, or put in a family just accepted).
    if (suggestion && !list.contains(document.activeElement)) renderProposals();
  });
  renderZones();
  foldPanel(connection, section, {
    summary: (view) => {
      const zones = zonesWithCards(view);
      return zones.length ? t("grouping.fold", { count: zones.length }) : t("grouping.no_zone");
    },
    opens: (view) => [...view.zones.values()].some((zone) => zone.kind === "canvas") });
}

/** The cards lying in a zone (notes attached to a card aside), in the board's order. */
function cardsOf(view, zoneId) {
  return [...view.cards.values()].filter((card) => card.zone === zoneId && !card.parent);
}

function round(value) {
  return Math.min(1, Math.max(0, Math.round(value * 1000) / 1000));
}
