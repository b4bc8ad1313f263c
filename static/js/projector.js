// The projector: the board for the room, live and read-only, in type a room can read.
// The facilitator chooses what it shows (display.focus): the whole Panorama, one domain or one zone (a
// cell, an area or a family).
// No zoom: the layout keeps the cards at a fixed size and picks the largest that lets everything shown
// fit the screen (rows as tall as their cards, cards several a line, the free areas, results and join
// code beside the grid).
import { buildCanvases, fitProjected, placeCards, syncFamilies } from "./canvas.js";
import { Connection } from "./connection.js";
import { bindGone } from "./gone.js";
import { label, loadCatalogue, t } from "./i18n.js";
import { bindLinkClosed } from "./link-closed.js";
import { focusName, focusOf } from "./projector-focus.js";
import { bindLockBanner } from "./lock-banner.js";
import { bindProjectorPace, paceKey } from "./projector-pace.js";
import { bindProjectorMatrix } from "./projector-matrix.js";
import { buildPanorama, cardElement, el, renderCards, resultOf } from "./render.js";
import { panoramaKey } from "./panorama-grid.js";
import { bindProjectorModes } from "./projector-modes.js";
import { fitAreas, releaseAreas } from "./projector-areas.js";
import { stageFamily } from "./projector-family.js";
import { brokenWords, fitWords, keepHyphens, resetWords } from "./projector-words.js";
import { bindGlossaryPanel } from "./glossary.js";

// Card title sizes in CSS px: the overview never below 16 px at 1920×1080, one domain or one zone never
// below 28 px (the "readable from the back of the room").
// The arithmetic of a full board (62 deck cards and 10 new ones in 16 cells, 8 in the busiest) at
// 1920×1080: under a 40 px header, 8 rows share about 990 px; beside a 300 px column for the join code,
// the cells share about 1450 px. At 16 px a card of three 18 px lines is about 62 px tall, so the rows
// hold about 15 lines of cards; 9 cards a line (5 and 4, ~150 px wide, 16 characters a line) give the
// busiest rows two lines each. Three lines of 16 characters hold a title of up to ~45 characters (most
// of the 62): longer ones end in "…", and a name on every card costs a line, hence short team tags.
const FONT_RANGE = { overview: [16, 30], focus: [28, 64] };
const LAST_RESORT_FONT = 8; // an impossible board shrinks rather than loses cards off the screen
// On the overview a long title ends in "…" after 3 lines (2 on a board too full for that); one domain or
// one cell shows it whole.
const TITLE_LINES = [3, 2];
// A title whose longest word is wider than its card is set smaller, to this share of its size at most
// (projector-words.js); the overview's and one zone's minimum type still hold.
const LONG_WORD_RATIO = 0.8;
const RESULTS_SHOWN = 10;

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
const connection = new Connection(token);
bindProjectorPace(connection, $("side")); // the countdown and the done count, first beside the grid
const elements = new Map();
let built = false;
let builtFor = ""; // the labels the grid was built with (panorama-grid.js)
let fitScheduled = false;
let lastLayout = "";

function build(view) {
  for (const area of $("side-areas").querySelectorAll(".free-area")) area.remove(); // built again below
  buildPanorama($("panorama"), view);
  buildCanvases($("panorama"), view); // a canvas and its families, read-only (canvas.js)
  builtFor = panoramaKey(view);
  const rows = view.format.panorama.rows;
  $("panorama").querySelectorAll(".grid-row:not(.head)").forEach((line, index) => { line.dataset.row = rows[index].id; });
  // The free areas go beside the grid, not under it (a third of the screen stayed empty there).
  $("side-areas").append(...$("panorama").querySelectorAll(".free-area"));
  $("workshop-name").textContent = label(view.format.name);
  document.title = `${label(view.format.name)} — ${t("projector.label")}`;
  built = true;
}

function render() {
  if (!connection.confirmed) return;
  const view = connection.confirmed;
  if (!built || panoramaKey(view) !== builtFor) build(view); // also when a domain or category changed
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(view.currentSequence.name) });
  $("sequence-instruction").textContent = label(view.currentSequence.instruction);
  syncFamilies($("panorama"), view);
  stageFamily($("panorama"), view, focusOf(view)); // one family on the screen: its cards on a stage of their own
  renderCards($("stage"), view, elements, projectorCard);
  keepHyphens(); // render.js wrote the titles' plain text back
  placeCards($("panorama"), view, elements);
  const tags = teamTags(view);
  for (const [id, node] of elements) decorate(node, view.cards.get(id), view, tags);
  renderLegend(view, tags);
  $("join-corner").hidden = !view.display.show_join;
  showFocus(view);
  renderResults(view);
  // Most events change nothing the layout depends on (a dot during the vote, someone joining).
  const key = layoutKey(view);
  if (key !== lastLayout) {
    lastLayout = key;
    scheduleFit();
  } else if (!fitScheduled) {
    fitResults();
    laidOut(view);
  }
}

