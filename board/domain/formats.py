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
# "canvas": an area where cards (and the families made during a workshop) are placed freely (canvas.py).
AREA_KINDS = ("deck", "free", "canvas")
DECK_AREA_ID = "deck"
SUMMARY_MAX = 200  # the one line /animer shows under a format's name
# Command types a sequence may open to participants; the facilitator is never gated.
# `add_note` is not a command type: it is the gate of create_card, edit_card and delete_card on a note
# (notes.py), so a sequence can open keywords without opening new cards, or the other way round.
GATED_COMMANDS = ("move_card", "create_card", "edit_card", "delete_card", "join_team", "vote", "add_note", "rate_card",
                  "mark_card", "create_zone", "rename_zone", "delete_zone",  # these three: families on a canvas (canvas.py)
                  "link_card",  # links between cards (links.py)
                  "answer_evaluation")  # the participants' evaluation of the workshop (evaluation.py)
# The format's vote defaults, in the ranges configure_vote accepts.
VOTE_LIMITS = {"budget": (1, 50), "per_card": (1, 10)}
# The rating axes of a matrix (ratings.py): exactly two, each a small scale of whole numbers.
AXES_COUNT = 2
AXIS_BOUNDS = (0, 10)  # the lowest min and highest max a scale may have
AXIS_STEPS_MAX = 7  # at most 7 values on a scale: each one a button a tablet can show in a row
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
    """A place where cards live: a Panorama cell, the deck, a free area, a canvas, or a family made
    on a canvas during the workshop (canvas.py: its `area`, and its place `x`, `y` on that canvas)."""

    id: str
    kind: str
    label: dict
    row: str | None = None
    column: str | None = None
    created_by: str | None = None
    area: str | None = None
    x: float | None = None
    y: float | None = None

    def to_dict(self):
        """Plain data for snapshots (a family's place only on a family: the format's zones read as before)."""
        data = {"id": self.id, "kind": self.kind, "label": dict(self.label),
                "row": self.row, "column": self.column, "created_by": self.created_by}
        if self.area is not None:
            data.update(area=self.area, x=self.x, y=self.y)
        return data


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
    def rows(self):
        """The Panorama's rows (domains), or [] for a format without a Panorama."""
        return self.document.get("panorama", {}).get("rows", [])

    @property
    def columns(self):
        """The Panorama's columns (categories), or [] for a format without a Panorama."""
        return self.document.get("panorama", {}).get("columns", [])

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
    """Check a format document and build its zones and sequences.

    Each top-level field is checked by its own function of FIELD_CHECKS, in order; a field not listed
    there is refused with its name, so a typo never passes silently."""
    _require_object(document, "format")
    unknown = sorted(set(document) - set(FIELDS))
    if unknown:
        raise FormatError(unknown[0], f"is not a field of a format (the fields are: {', '.join(FIELDS)})")
    built = {"zones": [], "rows": [], "columns": [], "sequences": [], "deck": []}
    for _, check in FIELD_CHECKS:
        check(document, built)
    # The format keeps its own copy, so later changes to `document` cannot make it disagree
    # with the zones and sequences derived here (nor reach a board built from it).
    return Format(built["id"], copy.deepcopy(document), tuple(built["zones"]), tuple(built["sequences"]),
                  tuple(built["deck"]))


# -- the top-level fields, one checker each: check(document, built) reads its field from the document,
# raises FormatError at the field's path, and records what it derives in `built` (id, rows, columns,
# zones, sequences, deck) for the checkers after it.

def _check_id(document, built):
    built["id"] = _identifier(document, "id", "format")


def _check_name(document, built):
    _label(document, "name", "format")


def _check_summary(document, built):
    """Optional: the one line /animer shows under the format's name."""
    if "summary" in document:
        for language in LANGUAGES:
            _text(_object(document, "summary", "format"), language, "summary", SUMMARY_MAX)


