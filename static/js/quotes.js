// Quotes and speakers (spec MARK9-MARK12, DISPLAY8): where the format lists `speakers`, the board's
// "+ Citation" writes a quote (a card of kind "quote") under a theme, attributed to a speaker or to
// "un participant"; the facilitator adds a speaker on the spot. The projector's quote feed shows the
// latest quotes with their speakers, newest first.
import { t } from "./i18n.js";
import { el, zoneName } from "./render.js";

const PARTICIPANT = "participant"; // marks.py's A_PARTICIPANT
const FEED_SIZE = 6; // quotes the projector shows at once: large enough to read from the back

/** Whether the board takes quotes: its format lists `speakers` (even none). */
export function takesQuotes(view) {
  return Array.isArray(view.format.speakers);
}

/** Every speaker a card may name: the format's, then those added on the board. */
export function speakersOf(view) {
  return [...(view.format.speakers || []).map((name) => name.trim()), ...(view.speakers || [])];
}

/** Who said it, as a person reads it: the name, or "Un participant". */
export function speakerName(speaker) {
  return speaker === PARTICIPANT ? t("quotes.a_participant") : speaker;
}

/** The latest quotes, newest first: cards arrive in a board's map in the order they were written. */
export function latestQuotes(view, count = FEED_SIZE) {
  return [...view.cards.values()].filter((card) => card.kind === "quote" && !card.hidden).reverse().slice(0, count);
}

/** Draw the feed into `container`: each quote large, its speaker and theme under it. */
export function renderQuoteFeed(container, view) {
  const quotes = latestQuotes(view);
  const key = JSON.stringify(quotes.map((q) => [q.id, q.text, q.speaker, q.zone]));
  if (container.dataset.drawn === key) return;
  container.dataset.drawn = key;
  if (!quotes.length) {
    container.replaceChildren(el("p", { class: "quote-empty", text: t("quotes.empty"), "data-i18n": "quotes.empty" }));
    return;
  }
  container.replaceChildren(el("ol", { class: "quote-feed", "aria-live": "polite" }, ...quotes.map((quote) => el("li", { class: "quote", "data-quote": quote.id },
    el("blockquote", { text: quote.text }),
    el("p", { class: "quote-speaker", text: `— ${speakerName(quote.speaker || PARTICIPANT)}` }),
    el("p", { class: "quote-theme", text: zoneName(view, quote.zone) })))));
}

/** The board page's "+ Citation" button and its dialog; the facilitator's also adds speakers. Call once. */
export function bindQuoteWriter(connection, toolbar, { zoneInView }) {
  const button = el("button", { type: "button", id: "new-quote", hidden: true, text: t("quotes.new"), "data-i18n": "quotes.new" });
  const text = el("textarea", { name: "text", maxlength: "280", required: true, rows: "3" });
  const speaker = el("select", { name: "speaker" });
  const zone = el("select", { name: "zone" });
  const newSpeaker = el("input", { name: "new_speaker", maxlength: "60", autocomplete: "off" });
  const addSpeaker = el("button", { type: "button", text: t("quotes.add_speaker"), "data-i18n": "quotes.add_speaker" });
  const adding = el("div", { class: "quote-add-speaker", hidden: true },
    el("label", {}, el("span", { text: t("quotes.new_speaker"), "data-i18n": "quotes.new_speaker" }), " ", newSpeaker), " ", addSpeaker);
  const cancel = el("button", { type: "button", text: t("dialog.cancel"), "data-i18n": "dialog.cancel" });
  const form = el("form", { method: "dialog" },
    el("h2", { id: "quote-title", text: t("quotes.title"), "data-i18n": "quotes.title" }),
    el("label", {}, el("span", { text: t("quotes.words"), "data-i18n": "quotes.words" }), text),
    el("label", {}, el("span", { text: t("quotes.speaker"), "data-i18n": "quotes.speaker" }), " ", speaker), adding,
    el("label", {}, el("span", { text: t("quotes.theme"), "data-i18n": "quotes.theme" }), " ", zone),
    el("div", { class: "dialog-actions" }, cancel, el("button", { type: "submit", text: t("dialog.save"), "data-i18n": "dialog.save" })));
  const dialog = el("dialog", { id: "quote-dialog", class: "quote-dialog", "aria-labelledby": "quote-title" }, form);
  toolbar.prepend(button);
  document.body.append(dialog);

  const fillSpeakers = (view, chosen) => {
    speaker.replaceChildren(el("option", { value: PARTICIPANT, text: t("quotes.a_participant"), "data-i18n": "quotes.a_participant" }),
      ...speakersOf(view).map((name) => el("option", { value: name, text: name })));
    speaker.value = chosen && [...speaker.options].some((o) => o.value === chosen) ? chosen : PARTICIPANT;
  };
  button.addEventListener("click", () => {
    const view = connection.view();
    fillSpeakers(view, speaker.value);
    zone.replaceChildren(...[...view.zones.values()].filter((z) => z.kind !== "deck")
      .map((z) => el("option", { value: z.id, text: zoneName(view, z.id) })));
    zone.value = zoneInView() ?? zone.options[0]?.value;
    adding.hidden = connection.you.role !== "facilitator";
    text.value = "";
    dialog.showModal();
    text.focus();
  });
  addSpeaker.addEventListener("click", async () => {
    const name = newSpeaker.value.trim();
    if (!name) return;
    const answer = await connection.send("add_speaker", { name });
    if (answer?.ok !== false) {
      newSpeaker.value = "";
      fillSpeakers(connection.view(), name);
    }
  });
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", () => {
    const words = text.value.trim();
    if (!words) return;
    connection.send("create_card", { kind: "quote", text: words, zone_id: zone.value, x: 0.5, y: 1,
      speaker: speaker.value, card_id: connection.newId("quote") });
  });
  connection.addEventListener("change", () => {
    if (!connection.confirmed) return;
    const view = connection.view();
    button.hidden = !takesQuotes(view);
    button.disabled = !view.allows("create_card", connection.you.role);
  });
}

/** A quote's card on the board says who said it (its `speaker`), under its words. */
export function showSpeaker(node, card) {
  const body = node.querySelector(".card-body");
  let line = body?.querySelector(".card-speaker");
  if (!card.speaker || card.hidden) return line?.remove();
  if (!line) body.append(line = el("span", { class: "card-speaker" }));
  const text = `— ${speakerName(card.speaker)}`;
  if (line.textContent !== text) line.textContent = text;
}
