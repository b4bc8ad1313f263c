// The participant's board (also the facilitator's when opened from the console): the Panorama,
// the deck, cards moved by pointer, touch or keyboard, post-its and new cards, presence, offline.
import { Connection } from "./connection.js";
import { enableKeyboardMove, enablePointerDrag } from "./dragdrop.js";
import { showOthersDrags } from "./ghosts.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { rememberMember } from "./identity.js";
import { lockMessage, lockReason, markLocks } from "./locks.js";
import { enablePhoneLayout } from "./phone.js";
import { positionBetween, slotAt, zoneInView } from "./placement.js";
import { buildPanorama, cardElement, el, fillCard, renderCards, zoneName } from "./render.js";
import { voterKey } from "./state.js";
import { enableZoom } from "./zoom.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token);
const elements = new Map(); // card id -> element in the Panorama
const deckEntries = new Map(); // card id -> {inDeck, node}: the card itself, or a "placed in" line
let focusAfterRender = null; // a card moved by keyboard keeps the focus in its new place
let built = false;
const zoomer = enableZoom($("viewport"), $("panorama"));

// -- rendering -------------------------------------------------------------

function render() {
  if (!connection.confirmed) return;
  const view = connection.view();
  if (!built) {
    buildPanorama($("panorama"), view);
    document.title = `${label(view.format.name)} — Atelier`;
    $("workshop-name").textContent = label(view.format.name);
    built = true;
    requestAnimationFrame(() => zoomer.fit({ widthOnly: true }));
  }
  const sequence = view.currentSequence;
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(sequence.name) });
  $("sequence-instruction").textContent = label(sequence.instruction);
  $("sequence-instruction").parentElement.title = label(sequence.instruction); // whole, when cut short
  const role = connection.you.role;
  $("new-postit").disabled = !view.allows("create_card", role);
  $("new-card").disabled = !view.allows("create_card", role);
  renderCards($("panorama"), view, elements, (card) => makeCard(card));
  renderDeck(view);
  updateCardControls(view);
  markLocks(view, [...elements.values(), ...[...deckEntries.values()].filter((e) => e.inDeck).map((e) => e.node)], connection.you);
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
  // Dot voting: take one back, how many are mine, put one more.
  const less = el("button", { type: "button", class: "dot-less", text: "−" });
  const more = el("button", { type: "button", class: "dot-more", text: "+●" });
  less.addEventListener("click", () => vote(node.dataset.card, -1));
  more.addEventListener("click", () => vote(node.dataset.card, 1));
  const dots = el("span", { class: "card-dots", hidden: true }, less, el("span", { class: "dot-count" }), more);
  node.append(edit, dots);
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
  const mine = myDots(view);
  for (const node of [...elements.values(), ...deckNodes]) {
    const card = view.cards.get(node.dataset.card);
    const edit = node.querySelector(".card-edit");
    if (!card || !edit) continue;
    edit.hidden = !canEdit(card);
    edit.setAttribute("aria-label", t("card.edit_named", { text: card.text }));
    const dots = node.querySelector(".card-dots");
    dots.hidden = !voting || card.zone === "deck";
    if (dots.hidden) continue;
    const count = mine[card.id] || 0;
    dots.querySelector(".dot-count").textContent = "●".repeat(count) || "○";
    dots.querySelector(".dot-count").setAttribute("aria-label", t("vote.on_card", { count }));
    dots.querySelector(".dot-less").setAttribute("aria-label", t("vote.less", { text: card.text }));
    dots.querySelector(".dot-more").setAttribute("aria-label", t("vote.more", { text: card.text }));
    dots.querySelector(".dot-less").disabled = count === 0;
  }
  renderBudget(view, voting, mine);
}