/** Say which version the screen's layout is for (tests and people wait for it after a change). */
function laidOut(view) {
  $("panorama").dataset.laidOut = String(view.version);
}

/** What the chosen layout depends on: what is shown, and every shown card's place, text and team. */
function layoutKey(view) {
  const cards = [...elements.keys()].map((id) => {
    const card = view.cards.get(id);
    return [id, card.zone, card.text, card.team, card.hidden, resultOf(view, id)?.dots, card.links]; // links: a list under it
  });
  const teams = [...view.teams.values()].map((team) => team.name);
  // Notes change a card's height (notes.js): a new one lays the screen out again.
  const notes = [...view.cards.values()].filter((card) => card.parent).map((card) => [card.id, card.parent, card.text]);
  return JSON.stringify([notes, builtFor, focusOf(view), view.display.show_join, Boolean(view.vote.results), Boolean(view.room?.locked), teams, cards, paceKey(view)]);
}

/** A card as the room sees it: its team's name in front of its title, on one line with it. */
function projectorCard(card) {
  const node = cardElement(card, { focusable: false });
  const body = node.querySelector(".card-body");
  body.prepend(el("p", { class: "card-line" }, el("span", { class: "card-total", hidden: true }),
    body.querySelector(".card-team"), el("span", { class: "card-tag", "aria-hidden": "true" }), " ", body.querySelector(".card-text")));
  return node;
}

function decorate(node, card, view, tags) {
  const colour = card.colour || view.teams.get(card.team)?.colour;
  node.style.setProperty("--team-ink", colour ? inkOn(colour) : "#fff");
  const tag = node.querySelector(".card-tag");
  const short = tags.get(card.team) ?? "";
  if (tag.textContent !== short) tag.textContent = short;
  const total = node.querySelector(".card-total");
  const result = resultOf(view, card.id);
  total.hidden = !result;
  const text = result ? `${t("results.dot_count", { dots: result.dots })} ` : "";
  if (total.textContent !== text) total.textContent = text;
}

/**
 * A short tag per team, for a crowded overview where a name on every card would not leave room for the
 * titles: the first letters of its first word (as few as keep the tags apart), then the initials or
 * numbers of the others ("Production" P, "Pilotage" Pi, "Équipe 3" É3). The legend gives the names.
 */
function teamTags(view) {
  const teams = [...view.teams.values()];
  const words = (team) => team.name.trim().split(/\s+/);
  const tagOf = (team, letters) => {
    const [first, ...rest] = words(team);
    const head = [...first].slice(0, letters).join("");
    return head.charAt(0).toLocaleUpperCase() + head.slice(1)
      + rest.map((word) => (/^\d+$/.test(word) ? word : [...word][0].toLocaleUpperCase())).join("");
  };
  const letters = new Map(teams.map((team) => [team.id, 1]));
  for (let round = 0; round < 6; round++) {
    const tags = teams.map((team) => tagOf(team, letters.get(team.id)));
    const clashing = teams.filter((team, i) => tags.indexOf(tags[i]) !== tags.lastIndexOf(tags[i]));
    if (!clashing.length) break;
    for (const team of clashing) letters.set(team.id, letters.get(team.id) + 1);
  }
  const tags = new Map(teams.map((team) => [team.id, tagOf(team, letters.get(team.id))]));
  // Still equal after six letters (names that differ only further on): number them.
  const seen = new Map();
  for (const [id, tag] of tags) {
    const count = (seen.get(tag) || 0) + 1;
    seen.set(tag, count);
    if (count > 1) tags.set(id, `${tag}${count}`);
  }
  return tags;
}

function renderLegend(view, tags) {
  $("team-legend").replaceChildren(...[...view.teams.values()].map((team) => {
    const tag = el("span", { class: "card-tag", text: tags.get(team.id) });
    const item = el("li", {}, tag, " ", el("span", { class: "legend-name", text: team.name }));
    item.style.setProperty("--team-colour", team.colour);
    item.style.setProperty("--team-ink", inkOn(team.colour));
    return item;
  }));
}

