"""Workshop formats: zones, deck, sequences and definitions, as data.

A format is a JSON document. `load_format` checks it and names the exact
field at fault, so a facilitator editing one knows where to look.
"""
import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS_DIR = Path(__file__).resolve().parent.parent / "formats"
LANGUAGES = ("fr", "en")
# Always used with fullmatch: re.match with "$" would let a trailing "\n" through.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
CARD_TEXT_MAX = 280
DESCRIPTION_MAX = 1000
AREA_KINDS = ("deck", "free")
# Command types a sequence may open to participants; the facilitator is never gated.
# `add_note` is not a command type: it is the gate of create_card, edit_card and delete_card on a note
# (notes.py), so a sequence can open keywords without opening new cards, or the other way round.
GATED_COMMANDS = ("move_card", "create_card", "edit_card", "delete_card", "join_team", "vote", "add_note")
# The format's vote defaults, in the ranges configure_vote accepts.
VOTE_LIMITS = {"budget": (1, 50), "per_card": (1, 10)}
TIMER_MINUTES_MAX = 240  # start_timer's own limit: four hours
DONE_UNITS = ("participant", "team")
NOTE_KINDS_MAX = 12  # kinds of notes a format may offer (keywords, savoirs, effects...)
NOTE_PARENT_KINDS = ("deck", "new", "postit")  # the card kinds a note kind may attach to (model.CARD_KINDS)


class FormatError(ValueError):
    """A format file is invalid; `path` names the field at fault."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Zone:
    """A place where cards live: a Panorama cell, the deck or a free area."""

    id: str
    kind: str
    label: dict
    row: str | None = None
    column: str | None = None
    created_by: str | None = None

    def to_dict(self):
        """Plain data for snapshots."""
        return {"id": self.id, "kind": self.kind, "label": dict(self.label),
                "row": self.row, "column": self.column, "created_by": self.created_by}


@dataclass(frozen=True)
class Sequence:
    """One step of the workshop and what it opens to participants."""

    id: str
    name: dict
    instruction: dict
    allows: tuple
    timer_minutes: int | None = None  # the timer the console proposes for this sequence, if any
    done: str = "participant"  # who says done: each participant, or each team (done.py)


@dataclass(frozen=True)
class Format:
    """A checked format: the raw document plus what is derived from it."""

    id: str
    document: dict
    zones: tuple
    sequences: tuple
    deck: tuple = field(default=())

    @property
    def deck_zone(self):
        """The id of the zone that holds unplaced deck cards."""
        return next(z.id for z in self.zones if z.kind == "deck")


def cell_id(row_id, column_id):
    """The zone id of one Panorama cell."""
    return f"{row_id}/{column_id}"


def read_format(name):
    """Read a packaged format by its file name (without .json) and check it."""
    path = FORMATS_DIR / f"{name}.json"
    if not ID_PATTERN.fullmatch(name) or not path.is_file():
        raise FormatError("format", f"unknown format {name!r}")
    return load_format(json.loads(path.read_text(encoding="utf-8")))


def available_formats():
    """File names of the packaged formats, sorted."""
    return sorted(p.stem for p in FORMATS_DIR.glob("*.json") if ID_PATTERN.fullmatch(p.stem))


def load_format(document):
    """Check a format document and build its zones and sequences."""
    _require_object(document, "format")
    format_id = _identifier(document, "id", "format")
    _label(document, "name", "format")
    rows = _entries(document, "panorama.rows", _list(_object(document, "panorama", "format"), "rows", "panorama"))
    columns = _entries(document, "panorama.columns", document["panorama"].get("columns"))
    zones = [Zone(cell_id(r["id"], c["id"]), "cell", {}, r["id"], c["id"]) for r in rows for c in columns]
    zones += _areas(_list(document, "areas", "format"))
    if [z.kind for z in zones].count("deck") != 1:
        raise FormatError("areas", "exactly one area must be of kind 'deck'")
    _unique([z.id for z in zones], "areas")
    sequences = _sequences(_list(document, "sequences", "format"))
    _definitions(document.get("definitions", []))
    _vote(document)
    note_kinds(document)
    deck = _deck(_list(document, "deck", "format"), {r["id"] for r in rows}, {c["id"] for c in columns})
    # The format keeps its own copy, so later changes to `document` cannot make it disagree
    # with the zones and sequences derived here (nor reach a board built from it).
    return Format(format_id, copy.deepcopy(document), tuple(zones), tuple(sequences), tuple(deck))


def _areas(areas):
    zones = []
    for i, area in enumerate(areas):
        path = f"areas[{i}]"
        _require_object(area, path)
        kind = area.get("kind")
        if kind not in AREA_KINDS:
            raise FormatError(f"{path}.kind", f"must be one of {', '.join(AREA_KINDS)}")
        zones.append(Zone(_identifier(area, "id", path), kind, _label(area, "label", path)))
    return zones


def _sequences(sequences):
    if not sequences:
        raise FormatError("sequences", "at least one sequence is needed")
    result = []
    for i, seq in enumerate(sequences):
        path = f"sequences[{i}]"
        _require_object(seq, path)
        allows = _list(seq, "allows", path)
        for j, command in enumerate(allows):
            if command not in GATED_COMMANDS:
                raise FormatError(f"{path}.allows[{j}]", f"unknown command {command!r}")
        result.append(Sequence(_identifier(seq, "id", path), _label(seq, "name", path),
                               _label(seq, "instruction", path), tuple(allows), *_pace(seq, path)))
    _unique([s.id for s in result], "sequences")
    return result


def _pace(seq, path):
    """A sequence's optional timer in minutes (1 to 240) and who says done in it (FMT14)."""
    minutes = seq.get("timer_minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)
                                or not 1 <= minutes <= TIMER_MINUTES_MAX):
        raise FormatError(f"{path}.timer_minutes", f"must be a whole number of minutes from 1 to {TIMER_MINUTES_MAX}")
    done = seq.get("done", "participant")
    if done not in DONE_UNITS:
        raise FormatError(f"{path}.done", f"must be one of {', '.join(DONE_UNITS)}")
    # Whether the participants' material panel shows in this sequence from the start (material.py).
    if not isinstance(seq.get("material", False), bool):
        raise FormatError(f"{path}.material", "must be true or false")
    return minutes, done


