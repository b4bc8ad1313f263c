"""Ratings on two axes, the matrix they draw, and the cards the facilitator keeps (RATE in docs/spec.md).

A format with `axes` (formats._axes: exactly two small scales of whole numbers, e.g. *capacité
d'agir* and *criticité* on 1..4) lets each team rate each card once per axis: the rater is the
sender's team, or the sender when they have no team (the facilitator too). A rating is withdrawn
with a null value. A card's ratings live in `Card.ratings` as {axis id: {rater: value}}.

The matrix places a card at the mean of its raters' values on each axis and shows how far they
agree (lowest and highest value, number of raters): `position` is the one computation, pure.
The facilitator keeps cards (`Card.kept`): the factors map's key factors.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data; decide.py and evolve.py register them, commands.py the commands.
"""
from dataclasses import dataclass

from .commands import Command, identifier, spec
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, InvalidCommand, Rejection
from .model import FACILITATOR

RATE = "rate_card"  # the command a sequence's `allows` names to open rating to participants
KEEP = "keep_card"
FACILITATOR_COMMANDS = (KEEP,)
VALUE_LIMIT = 10  # no scale goes past formats.AXIS_BOUNDS; the axis's own range is checked on the board


# -- commands

def _value(name, value):
    """A whole number on a scale, or null to withdraw; required (null must be said, not left out)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VALUE_LIMIT:
        raise InvalidCommand(BAD_REQUEST, f"Field '{name}' must be a whole number on the axis's scale, or null.")
    return value


def _flag(name, value):
    if not isinstance(value, bool):
        raise InvalidCommand(BAD_REQUEST, f"Field '{name}' must be true or false.")
    return value


@dataclass(frozen=True)
class RateCard(Command):
    """Rate a card on one axis for one's team (or oneself without a team); null withdraws the rating."""

    type = RATE
    card_id: str = spec(identifier)
    axis: str = spec(identifier)
    value: int | None = spec(_value)


@dataclass(frozen=True)
class KeepCard(Command):
    """The facilitator keeps a card (a key factor) or lets it go."""

    type = KEEP
    card_id: str = spec(identifier)
    kept: bool = spec(_flag)


COMMANDS = {RateCard.type: RateCard, KeepCard.type: KeepCard}


# -- reading the format and the cards

def axes(board_or_format):
    """The format's two axes as documents ([] when the format rates nothing): x first, then y."""
    document = getattr(board_or_format, "format", board_or_format).document
    return list(document.get("axes", []))


def rater_of(board, actor):
    """Who a rating counts for: the actor's team, or the actor themself without a team (RATE3)."""
    member = board.participants.get(actor)
    return member.team if member is not None and member.team else actor


def position(ratings, axis_ids):
    """A card's place on the matrix from its ratings ({axis: {rater: value}}): per axis the mean of
    the raters' values, the lowest and highest value and the number of raters; None for an axis
    nobody rated. Pure: the board, the exports and the tests all read this one computation."""
    result = {}
    for axis_id in axis_ids:
        values = list((ratings.get(axis_id) or {}).values())
        result[axis_id] = None if not values else {
            "mean": sum(values) / len(values), "min": min(values), "max": max(values), "count": len(values)}
    return result


def matrix(board):
    """Every card rated on both axes, with its position (RATE8): [{card_id, text, kept, x, y}], where x
    and y are `position`'s entries for the first and second axis; in card order."""
    axis_list = axes(board)
    if len(axis_list) != 2:
        return []
    x_id, y_id = axis_list[0]["id"], axis_list[1]["id"]
    entries = []
    for card in board.cards.values():
        place = position(card.ratings, (x_id, y_id))
        if place[x_id] and place[y_id]:
            entries.append({"card_id": card.id, "text": card.text, "kept": card.kept,
                            "x": place[x_id], "y": place[y_id]})
    return entries


def _visible_card(board, actor, role, card_id):
    """The card, or NOT_FOUND when it is not there for this actor (another team's face-down card)."""
    card = board.cards.get(card_id)
    hidden = card is not None and card.private and role != FACILITATOR \
        and card.team != board.participants[actor].team
    if card is None or hidden:
        return Rejection(NOT_FOUND, f"Unknown card {card_id!r}.")
    return card


# -- resolvers

def rate_card(board, actor, role, cmd):
    """Put, change or withdraw the sender's team's rating of a card on one axis (RATE1-RATE6)."""
    scales = {axis["id"]: axis for axis in axes(board)}
    if not scales:
        return Rejection(BAD_REQUEST, "This workshop rates nothing: its format has no axes.")
    axis = scales.get(cmd.axis)
    if axis is None:
        return Rejection(NOT_FOUND, f"Unknown axis {cmd.axis!r}: the axes are {', '.join(scales)}.")
    card = _visible_card(board, actor, role, cmd.card_id)
    if isinstance(card, Rejection):
        return card
    if card.parent is not None:
        return Rejection(FORBIDDEN, "A note attached to a card is not rated: rate the card itself.")
    if cmd.value is not None and not axis["min"] <= cmd.value <= axis["max"]:
        return Rejection(BAD_REQUEST, f"A rating on {cmd.axis} is a whole number from {axis['min']} to {axis['max']}.")
    rater = rater_of(board, actor)
    current = card.ratings.get(cmd.axis, {}).get(rater)
    if cmd.value == current:
        return Rejection(CONFLICT, "Nothing to withdraw: no rating on this axis." if current is None
                         else "This rating is already given.")
    return "card_rated", {"card_id": card.id, "axis": cmd.axis, "rater": rater, "value": cmd.value}


def keep_card(board, actor, role, cmd):
    """The facilitator keeps a card, or lets it go (RATE7)."""
    card = board.cards.get(cmd.card_id)
    if card is None:
        return Rejection(NOT_FOUND, f"Unknown card {cmd.card_id!r}.")
    if card.kept == cmd.kept:
        return Rejection(CONFLICT, "This card is already kept." if cmd.kept else "This card is not kept.")
    return "card_kept", {"card_id": card.id, "kept": cmd.kept}


# -- evolvers

def card_rated(board, data):
    axis_ratings = board.cards[data["card_id"]].ratings.setdefault(data["axis"], {})
    if data["value"] is None:
        axis_ratings.pop(data["rater"], None)
    else:
        axis_ratings[data["rater"]] = data["value"]
    if not axis_ratings:
        del board.cards[data["card_id"]].ratings[data["axis"]]


def card_kept(board, data):
    board.cards[data["card_id"]].kept = data["kept"]


RESOLVERS = {RATE: rate_card, KEEP: keep_card}
EVOLVERS = {"card_rated": card_rated, "card_kept": card_kept}
