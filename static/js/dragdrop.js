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
// Touch: a finger that moves at once is scrolling the board; a finger held still this long lifts
// the card. Press-and-hold rather than a drag handle: the whole card stays the target (a handle
// would be one more small thing to hit, and cards are kept compact), and it is the gesture phones
// and tablets already use to pick something up. Mouse and pen drag at once, as before.
export const HOLD_MS = 400;
const HOLD_SLOP_PX = 10; // a finger trembles: this much movement during the hold is still "held"

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
 * onMove(cardId, zoneId, boardX, boardY) reports positions as fractions of `board`;
 * onDrop(cardId, zoneId, x, y, {zone, clientX, clientY}) with x, y fractions of the zone.
 * A card whose element carries `data-locked` never lifts: onLocked(cardId) is called once when
 * someone tries to drag it. `holdOnTouch(body)` says whether a finger must press and hold on that
 * card before it lifts (true by default).
 */
export function enablePointerDrag(root, board, { onStart, onMove, onDrop, onCancel, onLocked, holdOnTouch = () => true }) {
  let drag = null;
  let refused = null; // a press on a locked card: told once if the pointer tries to drag it
  let quietClicksUntil = 0;

  const lift = (event) => {
    drag.moving = true;
    drag.float = drag.card.cloneNode(true);
    drag.float.classList.add("floating");
    drag.float.removeAttribute("data-card");
    drag.float.style.width = `${drag.card.getBoundingClientRect().width}px`;
    document.body.append(drag.float);
    drag.card.classList.add("lifted");
    place(event.clientX, event.clientY);
    onStart?.(drag.id);
  };

  const place = (clientX, clientY) => {
    // Under a finger the card rides above it, where the finger does not hide it.
    const [dx, dy] = drag.held ? [-drag.float.offsetWidth / 2, -drag.float.offsetHeight - 16] : [6, 6];
    drag.float.style.transform = `translate(${clientX + dx}px, ${clientY + dy}px)`;
    const zone = zoneAt(clientX, clientY);
    highlight(zone);
    const pos = fractionIn(board.getBoundingClientRect(), clientX, clientY);
    onMove?.(drag.id, zone?.dataset.zone ?? null, pos.x, pos.y);
  };

  root.addEventListener("pointerdown", (event) => {
    if (drag) {
      if (drag.holding) forget(); // a second finger: a pinch, not a hold
      return;
    }
    const body = event.target.closest(".card-body");
    if (!body || event.button > 0) return;
    const card = body.closest("[data-card]");
    if (card.hasAttribute("data-locked")) {
      refused = { id: card.dataset.card, pointer: event.pointerId, startX: event.clientX, startY: event.clientY };
      if (event.pointerType === "touch") {
        // A finger that swipes over a locked card is scrolling; one that holds it is told why not.
        const tried = refused;
        refused.timer = setTimeout(() => { if (refused === tried) { refused = null; onLocked?.(tried.id); } }, HOLD_MS);
      } else {
        body.setPointerCapture(event.pointerId); // told even once off the card
      }
      return;
    }
    drag = { id: card.dataset.card, card, body, pointer: event.pointerId, startX: event.clientX, startY: event.clientY, moving: false };
    if (event.pointerType === "touch" && holdOnTouch(body)) {
      drag.holding = true;
      drag.timer = setTimeout(() => {
        if (!drag?.holding) return;
        drag.holding = false;
        drag.held = true;
        card.classList.add("held");
        navigator.vibrate?.(15);
        lift({ clientX: drag.lastX ?? drag.startX, clientY: drag.lastY ?? drag.startY });
      }, HOLD_MS);
    } else {
      body.setPointerCapture(event.pointerId);
    }
  });

  root.addEventListener("pointermove", (event) => {
    if (refused && event.pointerId === refused.pointer) {
      const distance = Math.hypot(event.clientX - refused.startX, event.clientY - refused.startY);
      if (refused.timer && distance > HOLD_SLOP_PX) {
        clearTimeout(refused.timer);
        refused = null;
      } else if (!refused.timer && distance >= DRAG_THRESHOLD_PX) {
        onLocked?.(refused.id);
        refused = null;
      }
    }
    if (!drag || event.pointerId !== drag.pointer) return;
    drag.lastX = event.clientX;
    drag.lastY = event.clientY;
    const distance = Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY);
    if (drag.holding) {
      // Moved before the hold ended: the finger is scrolling the board, not taking the card.
      if (distance > HOLD_SLOP_PX) forget();
      return;
    }
    if (!drag.moving) {
      if (distance < DRAG_THRESHOLD_PX) return;
      lift(event);
    }
    event.preventDefault();
    place(event.clientX, event.clientY);
  });

  // Once a card is held, the finger's movements are the drag's, not a scroll of the board.
  root.addEventListener("touchmove", (event) => {
    if (drag?.held) event.preventDefault();
  }, { passive: false });
  root.addEventListener("contextmenu", (event) => {
    if (drag?.holding || drag?.held) event.preventDefault(); // a long press is ours, not the menu's
  });

  const forget = () => {
    clearTimeout(drag.timer);
    drag.card.classList.remove("held");
    drag = null;
  };

  const finish = (event, dropped) => {
    if (refused?.pointer === event.pointerId) {
      clearTimeout(refused.timer);
      refused = null;
    }
    if (!drag || event.pointerId !== drag.pointer) return;
    const current = drag;
    forget();
    highlight(null);
    if (!current.moving) return;
    current.float.remove();
    current.card.classList.remove("lifted");
    swallowClick = true;
    setTimeout(() => { swallowClick = false; }); // a release with no click after it (a finger) swallows nothing
    const travelled = Math.hypot(event.clientX - current.startX, event.clientY - current.startY);
    // A card held and let go where it was has not been moved: nothing to send.
    const zone = dropped && !(current.held && travelled <= HOLD_SLOP_PX) ? zoneAt(event.clientX, event.clientY) : null;
    if (zone) {
      const pos = fractionIn(zone.getBoundingClientRect(), event.clientX, event.clientY);
      onDrop(current.id, zone.dataset.zone, pos.x, pos.y, { zone, clientX: event.clientX, clientY: event.clientY });
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
  // A folded (hidden) deck is left out of `list`: then nothing lies right of the Panorama.
  const hasDeck = list.at(-1)?.dataset.zone === "deck";
  const deck = hasDeck ? list.length - 1 : -1;
  const free = list.length - (hasDeck ? 1 : 0) - cells; // free areas sit between the cells and the deck
  const cell = (row, column) => row * columns + column;
  if (cells === 0) { // no Panorama (a canvas format): the areas and their families stacked, the deck beside
    if (index === deck) return key === "ArrowLeft" || key === "ArrowUp" ? 0 : index;
    if (key === "ArrowUp") return Math.max(0, index - 1);
    if (key === "ArrowDown") return Math.min(free - 1, index + 1);
    return key === "ArrowRight" && hasDeck ? deck : index;
  }
  if (index === deck) {
    // From the deck every arrow enters the Panorama: Left the nearest column, Up from the bottom.
    return { ArrowLeft: cell(0, columns - 1), ArrowDown: cell(0, columns - 1), ArrowUp: cell(rows - 1, columns - 1),
             ArrowRight: cell(0, 0) }[key] ?? index;
  }
  if (index >= cells) { // a free area
    const area = index - cells;
    if (key === "ArrowUp") return area > 0 ? index - 1 : cell(rows - 1, 0);
    if (key === "ArrowDown") return area < free - 1 ? index + 1 : index;
    if (key === "ArrowRight") return hasDeck ? deck : index;
    return index;
  }
  const row = Math.floor(index / columns), column = index % columns;
  if (key === "ArrowLeft") return column > 0 ? index - 1 : index;
  if (key === "ArrowRight") return column < columns - 1 ? index + 1 : (hasDeck ? deck : index);
  if (key === "ArrowUp") return row > 0 ? index - columns : index;
  if (key === "ArrowDown") return row < rows - 1 ? index + columns : (free > 0 ? cells : index);
  return index;
}

const ARROWS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);

/**
 * Keyboard moves: Space picks the focused card up (Enter stays the button's own click), arrows
 * choose a zone among `targets()` (see nextTarget), Enter or Space drops, Escape cancels.
 * `onCarry(carrying)` tells the page when a card is picked up or put down (for the visible hint).
 * A card marked `data-locked` is not picked up: `onLocked(cardId)` says why, as for the pointer.
 */
export function enableKeyboardMove(root, { targets, columns, currentZone, onDrop, announce, describe, onCarry, onLocked }) {
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
      if (body.closest("[data-card]").dataset.locked) {
        onLocked?.(id);
        return;
      }
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
