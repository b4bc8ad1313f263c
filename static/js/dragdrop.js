// Moving cards with a pointer (mouse, pen or finger) and with the keyboard.
// Both end in the same call: onDrop(cardId, zoneId, x, y), with x, y fractions of the zone.

const DRAG_THRESHOLD_PX = 5;
// The click that follows the release of a drag is not a click (it would open the card): it is
// swallowed once, wherever the card now is, since the card may have moved to another root meanwhile.
let swallowClick = false;
document.addEventListener("click", (event) => {
  if (!swallowClick) return;
  swallowClick = false;
  event.preventDefault();
  event.stopPropagation();
}, true);

/** The zone element under a screen point, ignoring the floating card. */
export function zoneAt(x, y) {
  const hit = document.elementFromPoint(x, y);
  return hit?.closest?.("[data-zone]") || null;
}

function fractionIn(rect, x, y) {
  const clamp = (v) => Math.min(1, Math.max(0, Math.round(v * 1000) / 1000));
  return { x: clamp((x - rect.left) / (rect.width || 1)), y: clamp((y - rect.top) / (rect.height || 1)) };
}

/**
 * Pointer dragging on every `.card-body` inside `root`.
 * onMove(cardId, zoneId, boardX, boardY) reports positions as fractions of `board`; onDrop as above.
 */
export function enablePointerDrag(root, board, { onStart, onMove, onDrop, onCancel }) {
  let drag = null;

  root.addEventListener("pointerdown", (event) => {
    const body = event.target.closest(".card-body");
    if (!body || event.button > 0 || drag) return;
    const card = body.closest("[data-card]");
    drag = { id: card.dataset.card, card, body, pointer: event.pointerId, startX: event.clientX, startY: event.clientY, moving: false };
    body.setPointerCapture(event.pointerId);
  });

  root.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.moving) {
      if (Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) < DRAG_THRESHOLD_PX) return;
      drag.moving = true;
      drag.float = drag.card.cloneNode(true);
      drag.float.classList.add("floating");
      drag.float.removeAttribute("data-card");
      drag.float.style.width = `${drag.card.getBoundingClientRect().width}px`;
      document.body.append(drag.float);
      drag.card.classList.add("lifted");
      onStart?.(drag.id);
    }
    event.preventDefault();
    drag.float.style.transform = `translate(${event.clientX + 6}px, ${event.clientY + 6}px)`;
    const zone = zoneAt(event.clientX, event.clientY);
    highlight(zone);
    const pos = fractionIn(board.getBoundingClientRect(), event.clientX, event.clientY);
    onMove?.(drag.id, zone?.dataset.zone ?? null, pos.x, pos.y);
  });

  const finish = (event, dropped) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const current = drag;
    drag = null;
    highlight(null);
    if (!current.moving) return;
    current.float.remove();
    current.card.classList.remove("lifted");
    swallowClick = true;
    setTimeout(() => { swallowClick = false; }); // a release with no click after it (a finger) swallows nothing
    const zone = dropped ? zoneAt(event.clientX, event.clientY) : null;
    if (zone) {
      const pos = fractionIn(zone.getBoundingClientRect(), event.clientX, event.clientY);
      onDrop(current.id, zone.dataset.zone, pos.x, pos.y);
    } else {
      onCancel?.(current.id);
    }
  };
  root.addEventListener("pointerup", (event) => finish(event, true));
  root.addEventListener("pointercancel", (event) => finish(event, false));
}

let highlighted = null;
export function highlight(zone) {
  if (highlighted === zone) return;
  highlighted?.classList.remove("drop-target");
  highlighted = zone;
  zone?.classList.add("drop-target");
}

/**
 * Keyboard moves: Space picks the focused card up (Enter opens it), arrows choose a zone among `targets()`
 * (grid cells row by row, then the free areas and the deck), Enter drops, Escape cancels.
 */
export function enableKeyboardMove(root, { targets, columns, currentZone, onDrop, announce, describe }) {
  let carrying = null;

  const show = ({ quiet = false } = {}) => {
    const zone = targets()[carrying.index];
    highlight(zone);
    zone.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (!quiet) announce(describe("move.target", zone.dataset.zone));
  };

  root.addEventListener("keydown", (event) => {
    const body = event.target.closest?.(".card-body");
    if (!carrying) {
      if (!body || event.key !== " ") return; // Enter opens the card (card-details.js)
      event.preventDefault();
      const id = body.closest("[data-card]").dataset.card;
      const list = targets();
      const index = Math.max(0, list.findIndex((z) => z.dataset.zone === currentZone(id)));
      carrying = { id, body, index };
      body.setAttribute("aria-pressed", "true");
      announce(describe("move.picked", currentZone(id), id));
      show({ quiet: true });
      return;
    }
    const list = targets();
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns() }[event.key];
    if (step) {
      event.preventDefault();
      carrying.index = Math.min(list.length - 1, Math.max(0, carrying.index + step));
      show();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const zone = list[carrying.index];
      const { id, body: held } = carrying;
      carrying = null;
      held.removeAttribute("aria-pressed");
      highlight(null);
      onDrop(id, zone.dataset.zone, 0.5, 1);
    } else if (event.key === "Escape" || event.key === "Tab") {
      if (event.key === "Escape") event.preventDefault();
      carrying.body.removeAttribute("aria-pressed");
      carrying = null;
      highlight(null);
      announce(describe("move.cancelled"));
    }
  });
}
