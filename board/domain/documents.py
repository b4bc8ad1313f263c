"""The board as a JSON document: a whole workshop (export, imported back exactly) or its template.

A *board document* holds everything a board's snapshot holds that is content: the format as it is
now (its labels as edited), zones, every card, teams, participants, the vote and its results,
options, anonymity, and whatever state the board gains later (details, material...), taken from the
snapshot key by key so that new state flows through without code here. What only matters while the
room is live (the timer, the lock, the door, who is followed, who said done, the projector's view)
is listed in VOLATILE and left out.

A *template document* holds only the preparation: the format with its labels, the deck in deck
order, the teams without members, the vote's settings, options, anonymity, the material and the
workshop's title and place; no participant, no placed or written card, no dot (DOC6).

A document comes from a file anyone may have edited: `read_document` and `check_document` trust
nothing in it and name the exact field at fault, as formats.load_format does (DOC3).
"""
import copy
import json
import math
import re

from . import material, ratings
from .links import LINKS_MAX
from .commands import PLACE_MAX, TITLE_MAX, workshop_date, workshop_details
from .errors import BAD_REQUEST, CONFLICT, InvalidCommand, Rejection
from .formats import MARKS_MAX, FormatError, load_format
from .model import (CARD_KINDS, DECK_CARD, DEFAULT_OPTIONS, FACILITATOR, PARTICIPANT, PROJECTOR, SYSTEM, Board,
                    VoteState, board_from_snapshot)

BOARD_KIND = "board"
TEMPLATE_KIND = "template"
DOCUMENT_VERSION = 1
MARKER = "atelier"  # {"atelier": "board" | "template", "version": 1, ...}
# What a document's file may weigh and hold, at most: far above a real workshop (62 cards, 50 people).
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_CARDS = 2000
MAX_TEAMS = 100
MAX_PARTICIPANTS = 500
MAX_DEPTH = 12  # nesting of any value: a hand-made file 10 000 lists deep is refused, not recursed into
MAX_EXTRA_BYTES = 256 * 1024  # one piece of state this module does not know by name (details, material...)
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:/.-]{0,63}")  # as commands.identifier
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
TEXT_MAX, DESCRIPTION_MAX, NAME_MAX = 280, 1000, 60  # as commands.py
VOTE_STATUSES = ("idle", "open", "closed")
VOTE_MODES = ("participant", "team")

# Snapshot keys that are not content: the board's own id and version, and the live room's state. A key
# holding a secret of this board (a link's token) belongs here too: a new board must not share it.
# The synthesis's publication is one too: a new board made from a file is not published (its link is the
# source board's), and publishing is the new facilitator's choice (SYN1).
VOLATILE = frozenset({"id", "version", "display", "room", "timer", "done", "publication"})
# Snapshot keys checked field by field below; any other key the snapshot gains is checked generically.
KNOWN = ("format", "zones", "cards", "teams", "participants", "sequence", "vote", "options", "cards_revealed",
         "anonymous")
# Fields of a document that are not the board's content (they say what the file is and where it came from).
# "matrix" is derived (the ratings' means, RATE10): written for the reader, ignored on import.
ENVELOPE = (MARKER, "version", "exported_at", "source_board", "matrix")
# The checks of state other modules add, by snapshot key: function(value, path, fmt) -> the clean value.
# Filled in below, once the checks are defined (a file must never carry what a command would refuse).
EXTRA_CHECKS = {}
# What a template keeps of the workshop's details (its date is the next workshop's to choose).
TEMPLATE_DETAILS = ("title", "place")
# Where a card names a person: kept as ids, and checked as ids (a removed participant's id may stay).
PERSON_FIELDS = ("author", "placed_by")


