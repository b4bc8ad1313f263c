// The participant's board (also the facilitator's when opened from the console): the Panorama,
// the deck, cards moved by pointer, touch or keyboard, post-its and new cards, presence, offline.
import { enableCardDetails } from "./card-details.js";
import { buildCanvases, canvasFraction, familyActions, familyRefusal, freeCardSpot, onCanvas, placeCards, syncFamilies, updateFamilyControls } from "./canvas.js";
import { enableFamilyMove } from "./family-move.js";
import { Announcer } from "./announcer.js";
import { confirmAction } from "./confirm.js";
import { Connection } from "./connection.js";
import { bindGone } from "./gone.js";
import { bindDoneButton } from "./done.js";
import { DeckPanel } from "./deck.js";
import { enableKeyboardMove, enablePointerDrag } from "./dragdrop.js";
import { showOthersDrags } from "./ghosts.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { rememberMember } from "./identity.js";
import { bindLinkClosed } from "./link-closed.js";
import { bindMyTeam, renderMyTeam } from "./my-team.js";
import { summariseZones } from "./notes.js";
import { boardLockCue, lockMessage, lockReason, markLocks } from "./locks.js";
import { enablePhoneLayout } from "./phone.js";
import { shownArea } from "./phone-areas.js";
import { panoramaKey, rebuildDeckFilters } from "./panorama-grid.js";
import { positionBetween, slotAt, zoneInView } from "./placement.js";
import { buildPanorama, cardElement, el, fillCard, renderCards, zoneName } from "./render.js";
import { bindKeyHint, bindShortcuts, RovingCards } from "./roving.js";
import { bindSequenceNotice } from "./sequence-notice.js";
import { voterKey } from "./state.js";
import { mountCountdown } from "./timer.js";
import { bindUndo, UndoHistory } from "./undo.js";
import { ballot, renderBudget, updateVoteControls, voteControls } from "./vote-controls.js";
import { enableZoom } from "./zoom.js";
import { bindFollow } from "./follow.js";
import { bindLockBanner } from "./lock-banner.js";
import { bindMaterialPanel } from "./material.js";
import { bindGlossaryPanel } from "./glossary.js";
import { bindMatrixView } from "./matrix-view.js";
import { bindEvaluationPanel } from "./evaluation.js";
import { bindViewAs, pageToken, viewAsRefusal, viewAsTarget } from "./view-as.js";
import { showFormatAreas } from "./format-areas.js";
import { bindExchangeDialog } from "./exchange.js";
import { markControls, updateMarks } from "./marks.js";
import { bindQuoteWriter, showSpeaker } from "./quotes.js";

const $ = (id) => document.getElementById(id);
const token = pageToken();

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token, { viewAs: viewAsTarget() }); // view-as: read-only (view-as.js)
// My moves, cards written, edits, deletions, marks and links go through the undo history, which sends them.
const undoHistory = new UndoHistory(connection, {
  report: toast, explain: refusal, beforeRemoval: (cardId) => keepFocusNear(cardId),
});
bindUndo(undoHistory, $("undo"));
const elements = new Map(); // card id -> element in the Panorama
const deck = new DeckPanel({ makeCard: (card) => makeCard(card), onChange: () => render() });
let focusAfterRender = null; // a card moved by keyboard keeps the focus in its new place
let built = false;
let builtFor = ""; // the labels the grid was built with (panorama-grid.js)
const announcer = new Announcer($("announcer"), $("activity"));
// One Tab stop per cell, per free area and for the deck (roving.js).
const roving = new RovingCards(() => [...document.querySelectorAll("#panorama [data-zone]"), $("deck-list")]);
let shortcuts = null;
const zoomer = enableZoom($("viewport"), $("panorama"));
const showBoardLock = boardLockCue(document.querySelector(".topbar .title"));
const families = familyActions(connection, { say: (text) => text && toast(text) }); // a canvas's families (canvas.js)
enableFamilyMove($("panorama"), connection, { announce: (text) => announcer.own(text) }); // dragged by their title bar

// -- rendering -------------------------------------------------------------

