// The participant's board (also the facilitator's when opened from the console): the Panorama,
// the deck, cards moved by pointer, touch or keyboard, post-its and new cards, presence, offline.
import { confirmAction } from "./confirm.js";
import { Connection } from "./connection.js";
import { enableKeyboardMove, enablePointerDrag } from "./dragdrop.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { rememberMember } from "./identity.js";
import { buildPanorama, cardElement, el, fillCard, renderCards, zoneName } from "./render.js";
import { voterKey } from "./state.js";
import { bindUndo, UndoHistory } from "./undo.js";
import { ballot, renderBudget, updateVoteControls, voteControls } from "./vote-controls.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());
const GHOST_TIMEOUT_MS = 3000;

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token);
// My moves, cards written, edits and deletions go through the undo history, which sends them.
const undoHistory = new UndoHistory(connection, {
  report: toast, explain: refusal, beforeRemoval: (cardId) => keepFocusNear(cardId),
});
bindUndo(undoHistory, $("undo"));
const elements = new Map(); // card id -> element in the Panorama
const deckEntries = new Map(); // card id -> {inDeck, node}: the card itself, or a "placed in" line
let focusAfterRender = null; // a card moved by keyboard keeps the focus in its new place
let built = false;
let zoom = 1;

// -- rendering -------------------------------------------------------------

function render() {
  if (!connection.confirmed) return;
  const view = connection.view();
  if (!built) {
    buildPanorama($("panorama"), view);
    document.title = `${label(view.format.name)} — Atelier`;
    $("workshop-name").textContent = label(view.format.name);
    built = true;
    requestAnimationFrame(() => fit({ widthOnly: true }));
  }
  const sequence = view.currentSequence;
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(sequence.name) });
  $("sequence-instruction").textContent = label(sequence.instruction);
  const role = connection.you.role;
  $("new-postit").disabled = !view.allows("create_card", role);
  $("new-card").disabled = !view.allows("create_card", role);
  renderCards($("panorama"), view, elements, (card) => makeCard(card));
  renderDeck(view);
  updateCardControls(view);
  if (focusAfterRender) {
    const node = elements.get(focusAfterRender) || deckEntries.get(focusAfterRender)?.node;
    node?.querySelector(".card-body")?.focus();
    focusAfterRender = null;
  }
}

function makeCard(card) {
  const node = cardElement(card);
  const edit = el("button", { type: "button", class: "card-edit", text: "✎" });
  edit.addEventListener("click", () => openCardDialog({ cardId: node.dataset.card }));
  node.append(edit, voteControls(() => node.dataset.card, { vote, refuse: toast }));
  return node;
}

function vote(cardId, delta) {
  connection.send("vote", { card_id: cardId, delta });
}

/** My dots (or my team's) per card, while the vote runs. */
function myDots(view) {
  const key = voterKey(view, connection.you.id);
  return (key && view.vote.dots[key]) || {};
}

function canEdit(card) {
  return card.kind !== "deck" && (connection.you.role === "facilitator" || card.author === connection.you.id);
}

function renderDeck(view) {
  const list = $("deck-list");
  const query = $("deck-search").value.trim().toLocaleLowerCase();
  const unplacedOnly = $("deck-unplaced").checked;
  const deckCards = [...view.cards.values()].filter((c) => c.kind === "deck").sort((a, b) => a.id.localeCompare(b.id));
  let shown = 0;
  deckCards.forEach((card, index) => {
    let entry = deckEntries.get(card.id);
    const inDeck = card.zone === "deck";
    if (!entry || entry.inDeck !== inDeck) {
      entry?.node.remove();
      entry = { inDeck, node: inDeck ? makeCard(card) : placedEntry() };
      deckEntries.set(card.id, entry);
    }
    if (inDeck) {
      fillCard(entry.node, card, view);
    } else {
      entry.node.querySelector(".entry-text").textContent = card.text;
      entry.node.querySelector(".entry-where").textContent = t("deck.placed_in", { zone: zoneName(view, card.zone) });
    }
    const matches = !query || `${card.text} ${card.description}`.toLocaleLowerCase().includes(query);
    entry.node.hidden = !matches || (unplacedOnly && !inDeck);
    if (!entry.node.hidden) shown += 1;
    if (list.children[index] !== entry.node) list.insertBefore(entry.node, list.children[index] || null);
  });
  for (const node of [...list.children]) {
    if (![...deckEntries.values()].some((e) => e.node === node)) node.remove();
  }
  $("deck-count").textContent = t("deck.count", { shown, total: deckCards.length });
}

