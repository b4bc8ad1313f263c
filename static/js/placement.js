// Where a card goes inside a zone, and which zone a person is looking at.
// A zone shows its cards in the order of their (y, x, z) (state.js cardsIn); a card dropped between
// two others gets a y (and x) that sorts it between them, so it stays there for everyone.

/**
 * The neighbours a card dropped at (clientX, clientY) in `zoneEl` lands between, in reading order:
 * {before, after}, each a card id or null. The card being moved (`movingId`) is left out.
 */
export function slotAt(zoneEl, clientX, clientY, movingId) {
  const cards = [...zoneEl.querySelectorAll(":scope ul.cards > [data-card]")].filter((c) => c.dataset.card !== movingId);
  let before = null;
  for (const node of cards) {
    const box = node.getBoundingClientRect();
    // The pointer is before this card if it is above its line, or on its line and left of its middle.
    const aboveLine = clientY < box.top;
    const onLine = clientY >= box.top && clientY <= box.bottom;
    if (aboveLine || (onLine && clientX < box.left + box.width / 2)) {
      return { before, after: node.dataset.card };
    }
    before = node.dataset.card;
  }
  return { before, after: null };
}

/**
 * An (x, y) in [0, 1] that sorts after `prev` and before `next` (cards with x, y, or null) by
 * (y, x). Between two cards of the same y, the x is split instead. z decides nothing here: the
 * moved card goes on top of its zone's pile (CARD2), so it sorts last among exact equals.
 */
export function positionBetween(prev, next) {
  const low = prev ?? { x: 0, y: 0 };
  const high = next ?? { x: 1, y: 1 };
  if (high.y > low.y) return { x: 0.5, y: (low.y + high.y) / 2 };
  return { x: (low.x + high.x) / 2, y: low.y }; // same line: split the x
}

/**
 * The zone a person is looking at in `viewport`: the last one they focused or touched if it is
 * still on screen, else the cell that shows most of itself, else null.
 */
export function zoneInView(viewport, lastZoneId) {
  const view = viewport.getBoundingClientRect();
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const w = Math.min(box.right, view.right) - Math.max(box.left, view.left);
    const h = Math.min(box.bottom, view.bottom) - Math.max(box.top, view.top);
    return w > 0 && h > 0 && el.offsetParent !== null ? w * h : 0;
  };
  const zones = [...viewport.querySelectorAll("[data-zone]")];
  const last = zones.find((z) => z.dataset.zone === lastZoneId);
  if (last && visible(last) > 0) return lastZoneId;
  let best = null;
  let bestArea = 0;
  for (const zone of zones) {
    const area = visible(zone);
    if (area > bestArea) [best, bestArea] = [zone.dataset.zone, area];
  }
  return best;
}
