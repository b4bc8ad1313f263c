// Undo of my own last changes to the cards: a move, a card written, an edit, a deletion, a mark put on
// or taken off a card, a link made or removed between two cards.
//
// An undo is an ordinary command, sent like any other change (connection.send) and decided by the
// server like any other: a move back where the card was, the deletion of the card I wrote, the
// previous text and description, or the deleted card written again with its id, text, description
// and place. The server keeps no history of its own; what makes an undo safe is the check before it:
// the card must still be exactly as my change left it. If someone changed it since, the undo says so
// and does nothing, rather than throw away their work.
import { label, t } from "./i18n.js";

const KEPT_STEPS = 50;
// The shortcut as this computer's keyboard names it.
const SHORTCUT = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘Z" : "Ctrl+Z";

/** The create_card that writes a deleted card (or note) `b` again, with its id. */
function rewrite(b, cardId) {
  const data = { kind: b.kind, text: b.text, zone_id: b.zone, x: b.x, y: b.y, card_id: cardId ?? b.id };
  if (b.description) data.description = b.description;
  if (b.parent) Object.assign(data, { parent: b.parent, note_kind: b.note_kind });
  return data;
}

/** A card's list at `path` (["links"], or ["marks", mark id]); [] when it has none. */
const listOf = (card, path) => path.reduce((value, key) => value?.[key], card) || [];
const same = (a, b) => Object.keys(a).every((key) => a[key] === b[key]);
const placeOf = (card) => ({ zone: card.zone, x: card.x, y: card.y });
const wordsOf = (card) => ({ text: card.text, description: card.description || "" });

/**
 * My changes that can be taken back, newest last. `send` is the road for the changes to record;
 * `undo()` takes back the newest. `report(message)` tells the person what happened;
 * `explain(ack)` turns a refusal from the server into a sentence; `beforeRemoval(cardId)` runs
 * before an undo takes a card off the board (to move the focus away from it).
 */
export class UndoHistory extends EventTarget {
  constructor(connection, { report, explain, beforeRemoval = () => {} }) {
    super();
    this.connection = connection;
    this.report = report;
    this.explain = explain;
    this.beforeRemoval = beforeRemoval;
    this.steps = [];
    this.queue = Promise.resolve();
  }

  /** Send a change (move_card, create_card, edit_card, delete_card, mark_card, link_card) and remember
   *  how to take it back. */
  async send(type, data) {
    const step = this.stepFor(type, data);
    if (step) this.remember(step);
    const ack = await this.connection.send(type, data);
    if (step && !ack.ok) this.forget(step); // refused: there is nothing to take back
    return ack;
  }

  /** The newest step, or null: what the undo button would take back. */
  get next() {
    return this.steps.at(-1) ?? null;
  }

  /** What a step did, in words: "le déplacement de « … »". */
  describe(step) {
    return t(`undo.what_${step.kind}`, { text: step.text, target: step.targetText ?? "", mark: step.markLabel ?? "" });
  }

  /** Take back my newest change, if its card is still as I left it. Undos run one after the other:
   *  each one's check sees the board as the previous one left it. */
  undo() {
    this.queue = this.queue.then(() => this.undoNewest());
    return this.queue;
  }

  async undoNewest() {
    const step = this.steps.pop();
    if (!step) {
      this.report(t("undo.empty"));
      return;
    }
    this.changed();
    const what = this.describe(step);
    const view = this.connection.view();
    const card = view.cards.get(step.cardId);
    const inverse = this.inverseOf(step, card);
    if (!inverse) {
      this.report(t(card || step.kind === "delete" ? "undo.changed" : "undo.gone", { what }));
      return;
    }
    if (inverse.type === "delete_card") this.beforeRemoval(step.cardId);
    const ack = await this.connection.send(inverse.type, inverse.data);
    // A card deleted with its notes comes back with them, each with its id (NOTE10).
    if (ack.ok && step.kind === "delete") {
      for (const note of step.notes || []) await this.connection.send("create_card", rewrite(note));
    }
    this.report(ack.ok ? t("undo.done", { what }) : t("undo.refused", { what, reason: this.explain(ack) }));
  }

