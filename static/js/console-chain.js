// The console's "Poursuivre dans un nouvel atelier": chosen cards of this board become the deck of a new
// board (spec CHAIN1-CHAIN7). The server lists the cards that may go (never a hidden one, never a name)
// and its presets (the vote's must-haves, a zone, the cards participants wrote, a kind...), each choice
// with the cards it ticks: a preset added on the server shows here with no change. The facilitator
// starts from a preset, ticks or unticks by hand, picks a format, and the new board's console opens in
// a new tab; this board is not changed.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

let dialog = null;

async function ask(path, options = {}) {
  try {
    const response = await fetch(`${location.pathname}/chain${path}`, { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } });
    return (await response.json().catch(() => null)) ?? { ok: false, message: t("chain.offline") };
  } catch {
    return { ok: false, message: t("chain.offline") };
  }
}

/** Build the section after `anchor` (a console section); call once. */
export function bindChain(connection, anchor) {
  const note = el("p", { id: "chain-note", class: "notice", role: "status", hidden: true });
  const open = el("button", { type: "button", id: "chain-open", class: "primary", text: t("chain.open") });
  const section = el("section", { class: "chain-control", "aria-labelledby": "chain-title" },
    el("h2", { id: "chain-title", text: t("chain.title") }),
    el("p", { class: "still", text: t("chain.hint") }), open, note);
  anchor.after(section);
  open.addEventListener("click", async () => {
    open.disabled = true;
    const offer = await ask("");
    open.disabled = false;
    if (!offer.ok) {
      showNote(note, t("chain.failed", { reason: offer.message }), true);
      return;
    }
    openDialog(offer, connection, note);
  });
}

function showNote(note, text, warning = false, link = null) {
  note.replaceChildren(el("span", { text }), ...(link ? [" ", link] : []));
  note.classList.toggle("warning", warning);
  note.hidden = false;
}

/** A card's line in the list: its text, and where it is, its team and its dots in small type. */
function cardLine(card) {
  const box = el("input", { type: "checkbox", value: card.id, id: `chain-card-${card.id}` });
  const meta = [label(card.zone), card.team ? t("origin.team", { name: card.team }) : card.speaker,
    card.votes ? t("chain.votes", { count: card.votes }) : "", card.rank ? t("chain.rank", { rank: card.rank }) : ""];
  return el("li", { "data-card": card.id },
    el("label", { class: "chain-card", for: box.id }, box,
      el("span", { class: "chain-card-text" }, el("strong", { text: card.text }),
        el("span", { class: "chain-card-meta", text: meta.filter(Boolean).join(" · ") }))));
}

function openDialog(offer, connection, note) {
  dialog?.remove();
  const choices = new Map(); // "preset:value" -> card ids
  const preset = el("select", { id: "chain-preset" }, el("option", { value: "", text: t("chain.by_hand") }),
    ...offer.presets.map((p) => el("optgroup", { label: label(p.label) },
      ...p.choices.map((choice) => {
        choices.set(`${p.id}:${choice.value}`, choice.card_ids);
        return el("option", { value: `${p.id}:${choice.value}`, text: `${label(p.label)} — ${label(choice.label)}` });
      }))));
  const format = el("select", { id: "chain-format" },
    ...offer.formats.map((f) => el("option", { value: f.id, text: label(f.name), selected: f.id === offer.format })));
  const title = el("input", { id: "chain-new-title", maxlength: "120", value: t("chain.default_title", { title: offer.title }).slice(0, 120) });
  const list = el("ul", { class: "chain-cards", "aria-labelledby": "chain-cards-title" }, ...offer.cards.map(cardLine));
  const boxes = [...list.querySelectorAll("input[type=checkbox]")];
  const count = el("p", { class: "chain-count", role: "status" });
  const clear = el("button", { type: "button", id: "chain-clear", text: t("chain.clear") });
  const cancel = el("button", { type: "button", id: "chain-cancel", text: t("dialog.cancel") });
  const create = el("button", { type: "button", id: "chain-create", class: "primary" });
  const problem = el("p", { class: "notice warning", role: "alert", hidden: true });
  dialog = el("dialog", { class: "chain-dialog", "aria-labelledby": "chain-dialog-title" },
    el("header", {},
      el("h2", { id: "chain-dialog-title", text: t("chain.title") }),
      el("div", { class: "chain-settings" },
        el("label", { class: "chain-preset-choice" }, el("span", { text: t("chain.preset") }), preset),
        el("label", {}, el("span", { text: t("chain.format") }), format),
        el("label", {}, el("span", { text: t("chain.new_title") }), title)),
      el("div", { class: "chain-count-row" }, count, clear)),
    el("div", { class: "chain-scroll" },
      el("h3", { id: "chain-cards-title", class: "visually-hidden", text: t("chain.cards") }), list),
    el("footer", { class: "dialog-actions" }, problem, cancel, create));
  document.body.append(dialog);

  const chosen = () => boxes.filter((box) => box.checked).map((box) => box.value);
  function update() {
    const n = chosen().length;
    count.textContent = t("chain.count", { count: n, total: boxes.length });
    create.textContent = t("chain.create", { count: n });
    create.disabled = n === 0;
  }
  function tick(ids) {
    const wanted = new Set(ids);
    for (const box of boxes) box.checked = wanted.has(box.value);
    update();
  }
  preset.addEventListener("change", () => tick(choices.get(preset.value) ?? chosen()));
  list.addEventListener("change", () => { preset.value = ""; update(); }); // by hand now: no preset claims it
  clear.addEventListener("click", () => { preset.value = ""; tick([]); });
  const close = () => { dialog?.close(); dialog?.remove(); dialog = null; };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); close(); });
  create.addEventListener("click", async () => {
    // The deck in the list's order (the ranking first): the order the facilitator sees is the new deck's.
    const ids = chosen();
    if (!ids.length) return;
    create.disabled = true;
    problem.hidden = true;
    const answer = await ask("", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ card_ids: ids, format: format.value, title: title.value }) });
    if (!answer.ok) {
      problem.textContent = t("chain.failed", { reason: answer.message });
      problem.hidden = false;
      create.disabled = false;
      return;
    }
    close();
    window.open(answer.facilitator_url, "_blank", "noopener"); // the new board's console, in a new tab
    const link = el("a", { href: answer.facilitator_url, target: "_blank", rel: "noopener", text: t("chain.open_new") });
    showNote(note, t("chain.created", { title: title.value || offer.title, count: ids.length }), false, link);
  });

  // A finished board starts from its ten first must-haves (all of them when fewer are ranked); a running
  // one from nothing ticked. Any other preset is one choice away.
  const start = ["must_haves:10", "must_haves:all"].find((key) => choices.has(key)) ?? "";
  preset.value = start;
  tick(choices.get(start) ?? []);
  dialog.showModal();
  preset.focus();
}
