"""Marks per participant and attribution to speakers (spec MARK).

Marks: a format lists marks (`marks`, e.g. "je peux aider" / "je veux apprendre"); each participant
marks cards for themself alone (`mark_card`), and the card keeps who marked it with what
(`Card.marks`: mark id -> participant ids). A mark whose `role` is `offer` and one whose role is
`want` give who can help whom (`who_helps_whom`), per zone of the board.

Speakers: a format that lists `speakers` (even none) takes quotes, cards of kind `quote`, and lets a
written card name who said it (`Card.speaker`): one of the format's speakers, one the facilitator
added during the workshop (`add_speaker`), or `participant` ("un participant").
"""
from dataclasses import dataclass

from .commands import NAME_MAX, Command, boolean, identifier, integer, optional, spec, trimmed_text
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, Rejection
from .model import PARTICIPANT, QUOTE

A_PARTICIPANT = "participant"  # the speaker of what "un participant" said
ADDED_SPEAKERS_MAX = 40
MARKERS_MAX = 10_000  # a position among those who marked a card: far above any room
# The projector's modes this module gives (display.focus kinds, DISPLAY8).
QUOTES_FOCUS = "quotes"
EXCHANGE_FOCUS = "exchange"


@dataclass(frozen=True)
class MarkCard(Command):
    """Put (on: true) or take off (on: false) one of the format's marks on a card, for oneself."""

    type = "mark_card"
    card_id: str = spec(identifier)
    mark: str = spec(identifier)
    on: bool = spec(boolean)
    # Where the sender goes back among those who marked (0 first): an undone unmark puts them where they were (MARK13).
    position: int | None = spec(optional(integer(0, MARKERS_MAX)))


@dataclass(frozen=True)
class AddSpeaker(Command):
    """Add a speaker (a name) to those quotes and cards may be attributed to."""

    type = "add_speaker"
    name: str = spec(trimmed_text(NAME_MAX))


COMMANDS = {cls.type: cls for cls in (MarkCard, AddSpeaker)}
PARTICIPANT_COMMANDS = (MarkCard.type,)
FACILITATOR_COMMANDS = (AddSpeaker.type,)


# -- reading the format

def marks_of(fmt_document):
    """The format's marks, in its order ([] when it has none)."""
    return list(fmt_document.get("marks", []))


def mark_with_role(fmt_document, role):
    """The id of the format's mark with `role` (offer or want), or None."""
    return next((mark["id"] for mark in marks_of(fmt_document) if mark.get("role") == role), None)


def takes_speakers(board):
    """Whether the board's format takes quotes and speakers (it lists `speakers`, MARK9)."""
    return "speakers" in board.format.document


def speakers_of(board):
    """Every speaker a card may name: the format's, then those the facilitator added, in that order."""
    return [name.strip() for name in board.format.document.get("speakers", [])] + list(board.speakers)


# -- resolvers: (board, actor, role, command) -> (event type, data) or Rejection

def mark_card(board, actor, role, cmd):
    """A participant marks a card for themself (MARK2-MARK5)."""
    marks = [mark["id"] for mark in marks_of(board.format.document)]
    if not marks:
        return Rejection(BAD_REQUEST, "This workshop has no marks.")
    if cmd.mark not in marks:
        return Rejection(NOT_FOUND, f"Unknown mark {cmd.mark!r}: this workshop's are {', '.join(marks)}.")
    card = board.cards.get(cmd.card_id)
    member = board.participants.get(actor)
    # Another team's private card is face down for this participant: for them it is not there.
    if card is None or (card.private and card.team != (member.team if member else None)):
        return Rejection(NOT_FOUND, f"Unknown card {cmd.card_id!r}.")
    if board.zones[card.zone].kind == "deck":
        return Rejection(FORBIDDEN, "Only cards on the board can be marked.")
    marked = actor in card.marks.get(cmd.mark, [])
    if cmd.on == marked:
        return Rejection(CONFLICT, "You have already marked this card so." if marked else "You have not marked this card so.")
    data = {"card_id": card.id, "mark": cmd.mark, "participant_id": actor, "on": cmd.on}
    if cmd.position is not None:
        if not cmd.on:
            return Rejection(BAD_REQUEST, "A position is given only when marking.")
        data["position"] = min(cmd.position, len(card.marks.get(cmd.mark, [])))  # past the end is the end
    return "card_marked", data


