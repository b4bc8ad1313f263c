// The campaign's glossary (GLOSS2): the terms and definitions a campaign gives every one of its boards, in
// the format's `glossary` (board/domain/formats.py). A "Glossaire" button in the page's top bar opens it as
// a side panel under the bar, on the participant's board, the console and the projector alike (larger type
// there, read from across the room). A board whose format has no glossary shows no button at all.
import { t } from "./i18n.js";
import { el } from "./render.js";

const PHONE = window.matchMedia("(max-width: 700px)");

/** The glossary of the board `view` shows: [{term, definition}], [] when its format has none. */
export function glossaryOf(view) {
  return Array.isArray(view?.format?.glossary) ? view.format.glossary : [];
}

/** Build the button (in `toolbar`) and the panel, and keep them as the board's format says.
 *  On a phone the button goes in `phoneBar` (the top bar's tools are folded in its menu there).
 *  `large` sets the projector's reading size; `atEnd` puts the button last in `toolbar`. */
export function bindGlossaryPanel(connection, { toolbar, phoneBar = null, large = false, atEnd = false }) {
  const toggle = el("button", { type: "button", id: "glossary-toggle", class: "glossary-toggle",
    "aria-expanded": "false", "aria-controls": "glossary-panel", hidden: "", text: t("glossary.open") });
  const close = el("button", { type: "button", id: "glossary-close", class: "glossary-close",
    "aria-label": t("glossary.close"), text: "×" });
  const list = el("dl", { id: "glossary-terms", class: "glossary-terms" });
  const panel = el("aside", { id: "glossary-panel", class: `glossary-panel${large ? " glossary-large" : ""}`,
    "aria-labelledby": "glossary-title", hidden: "" },
  el("div", { class: "glossary-head" }, el("h2", { id: "glossary-title", tabindex: "-1", text: t("glossary.title") }), close),
  el("div", { class: "glossary-scroll" }, list));
  // Built here, put in the page only while the board has a glossary: a board without one (and its
  // projector, which has no control at all) gets no button and no panel, not even hidden ones.
  let available = false;
  const place = () => {
    if (!available) return;
    const home = PHONE.matches && phoneBar ? phoneBar : toolbar;
    if (!home || toggle.parentElement === home) return;
    if (atEnd) home.append(toggle);
    else home.prepend(toggle);
  };
  PHONE.addEventListener("change", place);

  // Under the top bar, whose buttons stay in reach; measured when it opens (the bar wraps on narrow screens).
  const topbar = document.querySelector(".topbar");
  const fitUnderTopbar = () => {
    const bottom = topbar ? Math.max(0, Math.round(topbar.getBoundingClientRect().bottom)) : 0;
    panel.style.setProperty("--glossary-top", `${bottom}px`);
  };
  window.addEventListener("resize", () => { if (!panel.hidden) fitUnderTopbar(); });

  const setOpen = (open, { focus = true } = {}) => {
    if (open) fitUnderTopbar();
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && focus) panel.querySelector("h2").focus({ preventScroll: true });
    else if (!open && focus && panel.contains(document.activeElement)) toggle.focus();
  };
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false); });

  let shown = null;
  const render = () => {
    const terms = glossaryOf(connection.confirmed);
    const key = JSON.stringify(terms);
    if (key === shown) return;
    shown = key;
    available = terms.length > 0;
    toggle.hidden = !available;
    document.body.classList.toggle("glossary-available", available); // the phone's top bar makes room for it
    if (!available && !panel.hidden) setOpen(false, { focus: false });
    if (available) {
      if (!panel.isConnected) document.body.append(panel);
      place();
    } else {
      toggle.remove();
      panel.remove();
    }
    list.replaceChildren(...terms.flatMap((entry) => [
      el("dt", { class: "glossary-term", text: entry.term }),
      el("dd", { class: "glossary-definition", text: entry.definition })]));
  };
  connection.addEventListener("change", render);
  render();
  return { toggle, panel, setOpen };
}
