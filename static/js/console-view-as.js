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
      // Its name starts with what it shows ("Voir comme…"), then says whom, read-only and new tab (WCAG 2.5.3).
      link = el("a", { class: "button view-as-link", target: "_blank", rel: "noopener",
        href: `${location.pathname.replace(/\/$/, "")}/as/${encodeURIComponent(id)}` },
      t("view_as.open"), el("span", { class: "visually-hidden view-as-whom" }));
      links.set(id, link);
    }
    const whom = ` ${t("view_as.open_more", { name: person.name })}`; // after "Voir comme…", a space apart
    const more = link.querySelector(".view-as-whom");
    if (more.textContent !== whom) more.textContent = whom;
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
