// "View as" (docs/spec.md VIEWAS1-VIEWAS3): the facilitator opens the board as one participant sees it,
// from the console, at /f/<admin token>/as/<participant id>. The socket connects with the admin token
// and `view_as`; the server then sends only what that participant may see and refuses every change.
// This page says so in a band under the top bar, and sends nothing: no command, no drag, no pointer.
import { t } from "./i18n.js";

/** The participant this page shows the board as (from the page), or null on an ordinary board page. */
export function viewAsTarget() {
  return document.body.dataset.viewAs || null;
}

/** The token that opens this page's board: the last part of /p/<token>, the admin token of /f/<token>/as/<id>. */
export function pageToken() {
  const parts = location.pathname.split("/");
  return decodeURIComponent(viewAsTarget() ? parts[2] : parts[parts.length - 1]);
}

/** The band's sentence for the viewed participant, with their team's latest name. */
function bannerText(view, participantId) {
  const member = view.participants.get(participantId);
  const team = member?.team ? view.teams.get(member.team) : null;
  return t("view_as.banner", {
    name: member?.name ?? "",
    team: team ? t("view_as.team", { team: team.name }) : t("view_as.no_team"),
  });
}

/** On a view-as page: keep the band (server-drawn, #view-as-banner) in the page's language with the
 *  participant's latest name and team. Does nothing on an ordinary board page. */
export function bindViewAs(connection) {
  const participantId = viewAsTarget();
  const band = document.getElementById("view-as-banner");
  if (!participantId || !band) return;
  const text = band.querySelector(".view-as-text");
  const update = () => {
    if (!connection.confirmed) return;
    const sentence = bannerText(connection.confirmed, participantId);
    if (text.textContent !== sentence) text.textContent = sentence;
  };
  connection.addEventListener("change", update);
  update();
}

/** What a refused attempt says on a view-as page (nothing was sent). */
export function viewAsRefusal(view, participantId) {
  return t("view_as.refused", { name: view?.participants.get(participantId)?.name ?? "" });
}
