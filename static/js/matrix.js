// The two-axis matrix (board/domain/ratings.py, RATE8): each card rated on both axes drawn at the mean
// of its raters' values, its spread (lowest to highest) as a cross of bars, kept cards marked. The first
// axis runs across, the second up; the scale's middle splits the plot into four quadrants.
// Labels are HTML (readable, measurable); each is put where it overlaps no other, a leader line back to
// its point when it had to move away from it.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

const PAD = 7; // % of the plot kept free on each side, so a point at the scale's end is not on the edge
const SVG = "http://www.w3.org/2000/svg";

/** The format's two axes ([] when it rates nothing). */
export function axesOf(view) {
  const axes = view.format.axes || [];
  return axes.length === 2 ? axes : [];
}

/** A card's place on one axis from its ratings: {mean, min, max, count}, or null when nobody rated it. */
export function spotOn(card, axisId) {
  const values = Object.values(card.ratings?.[axisId] || {});
  if (!values.length) return null;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values),
    max: Math.max(...values), count: values.length };
}

/** Every visible card rated on both axes, with its place: [{card, x, y}], in a stable order. */
export function matrixEntries(view) {
  const axes = axesOf(view);
  if (!axes.length) return [];
  const entries = [];
  for (const card of view.cards.values()) {
    if (card.hidden) continue;
    const x = spotOn(card, axes[0].id);
    const y = spotOn(card, axes[1].id);
    if (x && y) entries.push({ card, x, y });
  }
  return entries.sort((a, b) => a.card.text.localeCompare(b.card.text, "fr") || a.card.id.localeCompare(b.card.id));
}

/** Where a value sits along an axis, in % of the plot (0 at the low end). */
function percent(axis, value) {
  return PAD + ((100 - 2 * PAD) * (value - axis.min)) / (axis.max - axis.min);
}

/**
 * Build a matrix in `parent`. `onPick(card)` (optional) makes each label a button (the console's keep
 * and unkeep). Returns {render(view)}; the caller redraws it when the board changes.
 */
export function createMatrix(parent, { onPick = null, variant = "board" } = {}) {
  const yLabel = el("div", { class: "matrix-axis-y" });
  const xLabel = el("div", { class: "matrix-axis-x" });
  const plot = el("div", { class: "matrix-plot", role: "img" });
  const box = el("figure", { class: `matrix matrix-${variant}` }, yLabel, plot, xLabel,
    el("figcaption", { class: "matrix-caption" }));
  parent.append(box);
  let lastView = null;
  new ResizeObserver(() => lastView && draw(lastView)).observe(plot);

  function draw(view) {
    lastView = view;
    const axes = axesOf(view);
    box.hidden = !axes.length;
    if (!axes.length) return;
    const [ax, ay] = axes;
    xLabel.replaceChildren(el("span", { class: "matrix-end", text: ax.low ? label(ax.low) : "" }),
      el("strong", { text: `${label(ax.label)} →` }), el("span", { class: "matrix-end", text: ax.high ? label(ax.high) : "" }));
    yLabel.replaceChildren(el("span", { class: "matrix-end", text: ay.low ? label(ay.low) : "" }),
      el("strong", { text: `${label(ay.label)} →` }), el("span", { class: "matrix-end", text: ay.high ? label(ay.high) : "" }));
    const entries = matrixEntries(view);
    const kept = entries.filter((entry) => entry.card.kept).length;
    box.querySelector(".matrix-caption").textContent = entries.length
      ? t("matrix.caption", { count: entries.length, kept }) : t("matrix.empty");
    plot.setAttribute("aria-label", t("matrix.label", { x: label(ax.label), y: label(ay.label) }));

    const middleX = percent(ax, (ax.min + ax.max) / 2);
    const middleY = percent(ay, (ay.min + ay.max) / 2);
    const nodes = [
      placed(el("div", { class: "matrix-quadrant-line matrix-quadrant-v" }), `left:${middleX}%`),
      placed(el("div", { class: "matrix-quadrant-line matrix-quadrant-h" }), `bottom:${middleY}%`),
    ];
    for (let v = ax.min; v <= ax.max; v += 1) {
      nodes.push(placed(el("span", { class: "matrix-tick matrix-tick-x", text: String(v) }), `left:${percent(ax, v)}%`));
    }
    for (let v = ay.min; v <= ay.max; v += 1) {
      nodes.push(placed(el("span", { class: "matrix-tick matrix-tick-y", text: String(v) }), `bottom:${percent(ay, v)}%`));
    }
    const leaders = document.createElementNS(SVG, "svg");
    leaders.setAttribute("class", "matrix-leaders");
    leaders.setAttribute("aria-hidden", "true");
    nodes.push(leaders);
    const labels = [];
    for (const entry of entries) {
      const { card, x, y } = entry;
      const left = percent(ax, x.mean);
      const bottom = percent(ay, y.mean);
      const kept = card.kept ? " kept" : "";
      // The spread: lowest to highest rating on each axis, through the mean.
      if (x.max > x.min) {
        nodes.push(placed(el("div", { class: `matrix-spread matrix-spread-x${kept}`, "aria-hidden": "true" }), `left:${percent(ax, x.min)}%;width:${percent(ax, x.max) - percent(ax, x.min)}%;bottom:${bottom}%`));
      }
      if (y.max > y.min) {
        nodes.push(placed(el("div", { class: `matrix-spread matrix-spread-y${kept}`, "aria-hidden": "true" }), `bottom:${percent(ay, y.min)}%;height:${percent(ay, y.max) - percent(ay, y.min)}%;left:${left}%`));
      }
      nodes.push(placed(el("span", { class: `matrix-point${kept}`, "data-point": card.id, "aria-hidden": "true" }), `left:${left}%;bottom:${bottom}%`));
      const said = t("matrix.point", { text: card.text, x: round(x.mean), y: round(y.mean), count: Math.max(x.count, y.count),
        xmin: x.min, xmax: x.max, ymin: y.min, ymax: y.max });
      const tag = onPick ? "button" : "span";
      const name = el(tag, { class: `matrix-label${kept}`, "data-label": card.id, title: said,
        "aria-label": card.kept ? `${said} ${t("matrix.kept")}` : said, type: onPick ? "button" : null,
        "aria-pressed": onPick ? String(Boolean(card.kept)) : null },
      card.kept ? el("span", { class: "matrix-star", "aria-hidden": "true", text: "★ " }) : null, card.text);
      if (onPick) name.addEventListener("click", () => onPick(card));
      nodes.push(name);
      labels.push({ node: name, left, bottom, id: card.id });
    }
    plot.replaceChildren(...nodes);
    placeLabels(plot, leaders, labels);
  }

  return { render: draw, element: box };
}

