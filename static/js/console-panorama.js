// The console's "Panorama" section: rename, add and remove the domains (rows) and categories (columns).
// Names are typed in the page's language (board/domain/panorama.py, PANO3: a French name carries over to
// English until translated). A line that holds cards cannot be removed: the server says so (not_empty),
// and this section says it next to the lists, in the page's language, naming the line.
import { confirmAction } from "./confirm.js";
import { label, lang, t } from "./i18n.js";
import { el } from "./render.js";

const COMMANDS = { rows: { rename: "rename_domain", add: "add_domain", remove: "remove_domain", key: "domain_id" },
  columns: { rename: "rename_category", add: "add_category", remove: "remove_category", key: "category_id" } };
const LABEL_MAX = 80;
const SHORT_MAX = 30;
const MAX_LINES = { rows: 12, columns: 4 }; // as panorama.MAX_LINES: the grid stays readable (PANO8)

/** Build the section before `before` (a section of the console) and keep it up to date. */
export function bindPanoramaLabels(connection, before) {
  const status = el("p", { id: "panorama-status", class: "notice warning", role: "alert", hidden: true });
  const groups = {
    rows: group("rows", connection, status),
    columns: group("columns", connection, status),
  };
  const section = el("section", { class: "panorama-labels", id: "panorama-labels", "aria-labelledby": "panorama-labels-title" },
    el("h2", { id: "panorama-labels-title", text: t("panorama_labels.title") }),
    el("p", { class: "still", text: t("panorama_labels.hint") }),
    status, groups.rows.node, groups.columns.node);
  before.before(section);

  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    for (const axis of ["rows", "columns"]) groups[axis].render(view);
  };
  connection.addEventListener("change", render);
  connection.addEventListener("rejected", ({ detail }) => {
    const text = panoramaRefusal(detail, connection.confirmed);
    if (text === null) return;
    // Said under the line (or the form) it is about, where the facilitator is looking, until the next change.
    const axis = axisOf(detail.type);
    const line = section.querySelector(`li[data-line="${CSS.escape(String(detail.data?.[COMMANDS[axis].key] ?? ""))}"]`);
    if (line) line.append(status);
    else groups[axis].node.querySelector(".panorama-add").after(status);
    say(status, text);
  });
  render();
}