class DocumentError(ValueError):
    """A document that cannot be imported; `path` names the field at fault."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path


# -- writing

def board_document(board, names=True, exported_at=None):
    """The whole board as a document (DOC1). With `names` false, every participant's name becomes a
    neutral alias ("Participant 3"), as the CSV export decides with export.with_names (DOC5)."""
    snapshot = board.to_dict()
    content = {key: value for key, value in snapshot.items() if key not in VOLATILE}
    content["format"] = _format_without_deck(board)
    if not names:
        content["participants"] = _aliased(content["participants"])
    if board.vote.anonymous:
        # The facilitator never learns who voted what in an anonymous vote (VOTE): nor does the file.
        content["vote"] = _voters_unnamed(content["vote"])
    document = {MARKER: BOARD_KIND, "version": DOCUMENT_VERSION, "exported_at": exported_at,
                "source_board": board.id, **content}
    if ratings.axes(board):  # each rated card's mean and spread per axis, beside the raw ratings of its card
        document["matrix"] = ratings.matrix(board)
    return document


def template_document(board, exported_at=None):
    """The preparation of a board as a template (DOC6): what another workshop starts from."""
    snapshot = board.to_dict()
    deck_zone = board.format.deck_zone
    # A note that followed its card back to the deck is no deck card of the template (NOTE11).
    deck = sorted((card for card in board.cards.values()
                   if (card.zone == deck_zone or card.kind == DECK_CARD) and card.parent is None),
                  key=lambda card: (card.zone != deck_zone, card.z if card.zone == deck_zone else 0))
    vote = snapshot["vote"]
    document = {
        MARKER: TEMPLATE_KIND, "version": DOCUMENT_VERSION, "exported_at": exported_at, "source_board": board.id,
        "format": _format_without_deck(board),
        "deck": [{"id": card.id, "text": card.text, "description": card.description, "domain": card.domain,
                  "category": card.category, **_origin_field(card)} for card in deck],
        "teams": [{"name": team.name, "colour": team.colour, "domain": team.domain} for team in board.teams.values()],
        "vote": {key: vote[key] for key in ("mode", "budget", "per_card", "facilitator_votes", "anonymous")},
        "options": dict(snapshot["options"]),
        "anonymous": list(snapshot["anonymous"]),
    }
    if "material" in snapshot:
        document["material"] = copy.deepcopy(snapshot["material"])
    if "details" in snapshot:
        details = snapshot["details"] or {}
        document["details"] = {key: details.get(key, "") for key in TEMPLATE_DETAILS}
    return document


def _origin_field(card):
    """A deck card carried from another board keeps its origin in the template (CHAIN3)."""
    return {"origin": dict(card.origin)} if card.origin is not None else {}


def template_from_format(document):
    """A template document carrying a whole format file a facilitator wrote (docs/formats.md): the
    format without its deck, and its deck as the template's. A bad format raises DocumentError at the
    format's own path (`sequences[0].allows[1]: ...`), so the message names the field as the file has it."""
    if isinstance(document, dict) and MARKER in document:
        raise DocumentError(MARKER, "this is a workshop or template file, not a format: "
                                    "create from it with the other file form")
    _depth(document, "format", 0)
    _storable(document, "format")
    try:
        fmt = load_format(document)
    except FormatError as error:
        raise DocumentError(error.path, str(error).split(": ", 1)[-1]) from None
    # A template's vote settings and anonymous sequences are the board's own: here, the format's defaults
    # (VOTE1, ANON1), which a board made from a packaged format takes the same way.
    vote = {key: value for key, value in fmt.document.get("vote", {}).items() if key in ("budget", "per_card")}
    anonymous = [index for index, sequence in enumerate(fmt.document["sequences"]) if sequence.get("anonymous") is True]
    return {MARKER: TEMPLATE_KIND, "version": DOCUMENT_VERSION, "format": {**fmt.document, "deck": []},
            "deck": [dict(card) for card in fmt.deck], "vote": vote, "anonymous": anonymous}


def _format_without_deck(board):
    # The deck is in the cards (or the template's deck): the packaged format's deck is only a demo's start.
    return copy.deepcopy({**board.format.document, "deck": []})


def _aliased(participants):
    number, result = 0, []
    for member in participants:
        if member["role"] == PARTICIPANT:
            number += 1
            member = {**member, "name": f"Participant {number}"}
        result.append(member)
    return result


def _voters_unnamed(vote):
    aliases = {voter: f"voter-{number}" for number, voter in enumerate(vote["dots"], start=1)}
    for voter in vote["proxy"]:
        aliases.setdefault(voter, f"voter-{len(aliases) + 1}")
    return {**vote, "dots": {aliases[v]: cards for v, cards in vote["dots"].items()},
            "proxy": {aliases[v]: cards for v, cards in vote["proxy"].items()}}


