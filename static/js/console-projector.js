// The console's projector controls: what the room sees (the whole Panorama, one domain, one cell, one family),
// and a step to the previous or next domain. Each choice is a set_projector command with its focus.
import { panoramaKey } from "./panorama-grid.js";
import { label, t } from "./i18n.js";
import { OVERVIEW, focusName, focusOf, sameFocus, stepDomain } from "./projector-focus.js";
import { el, zoneName } from "./render.js";

const $ = (id) => document.getElementById(id);

/** Wire the section's controls to the connection; call once. */
export function bindProjectorControls(connection) {
  // From the view with the facilitator's own changes on their way: two quick "next" go two domains on.
  const show = (focus) => {
    if (focus && !sameFocus(focus, focusOf(connection.view()))) connection.send("set_projector", { focus });
  };
  $("projector-previous").addEventListener("click", () => show(stepDomain(connection.view(), focusOf(connection.view()), -1)));
  $("projector-next").addEventListener("click", () => show(stepDomain(connection.view(), focusOf(connection.view()), 1)));
  $("projector-overview").addEventListener("click", () => show(OVERVIEW));
  $("projector-focus").addEventListener("change", (event) => show(parseChoice(event.target.value)));
}

/** Show what the projector shows now and which steps are possible. */
export function renderProjectorControls(view) {
  const focus = focusOf(view);
  $("projector-showing").textContent = t("console.projector_showing", { what: focusName(view, focus) });
  $("projector-previous").disabled = !stepDomain(view, focus, -1);
  $("projector-next").disabled = !stepDomain(view, focus, 1);
  $("projector-overview").disabled = focus.kind === "overview";
  const select = $("projector-focus");
  fillChoices(select, view);
  if (document.activeElement !== select) select.value = choiceOf(focus);
}

/** Fill a <select> with every focus: the overview, each domain, each cell and free area, each family. */
export function fillChoices(select, view) {
  // Filled once per set of domains, categories and families: again when one is renamed, added or removed.
  const families = familiesOf(view);
  const key = JSON.stringify([panoramaKey(view), families.map((zone) => [zone.id, label(zone.label)])]);
  if (select.dataset.panorama === key) return;
  select.dataset.panorama = key;
  const { rows, columns } = view.format.panorama;
  const free = [...view.zones.values()].filter((zone) => zone.kind === "free");
  select.replaceChildren(
    el("option", { value: choiceOf(OVERVIEW), text: t("projector.overview") }),
    el("optgroup", { label: t("console.projector_domains") },
      ...rows.map((row) => el("option", { value: choiceOf({ kind: "row", id: row.id }), text: label(row.label) }))),
    el("optgroup", { label: t("console.projector_cells") },
      ...rows.flatMap((row) => columns.map((column) => {
        const id = `${row.id}/${column.id}`;
        return el("option", { value: choiceOf({ kind: "zone", id }), text: zoneName(view, id) });
      })),
      ...free.map((zone) => el("option", { value: choiceOf({ kind: "zone", id: zone.id }), text: label(zone.label) }))),
    // The families the room made on a canvas, as they are made, renamed and deleted (DISPLAY11).
    ...(families.length ? [el("optgroup", { label: t("console.projector_families") },
      ...families.map((zone) => el("option", { value: choiceOf({ kind: "zone", id: zone.id }), text: label(zone.label) })))] : []),
    ...projectorModes(view).map((kind) => el("option", { value: kind, text: t(`projector.${kind}`) })));
}

/** The families of every canvas of the board, in the order they were made. */
function familiesOf(view) {
  return [...view.zones.values()].filter((zone) => zone.kind === "family");
}

/** The projector's own views this board's format has (DISPLAY8): the quote feed, who helps whom. */
function projectorModes(view) {
  const marks = view.format.marks || [];
  return [...(Array.isArray(view.format.speakers) ? ["quotes"] : []),
    ...(["offer", "want"].every((role) => marks.some((mark) => mark.role === role)) ? ["exchange"] : [])];
}

// A focus as an option value and back: "overview", "row:<id>", "zone:<id>" (ids hold no colon before "/").
export function choiceOf(focus) {
  return focus.id === undefined ? focus.kind : `${focus.kind}:${focus.id}`;
}

export function parseChoice(value) {
  if (value === "overview") return OVERVIEW;
  if (value === "quotes" || value === "exchange") return { kind: value };
  const at = value.indexOf(":");
  return { kind: value.slice(0, at), id: value.slice(at + 1) };
}