  /** The command that takes `step` back, or null when its card is no longer as the step left it. */
  inverseOf(step, card) {
    if (step.kind === "delete") {
      if (card) return null; // a card with its id is back on the board already
      const data = rewrite(step.before, step.cardId);
      if (step.before.colour) data.colour = step.before.colour;
      return { type: "create_card", data };
    }
    if (!card) return null;
    if (step.gesture) { // a mark or a link: still as I left it, then the opposite, in its old place
      const { list, item, command, field } = step.gesture;
      const present = listOf(card, list).includes(item === "me" ? this.connection.you.id : step.target);
      if (present !== step.on) return null;
      const data = { card_id: step.cardId, [field]: step.gesture.value, on: !step.on };
      if (!step.on) data.position = step.position;
      return { type: command, data };
    }
    if (step.kind === "move") {
      if (!same(step.after, placeOf(card))) return null;
      const { zone, x, y } = step.before;
      return { type: "move_card", data: { card_id: step.cardId, zone_id: zone, x, y } };
    }
    if (step.kind === "create") {
      if (!same(step.after, { ...placeOf(card), ...wordsOf(card) })) return null;
      return { type: "delete_card", data: { card_id: step.cardId } };
    }
    if (!same(step.after, wordsOf(card))) return null; // an edit
    return { type: "edit_card", data: { card_id: step.cardId, ...step.before } };
  }

  /** What `type` with `data` changes, and what it leaves, read from the board as I see it now. */
  stepFor(type, data) {
    const view = this.connection.view();
    if (type === "create_card") {
      if (!data.card_id) return null; // without its id the card could not be found again
      const after = { zone: data.zone_id, x: data.x, y: data.y, text: data.text.trim(),
        description: (data.description || "").trim() };
      return { kind: "create", cardId: data.card_id, text: after.text, after };
    }
    const card = view.cards.get(data.card_id);
    if (!card || card.hidden) return null;
    if (type === "mark_card") {
      const ids = listOf(card, ["marks", data.mark]);
      if (ids.includes(this.connection.you.id) === data.on) return null; // changes nothing: refused
      const mark = (view.format.marks || []).find((m) => m.id === data.mark);
      return { kind: data.on ? "mark" : "unmark", cardId: card.id, text: card.text, on: data.on,
        markLabel: mark ? label(mark.label) : data.mark, position: ids.indexOf(this.connection.you.id),
        gesture: { command: "mark_card", list: ["marks", data.mark], item: "me", field: "mark", value: data.mark } };
    }
    if (type === "link_card") {
      const links = listOf(card, ["links"]);
      if (links.includes(data.target_id) === data.on) return null;
      const target = view.cards.get(data.target_id);
      return { kind: data.on ? "link" : "unlink", cardId: card.id, text: card.text, on: data.on,
        target: data.target_id, targetText: target && !target.hidden ? target.text : "",
        position: links.indexOf(data.target_id),
        gesture: { command: "link_card", list: ["links"], item: "target", field: "target_id", value: data.target_id } };
    }
    if (type === "move_card") {
      const after = { zone: data.zone_id, x: data.x, y: data.y };
      if (same(after, placeOf(card))) return null; // put back where it was: nothing to undo
      return { kind: "move", cardId: card.id, text: card.text, before: placeOf(card), after };
    }
    if (type === "edit_card") {
      const before = wordsOf(card);
      const after = { text: data.text?.trim() ?? before.text, description: data.description?.trim() ?? before.description };
      if (same(after, before)) return null;
      return { kind: "edit", cardId: card.id, text: before.text, before, after };
    }
    if (type === "delete_card" && card.kind !== "deck") { // a deck card cannot be written again
      const notes = [...view.cards.values()].filter((note) => note.parent === card.id && !note.hidden)
        .map((note) => ({ ...note }));
      return { kind: "delete", cardId: card.id, text: card.text, before: { ...card }, notes };
    }
    return null;
  }

  remember(step) {
    this.steps.push(step);
    if (this.steps.length > KEPT_STEPS) this.steps.shift();
    this.changed();
  }

  forget(step) {
    this.steps = this.steps.filter((s) => s !== step);
    this.changed();
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }
}

/**
 * The undo button and Ctrl+Z (Cmd+Z on a Mac). In a text field the browser's own undo of typing
 * stays; while a dialog is open the shortcut is the dialog's.
 */
export function bindUndo(history, button) {
  const show = () => {
    const step = history.next;
    // aria-disabled, not disabled: a button disabled under the focus would drop it to the page.
    button.setAttribute("aria-disabled", String(!step));
    button.title = step ? t("undo.next", { what: history.describe(step), keys: SHORTCUT }) : t("undo.empty");
  };
  history.addEventListener("change", show);
  show();
  button.addEventListener("click", () => history.undo());
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || event.key.toLowerCase() !== "z") return;
    const target = event.target;
    if (target.closest?.("input, textarea, select, [contenteditable=''], [contenteditable='true'], dialog")) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    history.undo();
  });
}