def to_json(document):
    """The document as the bytes of a file: UTF-8, readable, keys in a stable order."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- reading

def read_document(raw):
    """Bytes of a file -> the parsed JSON object, or DocumentError (too large, not UTF-8, not JSON)."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentError("file", f"is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("file", "is not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        raise DocumentError("file", f"is not complete JSON{where}") from None
    return document


def _no_constant(name):
    raise DocumentError("file", f"holds {name}, which is not a number JSON allows")


class Checked:
    """A checked document: its kind, its format document, the board content a restore carries, and the
    facilitator and projector the new board is created with (their ids kept from a board document)."""

    def __init__(self, kind, format_document, content, facilitator, projector):
        self.kind, self.format, self.content = kind, format_document, content
        self.facilitator, self.projector = facilitator, projector


def check_document(document):
    """Check an untrusted document (parsed JSON) whole; a Checked, or DocumentError naming the field."""
    _object(document, "document")
    kind = document.get(MARKER)
    if kind not in (BOARD_KIND, TEMPLATE_KIND):
        raise DocumentError(MARKER, "must be 'board' or 'template': this is not an Atelier document")
    version = document.get("version")
    if version != DOCUMENT_VERSION or isinstance(version, bool):
        raise DocumentError("version", f"must be {DOCUMENT_VERSION} (this server reads version {DOCUMENT_VERSION})")
    _depth(document, "document", 0)
    fmt = _format(document.get("format"))
    if kind == TEMPLATE_KIND:
        content = _template_content(document, fmt)
        try:
            return Checked(kind, fmt.document, check_content(content, fmt), None, None)
        except DocumentError as error:  # a template's cards are its deck: named as the file names them
            if error.path.startswith("cards"):
                raise DocumentError("deck" + error.path[len("cards"):], str(error).split(": ", 1)[1]) from None
            raise
    content = {key: value for key, value in document.items() if key not in ENVELOPE}
    members = _list(content.get("participants"), "participants", MAX_PARTICIPANTS)
    facilitator = _only_member(members, FACILITATOR)
    projector = _only_member(members, PROJECTOR)
    checked = check_content(content, fmt, leads=True)
    facilitator, projector = _member_of(facilitator, members), _member_of(projector, members)
    if facilitator["id"] == projector["id"]:
        raise DocumentError("participants", "the facilitator and the projector need different ids")
    return Checked(kind, fmt.document, checked, facilitator, projector)


def _only_member(members, role):
    found = [(i, m) for i, m in enumerate(members) if isinstance(m, dict) and m.get("role") == role]
    if len(found) != 1:
        raise DocumentError("participants", f"must hold exactly one member whose role is {role!r}")
    return found[0][1]


def _member_of(member, members):
    path = f"participants[{members.index(member)}]"
    unknown = sorted(set(member) - {"id", "name", "role", "team"})
    if unknown:
        raise DocumentError(f"{path}.{unknown[0]}", "is not a field of a participant")
    if member.get("team") is not None:
        raise DocumentError(f"{path}.team", f"the {member['role']} is in no team")
    return {"id": _id(member.get("id"), f"{path}.id"), "name": _text(member.get("name"), f"{path}.name", NAME_MAX)}


def _format(document):
    if not isinstance(document, dict):
        raise DocumentError("format", "must be an object (the workshop's format)")
    if document.get("deck") not in (None, []):
        raise DocumentError("format.deck", "must be empty: a document's deck is in its cards or its 'deck'")
    try:
        _storable(document, "format")
        return load_format({**document, "deck": []})
    except FormatError as error:
        raise DocumentError(f"format.{error.path}", str(error).split(": ", 1)[-1]) from None


def _template_content(document, fmt):
    """A template's preparation as board content (the same check and restore as a board document's)."""
    allowed = {*ENVELOPE, "format", "deck", "teams", "vote", "options", "anonymous", "material", "details"}
    unknown = sorted(set(document) - allowed)
    if unknown:
        raise DocumentError(unknown[0], "is not a field of a template")
    deck = _list(document.get("deck", []), "deck", MAX_CARDS)
    cards = []
    for order, card in enumerate(deck, start=1):
        path = f"deck[{order - 1}]"
        _object(card, path)
        extra = sorted(set(card) - {"id", "text", "description", "domain", "category", "origin"})
        if extra:
            raise DocumentError(f"{path}.{extra[0]}", "is not a field of a deck card")
        cards.append({"id": card.get("id", f"d{order}"), "kind": DECK_CARD, "text": card.get("text"),
                      "description": card.get("description", ""), "zone": fmt.deck_zone, "x": 0.0, "y": 0.0,
                      "z": order, "domain": card.get("domain"), "category": card.get("category"),
                      **({"origin": card["origin"]} if "origin" in card else {})})
    teams = []
    for i, team in enumerate(_list(document.get("teams", []), "teams", MAX_TEAMS)):
        _object(team, f"teams[{i}]")
        extra = sorted(set(team) - {"name", "colour", "domain"})
        if extra:
            raise DocumentError(f"teams[{i}].{extra[0]}", "is not a field of a template's team")
        teams.append({"id": f"t{i + 1}", **team})
    vote = document.get("vote", {})
    _object(vote, "vote")
    settings = ("mode", "budget", "per_card", "facilitator_votes", "anonymous")
    extra = sorted(set(vote) - set(settings))
    if extra:
        raise DocumentError(f"vote.{extra[0]}", "is not a vote setting (a template holds no dots nor results)")
    content = {"cards": cards, "teams": teams, "participants": [],
               "vote": {**VoteState().to_dict(), **vote},
               "options": document.get("options", dict(DEFAULT_OPTIONS)),
               "anonymous": document.get("anonymous", [])}
    if "material" in document:
        content["material"] = document["material"]
    if "details" in document:
        details = document["details"]
        # The template names the workshop, the next one chooses its own date.
        content["details"] = {"date": None, **details} if isinstance(details, dict) else details
    return content


def check_content(content, fmt, leads=False):
    """Check a board's content against its (checked) format; the clean content, or DocumentError.

    The content is what a restore event carries: every snapshot key but the volatile ones, the format
    (which board_created carries) and the facilitator and projector (which it creates). With `leads`,
    the participants may list the facilitator and the projector (a board document does), checked by
    check_document and left out of the clean content."""
    _object(content, "document")
    known_keys = set(_fresh_snapshot_keys())
    clean = {}
    for key, value in content.items():
        if key in ("format", "zones"):
            continue
        if key not in known_keys or key in VOLATILE:
            raise DocumentError(key, "is not part of a board that this server knows")
    zones = {zone.id: zone for zone in fmt.zones}
    if "zones" in content:
        families = _zones(content["zones"], fmt)
        if families:  # families made on a canvas during the workshop (canvas.py) come back with it
            zones.update((family.id, family) for family in families)
            clean["zones"] = [zone.to_dict() for zone in zones.values()]
    rows = {row["id"] for row in fmt.rows}
    columns = {column["id"] for column in fmt.columns}
    clean["teams"] = _teams(content.get("teams", []), rows)
    team_ids = {team["id"] for team in clean["teams"]}
    clean["participants"] = _participants(content.get("participants", []), team_ids, leads)
    clean["cards"] = _cards(content.get("cards", []), zones, rows, columns, team_ids)
    card_ids = {card["id"] for card in clean["cards"]}
    clean["sequence"] = _whole(content.get("sequence", 0), "sequence", 0, len(fmt.sequences) - 1)
    clean["vote"] = _vote(content.get("vote", VoteState().to_dict()), card_ids)
    clean["options"] = _options(content.get("options", dict(DEFAULT_OPTIONS)))
    clean["cards_revealed"] = _boolean(content.get("cards_revealed", False), "cards_revealed")
    clean["anonymous"] = _sequences(content.get("anonymous", []), len(fmt.sequences))
    for key in sorted(known_keys - set(KNOWN) - VOLATILE):
        if key in content:
            clean[key] = _extra(key, content[key], fmt)
    return clean


def _fresh_snapshot_keys():
    """The keys a board's snapshot has (those this server's Board knows), from a board made here."""
    global _SNAPSHOT_KEYS
    if _SNAPSHOT_KEYS is None:
        _SNAPSHOT_KEYS = _snapshot_keys()
    return _SNAPSHOT_KEYS


_SNAPSHOT_KEYS = None


def _snapshot_keys():
    fmt = load_format({"id": "f", "name": {"fr": "f", "en": "f"},
                       "panorama": {"rows": [{"id": "r", "label": {"fr": "r", "en": "r"}}],
                                    "columns": [{"id": "c", "label": {"fr": "c", "en": "c"}}]},
                       "areas": [{"id": "deck", "kind": "deck", "label": {"fr": "d", "en": "d"}}],
                       "sequences": [{"id": "s", "name": {"fr": "s", "en": "s"},
                                      "instruction": {"fr": "s", "en": "s"}, "allows": []}], "deck": []})
    # The evaluation is in the snapshot of a workshop whose format has one (evaluation.py), not of this one.
    return tuple(Board(id="b", format=fmt).to_dict()) + ("evaluation",)


def _zones(zones, fmt):
    """A board document's zones must be its format's, then the families made on its canvas areas (the one
    kind of zone made during a workshop, canvas.py); returns those families, checked as create_zone would."""
    expected = [zone.to_dict() for zone in fmt.zones]
    zones = _list(zones, "zones", len(expected) + MAX_FAMILIES)
    families = []
    for i, zone in enumerate(zones):
        _object(zone, f"zones[{i}]")
        if i >= len(expected) and isinstance(zone, dict) and zone.get("kind") == "family":
            families.append(_family(zone, f"zones[{i}]", fmt, [f.id for f in families]))
            continue
        if i >= len(expected) or zone != expected[i]:
            raise DocumentError(f"zones[{i}]", f"does not match the format's zone "
                                               f"{expected[i]['id'] if i < len(expected) else '(none)'!r}")
    if len(zones) - len(families) != len(expected):
        raise DocumentError("zones", f"must list the format's {len(expected)} zones")
    return families


MAX_FAMILIES = 40 * 4  # families on a board's canvases, at most (formats.CANVAS_MAX_FAMILIES each)


def _family(zone, path, fmt, taken):
    """One family of a board document (CANVAS1, CANVAS2): a Zone, or DocumentError naming the field."""
    from .canvas import LABEL_MAX
    from .formats import Zone
    _fields(zone, path, {"id", "kind", "label", "row", "column", "created_by", "area", "x", "y"}, "a family")
    family_id = _id(zone.get("id"), f"{path}.id")
    if family_id in taken or family_id in {z.id for z in fmt.zones}:
        raise DocumentError(f"{path}.id", f"another zone is already {_shown(family_id)}")
    areas = {z.id for z in fmt.zones if z.kind == "canvas"}
    if zone.get("area") not in areas:
        raise DocumentError(f"{path}.area", f"unknown canvas area {_shown(zone.get('area'))}")
    label = zone.get("label")
    _object(label, f"{path}.label")
    clean_label = {language: _text(label.get(language), f"{path}.label.{language}", LABEL_MAX) for language in ("fr", "en")}
    if zone.get("row") is not None or zone.get("column") is not None:
        raise DocumentError(f"{path}.row", "a family is in no Panorama row or column")
    maker = zone.get("created_by")
    return Zone(family_id, "family", clean_label, created_by=None if maker is None else _id(maker, f"{path}.created_by"),
                area=zone["area"], x=_fraction(zone.get("x"), f"{path}.x"), y=_fraction(zone.get("y"), f"{path}.y"))


def _teams(teams, rows):
    result, names = [], set()
    for i, team in enumerate(_list(teams, "teams", MAX_TEAMS)):
        path = f"teams[{i}]"
        _object(team, path)
        _fields(team, path, {"id", "name", "colour", "domain"}, "a team")
        name = _text(team.get("name"), f"{path}.name", NAME_MAX)
        if name.casefold() in names:
            raise DocumentError(f"{path}.name", f"another team is already called {name!r}")
        names.add(name.casefold())
        colour = team.get("colour")
        if not isinstance(colour, str) or not COLOUR_PATTERN.fullmatch(colour):
            raise DocumentError(f"{path}.colour", "must be a colour like #1a2b3c")
        domain = team.get("domain")
        if domain is not None and domain not in rows:
            raise DocumentError(f"{path}.domain", f"unknown Panorama row {_shown(domain)}")
        result.append({"id": _id(team.get("id"), f"{path}.id"), "name": name, "colour": colour.lower(),
                       "domain": domain})
    _unique([team["id"] for team in result], "teams")
    return result


def _participants(members, team_ids, leads):
    result = []
    for i, member in enumerate(_list(members, "participants", MAX_PARTICIPANTS)):
        path = f"participants[{i}]"
        _object(member, path)
        if leads and member.get("role") in (FACILITATOR, PROJECTOR):
            continue  # the new board's own, made by board_created (check_document checked them)
        _fields(member, path, {"id", "name", "role", "team"}, "a participant")
        if member.get("role") != PARTICIPANT:
            raise DocumentError(f"{path}.role", "must be 'participant' (one facilitator and one projector only)")
        team = member.get("team")
        if team is not None and team not in team_ids:
            raise DocumentError(f"{path}.team", f"unknown team {_shown(team)}")
        result.append({"id": _id(member.get("id"), f"{path}.id"),
                       "name": _text(member.get("name"), f"{path}.name", NAME_MAX), "role": PARTICIPANT,
                       "team": team})
    _unique([member["id"] for member in result], "participants")
    return result


CARD_FIELDS = ("id", "kind", "text", "description", "zone", "x", "y", "z", "author", "team", "colour", "domain",
               "category", "placed_by", "parent", "note_kind", "ratings", "kept", "private", "origin", "marks", "speaker",
               "links")


def _cards(cards, zones, rows, columns, team_ids):
    result = []
    cards = _list(cards, "cards", MAX_CARDS)
    for i, card in enumerate(cards):
        path = f"cards[{i}]"
        _object(card, path)
        _fields(card, path, set(CARD_FIELDS), "a card")
        kind = card.get("kind")
        if kind not in CARD_KINDS:
            raise DocumentError(f"{path}.kind", f"must be one of {', '.join(CARD_KINDS)}")
        zone = card.get("zone")
        if zone not in zones:
            raise DocumentError(f"{path}.zone", f"unknown zone {_shown(zone)}: the format has no such cell or area")
        if zones[zone].kind == "deck" and kind != DECK_CARD and card.get("parent") is None:
            raise DocumentError(f"{path}.zone", "only deck cards are in the deck")
        description = card.get("description", "")
        if not isinstance(description, str) or len(description.strip()) > DESCRIPTION_MAX:
            raise DocumentError(f"{path}.description", f"must be text of at most {DESCRIPTION_MAX} characters")
        _storable(description, f"{path}.description")
        clean = {"id": _id(card.get("id"), f"{path}.id"), "kind": kind,
                 "text": _text(card.get("text"), f"{path}.text", TEXT_MAX), "description": description.strip(),
                 "zone": zone, "x": _fraction(card.get("x", 0.0), f"{path}.x"),
                 "y": _fraction(card.get("y", 0.0), f"{path}.y"), "z": _whole(card.get("z", 0), f"{path}.z", 0, 10**9)}
        for key in PERSON_FIELDS:
            value = card.get(key)
            clean[key] = None if value is None else _id(value, f"{path}.{key}")
        team = card.get("team")
        if team is not None and team not in team_ids:
            raise DocumentError(f"{path}.team", f"unknown team {_shown(team)}")
        colour = card.get("colour")
        if colour is not None and (not isinstance(colour, str) or not COLOUR_PATTERN.fullmatch(colour)):
            raise DocumentError(f"{path}.colour", "must be a colour like #1a2b3c, or null")
        domain, category = card.get("domain"), card.get("category")
        if domain is not None and domain not in rows:
            raise DocumentError(f"{path}.domain", f"unknown Panorama row {_shown(domain)}")
        if category is not None and category not in columns:
            raise DocumentError(f"{path}.category", f"unknown Panorama column {_shown(category)}")
        ratings = _ratings(card.get("ratings", {}), f"{path}.ratings")
        clean.update(team=team, colour=colour.lower() if colour else None, domain=domain, category=category,
                     parent=card.get("parent"), ratings=ratings, kept=_boolean(card.get("kept", False), f"{path}.kept"),
                     note_kind=None if card.get("note_kind") is None else _id(card["note_kind"], f"{path}.note_kind"),
                     private=_boolean(card.get("private", False), f"{path}.private"))
        if card.get("origin") is not None:  # only a card carried from another board has one (CHAIN3)
            clean["origin"] = _origin(card["origin"], f"{path}.origin")
        clean.update(_card_marks(card, path))
        clean["links"] = [_id(target, f"{path}.links[{j}]")
                          for j, target in enumerate(_list(card.get("links", []), f"{path}.links", LINKS_MAX))]
        _unique(clean["links"], f"{path}.links")
        result.append(clean)
    _unique([card["id"] for card in result], "cards")
    ids = {card["id"] for card in result}
    for i, card in enumerate(result):
        if card["parent"] is not None and card["parent"] not in ids:
            raise DocumentError(f"cards[{i}].parent", f"unknown card {_shown(card['parent'])}")
    parents = {card["id"]: card["parent"] for card in result}
    for i, card in enumerate(result):
        # A note hangs from a card of its own, never from another note (NOTE3).
        if card["parent"] is not None and parents[card["parent"]] is not None:
            raise DocumentError(f"cards[{i}].parent", "a note attaches to a card, not to another note")
    for i, card in enumerate(result):
        _card_links(card, f"cards[{i}].links", parents)
    return result


def _card_links(card, path, parents):
    """A card's links as links.py keeps them (LINK8): cards of this document, never itself, never a note."""
    if card["links"] and card["parent"] is not None:
        raise DocumentError(path, "a note links to no card")
    for target in card["links"]:
        if target not in parents:
            raise DocumentError(path, f"unknown card {_shown(target)}")
        if target == card["id"]:
            raise DocumentError(path, "a card cannot be linked to itself")
        if parents[target] is not None:
            raise DocumentError(path, f"{_shown(target)} is a note: a note is not linked")


ORIGIN_FIELDS = ("board", "place", "date", "card", "team", "speaker", "votes", "territories")
# A card of a campaign's consolidated deck names each territory that chose it (CAMP7, campaign_compare.py).
TERRITORY_FIELDS = ("territory", "date", "card", "votes", "share")
TERRITORIES_MAX = 50


def _origin(origin, path):
    """Where a card carried from another board came from (CHAIN3): texts of bounded length, a date,
    the card's id there and its dots; never anything else (a name, a token) slipped in by hand."""
    _object(origin, path)
    _fields(origin, path, set(ORIGIN_FIELDS), "a card's origin")
    clean = {"board": _text(origin.get("board"), f"{path}.board", TITLE_MAX),
             "place": _optional_text(origin.get("place"), f"{path}.place", PLACE_MAX) or "",
             "date": None, "card": _id(origin.get("card"), f"{path}.card"),
             "team": _optional_text(origin.get("team"), f"{path}.team", NAME_MAX),
             "speaker": _optional_text(origin.get("speaker"), f"{path}.speaker", TITLE_MAX),
             "votes": None if origin.get("votes") is None else _whole(origin["votes"], f"{path}.votes", 0, 10**6)}
    if origin.get("date") is not None:
        try:
            clean["date"] = workshop_date(f"{path}.date", origin["date"]) or None
        except InvalidCommand as error:
            raise DocumentError(f"{path}.date", error.rejection.message) from None
    if origin.get("territories") is not None:
        clean["territories"] = _territories(origin["territories"], f"{path}.territories")
    return clean


def _territories(territories, path):
    """The territories a campaign's card comes from: each {territory, date, card, votes, share}."""
    _list(territories, path, TERRITORIES_MAX)
    clean = []
    for index, entry in enumerate(territories):
        where = f"{path}[{index}]"
        _object(entry, where)
        _fields(entry, where, set(TERRITORY_FIELDS), "a territory of a card's origin")
        share = entry.get("share")
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float))
                                  or not math.isfinite(share) or not 0 <= share <= 1000):
            raise DocumentError(f"{where}.share", "must be a number from 0 to 1000")
        item = {"territory": _text(entry.get("territory"), f"{where}.territory", PLACE_MAX), "date": None,
                "card": None if entry.get("card") is None else _id(entry["card"], f"{where}.card"),
                "votes": None if entry.get("votes") is None else _whole(entry["votes"], f"{where}.votes", 0, 10**6),
                "share": share}
        if entry.get("date") is not None:
            try:
                item["date"] = workshop_date(f"{where}.date", entry["date"]) or None
            except InvalidCommand as error:
                raise DocumentError(f"{where}.date", error.rejection.message) from None
        clean.append(item)
    return clean


