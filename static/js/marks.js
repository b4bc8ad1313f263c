// Marks on the participant's board (spec MARK2, MARK3): one toggle button per mark of the format on
// each card ("Je peux aider", "Je veux apprendre"), pressed when I marked it, with how many did;
// shown while the sequence opens mark_card. And the author's name on written cards when the format
// says `show_authors` (MARK8).
import { label, t } from "./i18n.js";
import { el } from "./render.js";

/** Written cards carry their author's name on the page when the format says so (MARK8): a class on
 *  the body, so the board and the projector alike show it (exchange.css). */
export function showAuthors(view) {
  const on = Boolean(view.format.show_authors);
  if (document.body.classList.contains("shows-authors") !== on) document.body.classList.toggle("shows-authors", on);
}

/** The (empty) marks row of one card; `updateMarks` fills and shows it. `send(cardId, mark, on)` marks. */
export function markControls(cardId, send) {
  const row = el("div", { class: "card-marks", hidden: true });
  row.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-mark]");
    if (!button) return;
    send(cardId(), button.dataset.mark, button.getAttribute("aria-pressed") !== "true");
  });
  return row;
}

/** Show a card's marks as they are now for `me` (`node` is the card's element). */
export function updateMarks(node, card, view, me) {
  showAuthors(view);
  const row = node.querySelector(".card-marks");
  if (!row) return;
  const marks = view.format.marks || [];
  const open = marks.length > 0 && me.role === "participant" && view.allows("mark_card", me.role)
    && card.kind !== "deck" && card.zone !== "deck" && !card.hidden;
  row.hidden = !open;
  if (!open) return;
  const key = JSON.stringify([marks.map((mark) => mark.id), card.marks || {}, me.id]);
  if (row.dataset.drawn === key) return;
  row.dataset.drawn = key;
  const focused = row.contains(document.activeElement) ? document.activeElement.dataset.mark : null;
  row.replaceChildren(...marks.map((mark) => {
    const ids = card.marks?.[mark.id] || [];
    const mine = ids.includes(me.id);
    const name = label(mark.label);
    const button = el("button", {
      type: "button", class: `mark-toggle mark-${mark.role || "other"}`, "data-mark": mark.id,
      "aria-pressed": String(mine), "aria-label": t("marks.toggle", { mark: name, text: card.text }),
    }, el("span", { class: "mark-check", "aria-hidden": "true", text: mine ? "✓" : "+" }), ` ${name}`,
    ids.length ? el("span", { class: "mark-count", text: ` · ${ids.length}` }) : null);
    return button;
  }));
  if (focused) row.querySelector(`[data-mark="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
}
