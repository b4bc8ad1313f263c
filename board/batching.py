"""Batching of the ephemeral channel: one frame per board per tick, carrying every position that changed.

A stream is what one socket moves: its drag of one card, or its pointer. Each stream keeps only its
latest position; a board sends what its streams hold as one frame (one list) to all its sockets at
once, at most once per tick, instead of one frame per position per socket. Sending is what costs:
relayed one by one, 10 people dragging at 30 Hz on a board of 200 sockets are 300 x 199 = 59,700
frames (and system calls) a second; batched at TICK, at most 200 / 0.010 = 20,000, fewer when
fewer ticks have news, each frame carrying a few positions.

Pure bookkeeping, no I/O: the socket layer sends the frames it is handed and sleeps as long as it
is told to, with one flush at most waiting per board.
"""
import math
import threading
import time

# How often a board may send a frame of positions. A position waits at most one tick (when a
# frame went out less than TICK ago), on average half of one while people drag: 10 ms leaves room,
# under issue 13's 13 ms p99 on 200 sockets, for the few milliseconds the fan-out of one frame to
# 200 sockets takes. At most 100 frames a second per socket, however many drag
# (a 30 Hz relay sends 30 per dragger: 300 with 10 dragging), while a lone drag at 30 Hz still
# finds the board's tick due and goes after GATHER only.
TICK = 0.010
# A bigger room ticks slower, so that what one board sends stays within what one core can write:
# each frame is one send() per socket, 25-40 us each under eventlet here (py-spy: the sockets'
# writers are half the server's time in the plenary of 500). 20,000 a second keeps 10 ms up to 200
# sockets and gives 25 ms at 500 (50,000 sends a second at 10 ms, more than the core has), which
# still fits the 50 ms a plenary's drag may take.
SENDS_PER_SECOND = 20_000


def tick_for(sockets):
    """The tick of a board with `sockets` sockets: TICK, longer when the room is large."""
    return max(TICK, sockets / SENDS_PER_SECOND)


# A board quiet for a tick waits this long before its first frame: positions sent at about the same
# instant (several people's, or what a network hiccup held back) are read by the server over a
# millisecond or two; sent at once, the first would go alone and the rest a whole tick later
# (measured with senders ticking together: p50 14.7 ms against the relay's 5.2 on 50 sockets,
# 5 dragging; 5.9 against 5.0 with this gathering).
GATHER = 0.002


class Stream:
    """One stream's latest position and its own grid of ticks (at most `hz` positions a second)."""

    __slots__ = ("interval", "due", "pending")

    def __init__(self, hz):
        self.interval = 1 / hz
        self.due = -math.inf  # this stream's next tick on its grid
        self.pending = None  # the latest position not yet sent

    def ready(self, now):
        # Up to half an interval early: a sender at `hz` with a network's jitter is taken whole,
        # a faster one thinned to `hz` a second on average, never more.
        return now >= self.due - self.interval / 2

    def take_tick(self, now):
        # On the grid while the sender keeps up (no drift); after a pause, a new grid from now.
        anchor = self.due if now - self.due < self.interval else now
        self.due = anchor + self.interval

    def lapsed(self, now):
        return self.pending is None and now >= self.due + self.interval


class Batch:
    """The positions of one board's streams waiting for the board's next frame.

    `offer` and `due_frame` both answer (positions to send now, in one frame, possibly []; seconds
    to sleep before calling `due_frame`, or None when no flush is needed). Every position offered is
    either sent or replaced by a later one of its stream: the last position of a drag, and its end,
    always go out.
    """

    def __init__(self, tick=TICK, stream_hz=30, clock=time.monotonic, gather=GATHER):
        self.tick = tick
        self.gather = gather
        self.stream_hz = stream_hz
        self.clock = clock
        self.due = -math.inf  # when the board may send its next frame
        self.flushing = False  # one flush is waiting for this board
        self.streams = {}  # stream key -> Stream, in the order they first came
        self._lock = threading.Lock()  # a green lock under eventlet

    def offer(self, stream, position, sockets=None):
        """A position of `stream` arrives; it replaces the one that stream still held. Kept for the
        flush, which the caller starts when told a wait (`gather` on a quiet board, else until the
        board's next tick) and which is told nothing when it is already waiting; sent at once only
        when the board's tick has come and nothing is gathered (gather=0). `sockets`: how many the
        board has now, which sets its tick (`tick_for`)."""
        with self._lock:
            if sockets is not None:
                self.tick = tick_for(sockets)
            held = self.streams.get(stream)
            if held is None:
                held = self.streams[stream] = Stream(self.stream_hz)
            held.pending = position
            if self.flushing:
                return [], None
            now = self.clock()
            if now >= self.due and self.gather > 0:  # a quiet board: gather what comes with it
                self.flushing, self.due = True, now + self.gather
                return [], self.gather
            return self._frame(now)

    def due_frame(self):
        """For the flush once it has slept: the frame due now, and how long to sleep next (None: the
        flush is over, nothing is held)."""
        with self._lock:
            return self._frame(self.clock())

    def held(self):
        """How many streams hold a position not yet sent."""
        with self._lock:
            return sum(1 for s in self.streams.values() if s.pending is not None)

    def _frame(self, now):
        if now < self.due:  # a frame went out less than a tick ago
            self.flushing = True
            return [], self.due - now
        frame, waiting = [], []
        for key, stream in list(self.streams.items()):
            if stream.pending is not None and stream.ready(now):
                frame.append(stream.pending)
                stream.pending = None
                stream.take_tick(now)
            elif stream.pending is not None:
                waiting.append(stream)
            elif stream.lapsed(now):  # idle for a while: forgotten (a new grid if it comes back)
                del self.streams[key]
        if frame:
            self.due = now + self.tick
        if not waiting and frame and self.flushing:
            # The flush stays one more tick: a fast, steady drag is carried by this one flush, not
            # by one new flush per frame.
            return frame, self.tick
        if not waiting:
            self.flushing = False
            return frame, None
        self.flushing = True
        next_at = max(self.due, min(s.due - s.interval / 2 for s in waiting))
        return frame, max(0.0, next_at - now)
