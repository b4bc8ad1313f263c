// The console's "Importer des cartes": the facilitator's own deck from a file (CSV, XLSX, JSON) or
// pasted lines. The server reads the file and answers a preview (every card, every bad line with its
// reason) before anything changes; the facilitator confirms, and the same file is sent again for the
// import, which the board checks again and applies as one `deck_imported` event (board/http_deck.py).
import { t, label } from "./i18n.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const IMPORT_SEQUENCE = 0; // before or during the first sequence (spec DECK1)
let connection = null;
let dialog = null;

/** A catalogue entry when the page has one, else `fallback` (the server's own sentence). */
function phrase(key, params, fallback) {
  const text = t(key, params);
  return text === key ? fallback : text;
}

/** Why a file could not be read, in the page's language. */
function fileFault(answer) {
  return phrase(`deck_import.reason.${answer.reason}`, answer.params || {}, answer.message);
}

/** Why the import as a whole is refused (DECK1, DECK7, DECK8), in the page's language. */
function refusalText(refusal, deck) {
  return phrase(`deck_import.refusal.${refusal.code}`, { after: deck?.after ?? "" }, refusal.message);
}

/** The body to send: the chosen file, else the pasted text, with the mode. */
function requestBody(mode) {
  const body = new FormData();
  const file = $("deck-import-file").files[0];
  if (file) body.append("file", file, file.name);
  else body.append("text", $("deck-import-text").value);
  body.append("mode", mode);
  return body;
}

let mode = "add"; // the facilitator's choice in the preview: add to the deck, or replace it

async function post(path, body) {
  let response;
  try {
    response = await fetch(`${location.pathname}/deck/${path}`, { method: "POST", body, headers: { Accept: "application/json" } });
  } catch {
    return { ok: false, code: "unavailable", message: t("deck_import.offline") };
  }
  const answer = await response.json().catch(() => null);
  return answer ?? { ok: false, code: "unavailable", message: t("deck_import.unreadable_answer", { status: response.status }) };
}

async function preview(event) {
  event?.preventDefault();
  const note = $("deck-import-note");
  if (!$("deck-import-file").files[0] && !$("deck-import-text").value.trim()) {
    showNote(t("deck_import.nothing"), true);
    return;
  }
  note.hidden = true;
  $("deck-import-preview-button").disabled = true;
  const answer = await post("preview", requestBody(mode));
  $("deck-import-preview-button").disabled = false;
  if (!answer.ok) {
    showNote(t("deck_import.unreadable", { reason: fileFault(answer) }), true);
    return;
  }
  openPreview(answer);
}

/** The preview again in the other mode: which lines are duplicates of the deck depends on it. */
async function switchMode(chosen) {
  mode = chosen;
  const answer = await post("preview", requestBody(mode));
  if (answer.ok) openPreview(answer, true);
}

/** Replace or add, as two radio buttons saying what each does. */
function modeChoice(answer) {
  const option = (value) => {
    const input = el("input", { type: "radio", name: "deck-import-mode", value, checked: answer.mode === value });
    input.addEventListener("change", () => switchMode(value));
    return el("label", { class: "deck-import-mode-option" }, input, el("span", { text: t(`deck_import.mode_${value}`) }));
  };
  return el("fieldset", { class: "deck-import-mode" }, el("legend", { text: t("deck_import.mode") }), option("add"), option("replace"));
}

function showNote(text, warning = false) {
  const note = $("deck-import-note");
  note.textContent = text;
  note.classList.toggle("warning", warning);
  note.hidden = false;
}

/** A row or column name in the page's language, from its id. */
function nameOf(entries, id) {
  const entry = entries.find((e) => e.id === id);
  return entry ? label(entry.short || entry.label) : "";
}

/** One bad line, as a sentence: its number, its reason, and what to write instead when known. */
function problemText(problem) {
  const params = { value: problem.value ?? "", first: problem.first_line ?? "", max: problem.code === "title_too_long" ? 280 : 1000 };
  let text = t(`deck_import.problem.${problem.code}`, params);
  if (problem.suggestion) text += ` ${t("deck_import.suggest", { name: label(problem.suggestion.label) })}`;
  return text;
}

