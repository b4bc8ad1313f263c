"""Workshops: the rooms of every board, and how people get into them.

Creating a board, joining with a code and opening a token all end in a
room; every change still goes through that room's single writer.
"""
import threading

from .domain import InvalidCommand, FACILITATOR, PARTICIPANT, PROJECTOR, SYSTEM, Rejection, decide, read_format
from .domain.commands import CreateBoard, Join
from .domain.errors import NOT_FOUND
from .domain.teams import NameTaken
from .room import Room
from .store import Credential
from .tokens import new_id, new_join_code, new_token, normalise_join_code, projector_token_for, token_hash


class Workshops:
    """Every board of this server process, each behind its own Room."""

    def __init__(self, store, publish=None, clock=None):
        self.store = store
        self._publish = publish or (lambda board_id, event: None)
        self._clock = clock
        self._rooms = {}
        self._create_lock = threading.Lock()
        for board_id in store.board_ids():
            self._rooms[board_id] = self._room(board_id)

    def _room(self, board_id):
        publish = lambda event: self._publish(board_id, event)  # noqa: E731
        kwargs = {"clock": self._clock} if self._clock else {}
        return Room(board_id, self.store, publish, **kwargs)

    def room(self, board_id):
        """The Room of a board, or None."""
        return self._rooms.get(board_id)

    def board_ids(self):
        """Ids of every loaded board."""
        return list(self._rooms)

    def create(self, format_name, facilitator_name="Animateur"):
        """Create a board from a packaged format; return its links' secrets and code."""
        fmt = read_format(format_name)
        board_id, facilitator_id, projector_id = new_id("b"), new_id("f"), new_id("s")
        command = CreateBoard(board_id=board_id, format=fmt.document, facilitator_id=facilitator_id,
                              facilitator_name=facilitator_name, projector_id=projector_id)
        event = decide(None, SYSTEM, command, self._now())
        admin_token, credentials = self._link_pair(board_id, facilitator_id, projector_id)
        with self._create_lock:
            join_code = self._unused_join_code()
            self.store.create_board(board_id, fmt.id, join_code, event, credentials)
            self._rooms[board_id] = self._room(board_id)
        return self.links_info(board_id, join_code, admin_token, facilitator_id)

    def new_links(self, board_id):
        """Mint a fresh admin token (and its projector token) for an existing board."""
        board = self._rooms[board_id].board
        facilitator_id = next(p.id for p in board.participants.values() if p.role == FACILITATOR)
        projector_id = next(p.id for p in board.participants.values() if p.role == PROJECTOR)
        admin_token, credentials = self._link_pair(board_id, facilitator_id, projector_id)
        self.store.add_credentials(credentials)
        return self.links_info(board_id, self.join_code(board_id), admin_token, facilitator_id)

    @staticmethod
    def links_info(board_id, join_code, admin_token, facilitator_id):
        """What the facilitator's links are made of; the projector token follows from the admin one."""
        return {"board_id": board_id, "join_code": join_code, "admin_token": admin_token,
                "projector_token": projector_token_for(admin_token), "facilitator_id": facilitator_id}

    @staticmethod
    def _link_pair(board_id, facilitator_id, projector_id):
        admin_token = new_token()
        return admin_token, [
            Credential(token_hash(admin_token), board_id, facilitator_id, FACILITATOR),
            Credential(token_hash(projector_token_for(admin_token)), board_id, projector_id, PROJECTOR)]

    def join(self, join_code, name):
        """Admit a participant by join code: their token, or a Rejection."""
        board_id = self.store.board_by_code(normalise_join_code(join_code))
        if board_id is None:
            return Rejection(NOT_FOUND, "No workshop has this code.")
        participant_id, token = new_id("p"), new_token()
        try:
            command = Join(participant_id=participant_id, name=name, role=PARTICIPANT)
        except InvalidCommand as error:
            return error.rejection
        credential = Credential(token_hash(token), board_id, participant_id, PARTICIPANT)
        answer = self._rooms[board_id].submit(SYSTEM, command, credential=credential)
        if not answer["ok"]:
            if "suggestion" in answer:  # the name is someone else's here: offer a free one
                return NameTaken(answer["code"], answer["message"], answer["suggestion"])
            return Rejection(answer["code"], answer["message"])
        return {"board_id": board_id, "participant_id": participant_id, "token": token}

    def open(self, token):
        """The Credential a token opens (and whose board is loaded), or None."""
        if not isinstance(token, str) or not 16 <= len(token) <= 128:
            return None
        credential = self.store.credential(token_hash(token))
        if credential is None or credential.board_id not in self._rooms:
            return None
        # A participant the facilitator removed is no member any more: their token opens nothing.
        # The removal is an event in the log, so this holds after a restart too.
        if credential.participant_id not in self._rooms[credential.board_id].board.participants:
            return None
        return credential

    def door_open(self, join_code):
        """Whether the board with this join code lets new arrivals in; None when no board has it."""
        board_id = self.store.board_by_code(normalise_join_code(join_code)) if isinstance(join_code, str) else None
        room = self._rooms.get(board_id) if board_id else None
        return None if room is None else room.read(lambda board, _: board.room["door_open"])

    def join_code(self, board_id):
        """The join code of a board."""
        return self.store.join_code(board_id)

    def _unused_join_code(self):
        while True:
            code = new_join_code()
            if self.store.board_by_code(code) is None:
                return code

    def _now(self):
        import time
        return round((self._clock or time.time)(), 3)
