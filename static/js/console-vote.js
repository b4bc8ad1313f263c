// The console's vote panel: settings, the one action that fits the vote's state, who still votes,
// proxy dots and the results. A control shows only where it can act: the vote opens (and reopens)
// only in a sequence whose format `allows` the vote, which is the server's rule too (VOTE19).
import { confirmAction } from "./confirm.js";
import { hiddenCount } from "./console-private.js";
import { label, t } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const VOTE = "vote";
// The control to give the focus to once the vote's next state shows: the button just pressed hides.
let focusNext = null;

/** The number (from 1) and sequence where the format puts the vote, or null when it has none. */
export function votingSequence(view) {
  const index = view.format.sequences.findIndex((s) => s.allows.includes(VOTE));
  return index < 0 ? null : { number: index + 1, name: label(view.format.sequences[index].name) };
}

/** A refusal of a vote command said in words, or null to use the generic message. */
export function voteRefusal(detail, view) {
  if (["open_vote", "reopen_vote"].includes(detail.type) && detail.code === "sequence_closed") {
    const where = votingSequence(view);
    return where ? t("console.vote_refused_sequence", where) : t("console.vote_nowhere");
  }
  // A card written in private mode between the reveal of the cards and the results (VOTE21).
  const hidden = hiddenCount(view);
  if (detail.type === "reveal_results" && detail.code === "conflict" && hidden > 0) {
    return t("console.vote_hidden_warning", { count: hidden });
  }
  return null;
}

/** Draw the panel from the facilitator's view of the board. */
export function renderVote(view) {
  const vote = view.vote;
  const here = view.currentSequence.allows.includes(VOTE);
  const where = votingSequence(view);
  setText($("vote-status"), t(vote.status === "open" ? "console.vote_open_status" : `console.vote_${vote.status}`)
    + (vote.revealed ? ` — ${t("console.vote_revealed")}` : ""));
  // Outside the vote's sequence, the panel says where the vote opens (or reopens, or where participants
  // may vote while it is open: SEQ2 gates their dots too) and offers the settings only.
  const elsewhere = where && !here ? {
    idle: t("console.vote_where", where),
    open: t("console.vote_open_elsewhere", where),
    closed: vote.revealed ? "" : t("console.vote_where_reopen", where),
  }[vote.status] : "";
  const whereText = !where && vote.status === "idle" ? t("console.vote_nowhere") : elsewhere;
  show($("vote-where"), Boolean(whereText), whereText);
  show($("vote-open"), vote.status === "idle" && here);
  show($("vote-close"), vote.status === "open");
  show($("vote-reopen"), vote.status === "closed" && !vote.revealed && here);
  show($("vote-reveal"), vote.status === "closed" && !vote.revealed);
  const hidden = hiddenCount(view);
  show($("vote-hidden-warning"), hidden > 0 && vote.status !== "idle" && !vote.revealed,
    t("console.vote_hidden_warning", { count: hidden }));
  renderSettings(vote);
  renderProgress(view);
  renderProxy(view);
  renderResults(view);
  if (focusNext && !$(focusNext).hidden) {
    $(focusNext).focus();
    focusNext = null;
  }
}

let settingsShownFor = null; // the vote status the settings' fold was last set for

function renderSettings(vote) {
  // Open to set the vote up; folded once it runs (only the budget may change then), unless reopened by hand.
  if (settingsShownFor !== vote.status) {
    settingsShownFor = vote.status;
    $("vote-settings").open = vote.status === "idle";
    // Idle, one sets the vote up and then opens it: the settings come first, the Open button under
    // them. Once it runs, the action of the moment comes first and the folded settings after.
    const settings = $("vote-settings");
    if (vote.status === "idle") $("vote-actions").before(settings);
    else $("proxy-form").after(settings);
  }
  setText($("vote-settings-summary"), t("console.vote_settings_summary", { budget: vote.budget, per_card: vote.per_card }));
  for (const [id, value] of [["vote-mode", vote.mode], ["vote-budget-input", vote.budget], ["vote-per-card", vote.per_card]]) {
    if (document.activeElement !== $(id) && $(id).value !== String(value)) $(id).value = String(value);
  }
  $("vote-facilitator").checked = vote.facilitator_votes;
  $("vote-anonymous").checked = vote.anonymous;
  const settled = vote.status !== "idle";
  for (const id of ["vote-mode", "vote-per-card", "vote-facilitator", "vote-anonymous"]) $(id).disabled = settled;
  $("vote-budget-input").disabled = vote.status === "closed"; // while open, the budget may still grow
}

/**
 * Who still votes. The status line is live (role=status): it changes only when its text does, and
 * says counts only; the names are in a separate line that is not read out at every dot.
 */
