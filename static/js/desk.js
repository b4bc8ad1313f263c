// The facilitator's desk ("Mes ateliers"): the plain page's translation, then each date in words
// and each format's name in the reader's language.
import "./page.js";
import { lang } from "./i18n.js";

const format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fr-FR", { day: "numeric", month: "long", year: "numeric" });
for (const time of document.querySelectorAll("time[datetime]")) {
  const [year, month, day] = time.dateTime.split("-").map(Number);
  // Noon UTC: the same day whatever the browser's time zone.
  time.textContent = format.format(new Date(Date.UTC(year, month - 1, day, 12)));
}
for (const node of document.querySelectorAll("[data-label-fr]:not(option)")) {
  node.textContent = node.dataset[lang === "en" ? "labelEn" : "labelFr"] || node.dataset.labelFr;
}
