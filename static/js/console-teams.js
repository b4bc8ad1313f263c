// The console's teams and participants: rename, recolour, re-domain or delete a team in place;
// create one; share those present out (asking first when some are already in a team); put someone
// in a team; merge an offline duplicate into the person who stays, or remove them.
// Rows are kept by id and updated in place, so a field being typed in is never redrawn under the cursor.
import { chooseAction, confirmAction } from "./confirm.js";
import { label, t } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const teamRows = new Map(); // team id -> {item, name, colour, domain, count, remove, reason}
const personRows = new Map(); // participant id -> {item, name, presence, team, fix, merge, mergeButton, removeButton}

/** Draw the teams panel and the participants panel from `view`; `online` lists who is connected. */
export function renderTeamsPanel(view, online) {
  renderTeamList(view);
  renderPeople(view, new Set(online.map((p) => p.id)));
}

// -- teams -------------------------------------------------------------------

function renderTeamList(view) {
  const list = $("team-list");
  const domains = [["", t("console.no_domain")], ...view.format.panorama.rows.map((row) => [row.id, label(row.short || row.label)])];
  const teams = [...view.teams.values()];
  teams.forEach((team, index) => {
    let row = teamRows.get(team.id);
    if (!row) {
      row = teamRow(team.id, domains);
      teamRows.set(team.id, row);
    }
    const members = [...view.participants.values()].filter((p) => p.team === team.id).length;
    const cards = [...view.cards.values()].filter((c) => c.team === team.id).length;
    setUnlessEditing(row.name, team.name);
    setUnlessEditing(row.colour, team.colour);
    setUnlessEditing(row.domain, team.domain || "");
    row.name.setAttribute("aria-label", t("console.team_name_of", { name: team.name }));
    row.colour.setAttribute("aria-label", t("console.team_colour_of", { name: team.name }));
    row.domain.setAttribute("aria-label", t("console.team_domain_of", { name: team.name }));
    row.count.textContent = t("console.team_members", { count: members });
    row.remove.setAttribute("aria-label", t("console.team_delete_named", { name: team.name }));
    // Only an empty team can go (TEAM15). The ✕ stays focusable and clickable (aria-disabled, not
    // disabled), so that a click, a tap or Enter shows why in words under the team, not only on hover.
    const blocked = members > 0 || cards > 0;
    const why = blocked ? t("console.team_delete_why", { name: team.name, members, cards }) : "";
    row.remove.setAttribute("aria-disabled", String(blocked));
    row.remove.title = why;
    if (row.reason.textContent !== why) row.reason.textContent = why;
    if (!blocked) row.reason.hidden = true;
    row.item.dataset.team = team.id;
    row.item.style.setProperty("--team-colour", team.colour);
    if (list.children[index] !== row.item) list.insertBefore(row.item, list.children[index] || null);
  });
  for (const [id, row] of teamRows) {
    if (!view.teams.has(id)) {
      row.item.remove();
      teamRows.delete(id);
    }
  }
}

