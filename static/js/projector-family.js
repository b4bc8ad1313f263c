// One family on the projector (spec DISPLAY11): when the facilitator puts a family of a canvas on the
// screen, its cards leave their small frame for a stage of their own, a list under the family's name set
// in the room's type (projector.js fits it as one zone), each with its keywords and links under it.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

/**
 * Keep `panorama`'s family stage in step with the projector's focus; call before render.js puts the
 * cards in their zones. The stage holds the family's zone id and comes after the canvas, so the cards
 * land in its list (render.js puts a card in the last element of its zone) while it is shown.
 */
export function stageFamily(panorama, view, focus) {
  const zone = focus.kind === "zone" ? view.zones.get(focus.id) : null;
  let stage = panorama.querySelector(":scope > .family-stage");
  if (zone?.kind !== "family") {
    stage?.remove(); // the cards go back to their frame at this render
    return;
  }
  if (stage?.dataset.zone !== zone.id) {
    stage?.remove();
    stage = el("section", { class: "free-area family-stage", "data-zone": zone.id },
      el("h2", { class: "family-stage-name" }), el("ul", { class: "cards" }));
    panorama.insertBefore(stage, panorama.querySelector(":scope > .ghosts"));
  }
  const name = label(zone.label);
  const title = stage.querySelector("h2");
  if (title.textContent !== name) title.textContent = name;
  stage.setAttribute("aria-label", t("canvas.family_named", { name }));
  stage.querySelector("ul").setAttribute("aria-label", name);
}
