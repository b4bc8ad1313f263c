"""Commands: small typed values, checked when they are built.

`parse_command` turns an untrusted payload into one of these or raises
InvalidCommand with the code and message the sender will read.
"""
import copy
import datetime
import math
import re
from dataclasses import dataclass, field, fields

from .errors import BAD_REQUEST, TOO_LARGE, InvalidCommand
from .model import CARD_KINDS, DECK_CARD, FOCUS_KINDS, ROLES, WHOLE_BOARD_FOCUS_KINDS

# Always used with fullmatch: re.match with "$" would let a trailing "\n" through.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:/.-]{0,63}")
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
TEXT_MAX = 280
DESCRIPTION_MAX = 1000
NAME_MAX = 60
TITLE_MAX = 120  # a workshop's title (DESK1)
PLACE_MAX = 120  # a workshop's place
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- field checks: each takes the field name and raw value, returns the clean value

def _fail(code, message):
    raise InvalidCommand(code, message)


def identifier(name, value):
    """An id: short, printable, no spaces."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        _fail(BAD_REQUEST, f"Field '{name}' must be an id (letters, digits, '_:/.-', at most 64).")
    return value


def storable(text):
    """Whether text can be written as UTF-8: a lone surrogate ("\\ud800", which JSON can carry) cannot,
    and would fail the commit it shares with other people's changes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def trimmed_text(limit, *, allow_empty=False):
    """Text trimmed of surrounding spaces, 1 (or 0) to `limit` characters."""
    def check(name, value):
        if not isinstance(value, str):
            _fail(BAD_REQUEST, f"Field '{name}' must be text.")
        if not storable(value):
            _fail(BAD_REQUEST, f"Field '{name}' holds a character that is not valid text (a lone surrogate).")
        value = value.strip()
        if not value and not allow_empty:
            _fail(BAD_REQUEST, f"Field '{name}' must not be empty.")
        if len(value) > limit:
            _fail(TOO_LARGE, f"Field '{name}' is longer than {limit} characters.")
        return value
    return check


def fraction(name, value):
    """A position inside a zone, from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= 1:
        _fail(BAD_REQUEST, f"Field '{name}' must be a number from 0 to 1.")
    return float(value)


def integer(low, high):
    """A whole number in [low, high]."""
    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            _fail(BAD_REQUEST, f"Field '{name}' must be a whole number from {low} to {high}.")
        return value
    return check


def one_of(*choices):
    """One of a fixed set of strings."""
    def check(name, value):
        if value not in choices:
            _fail(BAD_REQUEST, f"Field '{name}' must be one of: {', '.join(choices)}.")
        return value
    return check


def colour(name, value):
    """A colour as #rrggbb, kept in lowercase."""
    if not isinstance(value, str) or not COLOUR_PATTERN.fullmatch(value):
        _fail(BAD_REQUEST, f"Field '{name}' must be a colour like #1a2b3c.")
    return value.lower()


def optional(check):
    """The same check, but the field may be absent or null."""
    def check_optional(name, value):
        return None if value is None else check(name, value)
    check_optional.optional = True
    return check_optional


def spec(check):
    """Attach a check to a dataclass field; optional checks default to None."""
    if getattr(check, "optional", False):
        return field(default=None, metadata={"check": check})
    return field(metadata={"check": check})


@dataclass(frozen=True)
class Command:
    """Base: runs every field's check on construction, normalising values."""

    type = "command"

    def __post_init__(self):
        for f in fields(self):
            clean = f.metadata["check"](f.name, getattr(self, f.name))
            object.__setattr__(self, f.name, clean)


def workshop_date(name, value):
    """A day as YYYY-MM-DD that exists in the calendar, or "" for no date."""
    if value == "":
        return ""
    try:
        if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    _fail(BAD_REQUEST, f"Field '{name}' must be a date written YYYY-MM-DD (for example 2026-03-14), or empty.")


def workshop_details(name, value):
    """A workshop's details {title, date?, place?}: a title of 1 to TITLE_MAX characters, a date
    YYYY-MM-DD (or none), a place of at most PLACE_MAX characters (or none)."""
    if not isinstance(value, dict):
        _fail(BAD_REQUEST, f"Field '{name}' must be an object with a title, a date and a place.")
    unknown = sorted(set(value) - {"title", "date", "place"})
    if unknown:
        _fail(BAD_REQUEST, f"Field '{name}' has an unknown field '{unknown[0]}'.")
    title = trimmed_text(TITLE_MAX)("title", value.get("title"))
    date = workshop_date("date", value.get("date") or "")
    place = trimmed_text(PLACE_MAX, allow_empty=True)("place", value.get("place") or "")
    return {"title": title, "date": date or None, "place": place}


