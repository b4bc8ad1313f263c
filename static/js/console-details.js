// The console's "L'atelier" section: the workshop's name, date and place (describe_workshop, DESK2),
// saving the prepared workshop as a template on the facilitator's desk, and the way to that desk
// ("Mes ateliers"). The fields follow the board until the
// facilitator starts typing in them; saving sends only what changed.
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["title", "date", "place"];

/** The form's values as the command takes them: a date left empty is "" (no date). */
function typed(form) {
  return Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value.trim()]));
}

function held(view) {
  const details = view.details || {};
  return { title: details.title || "", date: details.date || "", place: details.place || "" };
}

/** Wire the section to the console's Connection. */
export function bindWorkshopDetails(connection) {
  const form = $("details-form");
  const note = $("details-note");
  let editing = false; // once the facilitator types, the board's updates no longer overwrite the fields

  const fill = () => {
    if (editing || !connection.confirmed) return;
    const now = held(connection.confirmed);
    for (const name of FIELDS) form.elements[name].value = now[name];
  };
  form.addEventListener("input", () => { editing = true; note.textContent = ""; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wanted = typed(form);
    const now = held(connection.confirmed);
    const changed = Object.fromEntries(FIELDS.filter((name) => wanted[name] !== now[name]).map((name) => [name, wanted[name]]));
    if (!Object.keys(changed).length) {
      note.textContent = t("console.details_unchanged");
      editing = false;
      return;
    }
    const ack = await connection.send("describe_workshop", changed);
    if (ack?.ok) {
      editing = false;
      note.textContent = t("console.details_saved");
      fill();
    } else {
      note.textContent = t("console.details_refused", { reason: ack?.message ?? "" });
    }
  });
  connection.addEventListener("change", fill);
  fill();
  $("template-save").addEventListener("click", saveTemplate);
}

/** Save the workshop's preparation as a template on the desk (POST /f/<token>/template). */
async function saveTemplate() {
  const note = $("template-note");
  const button = $("template-save");
  button.disabled = true;
  try {
    const response = await fetch(`${location.pathname}/template`, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: "{}",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.ok) throw new Error(answer.message || String(response.status));
    note.textContent = t("console.template_saved", { name: answer.name });
  } catch (error) {
    note.textContent = t("console.template_failed", { reason: error.message });
  } finally {
    button.disabled = false;
  }
}