def _check_panorama(document, built):
    """Optional: the grid of rows x columns, one cell zone each, row by row (FMT3)."""
    if "panorama" not in document:
        return
    panorama = _object(document, "panorama", "format")
    _known(panorama, "panorama", "panorama")
    built["rows"] = _entries(document, "panorama.rows", _list(panorama, "rows", "panorama"))
    built["columns"] = _entries(document, "panorama.columns", panorama.get("columns"))
    built["zones"] += [Zone(cell_id(r["id"], c["id"]), "cell", {}, r["id"], c["id"])
                       for r in built["rows"] for c in built["columns"]]


def _check_areas(document, built):
    """The deck and the other places for cards, after the Panorama's cells (FMT4, FMT16)."""
    areas = _areas(_list(document, "areas", "format"))
    if [z.kind for z in areas].count("deck") != 1:
        raise FormatError("areas", "exactly one area must be of kind 'deck'")
    deck_at = next(i for i, z in enumerate(areas) if z.kind == "deck")
    if areas[deck_at].id != DECK_AREA_ID:  # the pages find the deck's cards by this id
        raise FormatError(f"areas[{deck_at}].id", f"the deck area's id must be {DECK_AREA_ID!r}")
    if not built["zones"] and all(z.kind == "deck" for z in areas):
        raise FormatError("panorama", "is needed when no area other than the deck holds cards "
                                      "(add a panorama, or an area of kind 'free' or 'canvas')")
    built["zones"] += areas
    _unique([z.id for z in built["zones"]], "areas")


def _check_sequences(document, built):
    built["sequences"] = _sequences(_list(document, "sequences", "format"))


def _check_definitions(document, built):
    _definitions(document.get("definitions", []))


def _check_deck(document, built):
    """Optional (participants may write every card): the cards the deck area starts with."""
    cards = _list(document, "deck", "format") if "deck" in document else []
    built["deck"] = _deck(cards, {r["id"] for r in built["rows"]}, {c["id"] for c in built["columns"]})


# Every top-level field a format may have, with its checker, in the order they run (the Panorama before
# the areas and the deck, which read its rows). A capability that switches on with a field of its own
# adds one line here, with its checker; docs/formats.md documents each field (tests/test_format_files.py).
FIELD_CHECKS = (
    ("id", _check_id),
    ("name", _check_name),
    ("summary", _check_summary),
    ("panorama", _check_panorama),
    ("areas", _check_areas),
    ("sequences", _check_sequences),
    ("definitions", _check_definitions),
    ("vote", lambda document, built: _vote(document)),
    ("note_kinds", lambda document, built: note_kinds(document)),
    ("axes", lambda document, built: _axes(document)),
    ("canvas", lambda document, built: _canvas(document, built["zones"])),
    ("marks", lambda document, built: _marks(document)),
    ("show_authors", lambda document, built: _show_authors(document)),
    ("speakers", lambda document, built: _speakers(document)),
    ("glossary", lambda document, built: glossary(document)),
    ("campaign", lambda document, built: campaign_of(document)),
    ("evaluation", lambda document, built: _evaluation(document)),
    ("deck", _check_deck),
)
FIELDS = tuple(name for name, _ in FIELD_CHECKS)
# The fields inside a format's entries, by where they are; any other is refused with its path (FMT17).
# A capability whose field sits inside an entry (a sequence's, an area's) adds its name here.
ENTRY_FIELDS = {
    "panorama": ("rows", "columns"),
    "panorama.rows[]": ("id", "label", "short"),
    "panorama.columns[]": ("id", "label"),
    "areas[]": ("id", "kind", "label"),
    "sequences[]": ("id", "name", "instruction", "allows", "timer_minutes", "done", "material", "anonymous"),
    "definitions[]": ("id", "term", "text"),
    "vote": ("budget", "per_card"),
    "deck[]": ("id", "text", "description", "domain", "category"),
    "note_kinds[]": ("id", "label", "of", "kept_only"),
}


# A format's `canvas` field (canvas.py): who makes families, and how many a canvas may hold.
CANVAS_FAMILIES_BY = ("everyone", "facilitator")
CANVAS_MAX_FAMILIES = (1, 40)
CANVAS_DEFAULTS = {"families_by": "everyone", "max_families": 20}