@dataclass(frozen=True)
class CreateBoard(Command):
    """The first event of every board: its format and its first two members."""

    type = "create_board"
    board_id: str = spec(identifier)
    format: dict = spec(lambda name, value: value if isinstance(value, dict)
                        else _fail(BAD_REQUEST, "Field 'format' must be an object."))
    facilitator_id: str = spec(identifier)
    facilitator_name: str = spec(trimmed_text(NAME_MAX))
    projector_id: str = spec(identifier)
    details: dict | None = spec(optional(workshop_details))  # title, date, place (DESK1)


@dataclass(frozen=True)
class Join(Command):
    """Admit a person with a display name (sent by the server on a join)."""

    type = "join"
    participant_id: str = spec(identifier)
    name: str = spec(trimmed_text(NAME_MAX))
    role: str = spec(one_of(*ROLES))


@dataclass(frozen=True)
class CreateTeam(Command):
    """Create a team with a name, a colour and an optional domain of focus."""

    type = "create_team"
    name: str = spec(trimmed_text(NAME_MAX))
    colour: str = spec(colour)
    domain: str | None = spec(optional(identifier))


@dataclass(frozen=True)
class JoinTeam(Command):
    """Put a participant (oneself unless facilitator) in a team, or in none."""

    type = "join_team"
    team_id: str | None = spec(optional(identifier))
    participant_id: str | None = spec(optional(identifier))


@dataclass(frozen=True)
class MoveCard(Command):
    """Drop a card into a zone at a position (fractions of the zone)."""

    type = "move_card"
    card_id: str = spec(identifier)
    zone_id: str = spec(identifier)
    x: float = spec(fraction)
    y: float = spec(fraction)


@dataclass(frozen=True)
class CreateCard(Command):
    """Write a new competence card or a post-it into a zone."""

    type = "create_card"
    kind: str = spec(one_of(*(k for k in CARD_KINDS if k != DECK_CARD)))
    text: str = spec(trimmed_text(TEXT_MAX))
    zone_id: str = spec(identifier)
    x: float = spec(fraction)
    y: float = spec(fraction)
    description: str | None = spec(optional(trimmed_text(DESCRIPTION_MAX, allow_empty=True)))
    colour: str | None = spec(optional(colour))
    card_id: str | None = spec(optional(identifier))
    speaker: str | None = spec(optional(trimmed_text(NAME_MAX)))  # who said it (marks.py, MARK11)
    parent: str | None = spec(optional(identifier))  # a note: the card it attaches to (notes.py)
    note_kind: str | None = spec(optional(identifier))  # a note's kind, from the format's note_kinds


@dataclass(frozen=True)
class EditCard(Command):
    """Change a card's text and/or description (or a note's kind)."""

    type = "edit_card"
    card_id: str = spec(identifier)
    text: str | None = spec(optional(trimmed_text(TEXT_MAX)))
    description: str | None = spec(optional(trimmed_text(DESCRIPTION_MAX, allow_empty=True)))
    speaker: str | None = spec(optional(trimmed_text(NAME_MAX)))  # who said it (marks.py, MARK11)
    note_kind: str | None = spec(optional(identifier))


@dataclass(frozen=True)
class DeleteCard(Command):
    """Remove a card from the board."""

    type = "delete_card"
    card_id: str = spec(identifier)


@dataclass(frozen=True)
class SetSequence(Command):
    """Move the workshop to another sequence (by its position, from 0)."""

    type = "set_sequence"
    index: int = spec(integer(0, 99))


def boolean(name, value):
    """True or false, nothing else."""
    if not isinstance(value, bool):
        _fail(BAD_REQUEST, f"Field '{name}' must be true or false.")
    return value


