"""A room: the single writer of one board.

Commands for a board are applied one at a time, in arrival order. Commands
that arrive while a write is under way share the next commit; each is
acknowledged only once its event is durable, then broadcast.

Two boards live here: the working one, where commands are decided and which
may hold changes not yet durable, and the committed one, which the same events
reach only after their commit. Readers (snapshots, catch-up, pages, the
welcome of a new socket) see the committed one and never wait for a commit.
"""
import copy
import logging
import threading
import time
from collections import deque

from .domain import Rejection, decide, evolve, replay
from .domain.visibility import event_for, snapshot_for, viewer_of
from .domain.errors import NOT_FOUND, UNAVAILABLE
from .domain.privacy import redact, redaction_for
from .store import StoreError, VersionConflict

log = logging.getLogger(__name__)
HISTORY_SIZE = 1000  # events kept in memory for catch-up; older gaps get a snapshot


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
        # Held by the one writer through decide, commit and broadcast.
        self._write_lock = threading.Lock()
        # Held only to read the committed board or to move it on, never across a disk write.
        self._read_lock = threading.Lock()
        self.closed = False  # deleted: every later command is refused, nothing is written
        self._load()

    def _load(self):
        """(Re)build the board and its answers from the durable log."""
        events = self.store.load_events(self.board_id)
        with self._read_lock:
            self._working = replay(events)
            self._committed = replay(events)
            self._history = deque((e.to_dict() for e in events[-HISTORY_SIZE:]), maxlen=HISTORY_SIZE)
        # A resent command finds its first answer, also after a restart. Refusals are not kept: a
        # refused command changed nothing, so it is decided again when resent (docs/protocol.md).
        self._answers = {(e.actor, e.command_id): {"ok": True, "version": e.version}
                         for e in events if e.command_id}

    @property
    def board(self):
        """The board as last committed: never shows a change that is not durable yet."""
        return self._committed

    @property
    def version(self):
        """The version of the last durable change."""
        return self._committed.version

    def submit(self, actor, command, command_id=None, credential=None):
        """Apply a command from `actor`; return the acknowledgement dict once durable."""
        if self.store.read_only:  # refused before deciding: nothing could be kept
            return Rejection(UNAVAILABLE, f"The database is read-only ({self.store.read_only}): "
                                          "this workshop can be seen, not changed.").to_dict()
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
        """Run `reader(board, history)` on the last committed state; a commit under way is not waited for."""
        with self._read_lock:
            return reader(self._committed, self._history)

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
            if viewer_id is not None and any(e["type"] == "board_restored" for e in missed):
                return None  # a restore carries every secret of the board: a member gets a snapshot instead
            if viewer_id is None:
                return missed
            viewer = viewer_of(board, viewer_id)
            return [event_for(board, e, viewer) for e in missed]
        return self.read(pick)

    def event_for(self, event, viewer_id):
        """One event as a member may see it (called while publishing, after its commit)."""
        return self.read(lambda board, _: event_for(board, event, viewer_of(board, viewer_id)))

    def _write_batch(self, batch):
        """Decide and commit a batch. When its commit fails, its commands are stored one at a time,
        so only one that cannot be stored is refused, never the batch-mates that shared its commit."""
        if self.closed:
            for ticket in batch:
                ticket.answer = Rejection(NOT_FOUND, "This workshop was deleted.").to_dict()
            return
        error = self._commit(batch)
        if error is None:
            return
        if len(batch) == 1:
            self._refuse_unstored(batch[0], error)
            return
        log.debug("board %s: a commit of %d commands failed (%s); storing them one at a time",
                  self.board_id, len(batch), error)
        for ticket in batch:
            ticket.answer = ticket.event = None
            error = self._commit([ticket])
            if error is not None:
                self._refuse_unstored(ticket, error)

    def _commit(self, batch):
        """Decide `batch` on the working board and make it durable, then let readers and the room see
        it. Returns None, or the error after putting the working board back to the committed one."""
        rewrites = []
        try:
            for ticket in batch:
                self._decide(ticket)
            accepted = [t for t in batch if t.event is not None]
            if accepted:
                credentials = [t.credential for t in accepted if t.credential]
                rewrites = [t.redaction for t in accepted if t.redaction]
                self.store.append(self.board_id, [t.event for t in accepted], credentials, rewrites)
        except Exception as error:  # a failed write or a bug: the durable state stays the truth
            self._undo(batch, error)
            return error
        with self._read_lock:
            for ticket in accepted:
                evolve(self._committed, ticket.event)
                self._history.append(ticket.event.to_dict())
            for redaction in rewrites:  # what the log forgot, a reconnecting page's catch-up must not bring back
                self._history = deque(redact(self._history, redaction), maxlen=HISTORY_SIZE)
        for ticket in accepted:
            self.publish(ticket.event)
        return None

    def _undo(self, batch, error):
        """Forget the batch's undurable changes: the working board becomes the committed one again."""
        if isinstance(error, VersionConflict):
            self._load()  # another writer's events are in the log: follow them
            return
        # No disk read: the disk may be what failed.
        self._working = copy.deepcopy(self._committed)
        for ticket in batch:
            if ticket.event is not None:
                self._answers.pop((ticket.actor, ticket.command_id), None)

    def _refuse_unstored(self, ticket, error):
        """The answer (and the one log line) for a command whose own commit failed."""
        kind = getattr(ticket.command, "type", type(ticket.command).__name__)
        if isinstance(error, StoreError):
            log.warning("board %s: %s from %s not stored, %s (%s)", self.board_id, kind, ticket.actor,
                        error.reason, error)
            message = f"The board could not save this change: {error.reason}. Nothing was changed; " \
                      "please try again in a moment."
        else:  # a bug: its traceback is worth the lines
            log.error("board %s: %s from %s failed", self.board_id, kind, ticket.actor, exc_info=error)
            message = "The board could not save this change; please try again."
        ticket.event = None
        ticket.answer = Rejection(UNAVAILABLE, message).to_dict()

    def _decide(self, ticket):
        """Answer a duplicate from memory, or decide and apply it to the working board."""
        key = (ticket.actor, ticket.command_id)
        if ticket.command_id is not None:
            earlier = self._answers.get(key)
            if earlier is not None:
                ticket.answer = earlier
                return
        outcome = decide(self._working, ticket.actor, ticket.command, round(self.clock(), 3), ticket.command_id)
        if isinstance(outcome, Rejection):
            ticket.answer = outcome.to_dict()
            return
        ticket.redaction = redaction_for(outcome)
        evolve(self._working, outcome)
        ticket.event = outcome
        ticket.answer = {"ok": True, "version": outcome.version}
        if ticket.command_id is not None:
            self._answers[key] = ticket.answer