function renderBudget(view, voting, mine) {
  const box = $("vote-budget");
  box.hidden = !voting && !view.vote.results;
  if (view.vote.results) {
    box.textContent = t("results.shown");
  } else if (voting) {
    const used = Object.values(mine).reduce((a, b) => a + b, 0);
    const key = voterKey(view, connection.you.id);
    box.textContent = key ? t("vote.budget", { left: view.vote.budget - used, budget: view.vote.budget })
      : t("vote.need_team");
  }
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
  connection.send("move_card", { card_id: cardId, zone_id: zoneId, x, y });
  announce(t("move.dropped", { text: card.text, zone: zoneName(view, zoneId) }));
}

// Keyboard targets in reading order: the grid row by row, the free areas, then the deck.
const dropTargets = () => [...document.querySelectorAll("#panorama [data-zone]"), $("deck-list")];

/** Where a card dropped at a screen point lands: between the two cards it was dropped between. */
function dropPosition(cardId, zoneId, { zone, clientX, clientY }) {
  if (zoneId === "deck") return { x: 0.5, y: 1 };
  const view = connection.view();
  const { before, after } = slotAt(zone, clientX, clientY, cardId);
  return positionBetween(before && view.cards.get(before), after && view.cards.get(after));
}

for (const root of [$("panorama"), $("deck-list")]) {
  enablePointerDrag(root, $("panorama"), {
    onMove: (cardId, zoneId, x, y) => connection.drag({ card_id: cardId, zone_id: zoneId, x, y, active: true }),
    onDrop: (cardId, zoneId, x, y, where) => {
      connection.drag({ card_id: cardId, x: 0, y: 0, active: false });
      const position = dropPosition(cardId, zoneId, where);
      move(cardId, zoneId, position.x, position.y);
    },
    onCancel: (cardId) => connection.drag({ card_id: cardId, x: 0, y: 0, active: false }),
    onLocked: (cardId) => {
      const view = connection.view();
      const card = view.cards.get(cardId);
      const reason = card && lockReason(view, card, connection.you);
      if (reason) toast(lockMessage(view, card, reason));
    },
    // In the deck a finger moving sideways drags at once (up and down scrolls the deck); on the
    // Panorama, which scrolls both ways, a finger must hold the card first.
    holdOnTouch: (body) => !body.closest(".deck-list"),
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
  select.value = card ? card.zone : (zoneInView($("viewport"), lastZone) ?? "parking");
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
$("definitions-open").addEventListener("click", () => {
  const definitions = connection.confirmed?.format.definitions ?? [];
  $("definitions-list").replaceChildren(...definitions.flatMap((d) => [
    el("dt", { text: label(d.term) }), el("dd", { text: label(d.text) })]));
  $("definitions").showModal();
});
$("definitions-close").addEventListener("click", () => $("definitions").close());
$("new-card").addEventListener("click", () => openCardDialog({ kind: "new" }));
$("card-cancel").addEventListener("click", () => $("card-dialog").close());
$("card-delete").addEventListener("click", () => {
  connection.send("delete_card", { card_id: dialogState.cardId });
  $("card-dialog").close();
});
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
    connection.send("edit_card", { card_id: dialogState.cardId, text, description });
  } else {
    const cardId = connection.newId(dialogState.kind === "postit" ? "postit" : "card");
    focusOnClose = cardId; // the author sees it arrive, with the focus on it
    connection.send("create_card", {
      kind: dialogState.kind, text, description: description || null, zone_id: form.elements.zone.value,
      x: 0.5, y: 1, card_id: cardId,
    });
  }
});

// -- deck filters, zoom, presence, status ----------------------------------

$("deck-search").addEventListener("input", render);
$("deck-unplaced").addEventListener("change", render);

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
connection.addEventListener("rejected", ({ detail }) => {
  const view = connection.confirmed;
  toast(t(`error.${detail.code}`, { sequence: label(view.currentSequence.name) }) || detail.message);
});
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

enablePhoneLayout(connection); // after the listeners above: it finds the grid they build

window.atelier = { connection }; // for the browser tests and the curious