function updateCardControls(view) {
  const deckNodes = [...deckEntries.values()].filter((e) => e.inDeck).map((e) => e.node);
  const voting = view.vote.status === "open" && view.allows("vote", connection.you.role)
    && (connection.you.role !== "facilitator" || view.vote.facilitator_votes);
  const myBallot = ballot(view.vote, myDots(view));
  for (const node of [...elements.values(), ...deckNodes]) {
    const card = view.cards.get(node.dataset.card);
    const edit = node.querySelector(".card-edit");
    if (!card || !edit) continue;
    edit.hidden = !canEdit(card);
    edit.setAttribute("aria-label", t("card.edit_named", { text: card.text }));
    updateVoteControls(node, card, { voting, ballot: myBallot });
  }
  renderBudget($("vote-budget"), { voting, results: view.vote.results, voter: voterKey(view, connection.you.id), ballot: myBallot });
}

function placedEntry() {
  return el("li", { class: "deck-entry placed" }, el("span", { class: "entry-text" }), el("span", { class: "entry-where" }));
}

// -- moving cards ----------------------------------------------------------

function move(cardId, zoneId, x, y, { keyboard = false } = {}) {
  const view = connection.view();
  const card = view.cards.get(cardId);
  if (!card) return;
  if (keyboard) focusAfterRender = cardId;
  undoHistory.send("move_card", { card_id: cardId, zone_id: zoneId, x, y });
  announce(t("move.dropped", { text: card.text, zone: zoneName(view, zoneId) }));
}

// Keyboard targets in reading order: the grid row by row, the free areas, then the deck.
const dropTargets = () => [...document.querySelectorAll("#panorama [data-zone]"), $("deck-list")];

for (const root of [$("panorama"), $("deck-list")]) {
  enablePointerDrag(root, $("panorama"), {
    onMove: (cardId, zoneId, x, y) => connection.drag({ card_id: cardId, zone_id: zoneId, x, y, active: true }),
    onDrop: (cardId, zoneId, x, y) => {
      connection.drag({ card_id: cardId, x: 0, y: 0, active: false });
      move(cardId, zoneId, x, y);
    },
    onCancel: (cardId) => connection.drag({ card_id: cardId, x: 0, y: 0, active: false }),
  });
  enableKeyboardMove(root, {
    targets: dropTargets,
    columns: () => connection.confirmed.format.panorama.columns.length,
    currentZone: (id) => connection.view().cards.get(id)?.zone,
    onDrop: (cardId, zoneId, x, y) => move(cardId, zoneId, x, y, { keyboard: true }),
    announce,
    describe: (key, zoneId, cardId) => t(key, {
      zone: zoneId ? zoneName(connection.view(), zoneId) : "",
      text: cardId ? connection.view().cards.get(cardId)?.text : "",
    }),
  });
}

// -- what others are dragging ----------------------------------------------

const ghosts = new Map();
connection.addEventListener("drag", ({ detail }) => {
  const layer = document.querySelector("#panorama .ghosts");
  if (!layer) return;
  let ghost = ghosts.get(detail.by);
  if (detail.active === false) {
    ghost?.node.remove();
    ghosts.delete(detail.by);
    return;
  }
  const card = connection.confirmed.cards.get(detail.card_id);
  if (!card) return;
  if (!ghost) {
    ghost = { node: el("div", { class: "ghost" }, el("span", { class: "ghost-text" }), el("span", { class: "ghost-by" })) };
    ghosts.set(detail.by, ghost);
    layer.append(ghost.node);
  }
  ghost.node.querySelector(".ghost-text").textContent = card.text;
  ghost.node.querySelector(".ghost-by").textContent = connection.confirmed.participants.get(detail.by)?.name ?? "";
  ghost.node.dataset.card = detail.card_id;
  ghost.node.style.left = `${detail.x * 100}%`;
  ghost.node.style.top = `${detail.y * 100}%`;
  clearTimeout(ghost.timer);
  ghost.timer = setTimeout(() => {
    ghost.node.remove();
    ghosts.delete(detail.by);
  }, GHOST_TIMEOUT_MS);
});

// -- writing cards ---------------------------------------------------------

let dialogState = null;

