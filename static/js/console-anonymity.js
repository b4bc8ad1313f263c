// The console's anonymity panel: one checkbox per sequence. In a checked sequence the server sends
// participants and the projector nobody's name (anonymity.py, ANON2); this console keeps them, and
// offers the export with names, which otherwise leaves the authors out (ANON5).
import { label, lang, t } from "./i18n.js";
import { el } from "./render.js";

/** Build the panel at the end of `anchor` (the console's sequence section) and keep it up to date. */
export function bindConsoleAnonymity(connection, anchor) {
  const boxes = el("div", { id: "anonymity-sequences" }); // one sequence a line, in order
  const now = el("p", { id: "anonymity-now", class: "notice", role: "status" });
  const named = `?names=1${lang === "en" ? "&lang=en" : ""}`;
  const namedExport = el("div", { class: "named-exports" },
    el("p", {}, el("a", { id: "export-names-link", href: `${location.pathname}/export.csv${named}`,
      text: t("console.anonymity_export") })),
    el("p", {}, el("a", { id: "export-names-xlsx-link", href: `${location.pathname}/export.xlsx${named}`,
      text: t("console.anonymity_export_xlsx") })));
  // A disclosure like the vote's settings, closed: its summary says which sequences are anonymous.
  const which = el("span", { id: "anonymity-summary", class: "summary-detail" });
  const section = el("details", { class: "settings anonymity-control", id: "anonymity-settings" },
    el("summary", {}, el("span", { id: "anonymity-title", text: t("console.anonymity") }), " ", which),
    el("p", { class: "still", text: t("console.anonymity_hint") }), boxes, namedExport);
  anchor.append(section, now);

  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const sequences = view.format.sequences;
    if (boxes.children.length !== sequences.length) {
      boxes.replaceChildren(...sequences.map((sequence, index) => {
        const box = el("input", { type: "checkbox", id: `anonymity-${index}`, "data-index": String(index) });
        // The server decides; the box shows what it said once the answer is back. Until then a render
        // (someone's presence, a move) must not put back the old state under the facilitator's click.
        box.addEventListener("change", async () => {
          box.dataset.pending = "1";
          await connection.send("set_anonymity", { sequence: index, on: box.checked });
          delete box.dataset.pending;
          render();
        });
        return el("label", { class: "check" }, box, " ", el("span", { text: `${index + 1}. ${label(sequence.name)}` }));
      }));
    }
    const anonymous = new Set(view.anonymous ?? []);
    for (const box of boxes.querySelectorAll("input")) {
      if (!box.dataset.pending) box.checked = anonymous.has(Number(box.dataset.index));
    }
    const summary = anonymous.size ? t("console.anonymity_some", {
      list: [...anonymous].sort((a, b) => a - b).map((index) => index + 1).join(", ") }) : t("console.anonymity_none");
    if (which.textContent !== summary) which.textContent = summary;
    const words = anonymous.has(view.sequence) ? t("console.anonymity_on") : "";
    if (now.textContent !== words) now.textContent = words;
    now.hidden = !words;
    namedExport.hidden = anonymous.size === 0;
  };
  connection.addEventListener("change", render);
  render();
}
