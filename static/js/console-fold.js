// The console's preparation and after-the-workshop panels (the workshop's details, its files, the
// Panorama's labels, the material, the synthesis) fold to their title and a one-line summary, below
// the people: during the afternoon the live panels (code, sequence, teams, vote, projector, room,
// progress) keep the first screens. A panel opens by itself when its moment comes (the synthesis
// once the results are revealed) and otherwise stays as the facilitator last left it.
import { t } from "./i18n.js";
import { el } from "./render.js";

/**
 * Make `section` foldable. `summary(view)` says in a few words what is inside (shown while folded);
 * `opens(view)`, if given, unfolds the panel the first time it becomes true.
 */
export function foldPanel(connection, section, { summary, opens = () => false }) {
  if (!section) return;
  const title = section.querySelector("h2");
  const line = el("p", { class: "fold-summary" });
  const toggle = el("button", { type: "button", class: "fold-toggle", "aria-expanded": "false" });
  title.after(line);
  title.before(toggle);
  section.classList.add("foldable", "folded");
  let touched = false; // once the facilitator folds or unfolds it, the panel stays as they left it
  let opened = false;
  const show = (open) => {
    section.classList.toggle("folded", !open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t("console.fold_close") : t("console.fold_open");
    toggle.setAttribute("aria-label", `${open ? t("console.fold_close") : t("console.fold_open")} : ${title.textContent.trim()}`);
  };
  const flip = () => {
    touched = true;
    show(section.classList.contains("folded"));
  };
  toggle.addEventListener("click", flip);
  title.addEventListener("click", flip);
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const words = summary(view) ?? "";
    if (line.textContent !== words) line.textContent = words;
    if (!touched && !opened && opens(view)) {
      opened = true;
      show(true);
    }
  };
  show(false);
  connection.addEventListener("change", render);
  render();
}
