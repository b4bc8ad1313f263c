// Where a card carried from another board came from (spec CHAIN3): a small line on the card
// ("de : Atelier Compétences — Tours, équipe Bleus") and the whole provenance in its details dialog.
// The origin names a team or a speaker, never a participant (board/domain/chain.py).
import { lang, t } from "./i18n.js";

/** The source workshop: "Atelier Compétences — Tours". */
function source(origin) {
  return [origin.board, origin.place].filter(Boolean).join(" — ");
}

/** Who wrote or placed it there: "équipe Bleus", or the speaker; "" when neither is known. */
function author(origin) {
  if (origin.team) return t("origin.team", { name: origin.team });
  return origin.speaker || "";
}

/** The card's small line, or "" for a card made on this board. */
export function originLine(card) {
  const origin = card.origin;
  if (!origin || card.hidden) return "";
  return t("origin.line", { source: [source(origin), author(origin)].filter(Boolean).join(", ") });
}

/** Show (or take away) the origin line in a card's body; screen readers hear it in the description. */
export function showOrigin(body, card) {
  const text = originLine(card);
  let line = body.querySelector(".card-origin");
  if (!text) {
    line?.remove();
    return;
  }
  if (!line) {
    line = document.createElement("span"); // not render.js's el(): render.js imports this module
    line.className = "card-origin";
    line.setAttribute("aria-hidden", "true");
    body.append(line);
  }
  if (line.textContent !== text) line.textContent = text;
  body.setAttribute("aria-description", [body.getAttribute("aria-description"), text].filter(Boolean).join(". "));
}

/** The details dialog's facts about the origin: [[term, value]...], none for a card made here. */
export function originFacts(card) {
  const origin = card.origin;
  if (!origin || card.hidden) return [];
  const day = origin.date ? new Date(`${origin.date}T12:00:00`).toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" }) : "";
  const facts = [[t("origin.workshop"), [source(origin), day].filter(Boolean).join(", ")]];
  if (origin.team) facts.push([t("origin.by_team"), origin.team]);
  else if (origin.speaker) facts.push([t("origin.by_speaker"), origin.speaker]);
  if (origin.votes !== null && origin.votes !== undefined) facts.push([t("origin.votes"), t("origin.votes_count", { count: origin.votes })]);
  return facts;
}
