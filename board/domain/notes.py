"""Cards attached to cards: keywords of a factor, savoirs of a competence, effects of a key factor.

A note is an ordinary card (written, edited, deleted and undone by create_card, edit_card and
delete_card) whose `parent` is the card it is attached to and whose `note_kind` is one of the
format's `note_kinds` (formats.note_kinds). What makes it a note is here (rules NOTE1-NOTE13 in
docs/spec.md):

- it is attached to a card of its own (never to another note), of a kind its note kind accepts, that
  its writer can see, and that is on the board (not in the deck); a kind with `kept_only` (the factors
  map's effects) attaches only to a card the facilitator kept;
- it lives where its card lives: its zone is its card's, and follows every move of it; it never
  moves on its own and takes no dot;
- a sequence opens notes to participants with `add_note` in its `allows` (not `create_card`), so a
  sequence can ask for keywords without opening new cards;
- deleting a card deletes its notes with it, in the same event, when its deleter may change every one
  of them (else it is refused: a team cannot wipe out another team's keywords by deleting its card).

Functions take the board and plain values; decide.py calls the refusals, evolve.py `follow` and
`remove`. Standard library only.
"""
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, Rejection
from .formats import note_kinds as format_note_kinds
from .model import FACILITATOR

GATE = "add_note"  # what a sequence's `allows` names to open notes to participants (NOTE8)
NOTE_TEXT_MAX = 140  # a keyword or a savoir is short: a few words, not a card (NOTE5)
NOTES_PER_CARD_MAX = 40  # what a card can carry and still be read, under it or in its dialog (NOTE6)
CARD_COMMANDS = ("create_card", "edit_card", "delete_card")


def kinds(board):
    """The board's note kinds, {id: {id, of}}, from its format document."""
    return format_note_kinds(board.format.document)


def is_note(card):
    """Whether a card (a Card) is a note attached to another card."""
    return card.parent is not None


def notes_of(board, card_id):
    """The notes attached to card `card_id`, oldest (lowest z, then id) first."""
    return sorted((card for card in board.cards.values() if card.parent == card_id), key=lambda c: (c.z, c.id))


def with_notes(board, card_ids):
    """`card_ids` (in their order), then the ids of the other notes attached to them: what leaves the
    board with them."""
    chosen = list(card_ids)
    listed = set(chosen)
    return chosen + [card.id for card in board.cards.values() if card.parent in listed and card.id not in listed]


def gate(board, command):
    """The name the sequence's `allows` must hold for a participant's card command (NOTE8): `add_note`
    for a note (one written with a parent, or an existing note edited or deleted), else the command's type."""
    if command.type not in CARD_COMMANDS or board is None:
        return command.type
    if command.type == "create_card":
        return GATE if command.parent is not None else command.type
    card = board.cards.get(command.card_id)
    return GATE if card is not None and is_note(card) else command.type


# -- refusals and event data: decide.py calls these from its card resolvers

def created(board, cmd, team, visible):
    """For create_card with a parent: the event fields a note takes (its zone, place and privacy),
    or the Rejection (NOTE2-NOTE7). `team` is the writer's team; `visible(card)` whether they see it."""
    if cmd.note_kind is None:
        return Rejection(BAD_REQUEST, "A note needs its kind (note_kind).")
    parent = board.cards.get(cmd.parent)
    if parent is None or not visible(parent):
        return Rejection(NOT_FOUND, f"Unknown card {cmd.parent!r}.")
    if is_note(parent):
        return Rejection(FORBIDDEN, "A note attaches to a card, not to another note.")
    if board.zones[parent.zone].kind == "deck":
        return Rejection(FORBIDDEN, "Place the card on the board before attaching notes to it.")
    refusal = _kind_refusal(board, cmd.note_kind, parent) or _text_refusal(cmd.text, cmd.description)
    if refusal:
        return refusal
    if len(notes_of(board, parent.id)) >= NOTES_PER_CARD_MAX:
        return Rejection(CONFLICT, f"This card has {NOTES_PER_CARD_MAX} notes already: that is as many as it can show.")
    # A note on a private card is as private as its card: the card's team and the facilitator only (NOTE7).
    private = parent.private or (board.options["private_cards"] and team is not None)
    note_team = parent.team if parent.private else team
    return {"zone_id": parent.zone, "x": 0.0, "y": 0.0, "parent": parent.id, "note_kind": cmd.note_kind,
            "private": private, "team": note_team}


def not_a_note_refusal(cmd):
    """A card written without a parent cannot have a note kind."""
    if cmd.note_kind is not None:
        return Rejection(BAD_REQUEST, "Only a note (a card with a parent) has a note kind.")
    return None


def edit_refusal(board, card, cmd):
    """What keeps `edit_card` from changing `card` as asked, for notes (NOTE5, NOTE9), or None."""
    if not is_note(card):
        return not_a_note_refusal(cmd)
    if cmd.note_kind is not None:
        refusal = _kind_refusal(board, cmd.note_kind, board.cards[card.parent])
        if refusal:
            return refusal
    if cmd.text is not None or cmd.description:
        return _text_refusal(cmd.text or card.text, cmd.description)
    return None


def deleted_notes(board, actor, role, card, may_change):
    """The notes that go with `card` when it is deleted, or the Rejection when its deleter may not
    change one of them (NOTE10). `may_change(note)` is the rule of editing a card (CARD17)."""
    notes = notes_of(board, card.id)
    others = [note for note in notes if not may_change(note)]
    if others and role != FACILITATOR:
        count = "1 note" if len(others) == 1 else f"{len(others)} notes"
        return Rejection(FORBIDDEN, f"This card carries {count} written by others: "
                                    "the facilitator, or their writers, may delete them first.")
    return [note.id for note in notes]


def move_refusal(card):
    """A note never moves on its own: it is where its card is (NOTE4)."""
    if is_note(card):
        return Rejection(FORBIDDEN, "A note moves with its card.")
    return None


def vote_refusal(card):
    """Dots go to cards, not to their notes (NOTE4)."""
    if is_note(card):
        return Rejection(FORBIDDEN, "A note cannot be chosen: choose its card.")
    return None


def _kind_refusal(board, note_kind, parent):
    known = kinds(board)
    if note_kind not in known:
        offered = ", ".join(known) or "none"
        return Rejection(BAD_REQUEST, f"Unknown note kind {note_kind!r} (this workshop's: {offered}).")
    if parent.kind not in known[note_kind]["of"]:
        return Rejection(FORBIDDEN, f"A note of kind {note_kind!r} does not attach to a card of kind {parent.kind!r}.")
    # The format's rule (NOTE14): effects are written on the key factors the facilitator kept, not on any factor.
    if known[note_kind]["kept_only"] and not parent.kept:
        return Rejection(FORBIDDEN, f"A note of kind {note_kind!r} goes only on a card the facilitator kept: "
                                    f"{parent.text!r} is not kept.")
    return None


def _text_refusal(text, description):
    if description:
        return Rejection(BAD_REQUEST, "A note is its text alone: it has no description.")
    if text is not None and len(text) > NOTE_TEXT_MAX:
        return Rejection(BAD_REQUEST, f"A note is at most {NOTE_TEXT_MAX} characters.")
    return None


# -- evolving

def follow(board, card):
    """After `card` moved: its notes are in its zone too (NOTE4)."""
    for note in board.cards.values():
        if note.parent == card.id:
            note.zone = card.zone


def remove(board, note_ids):
    """Take notes off the board (deleted with their card), their dots (none, NOTE4) with them."""
    for note_id in note_ids:
        board.cards.pop(note_id, None)
