// A canvas area (board/domain/canvas.py, spec CANVAS11, CANVAS12): a large surface where a card sits
// where it was dropped, and families, named frames placed where the team put them, holding cards.
// The board page and the projector build it with buildCanvases, keep its families in step with the
// board (syncFamilies, before render.js puts the cards in their zones) and place the cards (placeCards).
// Every page lays a family out the same way from the same board, so everyone sees the same picture.
import { askText, confirmAction } from "./confirm.js";
import { label, t } from "./i18n.js";
import { el } from "./render.js";

// The geometry at zoom 1, in CSS px (canvas.css draws with the same numbers, set as custom properties).
export const SURFACE = { width: 1600, height: 900 };
export const CARD = { width: 176, height: 86, gap: 10 };
// A family shows its cards two a line, in at least three lines (it grows when it holds more than six).
export const FAMILY = { columns: 2, rows: 3, head: 58, pad: 10, gap: 18 };

const clamp = (value, low, high) => Math.min(Math.max(value, low), Math.max(low, high));

/** A family's frame width and height (for `count` cards), in px at zoom 1. */
export function familySize(count) {
  const rows = Math.max(FAMILY.rows, Math.ceil(count / FAMILY.columns));
  return {
    width: FAMILY.columns * (CARD.width + CARD.gap) - CARD.gap + 2 * FAMILY.pad,
    height: FAMILY.head + rows * (CARD.height + CARD.gap) - CARD.gap + 2 * FAMILY.pad,
    rows,
  };
}

const MARGIN = 8; // the least room between a family's frame and anything outside it, in px at zoom 1

const box = (left, top, width, height) => ({ left, top, width, height, right: left + width, bottom: top + height });
const clash = (a, b) => a.left < b.right + MARGIN && b.left < a.right + MARGIN && a.top < b.bottom + MARGIN && b.top < a.bottom + MARGIN;

/** Where a family of `count` cards wants to be: its x, y on the canvas, kept inside the canvas's width
 *  and its first screenful (a family never starts below the canvas's own height). */
function wantedBox(zone, count) {
  const size = familySize(count);
  return box(clamp(zone.x * SURFACE.width, 0, SURFACE.width - size.width),
    clamp(zone.y * SURFACE.height, 0, SURFACE.height - size.height), size.width, size.height);
}

/**
 * How a canvas is drawn, from the board alone, alike on every page (spec CANVAS15): each family's frame
 * sized to its cards, laid out in the order of their places (top, then left, then the order they were
 * made), each where it was put unless it would cover a family laid out before it, then just below
 * that one; each card on the canvas itself where it was put unless a frame covers it, then at the
 * nearest free place. Returns {families: Map id -> box, cards: Map id -> box, height} in px at zoom 1
 * (`height`: the canvas's, grown to hold everything). `moving` leaves one family out (being dragged).
 */
export function canvasLayout(view, areaId, { moving = null } = {}) {
  const wanted = familiesOf(view, areaId).filter((zone) => zone.id !== moving)
    .map((zone, made) => ({ zone, made, box: wantedBox(zone, view.cardsIn(zone.id).length) }))
    .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left || a.made - b.made);
  const families = new Map();
  for (const { zone, box: at } of wanted) {
    let frame = at;
    for (let blocker = [...families.values()].find((other) => clash(frame, other)); blocker;
      blocker = [...families.values()].find((other) => clash(frame, other))) {
      frame = box(frame.left, blocker.bottom + FAMILY.gap, frame.width, frame.height); // below the one in the way
    }
    families.set(zone.id, frame);
  }
  const frames = [...families.values()];
  let height = Math.max(SURFACE.height, ...frames.map((frame) => frame.bottom + FAMILY.gap));
  const cards = new Map();
  for (const card of view.cardsIn(areaId)) {
    const at = box(clamp(card.x * SURFACE.width, 0, SURFACE.width - CARD.width),
      clamp(card.y * SURFACE.height, 0, SURFACE.height - CARD.height), CARD.width, CARD.height);
    const spot = frames.some((frame) => clash(at, frame)) ? nearestFree(at, frames, height) : at;
    cards.set(card.id, spot);
    height = Math.max(height, spot.bottom + CARD.gap);
  }
  return { families, cards, height };
}

