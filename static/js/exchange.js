// Who can help whom (spec MARK6): from the marks participants put on cards, per family (zone), the
// pairs "X peut aider Y sur « … »". The same order as board/domain/marks.py's who_helps_whom: zones in
// the board's order, cards as every board shows them, helpers then learners by name.
// Shown on the board (a dialog from the toolbar) and on the projector (focus kind "exchange"). Its
// elements never carry data-zone or data-card: those are the board's cells and cards (render.js).
import { label, t } from "./i18n.js";
import { el, zoneName } from "./render.js";

/** The id of the format's mark with `role` ("offer" or "want"), or null. */
export function markWithRole(view, role) {
  return (view.format.marks || []).find((mark) => mark.role === role)?.id ?? null;
}

/** Whether the board has an offer and a want mark, hence something to show here. */
export function hasExchange(view) {
  return Boolean(markWithRole(view, "offer") && markWithRole(view, "want"));
}

/** [{zone, name, cards: [{id, text, pairs: [{helper, learner}]}]}]: names, in reading order. */
export function whoHelpsWhom(view) {
  const offer = markWithRole(view, "offer");
  const want = markWithRole(view, "want");
  if (!offer || !want) return [];
  const people = new Map([...view.participants.values()].filter((p) => p.role === "participant").map((p) => [p.id, p]));
  // While a sequence is anonymous (ANON2) names are withheld: a pair still says that someone can help.
  const nameOf = (id) => people.get(id).name || t("exchange.someone");
  const byName = (a, b) => compare(people.get(a).name.toLocaleLowerCase(), people.get(b).name.toLocaleLowerCase()) || compare(a, b);
  const groups = [];
  for (const zone of view.zones.values()) {
    if (zone.kind === "deck") continue;
    const cards = [];
    for (const card of view.cardsIn(zone.id)) {
      const helpers = (card.marks?.[offer] || []).filter((id) => people.has(id)).sort(byName);
      const learners = (card.marks?.[want] || []).filter((id) => people.has(id)).sort(byName);
      const pairs = helpers.flatMap((helper) => learners.filter((learner) => learner !== helper)
        .map((learner) => ({ helper: nameOf(helper), learner: nameOf(learner) })));
      if (pairs.length) cards.push({ id: card.id, text: card.text, pairs });
    }
    if (cards.length) groups.push({ zone: zone.id, name: zoneName(view, zone.id), cards });
  }
  return groups;
}

// Code-point order, as Python sorts str.casefold() keys (localeCompare would put "é" elsewhere).
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Draw the list into `container` (a section per family, a line per pair); a sentence when empty. */
export function renderExchange(container, view) {
  const groups = whoHelpsWhom(view);
  const key = JSON.stringify(groups);
  if (container.dataset.drawn === key) return;
  container.dataset.drawn = key;
  if (!groups.length) {
    container.replaceChildren(el("p", { class: "exchange-empty", text: t("exchange.empty"), "data-i18n": "exchange.empty" }));
    return;
  }
  container.replaceChildren(...groups.map((group) => el("section", { class: "exchange-family", "data-family": group.zone },
    el("h3", { text: group.name }),
    el("ul", {}, ...group.cards.flatMap((card) => card.pairs.map((pair) => el("li", { class: "exchange-pair", "data-of-card": card.id },
      el("strong", { text: pair.helper }), ` ${t("exchange.can_help")} `, el("strong", { text: pair.learner }),
      ` ${t("exchange.on")} `, el("span", { class: "exchange-card", text: t("exchange.card", { text: card.text }) }))))))));
}

/** The toolbar's "Qui aide qui ?" button and its dialog, on the board page; call once. */
export function bindExchangeDialog(connection, toolbar) {
  const button = el("button", { type: "button", id: "exchange-open", hidden: true, text: t("exchange.open"), "data-i18n": "exchange.open" });
  const list = el("div", { id: "exchange-list", class: "exchange-list" });
  const close = el("button", { type: "button", text: t("dialog.close"), "data-i18n": "dialog.close" });
  const dialog = el("dialog", { id: "exchange-dialog", class: "exchange-dialog", "aria-labelledby": "exchange-title" },
    el("h2", { id: "exchange-title", text: t("exchange.title"), "data-i18n": "exchange.title" }), list, el("div", { class: "dialog-actions" }, close));
  toolbar.prepend(button);
  document.body.append(dialog);
  button.addEventListener("click", () => {
    renderExchange(list, connection.view());
    dialog.showModal();
  });
  close.addEventListener("click", () => dialog.close());
  connection.addEventListener("change", () => {
    if (!connection.confirmed) return;
    const view = connection.view();
    button.hidden = !hasExchange(view);
    if (dialog.open) renderExchange(list, view);
  });
}

/** The format's marks as a person reads them: [{id, name}]. */
export function markNames(view) {
  return (view.format.marks || []).map((mark) => ({ id: mark.id, name: label(mark.label) }));
}
