// The board on a phone (narrow screens, see layout.css): the tools behind one menu button, the deck
// as a sheet opened by a button and closed once a card is taken from it, and the Panorama one
// domain at a time, chosen in a list or stepped through with previous / next. Placing a card is
// done from the card's own dialog ("Placer dans…"), as on every screen.
// The controls exist on every screen; only the phone's style sheet shows them.
import { label, t } from "./i18n.js";
import { enableAreaPicker } from "./phone-areas.js";
import { el } from "./render.js";


/** Wire the phone's controls into the board page. `connection` is the page's Connection. */
export function enablePhoneLayout(connection) {
  const $ = (id) => document.getElementById(id);
  const topbar = document.querySelector(".topbar");
  const tools = topbar.querySelector(".tools");
  tools.id ||= "board-tools";

  // -- the menu: every tool behind one button ------------------------------------------------
  const menu = el("button", { type: "button", id: "menu-toggle", class: "phone-only", "aria-expanded": "false",
    "aria-controls": tools.id, text: `☰ ${t("phone.menu")}` });
  const setMenu = (open) => {
    topbar.classList.toggle("menu-open", open);
    menu.setAttribute("aria-expanded", String(open));
  };
  // The sequence's instruction has no room in the phone's top bar: the menu shows it first.
  const instruction = el("p", { class: "menu-instruction phone-only", "aria-hidden": "true" });
  tools.prepend(instruction);
  menu.addEventListener("click", () => {
    instruction.textContent = $("sequence-instruction").textContent;
    setMenu(!topbar.classList.contains("menu-open"));
  });
  tools.addEventListener("click", (event) => { if (event.target.closest("button")) setMenu(false); });

  // -- the deck as a sheet ---------------------------------------------------------------------
  const deckPanel = $("deck-panel");
  const deckButton = el("button", { type: "button", id: "deck-open", class: "phone-only", "aria-expanded": "false",
    "aria-controls": "deck-panel", text: t("phone.deck") });
  const close = el("button", { type: "button", id: "deck-close", class: "phone-only", text: t("dialog.close") });
  deckPanel.prepend(close);
  const setDeck = (open) => {
    // The sheet is the phone's way to fold the deck: a deck folded on a wider screen opens unfolded.
    if (open && $("deck-body").hidden) $("deck-fold").click();
    document.body.classList.toggle("deck-open", open);
    deckButton.setAttribute("aria-expanded", String(open));
    if (open) $("deck-search").focus({ preventScroll: true });
    else if (deckPanel.contains(document.activeElement)) deckButton.focus();
  };
  deckButton.addEventListener("click", () => setDeck(!document.body.classList.contains("deck-open")));
  close.addEventListener("click", () => setDeck(false));
  deckPanel.addEventListener("keydown", (event) => { if (event.key === "Escape") setDeck(false); });
  const menuBox = el("div", { class: "phone-bar phone-only" }, deckButton, menu);
  topbar.insertBefore(menuBox, tools);

  // -- one domain at a time --------------------------------------------------------------------
  const picker = el("select", { id: "domain-picker", "aria-label": t("phone.domain") });
  const previous = el("button", { type: "button", class: "domain-step", "aria-label": t("phone.previous"), text: "‹" });
  const next = el("button", { type: "button", class: "domain-step", "aria-label": t("phone.next"), text: "›" });
  const bar = el("nav", { class: "domain-bar phone-only", "aria-label": t("phone.domain") }, previous, picker, next);
  $("viewport").prepend(bar);
  let rows = [];
  const show = (index) => {
    const current = Math.min(rows.length - 1, Math.max(0, index));
    rows.forEach((row, i) => row.classList.toggle("current", i === current));
    picker.value = String(current);
    previous.disabled = current === 0;
    next.disabled = current === rows.length - 1;
    $("viewport").scrollTop = 0;
  };
  // A format without a Panorama shows one area (or family) at a time instead (phone-areas.js).
  let areas = null;
  picker.addEventListener("change", () => areas || show(Number(picker.value)));
  previous.addEventListener("click", () => areas || show(Number(picker.value) - 1));
  next.addEventListener("click", () => areas || show(Number(picker.value) + 1));

  let built = null;
  connection.addEventListener("change", ({ detail: event }) => {
    const grid = document.querySelector("#panorama .grid");
    const view = connection.confirmed;
    if (view && view.format.panorama.rows.length === 0) {
      areas ??= enableAreaPicker({ bar, picker, previous, next });
      areas(connection.view());
    } else if (grid && built !== grid && view) {
      built = grid;
      setUp(grid, view);
    }
    // A card taken from the deck: the sheet has done its job.
    if (event?.type === "card_moved" && event.actor === connection.you?.id && event.data.zone_id !== "deck") setDeck(false);
  });

  function setUp(grid, view) {
    const { rows: domains, columns } = view.format.panorama;
    rows = [...grid.querySelectorAll(".grid-row:not(.head)")];
    picker.replaceChildren(...domains.map((row, i) => el("option", { value: String(i), text: label(row.short || row.label) })));
    // Each cell names its category, since the column headers are not shown one domain at a time.
    for (const row of rows) {
      row.querySelectorAll(".cell").forEach((cellEl, i) => { cellEl.dataset.column = label(columns[i].label); });
    }
    // Start on the domain of my team, if it has one.
    const team = view.teams.get(view.participants.get(connection.you?.id)?.team);
    show(Math.max(0, domains.findIndex((row) => row.id === team?.domain)));
  }
}