function render() {
  if (!connection.confirmed) return;
  const view = connection.view();
  if (built && panoramaKey(view) !== builtFor) { // a domain or category renamed, added or removed
    built = false;
    rebuildDeckFilters(deck, view);
  }
  if (!built) {
    buildPanorama($("panorama"), view);
    showFormatAreas(view);
    buildCanvases($("panorama"), view, families);
    builtFor = panoramaKey(view);
    document.title = `${label(view.format.name)} — Atelier`;
    $("workshop-name").textContent = label(view.format.name);
    built = true;
    shortcuts = bindPanoramaShortcuts(view);
    requestAnimationFrame(() => zoomer.fit({ widthOnly: true }));
  }
  const sequence = view.currentSequence;
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(sequence.name) });
  $("sequence-instruction").textContent = label(sequence.instruction);
  $("sequence-instruction").parentElement.title = label(sequence.instruction); // whole, when cut short
  const role = connection.you.role;
  $("new-postit").disabled = !view.allows("create_card", role);
  $("new-card").disabled = !view.allows("create_card", role);
  syncFamilies($("panorama"), view, families);
  renderCards($("panorama"), view, elements, (card) => makeCard(card));
  placeCards($("panorama"), view, elements); // on a canvas a card sits where it was put (CANVAS11)
  updateFamilyControls($("panorama"), view, role);
  summariseZones($("panorama"), view, zoneName); // each cell's notes in its tooltip (notes.js)
  deck.render(view);
  updateCardControls(view);
  markLocks(view, [...elements.values(), ...deck.cardNodes()], connection.you);
  showBoardLock(view, connection.you);
  roving.refresh();
  shortcuts.update();
  if (focusAfterRender) {
    const node = elements.get(focusAfterRender) || deck.nodeFor(focusAfterRender);
    node?.querySelector(".card-body")?.focus();
    focusAfterRender = null;
  }
}

function makeCard(card) {
  const node = cardElement(card);
  const edit = el("button", { type: "button", class: "card-edit", text: "✎" });
  edit.addEventListener("click", () => openCardDialog({ cardId: node.dataset.card }));
  node.append(edit, voteControls(() => node.dataset.card, { vote, refuse: toast }),
    markControls(() => node.dataset.card, (cardId, mark, on) => undoHistory.send("mark_card", { card_id: cardId, mark, on })));
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
  // Mine, or my team's (CARD17), while the sequence lets participants edit; the server decides,
  // this only offers the button.
  const myTeam = connection.confirmed.participants.get(connection.you.id)?.team;
  if (!connection.view().allows("edit_card", connection.you.role)) return false;
  return card.kind !== "deck" && (connection.you.role === "facilitator" || card.author === connection.you.id
    || (card.team != null && card.team === myTeam));
}

function updateCardControls(view) {
  const deckNodes = deck.cardNodes();
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
    updateMarks(node, card, view, connection.you); // marks.js (MARK2)
    showSpeaker(node, card); // quotes.js (MARK11)
  }
  renderBudget($("vote-budget"), { voting, results: view.vote.results, voter: voterKey(view, connection.you.id), ballot: myBallot });
}

// -- moving cards ----------------------------------------------------------

function move(cardId, zoneId, x, y, { keyboard = false } = {}) {
  const view = connection.view();
  const card = view.cards.get(cardId);
  if (!card) return;
  if (keyboard) focusAfterRender = cardId;
  // Without a pointer, a card put on a canvas takes a free place there (a family lays its cards out itself).
  if (keyboard && view.zones.get(zoneId)?.kind === "canvas") ({ x, y } = freeCardSpot(view, zoneId, cardId));
  // "Placed" only once the server has it; a refusal is said by the `rejected` listener.
  undoHistory.send("move_card", { card_id: cardId, zone_id: zoneId, x, y }).then((ack) => {
    if (ack.ok) announcer.own(t("move.dropped", { text: card.text, zone: zoneName(connection.view(), zoneId) }));
  });
}

// Keyboard targets in reading order: the grid row by row, the free areas, then the deck while it
// shows (a folded deck, or the phone's closed sheet, is no place to put a card one cannot see).
const dropTargets = () => [...document.querySelectorAll("#panorama [data-zone]"),
  ...($("deck-list").getClientRects().length > 0 ? [$("deck-list")] : [])];

