// The facilitator's console: join code and QR code, the sequence with buttons to move on or back,
// teams and who is in them, who is online, and whether the projector shows the join code.
import { bindLinkRotation } from "./console-links.js";
import { bindPrivateMode, renderPrivateMode } from "./console-private.js";
import { bindPrivacy, renderPrivacy } from "./console-privacy.js";
import { bindVote, keepOptions, renderVote, voteRefusal } from "./console-vote.js";
import { Connection } from "./connection.js";
import { bindProjectorControls, renderProjectorControls } from "./console-projector.js";
import { bindRoomControls, renderRoomControls } from "./console-room.js";
import { bindLockBanner } from "./lock-banner.js";
import { bindTeamsPanel, renderTeamsPanel } from "./console-teams.js";
import { bindConsoleTimer } from "./console-timer.js";
import { bindProgress } from "./console-progress.js";
import { renderViewAsLinks } from "./console-view-as.js";
import { bindConsoleAnonymity } from "./console-anonymity.js";
import { bindExports } from "./console-exports.js";
import { bindConsoleMaterial } from "./console-material.js";
import { bindGlossaryPanel } from "./glossary.js";
import { bindWorkshopDetails } from "./console-details.js";
import { bindConsoleDocuments } from "./console-documents.js";
import { bindPanoramaLabels, panoramaRefusal } from "./console-panorama.js";
import { bindDeckImport } from "./console-deck-import.js";
import { bindSynthesis } from "./console-synthesis.js";
import { bindChain } from "./console-chain.js";
import { bindGrouping } from "./console-grouping.js";
import { bindConsoleMatrix } from "./console-matrix.js";
import { bindConsoleEvaluation } from "./console-evaluation.js";
import { foldPanel } from "./console-fold.js";
import { bindLanguageSwitch, label, loadCatalogue, t } from "./i18n.js";
import { bindLinkClosed } from "./link-closed.js";
import { bindGone } from "./gone.js";
import { el } from "./render.js";
import { nextTeamColour } from "./teams.js";
import { showConsoleFormat } from "./format-areas.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
bindLanguageSwitch($("lang-switch"));
const connection = new Connection(token);

function render() {
  if (!connection.confirmed) return;
  const view = connection.view(); // with the facilitator's own changes still on their way

  $("workshop-name").textContent = view.details?.title || label(view.format.name);
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
  renderViewAsLinks(view);
  suggestTeamColour(view);
  renderOptions(view);
  renderVote(view);
  renderProjectorControls(view);
  renderPrivacy(view);
  renderRoomControls(view);
  showConsoleFormat(view);
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

$("sequence-previous").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence - 1 }));
$("sequence-next").addEventListener("click", () => connection.send("set_sequence", { index: connection.view().sequence + 1 }));
bindProjectorControls(connection);
bindRoomControls(connection);
bindLockBanner(connection);
$("toggle-join").addEventListener("click", () => connection.send("set_projector", { show_join: !connection.confirmed.display.show_join }));
$("team-choice").addEventListener("change", (e) => connection.send("configure", { team_choice: e.target.checked }));
bindPrivateMode(connection);
bindVote(connection);
bindConsoleTimer(connection, document.querySelector(".sequence-control")); // the timer and who is done
bindProgress(connection, document.querySelector(".console > .participants")); // per team and person, at a glance
bindConsoleAnonymity(connection, document.querySelector(".sequence-control")); // names withheld, per sequence
bindExports($("export-link"), $("export-xlsx-link")); // CSV and XLSX, in the console's language
bindConsoleMaterial(connection, document.querySelector(".console > .privacy")); // texts, quotes and links for participants
bindGlossaryPanel(connection, { toolbar: document.querySelector(".topbar .tools") }); // a campaign's shared language
bindWorkshopDetails(connection); // the workshop's name, date and place; the desk ("Mes ateliers")
bindConsoleDocuments(connection, document.querySelector(".console > .vote")); // the workshop and its template as files
bindChain(connection, document.querySelector(".console > .vote")); // chosen cards carried on into a new board
bindPanoramaLabels(connection, document.querySelector(".console > .participants")); // rename, add, remove rows and columns
bindTeamsPanel(connection);
bindLinkRotation($("rotate-links"), $("links-rotated"), (text) => {
  $("toast").textContent = text;
  $("toast").hidden = false;
});
bindPrivacy(connection);
bindDeckImport(connection); // the facilitator's own deck, previewed before it is imported
bindSynthesis(connection, document.querySelector(".console > .privacy")); // the published synthesis
bindGrouping(connection, document.querySelector(".console > .workshop-details")); // suggested families of a zone's cards
bindConsoleEvaluation(connection); // the participants' evaluation: answers counted, opened and closed (EVAL)
foldPreparationPanels();

/** Before and after the workshop: folded below the people, each with a line saying what it holds. */
function foldPreparationPanels() {
  const panel = (name) => document.querySelector(`.console > .${name}`);
  foldPanel(connection, panel("workshop-details"), {
    summary: (view) => [view.details.title, view.details.date, view.details.place].filter(Boolean).join(" · ") });
  foldPanel(connection, panel("documents"), { summary: () => t("console.fold_documents") });
  foldPanel(connection, panel("panorama-labels"), {
    summary: (view) => t("console.fold_labels", { rows: view.format.panorama.rows.length,
                                                 columns: view.format.panorama.columns.length }) });
  foldPanel(connection, panel("material-control"), {
    summary: ({ material }) => {
      if (!material.items.length) return t("console.fold_material_none");
      if (!material.sequences.length) return t("console.fold_material_hidden", { count: material.items.length });
      return t("console.fold_material", { count: material.items.length,
                                          list: material.sequences.map((index) => index + 1).join(", ") });
    } });
  // Carrying cards on into a new workshop is for after the results too: it opens with them.
  foldPanel(connection, panel("chain-control"), { summary: () => t("console.fold_chain"), opens: (view) => view.vote.revealed });
  // The synthesis's moment is the end of the vote: it opens by itself once the results are revealed.
  foldPanel(connection, panel("synthesis-control"), {
    summary: (view) => t(view.publication.published ? "console.fold_synthesis_published" : "console.fold_synthesis_unpublished"),
    opens: (view) => view.vote.revealed });
}
/** The colour input offers the next default colour (distinct from the teams' so far) until changed. */
function suggestTeamColour(view) {
  const input = $("team-form").elements.colour;
  if (!input.dataset.chosen) input.value = nextTeamColour(view);
}
$("team-form").elements.colour.addEventListener("input", (event) => { event.target.dataset.chosen = "yes"; });
$("team-form").addEventListener("reset", () => { delete $("team-form").elements.colour.dataset.chosen; });

connection.addEventListener("change", render);
bindConsoleMatrix(connection); // a format with axes only; its refusals go to the toast below
connection.addEventListener("presence", render);
connection.addEventListener("status", () => {
  $("banner").hidden = connection.status === "online";
  $("banner").textContent = connection.status === "refused" ? t("status.refused") : t("status.offline");
});
bindLinkClosed(connection, $("banner"));
bindGone(connection); // after the banner's own listener: a deleted workshop's reason stays in it
connection.addEventListener("rejected", ({ detail }) => {
  $("toast").textContent = voteRefusal(detail, connection.confirmed) ?? panoramaRefusal(detail, connection.confirmed)
    ?? t(`error.${detail.code}`, { sequence: label(connection.confirmed.currentSequence.name) });
  $("toast").hidden = false;
  setTimeout(() => { $("toast").hidden = true; }, 6000);
});
window.atelier = { connection };