/** Black or white, whichever reads better on a team's colour (at least 4.5:1 for any colour). */
function inkOn(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) ? "#fff" : "#000";
}

/** Show what the facilitator chose: hide the rest of the grid, move a focused free area into view. */
function showFocus(view) {
  const focus = focusOf(view);
  const zone = focus.kind === "zone" ? view.zones.get(focus.id) : null;
  const kind = zone ? (zone.kind === "cell" ? "cell" : "area") : focus.kind;
  document.body.dataset.focus = kind;
  const rowId = focus.kind === "row" ? focus.id : zone?.row;
  const grid = $("panorama").querySelector(".grid");
  grid.classList.toggle("off", kind === "area");
  for (const line of grid.querySelectorAll(".grid-row")) {
    const isHead = line.classList.contains("head");
    line.classList.toggle("off", isHead ? kind === "cell" : kind !== "overview" && line.dataset.row !== rowId);
    for (const part of line.children) {
      const isLabel = part.matches(".corner, .row-head");
      part.classList.toggle("off", (kind === "row" && isLabel) || (kind === "cell" && (isLabel || part.dataset.zone !== focus.id)));
    }
  }
  for (const area of document.querySelectorAll(".free-area")) {
    // Without a Panorama (a format whose cards live in its areas), the areas are the stage itself.
    const onStage = (kind === "area" && area.dataset.zone === focus.id) || !view.format.panorama.rows.length;
    const target = onStage ? $("panorama") : $("side-areas");
    if (area.parentElement !== target) target.append(area);
  }
  // Without a Panorama, led to one area (a heading of themes): that area alone fills the screen, so its
  // cards and what hangs under them (notes, links) are set in the room's type, not the overview's.
  // A family likewise (projector-family.js), its canvas out of the way.
  const alone = kind === "area" && (!view.format.panorama.rows.length || zone.kind === "family");
  for (const part of $("panorama").querySelectorAll(":scope > .free-area, :scope > .canvas-wrap")) {
    part.classList.toggle("off", alone && (part.dataset.zone || part.dataset.canvas) !== focus.id);
  }
  $("focus-name").hidden = kind === "overview";
  $("focus-name").textContent = kind === "overview" ? "" : focusName(view, focus);
}

/** After the reveal: the must-haves, one rank a line (rank, title, dots); on one domain, that domain's. */
function renderResults(view) {
  const results = view.vote.results;
  document.body.classList.toggle("has-results", Boolean(results));
  $("results").hidden = !results;
  if (!results) return;
  const focus = focusOf(view);
  const row = focus.kind === "row" ? focus.id : null;
  const ranked = row ? results.by_row[row] || [] : results.overall;
  $("results-list").replaceChildren(...ranked.slice(0, RESULTS_SHOWN).map((entry) => el("li", { "data-rank": String(entry.rank) },
    el("span", { class: "rank", text: t("results.rank", { rank: entry.rank }) }),
    el("span", { class: "text", text: view.cards.get(entry.card_id)?.text ?? "" }),
    el("span", { class: "dots", text: t("results.dot_count", { dots: entry.dots }) }))));
  // Per domain, the first of each (ties included); one domain shown has its own ranking above instead.
  $("results-by-row").hidden = Boolean(row);
  $("results-rows").replaceChildren(...view.format.panorama.rows.flatMap((r) => {
    const best = (results.by_row[r.id] || []).filter((entry) => entry.rank === 1);
    if (!best.length) return [];
    return [el("dt", { text: label(r.short || r.label) }),
      ...best.map((entry) => el("dd", { text: `${view.cards.get(entry.card_id)?.text ?? ""} (${t("results.dot_count", { dots: entry.dots })})` }))];
  }));
}

function scheduleFit() {
  if (fitScheduled) return;
  fitScheduled = true;
  requestAnimationFrame(() => {
    fitScheduled = false;
    fit();
  });
}

