"""A room: the single writer of one board.

Commands for a board are applied one at a time, in arrival order. Commands
that arrive while a write is under way share the next commit; each is
acknowledged only once its event is durable, then broadcast.
"""
import logging
import threading
import time
from collections import OrderedDict, deque

from .domain import Rejection, decide, evolve, replay
from .domain.visibility import event_for, snapshot_for, viewer_of
from .domain.errors import NOT_FOUND, UNAVAILABLE
from .domain.privacy import redact, redaction_for

log = logging.getLogger(__name__)
HISTORY_SIZE = 1000  # events kept in memory for catch-up; older gaps get a snapshot
REMEMBERED_REJECTIONS = 5000


class _Ticket:
    """One submitted command waiting for its answer."""

    __slots__ = ("actor", "command", "command_id", "credential", "answer", "event", "redaction")

    def __init__(self, actor, command, command_id, credential):
        self.actor, self.command, self.command_id, self.credential = actor, command, command_id, credential
        self.answer = None
        self.event = None
        self.redaction = None  # what the event erases from the log before it (privacy.py)


class Room:
    """Holds one board in memory and is the only path that changes it."""

    def __init__(self, board_id, store, publish=None, clock=time.time):
        self.board_id = board_id
        self.store = store
        self.publish = publish or (lambda event: None)
        self.clock = clock
        self._queue = deque()
        self._write_lock = threading.Lock()
        self.closed = False  # deleted: every later command is refused, nothing is written
        self._load()

    def _load(self):
        """(Re)build the board and its answers from the durable log."""
        events = self.store.load_events(self.board_id)
        self.board = replay(events)
        self._history = deque((e.to_dict() for e in events[-HISTORY_SIZE:]), maxlen=HISTORY_SIZE)
        # A resent command finds its first answer, also after a restart.
        self._answers = {(e.actor, e.command_id): {"ok": True, "version": e.version}
                         for e in events if e.command_id}
        self._rejections = OrderedDict()

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

    def close(self, erase):
        """Stop this room for good: wait for the write under way, run `erase` (deleting the board
        from the store), and refuse every command after it. If `erase` raises, nothing changes."""
        with self._write_lock:
            result = erase()  # if it fails, the room stays open: nothing was deleted
            self.closed = True
            return result

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
        if self.closed:
            for ticket in batch:
                ticket.answer = Rejection(NOT_FOUND, "This workshop was deleted.").to_dict()
            return
        accepted, rewrites = [], []
        try:
            for ticket in batch:
                self._decide(ticket, accepted)
            if accepted:
                credentials = [t.credential for t in accepted if t.credential]
                rewrites = [t.redaction for t in accepted if t.redaction]
                self.store.append(self.board_id, [t.event for t in accepted], credentials, rewrites)
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
        for redaction in rewrites:  # what the log forgot, a reconnecting page's catch-up must not bring back
            self._history = deque(redact(self._history, redaction), maxlen=HISTORY_SIZE)
        for ticket in accepted:
            self.publish(ticket.event)

    def _decide(self, ticket, accepted):
        """Answer a duplicate from memory, or decide and apply it in memory."""
        key = (ticket.actor, ticket.command_id)
        if ticket.command_id is not None:
            earlier = self._answers.get(key) or self._rejections.get(key)
            if earlier is not None:
                ticket.answer = earlier
                return
        outcome = decide(self.board, ticket.actor, ticket.command, round(self.clock(), 3), ticket.command_id)
        if isinstance(outcome, Rejection):
            ticket.answer = outcome.to_dict()
            if ticket.command_id is not None:
                self._remember_rejection(key, ticket.answer)
            return
        ticket.redaction = redaction_for(outcome)
        evolve(self.board, outcome)
        ticket.event = outcome
        ticket.answer = {"ok": True, "version": outcome.version}
        if ticket.command_id is not None:
            self._answers[key] = ticket.answer
        accepted.append(ticket)

    def _remember_rejection(self, key, answer):
        self._rejections[key] = answer
        if len(self._rejections) > REMEMBERED_REJECTIONS:
            self._rejections.popitem(last=False)
