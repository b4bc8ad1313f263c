// The console's export buttons: the Panorama and the vote results as CSV (for French Excel) and as
// XLSX, in the console's language (EXP2). The server leaves the authors out while a sequence is
// anonymous (ANON5), so the links need to know nothing about it.
import { lang } from "./i18n.js";

/** Point the CSV and XLSX links of the console at this workshop's exports. */
export function bindExports(csvLink, xlsxLink) {
  const query = lang === "en" ? "?lang=en" : ""; // the switch reloads the page: set once is enough
  csvLink.href = `${location.pathname}/export.csv${query}`;
  xlsxLink.href = `${location.pathname}/export.xlsx${query}`;
}
