// The participants' material: the texts, quotes and links the facilitator attached, in a side panel
// opened by a "Ressources" button. The button shows only while the current sequence shows the
// material and there is some (board/domain/material.py, MAT7); outside those sequences the server
// sends this page no item at all (MAT6), so the panel has nothing to hide. It comes and goes with
// the sequence, without a reload; on a phone it is a sheet over the board, closed by its button.
import { t } from "./i18n.js";
import { el } from "./render.js";

const PHONE = window.matchMedia("(max-width: 700px)");

/** Whether a page holding `view` shows the material now. */
export function materialShown(view) {
  return view.material.sequences.includes(view.sequence) && view.material.items.length > 0;
}

/** An address the browser may open: the server lets only http(s) through (MAT4); checked again here. */
function safeAddress(url) {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/** One item as the panel shows it: a text, a quote (as a quotation) or a link (with its address). */
function itemNode(item) {
  const node = el("li", { class: "material-item", "data-kind": item.kind, "data-material": item.id },
    el("span", { class: "material-kind", text: t(`material.kind_${item.kind}`) }));
  if (item.title) node.append(el("h3", { class: "material-item-title", text: item.title }));
  if (item.kind === "quote") {
    const quote = el("figure", { class: "material-quote" }, el("blockquote", {}, el("p", { text: item.body })));
    if (item.author) quote.append(el("figcaption", { text: t("material.quote_by", { author: item.author }) }));
    node.append(quote);
    return node;
  }
  if (item.body) node.append(el("p", { class: "material-body", text: item.body }));
  const address = item.kind === "link" ? safeAddress(item.url) : null;
  if (address) {
    // The address itself is the link's text: one sees where it leads before opening it.
    node.append(el("a", { class: "material-link", href: address, target: "_blank", rel: "noopener noreferrer" },
      el("span", { class: "material-url", text: address }),
      el("span", { class: "visually-hidden", text: ` (${t("material.new_tab")})` })));
  }
  return node;
}

/** Build the button and the panel, and keep them as the board says. `toolbar` holds the button on
 *  a wide screen; on a phone it goes beside the deck's button (`phoneBar`), which is always in view.
 *  `say(text)` tells a screen reader when the button appears, which nothing else would. */
export function bindMaterialPanel(connection, { toolbar, phoneBar = null, say = () => {} }) {
  const count = el("span", { class: "material-count" });
  const toggle = el("button", { type: "button", id: "material-toggle", class: "material-toggle",
    "aria-expanded": "false", "aria-controls": "material-panel", hidden: "" },
  el("span", { text: t("material.open") }), " ", count, el("span", { class: "visually-hidden", text: ` ${t("material.to_read")}` }));
  const close = el("button", { type: "button", id: "material-close", class: "material-close", text: t("dialog.close") });
  const list = el("ol", { id: "material-items", class: "material-items" });
  const offline = el("p", { id: "material-offline", class: "material-offline", text: t("material.offline_links") });
  const panel = el("aside", { id: "material-panel", class: "material-panel", "aria-labelledby": "material-title", hidden: "" },
    el("div", { class: "material-head" }, el("h2", { id: "material-title", tabindex: "-1", text: t("material.title") }), close),
    el("div", { class: "material-scroll" }, offline, list));
  document.body.append(panel);

  const place = () => {
    const home = PHONE.matches && phoneBar ? phoneBar : toolbar;
    if (toggle.parentElement !== home) home.prepend(toggle);
  };
  place();
  PHONE.addEventListener("change", place);

  // On a wide screen the panel starts under the top bar, whose tools stay in reach.
  const topbar = document.querySelector(".topbar");
  const fitUnderTopbar = () => {
    const bottom = topbar ? Math.max(0, Math.round(topbar.getBoundingClientRect().bottom)) : 0;
    panel.style.setProperty("--material-top", `${bottom}px`);
  };
  window.addEventListener("resize", () => { if (!panel.hidden) fitUnderTopbar(); });

  const setOpen = (open, { focus = true } = {}) => {
    if (open) fitUnderTopbar();
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("material-open", open);
    if (open && focus) panel.querySelector("h2").focus({ preventScroll: true });
    else if (!open && focus && panel.contains(document.activeElement)) toggle.focus();
  };
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false); });

  let shownItems = null;
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const shown = materialShown(view);
    if (shown && toggle.hidden && shownItems !== null) say(t("material.arrived"));
    toggle.hidden = !shown;
    document.body.classList.toggle("material-available", shown); // the phone's top bar makes room for it
    if (!shown) {
      if (!panel.hidden) setOpen(false, { focus: panel.contains(document.activeElement) });
      shownItems = shownItems ?? ""; // the page has been drawn once: a button that comes later is said
      return;
    }
    const items = JSON.stringify(view.material.items);
    if (items === shownItems) return;
    shownItems = items;
    count.textContent = String(view.material.items.length);
    list.replaceChildren(...view.material.items.map(itemNode));
    offline.hidden = !view.material.items.some((item) => item.kind === "link");
  };
  connection.addEventListener("change", render);
  render();
  return { toggle, panel, setOpen };
}
