"""Small builders for domain-core tests: boards in memory, through decide and evolve only.

A `Workshop` holds one board and the log of its accepted events. Every
command goes the way the server sends it: `parse_command`, then `decide`,
then (when accepted) `evolve`; watched members get each event through
`event_for`, as the server publishes it. Nothing here touches Flask, sockets or SQLite.
"""
import copy
import json

from board.domain import PARTICIPANT, SYSTEM, InvalidCommand, Rejection, decide, evolve, parse_command, read_format
from board.domain.decide import Event
from board.domain.visibility import event_for, snapshot_for, viewer_of

FORMAT_NAME = "atelier-competences"
FACILITATOR_ID = "fac"
PROJECTOR_ID = "proj"
NOW = 1_700_000_000.0


def packaged_document():
    """A private copy of the packaged Atelier Compétences format document."""
    return copy.deepcopy(read_format(FORMAT_NAME).document)


def minimal_document():
    """A small valid format: two rows, one column, a deck of two cards and two sequences."""
    return {
        "id": "mini",
        "name": {"fr": "Mini", "en": "Mini"},
        "panorama": {
            "rows": [{"id": "r1", "label": {"fr": "Ligne 1", "en": "Row 1"}},
                     {"id": "r2", "label": {"fr": "Ligne 2", "en": "Row 2"}}],
            "columns": [{"id": "c1", "label": {"fr": "Colonne", "en": "Column"}}],
        },
        "areas": [{"id": "deck", "kind": "deck", "label": {"fr": "Pioche", "en": "Deck"}},
                  {"id": "free", "kind": "free", "label": {"fr": "Libre", "en": "Free"}}],
        "sequences": [
            {"id": "s1", "name": {"fr": "Lire", "en": "Read"},
             "instruction": {"fr": "Lisez.", "en": "Read."}, "allows": []},
            {"id": "s2", "name": {"fr": "Agir", "en": "Act"},
             "instruction": {"fr": "Agissez.", "en": "Act."},
             "allows": ["join_team", "move_card", "create_card", "edit_card", "delete_card"]},
        ],
        "definitions": [{"term": {"fr": "Mot", "en": "Word"}, "text": {"fr": "Sens.", "en": "Meaning."}}],
        "deck": [{"id": "k1", "text": "Premier", "description": "Un", "domain": "r1", "category": "c1"},
                 {"id": "k2", "text": "Second"}],
    }


def create_board_command(document=None, board_id="b1"):
    """The create_board command the server sends for a new board."""
    return parse_command("create_board", {
        "board_id": board_id, "format": packaged_document() if document is None else document,
        "facilitator_id": FACILITATOR_ID, "facilitator_name": "Camille", "projector_id": PROJECTOR_ID})


class Workshop:
    """One board built in memory, and the accepted events that built it."""

    def __init__(self, document=None, board_id="b1"):
        event = decide(None, SYSTEM, create_board_command(document, board_id), NOW)
        assert isinstance(event, Event), event
        self.board = evolve(None, event)
        self.events = [event]
        self.inbox = {}  # member id -> the events they received since watch()

    # -- sending

    def send(self, actor, kind, /, **payload):
        """Parse, decide and (when accepted) apply one command: the Event or the Rejection."""
        try:
            command = parse_command(kind, payload)
        except InvalidCommand as error:
            return error.rejection
        # A command id that names its sender, as the browser makes them (static/js/connection.js).
        outcome = decide(self.board, actor, command, NOW + len(self.events), f"{actor}.{len(self.events)}")
        if isinstance(outcome, Event):
            self.board = evolve(self.board, outcome)
            self.events.append(outcome)
            for viewer_id, inbox in self.inbox.items():
                # Published after the change, to each member as they may see it (board/sockets.py).
                inbox.append(event_for(self.board, outcome.to_dict(), viewer_of(self.board, viewer_id)))
        return outcome

    def accept(self, actor, kind, /, **payload):
        """Send a command that must be accepted; return its event."""
        version = self.board.version
        outcome = self.send(actor, kind, **payload)
        assert isinstance(outcome, Event), f"{kind} from {actor} refused: {outcome}"
        assert outcome.version == version + 1 == self.board.version
        return outcome

    def refuse(self, actor, kind, /, **payload):
        """Send a command that must be refused; check the board is untouched; return the Rejection."""
        before = copy.deepcopy(self.board.to_dict())
        count = len(self.events)
        outcome = self.send(actor, kind, **payload)
        assert isinstance(outcome, Rejection), f"{kind} from {actor} accepted: {outcome}"
        assert outcome.message
        assert self.board.to_dict() == before
        assert len(self.events) == count
        return outcome

    # -- what members see

    def watch(self, *viewer_ids):
        """From now on, keep every event these members receive."""
        for viewer_id in viewer_ids:
            self.inbox.setdefault(viewer_id, [])

    def sees(self, viewer_id):
        """The snapshot a member receives now."""
        return snapshot_for(self.board, viewer_of(self.board, viewer_id))

    def catch_up(self, viewer_id):
        """Every event since the board's creation, as a member reconnecting now receives them."""
        viewer = viewer_of(self.board, viewer_id)
        return [event_for(self.board, e.to_dict(), viewer) for e in self.events]

    def everything(self, viewer_id):
        """All a member got, as the JSON text that went over the wire: snapshot, live events, catch-up."""
        messages = [self.sees(viewer_id), self.inbox.get(viewer_id, []), self.catch_up(viewer_id)]
        return json.dumps(messages, ensure_ascii=False)

    # -- shortcuts

    def join(self, participant_id, role=PARTICIPANT, name=None):
        """Admit a member (as the server does) and return their id."""
        self.accept(SYSTEM, "join", participant_id=participant_id, name=name or participant_id, role=role)
        return participant_id

    def team(self, name, colour="#aa0000", domain=None):
        """Create a team as the facilitator and return its id."""
        return self.accept(FACILITATOR_ID, "create_team", name=name, colour=colour, domain=domain).data["id"]

    def put_in_team(self, participant_id, team_id):
        """The facilitator places a participant in a team (never gated)."""
        self.accept(FACILITATOR_ID, "join_team", participant_id=participant_id, team_id=team_id)

    def go_to(self, sequence_id):
        """The facilitator moves the workshop to the sequence with this id."""
        index = [s.id for s in self.board.format.sequences].index(sequence_id)
        if index != self.board.sequence:
            self.accept(FACILITATOR_ID, "set_sequence", index=index)

    def card(self, card_id):
        """A card's snapshot, or None when it is not on the board."""
        return next((c for c in self.board.to_dict()["cards"] if c["id"] == card_id), None)

    def cards_in(self, zone_id):
        """Snapshots of the cards in one zone."""
        return [c for c in self.board.to_dict()["cards"] if c["zone"] == zone_id]

    def member(self, participant_id):
        """A member's snapshot, or None."""
        return next((p for p in self.board.to_dict()["participants"] if p["id"] == participant_id), None)