/** Where a card dropped at a screen point lands: between the two cards it was dropped between. */
function dropPosition(cardId, zoneId, { zone, clientX, clientY }) {
  if (zoneId === "deck") return { x: 0.5, y: 1 };
  const view = connection.view();
  const { before, after } = slotAt(zone, clientX, clientY, cardId);
  return positionBetween(before && view.cards.get(before), after && view.cards.get(after));
}

/** Why a card that someone tried to pick up (pointer or Space) stays where it is. */
function sayLocked(cardId) {
  const view = connection.view();
  const card = view.cards.get(cardId);
  const reason = card && lockReason(view, card, connection.you);
  if (reason) toast(lockMessage(view, card, reason));
}

for (const root of [$("panorama"), $("deck-list")]) {
  enablePointerDrag(root, $("panorama"), {
    onMove: (cardId, zoneId, x, y) => connection.drag({ card_id: cardId, zone_id: zoneId, x, y, active: true }),
    onDrop: (cardId, zoneId, x, y, where) => {
      connection.drag({ card_id: cardId, x: 0, y: 0, active: false });
      // On a canvas or in a family the card stays where it was dropped; elsewhere it goes between neighbours.
      const position = !onCanvas(connection.view(), zoneId) ? dropPosition(cardId, zoneId, where)
        : where.zone.matches(".canvas-area") ? canvasFraction(x, y, where.zone.offsetHeight) : { x, y };
      move(cardId, zoneId, position.x, position.y);
    },
    onCancel: (cardId) => connection.drag({ card_id: cardId, x: 0, y: 0, active: false }),
    onLocked: sayLocked,
    // In the deck a finger moving sideways drags at once (up and down scrolls the deck); on the
    // Panorama, which scrolls both ways, a finger must hold the card first.
    holdOnTouch: (body) => !body.closest(".deck-list"),
  });
  enableKeyboardMove(root, {
    targets: dropTargets,
    columns: () => connection.confirmed.format.panorama.columns.length,
    currentZone: (id) => connection.view().cards.get(id)?.zone,
    onDrop: (cardId, zoneId, x, y) => move(cardId, zoneId, x, y, { keyboard: true }),
    announce: (text) => announcer.own(text),
    onCarry: () => keyHint(),
    onLocked: sayLocked,
    describe: (key, zoneId, cardId) => t(key, {
      zone: zoneId ? zoneName(connection.view(), zoneId) : "",
      text: cardId ? connection.view().cards.get(cardId)?.text : "",
    }),
  });
}

// -- what others are dragging ----------------------------------------------

showOthersDrags(connection, () => document.querySelector("#panorama .ghosts"));

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
  // A new card goes where its author is looking, not to a Parking out of sight.
  select.value = card ? card.zone : (shownArea() ?? zoneInView($("viewport"), lastZone) ?? "parking");
  select.disabled = Boolean(card);
  $("card-delete").hidden = !card;
  $("card-dialog").showModal();
  form.elements.text.focus();
}

let lastZone = null;
for (const type of ["focusin", "pointerdown"]) {
  document.addEventListener(type, (event) => {
    const zone = event.target.closest?.("#panorama [data-zone]");
    if (zone) lastZone = zone.dataset.zone;
  });
}

$("new-postit").addEventListener("click", () => openCardDialog({ kind: "postit" }));
// Who helps whom and quotes, where the format has marks and speakers (exchange.js, quotes.js).
bindExchangeDialog(connection, document.querySelector(".topbar .tools"));
bindQuoteWriter(connection, document.querySelector(".topbar .tools"), { zoneInView: () => zoneInView($("viewport"), lastZone) });
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
  const node = elements.get(cardId) || deck.nodeFor(cardId);
  const next = node?.nextElementSibling || node?.previousElementSibling;
  return next?.querySelector(".card-body") || $("undo");
}