function teamRow(teamId, domains) {
  const name = el("input", { class: "team-name-input", maxlength: "60", required: true });
  const colour = el("input", { class: "team-colour-input", type: "color" });
  const domain = el("select", { class: "team-domain-select" }, ...domains.map(([value, text]) => el("option", { value, text })));
  const count = el("span", { class: "presence team-count" });
  // A small square button, so the name and the domain keep the width (its name is said in full).
  const remove = el("button", { type: "button", class: "team-delete", text: "✕" });
  const reason = el("p", { class: "team-delete-reason", id: `team-delete-reason-${teamId}`, hidden: true });
  remove.setAttribute("aria-describedby", reason.id);
  // In the order the eye reads the row (colour, name, count, then domain and ✕): Tab follows it.
  const item = el("li", {}, colour, name, count, domain, remove, reason);
  const change = (data) => connection.send("set_team", { team_id: teamId, ...data });
  name.addEventListener("change", () => {
    const value = name.value.trim();
    const team = connection.confirmed.teams.get(teamId);
    if (value && team && value !== team.name) change({ name: value });
    else if (team) name.value = team.name;
  });
  colour.addEventListener("change", () => change({ colour: colour.value }));
  domain.addEventListener("change", () => change({ domain: domain.value }));
  remove.addEventListener("click", async () => {
    const team = connection.confirmed.teams.get(teamId);
    if (!team) return;
    if (remove.getAttribute("aria-disabled") === "true") {
      reason.hidden = false; // said in words where the eye is; nothing is deleted
      return;
    }
    const sure = await confirmAction({ title: t("console.team_delete_title", { name: team.name }),
      message: t("console.team_delete_message"), confirm: t("console.team_delete"), danger: true });
    if (sure) connection.send("delete_team", { team_id: teamId });
  });
  return { item, name, colour, domain, count, remove, reason };
}

// -- participants ------------------------------------------------------------

function renderPeople(view, online) {
  const list = $("participant-list");
  const people = [...view.participants.values()].filter((p) => p.role === "participant");
  $("participant-count").textContent = String(people.length);
  const teamOptions = [["", t("people.no_team")], ...[...view.teams.values()].map((team) => [team.id, team.name])];
  people.forEach((person, index) => {
    let row = personRows.get(person.id);
    if (!row) {
      row = personRow(person.id);
      personRows.set(person.id, row);
    }
    row.name.textContent = person.name;
    const status = online.has(person.id) ? "online" : "offline";
    row.presence.className = `presence ${status}`;
    row.presence.textContent = t(`console.${status}`);
    row.item.dataset.person = person.id;
    row.item.dataset.presence = status;
    keepOptions(row.team, teamOptions, person.team || "");
    row.team.setAttribute("aria-label", t("console.assign", { name: person.name }));
    // Only someone offline is offered for merging or removal: a duplicate left on another device.
    row.fix.hidden = status === "online";
    if (row.fix.hidden) keepOptions(row.merge, [], null); // no stale names kept out of sight (a forgotten one)
    if (!row.fix.hidden) {
      const likeness = likenessTo(person.name);
      const others = people.filter((p) => p.id !== person.id).sort((a, b) => likeness(a) - likeness(b) || a.name.localeCompare(b.name));
      keepOptions(row.merge, [["", t("console.merge_pick")], ...others.map((p) => [p.id, p.name])], null);
      // The likely original is chosen already; anyone else is one pick away.
      if (!row.merge.value && document.activeElement !== row.merge && others[0] && likeness(others[0]) < 2) row.merge.value = others[0].id;
      row.mergeLabel.textContent = t("console.merge_into", { name: person.name });
      row.mergeButton.setAttribute("aria-label", t("console.merge_named", { name: person.name }));
      row.mergeButton.disabled = !row.merge.value;
      row.removeButton.setAttribute("aria-label", t("console.remove_named", { name: person.name }));
    }
    if (list.children[index] !== row.item) list.insertBefore(row.item, list.children[index] || null);
  });
  for (const [id, row] of personRows) {
    if (!view.participants.has(id)) {
      row.item.remove();
      personRows.delete(id);
    }
  }
}

