"""The state of one board: zones, cards, teams, participants, sequence, vote.

Only events change it (see evolve.py); everything here is plain data that
serialises to the snapshot clients receive.
"""
import copy
from dataclasses import dataclass, field

FACILITATOR = "facilitator"
PARTICIPANT = "participant"
PROJECTOR = "projector"
ROLES = (FACILITATOR, PARTICIPANT, PROJECTOR)
# The server itself, for changes no person made (creating a board, admitting a participant).
SYSTEM = "system"

DECK_CARD = "deck"
NEW_CARD = "new"
POSTIT = "postit"
QUOTE = "quote"  # words someone said, attributed to a speaker; only where the format has `speakers` (MARK10)
CARD_KINDS = (DECK_CARD, NEW_CARD, POSTIT, QUOTE)
# Facilitator's choices: whether participants pick their own team, whether new cards stay private.
DEFAULT_OPTIONS = {"team_choice": True, "private_cards": False}
# What the projector shows: the whole Panorama, one domain (a row) or one zone (a cell or a free area).
# The projector's modes: the quote feed and who helps whom (marks.py, DISPLAY8) show the whole board's.
FOCUS_KINDS = ("overview", "row", "zone", "quotes", "exchange")
WHOLE_BOARD_FOCUS_KINDS = ("overview", "quotes", "exchange")  # a focus of these kinds takes no id
OVERVIEW = {"kind": "overview"}


def default_room():
    """A new board's room: open to edits and to new arrivals, nobody led to a view (LOCK1, DOOR1, FOLLOW1)."""
    return {"locked": False, "door_open": True, "follow": None}


def default_material():
    """A new board's material (material.py): no item, shown in no sequence until the format says."""
    return {"items": [], "sequences": []}


def default_publication():
    """A new board's synthesis: never published (edition 0: no link opens it, SYN2)."""
    return {"published": False, "include_names": False, "edition": 0}


def default_evaluation():
    """A board's evaluation before anyone answers (evaluation.py): idle, no answer."""
    return {"status": "idle", "answers": {}}


def default_details():
    """A board's details before its creation names them: no title, no date, no place (details.py)."""
    return {"title": "", "date": None, "place": ""}


def default_display():
    """A new board's projector: the join code in its corner, the whole Panorama."""
    return {"show_join": True, "focus": dict(OVERVIEW)}


@dataclass
class Participant:
    """Someone (or some screen) with a role on one board."""

    id: str
    name: str
    role: str
    team: str | None = None

    def to_dict(self):
        """Plain data for snapshots."""
        return {"id": self.id, "name": self.name, "role": self.role, "team": self.team}


@dataclass
class Team:
    """A group of participants that places and writes cards together."""

    id: str
    name: str
    colour: str
    domain: str | None = None

    def to_dict(self):
        """Plain data for snapshots."""
        return {"id": self.id, "name": self.name, "colour": self.colour, "domain": self.domain}


