// The projector's overview of a format without a Panorama (spec DISPLAY9): its canvas areas and its free
// areas share the screen, the canvas on top, the free areas side by side under it, each one visible and
// read from the back of the room. One size, searched for, drives both: the canvas is zoomed so that its
// cards' type is that size (as far as the screen's width lets it), and the free areas' cards are set in
// it (to the overview's largest). The largest size at which everything fits wins; neither part is given
// the screen at the other's expense (the canvas once took it all and left its areas a few pixels).

const SEARCH_STEP = 0.5; // px: the search stops when the fitting and failing sizes are this close

/**
 * Lay out `panorama`'s canvases and free areas inside `viewport` at the largest size that fits, from
 * `low` (or down to `floor` when even `low` does not fit) to the canvas's widest; free areas' cards
 * never above `high`. Returns the size (CSS px of a card's type as the room sees it).
 */
export function fitAreas(panorama, viewport, { low, high, floor }) {
  const wraps = [...panorama.querySelectorAll(":scope > .canvas-wrap:not(.off)")];
  const areas = [...panorama.querySelectorAll(":scope > .free-area:not(.off)")];
  panorama.classList.add("areas-overview");
  // Under the canvas suits a wide screen; beside it, a screen where the canvas is bound by the height.
  const arrangements = wraps.length && areas.length ? ["under", "beside"] : ["under"];
  let best = null;
  for (const arrangement of arrangements) {
    const tried = fitArrangement(panorama, viewport, wraps, areas, arrangement, { low, high, floor });
    if (!best || tried.shown > best.shown) best = tried;
  }
  if (best.arrangement !== arrangements.at(-1)) fitArrangement(panorama, viewport, wraps, areas, best.arrangement, { low, high, floor });
  return best.shown;
}

/** fitAreas for one arrangement; leaves it applied. Returns {arrangement, shown}: the smaller of the two
 *  sizes, the one the room reads at worst. */
function fitArrangement(panorama, viewport, wraps, areas, arrangement, { low, high, floor }) {
  const beside = arrangement === "beside";
  panorama.dataset.arrangement = arrangement;
  panorama.style.gridTemplateColumns = beside ? "max-content minmax(0, 1fr)" : `repeat(${Math.max(1, areas.length)}, minmax(0, 1fr))`;
  panorama.style.gridTemplateRows = beside ? `repeat(${areas.length}, auto)`
    : [...wraps.map(() => "auto"), ...(areas.length ? ["minmax(0, 1fr)"] : [])].join(" ") || "auto";
  for (const wrap of wraps) {
    wrap.style.zoom = "1";
    wrap.style.gridRow = beside ? `1 / span ${areas.length}` : "";
  }
  // The canvas is drawn at a fixed size (canvas.js): its width bounds its zoom, its cards' type says at which.
  const available = viewport.clientWidth - 8;
  const widest = Math.min(2, ...wraps.map((wrap) => available / wrap.offsetWidth));
  const canvasFont = wraps.length ? canvasCardFont(wraps[0]) : 0;
  const top = wraps.length ? canvasFont * widest : high;
  const apply = (size, areaSize = size) => {
    panorama.style.setProperty("--card-font", `${Math.min(areaSize, high)}px`);
    for (const wrap of wraps) wrap.style.zoom = String(Math.min(widest, size / canvasFont));
  };
  const fitsAt = (size, areaSize = size) => {
    apply(size, areaSize);
    return fits(viewport, areas);
  };
  // A screen too small for the readable minimum: the largest size that still shows everything.
  const size = largest(fitsAt, low, Math.max(low, top)) ?? largest(fitsAt, floor, low - SEARCH_STEP) ?? floor;
  // The canvas at that size, the free areas may still have room for larger type beside or under it.
  const areaSize = wraps.length ? largest((larger) => fitsAt(size, larger), size, Math.max(size, high)) ?? size : size;
  apply(size, areaSize);
  return { arrangement, shown: Math.min(size, areaSize) };
}

/** Undo what fitAreas set, for the projector's other views (one zone, one domain). */
export function releaseAreas(panorama) {
  if (!panorama.classList.contains("areas-overview")) return;
  panorama.classList.remove("areas-overview");
  panorama.style.removeProperty("grid-template-columns");
  panorama.style.removeProperty("grid-template-rows");
  for (const wrap of panorama.querySelectorAll(":scope > .canvas-wrap")) wrap.style.removeProperty("grid-row");
}

/** The largest size in [low, high], in half pixels, at which `fitsAt` holds, given it holds at `low`
 *  (returns null if it does not). */
function largest(fitsAt, low, high) {
  if (!fitsAt(low)) return null;
  if (fitsAt(high)) return high;
  let fitting = low;
  let failing = high;
  while (failing - fitting > SEARCH_STEP) {
    const middle = Math.round(fitting + failing) / 2; // half pixels
    if (fitsAt(middle)) fitting = middle;
    else failing = middle;
  }
  return fitting;
}

/** Nothing spills out of the screen, nor out of a free area (its own box is as tall as the row leaves it).
 *  The screen is held to the pixel: a zoomed canvas's frame may end a fraction past a whole one, and
 *  its last line of border then went under the screen's edge. */
function fits(viewport, areas) {
  return viewport.scrollHeight <= viewport.clientHeight && viewport.scrollWidth <= viewport.clientWidth
    && areas.every((area) => area.scrollHeight <= area.clientHeight + 1 && area.scrollWidth <= area.clientWidth + 1);
}

/** A canvas card's type at zoom 1, as the projector's sheet sets it (canvas.css). */
function canvasCardFont(wrap) {
  const body = wrap.querySelector(".canvas-area .card .card-body");
  if (body) return parseFloat(getComputedStyle(body).fontSize);
  // An empty canvas: ask the sheet with a card of its own, not shown.
  const probe = document.createElement("li");
  probe.className = "card";
  probe.hidden = true;
  const inner = document.createElement("div");
  inner.className = "card-body";
  probe.append(inner);
  wrap.querySelector(".canvas-area").append(probe);
  const size = parseFloat(getComputedStyle(inner).fontSize);
  probe.remove();
  return size;
}