/** Set inline positions through the CSSOM: the page's CSP forbids style attributes, not this. */
function placed(node, css) {
  for (const rule of css.split(";")) {
    const [key, value] = rule.split(":");
    if (key && value) node.style.setProperty(key.trim(), value.trim());
  }
  return node;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

/** Put each label next to its point where it overlaps no other label and stays inside the plot. */
function placeLabels(plot, leaders, labels) {
  const width = plot.clientWidth;
  const height = plot.clientHeight;
  if (!width || !height) return;
  leaders.setAttribute("viewBox", `0 0 ${width} ${height}`);
  // The points are obstacles too: a label never hides another card's point.
  const dot = 14;
  const taken = labels.map((item) => ({ x: (item.left / 100) * width - dot / 2, y: height - (item.bottom / 100) * height - dot / 2,
    w: dot, h: dot }));
  const overlaps = (r) => taken.some((o) => r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h);
  const inside = (r) => r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height;
  // Labels near the middle of the crowd first would push the edges out: place from the top down.
  const order = [...labels].sort((a, b) => b.bottom - a.bottom || a.left - b.left);
  for (const item of order) {
    const w = Math.min(item.node.offsetWidth + 1, width);
    const h = item.node.offsetHeight;
    const px = (item.left / 100) * width;
    const py = height - (item.bottom / 100) * height;
    const gap = 8;
    const candidates = [];
    candidates.push({ x: px + gap, y: py - h / 2 }, { x: px - gap - w, y: py - h / 2 },
      { x: px - w / 2, y: py - gap - h }, { x: px - w / 2, y: py + gap });
    for (let step = 1; step <= 16; step += 1) {
      for (const sign of [-1, 1]) {
        const dy = sign * step * (h * 0.5 + 1);
        candidates.push({ x: px + gap, y: py - h / 2 + dy }, { x: px - gap - w, y: py - h / 2 + dy },
          { x: px - w / 2, y: py - h / 2 + dy });
      }
    }
    const clamp = (r) => ({ ...r, x: Math.max(0, Math.min(width - r.w, r.x)), y: Math.max(0, Math.min(height - r.h, r.y)) });
    let best = null;
    for (const c of candidates) {
      const rect = { x: c.x, y: c.y, w, h };
      if (inside(rect) && !overlaps(rect)) {
        best = rect;
        break;
      }
    }
    if (!best) best = clamp({ x: px + gap, y: py - h / 2, w, h }); // a crowd: stay by the point, inside
    taken.push(best);
    item.node.style.left = `${best.x}px`;
    item.node.style.top = `${best.y}px`;
    const nearX = Math.max(best.x, Math.min(px, best.x + w));
    const nearY = Math.max(best.y, Math.min(py, best.y + h));
    if (Math.hypot(nearX - px, nearY - py) > gap + 4) {
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", px);
      line.setAttribute("y1", py);
      line.setAttribute("x2", nearX);
      line.setAttribute("y2", nearY);
      leaders.append(line);
    }
  }
}