/**
 * The free place for `wanted` (a box) nearest to it, clear of every box of `taken`, inside the canvas's
 * width (and above `height`, or just below everything when nothing is free above it).
 */
export function nearestFree(wanted, taken, height = SURFACE.height) {
  const fits = (candidate) => candidate.left >= 0 && candidate.right <= SURFACE.width && candidate.top >= 0
    && candidate.bottom <= height && !taken.some((other) => clash(candidate, other));
  if (fits(wanted)) return wanted;
  const at = (left, top) => box(left, top, wanted.width, wanted.height);
  // Beside each box in the way first (where the nearest free place nearly always is), then a coarse grid.
  const candidates = [];
  for (const other of taken) {
    const lefts = [wanted.left, other.left - wanted.width - MARGIN - 1, other.right + MARGIN + 1];
    const tops = [wanted.top, other.top - wanted.height - MARGIN - 1, other.bottom + MARGIN + 1];
    for (const left of lefts) for (const top of tops) candidates.push(at(clamp(left, 0, SURFACE.width - wanted.width), Math.max(0, top)));
  }
  for (let top = 0; top + wanted.height <= height; top += 24) {
    for (let left = 0; left + wanted.width <= SURFACE.width; left += 24) candidates.push(at(left, top));
  }
  let best = null;
  for (const candidate of candidates) {
    if (!fits(candidate)) continue;
    const distance = Math.hypot(candidate.left - wanted.left, candidate.top - wanted.top);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (best) return best.candidate;
  const lowest = Math.max(0, ...taken.map((other) => other.bottom + MARGIN + 1)); // nothing free: under everything
  return at(clamp(wanted.left, 0, SURFACE.width - wanted.width), lowest);
}

/** Whether a zone is drawn on a canvas (the canvas itself or one of its families): cards keep their x, y there. */
export function onCanvas(view, zoneId) {
  const kind = view.zones.get(zoneId)?.kind;
  return kind === "canvas" || kind === "family";
}

/** The canvas areas of the board. */
export function canvasAreas(view) {
  return [...view.zones.values()].filter((zone) => zone.kind === "canvas");
}

/** The families on one canvas, in the order they were made. */
export function familiesOf(view, areaId) {
  return [...view.zones.values()].filter((zone) => zone.kind === "family" && zone.area === areaId);
}

/**
 * Add each canvas area of the board to `container` (the page's #panorama), before its ghost layer. A board
 * without a Panorama (rows) shows no grid. `actions` ({create, rename, remove}) is given on pages that may
 * change families; the projector gives none.
 */
export function buildCanvases(container, view, actions = null) {
  const areas = canvasAreas(view);
  container.classList.toggle("no-grid", view.format.panorama.rows.length === 0);
  for (const zone of areas) {
    const head = el("div", { class: "canvas-head" }, el("h2", { text: label(zone.label) }));
    if (actions) {
      const add = el("button", { type: "button", class: "family-new", text: t("canvas.new_family") });
      add.addEventListener("click", () => actions.create(zone.id));
      head.append(add);
    }
    const surface = el("section", { class: "canvas-area", "data-zone": zone.id, "aria-label": label(zone.label) },
      el("ul", { class: "cards canvas-cards", "aria-label": t("canvas.ungrouped") }),
      el("div", { class: "families" }));
    surface.style.width = `${SURFACE.width}px`;
    surface.style.height = `${SURFACE.height}px`;
    const wrap = el("div", { class: "canvas-wrap", "data-canvas": zone.id }, head, surface);
    container.insertBefore(wrap, container.querySelector(":scope > .ghosts"));
  }
  return areas.length > 0;
}

/** Make, name, place and remove the family frames so they are the board's; call before renderCards. */
export function syncFamilies(container, view, actions = null) {
  for (const surface of container.querySelectorAll(".canvas-area")) {
    const layer = surface.querySelector(".families");
    const wanted = familiesOf(view, surface.dataset.zone);
    const layout = canvasLayout(view, surface.dataset.zone);
    surface.style.height = `${Math.round(layout.height)}px`; // grown to hold every family (CANVAS15)
    const ids = new Set(wanted.map((zone) => zone.id));
    for (const frame of [...layer.children]) if (!ids.has(frame.dataset.zone)) frame.remove();
    for (const zone of wanted) {
      let frame = layer.querySelector(`:scope > [data-zone="${CSS.escape(zone.id)}"]`);
      if (!frame) layer.append(frame = familyFrame(zone, actions));
      const name = label(zone.label);
      const title = frame.querySelector(".family-name");
      if (title.textContent !== name) title.textContent = name;
      frame.setAttribute("aria-label", t("canvas.family_named", { name }));
      frame.querySelector("ul.cards").setAttribute("aria-label", name);
      const move = frame.querySelector(".family-move");
      if (move) move.setAttribute("aria-label", t("canvas.move_named", { name }));
      const count = view.cardsIn(zone.id).length;
      const place = layout.families.get(zone.id);
      frame.style.width = `${place.width}px`;
      frame.style.height = `${place.height}px`;
      if (!frame.classList.contains("moving")) position(frame, place.left, place.top); // a dragged frame follows the pointer
      frame.classList.toggle("empty", count === 0);
      const remove = frame.querySelector(".family-delete");
      if (remove) remove.hidden = count > 0; // only an empty family can go (CANVAS8)
    }
  }
}

function familyFrame(zone, actions) {
  const name = el("h3", { class: "family-name" });
  const head = el("div", { class: "family-head" }, name);
  if (actions) {
    // The title bar drags the family (family-move.js); this button moves it with the arrow keys.
    const move = el("button", { type: "button", class: "family-move", title: t("canvas.move_hint"), text: "✥" });
    head.append(move);
    const rename = el("button", { type: "button", class: "family-rename", "aria-label": t("canvas.rename"), text: "✎" });
    const remove = el("button", { type: "button", class: "family-delete", "aria-label": t("canvas.delete"), text: "×" });
    rename.addEventListener("click", () => renameInline(head, zone.id, actions));
    remove.addEventListener("click", () => actions.remove(zone.id));
    head.append(rename, remove);
  }
  return el("section", { class: "family", "data-zone": zone.id, role: "group" }, head,
    el("ul", { class: "cards family-cards" }));
}

/** Rename in place: the name becomes a field; Enter (or leaving it) renames, Escape gives up. */
function renameInline(head, zoneId, actions) {
  const name = head.querySelector(".family-name");
  if (head.querySelector("input")) return;
  const input = el("input", { type: "text", class: "family-name-input", maxlength: "60", "aria-label": t("canvas.family_name") });
  input.value = name.textContent;
  name.hidden = true;
  head.prepend(input);
  input.focus();
  input.select();
  let done = false;
  const finish = (keep) => {
    if (done) return;
    done = true;
    const text = input.value.trim();
    input.remove();
    name.hidden = false;
    if (keep && text && text !== name.textContent) actions.rename(zoneId, text);
    head.querySelector(".family-rename")?.focus();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      finish(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      finish(false);
    }
  });
  input.addEventListener("blur", () => finish(true));
}

