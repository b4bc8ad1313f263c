// Private mode in the console: whether it is on and how many cards are face down for the other
// teams right now, so that revealing the hidden cards is never mistaken for turning the mode off.
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

/** How many cards are face down for the other teams now (private mode), as the facilitator sees. */
export function hiddenCount(view) {
  return [...view.cards.values()].filter((c) => c.private).length;
}

/** Draw the private-mode line and the reveal button from the facilitator's view. */
export function renderPrivateMode(view) {
  const hidden = hiddenCount(view);
  const on = view.options.private_cards;
  $("private-cards").checked = on;
  $("reveal-cards").disabled = hidden === 0;
  // "Still on" only once something was revealed: before that, the mode is simply on.
  const onKey = view.cardsRevealed ? "console.private_on" : "console.private_active";
  const text = on ? t(onKey, { count: hidden }) : hidden ? t("console.private_off_hidden", { count: hidden }) : "";
  const status = $("private-status");
  if (status.textContent !== text) status.textContent = text;
  status.hidden = !text;
}

/** Wire the private-mode switch and the reveal button to `connection`. */
export function bindPrivateMode(connection) {
  $("private-cards").addEventListener("change", (e) => connection.send("configure", { private_cards: e.target.checked }));
  $("reveal-cards").addEventListener("click", () => connection.send("reveal_cards", {}));
}