def add_speaker(board, actor, role, cmd):
    """The facilitator adds a speaker to those of the format (MARK12)."""
    if not takes_speakers(board):
        return Rejection(BAD_REQUEST, "This workshop takes no quotes: its format lists no speakers.")
    if cmd.name.casefold() == A_PARTICIPANT:
        return Rejection(CONFLICT, "'participant' already stands for any participant.")
    if any(name.casefold() == cmd.name.casefold() for name in speakers_of(board)):
        return Rejection(CONFLICT, f"{cmd.name!r} is already a speaker.")
    if len(board.speakers) >= ADDED_SPEAKERS_MAX:
        return Rejection(CONFLICT, f"At most {ADDED_SPEAKERS_MAX} speakers can be added.")
    return "speaker_added", {"name": cmd.name}


def speaker_choice(board, speaker, kind):
    """The speaker a written card of `kind` gets from create_card/edit_card's `speaker` (MARK10, MARK11):
    the canonical name, or a Rejection. A quote with none is "a participant"'s; another card none."""
    if speaker is None:
        return A_PARTICIPANT if kind == QUOTE else None
    if not takes_speakers(board):
        return Rejection(BAD_REQUEST, "This workshop takes no speakers: its format lists none.")
    if speaker.casefold() == A_PARTICIPANT:
        return A_PARTICIPANT
    known = next((name for name in speakers_of(board) if name.casefold() == speaker.casefold()), None)
    if known is None:
        return Rejection(NOT_FOUND, f"Unknown speaker {speaker!r}: the facilitator adds a speaker first.")
    return known


def quote_refusal(board, kind):
    """A quote is written only where the format takes quotes (MARK10)."""
    if kind == QUOTE and not takes_speakers(board):
        return Rejection(BAD_REQUEST, "This workshop takes no quotes: its format lists no speakers.")
    return None


def focus_refusal(board, focus, follow=False):
    """The projector's quote feed and who-helps-whom view (DISPLAY8): only on a board whose format
    has them, and for the projector alone (participants are not led there)."""
    if focus["kind"] not in (QUOTES_FOCUS, EXCHANGE_FOCUS):
        return None
    if follow:
        return Rejection(BAD_REQUEST, "Only the projector shows this view: participants cannot be led there.")
    if focus["kind"] == QUOTES_FOCUS and not takes_speakers(board):
        return Rejection(BAD_REQUEST, "This workshop takes no quotes: its format lists no speakers.")
    document = board.format.document
    if focus["kind"] == EXCHANGE_FOCUS and not (mark_with_role(document, "offer") and mark_with_role(document, "want")):
        return Rejection(BAD_REQUEST, "This workshop has no marks to offer and to want: no one helps anyone here.")
    return None


# -- evolvers

def card_marked(board, data):
    card = board.cards.get(data["card_id"])
    if card is None:
        return
    ids = card.marks.setdefault(data["mark"], [])
    if data["on"] and data["participant_id"] not in ids:
        ids.insert(data.get("position", len(ids)), data["participant_id"])
    elif not data["on"] and data["participant_id"] in ids:
        ids.remove(data["participant_id"])
    if not ids:
        del card.marks[data["mark"]]


def speaker_added(board, data):
    board.speakers.append(data["name"])


RESOLVERS = {MarkCard.type: mark_card, AddSpeaker.type: add_speaker}
EVOLVERS = {"card_marked": card_marked, "speaker_added": speaker_added}


# -- who helps whom

def who_helps_whom(board):
    """Per zone of the board (a Panorama cell, an area, a family), in the board's order, each card
    someone can help with and someone wants to learn, with its pairs (MARK6, MARK7):
    [{"zone", "cards": [{"card_id", "text", "pairs": [(helper id, learner id), ...]}]}].

    Cards in a zone go in the order every board shows them (y, then x, then z); pairs by the
    helper's name, then the learner's (ignoring case). Nobody helps themself; a participant no
    longer on the board (removed) is left out. Empty zones and cards without a pair are left out."""
    offer = mark_with_role(board.format.document, "offer")
    want = mark_with_role(board.format.document, "want")
    if not offer or not want:
        return []
    people = {pid: member for pid, member in board.participants.items() if member.role == PARTICIPANT}
    name = lambda pid: (people[pid].name.casefold(), pid)  # noqa: E731
    groups = []
    for zone in board.zones.values():
        if zone.kind == "deck":
            continue
        cards = sorted((card for card in board.cards.values() if card.zone == zone.id),
                       key=lambda card: (card.y, card.x, card.z))
        entries = []
        for card in cards:
            helpers = sorted((pid for pid in card.marks.get(offer, []) if pid in people), key=name)
            learners = sorted((pid for pid in card.marks.get(want, []) if pid in people), key=name)
            pairs = [(helper, learner) for helper in helpers for learner in learners if helper != learner]
            if pairs:
                entries.append({"card_id": card.id, "text": card.text, "pairs": pairs})
        if entries:
            groups.append({"zone": zone.id, "cards": entries})
    return groups
