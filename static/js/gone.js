// What a page shows once what it showed is gone: the workshop deleted with all its data (the server
// sent `closed`), or, on a participant's page, this person forgotten at their request. The page
// stops: the reason in a strong banner, no more reconnecting, and this browser drops the link and
// name it remembered for the join code. A deleted workshop's board leaves the screen (a projector
// must not go on showing it to the room); a forgotten person's is greyed and inert (teams.css).
import { t } from "./i18n.js";
import { forgetMember } from "./identity.js";

/**
 * Watch `connection` and stop the page when its workshop is deleted or its person forgotten.
 * `inert` selects what becomes inert; the banner is #banner. Bound after the page's own status
 * listeners, so the reason stays in the banner over "offline".
 */
export function bindGone(connection, { inert = ".workspace, .topbar .tools, #shortcuts, main" } = {}) {
  let reason = null;
  let drop = false;
  const show = () => {
    if (!reason) return;
    const banner = document.getElementById("banner");
    banner.hidden = false;
    banner.dataset.status = "removed";
    banner.textContent = t(reason);
    document.body.dataset.removed = "true";
    for (const part of document.querySelectorAll(inert)) {
      part.inert = true;
      if (drop) part.hidden = true;
    }
  };
  const stop = (why, dropBoard = false) => {
    reason = why;
    drop = dropBoard;
    connection.socket.io.reconnection(false);
    forgetMember(document.body.dataset.joinCode);
    show();
  };
  connection.addEventListener("status", () => {
    if (connection.status === "closed") stop("status.deleted", true);
    else show();
  });
  connection.addEventListener("change", ({ detail: event }) => {
    if (event?.type === "participant_forgotten" && event.data.participant_id === connection.you?.id) stop("people.forgotten");
  });
}
