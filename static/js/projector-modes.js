// The projector's own views (spec DISPLAY8): the live feed of the latest quotes, newest first, and who
// can help whom, each in place of the board when the facilitator chooses it (display.focus kind
// "quotes" or "exchange"). Type is as large as lets everything fit: never below 28 px for quotes.
import { renderExchange } from "./exchange.js";
import { showAuthors } from "./marks.js";
import { t } from "./i18n.js";
import { focusOf } from "./projector-focus.js";
import { renderQuoteFeed } from "./quotes.js";
import { el } from "./render.js";

const MODES = new Set(["quotes", "exchange"]);
// Font sizes tried, largest first (CSS px at 1920x1080): quotes read from the back of the room.
const FONT_RANGE = { quotes: [56, 28], exchange: [40, 18] };

/** Add the view to the projector's stage and keep it up to date; call once. */
export function bindProjectorModes(connection, stage) {
  const title = el("h2", { class: "mode-title" });
  const body = el("div", { class: "mode-body" });
  const section = el("section", { id: "mode-view", class: "mode-view", hidden: true, "aria-labelledby": "mode-title" }, title, body);
  title.id = "mode-title";
  stage.prepend(section);
  let shown = "";
  const draw = () => {
    const view = connection.confirmed;
    if (!view) return;
    showAuthors(view); // the authors' names on the cards, where the format says so (MARK8)
    const kind = focusOf(view).kind;
    const on = MODES.has(kind);
    section.hidden = !on;
    document.body.classList.toggle("mode-on", on);
    if (!on) return;
    title.textContent = t(`projector.${kind}`);
    const before = body.dataset.drawn;
    if (kind === "quotes") renderQuoteFeed(body, view);
    else renderExchange(body, view);
    if (body.dataset.drawn !== before || shown !== kind) {
      shown = kind;
      requestAnimationFrame(() => fit(section, body, kind, view.version));
    } else {
      section.dataset.version = String(view.version);
    }
  };
  connection.addEventListener("change", draw);
  window.addEventListener("resize", () => {
    shown = "";
    draw();
  });
}

/** The largest font of the mode's range at which the whole list fits the section. */
function fit(section, body, kind, version) {
  const [high, low] = FONT_RANGE[kind];
  let size = high;
  for (; size > low; size -= 2) {
    body.style.setProperty("--mode-font", `${size}px`);
    if (body.scrollHeight <= body.clientHeight + 1 && body.scrollWidth <= body.clientWidth + 1) break;
  }
  body.style.setProperty("--mode-font", `${size}px`);
  section.dataset.font = String(size);
  section.dataset.version = String(version); // tests and people wait for the version shown
}