def _definitions(definitions):
    if not isinstance(definitions, list):
        raise FormatError("definitions", "must be a list")
    for i, item in enumerate(definitions):
        path = f"definitions[{i}]"
        _require_object(item, path)
        _label(item, "term", path)
        _label(item, "text", path)


def _vote(document):
    """The optional vote defaults: a board reads them as they are, so they must be whole numbers in range."""
    if "vote" not in document:
        return
    vote = _object(document, "vote", "format")
    for key, (low, high) in VOTE_LIMITS.items():
        value = vote.get(key, low)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FormatError(f"vote.{key}", f"must be a whole number from {low} to {high}")


def note_kinds(document):
    """The format's optional `note_kinds` (NOTE1): a list of {id, label {fr, en}, of?}, where `of` lists
    the card kinds a note of that kind attaches to (every kind when absent). Returns {id: kind}."""
    kinds = document.get("note_kinds", [])
    if not isinstance(kinds, list):
        raise FormatError("note_kinds", "must be a list")
    if len(kinds) > NOTE_KINDS_MAX:
        raise FormatError("note_kinds", f"must have at most {NOTE_KINDS_MAX} kinds")
    result = {}
    for i, kind in enumerate(kinds):
        path = f"note_kinds[{i}]"
        _require_object(kind, path)
        kind_id = _identifier(kind, "id", path)
        _label(kind, "label", path)
        attaches_to = kind.get("of", list(NOTE_PARENT_KINDS))
        if not isinstance(attaches_to, list) or not attaches_to:
            raise FormatError(f"{path}.of", f"must be a non-empty list of card kinds ({', '.join(NOTE_PARENT_KINDS)})")
        for j, card_kind in enumerate(attaches_to):
            if card_kind not in NOTE_PARENT_KINDS:
                raise FormatError(f"{path}.of[{j}]", f"must be one of {', '.join(NOTE_PARENT_KINDS)}")
        result[kind_id] = {"id": kind_id, "of": tuple(attaches_to)}
    _unique([kind["id"] for kind in kinds], "note_kinds")
    return result


def _deck(cards, row_ids, column_ids):
    result = []
    for i, card in enumerate(cards):
        path = f"deck[{i}]"
        _require_object(card, path)
        text = _text(card, "text", path, CARD_TEXT_MAX)
        description = card.get("description", "")
        if not isinstance(description, str) or len(description) > DESCRIPTION_MAX:
            raise FormatError(f"{path}.description", f"must be text of at most {DESCRIPTION_MAX} characters")
        if card.get("domain") is not None and card["domain"] not in row_ids:
            raise FormatError(f"{path}.domain", f"unknown Panorama row {card['domain']!r}")
        if card.get("category") is not None and card["category"] not in column_ids:
            raise FormatError(f"{path}.category", f"unknown Panorama column {card['category']!r}")
        result.append({"id": _identifier(card, "id", path), "text": text, "description": description.strip(),
                       "domain": card.get("domain"), "category": card.get("category")})
    _unique([c["id"] for c in result], "deck")
    _unique([c["text"].casefold() for c in result], "deck", what="text")
    return result


def _entries(document, path, entries):
    if not isinstance(entries, list) or not entries:
        raise FormatError(path, "must be a non-empty list")
    for i, entry in enumerate(entries):
        _require_object(entry, f"{path}[{i}]")
        _identifier(entry, "id", f"{path}[{i}]")
        _label(entry, "label", f"{path}[{i}]")
    _unique([e["id"] for e in entries], path)
    return entries


def _require_object(value, path):
    if not isinstance(value, dict):
        raise FormatError(path, "must be an object")


def _object(parent, key, path):
    _require_object(parent.get(key), f"{path}.{key}" if path != "format" else key)
    return parent[key]


def _list(parent, key, path):
    value = parent.get(key)
    if not isinstance(value, list):
        raise FormatError(_join(path, key), "must be a list")
    return value


def _identifier(parent, key, path):
    value = parent.get(key)
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise FormatError(_join(path, key), "must be an id: lowercase letters, digits, '-' or '_', at most 40")
    return value


def _text(parent, key, path, limit):
    value = parent.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FormatError(_join(path, key), "must be a non-empty text")
    if len(value.strip()) > limit:
        raise FormatError(_join(path, key), f"must be at most {limit} characters")
    return value.strip()


def _label(parent, key, path):
    value = parent.get(key)
    where = _join(path, key)
    _require_object(value, where)
    for language in LANGUAGES:
        _text(value, language, where, DESCRIPTION_MAX)
    return {language: value[language].strip() for language in LANGUAGES}


def _unique(values, path, what="id"):
    seen = set()
    for value in values:
        if value in seen:
            raise FormatError(path, f"duplicate {what} {value!r}")
        seen.add(value)


def _join(path, key):
    return key if path == "format" else f"{path}.{key}"
