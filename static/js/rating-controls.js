// Rating a card on the format's two axes (rate_card, RATE1-RATE5): one row of buttons per axis, one
// button per value of the scale (each at least 44 px, for fingers), the team's current value pressed;
// pressing it again withdraws it. Used in the card's details dialog and in the "to rate" list.
import { label, t } from "./i18n.js";
import { el } from "./render.js";
import { axesOf } from "./matrix.js";

/** Who rates for this person: their team, or themself without a team (RATE3). */
export function raterOf(view, me) {
  return view.participants.get(me.id)?.team ?? me.id;
}

/** The two scales for one card, as this person may use them now. `send(type, data)` sends a command. */
export function ratingScales(view, card, me, send) {
  const axes = axesOf(view);
  if (!axes.length || card.parent || card.hidden) return null;
  const rater = raterOf(view, me);
  const open = view.allows("rate_card", me.role);
  const box = el("div", { class: "rating-scales", "data-rate-card": card.id });
  for (const axis of axes) {
    const mine = card.ratings?.[axis.id]?.[rater];
    const group = el("div", { class: "rating-scale", role: "group", "aria-label": label(axis.label) },
      el("span", { class: "rating-axis", text: label(axis.label) }));
    const buttons = el("div", { class: "rating-buttons" });
    for (let value = axis.min; value <= axis.max; value += 1) {
      const pressed = mine === value;
      const button = el("button", { type: "button", class: "rating-value", "data-axis": axis.id, "data-value": String(value),
        "aria-pressed": String(pressed), disabled: !open, text: String(value),
        title: t(pressed ? "rating.withdraw" : "rating.give", { axis: label(axis.label), value }) });
      button.addEventListener("click", () => send("rate_card", { card_id: card.id, axis: axis.id, value: pressed ? null : value }));
      buttons.append(button);
    }
    group.append(buttons);
    if (axis.low || axis.high) {
      group.append(el("span", { class: "rating-ends", text: `${axis.min} : ${axis.low ? label(axis.low) : ""} · ${axis.max} : ${axis.high ? label(axis.high) : ""}` }));
    }
    box.append(group);
  }
  if (!open) box.append(el("p", { class: "rating-closed", text: t("rating.closed", { sequence: label(view.currentSequence.name) }) }));
  return box;
}

/** Whether this person's team gave both ratings to the card. */
function rated(view, card, rater) {
  return axesOf(view).every((axis) => card.ratings?.[axis.id]?.[rater] !== undefined);
}

/** The compact "to rate" list: every card that can be rated, those the team has not rated yet first. */
export function createRatingList(parent, connection) {
  const heading = el("h2", { class: "rating-list-title", id: "rating-list-title" });
  const count = el("p", { class: "rating-list-count", role: "status" });
  const list = el("ul", { class: "rating-list", "aria-labelledby": "rating-list-title" });
  const box = el("section", { class: "rating-list-panel", "aria-labelledby": "rating-list-title" }, heading, count, list);
  parent.append(box);
  const send = (type, data) => connection.send(type, data);

  function render(view) {
    const me = connection.you;
    const rater = raterOf(view, me);
    const team = view.teams.get(rater);
    heading.textContent = team ? t("rating.list_team", { team: team.name }) : t("rating.list");
    const cards = [...view.cards.values()].filter((card) => !card.parent && !card.hidden);
    const done = cards.filter((card) => rated(view, card, rater));
    count.textContent = t("rating.count", { done: done.length, total: cards.length });
    cards.sort((a, b) => Number(rated(view, a, rater)) - Number(rated(view, b, rater))
      || a.text.localeCompare(b.text, "fr") || a.id.localeCompare(b.id));
    // Kept in place while one is being pressed: the list reorders only when it is redrawn whole.
    const focused = document.activeElement?.closest?.("[data-rate-card]");
    const keep = focused ? { card: focused.dataset.rateCard, axis: document.activeElement.dataset.axis,
      value: document.activeElement.dataset.value } : null;
    list.replaceChildren(...cards.map((card) => el("li", { class: rated(view, card, rater) ? "rating-item rated" : "rating-item" },
      el("p", { class: "rating-card-text", text: card.text }), ratingScales(view, card, me, send))));
    if (keep) {
      list.querySelector(`[data-rate-card="${CSS.escape(keep.card)}"] [data-axis="${CSS.escape(keep.axis || "")}"][data-value="${CSS.escape(keep.value || "")}"]`)?.focus();
    }
  }
  return { render, element: box };
}
