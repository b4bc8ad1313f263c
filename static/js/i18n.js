// Every string the UI shows comes from one catalogue per language (static/i18n/*.json).
// French by default; English when chosen, remembered in this browser.
export const LANGUAGES = ["fr", "en"];
const STORAGE_KEY = "atelier.lang";

export let lang = LANGUAGES.includes(localStorage.getItem(STORAGE_KEY)) ? localStorage.getItem(STORAGE_KEY) : "fr";
let catalogue = {};

export async function loadCatalogue() {
  const response = await fetch(`/static/i18n/${lang}.json`);
  catalogue = await response.json();
  document.documentElement.lang = lang;
  translateStatic(document);
}

/** The string for `key`, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = catalogue[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** A {fr, en} label from a workshop format, in the current language. */
export function label(value) {
  if (!value || typeof value !== "object") return value ?? "";
  return value[lang] || value.fr || "";
}

/** Fill elements marked data-i18n (text), data-i18n-label (aria-label), data-i18n-placeholder, data-i18n-title. */
export function translateStatic(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}

/** The switch: remembers the choice and reloads the page in the other language. */
export function bindLanguageSwitch(button) {
  const other = lang === "fr" ? "en" : "fr";
  button.textContent = other.toUpperCase();
  // The name starts with what the button shows ("EN"), so that saying it works (WCAG 2.5.3).
  button.setAttribute("aria-label", `${other.toUpperCase()} – ${t("lang.switch")}`);
  button.lang = other;
  button.addEventListener("click", () => {
    localStorage.setItem(STORAGE_KEY, other);
    location.reload();
  });
}
