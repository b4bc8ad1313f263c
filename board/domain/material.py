"""Material for the participants: short texts, quotes and links the facilitator attaches (MAT).

The facilitator adds, edits, removes and reorders items, and chooses in which sequences the
participants' side panel shows them (by default those the format marks `"material": true`: the
Atelier Compétences' sequence 3, "Compléter"). Everything here is the facilitator's; participants
only read.

Outside the chosen sequences the server withholds the items from participants and the projector
(MAT6): their snapshot holds no item, and every material event reaches them as the list they may
see now, so a page never holds what it may not show, and a page catching up ends with the right
list whatever it missed. `sequence_changed` brings them that list too, which is how the panel
appears and goes when the facilitator changes sequence.

A link is only shown: it opens in the browser, and only when the venue has internet (MAT4).
Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data; `snapshot_for` and `event_for` are what visibility.py calls for each viewer.
"""
import copy
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .commands import Command, identifier, integer, one_of, optional, spec, storable
from .errors import BAD_REQUEST, CONFLICT, NOT_FOUND, TOO_LARGE, InvalidCommand, Rejection
from .model import FACILITATOR

TEXT, QUOTE, LINK = "text", "quote", "link"
KINDS = (TEXT, QUOTE, LINK)
TITLE_MAX = 120
BODY_MAX = 1000  # a command is at most 8 KB, and JSON may spell an accented letter in 6 bytes
AUTHOR_MAX = 120
URL_MAX = 500
ITEMS_MAX = 40  # a side panel, not a library
# The fields an item has, whatever its kind; those a kind does not use are empty.
ITEM_FIELDS = ("title", "body", "author", "url")
# What each kind needs and allows (MAT2): a text has a title and a body; a quote its words (body)
# and, if known, who said them (author), a title optional; a link a title and an address, a line
# of description optional.
REQUIRED = {TEXT: ("title", "body"), QUOTE: ("body",), LINK: ("title", "url")}
ALLOWED = {TEXT: ("title", "body"), QUOTE: ("title", "body", "author"), LINK: ("title", "body", "url")}
EVENTS = ("material_added", "material_edited", "material_removed", "material_moved", "material_sequences_set")
# Characters no address holds: spaces and control characters (a pasted line break, a tab).
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


def empty():
    """A board's material before anything is attached: no item, shown in no sequence."""
    return {"items": [], "sequences": []}


def defaults(document):
    """The sequences a format shows the material in from the start (their indexes), from its data."""
    return [index for index, sequence in enumerate(document.get("sequences", []))
            if sequence.get("material") is True]


def shown(board):
    """Whether the current sequence shows the material to participants (MAT6)."""
    return board.sequence in board.material["sequences"]


def visible_items(board, viewer):
    """The items `viewer` may read now: all of them for the facilitator, else only while shown."""
    if viewer.role == FACILITATOR or shown(board):
        return copy.deepcopy(board.material["items"])
    return []


# -- field checks (parse time: types and lengths; what a kind needs is checked against the board)

def _fail(code, message):
    raise InvalidCommand(code, message)


def _text_field(limit):
    """Text trimmed of spaces, 0 to `limit` characters (empty means "none")."""
    def check(name, value):
        if not isinstance(value, str):
            _fail(BAD_REQUEST, f"Field '{name}' must be text.")
        if not storable(value):
            _fail(BAD_REQUEST, f"Field '{name}' holds a character that is not valid text (a lone surrogate).")
        value = value.strip()
        if len(value) > limit:
            _fail(TOO_LARGE, f"Field '{name}' is longer than {limit} characters.")
        return value
    return check


def web_address(name, value):
    """A web address someone can open: http:// or https://, a host, no spaces (MAT4). An empty
    string means none (a link must have one, which the resolver checks)."""
    value = _text_field(URL_MAX)(name, value)
    if not value:
        return value
    if _NOT_IN_URL.search(value):
        _fail(BAD_REQUEST, f"Field '{name}' must be a web address without spaces.")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError:
        _fail(BAD_REQUEST, f"Field '{name}' is not a web address.")
    if parts.scheme.lower() not in ("http", "https"):
        _fail(BAD_REQUEST, f"Field '{name}' must start with http:// or https://.")
    if not host:
        _fail(BAD_REQUEST, f"Field '{name}' must name a site after http:// or https://.")
    if "@" in parts.netloc:
        # "https://trusted.example@elsewhere.example" opens elsewhere: an address is shown as it opens.
        _fail(BAD_REQUEST, f"Field '{name}' must not hold a user name or password (an '@' before the site).")
    return value