def _evaluation(value, path, fmt):
    """The participants' answers to the evaluation (EVAL7): {status, answers: {participant id: {scores:
    {scale: 1..5}, text}}}, the scales the format's own."""
    _object(value, path)
    _fields(value, path, {"status", "answers"}, "the evaluation")
    status = value.get("status")
    if status not in ("idle", "open", "closed"):
        raise DocumentError(f"{path}.status", "must be idle, open or closed")
    scales = [scale["id"] for scale in (fmt.document.get("evaluation") or {}).get("scales", [])]
    answers = value.get("answers")
    _object(answers, f"{path}.answers")
    if len(answers) > MAX_PARTICIPANTS:
        raise DocumentError(f"{path}.answers", f"holds more than {MAX_PARTICIPANTS} answers")
    clean = {}
    for participant, answer in answers.items():
        where = f"{path}.answers.{str(participant)[:64]}"
        _id(participant, where)
        _object(answer, where)
        _fields(answer, where, {"scores", "text"}, "an answer")
        scores = answer.get("scores")
        _object(scores, f"{where}.scores")
        if sorted(scores) != sorted(scales):
            raise DocumentError(f"{where}.scores", f"must score exactly the format's scales ({', '.join(scales) or 'none'})")
        clean[participant] = {"scores": {scale: _whole(scores[scale], f"{where}.scores.{scale}", 1, 5) for scale in scales},
                              "text": _optional_text(answer.get("text"), f"{where}.text", 1000) or ""}
    return {"status": status, "answers": clean}


