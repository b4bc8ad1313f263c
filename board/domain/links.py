"""Links from a card to other cards (LINK1-LINK9 in docs/spec.md).

A card points to the cards behind it: the factors map's themes to the factors they come from, but
any card of any format may point to others. `link_card {card_id, target_id, on}` adds (on: true) or
removes (on: false) `target_id` in `Card.links`, a list of card ids in the order they were linked.
A link goes one way (the theme knows its factors, a factor does not list its themes) and never
touches a note (a card attached to a card): a note belongs to its card, the card is what is linked.

Who may link: the facilitator, the card's author or its team (as for edit_card); a sequence opens the
command to participants by naming `link_card` in its `allows`. A card that goes (deleted, its author
forgotten, taken out of the deck by an import) leaves no link to it behind: `forget` runs in each
evolver that removes cards.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data; decide.py and evolve.py register them, commands.py the commands.
"""
from dataclasses import dataclass

from . import teams
from .commands import Command, boolean, identifier, integer, optional, spec
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, Rejection
from .model import FACILITATOR

LINK = "link_card"  # the command, and what a sequence's `allows` names to open it to participants
LINKS_MAX = 30  # a theme stands on a handful of factors; 30 still read as a list in its dialog (LINK5)


@dataclass(frozen=True)
class LinkCard(Command):
    """Link a card to another card (on: true) or take the link off (on: false)."""

    type = LINK
    card_id: str = spec(identifier)
    target_id: str = spec(identifier)
    on: bool = spec(boolean)
    # Where the link goes back in the card's list (0 first): an undone unlink puts it where it was (LINK11).
    position: int | None = spec(optional(integer(0, LINKS_MAX - 1)))


COMMANDS = {LinkCard.type: LinkCard}
GATED_COMMANDS = (LINK,)


def _visible(board, actor, role, card_id):
    """The card, or None when it is not there for this actor (another team's face-down card)."""
    card = board.cards.get(card_id)
    if card is None:
        return None
    if card.private and role != FACILITATOR and card.team != board.participants[actor].team:
        return None
    return card


# -- resolvers

def link_card(board, actor, role, cmd):
    """Add or remove one link from a card to another (LINK2-LINK6)."""
    card = _visible(board, actor, role, cmd.card_id)
    if card is None:
        return Rejection(NOT_FOUND, f"Unknown card {cmd.card_id!r}.")
    target = _visible(board, actor, role, cmd.target_id)
    if target is None:
        return Rejection(NOT_FOUND, f"Unknown card {cmd.target_id!r}.")
    if card.id == target.id:
        return Rejection(BAD_REQUEST, "A card cannot be linked to itself.")
    if card.parent is not None or target.parent is not None:
        return Rejection(FORBIDDEN, "A note is not linked: link the card it is attached to.")
    if not teams.may_change_card(board, actor, role, card):
        return Rejection(FORBIDDEN, "Only the author, their team or the facilitator may link this card.")
    linked = target.id in card.links
    if cmd.on == linked:
        return Rejection(CONFLICT, "These cards are already linked." if linked else "These cards are not linked.")
    if cmd.on and len(card.links) >= LINKS_MAX:
        return Rejection(CONFLICT, f"A card links to at most {LINKS_MAX} cards.")
    data = {"card_id": card.id, "target_id": target.id, "on": cmd.on}
    if cmd.position is not None:
        if not cmd.on:
            return Rejection(BAD_REQUEST, "A position is given only when linking.")
        data["position"] = min(cmd.position, len(card.links))  # past the end is the end
    return "card_linked", data


# -- evolvers

def card_linked(board, data):
    card = board.cards.get(data["card_id"])
    if card is None:
        return
    if data["on"] and data["target_id"] not in card.links:
        card.links.insert(data.get("position", len(card.links)), data["target_id"])
    elif not data["on"] and data["target_id"] in card.links:
        card.links.remove(data["target_id"])


def forget(board, card_ids):
    """Drop every link to the cards in `card_ids`, gone from the board (LINK7)."""
    gone = set(card_ids)
    if not gone:
        return
    for card in board.cards.values():
        if card.links and gone.intersection(card.links):
            card.links = [target for target in card.links if target not in gone]


def titles(board, card):
    """The texts of the cards `card` links to, in link order (the exports' column, LINK9)."""
    return [board.cards[target].text for target in card.links if target in board.cards]


RESOLVERS = {LINK: link_card}
EVOLVERS = {"card_linked": card_linked}