/** A card about to leave the board under the focus hands the focus to its neighbour first. */
function keepFocusNear(cardId) {
  const node = elements.get(cardId) || deck.nodeFor(cardId);
  if (node?.contains(document.activeElement)) neighbourOf(cardId).focus();
}
// The dialog gives the focus back to its opener as it closes; the new card takes it after that.
let focusOnClose = null;
$("card-dialog").addEventListener("close", () => {
  const node = elements.get(focusOnClose);
  focusOnClose = null;
  node?.scrollIntoView({ block: "nearest", inline: "nearest" });
  node?.querySelector(".card-body")?.focus({ preventScroll: true });
});
$("card-form").addEventListener("submit", () => {
  const form = $("card-form");
  const text = form.elements.text.value.trim();
  const description = form.elements.description.value.trim();
  if (!text) return;
  if (dialogState.cardId) {
    undoHistory.send("edit_card", { card_id: dialogState.cardId, text, description });
  } else {
    const cardId = connection.newId(dialogState.kind === "postit" ? "postit" : "card");
    focusOnClose = cardId; // the author sees it arrive, with the focus on it
    undoHistory.send("create_card", {
      kind: dialogState.kind, text, description: description || null, zone_id: form.elements.zone.value,
      x: 0.5, y: 1, card_id: cardId,
    });
  }
});

// -- reading a card, zoom, presence, status -------------------------------

enableCardDetails(connection, {
  onMove: (cardId, zoneId) => move(cardId, zoneId, 0.5, 1, { keyboard: true }),
  suggest: shownArea, // the area or family a phone shows
  onEdit: (cardId) => openCardDialog({ cardId }),
  canEdit,
  notes: { send: (type, data) => undoHistory.send(type, data), mayChange: mayChangeNote },
  send: (type, data) => undoHistory.send(type, data), // links, undone like the other gestures
});

/** Whether I may edit or delete this note (CARD17 for notes, NOTE9): the server decides, this offers the button. */
function mayChangeNote(note) {
  const myTeam = connection.confirmed.participants.get(connection.you.id)?.team;
  return connection.you.role === "facilitator" || note.author === connection.you.id
    || (note.team != null && note.team === myTeam);
}

$("zoom-in").addEventListener("click", () => zoomer.set(zoomer.zoom * 1.2));
$("zoom-out").addEventListener("click", () => zoomer.set(zoomer.zoom / 1.2));
$("zoom-fit").addEventListener("click", () => zoomer.fit());

$("people-toggle").addEventListener("click", () => {
  const open = $("people").hidden;
  $("people").hidden = !open;
  $("people-toggle").setAttribute("aria-expanded", String(open));
});

function renderPeople() {
  const view = connection.confirmed;
  const people = connection.online.filter((p) => p.role !== "projector");
  $("people-count").textContent = String(people.length);
  if (view) renderMyTeam(connection.view(), connection.you);
  $("people-list").replaceChildren(...people.map((p) => {
    const teamId = view?.participants.get(p.id)?.team; // the board's latest, not presence's
    const team = teamId ? view.teams.get(teamId) : null;
    const item = el("li", {}, el("span", { class: "person-name", text: p.name || t("people.anonymous") }), // "" while anonymous (ANON2)
      el("span", { class: "person-team", text: team ? team.name : t("people.no_team") }));
    if (team) item.style.setProperty("--team-colour", team.colour);
    if (p.role === "facilitator") item.append(el("span", { class: "person-role", text: t("role.facilitator") }));
    return item;
  }));
}

// The visible keyboard hint, while a card has the keyboard focus.
const keyHint = bindKeyHint($("key-hint"), () => Boolean(document.querySelector('.card-body[aria-pressed="true"]')));

/** The shortcuts at the top of the page: deck search, the Panorama's domains, the vote. */
function bindPanoramaShortcuts(view) {
  for (const zone of document.querySelectorAll("#panorama [data-zone]")) zone.tabIndex = -1; // a domain with no card
  return bindShortcuts({
    nav: $("shortcuts"), roving, search: $("deck-search"),
    rows: view.format.panorama.rows.map((row) => ({ id: row.id, name: label(row.short || row.label) })),
    cellsOf: (rowId) => [...document.querySelectorAll(`#panorama .cell[data-zone^="${rowId}/"]`)],
  });
}

