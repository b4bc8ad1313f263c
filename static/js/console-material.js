// The console's material section: the facilitator adds, edits, removes and reorders the texts,
// quotes and links participants read in their side panel, and ticks the sequences that show it.
// The rules are the server's (board/domain/material.py); this form only says early, in the page's
// language, what the server would refuse.
import { confirmAction } from "./confirm.js";
import { label, t } from "./i18n.js";
import { el } from "./render.js";

const LIMITS = { title: 120, body: 1000, author: 120, url: 500 };
// The fields each kind shows, as material.py's ALLOWED; the required ones carry `required`.
const FIELDS = { text: ["title", "body"], quote: ["body", "author", "title"], link: ["title", "url", "body"] };
const REQUIRED = { text: ["title", "body"], quote: ["body"], link: ["title", "url"] };

/** Why an address will not open for participants, or "" when it will (as material.web_address, MAT4). */
export function addressProblem(url) {
  if (/\s/.test(url)) return t("material.bad_url");
  try {
    const address = new URL(url);
    if (!["http:", "https:"].includes(address.protocol) || !address.hostname || address.username || address.password) {
      return t("material.bad_url");
    }
  } catch {
    return t("material.bad_url");
  }
  return /^https?:\/\/[^/]/i.test(url) ? "" : t("material.bad_url");
}