/**
 * Put each card of a canvas where it belongs: on the canvas at its x, y (its top left corner, as dropped,
 * unless a family covers that place: see canvasLayout);
 * in a family in the slot of its frame nearest its x, y, the slot taken by a card that came before
 * (lower z) going to the nearest free one, so that no two cards of a family ever overlap.
 */
export function placeCards(container, view, elements) {
  for (const surface of container.querySelectorAll(".canvas-area")) {
    for (const [cardId, place] of canvasLayout(view, surface.dataset.zone).cards) {
      const node = elements.get(cardId);
      if (node) position(node, place.left, place.top);
    }
    for (const frame of surface.querySelectorAll(".family")) {
      for (const [cardId, slot] of familySlots(view, frame.dataset.zone)) {
        const node = elements.get(cardId);
        if (node) position(node, FAMILY.pad + slot.column * (CARD.width + CARD.gap), slot.row * (CARD.height + CARD.gap));
      }
    }
  }
}

/** Card id -> {column, row} for the cards of one family (see placeCards). */
export function familySlots(view, zoneId) {
  const cards = view.cardsIn(zoneId).sort((a, b) => a.z - b.z);
  const size = familySize(cards.length);
  const taken = new Set();
  const slots = new Map();
  for (const card of cards) {
    const wanted = {
      column: clamp(Math.round((card.x * size.width - FAMILY.pad) / (CARD.width + CARD.gap)), 0, FAMILY.columns - 1),
      row: clamp(Math.round((card.y * size.height - FAMILY.head - FAMILY.pad) / (CARD.height + CARD.gap)), 0, size.rows - 1),
    };
    let best = null;
    for (let row = 0; row < size.rows; row += 1) {
      for (let column = 0; column < FAMILY.columns; column += 1) {
        if (taken.has(`${row}/${column}`)) continue;
        const distance = Math.hypot(row - wanted.row, column - wanted.column);
        if (!best || distance < best.distance) best = { row, column, distance };
      }
    }
    taken.add(`${best.row}/${best.column}`);
    slots.set(card.id, { column: best.column, row: best.row });
  }
  return slots;
}

