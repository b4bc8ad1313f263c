"""The Panorama's labels: renaming, adding and removing a domain (row) or a category (column).

The labels are the board's own format document (`board.format.document["panorama"]`), never the
packaged format file: every reader (the grid, the exports, the deck's suggestions) reads them there.
Each change is one event that carries the row or column whole as it is afterwards, so applying it
is an assignment, and the board's format and cell zones are rebuilt from the changed document the
same way live and in a replay (PANO1-PANO12 in docs/spec.md).

A label is typed in one language (the facilitator's page's, `language`). A new one reads the same in
both until it is translated. French is the workshop's own language and English its translation: a
French rename carries over to English while English was the same text, never over a translation; an
English rename is a translation and changes English alone (PANO3).

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data; decide.py and evolve.py register them, commands.py the commands.
"""
import copy
import unicodedata
from dataclasses import dataclass

from .commands import Command, identifier, one_of, optional, spec, trimmed_text
from .errors import BAD_REQUEST, CONFLICT, NOT_EMPTY, NOT_FOUND, Rejection
from .formats import ID_PATTERN, LANGUAGES, load_format

LABEL_MAX = 80  # a domain's name on two or three lines of a row head, a category's in its column head
SHORT_MAX = 30  # a domain's short name (row heads, pickers, the deck's line): one line
# A grid people can still read and use on a laptop: rows scroll, columns share the width (PANO8).
MAX_LINES = {"rows": 12, "columns": 4}
ROWS, COLUMNS = "rows", "columns"
REFERENCE, TRANSLATION = LANGUAGES  # French, the workshop's language; English, its translation (PANO3)
# What the facilitator calls each axis, in messages.
NOUN = {ROWS: "domain", COLUMNS: "category"}


# -- commands: one per gesture of the console's Panorama section

def _language(name, value):
    return one_of(*LANGUAGES)(name, value)


@dataclass(frozen=True)
class RenameDomain(Command):
    """Give a domain (row) a new name in one language, and optionally a short name for the grid."""

    type = "rename_domain"
    domain_id: str = spec(identifier)
    label: str = spec(trimmed_text(LABEL_MAX))
    short: str | None = spec(optional(trimmed_text(SHORT_MAX, allow_empty=True)))
    language: str | None = spec(optional(_language))


@dataclass(frozen=True)
class AddDomain(Command):
    """Add a domain (row) below the others."""

    type = "add_domain"
    label: str = spec(trimmed_text(LABEL_MAX))
    short: str | None = spec(optional(trimmed_text(SHORT_MAX, allow_empty=True)))
    language: str | None = spec(optional(_language))


@dataclass(frozen=True)
class RemoveDomain(Command):
    """Remove a domain (row) no card is in."""

    type = "remove_domain"
    domain_id: str = spec(identifier)


@dataclass(frozen=True)
class RenameCategory(Command):
    """Give a category (column) a new name in one language."""

    type = "rename_category"
    category_id: str = spec(identifier)
    label: str = spec(trimmed_text(LABEL_MAX))
    language: str | None = spec(optional(_language))


@dataclass(frozen=True)
class AddCategory(Command):
    """Add a category (column) right of the others."""

    type = "add_category"
    label: str = spec(trimmed_text(LABEL_MAX))
    language: str | None = spec(optional(_language))


@dataclass(frozen=True)
class RemoveCategory(Command):
    """Remove a category (column) no card is in."""

    type = "remove_category"
    category_id: str = spec(identifier)


COMMANDS = {cls.type: cls for cls in (RenameDomain, AddDomain, RemoveDomain, RenameCategory, AddCategory,
                                      RemoveCategory)}
FACILITATOR_COMMANDS = tuple(COMMANDS)


# -- reading the board's labels

def lines(board, axis):
    """The rows or the columns of the board's Panorama, in order (the format document's own list)."""
    return board.format.rows if axis == ROWS else board.format.columns


def line_ids(board, axis):
    """The ids of the rows or the columns."""
    return [entry["id"] for entry in lines(board, axis)]


