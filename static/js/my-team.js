// The participant's own team: the badge in the header (the team's name in its colour, and its working
// domain, or "no team yet") and the team picker. Both are drawn from the board each time it changes,
// so a split or a facilitator's move shows at once, in the picker too. Also: being removed by the facilitator.
import { label, t } from "./i18n.js";
import { forgetMember } from "./identity.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
let teamsDrawn = ""; // the team list the picker's options were built from

/** Redraw the header badge and the team picker from `view` (the board with my changes in flight). */
export function renderMyTeam(view, you) {
  const me = you ? view.participants.get(you.id) : null;
  const canChoose = renderPicker(view, me);
  renderBadge(view, me, canChoose);
}

function renderBadge(view, me, canChoose) {
  const badge = $("my-team-badge");
  badge.hidden = !me || me.role !== "participant";
  if (badge.hidden) return;
  const team = me.team ? view.teams.get(me.team) : null;
  const swatch = el("span", { class: `team-swatch${team ? "" : " none"}`, "aria-hidden": "true" });
  if (team) swatch.style.setProperty("--team-colour", team.colour);
  const name = el("strong", { class: "team-badge-name", text: team ? t("people.team_badge", { name: team.name }) : t("people.no_team_badge") });
  // Without a team: the "choose my team" button stands beside it when choosing is open; else who decides.
  const hint = canChoose && view.teams.size ? "" : t("people.no_team_hint");
  const detail = el("span", { class: "team-badge-domain", text: team ? domainText(view, team) : hint });
  detail.title = detail.textContent; // whole, when a long domain name is cut short
  badge.dataset.team = team ? team.id : "";
  badge.replaceChildren(swatch, name, detail);
}

function domainText(view, team) {
  const row = team.domain ? view.format.panorama.rows.find((r) => r.id === team.domain) : null;
  return row ? t("people.team_domain", { domain: label(row.short || row.label) }) : t("people.any_domain");
}

/** Participants pick their own team when the facilitator lets them; the picker always shows my team now.
 *  Returns whether I may choose my team at the moment. */
function renderPicker(view, me) {
  const box = $("my-team-box");
  box.hidden = !me || me.role !== "participant" || !view.options.team_choice || !view.allows("join_team", me.role);
  $("team-prompt").hidden = box.hidden || Boolean(me.team) || view.teams.size === 0;
  if (box.hidden) return false;
  const picker = $("my-team");
  const teams = [...view.teams.values()];
  const drawn = JSON.stringify(teams.map((team) => [team.id, team.name]));
  if (drawn !== teamsDrawn) { // rebuilt only when teams change: an open list is not closed under the finger
    picker.replaceChildren(el("option", { value: "", text: t("people.no_team") }),
      ...teams.map((team) => el("option", { value: team.id, text: team.name })));
    teamsDrawn = drawn;
  }
  // Even while it has the focus: after my own choice it still has it, and a split must show.
  picker.value = me.team || "";
  return true;
}

/** Wire the picker, and tell a removed participant why the board stopped. */
export function bindMyTeam(connection) {
  $("team-prompt").addEventListener("click", () => {
    $("people").hidden = false;
    $("people-toggle").setAttribute("aria-expanded", "true");
    $("my-team").focus();
  });
  $("my-team").addEventListener("change", (event) => connection.send("join_team", { team_id: event.target.value || null }));
  let removed = false;
  const showRemoved = () => {
    if (!removed) return;
    $("banner").hidden = false;
    $("banner").dataset.status = "removed";
    $("banner").textContent = t("people.removed");
    // The board under the banner is no longer this person's: greyed and inert (no click, no Tab stop),
    // so nothing there looks live or seems to accept a move that would never be sent.
    document.body.dataset.removed = "true";
    for (const part of document.querySelectorAll(".workspace, .topbar .tools, #shortcuts")) part.inert = true;
  };
  connection.addEventListener("change", ({ detail: event }) => {
    if (event?.type !== "participant_removed" || event.data.participant_id !== connection.you?.id) return;
    removed = true;
    connection.socket.io.reconnection(false); // the token opens nothing now: no point in retrying
    forgetMember(document.body.dataset.joinCode);
    showRemoved();
  });
  connection.addEventListener("status", showRemoved);
}
