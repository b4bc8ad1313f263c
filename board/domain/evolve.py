"""Evolving: apply an accepted event to a board. Replaying the log rebuilds it.

Every function here is deterministic: all it needs is in the event, so a
board replayed from its log equals the live one, field for field.
"""
import copy

from . import anonymity, canvas, deck, details, documents, done, evaluation, links, marks, material, notes, panorama, privacy, ratings, room_control, synthesis, teams, timer, vote
from .formats import load_format
from .model import DECK_CARD, FACILITATOR, PROJECTOR, Board, Card, Participant, Team


def evolve(board, event):
    """Apply `event` to `board` (None for board_created) and return the board."""
    if event.type == "board_created":
        board = _board_created(event.data)
    else:
        EVOLVERS[event.type](board, event.data)
    board.version = event.version
    return board


def replay(events):
    """Rebuild a board from its whole event log, oldest first."""
    board = None
    for event in events:
        board = evolve(board, event)
    return board


def _board_created(data):
    fmt = load_format(data["format"])
    board = Board(id=data["board_id"], format=fmt, zones={z.id: z for z in fmt.zones})
    defaults = data["format"].get("vote", {})
    board.vote.budget = defaults.get("budget", board.vote.budget)
    board.vote.per_card = defaults.get("per_card", board.vote.per_card)
    board.anonymous = anonymity.defaults(data["format"])  # the format's anonymous sequences (ANON1)
    board.material["sequences"] = material.defaults(data["format"])  # where the format shows material (MAT5)
    board.details = details.created(data, data["format"])  # title, date, place (DESK1)
    for order, card in enumerate(fmt.deck, start=1):
        board.cards[card["id"]] = Card(id=card["id"], kind=DECK_CARD, text=card["text"],
                                       description=card["description"], zone=fmt.deck_zone,
                                       z=order, domain=card["domain"], category=card["category"])
    facilitator = data["facilitator"]
    board.participants[facilitator["id"]] = Participant(facilitator["id"], facilitator["name"], FACILITATOR)
    projector = data["projector"]["id"]
    board.participants[projector] = Participant(projector, "Projecteur", PROJECTOR)
    return board


def _participant_joined(board, data):
    board.participants[data["id"]] = Participant(data["id"], data["name"], data["role"])


def _team_created(board, data):
    board.teams[data["id"]] = Team(data["id"], data["name"], data["colour"], data["domain"])


def _team_joined(board, data):
    board.participants[data["participant_id"]].team = data["team_id"]


def _card_moved(board, data):
    card = board.cards[data["card_id"]]
    card.zone, card.x, card.y, card.z = data["zone_id"], data["x"], data["y"], data["z"]
    card.team, card.colour = data["team"], data["colour"]
    # Logs written before CARD16 have no placed_by: nobody is named rather than a guess.
    card.placed_by = data.get("placed_by")
    notes.follow(board, card)  # its notes go where it goes (NOTE4)


def _card_created(board, data):
    board.cards[data["id"]] = Card(id=data["id"], kind=data["kind"], text=data["text"],
                                   description=data["description"], zone=data["zone_id"],
                                   x=data["x"], y=data["y"], z=data["z"], author=data["author"],
                                   team=data["team"], colour=data["colour"], private=data.get("private", False),
                                   speaker=data.get("speaker"), parent=data.get("parent"),
                                   note_kind=data.get("note_kind"))


def _card_edited(board, data):
    card = board.cards[data["card_id"]]
    card.text = data.get("text", card.text)
    card.description = data.get("description", card.description)
    card.speaker = data.get("speaker", card.speaker)
    card.note_kind = data.get("note_kind", card.note_kind)


def _card_deleted(board, data):
    del board.cards[data["card_id"]]
    notes.remove(board, data.get("notes", ()))  # deleted with their card (NOTE10)
    links.forget(board, [data["card_id"], *data.get("notes", ())])  # no link to a card gone (LINK7)
    # Its dots go back to their voters' budgets.
    for book in (board.vote.dots, board.vote.proxy):
        for cards in book.values():
            cards.pop(data["card_id"], None)


def _sequence_changed(board, data):
    board.sequence = data["index"]
    # A timer and the "done" signals belong to their sequence (TIME6, DONE4).
    timer.sequence_changed(board)
    done.sequence_changed(board)


def _options_configured(board, data):
    board.options.update(data)


def _teams_split(board, data):
    for team in data["teams"]:
        _team_created(board, team)
    for participant_id, team_id in data["assignments"].items():
        board.participants[participant_id].team = team_id


def _cards_revealed(board, data):
    # The event carries each card whole, so a member who only saw it face down learns it here.
    for shown in data["cards"]:
        card = board.cards.get(shown["id"])
        if card is not None:
            card.text, card.description, card.author = shown["text"], shown["description"], shown["author"]
            card.private = False
    board.cards_revealed = True


def _projector_set(board, data):
    # Only what changed: a log written before the focus existed carries show_join alone.
    board.display.update(copy.deepcopy(data))


EVOLVERS = {
    "participant_joined": _participant_joined,
    "team_created": _team_created,
    "team_joined": _team_joined,
    "card_moved": _card_moved,
    "card_created": _card_created,
    "card_edited": _card_edited,
    "card_deleted": _card_deleted,
    "sequence_changed": _sequence_changed,
    "projector_set": _projector_set,
    "options_configured": _options_configured,
    "teams_split": _teams_split,
    "cards_revealed": _cards_revealed,
    **vote.EVOLVERS,
    **teams.EVOLVERS,
    **privacy.EVOLVERS,
    **room_control.EVOLVERS,
    **timer.EVOLVERS,
    **done.EVOLVERS,
    **anonymity.EVOLVERS,
    **material.EVOLVERS,
    **evaluation.EVOLVERS,
    **details.EVOLVERS,
    **documents.EVOLVERS,
    **panorama.EVOLVERS,
    **deck.EVOLVERS,
    **synthesis.EVOLVERS,
    **ratings.EVOLVERS,
    **canvas.EVOLVERS,
    **marks.EVOLVERS,
    **links.EVOLVERS,
}
EVENT_TYPES = ("board_created", *EVOLVERS)