function openCardDialog({ kind, cardId }) {
  const view = connection.view();
  const form = $("card-form");
  const card = cardId ? view.cards.get(cardId) : null;
  dialogState = { kind: card ? card.kind : kind, cardId };
  $("card-dialog-title").textContent = card ? t("card.edit_title") : t(kind === "postit" ? "card.new_postit_title" : "card.new_card_title");
  form.elements.text.value = card ? card.text : "";
  form.elements.description.value = card ? card.description : "";
  form.querySelector(".description-field").hidden = dialogState.kind === "postit";
  const select = form.elements.zone;
  select.replaceChildren(...[...view.zones.values()].filter((z) => z.kind !== "deck")
    .map((z) => el("option", { value: z.id, text: zoneName(view, z.id) })));
  select.value = card ? card.zone : (lastZone && lastZone !== "deck" ? lastZone : "parking");
  select.disabled = Boolean(card);
  $("card-delete").hidden = !card;
  $("card-dialog").showModal();
  form.elements.text.focus();
}

let lastZone = null;
document.addEventListener("focusin", (event) => {
  const zone = event.target.closest?.("[data-zone]");
  if (zone) lastZone = zone.dataset.zone;
});

$("new-postit").addEventListener("click", () => openCardDialog({ kind: "postit" }));
$("definitions-open").addEventListener("click", () => {
  const definitions = connection.confirmed?.format.definitions ?? [];
  $("definitions-list").replaceChildren(...definitions.flatMap((d) => [
    el("dt", { text: label(d.term) }), el("dd", { text: label(d.text) })]));
  $("definitions").showModal();
});
$("definitions-close").addEventListener("click", () => $("definitions").close());
$("new-card").addEventListener("click", () => openCardDialog({ kind: "new" }));
$("card-cancel").addEventListener("click", () => $("card-dialog").close());
$("card-delete").addEventListener("click", async () => {
  const card = connection.view().cards.get(dialogState.cardId);
  const sure = await confirmAction({
    title: t("card.delete_confirm_title"), message: t("card.delete_confirm", { text: card?.text ?? "" }),
    confirm: t("card.delete"), danger: true,
  });
  if (!sure) return; // back to the card's dialog, the card untouched
  const neighbour = neighbourOf(dialogState.cardId);
  undoHistory.send("delete_card", { card_id: dialogState.cardId });
  $("card-dialog").close();
  neighbour.focus();
});

/** Where the focus goes when a card leaves the board: the next card of its cell, the one before,
 *  else the undo button that can bring it back (never the page itself). */
function neighbourOf(cardId) {
  const node = elements.get(cardId) || deckEntries.get(cardId)?.node;
  const next = node?.nextElementSibling || node?.previousElementSibling;
  return next?.querySelector(".card-body") || $("undo");
}

/** A card about to leave the board under the focus hands the focus to its neighbour first. */
function keepFocusNear(cardId) {
  const node = elements.get(cardId) || deckEntries.get(cardId)?.node;
  if (node?.contains(document.activeElement)) neighbourOf(cardId).focus();
}
$("card-form").addEventListener("submit", () => {
  const form = $("card-form");
  const text = form.elements.text.value.trim();
  const description = form.elements.description.value.trim();
  if (!text) return;
  if (dialogState.cardId) {
    undoHistory.send("edit_card", { card_id: dialogState.cardId, text, description });
  } else {
    undoHistory.send("create_card", {
      kind: dialogState.kind, text, description: description || null, zone_id: form.elements.zone.value,
      x: 0.5, y: 1, card_id: connection.newId(dialogState.kind === "postit" ? "postit" : "card"),
    });
  }
});

// -- deck filters, zoom, presence, status ----------------------------------

$("deck-search").addEventListener("input", render);
$("deck-unplaced").addEventListener("change", render);