/** Build the section just before `anchor` (the console's personal-data section, last) and keep it up to date. */
export function bindConsoleMaterial(connection, anchor) {
  const note = el("p", { id: "material-note", class: "notice", role: "status" });
  const now = el("p", { id: "material-now", class: "material-now" }); // what participants see at this moment
  const list = el("ol", { id: "material-admin-list", class: "material-admin-list", "aria-labelledby": "material-console-title" });
  const empty = el("p", { id: "material-empty", class: "still", text: t("material.console_empty") });
  const sequences = el("div", { id: "material-sequences", class: "material-sequences" });
  const field = (name, control) => el("label", { "data-field": name },
    el("span", { class: "material-field-label" }), control);
  const kind = el("select", { name: "kind", id: "material-kind" },
    ...["text", "quote", "link"].map((k) => el("option", { value: k, text: t(`material.kind_${k}`) })));
  const inputs = {
    title: el("input", { name: "title", id: "material-title-input", maxlength: String(LIMITS.title) }),
    body: el("textarea", { name: "body", id: "material-body", maxlength: String(LIMITS.body), rows: "3" }),
    author: el("input", { name: "author", id: "material-author", maxlength: String(LIMITS.author) }),
    url: el("input", { name: "url", id: "material-url", type: "url", maxlength: String(LIMITS.url),
      placeholder: "https://", inputmode: "url" }),
  };
  const submit = el("button", { type: "submit", id: "material-submit", class: "primary" });
  const cancel = el("button", { type: "button", id: "material-cancel", text: t("material.cancel"), hidden: "" });
  const form = el("form", { id: "material-form", class: "material-form", novalidate: "" },
    el("label", {}, el("span", { text: t("material.field_kind") }), kind),
    ...["title", "body", "author", "url"].map((name) => field(name, inputs[name])),
    el("div", { class: "row" }, submit, cancel));
  const section = el("section", { class: "material-control", "aria-labelledby": "material-console-title" },
    el("h2", { id: "material-console-title", text: t("material.console_title") }),
    el("p", { class: "still", text: t("material.console_hint") }),
    el("fieldset", { class: "material-sequences-box" }, el("legend", { text: t("material.console_sequences") }), sequences),
    now, list, empty, form, note);
  anchor.before(section);

  let editing = null; // the id of the item the form edits, or null when it adds

  const showFields = () => {
    const chosen = editing ? connection.confirmed.material.items.find((i) => i.id === editing)?.kind : kind.value;
    for (const [name, input] of Object.entries(inputs)) {
      const box = input.closest("label");
      box.hidden = !FIELDS[chosen].includes(name);
      input.required = REQUIRED[chosen].includes(name);
      const key = name === "body" ? `material.field_body_${chosen}` : `material.field_${name}`;
      box.querySelector(".material-field-label").textContent = t(key)
        + (box.hidden || input.required ? "" : ` ${t("material.optional")}`);
    }
    kind.disabled = Boolean(editing); // an item keeps its kind (MAT3)
    submit.textContent = t(editing ? "material.save" : "material.add");
    cancel.hidden = !editing;
  };
  kind.addEventListener("change", showFields);

  const say = (text, problem = false) => {
    note.textContent = text;
    note.classList.toggle("warning", problem);
  };
  const reset = () => {
    editing = null;
    form.reset();
    showFields();
  };
  cancel.addEventListener("click", () => { reset(); say(""); });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = editing ? connection.confirmed.material.items.find((i) => i.id === editing)?.kind : kind.value;
    if (!chosen) return reset();
    const values = {};
    for (const name of FIELDS[chosen]) values[name] = inputs[name].value.trim();
    const missing = REQUIRED[chosen].find((name) => !values[name]);
    if (missing) {
      inputs[missing].focus();
      return say(t("material.missing", { field: t(missing === "body" ? `material.field_body_${chosen}` : `material.field_${missing}`) }), true);
    }
    const problem = values.url ? addressProblem(values.url) : "";
    if (problem) {
      inputs.url.focus();
      return say(problem, true);
    }
    const ack = editing ? await connection.send("edit_material", { material_id: editing, ...values })
      : await connection.send("add_material", { kind: chosen, ...values });
    if (!ack.ok) return say(`${t(`error.${ack.code}`, { sequence: "" })} (${ack.message})`, true);
    say(t(editing ? "material.saved" : "material.added"));
    reset();
  });

  const startEdit = (item) => {
    editing = item.id;
    kind.value = item.kind;
    for (const [name, input] of Object.entries(inputs)) input.value = item[name] || "";
    showFields();
    inputs[FIELDS[item.kind][0]].focus();
  };

  const remove = async (item) => {
    const name = item.title || item.body;
    const sure = await confirmAction({ title: t("material.remove_title"), message: t("material.remove_confirm", { title: name }),
      confirm: t("material.remove"), danger: true });
    if (!sure) return;
    const ack = await connection.send("remove_material", { material_id: item.id });
    if (ack.ok && editing === item.id) reset();
  };

  let drawn = null;
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const formatSequences = view.format.sequences;
    if (sequences.children.length !== formatSequences.length) {
      sequences.replaceChildren(...formatSequences.map((sequence, index) => {
        const box = el("input", { type: "checkbox", id: `material-seq-${index}`, "data-index": String(index) });
        box.addEventListener("change", () => {
          const chosen = new Set(connection.view().material.sequences);
          if (box.checked) chosen.add(index);
          else chosen.delete(index);
          connection.send("set_material_sequences", { sequences: [...chosen].sort((a, b) => a - b) });
        });
        return el("label", { class: "check" }, box, " ", el("span", { text: `${index + 1}. ${label(sequence.name)}` }));
      }));
    }
    const chosen = connection.view().material.sequences; // with a change still on its way: no flicker
    for (const box of sequences.querySelectorAll("input")) box.checked = chosen.includes(Number(box.dataset.index));
    const items = view.material.items;
    const shownNow = view.material.sequences.includes(view.sequence);
    const words = !items.length ? "" : t(shownNow ? "material.now_shown" : "material.now_hidden", { number: view.sequence + 1 });
    if (now.textContent !== words) now.textContent = words;
    now.hidden = !words;
    now.classList.toggle("shown", shownNow);
    const key = JSON.stringify(items);
    if (key !== drawn) {
      drawn = key;
      list.replaceChildren(...items.map((item, index) => {
        const name = item.title || item.body;
        const up = el("button", { type: "button", class: "material-up", "aria-label": t("material.up", { title: name }), text: "↑",
          disabled: index === 0 });
        const down = el("button", { type: "button", class: "material-down", "aria-label": t("material.down", { title: name }),
          text: "↓", disabled: index === items.length - 1 });
        const edit = el("button", { type: "button", class: "material-edit", text: t("material.edit"),
          "aria-label": t("material.edit_named", { title: name }) });
        const drop = el("button", { type: "button", class: "material-remove danger", text: t("material.remove"),
          "aria-label": t("material.remove_named", { title: name }) });
        up.addEventListener("click", () => connection.send("move_material", { material_id: item.id, position: index - 1 }));
        down.addEventListener("click", () => connection.send("move_material", { material_id: item.id, position: index + 1 }));
        edit.addEventListener("click", () => startEdit(item));
        drop.addEventListener("click", () => remove(item));
        const text = el("span", { class: "material-admin-text" },
          el("span", { class: "material-kind", text: t(`material.kind_${item.kind}`) }),
          el("strong", { text: name }),
          item.kind === "quote" && item.author ? ` — ${item.author}` : "",
          item.kind === "link" ? el("span", { class: "material-admin-url", text: ` ${item.url}` }) : "");
        return el("li", { "data-material": item.id }, text, up, down, edit, drop);
      }));
      empty.hidden = items.length > 0;
    }
    if (editing && !items.some((item) => item.id === editing)) reset(); // removed meanwhile
  };
  showFields();
  connection.addEventListener("change", render);
  render();
}
