"""Pacing of the ephemeral channel: at most `hz` relays per second per stream, the latest kept.

A stream is what one sender moves: its drag of one card, or its pointer. Positions inside the
interval are coalesced (only the latest is kept) and the pending one is always sent when the
interval ends, so the last position of a drag, and its end, reach everyone. Pure bookkeeping, no
I/O: the socket layer sends what it is told to send and sleeps as long as it is told to.
"""
import math
import threading
import time


class Pacer:
    """Paces one stream to `hz`, on a grid of ideal ticks rather than on the last send's time.

    Counting from when a relay actually went out makes the interval drift later by every delay,
    so a sender at exactly `hz` is thrown into a sawtooth and loses positions. Here each relay
    takes the next tick of a fixed grid (kept while the sender keeps up, laid anew after a
    pause), and a position may go up to half an interval before its tick: a sender at `hz`, with
    the jitter of a real network, is relayed at once and whole, while a faster one still gets
    `hz` relays a second on average, never more.
    """

    def __init__(self, hz, clock=time.monotonic):
        self.interval = 1 / hz
        self.tolerance = self.interval / 2
        self.clock = clock
        self.due = -math.inf  # the next tick: the earliest a relay goes without waiting
        self.pending = None  # the latest position held back, sent at `due`
        self.flushing = False  # one trailing flush at most is waiting for this stream
        self._lock = threading.Lock()  # a green lock under eventlet; never held while sending

    def offer(self, payload):
        """A position arrives: ("send", payload) to relay it now, ("wait", seconds) when the
        caller must start the one trailing flush (then call `due_payload` after that sleep), or
        None when it is kept for the flush already waiting."""
        with self._lock:
            if self.flushing:
                self.pending = payload
                return None
            now = self.clock()
            if now >= self.due - self.tolerance:
                self._take_tick(now)
                return "send", payload
            self.pending, self.flushing = payload, True
            return "wait", self.due - now

    def due_payload(self):
        """For the trailing flush once it has slept: (the position to relay now or None, how long
        to sleep before calling again, or None when the flush is over because nothing came)."""
        with self._lock:
            now = self.clock()
            if now < self.due - self.tolerance:  # woke early: sleep the rest
                return None, self.due - now
            if self.pending is None:
                self.flushing = False
                return None, None
            payload, self.pending = self.pending, None
            self._take_tick(now)
            # Stay for one more interval: a fast sender is flushed by this one task per drag,
            # not by one task per delayed position.
            return payload, self.due - now

    def idle(self):
        """True when nothing is held or scheduled and the grid has lapsed: it may be forgotten."""
        with self._lock:
            return not self.flushing and self.clock() >= self.due + self.interval

    def _take_tick(self, now):
        # On the grid while the sender keeps up (no drift); after a pause, a new grid from now.
        anchor = self.due if now - self.due < self.interval else now
        self.due = anchor + self.interval
