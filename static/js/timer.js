// The sequence's countdown, the same on every screen (participant, console, projector).
// The board holds the timer's end as an absolute time on the server's clock (board/domain/timer.py);
// each page knows how far its own clock is from the server's (connection.clockOffset, from `welcome`)
// and counts down alone: nothing ticks on the wire, and a late joiner or a page that reconnects shows
// the same time as everyone. At zero every screen shows it (a colour, words, the top bar's edge); a
// screen reader hears "time is up" once, and the timer's state when it pauses or stops.
import { t } from "./i18n.js";
import { el } from "./render.js";

const TICK_MS = 250; // a quarter of a second: the shown second changes at most that late

/** Seconds left on `timer` now, on the server's clock (`offsetMs` = server − this clock); null without. */
export function secondsLeft(timer, offsetMs = 0, now = Date.now()) {
  if (!timer) return null;
  const left = timer.status === "running" ? timer.ends_at - (now + offsetMs) / 1000 : timer.remaining;
  return Math.max(0, left);
}

/** "9:05", "1:02:03": whole seconds rounded up, so "0:00" shows only once time is up. */
export function formatLeft(seconds) {
  const whole = Math.ceil(seconds - 1e-6);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The state a timer is in now: "running", "paused" or "up" (at zero); null without a timer. */
export function timerState(timer, offsetMs = 0) {
  if (!timer) return null;
  return secondsLeft(timer, offsetMs) <= 0 ? "up" : timer.status;
}

/**
 * A countdown element kept up to date from `connection` (its confirmed board): hidden without a
 * timer. `node` gets the class `timer`, the role `timer`, and `data-state`; the page's body gets the
 * class `time-up` while time is up, for the cue at the top of every screen.
 */
export class Countdown {
  constructor(node, connection) {
    this.node = node;
    this.connection = connection;
    node.classList.add("timer");
    node.setAttribute("role", "timer");
    node.hidden = true;
    this.time = el("span", { class: "timer-time" });
    // Said when it changes only (paused, time is up): the seconds themselves would never stop talking.
    this.state = el("span", { class: "timer-state", "aria-live": "polite" });
    node.replaceChildren(this.time, this.state);
    this.interval = null;
    connection.addEventListener("change", () => this.update());
    this.update();
  }

  /** Show the timer as it is now; tick while one exists. */
  update() {
    const view = this.connection.confirmed;
    const timer = view?.timer ?? null;
    const state = timerState(timer, this.connection.clockOffset);
    this.node.hidden = !timer;
    document.body.classList.toggle("time-up", state === "up");
    if (timer && !this.interval) this.interval = setInterval(() => this.update(), TICK_MS);
    if (!timer && this.interval) {
      clearInterval(this.interval);
      this.interval = null;
    }
    if (!timer) {
      this.node.removeAttribute("data-state");
      return;
    }
    const text = formatLeft(secondsLeft(timer, this.connection.clockOffset));
    if (this.time.textContent !== text) this.time.textContent = text;
    this.node.dataset.state = state;
    this.node.dataset.freeze = String(Boolean(timer.freeze));
    const words = state === "up" ? t(timer.freeze ? "timer.frozen" : "timer.up") : state === "paused" ? t("timer.paused") : "";
    if (this.state.textContent !== words) this.state.textContent = words;
    this.node.setAttribute("aria-label", [t("timer.aria", { time: text }), words].filter(Boolean).join(" — "));
  }
}

/** A countdown in a new element placed before `before` (or at the end of `parent`). */
export function mountCountdown(connection, { parent, before = null, id = "timer" }) {
  const node = el("p", { id });
  parent.insertBefore(node, before);
  return new Countdown(node, connection);
}