function openPreview(answer, keepModeFocus = false) {
  dialog?.close();
  dialog?.remove();
  const { rows, columns } = connection.confirmed.format.panorama;
  const problems = answer.problems.map((problem) => el("li", { "data-line": problem.line },
    el("span", { class: "line-number", text: t("deck_import.line", { line: problem.line }) }),
    el("span", { class: "problem-reason", text: problemText(problem) }),
    problem.text ? el("span", { class: "problem-title", text: `« ${problem.text} »` }) : null));
  const cards = answer.cards.map((card) => el("tr", { "data-line": card.line },
    el("td", { class: "line-number", text: String(card.line) }),
    el("td", {}, el("strong", { text: card.text }), card.description ? el("span", { class: "card-description", text: card.description }) : null),
    el("td", { text: nameOf(rows, card.domain) || "—" }),
    el("td", { text: nameOf(columns, card.category) || "—" })));
  const deck = answer.deck;
  const effect = answer.mode === "replace"
    ? t("deck_import.effect_replace", { removed: deck.removed, placed: deck.placed, after: deck.after })
    : t("deck_import.effect_add", { before: deck.in_deck + deck.placed, after: deck.after });
  const refusal = answer.refusal
    ? el("p", { class: "notice warning", role: "alert", text: refusalText(answer.refusal, answer.deck) }) : null;
  const confirm = el("button", { type: "button", class: "primary", id: "deck-import-confirm",
    text: t("deck_import.confirm", { count: answer.cards.length }) });
  confirm.disabled = Boolean(answer.refusal);
  const cancel = el("button", { type: "button", id: "deck-import-cancel", text: t("dialog.cancel") });
  dialog = el("dialog", { class: "deck-import-dialog", "aria-labelledby": "deck-import-dialog-title" },
    el("header", {},
      el("h2", { id: "deck-import-dialog-title", text: t("deck_import.preview_title", { source: answer.source || t("deck_import.pasted") }) }),
      el("p", { class: "deck-import-summary", text: t("deck_import.summary", { cards: answer.cards.length, skipped: answer.problems.length }) }),
      modeChoice(answer), el("p", { class: "deck-import-effect", text: effect }), refusal),
    el("div", { class: "deck-import-scroll" },
      answer.problems.length ? el("section", { class: "deck-import-problems", "aria-labelledby": "deck-import-problems-title" },
        el("h3", { id: "deck-import-problems-title", text: t("deck_import.problems", { count: answer.problems.length }) }),
        el("ul", {}, ...problems)) : null,
      el("section", { class: "deck-import-cards", "aria-labelledby": "deck-import-cards-title" },
        el("h3", { id: "deck-import-cards-title", text: t("deck_import.cards", { count: answer.cards.length }) }),
        el("table", {},
          el("thead", {}, el("tr", {}, ...["line_short", "card", "domain", "category"].map((key) => el("th", { scope: "col", text: t(`deck_import.column.${key}`) })))),
          el("tbody", {}, ...cards)))),
    el("footer", { class: "dialog-actions" }, cancel, confirm));
  document.body.append(dialog);
  cancel.addEventListener("click", closePreview);
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); closePreview(); });
  confirm.addEventListener("click", () => importDeck(answer.mode, confirm));
  dialog.showModal();
  (keepModeFocus ? dialog.querySelector(".deck-import-mode input:checked") : cancel).focus();
}

function closePreview() {
  dialog?.close();
  dialog?.remove();
  dialog = null;
}

async function importDeck(mode, button) {
  button.disabled = true;
  const body = requestBody(mode);
  body.append("command_id", `deck-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  const answer = await post("import", body);
  if (!answer.ok) {
    button.disabled = false;
    const footer = dialog.querySelector("footer");
    footer.querySelector(".notice")?.remove();
    const reason = answer.reason ? fileFault(answer) : refusalText(answer);
    footer.prepend(el("p", { class: "notice warning", role: "alert", text: t("deck_import.failed", { reason }) }));
    return;
  }
  closePreview();
  $("deck-import-form").reset();
  mode = "add";
  showNote(t("deck_import.done", { imported: answer.imported, skipped: answer.skipped, removed: answer.removed }));
}

/** The deck's count, and the section only while importing is open: after the first sequence it
 * gives its place back to the vote (the server refuses an import then anyway, spec DECK1). */
export function renderDeckImport(view) {
  const deck = [...view.cards.values()].filter((card) => card.kind === "deck");
  const placed = deck.filter((card) => view.zones.get(card.zone)?.kind !== "deck").length;
  const status = t("deck_import.status", { count: deck.length, placed });
  if ($("deck-import-status").textContent !== status) $("deck-import-status").textContent = status;
  $("deck-import-form").closest("section").hidden = view.sequence !== IMPORT_SEQUENCE;
}

/** Wire the section to the console's Connection; call once. */
export function bindDeckImport(conn) {
  connection = conn;
  $("deck-import-form").addEventListener("submit", preview);
  $("deck-import-file").addEventListener("change", () => { if ($("deck-import-file").files[0]) preview(); });
  connection.addEventListener("change", () => { if (connection.confirmed) renderDeckImport(connection.view()); });
}
