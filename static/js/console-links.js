// The console's "replace the links" button: after a question, the server makes a new facilitator link
// (and projector link), the old ones open nothing any more, and this page goes to the new one, where a
// notice says what changed and what to do about the projector.
import { confirmAction } from "./confirm.js";
import { t } from "./i18n.js";

const ROTATED = "#links-replaced";

/** Wire the button; `showError(text)` tells the facilitator when the server refused. */
export function bindLinkRotation(button, notice, showError) {
  if (location.hash === ROTATED) {
    notice.hidden = false;
    history.replaceState(null, "", location.pathname); // a reload does not repeat the notice
  }
  button.addEventListener("click", async () => {
    const yes = await confirmAction({ title: t("console.links_rotate_title"), message: t("console.links_rotate_message"),
      confirm: t("console.links_rotate_confirm"), danger: true });
    if (!yes) return;
    button.disabled = true;
    try {
      const response = await fetch(`${location.pathname}/links`, { method: "POST", headers: { Accept: "application/json" } });
      const answer = await response.json();
      if (!response.ok || !answer.ok) throw new Error(answer.message);
      // replace, not assign: Back must not lead to the dead link.
      location.replace(answer.facilitator_url.replace(/^https?:\/\/[^/]+/, location.origin) + ROTATED);
    } catch {
      button.disabled = false;
      showError(t("console.links_rotate_failed"));
    }
  });
}