def _optional_text(value, path, limit):
    """None or "" for nothing, else a text as _text checks it."""
    if value is None or value == "":
        return None
    return _text(value, path, limit)


def _ratings(ratings, path):
    """A card's ratings as ratings.py keeps them: {axis id: {rater id: whole number}} (RATE9)."""
    if not isinstance(ratings, dict) or len(ratings) > 10:
        raise DocumentError(path, "must be an object of at most 10 axes")
    clean = {}
    for axis, values in ratings.items():
        if not isinstance(axis, str) or not ID_PATTERN.fullmatch(axis) or not isinstance(values, dict) \
                or len(values) > MAX_PARTICIPANTS or not all(
                    isinstance(rater, str) and ID_PATTERN.fullmatch(rater) and not isinstance(value, bool)
                    and isinstance(value, int) and 0 <= value <= 10 for rater, value in values.items()):
            raise DocumentError(path, "must map each axis id to {rater id: a whole number from 0 to 10}")
        if values:
            clean[axis] = dict(values)
    return clean


def _card_marks(card, path):
    """A card's marks (mark id -> participant ids) and speaker (MARK3, MARK11), as the board keeps them."""
    marks = card.get("marks", {})
    if not isinstance(marks, dict) or len(marks) > MARKS_MAX:
        raise DocumentError(f"{path}.marks", f"must be an object of at most {MARKS_MAX} marks")
    clean = {}
    for mark, ids in marks.items():
        where = f"{path}.marks.{_shown(mark)}"
        if not isinstance(mark, str) or not ID_PATTERN.fullmatch(mark):
            raise DocumentError(f"{path}.marks", f"{_shown(mark)} is no mark id")
        ids = [_id(pid, where) for pid in _list(ids, where, MAX_PARTICIPANTS)]
        _unique(ids, where)
        if ids:
            clean[mark] = ids
    speaker = card.get("speaker")
    if speaker is not None:
        speaker = _text(speaker, f"{path}.speaker", NAME_MAX)
    return {"marks": clean, "speaker": speaker}