/** The layouts worth trying for what is shown: column widths (by how many cards each column holds) and card widths. */
function layouts(kind) {
  const panorama = $("panorama");
  const columns = connection.confirmed.format.panorama.columns;
  const counts = columns.map((column) => [...panorama.querySelectorAll(".grid-row:not(.off) .cell:not(.off)")]
    .filter((cell) => cell.dataset.zone.endsWith(`/${column.id}`))
    .reduce((sum, cell) => sum + cell.querySelectorAll(".card").length, 0));
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  const head = kind === "overview" ? "9.5em " : "";
  // Shares in tens of fr: a column too narrow for its heading (an empty one, a new category) keeps its
  // heading's width, and fr that then add up to less than 1 would leave the rest of the screen unused.
  const shares = kind === "cell" || kind === "area" ? ["1fr"]
    : [0, 0.4, 0.8].map((mix) => head + counts.map((n) => `${(10 * ((1 - mix) / counts.length + mix * n / total)).toFixed(3)}fr`).join(" "));
  const widths = kind === "overview" ? ["8.5em", "9.5em", "11em", "12.5em"] : ["8em", "10em", "12.5em"];
  return shares.flatMap((template) => widths.map((cardWidth) => ({ template, cardWidth })));
}

/** Nothing shown spills out of the screen or out of its box beside the grid. */
function fits() {
  const viewport = $("viewport");
  const areas = $("side-areas");
  return viewport.scrollHeight <= viewport.clientHeight + 1 && viewport.scrollWidth <= viewport.clientWidth + 1
    && areas.scrollHeight <= areas.clientHeight + 1;
}

function apply(layout, font) {
  const panorama = $("panorama");
  panorama.style.setProperty("--card-font", `${font}px`);
  panorama.style.setProperty("--card-width", layout.cardWidth);
  $("side-areas").style.setProperty("--card-font", `${Math.max(FONT_RANGE.overview[0], Math.min(font, 22))}px`);
  panorama.querySelector(".grid").style.gridTemplateColumns = layout.template;
}

/**
 * The layout to show: among those worth trying (team names or short tags, column and card widths), at
 * the largest card font (in half pixels) each one fits, the one that cuts the fewest titles, then the one
 * with the largest type. A person across the room would rather read whole titles than large halves.
 */
function fit() {
  const view = connection.confirmed;
  if (!view) return;
  const kind = document.body.dataset.focus;
  const panorama = $("panorama");
  const [low, high] = kind === "overview" ? FONT_RANGE.overview : FONT_RANGE.focus;
  for (const cell of $("stage").querySelectorAll("[data-zone]")) cell.style.removeProperty("--title-lines");
  panorama.classList.remove("filled");
  resetWords($("stage"));
  if (kind === "overview" && !view.format.panorama.rows.length) {
    // No Panorama: the canvas and the free areas share the screen (projector-areas.js), team tags on the cards.
    panorama.style.setProperty("--title-lines", String(TITLE_LINES[0]));
    shortTeams(true);
    panorama.dataset.cardFont = String(fitAreas(panorama, $("viewport"), { low, high, floor: LAST_RESORT_FONT }));
    fitWords($("stage"), { ratio: LONG_WORD_RATIO });
    panorama.classList.add("filled");
    fitResults();
    laidOut(view);
    return;
  }
  releaseAreas(panorama);
  let best = null;
  // Before any type goes below the minimum, the titles of the overview are cut shorter.
  for (const lines of kind === "overview" ? TITLE_LINES : [TITLE_LINES[0]]) {
    panorama.style.setProperty("--title-lines", String(lines));
    best = bestLayout(kind, low, high);
    if (best) break;
  }
  // Too much for the readable minimum even so (a small screen): the largest type that shows everything.
  best ||= bestLayout(kind, LAST_RESORT_FONT, low - 0.5, { largestFirst: true })
    || { short: kind === "overview", layout: layouts(kind)[0], font: LAST_RESORT_FONT };
  shortTeams(best.short);
  apply(best.layout, best.font);
  panorama.classList.add("filled");
  if (kind === "overview") lengthenTitles();
  fitWords($("stage"), { floor: best.font >= low ? low : 0, ratio: LONG_WORD_RATIO });
  panorama.dataset.cardFont = String(best.font); // for people and tests reading the page
  fitProjected(panorama, $("viewport")); // a canvas fills what the screen has left
  fitResults();
  laidOut(view);
}

/** Of the layouts worth trying, at the largest font each fits (from `low`), the one that cuts the fewest
 *  titles, then the one with the largest type (or the largest type first); null when none fits at `low`. */