function renderProgress(view) {
  const vote = view.vote;
  const progress = vote.anonymous ? vote.progress : progressOf(view);
  if (!progress || vote.status === "idle") {
    setText($("vote-progress"), "");
    show($("vote-still"), false);
    return;
  }
  // After the close the dots are frozen, and so is what the line says: who placed all of theirs.
  const done = progress.voters - progress.still_voting;
  setText($("vote-progress"), vote.status === "open"
    ? t("console.vote_progress", { still: progress.still_voting, voters: progress.voters })
    : t("console.vote_progress_closed", { done, voters: progress.voters }));
  // Names only when the vote is not anonymous, and only until the results are out.
  const still = vote.anonymous || vote.revealed ? [] : progress.still;
  const names = still.map((id) => (vote.mode === "team" ? view.teams.get(id) : view.participants.get(id))?.name ?? id);
  show($("vote-still"), names.length > 0);
  setText($("vote-still-label"), t(vote.status === "open" ? "console.vote_still_open" : "console.vote_still_closed"));
  setText($("vote-still-names"), names.join(", "));
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
  const open = view.vote.status === "open";
  show($("proxy-form"), open);
  if (!open) return;
  const voters = view.vote.mode === "team" ? [...view.teams.values()]
    : [...view.participants.values()].filter((p) => p.role === "participant");
  keepOptions($("proxy-voter"), voters.map((v) => [v.id, v.name]));
  const cards = [...view.cards.values()].filter((c) => c.zone !== "deck" && !c.hidden && !c.parent); // no dot on a note
  keepOptions($("proxy-card"), cards.map((c) => [c.id, c.text]));
}

/** Options of a select, redrawn only when they change, so an open list is not closed under the cursor. */
export function keepOptions(select, entries) {
  const key = JSON.stringify(entries);
  if (select.dataset.options === key) return;
  select.dataset.options = key;
  const chosen = select.value;
  select.replaceChildren(...entries.map(([value, text]) => el("option", { value, text })));
  if (entries.some(([value]) => value === chosen)) select.value = chosen;
}

/** One rank a line: the rank (shared by ties), the card's text, its dots. */
function renderResults(view) {
  const results = view.vote.results;
  show($("console-results-title"), Boolean(results));
  const entries = results ? results.overall.slice(0, 10) : [];
  const key = JSON.stringify(entries);
  if ($("console-results").dataset.shown === key) return;
  $("console-results").dataset.shown = key;
  if (results && !entries.length) return $("console-results").replaceChildren(el("li", { class: "none", text: t("console.results_none") }));
  $("console-results").replaceChildren(...entries.map((entry) => el("li", {},
    el("span", { class: "rank", text: t("console.results_rank", { rank: entry.rank }) }),
    el("span", { class: "text", text: view.cards.get(entry.card_id)?.text ?? "" }),
    // "12 ●" on screen, to leave the card's text room in a narrow column; "12 gommettes" read out.
    el("span", { class: "dots" }, el("span", { "aria-hidden": "true", text: t("console.results_dots", { dots: entry.dots }) }),
      el("span", { class: "visually-hidden", text: t("results.dots", { dots: entry.dots }) })))));
}

/** Wire the panel's controls to `connection`. */
export function bindVote(connection) {
  const setting = (id, key, read) => $(id).addEventListener("change", () => {
    const value = read($(id));
    if (value !== connection.confirmed.vote[key]) connection.send("configure_vote", { [key]: value });
  });
  setting("vote-mode", "mode", (input) => input.value);
  setting("vote-budget-input", "budget", (input) => Number(input.value));
  setting("vote-per-card", "per_card", (input) => Number(input.value));
  setting("vote-facilitator", "facilitator_votes", (input) => input.checked);
  setting("vote-anonymous", "anonymous", (input) => input.checked);
  $("vote-open").addEventListener("click", () => act(connection, "open_vote", "vote-close"));
  $("vote-reopen").addEventListener("click", () => act(connection, "reopen_vote", "vote-close"));
  $("vote-close").addEventListener("click", async () => {
    const view = connection.view();
    const progress = view.vote.anonymous ? view.vote.progress : progressOf(view);
    const closing = await confirmAction({
      title: t("console.vote_close_title"),
      message: t("console.vote_close_message", { still: progress?.still_voting ?? 0, voters: progress?.voters ?? 0 }),
      confirm: t("console.vote_close_confirm"),
    });
    if (closing) act(connection, "close_vote", "vote-reveal");
  });
  $("vote-reveal").addEventListener("click", async () => {
    // The server refuses results while cards are face down (VOTE21): offer to turn them over first.
    const hidden = hiddenCount(connection.view());
    if (hidden > 0) {
      const first = await confirmAction({
        title: t("console.reveal_first_title"),
        message: t("console.reveal_first_message", { count: hidden }),
        confirm: t("console.reveal_first_confirm"),
      });
      if (!first) return;
      const shown = await connection.send("reveal_cards", {});
      if (!shown.ok && shown.code !== "conflict") return; // conflict: someone revealed them meanwhile
    }
    act(connection, "reveal_results", "export-link");
  });
  const proxy = (delta) => connection.send("vote", { card_id: $("proxy-card").value, delta, voter: $("proxy-voter").value });
  $("proxy-form").addEventListener("submit", (event) => {
    event.preventDefault();
    proxy(1);
  });
  $("proxy-less").addEventListener("click", () => proxy(-1));
}

/** Send a vote action; once its result shows, the focus goes to `next` (the button pressed is gone). */
async function act(connection, type, next) {
  focusNext = next;
  const ack = await connection.send(type, {});
  if (!ack.ok) focusNext = null;
}

function show(node, visible, text) {
  if (text !== undefined && visible) setText(node, text);
  if (node.hidden === visible) node.hidden = !visible;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
