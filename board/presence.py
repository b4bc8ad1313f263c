"""Who is connected to each board, each member once, and the changes the room has not been told yet.

A member may hold several sockets (two tabs, a phone and a laptop): they are online while one is
open. Only a member's first socket opening, or last one closing, changes who is online; those
changes are collected per board and told a tick later in one `presence` frame (PRES2), so a room
filling up receives a few frames carrying many arrivals, not the whole list at every join.

No Socket.IO here: the socket layer asks when to send (`due`) and what (`take`), and sends it.
"""
import threading
import time

# How long changes gather before the room is told: short for a person watching the list, long
# enough that 200 people joining within 2 s reach each socket in about 14 frames.
TICK_SECONDS = 0.15


class Roster:
    """Per board: how many sockets each member has open, and who came or went since last told."""

    def __init__(self, tick=TICK_SECONDS, clock=time.monotonic):
        self.tick, self.clock = tick, clock
        self._lock = threading.Lock()
        self._sockets = {}  # board id -> {member id: open sockets}
        self._touched = {}  # board id -> member ids whose being online changed since last told
        self._told_at = {}  # board id -> when the room was last told
        self._scheduled = set()  # boards whose telling is already on its way

    def arrive(self, board_id, member_id):
        """A socket of `member_id` opened on the board."""
        with self._lock:
            counts = self._sockets.setdefault(board_id, {})
            counts[member_id] = counts.get(member_id, 0) + 1
            if counts[member_id] == 1:
                self._touched.setdefault(board_id, set()).add(member_id)

    def leave(self, board_id, member_id):
        """A socket of `member_id` closed on the board (a socket never registered changes nothing)."""
        with self._lock:
            counts = self._sockets.get(board_id, {})
            if member_id not in counts:
                return
            counts[member_id] -= 1
            if counts[member_id] == 0:
                del counts[member_id]
                self._touched.setdefault(board_id, set()).add(member_id)
            if not counts:
                del self._sockets[board_id]

    def online(self, board_id):
        """The ids of the members with at least one socket open on the board."""
        with self._lock:
            return set(self._sockets.get(board_id, ()))

    def due(self, board_id):
        """Seconds to wait before telling the room its changes, or None when there is nothing to
        tell or a telling is already on its way. The first change after a quiet tick goes at once."""
        with self._lock:
            if not self._touched.get(board_id) or board_id in self._scheduled:
                return None
            self._scheduled.add(board_id)
            told_at = self._told_at.get(board_id)
            return 0.0 if told_at is None else max(0.0, told_at + self.tick - self.clock())

    def take(self, board_id):
        """The changes to tell now: (ids that came online, ids that went offline), each sorted.

        Every member whose being online changed since last told is listed as they are now, even
        if they came back meanwhile: a socket welcomed in between may have seen them either way."""
        with self._lock:
            self._scheduled.discard(board_id)
            touched = self._touched.pop(board_id, set())
            online = self._sockets.get(board_id, {})
            if online:
                self._told_at[board_id] = self.clock()
            else:
                self._told_at.pop(board_id, None)  # an empty board keeps nothing
            return sorted(m for m in touched if m in online), sorted(m for m in touched if m not in online)
