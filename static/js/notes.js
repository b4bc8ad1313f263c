// Notes: cards attached to cards (keywords of a factor, savoirs of a competence, effects), NOTE1-NOTE13.
//
// A note is a card with a `parent` and a `note_kind` from the format's `note_kinds`. It is never drawn
// as a card of its own in its zone (state.cardsIn leaves notes out): on the board it is a small chip
// under its card, with the card's count of notes; in the card's dialog (card-details.js) the notes
// are listed by kind, each kind with a field to add one. A group of cards (a Panorama cell, a family)
// sums its cards' notes up with `notesOf(view, cards)` and `notesSummary`.
import { label, t } from "./i18n.js";
import { el as node } from "./render.js"; // render.js imports this module too: el is only called later

const CHIPS_SHOWN = 6; // under a card; the rest are counted in a "+N" chip and read in the dialog
const SUMMARY_WORDS = 8; // distinct notes a cell's tooltip names
export const NOTE_TEXT_MAX = 140; // as the server's notes.NOTE_TEXT_MAX

/** The format's note kinds, in its order: [{id, label, of}]; none for a format without notes. */
export function noteKinds(view) {
  return view.format.note_kinds || [];
}

/** The kinds of notes a card takes (those whose `of` names its kind), in the format's order. */
export function kindsFor(view, card) {
  return noteKinds(view).filter((kind) => !kind.of || kind.of.includes(card.kind));
}

/** Whether a note of `kind` may be written on `card`: a `kept_only` kind (the factors map's effects)
 *  only on a card the facilitator kept (NOTE14); the server says the same. */
export function takesKind(card, kind) {
  return !kind.kept_only || Boolean(card.kept);
}

/** The notes attached to one card, oldest first. */
export function notesOfCard(view, cardId) {
  return [...view.cards.values()].filter((c) => c.parent === cardId).sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
}

/**
 * The notes of a group of cards (a Panorama cell, a family): every note attached to one of `cards`,
 * optionally only of the kinds `kindIds`, in the cards' order then as written. For the canvas's
 * family frame and the cells' summaries.
 */
export function notesOf(view, cards, kindIds = null) {
  const wanted = kindIds ? new Set(kindIds) : null;
  return cards.flatMap((card) => notesOfCard(view, card.id))
    .filter((note) => !note.hidden && (!wanted || wanted.has(note.note_kind)));
}

