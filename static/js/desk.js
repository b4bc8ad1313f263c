// The facilitator's desk ("Mes ateliers"): the plain page's translation, then each date in words
// and each format's name in the reader's language.
import "./page.js";
import { confirmAction } from "./confirm.js";
import { lang, t } from "./i18n.js";

const format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fr-FR", { day: "numeric", month: "long", year: "numeric" });
for (const time of document.querySelectorAll("time[datetime]")) {
  const [year, month, day] = time.dateTime.split("-").map(Number);
  // Noon UTC: the same day whatever the browser's time zone.
  time.textContent = format.format(new Date(Date.UTC(year, month - 1, day, 12)));
}
for (const node of document.querySelectorAll("[data-label-fr]:not(option)")) {
  node.textContent = node.dataset[lang === "en" ? "labelEn" : "labelFr"] || node.dataset.labelFr;
}

// Counts in words, in the reader's language.
for (const node of document.querySelectorAll(".desk-template-cards, .desk-template-teams")) {
  const kind = node.classList.contains("desk-template-cards") ? "cards" : "teams";
  node.textContent = t(`desk.template_${kind}`, { count: node.dataset.count });
}

// A template is deleted only once asked (its workshops stay).
for (const form of document.querySelectorAll(".desk-template-delete")) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.confirmed) return;
    event.preventDefault();
    const sure = await confirmAction({ title: t("desk.template_delete_title", { name: form.dataset.name }),
      message: t("desk.template_delete_message"), confirm: t("desk.template_delete_confirm"), danger: true });
    if (!sure) return;
    form.dataset.confirmed = "yes";
    form.requestSubmit();
  });
  form.querySelector("button").disabled = false;
}
