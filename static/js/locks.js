// Cards that cannot be moved now look locked: the sequence does not open moving to this person,
// or the card is another team's (CARD15). The server decides in the end; this only spares people
// a drag that would be refused, and tells them why. When the sequence lets nobody move (reading the
// deck, the vote) a lock on each of 72 cards is noise: the board says it once, in its top bar, and
// the cards keep only the reason (for a drag, Space, a screen reader), not the drawn lock.
import { label, t } from "./i18n.js";

/** Why `me` may not move `card` now ("locked", "sequence", "team"), or null when they may. */
export function lockReason(view, card, me) {
  if (!me || me.role === "facilitator") return null; // never gated (SEQ3), moves any team's card
  if (view.room?.locked) return "locked"; // the facilitator froze the board (LOCK2): lock-banner.js says it once
  if (!view.allows("move_card", me.role)) return "sequence";
  const myTeam = view.participants.get(me.id)?.team ?? null;
  if (card.team && card.team !== myTeam) return "team";
  return null;
}

/** The sentence that says why a card is locked. */
export function lockMessage(view, card, reason) {
  if (reason === "locked") return t("card.locked_room");
  if (reason === "sequence") return t("card.locked_sequence", { sequence: label(view.currentSequence.name) });
  return t("card.locked_team", { team: view.teams.get(card.team)?.name ?? "" });
}

/**
 * The one board-level cue while the sequence does not let this person move cards: a line under the
 * sequence's name in `title` (created on first use). Returns the function that updates it.
 */
export function boardLockCue(title) {
  const cue = document.createElement("p");
  cue.id = "moves-locked";
  cue.className = "moves-locked";
  cue.hidden = true;
  title.querySelector(".sequence")?.after(cue);
  return (view, me) => {
    const closed = lockReason(view, { team: null }, me) === "sequence";
    cue.hidden = !closed;
    if (closed) {
      cue.textContent = t("card.moves_closed");
      cue.title = t("card.locked_sequence", { sequence: label(view.currentSequence.name) });
    }
  };
}

/** Mark each card element (`data-card`) of `nodes` locked or not, with its reason for screen readers. */
export function markLocks(view, nodes, me) {
  for (const node of nodes) {
    const card = view.cards.get(node.dataset.card);
    if (!card) continue;
    const reason = lockReason(view, card, me);
    if (!reason) {
      node.removeAttribute("data-locked");
      continue;
    }
    node.dataset.locked = reason;
    const body = node.querySelector(".card-body");
    const message = lockMessage(view, card, reason);
    const description = body.getAttribute("aria-description") || "";
    if (!description.endsWith(message)) body.setAttribute("aria-description", `${description}. ${message}`);
  }
}