def _canvas(document, areas):
    """The optional `canvas` object (FMT24): `families_by` ("everyone": participants too, when their
    sequence allows it; "facilitator": the facilitator alone) and `max_families` (1 to 40 per canvas).
    It needs a canvas area to act on."""
    if "canvas" not in document:
        return
    canvas = _object(document, "canvas", "format")
    if not any(zone.kind == "canvas" for zone in areas):
        raise FormatError("canvas", "needs an area of kind 'canvas'")
    unknown = sorted(set(canvas) - set(CANVAS_DEFAULTS))
    if unknown:
        raise FormatError(f"canvas.{unknown[0]}", f"is not a canvas setting ({', '.join(CANVAS_DEFAULTS)})")
    if canvas.get("families_by", "everyone") not in CANVAS_FAMILIES_BY:
        raise FormatError("canvas.families_by", f"must be one of {', '.join(CANVAS_FAMILIES_BY)}")
    low, high = CANVAS_MAX_FAMILIES
    most = canvas.get("max_families", CANVAS_DEFAULTS["max_families"])
    if isinstance(most, bool) or not isinstance(most, int) or not low <= most <= high:
        raise FormatError("canvas.max_families", f"must be a whole number from {low} to {high}")


def canvas_settings(document):
    """The format's canvas settings, defaults filled in."""
    return {**CANVAS_DEFAULTS, **(document.get("canvas") or {})}


def _areas(areas):
    zones = []
    for i, area in enumerate(areas):
        path = f"areas[{i}]"
        _require_object(area, path)
        _known(area, path, "areas[]")
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
        _known(seq, path, "sequences[]")
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
        _known(item, path, "definitions[]")
        _label(item, "term", path)
        _label(item, "text", path)


def _vote(document):
    """The optional vote defaults: a board reads them as they are, so they must be whole numbers in range."""
    if "vote" not in document:
        return
    vote = _object(document, "vote", "format")
    _known(vote, "vote", "vote")
    for key, (low, high) in VOTE_LIMITS.items():
        value = vote.get(key, low)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FormatError(f"vote.{key}", f"must be a whole number from {low} to {high}")


def _axes(document):
    """The optional rating axes (FMT23): exactly two, each with an id, a label in both languages, whole
    `min` < `max` within AXIS_BOUNDS and at most AXIS_STEPS_MAX values, and optional `low`/`high` labels
    (what the scale's ends mean). The first is the matrix's horizontal axis, the second its vertical."""
    if "axes" not in document:
        return
    axes = _list(document, "axes", "format")
    if len(axes) != AXES_COUNT:
        raise FormatError("axes", f"must hold exactly {AXES_COUNT} axes (the matrix's x and y)")
    low_bound, high_bound = AXIS_BOUNDS
    for i, axis in enumerate(axes):
        path = f"axes[{i}]"
        _require_object(axis, path)
        _identifier(axis, "id", path)
        _label(axis, "label", path)
        for key in ("min", "max"):
            value = axis.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not low_bound <= value <= high_bound:
                raise FormatError(f"{path}.{key}", f"must be a whole number from {low_bound} to {high_bound}")
        if not axis["min"] < axis["max"] or axis["max"] - axis["min"] + 1 > AXIS_STEPS_MAX:
            raise FormatError(f"{path}.max", f"must be above min, with at most {AXIS_STEPS_MAX} values on the scale")
        for key in ("low", "high"):
            if key in axis:
                _label(axis, key, path)
    _unique([axis["id"] for axis in axes], "axes")


# What a participant may mark a card with (mark_card, marks.py): at most one mark offers, one asks.
MARK_ROLES = ("offer", "want")
MARKS_MAX = 6
SPEAKERS_MAX = 40
SPEAKER_MAX = 60  # a speaker's name, as long as a person's name (commands.NAME_MAX)