@dataclass
class Card:
    """A competence card or a post-it, somewhere in one zone.

    `parent` and `ratings` are there for formats that attach cards to cards
    (keywords, savoirs) and rate them on two axes.
    """

    id: str
    kind: str
    text: str
    zone: str
    x: float = 0.0
    y: float = 0.0
    z: int = 0
    description: str = ""
    author: str | None = None
    team: str | None = None
    colour: str | None = None
    domain: str | None = None  # a deck card's suggested Panorama row, from the format
    category: str | None = None  # a deck card's suggested Panorama column, from the format
    placed_by: str | None = None  # who took a deck card from the deck (CARD16); none in the deck
    parent: str | None = None  # a note's card (notes.py); None for a card of its own
    note_kind: str | None = None  # a note's kind, from the format's note_kinds (NOTE1)
    ratings: dict = field(default_factory=dict)  # {axis id: {rater: value}} (ratings.py)
    kept: bool = False  # kept by the facilitator: a key factor (ratings.py)
    private: bool = False  # written in private mode: only its team and the facilitator see it
    # Where a card carried from another board came from (chain.py, CHAIN3): that board's title, place and
    # date, the card's id there, its team's name or its speaker, its dots. None on a card made here.
    origin: dict | None = None
    marks: dict = field(default_factory=dict)  # mark id -> [participant ids] (marks.py, MARK3)
    speaker: str | None = None  # who said it: a speaker's name or "participant" (marks.py, MARK11)
    links: list = field(default_factory=list)  # ids of the cards this one points to, in link order (links.py)

    def to_dict(self):
        """Plain data for snapshots (`note_kind`, `origin`, `marks` and `speaker` only on a card that has them)."""
        data = {"id": self.id, "kind": self.kind, "text": self.text, "description": self.description,
                "zone": self.zone, "x": self.x, "y": self.y, "z": self.z, "author": self.author,
                "team": self.team, "colour": self.colour, "domain": self.domain,
                "category": self.category, "placed_by": self.placed_by, "parent": self.parent,
                "ratings": {axis: dict(values) for axis, values in self.ratings.items()}, "kept": self.kept,
                "private": self.private}
        if self.origin is not None:
            data["origin"] = dict(self.origin)
        # Only a card that has them carries marks and a speaker (formats with `marks`, `speakers`).
        if self.marks:
            data["marks"] = {mark: list(ids) for mark, ids in self.marks.items()}
        if self.speaker is not None:
            data["speaker"] = self.speaker
        if self.note_kind is not None:
            data["note_kind"] = self.note_kind
        if self.links:  # only a card that links to others carries them (LINK2)
            data["links"] = list(self.links)
        return data


@dataclass
class VoteState:
    """The dot vote on must-have cards ("incontournables"): settings, dots and results."""

    status: str = "idle"  # idle, open, closed
    mode: str = "participant"  # participant: each person votes; team: each team votes as one
    budget: int = 5  # dots per voter
    per_card: int = 2  # dots one voter may put on one card
    facilitator_votes: bool = False
    anonymous: bool = False  # the facilitator sees how many still vote, not who
    revealed: bool = False
    dots: dict = field(default_factory=dict)  # voter (participant or team id) -> {card id: dots}
    proxy: dict = field(default_factory=dict)  # the same shape: dots the facilitator entered for them
    results: dict | None = None  # totals and ranks, once revealed

    def used(self, voter):
        """Dots a voter has placed."""
        return sum(self.dots.get(voter, {}).values())

    def totals(self):
        """Dots per card, all voters together."""
        totals = {}
        for cards in self.dots.values():
            for card_id, count in cards.items():
                totals[card_id] = totals.get(card_id, 0) + count
        return {card_id: n for card_id, n in totals.items() if n}

    def to_dict(self):
        """Plain data for snapshots (visibility.py decides who may read the dots)."""
        return {"status": self.status, "mode": self.mode, "budget": self.budget, "per_card": self.per_card,
                "facilitator_votes": self.facilitator_votes, "anonymous": self.anonymous,
                "revealed": self.revealed,
                "dots": {voter: dict(cards) for voter, cards in self.dots.items()},
                "proxy": {voter: dict(cards) for voter, cards in self.proxy.items()},
                "results": copy.deepcopy(self.results)}