function setZoom(value) {
  zoom = Math.min(2, Math.max(0.4, value));
  $("panorama").style.zoom = zoom;
}
/** Zoom so the whole Panorama shows (or its whole width, on first load: then it scrolls down). */
function fit({ widthOnly = false } = {}) {
  const viewport = $("viewport");
  $("panorama").style.zoom = 1;
  const byWidth = (viewport.clientWidth - 24) / $("panorama").scrollWidth;
  const byHeight = (viewport.clientHeight - 24) / $("panorama").scrollHeight;
  setZoom(Math.max(0.4, Math.min(1, widthOnly ? byWidth : Math.min(byWidth, byHeight))));
}
$("zoom-in").addEventListener("click", () => setZoom(zoom * 1.2));
$("zoom-out").addEventListener("click", () => setZoom(zoom / 1.2));
$("zoom-fit").addEventListener("click", () => fit());
$("viewport").addEventListener("wheel", (event) => {
  if (!event.ctrlKey) return; // plain wheel scrolls (pans); ctrl+wheel and pinch zoom
  event.preventDefault();
  setZoom(zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
}, { passive: false });

$("people-toggle").addEventListener("click", () => {
  const open = $("people").hidden;
  $("people").hidden = !open;
  $("people-toggle").setAttribute("aria-expanded", String(open));
});

function renderPeople() {
  const view = connection.confirmed;
  const people = connection.online.filter((p) => p.role !== "projector");
  $("people-count").textContent = String(people.length);
  renderTeamChoice(view);
  $("people-list").replaceChildren(...people.map((p) => {
    const teamId = view?.participants.get(p.id)?.team; // the board's latest, not presence's
    const team = teamId ? view.teams.get(teamId) : null;
    const item = el("li", {}, el("span", { class: "person-name", text: p.name }),
      el("span", { class: "person-team", text: team ? team.name : t("people.no_team") }));
    if (team) item.style.setProperty("--team-colour", team.colour);
    if (p.role === "facilitator") item.append(el("span", { class: "person-role", text: t("role.facilitator") }));
    return item;
  }));
}

/** Participants pick their own team when the facilitator lets them. */
function renderTeamChoice(view) {
  const box = $("my-team-box");
  const me = view?.participants.get(connection.you?.id);
  box.hidden = !me || me.role !== "participant" || !view.options.team_choice || !view.allows("join_team", me.role);
  $("team-prompt").hidden = box.hidden || Boolean(me.team) || view.teams.size === 0;
  if (box.hidden || document.activeElement === $("my-team")) return;
  $("my-team").replaceChildren(el("option", { value: "", text: t("people.no_team") }),
    ...[...view.teams.values()].map((team) => el("option", { value: team.id, text: team.name })));
  $("my-team").value = me.team || "";
}

$("team-prompt").addEventListener("click", () => {
  $("people").hidden = false;
  $("people-toggle").setAttribute("aria-expanded", "true");
  $("my-team").focus();
});
$("my-team").addEventListener("change", (event) => connection.send("join_team", { team_id: event.target.value || null }));

function announce(message) {
  $("announcer").textContent = "";
  requestAnimationFrame(() => { $("announcer").textContent = message; });
}

let toastTimer = null;
function toast(message) {
  $("toast").textContent = message;
  $("toast").hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $("toast").hidden = true; }, 6000);
}

function showStatus() {
  const banner = $("banner");
  const waiting = connection.pending.size;
  if (connection.status === "online") {
    banner.hidden = true;
  } else {
    banner.hidden = false;
    banner.dataset.status = connection.status;
    banner.textContent = connection.status === "refused" ? t("status.refused")
      : `${t("status.offline")}${waiting ? ` ${t("status.waiting", { count: waiting })}` : ""}`;
  }
}

connection.addEventListener("change", ({ detail: event }) => {
  render();
  renderPeople();
  showStatus();
  if (event && event.actor !== connection.you.id) announceEvent(event);
});
connection.addEventListener("presence", renderPeople);
connection.addEventListener("status", () => {
  if (connection.status !== "online" || connection.you.role !== "participant") return;
  const me = connection.confirmed.participants.get(connection.you.id);
  rememberMember(document.body.dataset.joinCode, token, me?.name ?? "");
});
connection.addEventListener("status", showStatus);
/** A refusal from the server, as a sentence in the page's language. */
function refusal(detail) {
  return t(`error.${detail.code}`, { sequence: label(connection.confirmed.currentSequence.name) }) || detail.message;
}
connection.addEventListener("rejected", ({ detail }) => toast(refusal(detail)));
connection.addEventListener("problem", ({ detail }) => toast(detail.message));

function announceEvent(event) {
  const view = connection.confirmed;
  const who = view.participants.get(event.actor)?.name ?? "";
  const card = view.cards.get(event.data.card_id || event.data.id);
  if (event.type === "card_moved" && card) {
    announce(t("announce.moved", { who, text: card.text, zone: zoneName(view, event.data.zone_id) }));
  } else if (event.type === "card_created" && card) {
    announce(t("announce.created", { who, text: card.text }));
  } else if (event.type === "sequence_changed") {
    announce(t("announce.sequence", { name: label(view.currentSequence.name) }));
  }
}

window.atelier = { connection }; // for the browser tests and the curious
