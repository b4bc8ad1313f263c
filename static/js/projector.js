// The projector: the whole Panorama, live and read-only, fitted to the screen, large type.
import { Connection } from "./connection.js";
import { label, loadCatalogue, t } from "./i18n.js";
import { buildPanorama, cardElement, el, renderCards, zoneName } from "./render.js";

const RESULTS_SHOWN = 10;

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());

await loadCatalogue();
const connection = new Connection(token);
const elements = new Map();
let built = false;

function render() {
  if (!connection.confirmed) return;
  const view = connection.confirmed;
  if (!built) {
    buildPanorama($("panorama"), view);
    $("workshop-name").textContent = label(view.format.name);
    document.title = `${label(view.format.name)} — ${t("projector.label")}`;
    built = true;
  }
  $("sequence-name").textContent = t("sequence.current", { number: view.sequence + 1, name: label(view.currentSequence.name) });
  $("sequence-instruction").textContent = label(view.currentSequence.instruction);
  renderCards($("panorama"), view, elements, (card) => cardElement(card, { focusable: false }));
  $("join-corner").hidden = !view.display.show_join;
  renderResults(view);
  fit();
}

/** After the reveal: the must-haves, best first, ties sharing a rank. */
function renderResults(view) {
  const results = view.vote.results;
  $("results").hidden = !results;
  if (!results) return;
  $("results-list").replaceChildren(...results.overall.slice(0, RESULTS_SHOWN).map((entry) => {
    const card = view.cards.get(entry.card_id);
    return el("li", { "data-rank": String(entry.rank) },
      el("span", { class: "rank", text: t("results.badge", { rank: entry.rank, dots: entry.dots }) }),
      el("span", { class: "text", text: card?.text ?? "" }),
      el("span", { class: "where", text: card ? zoneName(view, card.zone) : "" }));
  }));
  // Per domain row: the first of each, ties included.
  $("results-rows").replaceChildren(...view.format.panorama.rows.flatMap((row) => {
    const ranked = results.by_row[row.id];
    if (!ranked) return [];
    const best = ranked.filter((entry) => entry.rank === 1);
    return [el("dt", { text: label(row.short || row.label) }),
      ...best.map((entry) => el("dd", { text: `${view.cards.get(entry.card_id)?.text ?? ""} (${entry.dots} ●)` }))];
  }));
}

/** Scale the Panorama so that all of it shows on the screen, however many cards it holds. */
function fit() {
  const viewport = $("viewport");
  const panorama = $("panorama");
  panorama.style.zoom = 1;
  let scale = Math.max(0.3, Math.min(1.6, viewport.clientWidth / panorama.scrollWidth, (viewport.clientHeight - 8) / panorama.scrollHeight));
  panorama.style.zoom = String(scale);
  // The Panorama's width is the screen's: zooming in narrows it, its texts wrap and it grows taller.
  // Shrink again until nothing is cut at the bottom.
  for (let i = 0; i < 20 && scale > 0.3 && viewport.scrollHeight > viewport.clientHeight; i++) {
    scale = Math.max(0.3, scale * 0.97);
    panorama.style.zoom = String(scale);
  }
}

connection.addEventListener("change", render);
connection.addEventListener("status", () => {
  $("banner").hidden = connection.status === "online";
  $("banner").textContent = connection.status === "refused" ? t("status.refused") : t("status.offline");
});
window.addEventListener("resize", fit);
window.atelier = { connection };