function position(node, left, top) {
  const x = `${Math.round(left)}px`;
  const y = `${Math.round(top)}px`;
  if (node.style.left !== x) node.style.left = x;
  if (node.style.top !== y) node.style.top = y;
}

/** A free place for a new family on a canvas: the first spot, row by row, that no family covers (CANVAS15
 *  pushes it below the others when the canvas is full). */
export function freeSpot(view, areaId) {
  const size = familySize(0);
  const frames = [...canvasLayout(view, areaId).families.values()];
  for (let top = FAMILY.gap; top + size.height <= SURFACE.height; top += size.height + FAMILY.gap) {
    for (let left = FAMILY.gap; left + size.width <= SURFACE.width; left += size.width + FAMILY.gap) {
      if (!frames.some((frame) => clash(box(left, top, size.width, size.height), frame))) {
        return { x: round(left / SURFACE.width), y: round(top / SURFACE.height) };
      }
    }
  }
  return { x: round(FAMILY.gap / SURFACE.width), y: 1 };
}

/** The place (fractions of the canvas) to send for family `zoneId` put with its top left corner at
 *  (left, top) px: the free place nearest to it, clear of every other family (CANVAS13). */
export function familySpot(view, areaId, zoneId, left, top) {
  const size = familySize(view.cardsIn(zoneId).length);
  const layout = canvasLayout(view, areaId, { moving: zoneId });
  const wanted = box(clamp(left, 0, SURFACE.width - size.width), Math.max(0, top), size.width, size.height);
  const spot = nearestFree(wanted, [...layout.families.values()], Math.max(SURFACE.height, layout.height));
  return { x: round(spot.left / SURFACE.width), y: round(Math.min(1, spot.top / SURFACE.height)) };
}

/** A card's place dropped at (x, y), fractions of a canvas drawn `height` px high, as fractions of the
 *  canvas's own size (what move_card carries: a canvas grown by its families keeps its coordinates). */
export function canvasFraction(x, y, height) {
  return { x, y: round(Math.min(1, (y * height) / SURFACE.height)) };
}

const round = (value) => Math.round(value * 1000) / 1000;

