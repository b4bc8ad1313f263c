// What others are dragging: a label with the card's text and the dragger's name, following them.
// Labels stay inside the board, go when the drag ends, when the card lands, or when the drag
// stalls (its end may be lost: positions are disposable and dropped under load), and there are
// never more than MAX_GHOSTS of them, the stalest going first.
import { el } from "./render.js";

export const STALL_MS = 1500;
export const MAX_GHOSTS = 8;

/**
 * Show the drags `connection` relays inside `layer()` (the board's ghost layer, absolutely over
 * the Panorama). Returns nothing; everything is driven by the connection's events.
 */
export function showOthersDrags(connection, layer) {
  const ghosts = new Map(); // dragger id -> {node, card, timer, seen}

  const drop = (by) => {
    const ghost = ghosts.get(by);
    if (!ghost) return;
    clearTimeout(ghost.timer);
    ghost.node.remove();
    ghosts.delete(by);
  };

  connection.addEventListener("drag", ({ detail }) => {
    const box = layer();
    if (!box) return;
    if (detail.active === false) return drop(detail.by);
    const card = connection.confirmed.cards.get(detail.card_id);
    if (!card) return drop(detail.by);
    let ghost = ghosts.get(detail.by);
    if (!ghost) {
      if (ghosts.size >= MAX_GHOSTS) {
        const stalest = [...ghosts.entries()].sort((a, b) => a[1].seen - b[1].seen)[0][0];
        drop(stalest);
      }
      ghost = { node: el("div", { class: "ghost" }, el("span", { class: "ghost-text" }), el("span", { class: "ghost-by" })) };
      ghosts.set(detail.by, ghost);
      box.append(ghost.node);
    }
    ghost.card = detail.card_id;
    ghost.seen = performance.now();
    setText(ghost.node.querySelector(".ghost-text"), card.hidden ? "" : card.text);
    setText(ghost.node.querySelector(".ghost-by"), connection.confirmed.participants.get(detail.by)?.name ?? "");
    ghost.node.dataset.card = detail.card_id;
    place(ghost.node, box, detail.x, detail.y);
    clearTimeout(ghost.timer);
    ghost.timer = setTimeout(() => drop(detail.by), STALL_MS);
  });

  // A card that lands ends whoever was dragging it, even if their "drag ended" got lost.
  connection.addEventListener("change", ({ detail: event }) => {
    if (!event) return;
    const cardId = event.data?.card_id;
    for (const [by, ghost] of [...ghosts]) {
      if ((event.type === "card_moved" || event.type === "card_deleted") && ghost.card === cardId) drop(by);
      else if (by === event.actor && event.type === "card_moved") drop(by);
    }
  });
}

/** Put the label's middle at (x, y), fractions of the layer, moved in so that all of it is inside. */
function place(node, box, x, y) {
  const width = box.clientWidth;
  const height = box.clientHeight;
  const w = node.offsetWidth;
  const h = node.offsetHeight;
  const left = Math.min(Math.max(0, x * width - w / 2), Math.max(0, width - w));
  const top = Math.min(Math.max(0, y * height - h / 2), Math.max(0, height - h));
  node.style.left = `${left}px`;
  node.style.top = `${top}px`;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
