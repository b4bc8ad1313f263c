// The facilitator's console: join code and QR code, the sequence with buttons to move on or back,
// teams and who is in them, who is online, and whether the projector shows the join code.
import { Connection } from "./connection.js";
import { bindProjectorControls, renderProjectorControls } from "./console-projector.js";
import { bindTeamsPanel, renderTeamsPanel } from "./console-teams.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { el } from "./render.js";
import { nextTeamColour } from "./teams.js";

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
  renderTeamsPanel(view, connection.online);
  suggestTeamColour(view);
  renderOptions(view);
  renderVote(view);
  renderProjectorControls(view);
}

function renderDomains(view) {
  keepOptions($("team-domain"), [["", t("console.no_domain")],
    ...view.format.panorama.rows.map((row) => [row.id, label(row.short || row.label)])]);
}

function renderOptions(view) {
  renderDomains(view);
  $("team-choice").checked = view.options.team_choice;
  $("private-cards").checked = view.options.private_cards;
  $("reveal-cards").disabled = ![...view.cards.values()].some((c) => c.private);
}

function renderVote(view) {
  const vote = view.vote;
  $("vote-status").textContent = t(vote.status === "open" ? "console.vote_open_status" : `console.vote_${vote.status}`) + (vote.revealed ? ` — ${t("console.vote_revealed")}` : "");
  for (const [id, value] of [["vote-mode", vote.mode], ["vote-budget-input", vote.budget], ["vote-per-card", vote.per_card]]) {
    if (document.activeElement !== $(id)) $(id).value = String(value);
  }
  $("vote-facilitator").checked = vote.facilitator_votes;
  $("vote-anonymous").checked = vote.anonymous;
  const settled = vote.status !== "idle";
  for (const id of ["vote-mode", "vote-per-card", "vote-facilitator", "vote-anonymous"]) $(id).disabled = settled;
  $("vote-budget-input").disabled = vote.status === "closed";
  $("vote-open").disabled = vote.status !== "idle";
  $("vote-close").disabled = vote.status !== "open";
  $("vote-reveal").disabled = vote.status !== "closed" || vote.revealed;
  const progress = vote.anonymous ? vote.progress : progressOf(view);
  if (progress && vote.status !== "idle") {
    // Names only when the vote is not anonymous, whatever an older message said.
    const still = vote.anonymous ? [] : progress.still;
    const names = still.map((id) => (vote.mode === "team" ? view.teams.get(id) : view.participants.get(id))?.name ?? id);
    $("vote-progress").textContent = t("console.vote_progress", { still: progress.still_voting, voters: progress.voters })
      + (names.length ? ` ${names.join(", ")}` : "");
  } else {
    $("vote-progress").textContent = "";
  }
  renderProxy(view);
  renderResults(view);
}

/** Who still has dots to place, from every dot the facilitator sees (as vote.py's progress). */
function progressOf(view) {
  const vote = view.vote;
  const voters = vote.mode === "team" ? [...view.teams.keys()]
    : [...view.participants.values()].filter((p) => p.role === "participant" || (p.role === "facilitator" && vote.facilitator_votes)).map((p) => p.id);
  const used = (voter) => Object.values(vote.dots[voter] || {}).reduce((a, b) => a + b, 0);
  const still = voters.filter((voter) => used(voter) < vote.budget);
  return { voters: voters.length, still_voting: still.length, still };
}

function renderProxy(view) {
  const voters = view.vote.mode === "team" ? [...view.teams.values()]
    : [...view.participants.values()].filter((p) => p.role === "participant");
  keepOptions($("proxy-voter"), voters.map((v) => [v.id, v.name]));
  const cards = [...view.cards.values()].filter((c) => c.zone !== "deck" && !c.hidden);
  keepOptions($("proxy-card"), cards.map((c) => [c.id, c.text]));
  $("proxy-form").hidden = view.vote.status !== "open";
}

function keepOptions(select, entries) {
  const chosen = select.value;
  select.replaceChildren(...entries.map(([value, text]) => el("option", { value, text })));
  if (entries.some(([value]) => value === chosen)) select.value = chosen;
}

function renderResults(view) {
  const results = view.vote.results;
  $("console-results").replaceChildren(...(results ? results.overall.slice(0, 10).map((entry) => el("li", {
    text: `${t("results.badge", { rank: entry.rank, dots: entry.dots })} ${view.cards.get(entry.card_id)?.text ?? ""}`,
  })) : []));
}

$("sequence-previous").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence - 1 }));
$("sequence-next").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence + 1 }));
bindProjectorControls(connection);
$("toggle-join").addEventListener("click", () => connection.send("set_projector", { show_join: !connection.confirmed.display.show_join }));
$("team-choice").addEventListener("change", (e) => connection.send("configure", { team_choice: e.target.checked }));
$("private-cards").addEventListener("change", (e) => connection.send("configure", { private_cards: e.target.checked }));
$("reveal-cards").addEventListener("click", () => connection.send("reveal_cards", {}));
const voteSetting = (id, key, read) => $(id).addEventListener("change", () => {
  const value = read($(id));
  if (value !== connection.confirmed.vote[key]) connection.send("configure_vote", { [key]: value });
});
voteSetting("vote-mode", "mode", (input) => input.value);
voteSetting("vote-budget-input", "budget", (input) => Number(input.value));
voteSetting("vote-per-card", "per_card", (input) => Number(input.value));
voteSetting("vote-facilitator", "facilitator_votes", (input) => input.checked);
voteSetting("vote-anonymous", "anonymous", (input) => input.checked);
$("vote-open").addEventListener("click", () => connection.send("open_vote", {}));
$("vote-close").addEventListener("click", () => connection.send("close_vote", {}));
$("vote-reveal").addEventListener("click", () => connection.send("reveal_results", {}));
const proxy = (delta) => connection.send("vote", { card_id: $("proxy-card").value, delta, voter: $("proxy-voter").value });
$("proxy-form").addEventListener("submit", (event) => {
  event.preventDefault();
  proxy(1);
});
$("proxy-less").addEventListener("click", () => proxy(-1));
$("export-link").href = `${location.pathname}/export.csv`;
bindTeamsPanel(connection);
/** The colour input offers the next default colour (distinct from the teams' so far) until changed. */
function suggestTeamColour(view) {
  const input = $("team-form").elements.colour;
  if (!input.dataset.chosen) input.value = nextTeamColour(view);
}
$("team-form").elements.colour.addEventListener("input", (event) => { event.target.dataset.chosen = "yes"; });
$("team-form").addEventListener("reset", () => { delete $("team-form").elements.colour.dataset.chosen; });

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