def _vote(vote, card_ids):
    _object(vote, "vote")
    _fields(vote, "vote", set(VoteState().to_dict()), "the vote")
    clean = {"status": _choice(vote.get("status", "idle"), "vote.status", VOTE_STATUSES),
             "mode": _choice(vote.get("mode", "participant"), "vote.mode", VOTE_MODES),
             "budget": _whole(vote.get("budget", 5), "vote.budget", 1, 50),
             "per_card": _whole(vote.get("per_card", 2), "vote.per_card", 1, 10)}
    for key in ("facilitator_votes", "anonymous", "revealed"):
        clean[key] = _boolean(vote.get(key, False), f"vote.{key}")
    for book in ("dots", "proxy"):
        dots = vote.get(book, {})
        _object(dots, f"vote.{book}")
        if len(dots) > MAX_PARTICIPANTS + MAX_TEAMS:
            raise DocumentError(f"vote.{book}", "has more voters than a board holds")
        clean[book] = {}
        for voter, cards in dots.items():
            where = f"vote.{book}.{_id(voter, f'vote.{book}')}"
            _object(cards, where)
            for card_id, count in cards.items():
                if card_id not in card_ids:
                    raise DocumentError(where, f"a dot on unknown card {_shown(card_id)}")
                _whole(count, f"{where}.{card_id}", 1, clean["per_card"] if book == "dots" else 10)
            clean[book][voter] = dict(cards)
    results = vote.get("results")
    if results is not None:
        _object(results, "vote.results")
        _fields(results, "vote.results", {"totals", "overall", "by_row"}, "the results")
        _storable(results, "vote.results")
    clean["results"] = copy.deepcopy(results)
    if clean["revealed"] and clean["results"] is None:
        raise DocumentError("vote.results", "must be given once the results are revealed")
    return clean


