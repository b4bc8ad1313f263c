// The console's "Fichiers de l'atelier": the whole workshop as a JSON file that imports back into a new
// board exactly, and its template (the preparation alone), both made by the server (documents.py).
// While a sequence is anonymous the workshop's file names nobody unless the facilitator asks (DOC5).
import { t } from "./i18n.js";
import { el } from "./render.js";

/** Build the section after `anchor` (a console section) and keep its names link up to date. */
export function bindConsoleDocuments(connection, anchor) {
  const base = location.pathname;
  const link = (id, href, key) => el("a", { id, class: "button", href, download: "", text: t(key) });
  const withNames = link("document-export-names", `${base}/export.json?names=1`, "documents.export_names");
  const section = el("section", { class: "documents", "aria-labelledby": "documents-title" },
    el("h2", { id: "documents-title", text: t("documents.console_title") }),
    el("p", { class: "still", text: t("documents.console_hint") }),
    el("p", { class: "row" }, link("document-export", `${base}/export.json`, "documents.export"),
      link("document-template", `${base}/template.json`, "documents.template")),
    el("p", {}, withNames));
  anchor.after(section);
  const render = () => {
    // Only when names are withheld somewhere: otherwise the first link names everyone already.
    withNames.hidden = !(connection.confirmed?.anonymous ?? []).length;
  };
  connection.addEventListener("change", render);
  render();
}
