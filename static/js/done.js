// "Done": a participant (or their team, where the format says the sequence is team work, and in a
// team vote) tells the facilitator they have finished the sequence, and can take it back. The rule
// and the count are the server's (board/domain/done.py); this is the participant's button and the
// count the console and the projector show.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

/** Who says done in the current sequence: "team" or "participant" (as done.unit, DONE2). */
export function doneUnit(view) {
  const sequence = view.currentSequence;
  const teamVote = sequence.allows.includes("vote") && view.vote.mode === "team";
  return sequence.done === "team" || teamVote ? "team" : "participant";
}

/** The count to show (as done.counted, DONE6): {unit, total, done: [{id, name}]}. */
export function doneCount(view) {
  const unit = doneUnit(view);
  const everyone = unit === "team" ? [...view.teams.values()]
    : [...view.participants.values()].filter((p) => p.role === "participant");
  const done = everyone.filter((who) => who.id in view.done).map((who) => ({ id: who.id, name: who.name }));
  return { unit, total: everyone.length, done };
}

/** "Terminé : 3 sur 20" (or teams). */
export function doneSummary(view) {
  const { unit, total, done } = doneCount(view);
  return t(unit === "team" ? "done.count_teams" : "done.count", { done: done.length, total });
}

/** The participant's "I'm done" toggle, first in `toolbar`; `say` shows and speaks a sentence. */
export function bindDoneButton(connection, toolbar, { say }) {
  const button = el("button", { type: "button", id: "done-toggle", class: "done-toggle", "aria-pressed": "false" },
    el("span", { class: "done-mark", "aria-hidden": "true", text: "✓" }), el("span", { class: "done-label" }));
  toolbar.prepend(button);
  const mine = () => {
    const view = connection.confirmed;
    const unit = doneUnit(view);
    const key = unit === "team" ? view.participants.get(connection.you.id)?.team ?? null : connection.you.id;
    return { view, unit, key, done: key !== null && key in view.done };
  };
  button.addEventListener("click", async () => {
    const { unit, key, done } = mine();
    if (key === null) return say(t("done.need_team"));
    const ack = await connection.send("set_done", { done: !done });
    if (ack.ok) say(t(done ? "done.taken_back" : unit === "team" ? "done.said_team" : "done.said"));
  });
  const render = () => {
    if (!connection.confirmed) return;
    // Only participants say done; the facilitator opening the board has the console's count instead.
    button.hidden = connection.you.role !== "participant";
    const { view, unit, done } = mine();
    const text = t(unit === "team" ? "done.button_team" : "done.button");
    const labelNode = button.querySelector(".done-label");
    if (labelNode.textContent !== text) labelNode.textContent = text;
    button.setAttribute("aria-pressed", String(done));
    button.title = done ? t("done.take_back", { sequence: label(view.currentSequence.name) }) : "";
  };
  connection.addEventListener("change", render);
  render();
  return button;
}