def _options(options):
    _object(options, "options")
    _fields(options, "options", set(DEFAULT_OPTIONS), "the options")
    return {key: _boolean(options.get(key, default), f"options.{key}") for key, default in DEFAULT_OPTIONS.items()}


def _sequences(indexes, count, path="anonymous"):
    indexes = _list(indexes, path, count)
    clean = [_whole(index, f"{path}[{i}]", 0, count - 1) for i, index in enumerate(indexes)]
    if len(set(clean)) != len(clean):
        raise DocumentError(path, "lists a sequence twice")
    return sorted(clean)


def _extra(key, value, fmt):
    """State another part of the board added (details, material...): its own check when it gave one,
    else plain JSON of bounded size whose every text can be stored."""
    if key in EXTRA_CHECKS:
        return EXTRA_CHECKS[key](value, key, fmt)
    _storable(value, key)
    if len(json.dumps(value, ensure_ascii=False)) > MAX_EXTRA_BYTES:
        raise DocumentError(key, f"is larger than {MAX_EXTRA_BYTES // 1024} KB")
    return copy.deepcopy(value)


def _material(value, path, fmt):
    """A file's material, held to what add_material accepts (MAT2, MAT4): a file must not bring in a
    link that is no web address, or a text over its limit, that the console would have refused."""
    _object(value, path)
    _fields(value, path, {"items", "sequences"}, "the material")
    items, seen = [], set()
    for i, item in enumerate(_list(value.get("items", []), f"{path}.items", material.ITEMS_MAX)):
        where = f"{path}.items[{i}]"
        _object(item, where)
        _fields(item, where, {"id", "kind", *material.ITEM_FIELDS}, "an item of material")
        clean = {"id": _id(item.get("id"), f"{where}.id"), "kind": item.get("kind")}
        if clean["id"] in seen:
            raise DocumentError(f"{where}.id", "is the id of another item")
        seen.add(clean["id"])
        if clean["kind"] not in material.KINDS:
            raise DocumentError(f"{where}.kind", f"must be one of {', '.join(material.KINDS)}")
        for name in material.ITEM_FIELDS:
            try:
                clean[name] = material.FIELD_CHECKS[name](name, item.get(name, ""))
            except InvalidCommand as error:
                raise DocumentError(f"{where}.{name}", error.rejection.message) from None
        refusal = material.item_refusal(clean)
        if refusal is not None:
            raise DocumentError(where, refusal.message)
        items.append(clean)
    return {"items": items, "sequences": _sequences(value.get("sequences", []), len(fmt.sequences), f"{path}.sequences")}