def cards_in(board, axis, line_id):
    """The cards (of any kind, private ones included) in any cell of one row or column."""
    side = "row" if axis == ROWS else "column"
    return [card for card in board.cards.values()
            if board.zones.get(card.zone) is not None and getattr(board.zones[card.zone], side) == line_id]


# -- resolvers

def rename_domain(board, actor, role, cmd):
    """PANO2, PANO3: a domain's name (and short name) in the language typed."""
    return _rename(board, ROWS, cmd.domain_id, cmd.label, cmd.short, cmd.language or "fr")


def rename_category(board, actor, role, cmd):
    """PANO2, PANO3: a category's name in the language typed."""
    return _rename(board, COLUMNS, cmd.category_id, cmd.label, None, cmd.language or "fr")


def add_domain(board, actor, role, cmd):
    """PANO4: a new row below the others, its id chosen here from its name."""
    return _add(board, ROWS, cmd.label, cmd.short, cmd.language or "fr")


def add_category(board, actor, role, cmd):
    """PANO4: a new column right of the others."""
    return _add(board, COLUMNS, cmd.label, None, cmd.language or "fr")


def remove_domain(board, actor, role, cmd):
    """PANO5-PANO7: a row goes only while no card is in it."""
    return _remove(board, ROWS, cmd.domain_id)


def remove_category(board, actor, role, cmd):
    """PANO5-PANO7: a column goes only while no card is in it."""
    return _remove(board, COLUMNS, cmd.category_id)


def _rename(board, axis, line_id, text, short, language):
    entry = _find(board, axis, line_id)
    if entry is None:
        return _unknown(axis, line_id)
    taken = _name_taken(board, axis, text, language, but=line_id)
    if taken:
        return taken
    renamed = _relabelled(entry, text, short, language) if axis == ROWS \
        else {**entry, "label": _follow(entry["label"], text, language)}
    if renamed == entry:
        return Rejection(BAD_REQUEST, f"This {NOUN[axis]} is already called {text!r}.")
    return "panorama_line_renamed", {"axis": axis, "entry": renamed}


def _add(board, axis, text, short, language):
    if "panorama" not in board.format.document:  # a format whose cards go elsewhere (PANO: no grid to grow)
        return Rejection(NOT_FOUND, "This workshop's format has no Panorama.")
    if len(lines(board, axis)) >= MAX_LINES[axis]:
        return Rejection(CONFLICT, f"The Panorama has {MAX_LINES[axis]} {NOUN[axis]}s already, "
                                   "the most it can show readably: remove one first.")
    taken = _name_taken(board, axis, text, language)
    if taken:
        return taken
    entry = {"id": _fresh_id(board, axis, text), "label": {lang: text for lang in LANGUAGES}}
    if short and short != text:
        entry["short"] = {lang: short for lang in LANGUAGES}
    return "panorama_line_added", {"axis": axis, "entry": entry}


def _remove(board, axis, line_id):
    entry = _find(board, axis, line_id)
    if entry is None:
        return _unknown(axis, line_id)
    if len(lines(board, axis)) == 1:
        return Rejection(CONFLICT, f"This is the Panorama's last {NOUN[axis]}: it stays.")
    held = cards_in(board, axis, line_id)
    if held:
        count = "1 card is" if len(held) == 1 else f"{len(held)} cards are"
        return Rejection(NOT_EMPTY, f"{count} in the {NOUN[axis]} {entry['label']['en']!r}: "
                                    "move them out before removing it.")
    return "panorama_line_removed", {"axis": axis, "id": line_id}


def _find(board, axis, line_id):
    return next((entry for entry in lines(board, axis) if entry["id"] == line_id), None)


def _unknown(axis, line_id):
    return Rejection(NOT_FOUND, f"Unknown {NOUN[axis]} {line_id!r}.")


def _name_taken(board, axis, text, language, but=None):
    """Two domains (or categories) with one name cannot be told apart (PANO9)."""
    key = _key(text)
    for entry in lines(board, axis):
        if entry["id"] != but and key in {_key(entry["label"][language]), _key((entry.get("short") or {}).get(language, ""))}:
            return Rejection(CONFLICT, f"A {NOUN[axis]} is already called {text!r}.")
    return None