# Each field's own check, as the commands apply them (a document's material is held to them too).
FIELD_CHECKS = {"title": _text_field(TITLE_MAX), "body": _text_field(BODY_MAX), "author": _text_field(AUTHOR_MAX),
                "url": web_address}


def _sequence_list(name, value):
    """Sequence indexes, each at most once, in any order (kept sorted)."""
    if not isinstance(value, list) or len(value) > 100:
        _fail(BAD_REQUEST, f"Field '{name}' must be a list of sequence numbers (from 0).")
    indexes = [integer(0, 99)(name, item) for item in value]
    if len(set(indexes)) != len(indexes):
        _fail(BAD_REQUEST, f"Field '{name}' lists a sequence twice.")
    return tuple(sorted(indexes))


# -- commands (parse_command finds them in commands.COMMANDS: decide.py adds them)

@dataclass(frozen=True)
class AddMaterial(Command):
    """Attach a text, a quote or a link to the board's material, at the end of the list."""

    type = "add_material"
    kind: str = spec(one_of(*KINDS))
    title: str | None = spec(optional(_text_field(TITLE_MAX)))
    body: str | None = spec(optional(_text_field(BODY_MAX)))
    author: str | None = spec(optional(_text_field(AUTHOR_MAX)))
    url: str | None = spec(optional(web_address))


@dataclass(frozen=True)
class EditMaterial(Command):
    """Change an item's title, body, author or address; only the fields given change."""

    type = "edit_material"
    material_id: str = spec(identifier)
    title: str | None = spec(optional(_text_field(TITLE_MAX)))
    body: str | None = spec(optional(_text_field(BODY_MAX)))
    author: str | None = spec(optional(_text_field(AUTHOR_MAX)))
    url: str | None = spec(optional(web_address))


@dataclass(frozen=True)
class RemoveMaterial(Command):
    """Take an item off the material."""

    type = "remove_material"
    material_id: str = spec(identifier)


@dataclass(frozen=True)
class MoveMaterial(Command):
    """Put an item at another place in the list (0 is the first)."""

    type = "move_material"
    material_id: str = spec(identifier)
    position: int = spec(integer(0, ITEMS_MAX - 1))


@dataclass(frozen=True)
class SetMaterialSequences(Command):
    """The sequences (indexes) during which participants see the material; an empty list: none."""

    type = "set_material_sequences"
    sequences: tuple = spec(_sequence_list)


COMMANDS = {cls.type: cls for cls in (AddMaterial, EditMaterial, RemoveMaterial, MoveMaterial, SetMaterialSequences)}
FACILITATOR_COMMANDS = tuple(COMMANDS)


# -- resolvers

def item_refusal(item):
    """Why an item is not one of its kind (MAT2), or None."""
    kind = item["kind"]
    missing = [key for key in REQUIRED[kind] if not item[key]]
    if missing:
        what = {"title": "a title", "body": "a text" if kind != QUOTE else "the quoted words",
                "url": "a web address (http:// or https://)"}[missing[0]]
        return Rejection(BAD_REQUEST, f"A {kind} needs {what}.")
    extra = [key for key in ITEM_FIELDS if item[key] and key not in ALLOWED[kind]]
    if extra:
        return Rejection(BAD_REQUEST, f"A {kind} has no {extra[0]}.")
    return None


def _fresh_id(board):
    """A deterministic id from the version, so a replay gives the same ids."""
    taken = {item["id"] for item in board.material["items"]}
    candidate, n = f"m{board.version + 1}", 1
    while candidate in taken:
        candidate, n = f"m{board.version + 1}-{n}", n + 1
    return candidate


def _find(board, material_id):
    return next((item for item in board.material["items"] if item["id"] == material_id), None)


def add_material(board, actor, role, cmd):
    """A new item at the end of the list (MAT1, MAT2, MAT3)."""
    if len(board.material["items"]) >= ITEMS_MAX:
        return Rejection(CONFLICT, f"The material holds {ITEMS_MAX} items already: remove one first.")
    item = {"id": _fresh_id(board), "kind": cmd.kind,
            **{key: getattr(cmd, key) or "" for key in ITEM_FIELDS}}
    refusal = item_refusal(item)
    if refusal:
        return refusal
    return "material_added", {"item": item}