function bestLayout(kind, low, high, { largestFirst = false } = {}) {
  let best = null;
  // Fewest cut titles first; then the largest type, names on the cards counting as a quarter larger than tags.
  const weight = (candidate) => candidate.font * (candidate.short ? 0.8 : 1);
  const better = (a, b) => !b || (largestFirst ? a.font > b.font
    : a.cut < b.cut || (a.cut === b.cut && weight(a) > weight(b)));
  for (const short of kind === "overview" ? [false, true] : [false]) {
    shortTeams(short);
    for (const layout of layouts(kind)) {
      apply(layout, low);
      if (!fits()) continue;
      // Titles get cut more, not less, as the type grows: one that cuts more already cannot win.
      if (best && !largestFirst && faults() > best.cut) continue;
      const font = largestFitting(layout, low, high);
      apply(layout, font);
      const candidate = { short, layout, font, cut: faults() };
      if (better(candidate, best)) best = candidate;
    }
  }
  return best;
}

/** The largest font (in half pixels, from `low` that fits, to `high`) at which a layout fits: by growing
 *  steps first (a full board fits only a little above the minimum), then halving the last step. */
function largestFitting(layout, low, high) {
  let fitting = low;
  let failing = high + 0.5;
  for (let step = 1; fitting + step < failing; step *= 2) {
    apply(layout, Math.min(fitting + step, high));
    if (!fits()) {
      failing = Math.min(fitting + step, high);
      break;
    }
    fitting = Math.min(fitting + step, high);
  }
  while (failing - fitting > 0.5) {
    const middle = Math.round(fitting + failing) / 2; // half pixels
    apply(layout, middle);
    if (fits()) fitting = middle;
    else failing = middle;
  }
  return fitting;
}

/** Rows are as tall as their busiest cell: in the others, cut titles may take the lines left over. */
function lengthenTitles() {
  for (const cell of $("stage").querySelectorAll(".cell, .free-area")) {
    const clamp = Number($("panorama").style.getPropertyValue("--title-lines"));
    for (let lines = clamp + 1; lines <= clamp + 3; lines++) {
      const cut = [...cell.querySelectorAll(".card-line")].some((line) => line.scrollHeight > line.clientHeight + 1);
      if (!cut) break;
      const before = cell.getBoundingClientRect().height;
      cell.style.setProperty("--title-lines", String(lines));
      if (!fits() || cell.getBoundingClientRect().height > before + 1 || cell.scrollHeight > cell.clientHeight + 1) {
        cell.style.setProperty("--title-lines", String(lines - 1));
        if (lines === clamp + 1) cell.style.removeProperty("--title-lines");
        break;
      }
    }
  }
}

/** What a layout spoils: titles cut short, and titles with a word broken in two (projector-words.js). */
function faults() {
  return cutTitles() + brokenWords($("stage"));
}

/** How many titles shown end in "…" (the whole text is on the one-domain view). */
function cutTitles() {
  let cut = 0;
  for (const line of $("stage").querySelectorAll(".card-line")) {
    if (line.offsetParent && line.scrollHeight > line.clientHeight + 1) cut++;
  }
  return cut;
}

function shortTeams(short) {
  $("stage").classList.toggle("short-teams", short);
  $("team-legend").hidden = !short || !$("team-legend").children.length;
}

/** The results panel shows whole lines only: the per-domain list goes first, then the last ranks. */
function fitResults() {
  const panel = $("results");
  if (panel.hidden) return;
  const overflows = () => panel.scrollHeight > panel.clientHeight + 1;
  if (overflows()) $("results-by-row").hidden = true;
  const items = [...$("results-list").children];
  while (overflows() && items.length > 1) items.pop().remove();
}

bindLockBanner(connection); // before the render: the layout is fitted to the room the band leaves
bindProjectorModes(connection, $("stage")); // the quote feed and who helps whom (DISPLAY8)
bindGlossaryPanel(connection, { toolbar: document.querySelector(".topbar"), large: true, atEnd: true }); // a campaign's glossary, for the room
connection.addEventListener("change", render);
bindProjectorMatrix(connection); // a format with axes, in a sequence that opens rating
connection.addEventListener("status", () => {
  $("banner").hidden = connection.status === "online";
  $("banner").textContent = connection.status === "refused" ? t("status.refused") : t("status.offline");
  scheduleFit();
});
bindLinkClosed(connection, $("banner"));
bindGone(connection, { inert: "#stage" }); // after the banner's own listener: a deleted workshop says so
window.addEventListener("resize", scheduleFit);
window.atelier = { connection };
