"""A room: the single writer of one board.

Commands for a board are applied one at a time, in arrival order. Commands
that arrive while a write is under way share the next commit; each is
acknowledged as soon as its event is durable. The broadcast comes after, outside
the write lock: each commit's events wait in an ordered outbox until every
sender of that commit has been answered, and one publisher at a time sends them
on, strictly in version order. So an acknowledgement never waits for the room's
sockets, and a sender hears its answer before the broadcast of its change. A
socket's command comes with a `reply`: the writer of its batch sends the answers
itself right after the commit and broadcasts at once, taking along the commands
that came meanwhile (`submit`).

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
from .store import LeaseLost, StoreError, VersionConflict

log = logging.getLogger(__name__)
HISTORY_SIZE = 1000  # events kept in memory for catch-up; older gaps get a snapshot
MOVED = "Another server took this workshop over: nothing was changed here; reconnecting brings you there."

# Turns of the server's loop an idle room waits at most for the commands read with its first one. A
# frame read in one turn is handled in the next (its handler is a new green thread), so at least two.
GATHER_TURNS = 4
# Commits one writer makes back to back, for the commands that came during the one before, before it
# broadcasts them all: each delays the first commit's broadcast by a commit (about 1 ms), and saves
# the later ones a broadcast to every socket; bounded, so a busy room still broadcasts.
LATE_ROUNDS = 3


def _let_others_in():
    """Yield to the other green threads once (for plain threads, the interpreter's lock only):
    eventlet and gevent patch time.sleep, so sleep(0) is one turn of their loop."""
    time.sleep(0)


class _Ticket:
    """One submitted command waiting for its answer."""

    __slots__ = ("actor", "command", "command_id", "credential", "reply", "answer", "event", "redaction", "gate")

    def __init__(self, actor, command, command_id, credential, reply):
        self.actor, self.command, self.command_id, self.credential = actor, command, command_id, credential
        self.reply = reply  # sends the answer to its sender, called by whoever writes its batch (or None)
        self.answer = None
        self.event = None
        self.redaction = None  # what the event erases from the log before it (privacy.py)
        self.gate = None  # the _Gate of the batch it was written in


class _Gate:
    """The senders of one write batch not answered yet: its commits' broadcast waits for all of them."""

    __slots__ = ("unanswered",)

    def __init__(self, count):
        self.unanswered = count


class _Outgoing:
    """The events of one commit, waiting in the outbox for their broadcast."""

    __slots__ = ("events", "gate")

    def __init__(self, events, gate):
        self.events, self.gate = events, gate

    def ready(self):
        return self.gate.unanswered == 0


class Room:
    """Holds one board in memory and is the only path that changes it."""

    def __init__(self, board_id, store, publish=None, clock=time.time, after_answer=None, committed=None,
                 lost=None):
        """`publish(events)` broadcasts the events of one or more commits (called in version order, one call at
        a time, outside the write lock). `after_answer(fn)` runs `fn` once the answer `submit` is about
        to return has gone out to its sender (the socket layer knows when; by default at once).
        `committed(events)` is told of each commit as soon as readers see it, before any answer.
        `lost()` is told when the store refused a write because this process no longer holds the
        board's lease (LeaseLost, a shared store only): the room refuses every command after it."""
        self.board_id = board_id
        self.store = store
        self.publish = publish or (lambda events: None)
        self.clock = clock
        self._after_answer = after_answer or (lambda fn: fn())
        self._committed_hook = committed or (lambda events: None)
        self._queue = deque()
        # Held by the one writer through decide and commit (never through a broadcast).
        self._write_lock = threading.Lock()
        # Held only to read the committed board or to move it on, never across a disk write.
        self._read_lock = threading.Lock()
        # Committed events waiting for their broadcast, in version order (appended under the write lock).
        self._outbox = deque()
        self._outbox_lock = threading.Lock()  # the outbox and the gates' counts, held only for a moment
        self._publish_lock = threading.Lock()  # held by the one publisher at work (see `_drain`)
        self.closed = False  # deleted: every later command is refused, nothing is written
        self.lost = False  # another process took the board over: every later command is refused
        self._lost_hook = lost or (lambda: None)
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

    def submit(self, actor, command, command_id=None, credential=None, reply=None):
        """Apply a command from `actor`; return the acknowledgement dict once durable.

        `reply(answer)`, when given, sends the answer to its sender there and then (a socket's
        acknowledgement). Whoever writes the batch holding the command calls it right after the
        commit, for every sender of the batch, then broadcasts the batch itself: no turn of the
        server's loop between the commit, the answers and the broadcast (docs/performance.md).
        Without it, the broadcast waits for `after_answer`, as for an HTTP join."""
        if self.store.read_only:  # refused before deciding: nothing could be kept
            return Rejection(UNAVAILABLE, f"The database is read-only ({self.store.read_only}): "
                                          "this workshop can be seen, not changed.").to_dict()
        ticket = _Ticket(actor, command, command_id, credential, reply)
        self._queue.append(ticket)
        idle = not self._write_lock.locked()
        written, answered = [], 0  # the commands this call wrote, and how many of them are answered
        try:
            with self._write_lock:
                # Whoever holds the lock writes everything queued so far, so
                # commands that arrive during a commit share the next one.
                if ticket.answer is None:
                    written = [self._queue.popleft() for _ in range(len(self._queue))]
                    self._write_batch(written, gather=idle)  # `written` grows by what it gathers
                    for _ in range(LATE_ROUNDS):
                        if not self._queue or not any(t.reply is not None for t in written):
                            break
                        # Commands that came during the commit (people dropping together whose frames
                        # were read a little late): what is written is answered now, they are written
                        # too, and all go out in one broadcast instead of each batch waiting for the
                        # broadcast of the one before to every socket (docs/performance.md).
                        self._reply(written[answered:], broadcast=False)
                        answered = len(written)
                        late = [self._queue.popleft() for _ in range(len(self._queue))]
                        written.extend(late)
                        self._write_batch(late)
        finally:
            # Even when writing failed: a gate left waiting would hold every later broadcast.
            self._reply(written[answered:])
            if reply is None:
                self._after_answer(lambda: self._answered(ticket))
        return ticket.answer

    def _reply(self, batch, broadcast=True):
        """Send the answers of a batch just written to the senders who gave a `reply`, then (with
        `broadcast`) let its broadcast go if nobody else is waited for."""
        replied = [ticket for ticket in batch if ticket.reply is not None]
        for ticket in replied:
            if ticket.answer is not None:  # None: writing failed with a bug; the sender's own call raises
                try:
                    ticket.reply(ticket.answer)
                except Exception:  # one broken socket must not keep the others' answers or the broadcast
                    log.exception("board %s: an answer could not be sent", self.board_id)
        if replied:
            with self._outbox_lock:
                for ticket in replied:
                    if ticket.gate is not None:
                        ticket.gate.unanswered -= 1
            if broadcast:
                self._drain()

    def _gather(self):
        """On an idle room, once its first command is decided and accepted, let the server turn a few
        times (holding the write lock) before writing:
        commands read in the same instant (people dropping together, their frames read over two or
        three turns of the loop) then share one commit and one broadcast, instead of the first going
        alone and the rest waiting for its commit and for its broadcast to every socket
        (docs/performance.md, "Drop latency, stage by stage"). A lone command costs two turns.
        Returns the commands queued meanwhile, taken off the queue."""
        for turn in range(GATHER_TURNS):
            queued = len(self._queue)
            _let_others_in()
            if turn >= 1 and len(self._queue) == queued:
                break
        return [self._queue.popleft() for _ in range(len(self._queue))]

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

    def _write_batch(self, batch, gather=False):
        """Decide and commit a batch. When its commit fails, its commands are stored one at a time,
        so only one that cannot be stored is refused, never the batch-mates that shared its commit."""
        if self.closed:
            for ticket in batch:
                ticket.answer = Rejection(NOT_FOUND, "This workshop was deleted.").to_dict()
            return
        if self.lost:
            for ticket in batch:
                ticket.answer = Rejection(UNAVAILABLE, MOVED).to_dict()
            return
        gate = _Gate(len(batch))
        for ticket in batch:
            ticket.gate = gate
        error = self._commit(batch, gather)  # may add to `batch` what it gathered
        if error is None:
            return
        if isinstance(error, LeaseLost):  # no use trying one at a time: nothing of this board is ours now
            log.warning("board %s: %s; dropping it here (%s)", self.board_id, error.reason, error)
            self.lost = True
            for ticket in batch:
                ticket.event = None
                ticket.answer = Rejection(UNAVAILABLE, MOVED).to_dict()
            self._lost_hook()
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

    def _commit(self, batch, gather=False):
        """Decide `batch` on the working board and make it durable, then let readers and the room see
        it. Returns None, or the error after putting the working board back to the committed one.
        With `gather`, once something of it is accepted, the commands that come meanwhile are added
        to `batch` (see `_gather`); a batch refused whole is answered at once, as before."""
        rewrites = []
        try:
            for ticket in batch:
                self._decide(ticket)
            if gather and any(t.event is not None for t in batch):
                more = self._gather()
                with self._outbox_lock:  # nobody of this batch is answered yet: its gate just grows
                    batch[0].gate.unanswered += len(more)
                batch.extend(more)  # before deciding them: an error undoes and answers them with the rest
                for ticket in more:
                    ticket.gate = batch[0].gate
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
        if accepted:
            events = [ticket.event for ticket in accepted]
            self._committed_hook(events)
            with self._outbox_lock:  # under the write lock too: the outbox is in version order
                self._outbox.append(_Outgoing(events, accepted[0].gate))
        return None

    def _answered(self, ticket):
        """A sender has its answer: when it was the last of its batch, the broadcast may go on."""
        gate = ticket.gate
        if gate is None:  # refused before any write (a deleted board, a read-only store)
            return
        with self._outbox_lock:
            gate.unanswered -= 1
        self._drain()

    def _drain(self):
        """Broadcast the outbox's ready commits, oldest first, by one publisher at a time; the commits
        ready together go out in one broadcast (one frame per socket), their events in version order.

        A caller that finds another publisher at work leaves: that one takes whatever is ready.
        The publisher looks again after letting go of its lock, so a commit made ready just as it
        stopped is not left waiting for the next one (no lost wake-up)."""
        while True:
            if not self._publish_lock.acquire(blocking=False):
                return
            try:
                while True:
                    events = []
                    with self._outbox_lock:
                        while self._outbox and self._outbox[0].ready():
                            events.extend(self._outbox.popleft().events)
                    if not events:
                        break
                    try:
                        self.publish(events)
                    except Exception:  # a bug in a broadcast must not stop the ones after it
                        log.exception("board %s: a broadcast failed", self.board_id)
            finally:
                self._publish_lock.release()
            with self._outbox_lock:
                if not self._outbox or not self._outbox[0].ready():
                    return

    def _undo(self, batch, error):
        """Forget the batch's undurable changes: the working board becomes the committed one again."""
        if isinstance(error, VersionConflict) and not isinstance(error, LeaseLost):
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
