"""Families on a canvas: zones the participants make during a workshop (CANVAS1-CANVAS15 in docs/spec.md).

A format area of kind `canvas` is a large surface where cards sit where they were dropped (the x, y
of `move_card`, fractions of the canvas). On it people make *families*: zones of kind `family`, each
named, placed on the canvas (its x, y, fractions of the canvas) and holding cards (whose x, y are then
fractions of the family). `create_zone` makes one, and may move cards into it at once (a suggested
grouping accepted in one command); `rename_zone` renames it; `move_zone` puts it elsewhere on its
canvas; `delete_zone` removes it while it is empty. Moving a card in or out is the ordinary `move_card` with the family's id as its zone.

The format's `canvas` field says who makes families (everyone, when the sequence opens the command to
participants, or the facilitator alone) and how many one canvas holds (formats.canvas_settings).

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data by assignment; decide.py and evolve.py register them, commands.py the commands.
"""
import dataclasses
import unicodedata
from dataclasses import dataclass

from .commands import Command, MoveCard, fraction, id_list, identifier, optional, spec, trimmed_text
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_EMPTY, NOT_FOUND, Rejection
from . import notes
from .formats import LANGUAGES, Zone, canvas_settings
from .model import FACILITATOR

FAMILY = "family"
CANVAS = "canvas"
LABEL_MAX = 60  # a family's name: read on its frame from the back of the room, on one or two lines
CARDS_MAX = 60  # cards one create_zone may move into its new family (a suggested grouping)
# Cards moved in by create_zone are laid out in reading order on this many columns, in at least this many
# rows (CANVAS3): the family's frame on every page shows its cards two a line in three lines or more
# (canvas.js FAMILY), so each card lands in a slot of its own, with no gap before the last.
GRID_COLUMNS = 2
GRID_ROWS = 3


# -- commands

@dataclass(frozen=True)
class CreateZone(Command):
    """Make a family on a canvas area, named `label`, at (x, y) of the canvas; `card_ids` go into it."""

    type = "create_zone"
    zone_id: str = spec(identifier)
    area_id: str = spec(identifier)
    label: str = spec(trimmed_text(LABEL_MAX))
    x: float = spec(fraction)
    y: float = spec(fraction)
    card_ids: tuple | None = spec(optional(id_list(CARDS_MAX)))


@dataclass(frozen=True)
class RenameZone(Command):
    """Give a family a new name."""

    type = "rename_zone"
    zone_id: str = spec(identifier)
    label: str = spec(trimmed_text(LABEL_MAX))


@dataclass(frozen=True)
class DeleteZone(Command):
    """Remove a family that holds no card."""

    type = "delete_zone"
    zone_id: str = spec(identifier)


@dataclass(frozen=True)
class MoveZone(Command):
    """Put a family at (x, y) of its canvas, its cards with it."""

    type = "move_zone"
    zone_id: str = spec(identifier)
    x: float = spec(fraction)
    y: float = spec(fraction)


COMMANDS = {cls.type: cls for cls in (CreateZone, RenameZone, DeleteZone, MoveZone)}
GATED_COMMANDS = tuple(COMMANDS)  # open to participants where a sequence's `allows` opens them (see gate)


def gate(command_type):
    """The name a sequence's `allows` must hold for a participant's family command (CANVAS14): moving a
    family is part of making families, so `move_zone` is open wherever `create_zone` is."""
    return CreateZone.type if command_type == MoveZone.type else command_type


# -- reading

def families(board, area_id=None):
    """The families of the board (of one canvas area when given), in the order they were made."""
    return [zone for zone in board.zones.values() if zone.kind == FAMILY and (area_id is None or zone.area == area_id)]


def cards_in(board, zone_id):
    """The cards (private ones included) in one zone."""
    return [card for card in board.cards.values() if card.zone == zone_id]


# -- resolvers

def create_zone(board, actor, role, cmd):
    """CANVAS1-CANVAS5: a new family on a canvas, and the cards it takes in at once."""
    refusal = _may_make_families(board, role)
    if refusal:
        return refusal
    if cmd.zone_id in board.zones:
        return Rejection(CONFLICT, f"A zone with id {cmd.zone_id!r} exists already.")
    area = board.zones.get(cmd.area_id)
    if area is None:
        return Rejection(NOT_FOUND, f"Unknown area {cmd.area_id!r}.")
    if area.kind != CANVAS:
        return Rejection(BAD_REQUEST, f"Families are made on a canvas, and {cmd.area_id!r} is not one.")
    most = canvas_settings(board.format.document)["max_families"]
    if len(families(board, area.id)) >= most:
        return Rejection(CONFLICT, f"This canvas holds {most} families already, the most it may: "
                                   "delete an empty one first.")
    taken = _name_taken(board, area.id, cmd.label)
    if taken:
        return taken
    moved = _cards_taken_in(board, actor, role, cmd)
    if isinstance(moved, Rejection):
        return moved
    zone = Zone(cmd.zone_id, FAMILY, _label(cmd.label), created_by=_creator(board, actor), area=area.id,
                x=cmd.x, y=cmd.y)
    return "zone_created", {"zone": zone.to_dict(), "cards": moved}


def rename_zone(board, actor, role, cmd):
    """CANVAS6, CANVAS7: a family's new name, unique on its canvas."""
    zone = _family_to_change(board, role, cmd.zone_id)
    if isinstance(zone, Rejection):
        return zone
    if zone.label == _label(cmd.label):
        return Rejection(CONFLICT, f"This family is already called {cmd.label!r}.")
    taken = _name_taken(board, zone.area, cmd.label, but=zone.id)
    if taken:
        return taken
    return "zone_renamed", {"zone_id": zone.id, "label": _label(cmd.label)}


