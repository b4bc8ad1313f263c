// The projector's pace box, at the top of the column beside the grid: the sequence's countdown in
// type the back of the room reads, and how many said done ("Terminé : 12 / 20"). It shows only while
// a timer exists or someone said done, so the grid keeps the room otherwise.
import { doneCount, doneSummary } from "./done.js";
import { el } from "./render.js";
import { Countdown } from "./timer.js";

/** Whether the box shows for this board (projector.js lays the screen out again when it changes). */
export function paceShown(view) {
  return Boolean(view.timer) || doneCount(view).done.length > 0;
}

/** What of the box changes its height, for projector.js's layout key. */
export function paceKey(view) {
  return [paceShown(view), Boolean(view.timer), doneCount(view).done.length > 0];
}

/** Build the box first in `side` and keep it up to date from `connection`. */
export function bindProjectorPace(connection, side) {
  const countdown = el("p", { id: "projector-timer", class: "projector-timer" });
  const done = el("p", { id: "projector-done", class: "projector-done" });
  const box = el("div", { id: "pace", class: "pace", hidden: true }, countdown, done);
  side.prepend(box);
  new Countdown(countdown, connection);
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    box.hidden = !paceShown(view);
    const count = doneCount(view);
    const text = count.done.length ? doneSummary(view) : "";
    if (done.textContent !== text) done.textContent = text;
    done.hidden = !text;
  };
  connection.addEventListener("change", render);
  render();
}