@dataclass
class Board:
    """One workshop board. `version` counts accepted changes since creation."""

    id: str
    format: object  # formats.Format
    zones: dict = field(default_factory=dict)
    cards: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    participants: dict = field(default_factory=dict)
    sequence: int = 0
    vote: VoteState = field(default_factory=VoteState)
    display: dict = field(default_factory=default_display)  # what the projector shows
    options: dict = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    room: dict = field(default_factory=default_room)  # the facilitator's lock, door and follow
    # Whether private cards were ever revealed: private mode left on after that is "still" on (PRIV4).
    cards_revealed: bool = False
    # The sequence's timer (timer.py): None, or {status, ends_at, remaining, duration, freeze}.
    timer: dict | None = None
    done: dict = field(default_factory=dict)  # who said done in this sequence (done.py): id -> unit
    anonymous: list = field(default_factory=list)  # the sequences (indexes) that name nobody (anonymity.py)
    # Texts, quotes and links for participants, and the sequences that show them (material.py).
    material: dict = field(default_factory=default_material)
    # The published synthesis (synthesis.py): {published, include_names, edition}; no secret in it.
    publication: dict = field(default_factory=default_publication)
    details: dict = field(default_factory=default_details)  # title, date (YYYY-MM-DD or None), place (DESK1)
    speakers: list = field(default_factory=list)  # speakers the facilitator added to the format's (MARK12)
    # The participants' answers to the format's evaluation (evaluation.py): {status, answers}.
    evaluation: dict = field(default_factory=default_evaluation)
    version: int = 0

    @property
    def current_sequence(self):
        """The Sequence the board is in."""
        return self.format.sequences[self.sequence]

    def top_z(self, zone_id):
        """The stacking order that puts a card above every other in a zone."""
        return 1 + max((c.z for c in self.cards.values() if c.zone == zone_id), default=0)

    def to_dict(self):
        """The full snapshot: format, zones, cards, teams, people, sequence, vote."""
        snapshot = {
            "id": self.id,
            "version": self.version,
            # A deep copy: a snapshot handed to a client or a test must not reach into the live format.
            "format": copy.deepcopy({k: v for k, v in self.format.document.items() if k != "deck"}),
            "zones": [z.to_dict() for z in self.zones.values()],
            "cards": [c.to_dict() for c in self.cards.values()],
            "teams": [t.to_dict() for t in self.teams.values()],
            "participants": [p.to_dict() for p in self.participants.values()],
            "sequence": self.sequence,
            "vote": self.vote.to_dict(),
            "display": copy.deepcopy(self.display),
            "options": dict(self.options),
            "cards_revealed": self.cards_revealed,
            "room": copy.deepcopy(self.room),
            "timer": copy.deepcopy(self.timer),
            "done": dict(self.done),
            "anonymous": list(self.anonymous),
            "material": copy.deepcopy(self.material),
            "publication": dict(self.publication),
            "details": dict(self.details),
            "speakers": list(self.speakers),
        }
        # Only a workshop with an evaluation has one in its snapshot (and its file): others read as before.
        if "evaluation" in self.format.document or self.evaluation != default_evaluation():
            snapshot["evaluation"] = copy.deepcopy(self.evaluation)
        return snapshot


def board_from_snapshot(snapshot):
    """Rebuild a Board from its snapshot (what a client holds after `welcome`)."""
    from .formats import Zone, load_format
    fmt = load_format({**snapshot["format"], "deck": []})
    vote = {k: v for k, v in snapshot["vote"].items() if k in VoteState.__dataclass_fields__}
    card_fields = Card.__dataclass_fields__
    return Board(
        id=snapshot["id"], format=fmt, version=snapshot["version"], sequence=snapshot["sequence"],
        zones={z["id"]: Zone(**z) for z in snapshot["zones"]},
        cards={c["id"]: Card(**{k: v for k, v in c.items() if k in card_fields}) for c in snapshot["cards"]},
        teams={t["id"]: Team(**t) for t in snapshot["teams"]},
        participants={p["id"]: Participant(**p) for p in snapshot["participants"]},
        vote=VoteState(**vote), display=copy.deepcopy(snapshot["display"]), options=dict(snapshot["options"]),
        cards_revealed=snapshot.get("cards_revealed", False),
        room=copy.deepcopy(snapshot.get("room", default_room())),
        timer=copy.deepcopy(snapshot.get("timer")), done=dict(snapshot.get("done") or {}),
        anonymous=list(snapshot.get("anonymous") or []),
        material=copy.deepcopy(snapshot.get("material") or default_material()),
        publication=dict(snapshot.get("publication") or default_publication()),
        details=dict(snapshot.get("details") or default_details()),
        speakers=list(snapshot.get("speakers") or []),
        evaluation=copy.deepcopy(snapshot.get("evaluation") or default_evaluation()))