def _key(text):
    """A name as people tell names apart: case, accents and spacing do not count."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _follow(old, text, language):
    """A label after `language` is set to `text` (PANO3). French is the workshop's own language and English
    its translation: a French name carries over to English while English was the same text (not translated
    yet); an English name is that translation, and sets English alone."""
    follows = language == REFERENCE and old[TRANSLATION] == old[REFERENCE]
    return {REFERENCE: text if language == REFERENCE else old[REFERENCE],
            TRANSLATION: text if language == TRANSLATION or follows else old[TRANSLATION]}


def _relabelled(entry, text, short, language):
    """A row renamed: its name, and its short name (the name itself when none is given, so the grid never
    shows the old short name under a new name), each following PANO3; no short name when it equals the name."""
    label = _follow(entry["label"], text, language)
    old_short = entry.get("short") or entry["label"]
    short_name = _follow(old_short, short or text, language)
    renamed = {key: value for key, value in entry.items() if key != "short"}
    renamed["label"] = label
    if short_name != label:
        renamed["short"] = short_name
    return renamed


def _fresh_id(board, axis, text):
    """An id from the name ("Sûreté nucléaire" -> "surete-nucleaire"), made unique on this axis: the same
    in a replay, since it depends only on the board and the command."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    slug = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in bare).split())[:30].strip("-")
    base = slug if slug and ID_PATTERN.fullmatch(slug) else ("domaine" if axis == ROWS else "categorie")
    taken = set(line_ids(board, axis))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# -- evolvers

def panorama_line_renamed(board, data):
    _rebuild(board, data["axis"], [data["entry"] if entry["id"] == data["entry"]["id"] else entry
                                   for entry in lines(board, data["axis"])])


def panorama_line_added(board, data):
    _rebuild(board, data["axis"], [*lines(board, data["axis"]), data["entry"]])


def panorama_line_removed(board, data):
    """The row or column goes; what pointed to it points nowhere (PANO6): deck cards' suggestions,
    teams' working domains, and the projector's or the room's focus on it (back to the whole Panorama)."""
    axis, gone = data["axis"], data["id"]
    _rebuild(board, axis, [entry for entry in lines(board, axis) if entry["id"] != gone])
    side = "domain" if axis == ROWS else "category"
    for card in board.cards.values():
        if getattr(card, side) == gone:
            setattr(card, side, None)
    if axis == ROWS:
        for team in board.teams.values():
            if team.domain == gone:
                team.domain = None
    if _points_to_gone(board, board.display.get("focus")):
        board.display["focus"] = {"kind": "overview"}
    if _points_to_gone(board, board.room.get("follow")):
        board.room["follow"] = None


def _points_to_gone(board, focus):
    """Whether a projector focus or a follow names a row or a zone the board no longer has."""
    if not focus or "id" not in focus:  # the overview, the quote feed, who helps whom (DISPLAY8)
        return False
    if focus["kind"] == "row":
        return focus["id"] not in line_ids(board, ROWS)
    return focus["id"] not in board.zones


def _rebuild(board, axis, entries):
    """The board's format rebuilt from its document with the new rows or columns, and its zones with it.
    The deck stays out, as in board_from_snapshot: the cards are the deck now, and a deck entry still
    suggesting a removed row would make the document invalid."""
    document = copy.deepcopy({key: value for key, value in board.format.document.items() if key != "deck"})
    document["panorama"][axis] = copy.deepcopy(entries)
    document["deck"] = []
    board.format = load_format(document)
    cells = {zone.id: zone for zone in board.format.zones if zone.kind == "cell"}
    others = {zone_id: zone for zone_id, zone in board.zones.items() if zone.kind != "cell"}
    board.zones = {**cells, **others}


RESOLVERS = {"rename_domain": rename_domain, "add_domain": add_domain, "remove_domain": remove_domain,
             "rename_category": rename_category, "add_category": add_category, "remove_category": remove_category}
EVOLVERS = {"panorama_line_renamed": panorama_line_renamed, "panorama_line_added": panorama_line_added,
            "panorama_line_removed": panorama_line_removed}
