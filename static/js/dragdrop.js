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
 * Where an arrow key leads from one drop target, in the layout a person sees: the grid's cells
 * (`columns` a row, row by row), the free areas stacked under it, the deck on the right.
 * Returns the new index in `list` (the same one at an edge).
 */
export function nextTarget(list, index, key, columns) {
  const cells = list.filter((z) => z.classList.contains("cell")).length;
  const rows = Math.ceil(cells / columns);
  const deck = list.length - 1;
  const free = deck - cells; // free areas sit between the cells and the deck
  const cell = (row, column) => row * columns + column;
  if (index === deck) {
    // From the deck every arrow enters the Panorama: Left the nearest column, Up from the bottom.
    return { ArrowLeft: cell(0, columns - 1), ArrowDown: cell(0, columns - 1), ArrowUp: cell(rows - 1, columns - 1),
             ArrowRight: cell(0, 0) }[key] ?? index;
  }
  if (index >= cells) { // a free area
    const area = index - cells;
    if (key === "ArrowUp") return area > 0 ? index - 1 : cell(rows - 1, 0);
    if (key === "ArrowDown") return area < free - 1 ? index + 1 : index;
    if (key === "ArrowRight") return deck;
    return index;
  }
  const row = Math.floor(index / columns), column = index % columns;
  if (key === "ArrowLeft") return column > 0 ? index - 1 : index;
  if (key === "ArrowRight") return column < columns - 1 ? index + 1 : deck;
  if (key === "ArrowUp") return row > 0 ? index - columns : index;
  if (key === "ArrowDown") return row < rows - 1 ? index + columns : (free > 0 ? cells : index);
  return index;
}

const ARROWS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);

/**
 * Keyboard moves: Space picks the focused card up (Enter stays the button's own click), arrows
 * choose a zone among `targets()` (see nextTarget), Enter or Space drops, Escape cancels.
 * `onCarry(carrying)` tells the page when a card is picked up or put down (for the visible hint).
 */
export function enableKeyboardMove(root, { targets, columns, currentZone, onDrop, announce, describe, onCarry }) {
  let carrying = null;

  const show = ({ quiet = false } = {}) => {
    const zone = targets()[carrying.index];
    highlight(zone);
    // The cell's scroll margins (a11y.css) keep the sticky row and column headers beside it in view.
    zone.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (!quiet) announce(describe("move.target", zone.dataset.zone));
  };
  const putDown = () => {
    carrying.body.removeAttribute("aria-pressed");
    carrying = null;
    highlight(null);
    onCarry?.(false);
  };

  root.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const body = event.target.closest?.(".card-body");
    if (!carrying) {
      if (!body || event.key !== " ") return;
      event.preventDefault(); // no click on the key's release either
      const id = body.closest("[data-card]").dataset.card;
      const list = targets();
      const index = Math.max(0, list.findIndex((z) => z.dataset.zone === currentZone(id)));
      carrying = { id, body, index };
      body.setAttribute("aria-pressed", "true");
      announce(describe("move.picked", currentZone(id), id));
      onCarry?.(true);
      show({ quiet: true });
      return;
    }
    if (ARROWS.has(event.key)) {
      event.preventDefault();
      const index = nextTarget(targets(), carrying.index, event.key, columns());
      if (index === carrying.index) return; // at an edge: nothing changes, nothing is said again
      carrying.index = index;
      show();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const zone = targets()[carrying.index];
      const { id } = carrying;
      putDown();
      onDrop(id, zone.dataset.zone, 0.5, 1);
    } else if (event.key === "Escape" || event.key === "Tab") {
      if (event.key === "Escape") event.preventDefault();
      putDown();
      announce(describe("move.cancelled"));
    }
  });
  // A Space released after the drop must not click the card.
  root.addEventListener("keyup", (event) => {
    if (event.key === " " && event.target.closest?.(".card-body")) event.preventDefault();
  });
}
