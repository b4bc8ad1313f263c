"""A room: the single writer of one board.

Commands for a board are applied one at a time, in arrival order. Commands
that arrive while a write is under way share the next commit; each is
acknowledged only once its event is durable, then broadcast.
"""
import logging
import threading
import time
from collections import deque

from .domain import Rejection, decide, evolve, replay
from .domain.visibility import event_for, snapshot_for, viewer_of
from .domain.errors import UNAVAILABLE

log = logging.getLogger(__name__)
HISTORY_SIZE = 1000  # events kept in memory for catch-up; older gaps get a snapshot


class _Ticket:
    """One submitted command waiting for its answer."""

    __slots__ = ("actor", "command", "command_id", "credential", "answer", "event")

    def __init__(self, actor, command, command_id, credential):
        self.actor, self.command, self.command_id, self.credential = actor, command, command_id, credential
        self.answer = None
        self.event = None


class Room:
    """Holds one board in memory and is the only path that changes it."""

    def __init__(self, board_id, store, publish=None, clock=time.time):
        self.board_id = board_id
        self.store = store
        self.publish = publish or (lambda event: None)
        self.clock = clock
        self._queue = deque()
        self._write_lock = threading.Lock()
        self._load()

    def _load(self):
        """(Re)build the board and its answers from the durable log."""
        events = self.store.load_events(self.board_id)
        self.board = replay(events)
        self._history = deque((e.to_dict() for e in events[-HISTORY_SIZE:]), maxlen=HISTORY_SIZE)
        # A resent command finds its first answer, also after a restart. Refusals are not kept: a
        # refused command changed nothing, so it is decided again when resent (docs/protocol.md).
        self._answers = {(e.actor, e.command_id): {"ok": True, "version": e.version}
                         for e in events if e.command_id}

    @property
    def version(self):
        """The version of the last durable change."""
        return self.board.version

    def submit(self, actor, command, command_id=None, credential=None):
        """Apply a command from `actor`; return the acknowledgement dict once durable."""
        ticket = _Ticket(actor, command, command_id, credential)
        self._queue.append(ticket)
        with self._write_lock:
            # Whoever holds the lock writes everything queued so far, so
            # commands that arrive during a commit share the next one.
            if ticket.answer is None:
                self._write_batch([self._queue.popleft() for _ in range(len(self._queue))])
        return ticket.answer

    def read(self, reader):
        """Run `reader(board, history)` while no write is under way."""
        with self._write_lock:
            return reader(self.board, self._history)

    def snapshot(self, viewer_id=None):
        """The state and its version, as member `viewer_id` may see it (all of it when None)."""
        def take(board, _):
            return board.to_dict() if viewer_id is None else snapshot_for(board, viewer_of(board, viewer_id))
        return self.read(take)

    def events_since(self, version, viewer_id=None):
        """Events after `version` as `viewer_id` may see them, or None when no longer kept."""
        def pick(board, history):
            if version >= board.version:
                return []
            if not history or history[0]["version"] > version + 1:
                return None
            missed = [e for e in history if e["version"] > version]
            if viewer_id is None:
                return missed
            viewer = viewer_of(board, viewer_id)
            return [event_for(board, e, viewer) for e in missed]
        return self.read(pick)

    def event_for(self, event, viewer_id):
        """One event as a member may see it (called while publishing, under the write lock)."""
        return event_for(self.board, event, viewer_of(self.board, viewer_id))

    def _write_batch(self, batch):
        accepted = []
        try:
            for ticket in batch:
                self._decide(ticket, accepted)
            if accepted:
                credentials = [t.credential for t in accepted if t.credential]
                self.store.append(self.board_id, [t.event for t in accepted], credentials)
        except Exception:  # a failed write or a bug: the log stays the truth
            log.exception("board %s: batch of %d failed, reloading from the store", self.board_id, len(batch))
            self._load()
            for ticket in batch:
                if ticket.event is not None or ticket.answer is None:
                    ticket.answer = Rejection(UNAVAILABLE, "The board could not save this change; "
                                                           "please try again.").to_dict()
            return
        for ticket in accepted:
            self._history.append(ticket.event.to_dict())
            self.publish(ticket.event)

    def _decide(self, ticket, accepted):
        """Answer a duplicate from memory, or decide and apply it in memory."""
        key = (ticket.actor, ticket.command_id)
        if ticket.command_id is not None:
            earlier = self._answers.get(key)
            if earlier is not None:
                ticket.answer = earlier
                return
        outcome = decide(self.board, ticket.actor, ticket.command, round(self.clock(), 3), ticket.command_id)
        if isinstance(outcome, Rejection):
            ticket.answer = outcome.to_dict()
            return
        evolve(self.board, outcome)
        ticket.event = outcome
        ticket.answer = {"ok": True, "version": outcome.version}
        if ticket.command_id is not None:
            self._answers[key] = ticket.answer
        accepted.append(ticket)
