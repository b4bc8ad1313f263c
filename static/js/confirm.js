// Asking before an action that cannot be taken back lightly (closing the vote, deleting a card,
// re-dealing teams): a modal <dialog>, so the question is announced and Escape answers "no".
import { t } from "./i18n.js";
import { el } from "./render.js";

/**
 * Ask `message` with several answers besides cancel: resolves with the chosen choice's `value`,
 * or null on cancel or Escape. A choice is {label, value, className}. The safe answer (cancel)
 * has the focus, so Enter pressed by reflex changes nothing.
 */
export function chooseAction({ title, message, choices, cancel = t("dialog.cancel"), cancelClass = "choice-cancel",
  dialogClass = "confirm choice" }) {
  const no = el("button", { type: "button", class: cancelClass, text: cancel });
  const buttons = choices.map((choice) => el("button", { type: "button", class: choice.className ?? "", text: choice.label }));
  // A choice's answers wrap onto lines of their own (teams.css: dialog.choice).
  const dialog = el("dialog", { class: dialogClass, "aria-labelledby": "confirm-title", "aria-describedby": "confirm-message" },
    el("h2", { id: "confirm-title", text: title }), el("p", { id: "confirm-message", text: message }),
    el("div", { class: "dialog-actions" }, no, ...buttons));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const answer = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    no.addEventListener("click", () => answer(null));
    buttons.forEach((button, i) => button.addEventListener("click", () => answer(choices[i].value)));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      answer(null);
    });
    dialog.showModal();
    no.focus();
  });
}

/** Ask `message`; resolves true when the person chooses `confirm`, false on cancel or Escape. */
export async function confirmAction({ title, message, confirm, cancel = t("dialog.cancel"), danger = false }) {
  const choice = { label: confirm, value: true, className: `confirm-yes ${danger ? "danger" : "primary"}` };
  const answer = await chooseAction({ title, message, cancel, cancelClass: "confirm-no", dialogClass: "confirm",
    choices: [choice] });
  return answer === true;
}

/**
 * Ask for a short text (a name): resolves with it trimmed, or null on cancel, Escape or an empty field.
 * `value` fills the field; `maxLength` bounds it as the server does.
 */
export function askText({ title, label, value = "", confirm, cancel = t("dialog.cancel"), maxLength = 60 }) {
  const input = el("input", { type: "text", maxlength: String(maxLength), required: true, autocomplete: "off" });
  input.value = value;
  const no = el("button", { type: "button", class: "confirm-no", text: cancel });
  const yes = el("button", { type: "submit", class: "confirm-yes primary", text: confirm });
  const form = el("form", { method: "dialog" }, el("h2", { id: "ask-title", text: title }),
    el("label", { class: "ask-field" }, el("span", { text: label }), input), el("div", { class: "dialog-actions" }, no, yes));
  const dialog = el("dialog", { class: "confirm ask", "aria-labelledby": "ask-title" }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const answer = (text) => {
      dialog.close();
      dialog.remove();
      resolve(text);
    };
    no.addEventListener("click", () => answer(null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      answer(input.value.trim() || null);
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      answer(null);
    });
    dialog.showModal();
    input.focus();
  });
}
