// The console's progress panel: at a glance, per team the deck cards it placed on the board, the cards
// its members wrote, the dots they used and whether it is done; under each team its members with
// their dots, done and whether they are connected. Everything is counted here from the board the
// console already holds (cards, vote, done, presence): nothing new is asked of the server.
import { doneSummary, doneUnit } from "./done.js";
import { t } from "./i18n.js";
import { el } from "./render.js";
import { Countdown } from "./timer.js";

/**
 * Whether names are hidden in the current sequence. Anonymity is set per sequence (issue 11); the
 * board state holds it as the list of anonymous sequence indexes (`anonymous`) or as a map by index
 * (`anonymity`), both read here. Where the state has neither, names show (the facilitator may see them).
 */
export function namesHidden(view) {
  return Boolean(view.anonymous?.includes?.(view.sequence) || view.anonymity?.[view.sequence]);
}

/**
 * The figures the panel shows, from `view` (a BoardState) and `onlineIds` (a Set of connected ids):
 * {teams: [{id, name, colour, placed, written, dots, budget, done, membersDone, people}], loose: [people],
 *  showDots, dotsHidden, unit, online, total}. A person is {id, label, team, dots, done, online}.
 */
export function progressOf(view, onlineIds) {
  const vote = view.vote;
  const unit = doneUnit(view);
  const hidden = namesHidden(view);
  // Dots count once a vote has begun; an anonymous vote gives the console counts, not who (vote.py).
  const showDots = vote.status !== "idle";
  const dotsHidden = showDots && Boolean(vote.anonymous);
  const used = (voter) => Object.values(vote.dots?.[voter] || {}).reduce((sum, n) => sum + n, 0);
  const everyone = [...view.participants.values()].filter((p) => p.role === "participant");
  const people = everyone.map((p, index) => ({
    id: p.id,
    // Join order numbers the people, so a neutral label says nothing of the name.
    label: hidden ? t("console.progress_anonymous_person", { number: index + 1 }) : p.name,
    team: p.team && view.teams.has(p.team) ? p.team : null,
    dots: showDots && !dotsHidden && vote.mode !== "team" ? used(p.id) : null,
    done: unit === "participant" && p.id in view.done,
    online: onlineIds.has(p.id),
  }));
  if (!hidden) people.sort((a, b) => a.label.localeCompare(b.label, "fr", { sensitivity: "base" }));
  const cards = [...view.cards.values()].filter((c) => !c.parent); // notes are not cards written (NOTE2)
  const onBoard = (card) => view.zones.get(card.zone)?.kind !== "deck";
  const teams = [...view.teams.values()].map((team) => {
    const members = people.filter((p) => p.team === team.id);
    const teamDots = vote.mode === "team" ? used(team.id) : members.reduce((sum, p) => sum + (p.dots ?? 0), 0);
    return {
      id: team.id, name: team.name, colour: team.colour,
      placed: cards.filter((c) => c.kind === "deck" && c.team === team.id && onBoard(c)).length,
      written: cards.filter((c) => c.kind !== "deck" && c.team === team.id).length,
      dots: showDots && !dotsHidden ? teamDots : null,
      budget: vote.mode === "team" ? vote.budget : vote.budget * members.length,
      done: unit === "team" ? team.id in view.done : null,
      membersDone: members.filter((p) => p.done).length,
      people: members,
    };
  });
  return { teams, loose: people.filter((p) => p.team === null), showDots, dotsHidden, unit, hidden,
    budget: vote.budget, online: people.filter((p) => p.online).length, total: people.length };
}

