// The console's pace panel: the sequence's timer (start with a duration the format proposes, freeze
// at zero or not, pause, resume, a minute more or less, stop) and who said done ("Terminé : 12 sur 20"
// with their names). Each button shows only where it can act; the server decides (timer.py, done.py).
import { namesHidden } from "./console-progress.js";
import { doneCount, doneSummary } from "./done.js";
import { t } from "./i18n.js";
import { el } from "./render.js";
import { Countdown, timerState } from "./timer.js";

const DEFAULT_MINUTES = 10; // for a sequence whose format proposes no timer

/** Build the panel at the end of `anchor` (the console's sequence section: a timer belongs to its
 *  sequence) and keep it up to date from `connection`. */
export function bindConsoleTimer(connection, anchor) {
  const button = (id, key, attrs = {}) => el("button", { type: "button", id, ...attrs, text: t(key) });
  const minutes = el("input", { id: "timer-minutes", type: "number", min: "1", max: "240", step: "1", required: true });
  const freeze = el("input", { id: "timer-freeze", type: "checkbox" });
  const start = button("timer-start", "console.timer_start", { class: "primary", type: "submit" });
  const pause = button("timer-pause", "console.timer_pause");
  const resume = button("timer-resume", "console.timer_resume", { class: "primary" });
  const add = button("timer-add", "console.timer_add", { "aria-label": t("console.timer_add_long") });
  const remove = button("timer-remove", "console.timer_remove", { "aria-label": t("console.timer_remove_long") });
  const stop = button("timer-stop", "console.timer_stop");
  const countdown = el("p", { id: "console-timer", class: "console-timer" });
  const status = el("p", { id: "timer-status", class: "notice", role: "status" });
  const doneLine = el("p", { id: "done-count", class: "big", role: "status" });
  const doneNames = el("p", { id: "done-names", class: "still" });
  const section = el("div", { class: "pace-control", role: "group", "aria-labelledby": "pace-title" },
    el("h3", { id: "pace-title", text: t("console.pace") }),
    // While a timer runs, its actions come first; the form under them starts (or restarts) one.
    countdown, status,
    el("div", { class: "row", id: "timer-actions" }, pause, resume, add, remove, stop),
    el("form", { id: "timer-form", class: "row" },
      el("label", {}, el("span", { text: t("console.timer_minutes") }), " ", minutes),
      el("label", { class: "check" }, freeze, " ", el("span", { text: t("console.timer_freeze") })), start),
    el("h3", { text: t("console.done") }), doneLine, doneNames);
  anchor.append(section);
  new Countdown(countdown, connection);

  let proposedFor = null; // the sequence whose proposed duration the input shows, until changed by hand
  const send = (type, data = {}) => connection.send(type, data);
  section.querySelector("#timer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(minutes.value);
    if (!Number.isInteger(value) || value < 1 || value > 240) return minutes.reportValidity();
    send("start_timer", { seconds: value * 60, freeze: freeze.checked });
  });
  pause.addEventListener("click", () => send("pause_timer"));
  resume.addEventListener("click", () => send("resume_timer"));
  add.addEventListener("click", () => send("adjust_timer", { minutes: 1 }));
  remove.addEventListener("click", () => send("adjust_timer", { minutes: -1 }));
  stop.addEventListener("click", () => send("stop_timer"));
  // The form shows the sequence's proposed duration and the running timer's freeze, until changed by hand.
  for (const input of [minutes, freeze]) input.addEventListener("input", () => { input.dataset.chosen = "yes"; });

  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    if (proposedFor !== view.sequence) {
      proposedFor = view.sequence;
      delete minutes.dataset.chosen;
      delete freeze.dataset.chosen;
    }
    if (!minutes.dataset.chosen) minutes.value = String(view.currentSequence.timer_minutes ?? DEFAULT_MINUTES);
    const timer = view.timer;
    if (!freeze.dataset.chosen) freeze.checked = Boolean(timer?.freeze);
    const state = timerState(timer, connection.clockOffset);
    start.textContent = t(timer ? "console.timer_restart" : "console.timer_start");
    pause.hidden = state !== "running";
    resume.hidden = timer?.status !== "paused";
    resume.disabled = state === "up";
    add.hidden = remove.hidden = stop.hidden = !timer;
    remove.disabled = state === "up";
    const words = !timer ? ""
      : state === "up" ? t(timer.freeze ? "console.timer_frozen" : "console.timer_up")
        : timer.freeze ? t("console.timer_will_freeze") : "";
    if (status.textContent !== words) status.textContent = words;
    status.hidden = !words;
    const count = doneCount(view);
    const summary = doneSummary(view);
    if (doneLine.textContent !== summary) doneLine.textContent = summary;
    // People who are done are counted, not named, while the sequence is anonymous (issue 11: "with names
    // unless anonymous"); a team's name names nobody.
    const names = count.done.length && !(namesHidden(view) && count.unit !== "team")
      ? t("console.done_names", { names: count.done.map((who) => who.name).join(", ") }) : "";
    if (doneNames.textContent !== names) doneNames.textContent = names;
    doneNames.hidden = !names;
  };
  connection.addEventListener("change", render);
  // Time reaching zero changes which buttons act, with no event: look again each second.
  setInterval(render, 1000);
  render();
}