def _details(value, path, fmt):
    """A file's title, date and place, held to what describe_workshop accepts (DESK1)."""
    try:
        return workshop_details(path, value)
    except InvalidCommand as error:
        raise DocumentError(path, error.rejection.message) from None


EXTRA_CHECKS["material"] = _material
EXTRA_CHECKS["evaluation"] = _evaluation
EXTRA_CHECKS["details"] = _details


# -- restoring: the restore_board command and its board_restored event

def restore_board(board, actor, role, cmd):
    """Resolver: a board just created (nothing happened on it yet) takes a document's content (DOC2)."""
    if board.version != 1:
        return Rejection(CONFLICT, "A board takes a document's content only right after it is created.")
    try:
        clean = check_against_board(cmd.content, board)
    except DocumentError as error:
        return Rejection(BAD_REQUEST, str(error))
    return "board_restored", {"content": clean}


def board_restored(board, data):
    """Evolver: the board becomes the document's (its format, id and version stay)."""
    board.__dict__.update(restored_board(board, data["content"]).__dict__)


def restored_board(board, content):
    """`board` (just created) with the checked `content` put in: the board_restored event's evolver.

    It goes through the snapshot, so any state board_from_snapshot knows is restored with no code
    here (the same road a client's snapshot takes)."""
    snapshot = board.to_dict()
    members = [m for m in snapshot["participants"] if m["role"] in (FACILITATOR, PROJECTOR)]
    snapshot.update(copy.deepcopy(content))
    snapshot["participants"] = members + copy.deepcopy(content.get("participants", []))
    restored = board_from_snapshot(snapshot)
    restored.format, restored.version = board.format, board.version
    return restored


def check_against_board(content, board):
    """The resolver's check: the content again, against the board's own format (the log holds only a
    clean content), and no participant id taken by the facilitator or projector."""
    clean = check_content(content, board.format)
    taken = set(board.participants)
    for i, member in enumerate(clean["participants"]):
        if member["id"] in taken:
            raise DocumentError(f"participants[{i}].id", "is the facilitator's or the projector's id")
    return clean


# -- small checks

def _object(value, path):
    if not isinstance(value, dict):
        raise DocumentError(path, "must be an object")


def _list(value, path, limit):
    if not isinstance(value, list):
        raise DocumentError(path, "must be a list")
    if len(value) > limit:
        raise DocumentError(path, f"holds more than {limit} entries")
    return value


def _fields(value, path, allowed, what):
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise DocumentError(f"{path}.{unknown[0]}", f"is not a field of {what}")


def _id(value, path):
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise DocumentError(path, "must be an id (letters, digits, '_:/.-', at most 64)")
    if value == SYSTEM:  # how decide knows the server itself: no member, team or card may take it
        raise DocumentError(path, f"the id {SYSTEM!r} is reserved for the server")
    return value


def _text(value, path, limit):
    if not isinstance(value, str) or not value.strip():
        raise DocumentError(path, "must be a non-empty text")
    _storable(value, path)
    if len(value.strip()) > limit:
        raise DocumentError(path, f"must be at most {limit} characters")
    return value.strip()


def _whole(value, path, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DocumentError(path, f"must be a whole number from {low} to {high}")
    return value


def _fraction(value, path):
    if not _finite(value) or not 0 <= value <= 1:
        raise DocumentError(path, "must be a number from 0 to 1")
    return float(value)


def _finite(value):
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _boolean(value, path):
    if not isinstance(value, bool):
        raise DocumentError(path, "must be true or false")
    return value


def _choice(value, path, choices):
    if value not in choices:
        raise DocumentError(path, f"must be one of {', '.join(choices)}")
    return value


def _unique(ids, path):
    seen = set()
    for value in ids:
        if value in seen:
            raise DocumentError(path, f"duplicate id {value!r}")
        seen.add(value)


def _shown(value):
    """A value of the file quoted in a message, cut short and never a lone surrogate."""
    text = repr(value)[:60]
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _storable(value, path, depth=0):
    """Every text in `value` (keys too) can be written as UTF-8: no lone surrogate (as commands.storable)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise DocumentError(path, "holds a character that is not valid text (a lone surrogate)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key, path)
            _storable(item, f"{path}.{key}" if isinstance(key, str) and ID_PATTERN.fullmatch(key) else path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _storable(item, f"{path}[{i}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise DocumentError(path, "must be a finite number")


def _depth(value, path, depth):
    if depth > MAX_DEPTH:
        raise DocumentError(path, f"is nested more than {MAX_DEPTH} levels deep")
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        _depth(item, path, depth + 1)



RESOLVERS = {"restore_board": restore_board}
EVOLVERS = {"board_restored": board_restored}
