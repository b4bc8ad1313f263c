// Dot voting on the participant's board: each card's "−", its count of my dots and "+●", and the
// line that says how many of my dots are placed.
//
// A button that cannot act is marked aria-disabled rather than disabled: a disabled button loses the
// focus to the page (the person pressing "−" on their last dot was thrown back to the top), and it
// can no longer be reached to hear why it is off. Here it keeps the focus, says its reason
// (aria-describedby, a tooltip, and on the card itself at the per-card limit), and pressing it
// tells the reason instead of sending a vote the server would refuse.
import { t } from "./i18n.js";
import { el } from "./render.js";

let reasonCounter = 0;

/**
 * The dot controls of one card, hidden until `updateVoteControls` shows them.
 * `cardId()` names the card; `vote(cardId, delta)` sends a dot; `refuse(reason)` tells a person why
 * a button that is off does nothing.
 */
export function voteControls(cardId, { vote, refuse }) {
  const reasonId = `dot-reason-${++reasonCounter}`;
  const less = el("button", { type: "button", class: "dot-less", text: "−" });
  const count = el("span", { class: "dot-count", role: "img" });
  const more = el("button", { type: "button", class: "dot-more", text: "+●", "aria-describedby": reasonId });
  const reason = el("span", { class: "dot-reason visually-hidden", id: reasonId });
  const press = (button, delta) => {
    if (button.getAttribute("aria-disabled") === "true") refuse(button.dataset.reason);
    else vote(cardId(), delta);
  };
  less.addEventListener("click", () => press(less, -1));
  more.addEventListener("click", () => press(more, 1));
  return el("div", { class: "card-dots", hidden: true }, less, count, more, reason);
}

/** What a voter has: their dots per card, how many they placed, the budget and the per-card limit. */
export function ballot(vote, mine) {
  const used = Object.values(mine).reduce((a, b) => a + b, 0);
  return { mine, used, budget: vote.budget, perCard: vote.per_card };
}

/**
 * Show or hide a card's dot controls (`node` is the card's element) and set what each says.
 * Text and attributes are only written when they change, so nothing is re-announced for nothing.
 */
export function updateVoteControls(node, card, { voting, ballot: b }) {
  const dots = node.querySelector(".card-dots");
  if (!dots) return;
  const hide = !voting || card.zone === "deck";
  if (hide && !dots.hidden && dots.contains(document.activeElement)) {
    // The vote closed under the focus: it goes to the card, not to the page.
    node.querySelector(".card-body")?.focus({ preventScroll: true });
  }
  dots.hidden = hide;
  if (hide) return;
  const count = b.mine[card.id] || 0;
  const countNode = dots.querySelector(".dot-count");
  setText(countNode, "●".repeat(count) || "○");
  setAttr(countNode, "aria-label", t(count ? "vote.on_card" : "vote.on_card_none", { count }));

  const less = dots.querySelector(".dot-less");
  setAttr(less, "aria-label", t("vote.less", { text: card.text }));
  setOff(less, count === 0 ? t("vote.none_to_take_back") : "");

  const more = dots.querySelector(".dot-more");
  setAttr(more, "aria-label", t("vote.more", { text: card.text }));
  const atLimit = count >= b.perCard;
  const spent = b.used >= b.budget;
  const limit = t(b.perCard === 1 ? "vote.per_card_limit_one" : "vote.per_card_limit", { count: b.perCard });
  const why = atLimit ? limit : spent ? t("vote.no_dots_left") : "";
  setOff(more, why);
  const reason = dots.querySelector(".dot-reason");
  setText(reason, why);
  // At the card's limit the reason shows on the card; with no dot left it shows once, in the
  // budget line, not on every card of the board.
  if (reason.classList.contains("visually-hidden") === atLimit) reason.classList.toggle("visually-hidden", !atLimit);
}

/** The budget line: "3 gommettes placées sur 5 — il vous en reste 2" (or the team's, or results). */
export function renderBudget(box, { voting, results, voter, ballot: b }) {
  box.hidden = !voting && !results;
  const spent = Boolean(voting && voter && !results && b.used >= b.budget);
  if (box.classList.contains("spent") !== spent) box.classList.toggle("spent", spent);
  if (results) return setText(box, t("results.shown"));
  if (!voting) return;
  if (!voter) return setText(box, t("vote.need_team"));
  const placed = t(b.used > 1 ? "vote.placed_many" : "vote.placed_one", { count: b.used, budget: b.budget });
  const left = spent ? t("vote.left_none") : t("vote.left", { left: b.budget - b.used });
  setText(box, `${placed} — ${left}`);
}

/** Mark a button as off with `reason` (or on, when the reason is empty), keeping it focusable. */
function setOff(button, reason) {
  setAttr(button, "aria-disabled", reason ? "true" : null);
  setAttr(button, "title", reason || null);
  setAttr(button, "data-reason", reason || null);
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node, name, value) {
  if (value === null) node.removeAttribute(name);
  else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}