def _marks(document):
    """The optional `marks` (MARK1): each {id, label, role?}; `role` offer/want pairs who helps whom."""
    if "marks" not in document:
        return
    marks = _list(document, "marks", "format")
    if len(marks) > MARKS_MAX:
        raise FormatError("marks", f"must list at most {MARKS_MAX} marks")
    roles = []
    for i, mark in enumerate(marks):
        path = f"marks[{i}]"
        _require_object(mark, path)
        _identifier(mark, "id", path)
        _label(mark, "label", path)
        role = mark.get("role")
        if role is not None and role not in MARK_ROLES:
            raise FormatError(f"{path}.role", f"must be one of {', '.join(MARK_ROLES)}")
        if role is not None and role in roles:
            raise FormatError(f"{path}.role", f"only one mark may have the role {role!r}")
        roles.append(role)
    _unique([mark["id"] for mark in marks], "marks")


def _show_authors(document):
    """The optional `show_authors` (true/false): each written card's author's name on the card (MARK8)."""
    if not isinstance(document.get("show_authors", False), bool):
        raise FormatError("show_authors", "must be true or false")


def _speakers(document):
    """The optional `speakers` (MARK9): the names quotes are attributed to; its presence (an empty
    list too) lets the board take quotes, cards of kind `quote`."""
    if "speakers" not in document:
        return
    speakers = _list(document, "speakers", "format")
    if len(speakers) > SPEAKERS_MAX:
        raise FormatError("speakers", f"must list at most {SPEAKERS_MAX} names")
    for i, name in enumerate(speakers):
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > SPEAKER_MAX:
            raise FormatError(f"speakers[{i}]", f"must be a name of 1 to {SPEAKER_MAX} characters")
    _unique([name.strip().casefold() for name in speakers], "speakers", what="name")


# A campaign's shared language (GLOSS1): terms and their definitions, shown on every board of the campaign.
GLOSSARY_MAX = 60
GLOSSARY_TERM_MAX = 80
GLOSSARY_DEFINITION_MAX = 600


def glossary(document):
    """The format's optional `glossary` (GLOSS1): a list of {term, definition}, plain text in the campaign's
    own language, terms told apart whatever their case. Returns the clean list ([] when absent)."""
    entries = document.get("glossary", [])
    if not isinstance(entries, list):
        raise FormatError("glossary", "must be a list of {term, definition}")
    if len(entries) > GLOSSARY_MAX:
        raise FormatError("glossary", f"must hold at most {GLOSSARY_MAX} terms")
    result = []
    for i, entry in enumerate(entries):
        path = f"glossary[{i}]"
        _require_object(entry, path)
        unknown = sorted(set(entry) - {"term", "definition"})
        if unknown:
            raise FormatError(f"{path}.{unknown[0]}", "is not a field here (the fields are: term, definition)")
        result.append({"term": _text(entry, "term", path, GLOSSARY_TERM_MAX),
                       "definition": _text(entry, "definition", path, GLOSSARY_DEFINITION_MAX)})
    _unique([entry["term"].casefold() for entry in result], "glossary", what="term")
    return result


CAMPAIGN_ID_PATTERN = re.compile(r"[a-z0-9]{4,40}")
CAMPAIGN_NAME_MAX = 120


def campaign_of(document):
    """The format's optional `campaign` (COORD5): {id, name} of the campaign a board was handed out by, kept in
    the board's format so its export carries it home. Returns it, or None."""
    if "campaign" not in document:
        return None
    campaign = _object(document, "campaign", "format")
    unknown = sorted(set(campaign) - {"id", "name"})
    if unknown:
        raise FormatError(f"campaign.{unknown[0]}", "is not a field here (the fields are: id, name)")
    if not isinstance(campaign.get("id"), str) or not CAMPAIGN_ID_PATTERN.fullmatch(campaign["id"]):
        raise FormatError("campaign.id", "must be a campaign's id: 4 to 40 lowercase letters or digits")
    return {"id": campaign["id"], "name": _text(campaign, "name", "campaign", CAMPAIGN_NAME_MAX)}
