"""Forgetting (RGPD): a participant forgotten at their request, and texts that must leave the log.

The board is rebuilt from its log at every start, so whatever is forgotten must leave the log too:
besides its event, a forgetting (and a card deletion) gives a Redaction, which the store applies to
the board's earlier events in the same transaction, and the room to the events it keeps in memory.
Replaying the redacted log still gives the live board (PRIV10): a redaction only erases what the
new event erases from the board anyway (a name it replaces, the texts of cards it deletes).
"""
from dataclasses import dataclass

from .errors import FORBIDDEN, NOT_FOUND, Rejection
from .links import forget as forget_links
from .model import PARTICIPANT
from .notes import with_notes
from .teams import name_key, taken_names

LABEL = "Anonyme"  # a forgotten participant's name becomes "Anonyme 1", "Anonyme 2"...
ERASED = ""  # what an erased text reads in the log
CARD_TEXT_EVENTS = frozenset({"card_created", "card_edited", "cards_revealed"})


# -- resolver

def forget_participant(board, actor, role, cmd):
    """Replace a participant's name by a free neutral label; with texts "remove", the cards they
    wrote are deleted too. Their link stops working (the store deletes their tokens)."""
    member = board.participants.get(cmd.participant_id)
    if member is None:
        return Rejection(NOT_FOUND, f"Unknown participant {cmd.participant_id!r}.")
    if member.role != PARTICIPANT:
        return Rejection(FORBIDDEN, f"Only participants can be forgotten, and {cmd.participant_id!r} "
                                    f"is the {member.role}.")
    # A removed card's notes, whoever wrote them, go with it: a note is never left without its card (NOTE11).
    cards = with_notes(board, sorted(card.id for card in board.cards.values() if card.author == member.id)) \
        if cmd.texts == "remove" else []
    # The removed cards are named: every page must drop them, also those that see them face down
    # (with no author); nobody learns whose they were beyond a label that names no one.
    return "participant_forgotten", {"participant_id": member.id, "label": free_label(board),
                                     "texts": cmd.texts, "cards": cards}


def free_label(board):
    """The first "Anonyme N" nobody on the board is called (names are told apart, TEAM14)."""
    taken = taken_names(board)
    number = 1
    while name_key(f"{LABEL} {number}") in taken:
        number += 1
    return f"{LABEL} {number}"


# -- evolver

def participant_forgotten(board, data):
    """The name becomes the label; the removed cards go, and their dots back to their voters
    (as card_deleted does)."""
    board.participants[data["participant_id"]].name = data["label"]
    for card_id in data["cards"]:
        board.cards.pop(card_id, None)
        for book in (board.vote.dots, board.vote.proxy):
            for cards in book.values():
                cards.pop(card_id, None)
    forget_links(board, data["cards"])  # no link to a card gone (LINK7)
    board.evaluation["answers"].pop(data["participant_id"], None)  # their evaluation goes with them (EVAL9)


# -- redacting the log

@dataclass(frozen=True)
class Redaction:
    """What an event erases from the board's events before version `before`.

    `participant_id`'s name becomes `label` where they joined; every text of the cards in
    `card_ids` is erased (in the events that wrote, edited or revealed them). `revoke` is the member
    whose tokens go, and `scrub` whether the database must keep no old copy at once (the WAL).
    """

    before: int
    card_ids: frozenset = frozenset()
    participant_id: str | None = None
    label: str | None = None

    @property
    def types(self):
        """The event types this redaction may change."""
        return (CARD_TEXT_EVENTS if self.card_ids else frozenset()) | \
            ({"participant_joined", "evaluation_answered"} if self.participant_id else frozenset())

    @property
    def revoke(self):
        """The member whose tokens are deleted with this redaction, if any."""
        return self.participant_id

    @property
    def scrub(self):
        """A forgotten person must leave no copy at once; a deleted card's old pages are reused in time."""
        return self.participant_id is not None

    def apply(self, event_type, data):
        """The event's data with what this redaction erases gone, or None when it has nothing to erase."""
        if event_type == "participant_joined" and data.get("id") == self.participant_id \
                and data.get("name") != self.label:
            return {**data, "name": self.label}
        if event_type == "evaluation_answered" and data.get("participant") == self.participant_id:
            return _erased(data, ("text",))  # what they wrote in the evaluation (EVAL9)
        if event_type == "card_created" and data.get("id") in self.card_ids:
            return _erased(data, ("text", "description"))
        if event_type == "card_edited" and data.get("card_id") in self.card_ids:
            return _erased(data, [key for key in ("text", "description") if key in data])
        if event_type == "cards_revealed" and any(card.get("id") in self.card_ids for card in data["cards"]):
            cards = [_erased(card, ("text", "description")) or card if card.get("id") in self.card_ids else card
                     for card in data["cards"]]
            return {**data, "cards": cards} if cards != data["cards"] else None
        return None


def _erased(data, keys):
    if all(data.get(key) == ERASED for key in keys):
        return None
    return {**data, **{key: ERASED for key in keys}}


def redaction_for(event):
    """The Redaction an accepted event asks of the log before it, or None.

    A deleted card's texts leave the log (a card written, edited, then deleted is not kept for
    ever); a forgotten participant's name does, and with texts "remove" every text of their cards.
    """
    if event.type == "card_deleted":  # its notes' texts leave with it (NOTE10)
        return Redaction(before=event.version,
                         card_ids=frozenset({event.data["card_id"], *event.data.get("notes", ())}))
    if event.type == "participant_forgotten":
        return Redaction(before=event.version, card_ids=frozenset(event.data["cards"]),
                         participant_id=event.data["participant_id"], label=event.data["label"])
    return None


def redact(events, redaction):
    """Events (as dicts) with `redaction` applied: the room's copy of what the store rewrote."""
    result = []
    for event in events:
        new = redaction.apply(event["type"], event["data"]) \
            if event["version"] < redaction.before and event["type"] in redaction.types else None
        result.append(event if new is None else {**event, "data": new})
    return result


FACILITATOR_COMMANDS = ("forget_participant",)
RESOLVERS = {"forget_participant": forget_participant}
EVOLVERS = {"participant_forgotten": participant_forgotten}
