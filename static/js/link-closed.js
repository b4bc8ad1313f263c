// A console or projector whose link the facilitator replaced: the server says so, then closes the
// socket. Without this, the page would say "connection lost", as if the network would bring it back.
import { t } from "./i18n.js";

/** Show in `banner` that this link opens nothing any more, and keep it said over later status changes.
 *  Wire it after the page's own status listener, so it has the last word. */
export function bindLinkClosed(connection, banner) {
  let closed = false;
  const show = () => {
    if (!closed) return;
    banner.hidden = false;
    banner.dataset.status = "refused";
    banner.textContent = t("status.refused");
  };
  connection.addEventListener("problem", ({ detail }) => {
    if (detail?.code !== "unauthorized") return;
    closed = true;
    connection.socket.io.reconnection(false); // the token opens nothing now: no point in retrying
    show();
  });
  connection.addEventListener("status", show);
}