# The evaluation's questionnaire (evaluation.py): a few 1-5 scales and one free-text question.
EVALUATION_FIELDS = ("scales", "question")
EVALUATION_SCALES_MAX = 6


def _evaluation(document):
    """The optional `evaluation` (EVAL1): {scales: 1 to 6 of {id, label {fr, en}}, each answered from 1 to 5;
    question: the free text's label {fr, en}}."""
    if "evaluation" not in document:
        return
    evaluation = _object(document, "evaluation", "format")
    unknown = sorted(set(evaluation) - set(EVALUATION_FIELDS))
    if unknown:
        raise FormatError(f"evaluation.{unknown[0]}", f"is not a field here (the fields are: {', '.join(EVALUATION_FIELDS)})")
    scales = _list(evaluation, "scales", "evaluation")
    if not 1 <= len(scales) <= EVALUATION_SCALES_MAX:
        raise FormatError("evaluation.scales", f"must hold 1 to {EVALUATION_SCALES_MAX} scales")
    for i, scale in enumerate(scales):
        path = f"evaluation.scales[{i}]"
        _require_object(scale, path)
        unknown = sorted(set(scale) - {"id", "label"})
        if unknown:
            raise FormatError(f"{path}.{unknown[0]}", "is not a field here (the fields are: id, label)")
        _identifier(scale, "id", path)
        _label(scale, "label", path)
    _unique([scale["id"] for scale in scales], "evaluation.scales")
    _label(evaluation, "question", "evaluation")


def note_kinds(document):
    """The format's optional `note_kinds` (NOTE1): a list of {id, label {fr, en}, of?, kept_only?}, where
    `of` lists the card kinds a note of that kind attaches to (every kind when absent) and `kept_only`
    true says it attaches only to a card the facilitator kept (NOTE14). Returns {id: kind}."""
    kinds = document.get("note_kinds", [])
    if not isinstance(kinds, list):
        raise FormatError("note_kinds", "must be a list")
    if len(kinds) > NOTE_KINDS_MAX:
        raise FormatError("note_kinds", f"must have at most {NOTE_KINDS_MAX} kinds")
    result = {}
    for i, kind in enumerate(kinds):
        path = f"note_kinds[{i}]"
        _require_object(kind, path)
        _known(kind, path, "note_kinds[]")
        kind_id = _identifier(kind, "id", path)
        _label(kind, "label", path)
        attaches_to = kind.get("of", list(NOTE_PARENT_KINDS))
        if not isinstance(attaches_to, list) or not attaches_to:
            raise FormatError(f"{path}.of", f"must be a non-empty list of card kinds ({', '.join(NOTE_PARENT_KINDS)})")
        for j, card_kind in enumerate(attaches_to):
            if card_kind not in NOTE_PARENT_KINDS:
                raise FormatError(f"{path}.of[{j}]", f"must be one of {', '.join(NOTE_PARENT_KINDS)}")
        kept_only = kind.get("kept_only", False)
        if not isinstance(kept_only, bool):
            raise FormatError(f"{path}.kept_only", "must be true or false")
        result[kind_id] = {"id": kind_id, "of": tuple(attaches_to), "kept_only": kept_only}
    _unique([kind["id"] for kind in kinds], "note_kinds")
    return result


def _deck(cards, row_ids, column_ids):
    result = []
    for i, card in enumerate(cards):
        path = f"deck[{i}]"
        _require_object(card, path)
        _known(card, path, "deck[]")
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
        _known(entry, f"{path}[{i}]", f"{path}[]")
        _identifier(entry, "id", f"{path}[{i}]")
        _label(entry, "label", f"{path}[{i}]")
    _unique([e["id"] for e in entries], path)
    return entries


def _known(value, path, kind):
    """Refuse a field the format's entries of this kind do not have (ENTRY_FIELDS): a typo is named, never ignored."""
    unknown = sorted(set(value) - set(ENTRY_FIELDS[kind]))
    if unknown:
        raise FormatError(f"{path}.{unknown[0]}", f"is not a field here (the fields are: {', '.join(ENTRY_FIELDS[kind])})")


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
