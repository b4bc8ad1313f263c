// The facilitator's console: join code and QR code, the sequence with buttons to move on or back,
// teams and who is in them, who is online, and whether the projector shows the join code.
import { Connection } from "./connection.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token);

function render() {
  const view = connection.confirmed;
  if (!view) return;
  $("workshop-name").textContent = label(view.format.name);
  const sequences = view.format.sequences;
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(view.currentSequence.name) });
  $("sequence-instruction").textContent = label(view.currentSequence.instruction);
  $("sequence-steps").replaceChildren(...sequences.map((s, i) => el("li", { "aria-current": i === view.sequence ? "step" : null, text: label(s.name) })));
  $("sequence-previous").disabled = view.sequence === 0;
  $("sequence-next").disabled = view.sequence === sequences.length - 1;
  const showing = view.display.show_join;
  $("toggle-join").textContent = t(showing ? "console.hide_join" : "console.show_join");
  $("toggle-join").setAttribute("aria-pressed", String(showing));
  renderTeams(view);
  renderParticipants(view);
}

function renderTeams(view) {
  $("team-list").replaceChildren(...[...view.teams.values()].map((team) => {
    const members = [...view.participants.values()].filter((p) => p.team === team.id).length;
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.setProperty("--team-colour", team.colour);
    return el("li", {}, el("span", {}, swatch, team.name), el("span", { class: "presence", text: t("console.team_members", { count: members }) }));
  }));
}

function renderParticipants(view) {
  const online = new Set(connection.online.map((p) => p.id));
  const people = [...view.participants.values()].filter((p) => p.role === "participant");
  $("participant-count").textContent = String(people.length);
  $("participant-list").replaceChildren(...people.map((person) => {
    const select = el("select", { "aria-label": t("console.assign", { name: person.name }) },
      el("option", { value: "", text: t("people.no_team") }),
      ...[...view.teams.values()].map((team) => el("option", { value: team.id, text: team.name })));
    select.value = person.team || "";
    select.addEventListener("change", () => connection.send("join_team", { team_id: select.value || null, participant_id: person.id }));
    const status = online.has(person.id) ? "online" : "offline";
    return el("li", {}, el("span", {}, el("strong", { text: person.name }), " ",
      el("span", { class: `presence ${status}`, text: t(`console.${status}`) })), select);
  }));
}

$("sequence-previous").addEventListener("click", () => connection.send("set_sequence", { index: connection.confirmed.sequence - 1 }));
$("sequence-next").addEventListener("click", () => connection.send("set_sequence", { index: connection.confirmed.sequence + 1 }));
$("toggle-join").addEventListener("click", () => connection.send("set_projector", { show_join: !connection.confirmed.display.show_join }));
$("team-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  connection.send("create_team", { name: form.elements.name.value.trim(), colour: form.elements.colour.value });
  form.reset();
});

connection.addEventListener("change", render);
connection.addEventListener("presence", render);
connection.addEventListener("status", () => {
  $("banner").hidden = connection.status === "online";
  $("banner").textContent = connection.status === "refused" ? t("status.refused") : t("status.offline");
});
connection.addEventListener("rejected", ({ detail }) => {
  $("toast").textContent = t(`error.${detail.code}`, { sequence: label(connection.confirmed.currentSequence.name) });
  $("toast").hidden = false;
  setTimeout(() => { $("toast").hidden = true; }, 6000);
});
window.atelier = { connection };