def projector_focus(name, value):
    """What the projector shows: {"kind": "overview"}, {"kind": "row", "id": row} or {"kind": "zone", "id": zone}."""
    if not isinstance(value, dict) or value.get("kind") not in FOCUS_KINDS:
        _fail(BAD_REQUEST, f"Field '{name}' must be an object whose kind is one of: {', '.join(FOCUS_KINDS)}.")
    unknown = sorted(set(value) - {"kind", "id"})
    if unknown:
        _fail(BAD_REQUEST, f"Field '{name}' has an unknown field '{unknown[0]}'.")
    if value["kind"] in WHOLE_BOARD_FOCUS_KINDS:
        if value.get("id") is not None:
            _fail(BAD_REQUEST, f"Field '{name}': the {value['kind']} view takes no id.")
        return {"kind": value["kind"]}
    return {"kind": value["kind"], "id": identifier(f"{name}.id", value.get("id"))}


@dataclass(frozen=True)
class SetProjector(Command):
    """What the projector shows: the join code and QR code or not, the overview, one domain or one zone."""

    type = "set_projector"
    show_join: bool | None = spec(optional(boolean))
    focus: dict | None = spec(optional(projector_focus))


def id_list(limit):
    """A list of distinct ids, at most `limit` of them."""
    def check(name, value):
        if not isinstance(value, list) or len(value) > limit:
            _fail(BAD_REQUEST, f"Field '{name}' must be a list of at most {limit} ids.")
        ids = [identifier(name, item) for item in value]
        if len(set(ids)) != len(ids):
            _fail(BAD_REQUEST, f"Field '{name}' lists an id twice.")
        return tuple(ids)
    return check


def dot_delta(name, value):
    """+1 puts a dot, -1 takes one back."""
    if type(value) is not int or value not in (1, -1):  # not True, not 1.0
        _fail(BAD_REQUEST, f"Field '{name}' must be 1 (put a dot) or -1 (take it back).")
    return value


@dataclass(frozen=True)
class Configure(Command):
    """The facilitator's options: participants choose their team; new cards stay private."""

    type = "configure"
    team_choice: bool | None = spec(optional(boolean))
    private_cards: bool | None = spec(optional(boolean))


@dataclass(frozen=True)
class SplitTeams(Command):
    """Share the listed participants, or those connected (`present`), out into `count` teams, in one action."""

    type = "split_teams"
    count: int = spec(integer(1, 20))
    participant_ids: tuple | None = spec(optional(id_list(500)))
    # Whether those already in a team are dealt again; by default only those without one are.
    everyone: bool | None = spec(optional(boolean))
    # Instead of listing ids: deal those connected when the server receives it (TEAM20), so a
    # plenary of hundreds is one small command; the socket layer, which knows who is there, says who.
    present: bool | None = spec(optional(boolean))

    def __post_init__(self):
        super().__post_init__()
        if (self.participant_ids is None) == (self.present is not True):
            _fail(BAD_REQUEST, "Say whom to share out: 'participant_ids' (a list) or 'present': true, one of them.")

    def of_present(self, participant_ids):
        """This split with the participants the server knows are connected (for `present`)."""
        resolved = copy.copy(self)
        object.__setattr__(resolved, "participant_ids", tuple(participant_ids))  # the server's, not checked as a client's
        return resolved


def domain_choice(name, value):
    """A Panorama row id, or "" for no domain at all."""
    return "" if value == "" else identifier(name, value)


@dataclass(frozen=True)
class SetTeam(Command):
    """Rename a team, change its colour or its working domain ("" for none); only what is named changes."""

    type = "set_team"
    team_id: str = spec(identifier)
    name: str | None = spec(optional(trimmed_text(NAME_MAX)))
    colour: str | None = spec(optional(colour))
    domain: str | None = spec(optional(domain_choice))


@dataclass(frozen=True)
class DeleteTeam(Command):
    """Delete a team that has no member and owns no card."""

    type = "delete_team"
    team_id: str = spec(identifier)


@dataclass(frozen=True)
class RemoveParticipant(Command):
    """Take a participant off the board (a duplicate, someone gone); `merge_into` keeps their cards."""

    type = "remove_participant"
    participant_id: str = spec(identifier)
    merge_into: str | None = spec(optional(identifier))


@dataclass(frozen=True)
class ForgetParticipant(Command):
    """Forget a participant at their request: their name becomes a neutral label everywhere, also in
    the log; `texts` says whether the cards they wrote stay ("keep") or go with it ("remove")."""

    type = "forget_participant"
    participant_id: str = spec(identifier)
    texts: str = spec(one_of("keep", "remove"))