/** One list (the domains or the categories) with a form per line, and a form to add one. */
function group(axis, connection, status) {
  const commands = COMMANDS[axis];
  const noun = axis === "rows" ? "domain" : "category";
  const list = el("ol", { class: "panorama-lines", id: `panorama-${axis}` });
  const addInput = el("input", { name: "label", required: true, maxlength: String(LABEL_MAX), id: `panorama-add-${noun}` });
  const addForm = el("form", { class: "row panorama-add" },
    el("label", {}, el("span", { text: t(`panorama_labels.new_${noun}`) }), addInput),
    el("button", { type: "submit", text: t(`panorama_labels.add_${noun}`) }));
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = addInput.value.trim();
    if (!text) return;
    const answer = await connection.send(commands.add, { label: text, language: lang });
    if (answer.ok) {
      addInput.value = "";
      say(status, "");
    }
  });
  const node = el("div", { class: "panorama-group" },
    el("h3", { text: t(`panorama_labels.${axis}`) }), list, addForm);
  const lines = new Map(); // line id -> its form

  function render(view) {
    const entries = view.format.panorama[axis];
    for (const [id, form] of lines) {
      if (!entries.some((entry) => entry.id === id)) {
        form.closest("li").remove();
        lines.delete(id);
      }
    }
    entries.forEach((entry, index) => {
      let form = lines.get(entry.id);
      if (!form) {
        form = lineForm(entry);
        lines.set(entry.id, form);
      }
      const item = form.closest("li");
      if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
      show(form.elements.label, label(entry.label));
      // A short name the same as the name is none (the grid shows the name).
      if (form.elements.short) show(form.elements.short, entry.short && label(entry.short) !== label(entry.label) ? label(entry.short) : "");
      const number = t(`panorama_labels.${noun}_number`, { number: index + 1 });
      const numberNode = item.querySelector(".panorama-number");
      if (numberNode.textContent !== number) {
        numberNode.textContent = number;
        item.querySelector('button[type="submit"]').setAttribute("aria-label", t("panorama_labels.rename_line", { line: number }));
        item.querySelector(".panorama-remove").setAttribute("aria-label", t("panorama_labels.remove_line", { line: number }));
      }
      const count = cardsIn(view, axis, entry.id);
      const counted = count ? t("panorama_labels.cards", { count }) : t("panorama_labels.empty");
      const countNode = item.querySelector(".panorama-count");
      if (countNode.textContent !== counted) countNode.textContent = counted;
      item.dataset.cards = String(count);
    });
  }

  function lineForm(entry) {
    const id = entry.id;
    const name = el("input", { name: "label", required: true, maxlength: String(LABEL_MAX) });
    // "Domaine 4": told apart from the others by its place, also by a screen reader (named in render).
    const fields = [el("label", { class: "panorama-name" }, el("span", { class: "panorama-number" }), name)];
    if (axis === "rows") {
      const short = el("input", { name: "short", maxlength: String(SHORT_MAX) });
      fields.push(el("label", { class: "panorama-short" }, el("span", { text: t("panorama_labels.short") }), short));
    }
    const remove = el("button", { type: "button", class: "panorama-remove", text: t("panorama_labels.remove") });
    const form = el("form", { class: "row panorama-line", "data-line": id }, ...fields,
      el("button", { type: "submit", text: t("panorama_labels.rename") }), remove);
    const item = el("li", { "data-line": id }, form, el("span", { class: "panorama-count still" }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = { [commands.key]: id, label: name.value.trim(), language: lang };
      if (form.elements.short && form.elements.short.value.trim()) data.short = form.elements.short.value.trim();
      const answer = await connection.send(commands.rename, data);
      if (answer.ok) say(status, "");
    });
    remove.addEventListener("click", async () => {
      const view = connection.confirmed;
      const entryNow = view.format.panorama[axis].find((line) => line.id === id);
      // A line with cards: the server refuses and this section says why; an empty one is asked about first.
      if (!cardsIn(view, axis, id)) {
        const yes = await confirmAction({ title: t(`panorama_labels.remove_${noun}_title`),
          message: t(`panorama_labels.remove_${noun}_message`, { name: label(entryNow?.label) }),
          confirm: t("panorama_labels.remove"), danger: true });
        if (!yes) return;
      }
      const answer = await connection.send(commands.remove, { [commands.key]: id });
      if (answer.ok) say(status, "");
    });
    return item.querySelector("form");
  }

  return { node, render };
}

/** Put a label in an input unless the facilitator is typing another one there (never overwritten). */
function show(input, value) {
  const typing = document.activeElement === input && input.value !== (input.dataset.shown ?? "");
  if (!typing) input.value = value;
  input.dataset.shown = value;
}

/** The cards in a row's or a column's cells (the facilitator sees every card, private ones too). */
function cardsIn(view, axis, id) {
  const side = axis === "rows" ? "row" : "column";
  let count = 0;
  for (const card of view.cards.values()) if (view.zones.get(card.zone)?.[side] === id) count++;
  return count;
}

function axisOf(type) {
  return Object.keys(COMMANDS).find((key) => Object.values(COMMANDS[key]).includes(type)) ?? null;
}

/** The refusal of one of this section's commands, in the page's language and naming the line; null for
 *  any other command (the console's toast says it too, console.js). */
export function panoramaRefusal(detail, view) {
  const axis = axisOf(detail.type);
  if (!axis) return null;
  const commands = COMMANDS[axis];
  const noun = axis === "rows" ? "domain" : "category";
  const entries = view?.format.panorama[axis] ?? [];
  const entry = entries.find((line) => line.id === detail.data?.[commands.key]);
  const name = label(entry?.label);
  if (detail.code === "not_empty") return t(`panorama_labels.not_empty_${noun}`, { name, count: cardsIn(view, axis, entry?.id) });
  if (detail.code === "conflict") {
    if (detail.type === commands.remove) return t(`panorama_labels.last_${noun}`);
    if (detail.type === commands.add && entries.length >= MAX_LINES[axis]) return t(`panorama_labels.full_${noun}`, { max: MAX_LINES[axis] });
    return t("panorama_labels.name_taken", { name: detail.data?.label ?? "" });
  }
  if (detail.code === "too_large") return t("panorama_labels.too_long", { max: LABEL_MAX, short: SHORT_MAX });
  if (detail.code === "bad_request" && detail.type === commands.rename) return t("panorama_labels.unchanged");
  return t(`error.${detail.code}`, { sequence: "" }) || detail.message;
}

function say(status, text) {
  status.textContent = text;
  status.hidden = !text;
}
