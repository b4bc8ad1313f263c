// Asking before an action that cannot be taken back lightly (closing the vote, deleting a card,
// re-dealing teams): a modal <dialog>, so the question is announced and Escape answers "no".
import { t } from "./i18n.js";
import { el } from "./render.js";

/**
 * Ask `message`; resolves true when the person chooses `confirm`, false on cancel or Escape.
 * `danger` styles the confirming button as destructive.
 */
export function confirmAction({ title, message, confirm, cancel = t("dialog.cancel"), danger = false }) {
  const heading = el("h2", { id: "confirm-title", text: title });
  const body = el("p", { id: "confirm-message", text: message });
  const no = el("button", { type: "button", class: "confirm-no", text: cancel });
  const yes = el("button", { type: "button", class: `confirm-yes ${danger ? "danger" : "primary"}`, text: confirm });
  const dialog = el("dialog", { class: "confirm", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-message" },
    heading, body, el("div", { class: "dialog-actions" }, no, yes));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const answer = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    no.addEventListener("click", () => answer(false));
    yes.addEventListener("click", () => answer(true));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      answer(false);
    });
    dialog.showModal();
    no.focus(); // the safe answer has the focus: Enter by reflex changes nothing
  });
}