@dataclass(frozen=True)
class LockBoard(Command):
    """Freeze the whole board: participants can change nothing until it is unlocked."""

    type = "lock_board"


@dataclass(frozen=True)
class UnlockBoard(Command):
    """Let participants change the board again."""

    type = "unlock_board"


@dataclass(frozen=True)
class Follow(Command):
    """Lead every participant's view and the projector to one focus (as set_projector's); null lets them go."""

    type = "follow"
    focus: dict | None = spec(optional(projector_focus))


@dataclass(frozen=True)
class CloseDoor(Command):
    """Refuse new arrivals; those already in stay."""

    type = "close_door"


@dataclass(frozen=True)
class OpenDoor(Command):
    """Let new arrivals join again."""

    type = "open_door"


@dataclass(frozen=True)
class RevealCards(Command):
    """Show every team's private cards to everyone."""

    type = "reveal_cards"


@dataclass(frozen=True)
class ConfigureVote(Command):
    """Vote settings: per participant or per team, budget, dots per card, who votes, anonymity."""

    type = "configure_vote"
    mode: str | None = spec(optional(one_of("participant", "team")))
    budget: int | None = spec(optional(integer(1, 50)))
    per_card: int | None = spec(optional(integer(1, 10)))
    facilitator_votes: bool | None = spec(optional(boolean))
    anonymous: bool | None = spec(optional(boolean))


@dataclass(frozen=True)
class OpenVote(Command):
    """Open the vote: voters may put and take back dots."""

    type = "open_vote"


@dataclass(frozen=True)
class CloseVote(Command):
    """Close the vote: the dots are frozen."""

    type = "close_vote"


@dataclass(frozen=True)
class ReopenVote(Command):
    """Open a closed vote again, before its results are revealed: the dots placed so far stay."""

    type = "reopen_vote"


@dataclass(frozen=True)
class RevealResults(Command):
    """Show everyone the counts and the ranking of the must-haves."""

    type = "reveal_results"


@dataclass(frozen=True)
class Vote(Command):
    """Put (+1) or take back (-1) a dot on a card; `voter` is for the facilitator's proxy dots."""

    type = "vote"
    card_id: str = spec(identifier)
    delta: int = spec(dot_delta)
    voter: str | None = spec(optional(identifier))


def minute_step(name, value):
    """Minutes added (positive) or taken off (negative) a timer: a whole number from -10 to 10, not 0."""
    if type(value) is not int or value == 0 or not -10 <= value <= 10:
        _fail(BAD_REQUEST, f"Field '{name}' must be a whole number of minutes from -10 to 10, not 0.")
    return value


@dataclass(frozen=True)
class StartTimer(Command):
    """Count down `seconds` in the current sequence; with `freeze`, participants' board changes stop at zero."""

    type = "start_timer"
    seconds: int = spec(integer(1, 4 * 3600))
    freeze: bool | None = spec(optional(boolean))


@dataclass(frozen=True)
class PauseTimer(Command):
    """Hold the countdown where it is."""

    type = "pause_timer"


@dataclass(frozen=True)
class ResumeTimer(Command):
    """Count down again from where the timer was paused."""

    type = "resume_timer"


@dataclass(frozen=True)
class AdjustTimer(Command):
    """Add (or take off) whole minutes; added to a timer at zero, they count from now."""

    type = "adjust_timer"
    minutes: int = spec(minute_step)


@dataclass(frozen=True)
class StopTimer(Command):
    """Take the timer away: no countdown, no freeze."""

    type = "stop_timer"


@dataclass(frozen=True)
class SetDone(Command):
    """A participant says they (or their team) are done with the sequence, or take it back."""

    type = "set_done"
    done: bool = spec(boolean)


@dataclass(frozen=True)
class SetAnonymity(Command):
    """Turn anonymity on or off for one sequence (its index), or for every sequence (no index)."""

    type = "set_anonymity"
    on: bool = spec(boolean)
    sequence: int | None = spec(optional(integer(0, 99)))


@dataclass(frozen=True)
class DescribeWorkshop(Command):
    """Change the workshop's title, date ("" for none) or place; only the fields given change."""

    type = "describe_workshop"
    title: str | None = spec(optional(trimmed_text(TITLE_MAX)))
    date: str | None = spec(optional(workshop_date))
    place: str | None = spec(optional(trimmed_text(PLACE_MAX, allow_empty=True)))