/** Build the panel before `before` (a section of the console) and keep it up to date from `connection`. */
export function bindProgress(connection, before) {
  const countdown = el("p", { id: "progress-timer", class: "progress-timer" });
  const summary = el("p", { id: "progress-summary", class: "progress-summary" });
  const body = el("div", { id: "progress-teams", class: "progress-teams" });
  const legend = el("p", { id: "progress-legend", class: "progress-legend" });
  const section = el("section", { class: "progress", id: "progress", "aria-labelledby": "progress-title" },
    el("div", { class: "progress-head" }, el("h2", { id: "progress-title", text: t("console.progress") }), countdown),
    summary, body, legend);
  before.before(section);
  new Countdown(countdown, connection); // the time left beside the figures: both read in one glance
  let drawn = "";
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const figures = progressOf(view, new Set(connection.online.map((p) => p.id)));
    const key = JSON.stringify([figures, doneSummary(view)]);
    if (key === drawn) return; // nothing changed: the rows stay as they are
    drawn = key;
    summary.textContent = [doneSummary(view), t("console.progress_online", { online: figures.online, total: figures.total })].join(" · ");
    body.replaceChildren(...figures.teams.map((team) => teamBlock(team, figures)),
      ...(figures.loose.length ? [teamBlock({ name: t("console.progress_no_team"), people: figures.loose }, figures)] : []));
    legend.textContent = [t("console.progress_legend_online"), t("console.progress_legend_offline"),
      figures.unit === "participant" ? t("console.progress_legend_done") : null,
      figures.showDots && !figures.dotsHidden ? t("console.progress_legend_dots") : null,
      figures.dotsHidden ? t("console.progress_dots_hidden") : null,
      figures.hidden ? t("console.progress_names_hidden") : null].filter(Boolean).join(" · ");
  };
  connection.addEventListener("change", render);
  connection.addEventListener("presence", render);
  render();
  return section;
}

function teamBlock(team, figures) {
  const facts = [];
  if (team.id) {
    facts.push(el("span", { class: "fact", "data-fact": "placed", text: t("console.progress_placed", { count: team.placed }) }));
    facts.push(el("span", { class: "fact", "data-fact": "written", text: t("console.progress_written", { count: team.written }) }));
    if (team.dots !== null) facts.push(el("span", { class: "fact", "data-fact": "dots", text: t("console.progress_team_dots", { used: team.dots, budget: team.budget }) }));
    if (team.done !== null) {
      facts.push(el("span", { class: `fact done-fact${team.done ? " is-done" : ""}`, "data-fact": "done",
        text: t(team.done ? "console.progress_team_done" : "console.progress_team_not_done") }));
    } else {
      const counts = { done: team.membersDone, total: team.people.length };
      facts.push(el("span", { class: "fact", "data-fact": "done", title: t("console.progress_members_done_long", counts),
        "aria-label": t("console.progress_members_done_long", counts), text: t("console.progress_members_done", counts) }));
    }
  }
  const head = el("div", { class: "progress-team-head" },
    el("span", { class: "swatch", "aria-hidden": "true" }), el("strong", { class: "progress-team-name", text: team.name }), ...facts);
  const people = el("ul", { class: "progress-people" }, ...team.people.map((person) => personRow(person, figures)));
  const block = el("div", { class: "progress-team", "data-team": team.id || "" }, head, people);
  if (team.colour) block.style.setProperty("--team-colour", team.colour);
  else head.querySelector(".swatch").remove();
  return block;
}

function personRow(person, figures) {
  const presence = person.online ? "online" : "offline";
  const words = [person.label, t(`console.${presence}`), person.done ? t("console.progress_legend_done") : null,
    person.dots !== null ? t("console.progress_dots_of", { used: person.dots, budget: figures.budget }) : null].filter(Boolean);
  return el("li", { class: `progress-person ${presence}${person.done ? " done" : ""}`, "data-person": person.id,
    "data-presence": presence, "data-done": String(person.done), title: words.join(" · "), "aria-label": words.join(", ") },
  el("span", { class: "presence-mark", "aria-hidden": "true", text: person.online ? "●" : "○" }),
  el("span", { class: "person-name", text: person.label }),
  el("span", { class: "done-mark", "aria-hidden": "true", text: person.done ? "✓" : "" }),
  person.dots !== null ? el("span", { class: "person-dots", "aria-hidden": "true", text: `${person.dots}/${figures.budget}` }) : null);
}
