// The console's personal-data section (RGPD): forget a participant at their request (their name
// becomes "Anonyme N" everywhere, history included; their cards kept or deleted, as chosen), and
// delete the whole workshop with every name, link, text and its history. Each asks first.
import { chooseAction, confirmAction } from "./confirm.js";
import { t } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
let connection = null;

/** Keep the list of people who may be forgotten in step with the board (the choice is kept). */
export function renderPrivacy(view) {
  const select = $("forget-person");
  const people = [...view.participants.values()].filter((p) => p.role === "participant")
    .sort((a, b) => a.name.localeCompare(b.name));
  const entries = [["", t("console.forget_pick")], ...people.map((p) => [p.id, p.name])];
  const drawn = JSON.stringify(entries);
  if (select.dataset.drawn === drawn) return;
  const chosen = select.value;
  select.replaceChildren(...entries.map(([value, text]) => el("option", { value, text })));
  select.dataset.drawn = drawn;
  if (people.some((p) => p.id === chosen)) select.value = chosen;
}

/** The label the server will give: the first "Anonyme N" nobody has (as privacy.free_label). */
function nextLabel(view) {
  const key = (name) => name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  const taken = new Set([...view.participants.values()].filter((p) => p.role !== "projector").map((p) => key(p.name)));
  let number = 1;
  while (taken.has(key(`Anonyme ${number}`))) number += 1;
  return `Anonyme ${number}`;
}

async function forget(event) {
  event.preventDefault();
  const view = connection.confirmed;
  const person = view.participants.get($("forget-person").value);
  if (!person) return;
  const label = nextLabel(view);
  const count = [...view.cards.values()].filter((card) => card.author === person.id).length;
  const texts = await chooseAction({
    title: t("console.forget_title", { name: person.name }),
    message: t("console.forget_message", { name: person.name, label, count }),
    choices: [
      { value: "keep", label: t("console.forget_keep"), className: "primary" },
      { value: "remove", label: t("console.forget_remove"), className: "danger" },
    ],
  });
  if (!texts) return;
  const ack = await connection.send("forget_participant", { participant_id: person.id, texts });
  if (ack?.ok) {
    const now = connection.confirmed.participants.get(person.id)?.name ?? label;
    // The note names the label only: the forgotten name must not stay on this screen either.
    $("forget-note").textContent = t("console.forget_done", { label: now });
    $("forget-person").value = "";
  }
}

async function deleteWorkshop() {
  const view = connection.confirmed;
  const count = [...view.participants.values()].filter((p) => p.role === "participant").length;
  const sure = await confirmAction({ title: t("console.delete_title"), message: t("console.delete_message", { count }),
    confirm: t("console.delete_confirm"), danger: true });
  if (!sure) return;
  const note = $("delete-note");
  try {
    const response = await fetch(`${location.pathname}/delete`, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ delete: true }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.ok) throw new Error(answer.message || String(response.status));
  } catch (error) {
    note.textContent = t("console.delete_failed", { reason: error.message });
    note.hidden = false;
    return;
  }
  showDeleted();
}

/** The console once its workshop is gone: one message and the way to create another, nothing else. */
function showDeleted() {
  connection.socket.io.reconnection(false);
  connection.setStatus("closed"); // as the server's `closed` would, if it has not come yet
  connection.socket.disconnect();
  const notice = el("section", { class: "workshop-deleted", role: "status" },
    el("p", { text: t("console.deleted") }),
    el("a", { href: "/animer", class: "button", text: t("console.deleted_new") }));
  document.querySelector("main").replaceWith(notice);
  document.querySelector(".topbar .tools")?.remove();
  document.getElementById("banner").hidden = true;
  notice.querySelector("a").focus();
}

/** Wire the section to the console's Connection. */
export function bindPrivacy(conn) {
  connection = conn;
  $("forget-form").addEventListener("submit", forget);
  $("delete-workshop").addEventListener("click", deleteWorkshop);
}
