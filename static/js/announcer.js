// What a screen reader says, in two live regions:
// - my own feedback (picked up, target, placed, refused), at once, in a region of its own, so that
//   the others' activity never overwrites it;
// - the others' activity, grouped and throttled: at most one summary every `interval` ms
//   ("Karim et 3 autres ont déplacé 6 cartes."), never the same text twice in a row.
// With 20 people moving cards, that is a sentence every ten seconds instead of one a card.
import { t } from "./i18n.js";

export const ACTIVITY_INTERVAL_MS = 10000;
const SETTLE_MS = 1500; // a burst that starts now is summed up once it has had time to gather
const REPEAT_AFTER_MS = 2000; // my own identical feedback is said again only after a pause

export class Announcer {
  /** `own` and `others` are the two live region elements. */
  constructor(own, others, { interval = ACTIVITY_INTERVAL_MS, settle = SETTLE_MS } = {}) {
    this.regions = { own, others };
    this.interval = interval;
    this.settle = settle;
    this.pending = [];
    this.timer = null;
    this.lastOthers = { text: "", at: -Infinity };
    this.lastOwn = { text: "", at: -Infinity };
  }

  /** My own feedback, said now. */
  own(text) {
    if (!text) return;
    const now = performance.now();
    const region = this.regions.own;
    if (text === this.lastOwn.text && region.textContent === text) {
      if (now - this.lastOwn.at < REPEAT_AFTER_MS) return;
      region.textContent = ""; // the same words again, on purpose: a region only speaks on change
      requestAnimationFrame(() => { region.textContent = text; });
    } else {
      region.textContent = text;
    }
    this.lastOwn = { text, at: now };
  }

  /** Someone else did something: {who, kind: "moved" | "created", text, zone}. Summed up later. */
  activity(item) {
    this.pending.push(item);
    if (this.timer) return;
    const wait = Math.max(this.settle, this.lastOthers.at + this.interval - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Something everyone must hear now (a new sequence); what was waiting comes with it. */
  urgent(text) {
    const waiting = this.take();
    this.sayOthers([text, waiting].filter(Boolean).join(" "));
  }

  flush() {
    this.sayOthers(this.take());
  }

  take() {
    clearTimeout(this.timer);
    this.timer = null;
    const text = summarise(this.pending);
    this.pending = [];
    return text;
  }

  sayOthers(text) {
    if (!text) return;
    // Never the same words twice in a row: a second identical summary says it is new.
    if (text === this.lastOthers.text) text = t("announce.again", { text });
    if (text === this.lastOthers.text) return;
    this.regions.others.textContent = text;
    this.lastOthers = { text, at: performance.now() };
  }
}

const KINDS = ["moved", "created"];

/** One sentence per kind of activity: the detail when it is one card, a count when more. */
export function summarise(items) {
  const sentences = [];
  for (const kind of KINDS) {
    const done = items.filter((item) => item.kind === kind);
    if (!done.length) continue;
    if (done.length === 1) {
      const [one] = done;
      sentences.push(t(`announce.${kind}`, { who: one.who, text: one.text, zone: one.zone }));
      continue;
    }
    const people = [...new Set(done.map((item) => item.who))];
    const count = done.length;
    if (people.length === 1) sentences.push(t(`announce.${kind}_many`, { who: people[0], count }));
    else if (people.length === 2) sentences.push(t(`announce.${kind}_pair`, { who: people[0], other: people[1], count }));
    else sentences.push(t(`announce.${kind}_group`, { who: people[0], others: people.length - 1, count }));
  }
  return sentences.join(" ");
}