/**
 * The actions of a board page on families, through `connection`: make one (asked its name in a dialog,
 * put on a free spot), rename one, delete an empty one (asked first). `say` shows a message.
 */
export function familyActions(connection, { say }) {
  return {
    async create(areaId) {
      const name = await askText({ title: t("canvas.new_family_title"), label: t("canvas.family_name"),
        confirm: t("canvas.create") });
      if (!name) return;
      const spot = freeSpot(connection.view(), areaId);
      connection.send("create_zone", { zone_id: connection.newId("family"), area_id: areaId, label: name, ...spot });
    },
    rename(zoneId, name) {
      connection.send("rename_zone", { zone_id: zoneId, label: name });
    },
    async remove(zoneId) {
      const zone = connection.view().zones.get(zoneId);
      if (!zone) return;
      const sure = await confirmAction({ title: t("canvas.delete_title"),
        message: t("canvas.delete_confirm", { name: label(zone.label) }), confirm: t("canvas.delete"), danger: true });
      if (sure) connection.send("delete_zone", { zone_id: zoneId });
      else say?.("");
    },
  };
}

/** Whether this person may make, rename and delete families now (the server decides; this only offers). */
export function mayShapeFamilies(view, role) {
  const byFacilitator = view.format.canvas?.families_by === "facilitator";
  return role === "facilitator" || (!byFacilitator && view.allows("create_zone", role));
}

/** Turn the family controls on or off for this person now. */
export function updateFamilyControls(container, view, role) {
  const may = mayShapeFamilies(view, role);
  for (const button of container.querySelectorAll(".family-new, .family-move, .family-rename, .family-delete")) button.disabled = !may;
}

/** A refusal of a family command, in words (the server's codes mean something more precise here). */
export function familyRefusal(detail) {
  if (!["create_zone", "rename_zone", "delete_zone", "move_zone"].includes(detail.type)) return null;
  if (detail.code === "not_empty") return t("canvas.refused_not_empty");
  if (detail.code === "conflict" && detail.type !== "move_zone") return t("canvas.refused_conflict");
  return null;
}

/**
 * The projector: each canvas scaled to fill its screen (the room reads it from the back), never zoomed
 * out of sight: the whole canvas shows, its families where the teams put them.
 */
export function fitProjected(container, viewport) {
  const wraps = [...container.querySelectorAll(".canvas-wrap")];
  if (!wraps.length) return;
  const others = [...container.children].filter((node) => !node.classList.contains("canvas-wrap") && node.offsetParent !== null)
    .reduce((height, node) => height + node.offsetHeight, 0);
  for (const wrap of wraps) {
    wrap.style.zoom = 1;
    const width = viewport.clientWidth - 8;
    const height = (viewport.clientHeight - others) / wraps.length - 8;
    const scale = Math.min(width / wrap.offsetWidth, height / wrap.offsetHeight);
    wrap.style.zoom = String(Math.max(0.3, Math.min(2, scale)));
  }
}

/**
 * Where a card put on a canvas without a pointer (keyboard, "Placer dans…") goes: the first place, row by
 * row, that no family and no other card covers, so cards carried there one after another never pile up.
 */
export function freeCardSpot(view, areaId, movingId) {
  const layout = canvasLayout(view, areaId);
  const covered = [...layout.families.values(), ...[...layout.cards].filter(([id]) => id !== movingId).map(([, place]) => place)];
  for (let top = CARD.gap; top + CARD.height <= SURFACE.height; top += CARD.height + CARD.gap) {
    for (let left = CARD.gap; left + CARD.width <= SURFACE.width; left += CARD.width + CARD.gap) {
      if (!covered.some((other) => clash(box(left, top, CARD.width, CARD.height), other))) {
        return { x: round(left / SURFACE.width), y: round(top / SURFACE.height) };
      }
    }
  }
  return { x: 0.5, y: 0.5 };
}