/** "Sobriété (3), Dépendance, …": the notes of a group, the most repeated first (case and accents kept). */
export function notesSummary(notes, limit = SUMMARY_WORDS) {
  const counts = new Map();
  for (const note of notes) {
    const key = note.text.trim().toLocaleLowerCase();
    const entry = counts.get(key) || { text: note.text.trim(), count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count);
  const words = ranked.slice(0, limit).map((e) => (e.count > 1 ? `${e.text} (${e.count})` : e.text));
  if (ranked.length > limit) words.push("…");
  return words.join(", ");
}

function kindIndex(view, kindId) {
  return Math.max(0, noteKinds(view).findIndex((kind) => kind.id === kindId));
}

function kindLabel(view, kindId) {
  return label(noteKinds(view).find((kind) => kind.id === kindId)?.label) || kindId || "";
}

/**
 * Draw a card's notes under it on the board: chips (the first few, then "+N") and the count in the
 * card's body. `node` is the card's element (render.js). Called at every render; cheap when unchanged.
 */
export function fillNotes(cardNode, card, view) {
  const notes = card.parent ? [] : notesOfCard(view, card.id);
  let list = cardNode.querySelector(":scope > .card-notes");
  const body = cardNode.querySelector(".card-body");
  let count = body?.querySelector(".card-note-count");
  if (!notes.length) {
    list?.remove();
    count?.remove();
    cardNode.classList.remove("has-notes");
    return;
  }
  cardNode.classList.add("has-notes");
  const key = JSON.stringify(notes.map((n) => [n.id, n.text, n.note_kind, n.hidden]));
  if (list && list.dataset.key === key) return;
  if (!list) {
    list = node("ul", { class: "card-notes" });
    cardNode.append(list);
  }
  list.dataset.key = key;
  list.setAttribute("aria-label", t("notes.of_card", { text: card.hidden ? "" : card.text }));
  const chips = notes.slice(0, notes.length > CHIPS_SHOWN ? CHIPS_SHOWN - 1 : CHIPS_SHOWN).map((note) => node("li", {
    class: `note-chip note-kind-${kindIndex(view, note.note_kind) % 6}`, "data-note": note.id,
    title: kindLabel(view, note.note_kind),
  }, node("span", { class: "note-kind-mark", "aria-hidden": "true", text: kindMark(view, note.note_kind) }),
  node("span", { class: "note-text", text: note.hidden ? t("notes.hidden") : note.text })));
  const rest = notes.length - chips.length;
  if (rest > 0) chips.push(node("li", { class: "note-chip note-more", text: t("notes.more", { count: rest }) }));
  list.replaceChildren(...chips);
  if (body && !count) body.append(count = node("span", { class: "card-note-count" }));
  if (count) count.textContent = t(notes.length === 1 ? "notes.count_one" : "notes.count", { count: notes.length });
}

/**
 * A short mark per kind, so that kinds are told apart without colour: a letter of its label, different
 * for each kind of the format. The last word's initial first ("Ce que cela signifie" S, "… implique" I,
 * "Savoir-faire" F), else the first word's, else the id's, else its number.
 */
export function kindMarks(view) {
  const marks = new Map();
  const taken = new Set();
  noteKinds(view).forEach((kind, index) => {
    const words = label(kind.label).split(/[\s\-’'_]+/).filter(Boolean);
    const candidates = [words.at(-1), words[0], kind.id].map((word) => (word || "").slice(0, 1).toLocaleUpperCase());
    const mark = candidates.find((letter) => letter && !taken.has(letter)) ?? String(index + 1);
    taken.add(mark);
    marks.set(kind.id, mark);
  });
  return marks;
}

function kindMark(view, kindId) {
  return kindMarks(view).get(kindId) ?? "";
}

/** Put each zone's notes in its tooltip: "<zone>\nNotes : Sobriété (2), Risque de …". */
export function summariseZones(container, view, zoneName) {
  if (!noteKinds(view).length) return;
  for (const zoneEl of container.querySelectorAll("[data-zone]")) {
    const zoneId = zoneEl.dataset.zone;
    const summary = notesSummary(notesOf(view, view.cardsIn(zoneId)));
    const title = summary ? `${zoneName(view, zoneId)}\n${t("notes.summary", { notes: summary })}` : "";
    if (title) zoneEl.title = title;
    else zoneEl.removeAttribute("title");
    zoneEl.dataset.notes = summary;
  }
}

/**
 * The notes' part of a card's dialog: for each kind the card takes, its notes (with a button to
 * delete those this person may change) and a field to add one. `send(type, data)` sends a command
 * (through the undo history); `mayChange(card)` whether this person may edit a card (CARD17).
 */
export function fillNotesSection(section, connection, card, { send, mayChange }) {
  const view = connection.view();
  const notes = notesOfCard(view, card.id);
  // A kept_only kind shows on a kept card, or where such notes were written before the card was let go.
  const kinds = card.parent ? [] : kindsFor(view, card)
    .filter((kind) => takesKind(card, kind) || notes.some((n) => n.note_kind === kind.id));
  section.hidden = !kinds.length || card.hidden || view.zones.get(card.zone)?.kind === "deck";
  if (section.hidden) {
    section.replaceChildren();
    delete section.dataset.card;
    return;
  }
  const me = connection.you;
  const open = view.allows("add_note", me.role);
  const kindIds = kinds.map((kind) => kind.id).join(" ");
  if (section.dataset.card !== card.id || section.dataset.kinds !== kindIds || !section.querySelector("h3")) {
    section.dataset.card = card.id;
    section.dataset.kinds = kindIds;
    section.replaceChildren(node("h3", { class: "notes-heading", text: t("notes.heading") }),
      ...kinds.map((kind) => kindGroup(kind, card, connection, send)));
  }
  const count = section.querySelector(".notes-heading");
  count.textContent = t("notes.heading_count", { count: notes.length });
  for (const kind of kinds) {
    const group = section.querySelector(`[data-kind="${CSS.escape(kind.id)}"]`);
    const mine = notes.filter((n) => n.note_kind === kind.id);
    const list = group.querySelector("ul");
    list.replaceChildren(...mine.map((note) => {
      const item = node("li", { class: "note-line", "data-note": note.id },
        node("span", { class: "note-text", text: note.hidden ? t("notes.hidden") : note.text }));
      const author = note.author ? view.participants.get(note.author)?.name : "";
      if (author) item.append(node("span", { class: "note-author", text: t("card.by", { name: author }) }));
      if (open && !note.hidden && mayChange(note)) {
        const remove = node("button", { type: "button", class: "note-delete", text: "✕",
          "aria-label": t("notes.delete", { text: note.text }) });
        remove.addEventListener("click", () => send("delete_card", { card_id: note.id }));
        item.append(remove);
      }
      return item;
    }));
    if (!mine.length) list.append(node("li", { class: "note-none", text: t("notes.none") }));
    const form = group.querySelector("form");
    form.hidden = !open || !takesKind(card, kind);
  }
  // Why a kind of the format is not offered here: it goes on a kept card only (NOTE14).
  const waiting = kindsFor(view, card).filter((kind) => !kinds.includes(kind));
  section.querySelector(".notes-kept-only")?.remove();
  if (waiting.length) {
    section.append(node("p", { class: "notes-kept-only",
      text: t("notes.kept_only", { kinds: waiting.map((kind) => label(kind.label)).join(", ") }) }));
  }
  section.querySelector(".notes-closed")?.remove();
  if (!open) {
    section.append(node("p", { class: "notes-closed",
      text: t("notes.closed", { sequence: label(view.currentSequence.name) }) }));
  }
}

function kindGroup(kind, card, connection, send) {
  const inputId = `note-input-${kind.id}`;
  const input = node("input", { id: inputId, type: "text", maxlength: String(NOTE_TEXT_MAX), autocomplete: "off",
    class: "note-input" });
  const form = node("form", { class: "note-add" },
    node("label", { for: inputId, class: "visually-hidden", text: t("notes.add_label", { kind: label(kind.label) }) }),
    input, node("button", { type: "submit", text: t("notes.add") }));
  input.placeholder = t("notes.placeholder", { kind: label(kind.label) });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const parent = connection.view().cards.get(card.id);
    if (!parent) return;
    send("create_card", { kind: "postit", text, zone_id: parent.zone, x: 0, y: 0,
      card_id: connection.newId("note"), parent: card.id, note_kind: kind.id });
    input.value = "";
    input.focus();
  });
  return node("section", { class: "notes-kind", "data-kind": kind.id },
    node("h4", { text: label(kind.label) }), node("ul", { class: "notes-list" }), form);
}
