// The sequence change, announced: when the facilitator moves the workshop on (or back), each
// participant sees a short notice with the new sequence's name and what to do now (the format's
// instruction), over the top of the board for a few seconds, closed at once by its button or
// Escape; screen readers hear the same words. It also comes after a reconnection that missed the
// change, since it follows the sequence the board is in, not one event.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

export const NOTICE_MS = 12000; // long enough to read an instruction twice, short enough not to be in the way

/** Show the notice on `connection`'s page whenever its sequence changes; `announce(text)` speaks. */
export function bindSequenceNotice(connection, { announce }) {
  const title = el("h2", { id: "sequence-notice-title", class: "sequence-notice-title" });
  const instruction = el("p", { class: "sequence-notice-instruction" });
  const close = el("button", { type: "button", class: "sequence-notice-close", text: t("notice.close") });
  const notice = el("section", { id: "sequence-notice", class: "sequence-notice", "aria-labelledby": title.id, hidden: true },
    el("div", { class: "sequence-notice-text" }, title, instruction), close);
  document.body.append(notice);
  let shown = null; // the sequence index the page last knew
  let timer = null;
  let focusBack = null;

  const hide = () => {
    clearTimeout(timer);
    if (notice.hidden) return;
    notice.hidden = true;
    // Whoever had closed it with the keyboard goes back where they were.
    if (focusBack && notice.contains(document.activeElement)) focusBack.focus?.();
    focusBack = null;
  };
  close.addEventListener("click", hide);
  notice.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !notice.hidden) hide(); });

  connection.addEventListener("change", () => {
    const view = connection.confirmed;
    if (!view) return;
    if (shown === null || shown === view.sequence) {
      shown = view.sequence; // the page's first state is no change
      return;
    }
    shown = view.sequence;
    const sequence = view.currentSequence;
    title.textContent = t("notice.sequence", { number: view.sequence + 1, name: label(sequence.name) });
    instruction.textContent = label(sequence.instruction);
    focusBack = document.activeElement;
    notice.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(hide, NOTICE_MS);
    announce(t("announce.sequence", { name: label(sequence.name), instruction: label(sequence.instruction) }));
  });
}
