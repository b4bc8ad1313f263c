// The phone's area picker, for a format without a Panorama (a factors map, a Troc, a prospective plenary):
// where the flagship's phone shows one domain at a time, this phone shows one area at a time, chosen in
// the same bar (phone.js): each area of the format, and on a canvas each of its families, as a list that
// fits the screen. The card dialog's "Placer dans…" then offers the area shown first (shownArea), so a
// card is placed there with two taps, as in a Panorama cell.
import { familiesOf } from "./canvas.js";
import { label, t } from "./i18n.js";
import { el } from "./render.js";

let bar = null;
let shown = null;

/** The zone the phone shows now (an area or a family), or null when the phone's bar is not on screen. */
export function shownArea() {
  return bar && bar.offsetParent !== null ? shown : null;
}

/** The places a phone can show, in the board's order: each area, a canvas's families under it. */
export function phoneTargets(view) {
  const targets = [];
  for (const zone of view.zones.values()) {
    if (zone.kind !== "canvas" && zone.kind !== "free") continue;
    targets.push({ id: zone.id, text: label(zone.label) });
    if (zone.kind === "canvas") {
      for (const family of familiesOf(view, zone.id)) {
        targets.push({ id: family.id, text: `— ${t("canvas.family_named", { name: label(family.label) })}` });
      }
    }
  }
  return targets;
}

/**
 * Take over the phone's bar (`controls`: {bar, picker, previous, next}) for a board without a Panorama.
 * Returns update(view), to call on every change of the board (families come and go, are renamed).
 */
export function enableAreaPicker(controls, { onShow = () => {} } = {}) {
  ({ bar } = controls);
  const { picker, previous, next } = controls;
  bar.setAttribute("aria-label", t("phone.area"));
  picker.setAttribute("aria-label", t("phone.area"));
  previous.setAttribute("aria-label", t("phone.previous_area"));
  next.setAttribute("aria-label", t("phone.next_area"));
  document.body.classList.add("phone-areas");
  let targets = [];

  const show = (id) => {
    shown = targets.some((target) => target.id === id) ? id : targets[0]?.id ?? null;
    const index = targets.findIndex((target) => target.id === shown);
    picker.value = shown ?? "";
    previous.disabled = index <= 0;
    next.disabled = index === targets.length - 1;
    const panorama = document.getElementById("panorama");
    // The area shown, and in it the family shown (or the canvas's own cards when the canvas itself is).
    const family = panorama.querySelector(`.family[data-zone="${CSS.escape(shown ?? "")}"]`);
    const areaId = family ? family.closest(".canvas-area").dataset.zone : shown;
    for (const part of panorama.querySelectorAll(":scope > .free-area, :scope > .canvas-wrap")) {
      part.classList.toggle("phone-current", (part.dataset.zone || part.dataset.canvas) === areaId);
      part.classList.toggle("phone-family", Boolean(family) && part.dataset.canvas === areaId);
    }
    for (const frame of panorama.querySelectorAll(".family")) frame.classList.toggle("phone-current", frame === family);
    onShow(shown);
  };
  const step = (by) => {
    const index = targets.findIndex((target) => target.id === shown);
    const goal = targets[Math.min(targets.length - 1, Math.max(0, index + by))];
    if (goal) {
      show(goal.id);
      document.getElementById("viewport").scrollTop = 0;
    }
  };
  picker.addEventListener("change", () => {
    show(picker.value);
    document.getElementById("viewport").scrollTop = 0;
  });
  previous.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));

  return function update(view) {
    const wanted = phoneTargets(view);
    const key = (list) => list.map((target) => `${target.id}\u0000${target.text}`).join("\u0001");
    if (key(wanted) !== key(targets)) {
      targets = wanted;
      picker.replaceChildren(...targets.map((target) => el("option", { value: target.id, text: target.text })));
    }
    show(shown); // the same place, or the first when it went (a family deleted)
  };
}
