"""Anonymity, per sequence: while it is on, participants and the projector learn nobody's name.

The facilitator turns it on or off for one sequence or for all (`set_anonymity`, ANON1); a format
may make a sequence anonymous from the start (`"anonymous": true` on the sequence, ANON1). While
the current sequence is anonymous, what a participant or the projector receives (snapshot, event,
presence) names nobody but themselves (ANON2): the server withholds the names, a page hiding
them would not be enough. The facilitator keeps every name (ANON3).

Names are withheld twice over: the roster carries no other person's name, and no card, event or
drag carries the id of who wrote, placed or did it, since an id seen with a name earlier in the
workshop would name them again.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data; `scrub_snapshot`, `scrub_event` and `scrub_roster` are what visibility.py
and the socket layer call for each viewer.
"""
from .errors import CONFLICT, NOT_FOUND, Rejection
from .model import FACILITATOR, PROJECTOR

# Where a card or an event names the person behind it.
AUTHOR_FIELDS = ("author", "placed_by")
# A name withheld: an empty name, so that a page showing "by <name>" shows nothing.
NO_NAME = ""
# Events that change which names a viewer may read: each carries the viewer's `names` (ANON4).
TURNING_EVENTS = frozenset({"anonymity_set", "sequence_changed"})


def defaults(document):
    """The sequences a format makes anonymous from the start (their indexes), from its data."""
    return [index for index, sequence in enumerate(document.get("sequences", []))
            if sequence.get("anonymous") is True]


def in_force(board):
    """Whether the current sequence is anonymous."""
    return board.sequence in board.anonymous


def withheld_from(board, viewer):
    """Whether names are withheld from `viewer` now: anyone but the facilitator, in an anonymous sequence."""
    return viewer.role != FACILITATOR and in_force(board)


def concerns_everyone(board, event_type):
    """Whether an event may read differently per viewer because of anonymity (the socket layer then
    sends it to each socket apart): any event once a sequence is anonymous, and every turn of it."""
    return bool(board.anonymous) or event_type == "anonymity_set"


# -- resolvers

def set_anonymity(board, actor, role, cmd):
    """Anonymity on or off for sequence `cmd.sequence`, or for every sequence (ANON1)."""
    count = len(board.format.sequences)
    if cmd.sequence is not None and cmd.sequence >= count:
        return Rejection(NOT_FOUND, f"There is no sequence {cmd.sequence + 1}.")
    chosen = range(count) if cmd.sequence is None else (cmd.sequence,)
    changed = [index for index in chosen if (index in board.anonymous) != cmd.on]
    if not changed:
        state = "anonymous" if cmd.on else "not anonymous"
        return Rejection(CONFLICT, f"{'Every sequence is' if cmd.sequence is None else 'This sequence is'} "
                                   f"already {state}.")
    return "anonymity_set", {"sequences": changed, "on": cmd.on}


# -- evolvers

def anonymity_set(board, data):
    chosen = set(board.anonymous)
    chosen.update(data["sequences"]) if data["on"] else chosen.difference_update(data["sequences"])
    board.anonymous = sorted(chosen)


# -- what a viewer receives

def scrub_roster(members, viewer):
    """Members (as dicts) with every name but the viewer's own (and the projector's, which names
    nobody) withheld."""
    return [member if member["id"] == viewer.id or member["role"] == PROJECTOR
            else {**member, "name": NO_NAME} for member in members]


def scrub_card(card, viewer):
    """A card (as a dict) naming nobody but the viewer: their own card still says it is theirs."""
    hidden = {key: None for key in AUTHOR_FIELDS if card.get(key) not in (None, viewer.id)}
    return {**card, **hidden} if hidden else card


def scrub_snapshot(board, snapshot, viewer):
    """The snapshot `viewer` receives, its names withheld while anonymity is on (ANON2)."""
    if not withheld_from(board, viewer):
        return snapshot
    snapshot["cards"] = [scrub_card(card, viewer) for card in snapshot["cards"]]
    snapshot["participants"] = scrub_roster(snapshot["participants"], viewer)
    snapshot["zones"] = [scrub_zone(zone, board, viewer) for zone in snapshot["zones"]]
    return snapshot


def scrub_zone(zone, board, viewer):
    """A family (canvas.py) made by someone with no team names its maker: nobody but the viewer is named."""
    maker = zone.get("created_by")
    if maker is None or maker == viewer.id or maker not in board.participants:
        return zone
    return {**zone, "created_by": None}


def scrub_event(board, event, viewer, names_now):
    """The event `viewer` receives: with no one's name or id while anonymity is on (ANON2), and, when
    it turns which names they may read, those names as they now stand (`names_now()`, ANON4)."""
    turning = event["type"] == "anonymity_set" or (event["type"] in TURNING_EVENTS and board.anonymous)
    if turning and viewer.role != FACILITATOR:
        event = {**event, "data": {**event["data"], "names": names_now()}}
    if not withheld_from(board, viewer):
        return event
    data = _scrub_data(event["type"], event["data"], viewer, board)
    if event["actor"] != viewer.id:
        # The command id a client chose may name them too (as visibility._unsigned says).
        event = {**event, "actor": None, "command_id": None}
    return {**event, "data": data}


def _scrub_data(kind, data, viewer, board):
    if kind == "participant_joined" and data["id"] != viewer.id:
        return {**data, "name": NO_NAME}
    if kind == "board_created":
        return {**data, "facilitator": {**data["facilitator"], "name": NO_NAME}}
    if kind == "zone_created":  # a family and the cards it took in: who placed them, who made it (CANVAS1)
        return {**data, "zone": scrub_zone(data["zone"], board, viewer),
                "cards": [scrub_card(card, viewer) for card in data["cards"]]}
    if kind == "cards_revealed":
        return {**data, "cards": [scrub_card(card, viewer) for card in data["cards"]]}
    return scrub_card(data, viewer)


RESOLVERS = {"set_anonymity": set_anonymity}
EVOLVERS = {"anonymity_set": anonymity_set}
FACILITATOR_COMMANDS = ("set_anonymity",)
