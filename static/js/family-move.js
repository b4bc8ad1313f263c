// Moving a family on its canvas (spec CANVAS13): drag its title bar with a mouse or a finger, or focus its
// move button (✥) and press the arrow keys. Either way the page sends one `move_zone` with the free place
// nearest to where the family was put (canvas.js familySpot), so a family is never put on another.
import { SURFACE, canvasLayout, familySpot, mayShapeFamilies } from "./canvas.js";
import { label, t } from "./i18n.js";

const SLOP_PX = 4; // a press that moves less than this is a click on the title, not a drag
const KEY_STEP_PX = 48; // one arrow press moves a family this far, at zoom 1 (or past what is in the way)
const STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * Let the people who may shape families move them on `container` (the page's #panorama).
 * `connection` sends; `announce(text)` says where a family went (the page's own live region).
 */
export function enableFamilyMove(container, connection, { announce = () => {} } = {}) {
  let drag = null;
  const may = () => mayShapeFamilies(connection.view(), connection.you?.role);

  const send = (frame, left, top) => {
    const view = connection.view();
    const zone = view.zones.get(frame.dataset.zone);
    if (!zone) return;
    const spot = familySpot(view, zone.area, zone.id, left, top);
    if (spot.x === zone.x && spot.y === zone.y) return false; // nowhere else to go: nothing to send
    connection.send("move_zone", { zone_id: zone.id, ...spot });
    announce(t("canvas.moved", { name: label(zone.label) }));
    return true;
  };

  container.addEventListener("pointerdown", (event) => {
    const head = event.target.closest(".family-head");
    if (drag || !head || event.button > 0 || event.target.closest("button, input") || !may()) return;
    const frame = head.closest(".family");
    if (getComputedStyle(frame).position !== "absolute") return; // a phone lists its families: nowhere to drag
    const scale = frame.getBoundingClientRect().width / frame.offsetWidth || 1; // the page's zoom
    drag = { frame, pointer: event.pointerId, startX: event.clientX, startY: event.clientY, scale,
      left: frame.offsetLeft, top: frame.offsetTop, moving: false };
    head.setPointerCapture?.(event.pointerId);
  });
  container.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const dx = (event.clientX - drag.startX) / drag.scale;
    const dy = (event.clientY - drag.startY) / drag.scale;
    if (!drag.moving && Math.hypot(dx, dy) * drag.scale < SLOP_PX) return;
    drag.moving = true;
    drag.frame.classList.add("moving");
    drag.frame.style.left = `${Math.round(drag.left + dx)}px`;
    drag.frame.style.top = `${Math.round(drag.top + dy)}px`;
    event.preventDefault();
  });
  const finish = (event, dropped) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const { frame, moving, left, top } = drag;
    drag = null;
    if (!moving) return;
    frame.classList.remove("moving");
    const sent = dropped && send(frame, frame.offsetLeft, frame.offsetTop);
    if (!sent) Object.assign(frame.style, { left: `${left}px`, top: `${top}px` }); // back where it is
  };
  container.addEventListener("pointerup", (event) => finish(event, true));
  container.addEventListener("pointercancel", (event) => finish(event, false));

  // The keyboard: arrows on the move button take the family one step, or past the family in the way.
  container.addEventListener("keydown", (event) => {
    const button = event.target.closest?.(".family-move");
    const step = STEPS[event.key];
    if (!button || !step || event.altKey || event.ctrlKey || event.metaKey || !may()) return;
    event.preventDefault();
    const frame = button.closest(".family");
    const view = connection.view();
    const zone = view.zones.get(frame.dataset.zone);
    const place = zone && canvasLayout(view, zone.area).families.get(zone.id);
    if (!place) return;
    const others = [...canvasLayout(view, zone.area, { moving: zone.id }).families.values()];
    // Step on until a place no other family covers, so a family never jumps onto another.
    for (let n = 1; n <= 40; n += 1) {
      const left = place.left + step[0] * KEY_STEP_PX * n;
      const top = place.top + step[1] * KEY_STEP_PX * n;
      if (left < -KEY_STEP_PX || top < -KEY_STEP_PX || left > SURFACE.width) break;
      const wanted = { left, top, right: left + place.width, bottom: top + place.height };
      const covered = others.some((o) => wanted.left < o.right && o.left < wanted.right && wanted.top < o.bottom && o.top < wanted.bottom);
      if (!covered && send(frame, left, top)) break;
    }
  });
  container.addEventListener("click", (event) => {
    if (event.target.closest?.(".family-move")) announce(t("canvas.move_hint"));
  });
}