@dataclass(frozen=True)
class RestoreBoard(Command):
    """Put a checked document's content (documents.py) into a board just created (the server alone, DOC2)."""

    type = "restore_board"
    content: dict = spec(lambda name, value: value if isinstance(value, dict)
                         else _fail(BAD_REQUEST, "Field 'content' must be an object."))


@dataclass(frozen=True)
class PublishSynthesis(Command):
    """Publish the synthesis page (or, while published, change whether it names the authors)."""

    type = "publish_synthesis"
    include_names: bool = spec(boolean)


@dataclass(frozen=True)
class UnpublishSynthesis(Command):
    """Take the synthesis page back: its link opens nothing any more."""

    type = "unpublish_synthesis"


COMMANDS = {cls.type: cls for cls in
            (CreateBoard, Join, CreateTeam, JoinTeam, MoveCard, CreateCard, EditCard, DeleteCard,
             SetSequence, SetProjector, Configure, SplitTeams, RevealCards, ConfigureVote, OpenVote,
             CloseVote, ReopenVote, RevealResults, Vote, SetTeam, DeleteTeam, RemoveParticipant,
             ForgetParticipant, LockBoard, UnlockBoard, Follow, CloseDoor, OpenDoor)}
# The facilitator's powers in the room (issue 11): the timer and the participants' "done".
COMMANDS.update({cls.type: cls for cls in (StartTimer, PauseTimer, ResumeTimer, AdjustTimer, StopTimer, SetDone)})
COMMANDS[SetAnonymity.type] = SetAnonymity  # anonymity, per sequence (anonymity.py)
COMMANDS[DescribeWorkshop.type] = DescribeWorkshop  # the workshop's title, date and place (details.py)
COMMANDS[RestoreBoard.type] = RestoreBoard  # a board made from a document (documents.py)
# Importing the facilitator's own deck (deck.py, whose command builds on the checks above).
from .deck import ImportDeck  # noqa: E402
COMMANDS[ImportDeck.type] = ImportDeck
COMMANDS.update({cls.type: cls for cls in (PublishSynthesis, UnpublishSynthesis)})  # synthesis.py
# Commands only the server issues; a client that sends one is refused.
SERVER_ONLY = frozenset({CreateBoard.type, Join.type, RestoreBoard.type})


def parse_command(kind, payload):
    """Build the command named `kind` from a payload dict, or raise InvalidCommand."""
    cls = COMMANDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        _fail(BAD_REQUEST, f"Unknown command type {kind!r}.")
    if not isinstance(payload, dict):
        _fail(BAD_REQUEST, "A command must be an object.")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(payload) - known)
    if unknown:
        _fail(BAD_REQUEST, f"Unknown field '{unknown[0]}' for {kind}.")
    missing = [f.name for f in fields(cls)
               if f.name not in payload and not getattr(f.metadata["check"], "optional", False)]
    if missing:
        _fail(BAD_REQUEST, f"Missing field '{missing[0]}' for {kind}.")
    return cls(**payload)


# The Panorama's labels (panorama.py defines its commands; it imports this module's field checks).
from .panorama import COMMANDS as _PANORAMA_COMMANDS  # noqa: E402
COMMANDS.update(_PANORAMA_COMMANDS)
# Ratings on two axes and the kept cards (ratings.py defines its commands).
from .ratings import COMMANDS as _RATINGS_COMMANDS  # noqa: E402
COMMANDS.update(_RATINGS_COMMANDS)

# Families on a canvas (canvas.py defines its commands on this module's field checks).
from .canvas import COMMANDS as _CANVAS_COMMANDS  # noqa: E402
COMMANDS.update(_CANVAS_COMMANDS)

# Marks per participant and speakers (marks.py).
from .marks import COMMANDS as _MARKS_COMMANDS  # noqa: E402
COMMANDS.update(_MARKS_COMMANDS)

# Links from a card to other cards (links.py).
from .links import COMMANDS as _LINKS_COMMANDS  # noqa: E402
COMMANDS.update(_LINKS_COMMANDS)

# The participants' evaluation of the workshop (evaluation.py).
from .evaluation import COMMANDS as _EVALUATION_COMMANDS  # noqa: E402
COMMANDS.update(_EVALUATION_COMMANDS)