function personRow(personId) {
  const name = el("strong");
  const presence = el("span", { class: "presence" });
  const team = el("select");
  team.addEventListener("change", () => connection.send("join_team", { team_id: team.value || null, participant_id: personId }));
  const merge = el("select", { class: "merge-into" });
  const mergeLabel = el("span");
  const mergeButton = el("button", { type: "button", class: "merge", text: t("console.merge") });
  const removeButton = el("button", { type: "button", class: "remove danger", text: t("console.remove") });
  merge.addEventListener("change", () => { mergeButton.disabled = !merge.value; });
  // Folded by default: one line per person, the rare repair one click away.
  const fix = el("details", { class: "person-fix", hidden: true }, el("summary", { text: t("console.fix_person") }),
    el("div", { class: "person-fix-body" }, el("label", {}, mergeLabel, merge), mergeButton, removeButton));
  const item = el("li", { class: "person" }, el("span", {}, name, " ", presence), team, fix);
  const nameOf = (id) => connection.confirmed.participants.get(id)?.name ?? "";
  mergeButton.addEventListener("click", async () => {
    const into = merge.value;
    if (!into) return;
    const names = { name: nameOf(personId), into: nameOf(into) };
    const sure = await confirmAction({ title: t("console.merge_title", names), message: t("console.merge_message", names),
      confirm: t("console.merge"), danger: true });
    if (sure) connection.send("remove_participant", { participant_id: personId, merge_into: into });
  });
  removeButton.addEventListener("click", async () => {
    const names = { name: nameOf(personId) };
    const sure = await confirmAction({ title: t("console.remove_title", names), message: t("console.remove_message", names),
      confirm: t("console.remove"), danger: true });
    if (sure) connection.send("remove_participant", { participant_id: personId });
  });
  return { item, name, presence, team, fix, merge, mergeLabel, mergeButton, removeButton };
}

/** How likely someone is the original of a duplicate named `name`: 0 the same name once a trailing
 *  number, case and accents are set aside ("Bruno 2"), 1 the same first name ("Bruno G."), 2 anyone else. */
function likenessTo(name) {
  const key = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s*\d+$/, "").trim();
  const first = (text) => key(text).split(/\s+/)[0];
  return (person) => (key(person.name) === key(name) ? 0 : first(person.name) === first(name) ? 1 : 2);
}

// -- small helpers -----------------------------------------------------------

function setUnlessEditing(input, value) {
  if (document.activeElement !== input && input.value !== value) input.value = value;
}

/** Options rebuilt only when they change; `value` applied unless the person is choosing (null keeps the choice). */
function keepOptions(select, entries, value) {
  const drawn = JSON.stringify(entries);
  if (select.dataset.drawn !== drawn) {
    const chosen = select.value;
    select.replaceChildren(...entries.map(([v, text]) => el("option", { value: v, text })));
    select.dataset.drawn = drawn;
    if (entries.some(([v]) => v === chosen)) select.value = chosen;
  }
  if (value !== null && document.activeElement !== select) select.value = value;
}

// -- wiring ------------------------------------------------------------------

let connection = null;

/** Wire the panel's forms to `conn` (the console's Connection). */
export function bindTeamsPanel(conn) {
  connection = conn;
  $("team-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    connection.send("create_team", { name: form.elements.name.value.trim(), colour: form.elements.colour.value,
      domain: form.elements.domain.value || null });
    form.reset();
  });
  $("split-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const count = Number(event.target.elements.count.value);
    const view = connection.confirmed;
    const present = connection.online.filter((p) => p.role === "participant" && view.participants.has(p.id)).map((p) => p.id);
    $("split-note").textContent = present.length ? "" : t("console.split_nobody");
    if (!present.length) return;
    const chosen = present.filter((id) => view.participants.get(id).team).length;
    const free = present.length - chosen;
    let everyone = false;
    if (chosen) { // some are in a team already: never override them without asking (TEAM12)
      const numbers = { count, chosen, free, present: present.length };
      const choices = [{ value: "everyone", label: t("console.split_everyone", numbers) }];
      if (free) choices.unshift({ value: "free", label: t("console.split_only_free", numbers), className: "primary" });
      const answer = await chooseAction({ title: t("console.split_title", numbers), message: t("console.split_message", numbers), choices });
      if (!answer) return;
      everyone = answer === "everyone";
    }
    // The server deals whoever is connected when it receives this: one small command for any room (TEAM20).
    connection.send("split_teams", { count, present: true, everyone });
  });
}