let toastTimer = null;
/** A message shown for a while; also said, in my own feedback's live region (`spoken` if given). */
function toast(message, spoken = message) {
  announcer.own(spoken);
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
  if (connection.status !== "online" || connection.you.role !== "participant" || connection.viewAs) return;
  const me = connection.confirmed.participants.get(connection.you.id);
  rememberMember(document.body.dataset.joinCode, token, me?.name ?? "");
});
connection.addEventListener("status", showStatus);
/** A refusal from the server, as a sentence in the page's language. */
function refusal(detail) {
  if (detail.view_as) return viewAsRefusal(connection.confirmed, connection.viewAs);
  return t(`error.${detail.code}`, { sequence: label(connection.confirmed.currentSequence.name) }) || detail.message;
}
connection.addEventListener("rejected", ({ detail }) => {
  const view = connection.confirmed;
  const reason = familyRefusal(detail) ?? refusal(detail);
  const card = detail.type === "move_card" ? view.cards.get(detail.data?.card_id) : null;
  // Said as a refusal, and for a move with the card's name: it went back where it was.
  toast(card ? t("move.refused", { text: card.text, reason }) : reason,
    card ? t("move.refused", { text: card.text, reason }) : t("announce.refused", { reason }));
  // A card moved by keyboard keeps the focus back in its place: show it there, once redrawn.
  if (card) requestAnimationFrame(() => {
    const focused = document.activeElement?.closest?.(`[data-card="${CSS.escape(card.id)}"]`);
    focused?.scrollIntoView({ block: "nearest", inline: "nearest" });
  });
});
// In the page's language (the server's message is English), e.g. when the facilitator removed this person.
connection.addEventListener("problem", ({ detail }) => toast(t(`error.${detail.code}`, { sequence: "" }) || detail.message));

/** Others' activity, summed up by the announcer (announcer.js); a new sequence is said at once, by its
 *  notice (sequence-notice.js). */
function announceEvent(event) {
  const view = connection.confirmed;
  const who = view.participants.get(event.actor)?.name ?? "";
  const card = view.cards.get(event.data.card_id || event.data.id);
  if (event.type === "card_moved" && card) {
    announcer.activity({ who, kind: "moved", text: card.text, zone: zoneName(view, event.data.zone_id) });
  } else if (event.type === "card_created" && card) {
    announcer.activity({ who, kind: "created", text: card.text });
  }
}

bindMyTeam(connection);
// The facilitator's own board, opened with the admin link: that link may be replaced from the console.
if (document.body.dataset.role === "facilitator" || connection.viewAs) bindLinkClosed(connection, $("banner"));
bindGone(connection); // after showStatus: the reason the board stopped stays in the banner
// The sequence's timer and "I'm done" in the top bar, never over the cards; the new sequence announced.
mountCountdown(connection, { parent: document.querySelector(".topbar"), before: document.querySelector(".topbar .tools") });
bindDoneButton(connection, document.querySelector(".topbar .tools"), { say: toast });
bindSequenceNotice(connection, { announce: (text) => announcer.urgent(text) });
enablePhoneLayout(connection); // after the listeners above: it finds the grid they build
// The facilitator's texts, quotes and links, in the sequences that show them (after the phone's bar, its place there).
bindMaterialPanel(connection, { toolbar: document.querySelector(".topbar .tools"),
  phoneBar: document.querySelector(".topbar .phone-bar"), say: (text) => announcer.own(text) });
bindGlossaryPanel(connection, { toolbar: document.querySelector(".topbar .tools"),
  phoneBar: document.querySelector(".topbar .phone-bar") }); // a campaign's shared language
bindLockBanner(connection);
bindMatrixView(connection, { toolbar: document.querySelector(".topbar .tools") }); // a format with axes only
// The workshop's evaluation (a format with one only): the questionnaire while answers are taken (EVAL8).
bindEvaluationPanel(connection, { toolbar: document.querySelector(".topbar .tools"), say: (text) => announcer.own(text) });
bindViewAs(connection);
const follow = bindFollow(connection, zoomer); // after the phone's domain picker, which it may turn

window.atelier = { connection, follow }; // for the browser tests and the curious
