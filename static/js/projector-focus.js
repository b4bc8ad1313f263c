// What the projector shows (the board's `display.focus`, set by the facilitator with set_projector):
// the whole Panorama, one domain (a row) or one zone (a cell or a free area). Shared by the projector
// page, which draws it, and the console, which names it and steps through the domains.
import { label, t } from "./i18n.js";
import { zoneName } from "./render.js";

export const OVERVIEW = Object.freeze({ kind: "overview" });

/** The focus a board's view holds; boards made before the focus existed show the overview. */
export function focusOf(view) {
  return view.display?.focus || OVERVIEW;
}

/** The index of the Panorama row a focus is on (a row, or a cell of it), else -1. */
export function rowIndexOf(view, focus) {
  const rows = view.format.panorama.rows;
  if (focus.kind === "row") return rows.findIndex((row) => row.id === focus.id);
  if (focus.kind === "zone") return rows.findIndex((row) => row.id === view.zones.get(focus.id)?.row);
  return -1;
}

/** The focus one domain further (delta 1) or back (-1); null past either end. From the overview,
 *  "next" is the first domain and "previous" the last; from a cell, its neighbour domain. */
export function stepDomain(view, focus, delta) {
  const rows = view.format.panorama.rows;
  const here = rowIndexOf(view, focus);
  const next = here === -1 ? (focus.kind === "overview" ? (delta > 0 ? 0 : rows.length - 1) : -1) : here + delta;
  return next >= 0 && next < rows.length ? { kind: "row", id: rows[next].id } : null;
}

/** What a person reads for a focus: "Vue d'ensemble", "Domaine 4 / 8 : Maintenance", a zone's name. */
export function focusName(view, focus) {
  if (focus.kind === "row") {
    const rows = view.format.panorama.rows;
    const index = rowIndexOf(view, focus);
    return t("projector.focus_row", { number: index + 1, count: rows.length, name: label(rows[index]?.label) });
  }
  if (focus.kind === "zone") return zoneName(view, focus.id);
  if (focus.kind === "quotes" || focus.kind === "exchange") return t(`projector.${focus.kind}`); // DISPLAY8
  return t("projector.overview");
}

export function sameFocus(a, b) {
  return a.kind === b.kind && (a.id ?? null) === (b.id ?? null);
}