def delete_zone(board, actor, role, cmd):
    """CANVAS8, CANVAS9: a family goes only while no card is in it."""
    zone = _family_to_change(board, role, cmd.zone_id)
    if isinstance(zone, Rejection):
        return zone
    held = cards_in(board, zone.id)
    if held:
        count = "1 card is" if len(held) == 1 else f"{len(held)} cards are"
        return Rejection(NOT_EMPTY, f"{count} in the family {zone.label['fr']!r}: move them out before deleting it.")
    return "zone_deleted", {"zone_id": zone.id}


def move_zone(board, actor, role, cmd):
    """CANVAS13: a family's new place on its canvas; its name, maker and cards stay."""
    zone = _family_to_change(board, role, cmd.zone_id)
    if isinstance(zone, Rejection):
        return zone
    if (zone.x, zone.y) == (cmd.x, cmd.y):
        return Rejection(CONFLICT, f"The family {zone.label['fr']!r} is there already.")
    return "zone_moved", {"zone_id": zone.id, "x": cmd.x, "y": cmd.y}


def _may_make_families(board, role):
    """CANVAS10: a format whose canvas says `families_by: facilitator` keeps families to the facilitator."""
    if role != FACILITATOR and canvas_settings(board.format.document)["families_by"] == FACILITATOR:
        return Rejection(FORBIDDEN, "In this workshop the facilitator makes, renames and deletes the families.")
    return None


def _family_to_change(board, role, zone_id):
    """The family a rename or a delete acts on, or the refusal: the role may make families, and the zone
    is a family."""
    return _may_make_families(board, role) or _family(board, zone_id)


def _family(board, zone_id):
    zone = board.zones.get(zone_id)
    if zone is None:
        return Rejection(NOT_FOUND, f"Unknown family {zone_id!r}.")
    if zone.kind != FAMILY:
        return Rejection(BAD_REQUEST, f"The zone {zone_id!r} comes from the format: only families change.")
    return zone


def _cards_taken_in(board, actor, role, cmd):
    """The card_moved data of each card `create_zone` moves into the new family, laid out in reading
    order on a grid of GRID_COLUMNS (CANVAS3); each is judged as a move_card to the canvas would be."""
    from .decide import RESOLVERS as decided  # decide imports this module: its move rule is read at call time
    ids = cmd.card_ids or ()
    rows = max(GRID_ROWS, -(-len(ids) // GRID_COLUMNS))
    moved = []
    for order, card_id in enumerate(ids):
        column, row = order % GRID_COLUMNS, order // GRID_COLUMNS
        x, y = round((column + 0.5) / GRID_COLUMNS, 3), round((row + 0.5) / rows, 3)
        outcome = decided[MoveCard.type](board, actor, role, MoveCard(card_id=card_id, zone_id=cmd.area_id,
                                                                                 x=x, y=y))
        if isinstance(outcome, Rejection):
            return outcome
        moved.append({**outcome[1], "zone_id": cmd.zone_id, "z": order + 1})
    return moved


def _creator(board, actor):
    """Who made a family: the maker's team when they have one, else the maker (CANVAS1)."""
    member = board.participants.get(actor)
    return member.team if member is not None and member.team else actor


def _label(text):
    # A family's name is typed by the room in its own language: the same words in both.
    return {language: text for language in LANGUAGES}


def _name_taken(board, area_id, text, but=None):
    """Two families with one name on a canvas cannot be told apart (CANVAS7)."""
    key = _key(text)
    for zone in families(board, area_id):
        if zone.id != but and _key(zone.label["fr"]) == key:
            return Rejection(CONFLICT, f"A family is already called {zone.label['fr']!r}.")
    return None


def _key(text):
    """A name as people tell names apart: case, accents and spacing do not count."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


RESOLVERS = {"create_zone": create_zone, "rename_zone": rename_zone, "delete_zone": delete_zone,
             "move_zone": move_zone}


# -- evolvers

def zone_created(board, data):
    """The family joins the board's zones; the cards it took in move into it as card_moved would move them."""
    zone = data["zone"]
    board.zones[zone["id"]] = Zone(**zone)
    for moved in data["cards"]:
        card = board.cards[moved["card_id"]]
        card.zone, card.x, card.y, card.z = moved["zone_id"], moved["x"], moved["y"], moved["z"]
        card.team, card.colour, card.placed_by = moved["team"], moved["colour"], moved["placed_by"]
        notes.follow(board, card)  # its notes go where it goes (NOTE4)


def zone_renamed(board, data):
    """The family's new name (a Zone is frozen: a new one, all else kept)."""
    zone = board.zones[data["zone_id"]]
    board.zones[zone.id] = dataclasses.replace(zone, label=dict(data["label"]))


def zone_moved(board, data):
    """The family's new place (its cards' x, y are fractions of the family: they go with it)."""
    zone = board.zones[data["zone_id"]]
    board.zones[zone.id] = dataclasses.replace(zone, x=data["x"], y=data["y"])


def zone_deleted(board, data):
    """The family goes; a projector's focus or the room's follow on it goes back to the overview (CANVAS9)."""
    del board.zones[data["zone_id"]]
    gone = {"kind": "zone", "id": data["zone_id"]}
    if board.display.get("focus") == gone:
        board.display["focus"] = {"kind": "overview"}
    if board.room.get("follow") == gone:
        board.room["follow"] = None


EVOLVERS = {"zone_created": zone_created, "zone_renamed": zone_renamed, "zone_deleted": zone_deleted,
            "zone_moved": zone_moved}
