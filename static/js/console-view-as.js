// "View as" from the console (VIEWAS1): each participant's row gets a link that opens, in a new tab,
// the board exactly as that participant sees it, read-only (/f/<admin token>/as/<participant id>,
// drawn by participant.js with view-as.js). The rows are console-teams.js's; this only adds the link.
import { t } from "./i18n.js";
import { el } from "./render.js";

const links = new Map(); // participant id -> its link, kept across renders

/** Give each participant row of the console (`li[data-person]`) its "View as…" link; call after the rows are drawn. */
export function renderViewAsLinks(view) {
  for (const item of document.querySelectorAll("#participant-list li[data-person]")) {
    const id = item.dataset.person;
    const person = view.participants.get(id);
    if (!person) continue;
    let link = links.get(id);
    if (!link) {
      link = el("a", { class: "button view-as-link", target: "_blank", rel: "noopener",
        href: `${location.pathname.replace(/\/$/, "")}/as/${encodeURIComponent(id)}`, text: t("view_as.open") });
      links.set(id, link);
    }
    link.setAttribute("aria-label", t("view_as.open_named", { name: person.name }));
    link.title = t("view_as.open_named", { name: person.name });
    // Before the folded repair (merge, remove), after the team: the row keeps its order for Tab.
    const fix = item.querySelector(".person-fix");
    if (link.parentElement !== item) item.insertBefore(link, fix);
  }
  for (const [id, link] of links) {
    if (!view.participants.has(id)) {
      link.remove();
      links.delete(id);
    }
  }
}