def edit_material(board, actor, role, cmd):
    """The item with the fields given changed; its kind stays (MAT1, MAT2)."""
    current = _find(board, cmd.material_id)
    if current is None:
        return Rejection(NOT_FOUND, f"Unknown material {cmd.material_id!r}.")
    changes = {key: getattr(cmd, key) for key in ITEM_FIELDS if getattr(cmd, key) is not None}
    if not changes:
        return Rejection(BAD_REQUEST, "Nothing to change: give a title, body, author or url.")
    item = {**current, **changes}
    refusal = item_refusal(item)
    if refusal:
        return refusal
    if item == current:
        return Rejection(CONFLICT, "This material already reads so.")
    return "material_edited", {"item": item}


def remove_material(board, actor, role, cmd):
    """The item goes (MAT1)."""
    if _find(board, cmd.material_id) is None:
        return Rejection(NOT_FOUND, f"Unknown material {cmd.material_id!r}.")
    return "material_removed", {"id": cmd.material_id}


def move_material(board, actor, role, cmd):
    """The item goes to `position` in the list, the others keeping their order (MAT1)."""
    items = board.material["items"]
    current = _find(board, cmd.material_id)
    if current is None:
        return Rejection(NOT_FOUND, f"Unknown material {cmd.material_id!r}.")
    if cmd.position >= len(items):
        return Rejection(BAD_REQUEST, f"Position {cmd.position} is past the last item ({len(items) - 1}).")
    if items.index(current) == cmd.position:
        return Rejection(CONFLICT, "This material is already at that place.")
    return "material_moved", {"id": cmd.material_id, "position": cmd.position}


def set_material_sequences(board, actor, role, cmd):
    """The sequences that show the material to participants (MAT5)."""
    count = len(board.format.sequences)
    beyond = [index for index in cmd.sequences if index >= count]
    if beyond:
        return Rejection(NOT_FOUND, f"There is no sequence {beyond[0] + 1}.")
    if list(cmd.sequences) == board.material["sequences"]:
        return Rejection(CONFLICT, "The material is already shown in exactly these sequences.")
    return "material_sequences_set", {"sequences": list(cmd.sequences)}


# -- evolvers

def material_added(board, data):
    board.material["items"].append(copy.deepcopy(data["item"]))


def material_edited(board, data):
    items = board.material["items"]
    for index, item in enumerate(items):
        if item["id"] == data["item"]["id"]:
            items[index] = copy.deepcopy(data["item"])


def material_removed(board, data):
    board.material["items"] = [item for item in board.material["items"] if item["id"] != data["id"]]


def material_moved(board, data):
    items = board.material["items"]
    item = next(item for item in items if item["id"] == data["id"])
    items.remove(item)
    items.insert(data["position"], item)


def material_sequences_set(board, data):
    board.material["sequences"] = list(data["sequences"])


# -- what a viewer receives (MAT6)

def snapshot_for(board, snapshot, viewer):
    """The snapshot's material as `viewer` may read it: no item outside the chosen sequences,
    except for the facilitator."""
    snapshot["material"] = {"items": visible_items(board, viewer), "sequences": list(board.material["sequences"])}
    return snapshot


def concerns(board, event_type):
    """Whether an event reads differently per viewer because of the material (then sent to each
    socket apart): every material event, and a sequence change while there is material."""
    return event_type in EVENTS or (event_type == "sequence_changed" and bool(board.material["items"]))


def event_for(board, event, viewer):
    """The event `viewer` receives. The facilitator gets each change as it is; anyone else, for a
    material event, the list they may see now (`items`) instead of the change, and with a sequence
    change the list of the new sequence (`material`)."""
    if viewer.role == FACILITATOR or not concerns(board, event["type"]):
        return event
    items = visible_items(board, viewer)
    if event["type"] == "sequence_changed":
        return {**event, "data": {**event["data"], "material": items}}
    data = {"items": items}
    if event["type"] == "material_sequences_set":
        data["sequences"] = event["data"]["sequences"]
    return {**event, "data": data}


RESOLVERS = {"add_material": add_material, "edit_material": edit_material, "remove_material": remove_material,
             "move_material": move_material, "set_material_sequences": set_material_sequences}
EVOLVERS = {"material_added": material_added, "material_edited": material_edited,
            "material_removed": material_removed, "material_moved": material_moved,
            "material_sequences_set": material_sequences_set}
