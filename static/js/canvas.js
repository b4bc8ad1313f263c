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
      const count = view.cardsIn(zone.id).length;
      const size = familySize(count);
      frame.style.width = `${size.width}px`;
      frame.style.height = `${size.height}px`;
      frame.style.left = `${clamp(zone.x * SURFACE.width, 0, SURFACE.width - size.width)}px`;
      frame.style.top = `${clamp(zone.y * SURFACE.height, 0, SURFACE.height - size.height)}px`;
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
 * Put each card of a canvas where it belongs: on the canvas at its x, y (its top left corner, as dropped);
 * in a family in the slot of its frame nearest its x, y, the slot taken by a card that came before
 * (lower z) going to the nearest free one, so that no two cards of a family ever overlap.
 */
export function placeCards(container, view, elements) {
  for (const surface of container.querySelectorAll(".canvas-area")) {
    for (const card of view.cardsIn(surface.dataset.zone)) {
      const node = elements.get(card.id);
      if (!node) continue;
      position(node, clamp(card.x * SURFACE.width, 0, SURFACE.width - CARD.width),
        clamp(card.y * SURFACE.height, 0, SURFACE.height - CARD.height));
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

/** A free place for a new family on a canvas: the first spot of a grid of frames that no family covers. */
export function freeSpot(view, areaId) {
  const size = familySize(0);
  const boxes = familiesOf(view, areaId).map((zone) => {
    const own = familySize(view.cardsIn(zone.id).length);
    const left = clamp(zone.x * SURFACE.width, 0, SURFACE.width - own.width);
    const top = clamp(zone.y * SURFACE.height, 0, SURFACE.height - own.height);
    return { left, top, right: left + own.width, bottom: top + own.height };
  });
  const stepX = size.width + FAMILY.gap;
  const stepY = size.height + FAMILY.gap;
  for (let top = FAMILY.gap; top + size.height <= SURFACE.height; top += stepY) {
    for (let left = FAMILY.gap; left + size.width <= SURFACE.width; left += stepX) {
      const free = boxes.every((box) => left + size.width <= box.left || left >= box.right
        || top + size.height <= box.top || top >= box.bottom);
      if (free) return { x: round(left / SURFACE.width), y: round(top / SURFACE.height) };
    }
  }
  const n = boxes.length % 8; // no room left: a cascade, each a little further, never off the canvas
  return { x: round((FAMILY.gap * (n + 1) * 3) / SURFACE.width), y: round((FAMILY.gap * (n + 1) * 3) / SURFACE.height) };
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
  for (const button of container.querySelectorAll(".family-new, .family-rename, .family-delete")) button.disabled = !may;
}

/** A refusal of a family command, in words (the server's codes mean something more precise here). */
export function familyRefusal(detail) {
  if (!["create_zone", "rename_zone", "delete_zone"].includes(detail.type)) return null;
  if (detail.code === "not_empty") return t("canvas.refused_not_empty");
  if (detail.code === "conflict") return t("canvas.refused_conflict");
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
  const covered = familiesOf(view, areaId).map((zone) => {
    const own = familySize(view.cardsIn(zone.id).length);
    const left = clamp(zone.x * SURFACE.width, 0, SURFACE.width - own.width);
    const top = clamp(zone.y * SURFACE.height, 0, SURFACE.height - own.height);
    return { left, top, right: left + own.width, bottom: top + own.height };
  });
  for (const card of view.cardsIn(areaId)) {
    if (card.id === movingId) continue;
    const left = clamp(card.x * SURFACE.width, 0, SURFACE.width - CARD.width);
    const top = clamp(card.y * SURFACE.height, 0, SURFACE.height - CARD.height);
    covered.push({ left, top, right: left + CARD.width, bottom: top + CARD.height });
  }
  for (let top = CARD.gap; top + CARD.height <= SURFACE.height; top += CARD.height + CARD.gap) {
    for (let left = CARD.gap; left + CARD.width <= SURFACE.width; left += CARD.width + CARD.gap) {
      const free = covered.every((box) => left + CARD.width <= box.left || left >= box.right
        || top + CARD.height <= box.top || top >= box.bottom);
      if (free) return { x: round(left / SURFACE.width), y: round(top / SURFACE.height) };
    }
  }
  return { x: 0.5, y: 0.5 };
}
