// The facilitator's console: join code and QR code, the sequence with buttons to move on or back,
// teams and who is in them, who is online, and whether the projector shows the join code.
import { bindPrivateMode, renderPrivateMode } from "./console-private.js";
import { bindVote, keepOptions, renderVote, voteRefusal } from "./console-vote.js";
import { Connection } from "./connection.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token);

function render() {
  if (!connection.confirmed) return;
  const view = connection.view(); // with the facilitator's own changes still on their way

  $("workshop-name").textContent = label(view.format.name);
  const sequences = view.format.sequences;
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(view.currentSequence.name) });
  $("sequence-instruction").textContent = label(view.currentSequence.instruction);
  $("sequence-steps").replaceChildren(...sequences.map((s, i) => el("li", { "aria-current": i === view.sequence ? "step" : null, text: label(s.name) })));
  // One move at a time: a second click before the first is confirmed would skip a sequence.
  const moving = [...connection.pending.values()].some((entry) => entry.type === "set_sequence");
  $("sequence-previous").disabled = moving || view.sequence === 0;
  $("sequence-next").disabled = moving || view.sequence === sequences.length - 1;
  const showing = view.display.show_join;
  $("toggle-join").textContent = t(showing ? "console.hide_join" : "console.show_join");
  $("toggle-join").setAttribute("aria-pressed", String(showing));
  renderTeams(view);
  renderParticipants(view);
  renderOptions(view);
  renderVote(view);
}

function renderDomains(view) {
  keepOptions($("team-domain"), [["", t("console.no_domain")],
    ...view.format.panorama.rows.map((row) => [row.id, label(row.short || row.label)])]);
}

function renderOptions(view) {
  renderDomains(view);
  $("team-choice").checked = view.options.team_choice;
  renderPrivateMode(view);
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

$("sequence-previous").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence - 1 }));
$("sequence-next").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence + 1 }));
$("toggle-join").addEventListener("click", () => connection.send("set_projector", { show_join: !connection.confirmed.display.show_join }));
$("team-choice").addEventListener("change", (e) => connection.send("configure", { team_choice: e.target.checked }));
bindPrivateMode(connection);
$("split-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const present = connection.online.filter((p) => p.role === "participant").map((p) => p.id);
  connection.send("split_teams", { count: Number(event.target.elements.count.value), participant_ids: present });
});
bindVote(connection);
$("export-link").href = `${location.pathname}/export.csv`;
$("team-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  connection.send("create_team", { name: form.elements.name.value.trim(), colour: form.elements.colour.value,
    domain: form.elements.domain.value || null });
  form.reset();
});

connection.addEventListener("change", render);
connection.addEventListener("presence", render);
connection.addEventListener("status", () => {
  $("banner").hidden = connection.status === "online";
  $("banner").textContent = connection.status === "refused" ? t("status.refused") : t("status.offline");
});
connection.addEventListener("rejected", ({ detail }) => {
  $("toast").textContent = voteRefusal(detail, connection.confirmed)
    ?? t(`error.${detail.code}`, { sequence: label(connection.confirmed.currentSequence.name) });
  $("toast").hidden = false;
  setTimeout(() => { $("toast").hidden = true; }, 6000);
});
window.atelier = { connection };
