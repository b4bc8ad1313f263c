// What a board page takes from its format beyond the Panorama: the deck panel named as the format names
// its deck (e.g. "Facteurs et signaux faibles"), and its domain and category filters only where the
// format has a Panorama to suggest them.
import { label } from "./i18n.js";

/** Name the deck panel after the format's deck area and hide the filters a format without a Panorama lacks. */
export function showFormatAreas(view) {
  const deckZone = [...view.zones.values()].find((zone) => zone.kind === "deck");
  const title = document.getElementById("deck-title");
  if (deckZone && title) {
    title.textContent = label(deckZone.label);
    title.removeAttribute("data-i18n"); // a later translation pass must not put the flagship's name back
  }
  const { rows, columns } = view.format.panorama;
  for (const [id, entries] of [["deck-domain", rows], ["deck-category", columns]]) {
    const filter = document.getElementById(id)?.closest("label");
    if (filter) filter.hidden = entries.length === 0;
  }
}

/** On the console, the controls that only act on a Panorama (its labels' section, stepping the projector
 *  through the domains, a team's working domain) are hidden for a format without one. */
export function showConsoleFormat(view) {
  const none = view.format.panorama.rows.length === 0;
  const labels = document.querySelector(".console > .panorama-labels");
  if (labels) labels.hidden = none;
  for (const id of ["projector-previous", "projector-next"]) {
    const button = document.getElementById(id);
    if (button) button.hidden = none;
  }
  const domain = document.getElementById("team-domain")?.closest("label");
  if (domain) domain.hidden = none;
}
