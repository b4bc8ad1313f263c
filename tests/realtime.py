"""A test client for the real-time protocol, and a replica that applies what it receives.

It does what a browser must do: apply events in version order, ask for what
it missed when it sees a gap, keep commands made while offline and resend
them with their ids.
"""
import itertools
import threading
import time

import socketio

from board import protocol as p
from board.domain import Event, evolve
from board.domain.model import board_from_snapshot
from board.domain.visibility import CARD_WORK_EVENTS
from board.tokens import split_token

_ids = itertools.count(1)


def apply_presence(online, presence):
    """The online list after one `presence` message, as static/js/presence.js makes it: a whole list
    {online} replaces it; a change {arrived, left} removes who left and puts who arrived (PRES2)."""
    if "online" in presence:
        return presence["online"]
    gone = set(presence["left"])
    by_id = {member["id"]: member for member in online if member["id"] not in gone}
    by_id.update((member["id"], member) for member in presence["arrived"] if member["id"] not in gone)
    return [by_id[member_id] for member_id in sorted(by_id)]


class BoardClient:
    """A python-socketio client with a local replica of the board."""

    def __init__(self, url, token, connect=True, origin=None, transports=("websocket",)):
        self.url, self.token = url, token
        self.transports = list(transports)
        # websocket-client sends the server's own address as Origin unless told otherwise.
        self.sio = socketio.Client(reconnection=False,
                                   websocket_extra_options={"origin": origin} if origin else {})
        self.lock = threading.Condition()
        self.received = []  # every (event name, payload) in arrival order
        self.replica = None
        self.me = None
        self.online = []
        self.early_presence = []  # presence changes received before the welcome (as connection.js)
        self.gaps = 0
        self.drop_events = 0  # > 0: pretend the network lost the next N events
        for name in p.SERVER_EVENTS:
            self.sio.on(name, self._handler(name))
        if connect:
            self.connect()

    def _handler(self, name):
        def handle(payload=None):
            with self.lock:
                self.received.append((name, payload))
                if name == p.SERVER_WELCOME and "state" not in payload:
                    for event in payload["events"]:  # a reconnect: only what was missed
                        self._apply(event)
                    self.me = payload["you"]
                    self._welcome_online(payload["online"])
                elif name == p.SERVER_WELCOME:
                    self.replica = board_from_snapshot(payload["state"])
                    self.me = payload["you"]
                    self._welcome_online(payload["online"])
                elif name == p.SERVER_EVENT_BATCH:  # a group commit: each event as if it came alone
                    for event in payload:
                        self._receive(event)
                elif name == p.SERVER_EVENT:
                    self._receive(payload)
                elif name == p.SERVER_PRESENCE and self.early_presence is not None:
                    if "online" not in payload:  # a change before the welcome: applied on top of it
                        self.early_presence.append(payload)
                elif name == p.SERVER_PRESENCE:
                    self.online = apply_presence(self.online, payload)
                self.lock.notify_all()
        return handle

    def _welcome_online(self, online):
        for change in self.early_presence or ():
            online = apply_presence(online, change)
        self.online, self.early_presence = online, None

    def _receive(self, event):
        if self.drop_events:  # the network "lost" it
            self.drop_events -= 1
        else:
            self._apply(event)

    def _apply(self, event):
        if self.replica is None or event["version"] <= self.replica.version:
            return  # already in the snapshot or seen
        if event["version"] > self.replica.version + 1:
            self.gaps += 1  # never guess: ask from the handler thread's side later
            threading.Thread(target=self._catch_up_unless_gone, daemon=True).start()
            return
        self._evolve(event)

    def _evolve(self, event):
        """Apply one event; what the server left out for this member only moves the version."""
        if event["type"] == "dot_changed" and "voter" not in event["data"]:
            self.replica.version = event["version"]
        elif event["type"] == "card_edited" and event["data"].get("hidden"):
            self.replica.version = event["version"]
        elif not event["data"] and event["type"] in CARD_WORK_EVENTS:  # done to a face-down card (PRIV13)
            self.replica.version = event["version"]
        elif "items" in event["data"]:  # the material as a participant may read it now (MAT6)
            self.replica.material["items"] = event["data"]["items"]
            self.replica.material["sequences"] = event["data"].get("sequences", self.replica.material["sequences"])
            self.replica.version = event["version"]
        else:
            evolve(self.replica, Event(**event))
            if event["type"] == "sequence_changed" and "material" in event["data"]:
                self.replica.material["items"] = event["data"]["material"]

    def connect(self, timeout=5, resume=False):
        """Connect over websocket with the token; wait for the welcome.

        With `resume`, say the version the replica holds, as a browser does on a reconnect.
        """
        with self.lock:
            auth = {"token": self.token}
            self.early_presence = []
            if resume and self.replica is not None:
                auth["since"] = self.replica.version
            else:
                self.replica = None
            welcomes = len([n for n, _ in self.received if n == p.SERVER_WELCOME])
        # As connection.js: the board's id (the token's prefix) in the URL, for a routing proxy.
        board = split_token(self.token)[0] if isinstance(self.token, str) else None
        url = f"{self.url}?board={board}" if board else self.url
        self.sio.connect(url, auth=auth, transports=self.transports, wait_timeout=timeout)
        self.wait_for(lambda: self.replica is not None and len(self.messages(p.SERVER_WELCOME)) > welcomes, timeout)
        return self

    def close(self):
        """Disconnect if connected."""
        if self.sio.connected:
            self.sio.disconnect()

    def command(self, kind, data=None, command_id=None, timeout=5, settle=True):
        """Send a command and return its acknowledgement.

        The server acknowledges before it broadcasts (board/room.py), so the sender's own event comes
        just after the ack: with `settle`, an accepted command also waits until the replica holds it,
        as a page keeps showing its prediction until then."""
        message = {"id": command_id or f"cmd-{next(_ids)}", "type": kind, "data": data or {}}
        settle = settle and not self.drop_events  # a client pretending to lose events learns of it at the next
        answer = self.sio.call(p.CLIENT_COMMAND, message, timeout=timeout)
        if settle and isinstance(answer, dict) and answer.get("ok") and isinstance(answer.get("version"), int):
            version = answer["version"]  # a socket gone meanwhile (a crash test) stops waiting at once
            self.wait_for(lambda: not self.sio.connected
                          or (self.replica is not None and self.replica.version >= version), timeout)
        return answer

    def call(self, event, payload, timeout=5):
        """Send any event and return its acknowledgement."""
        return self.sio.call(event, payload, timeout=timeout)

    def emit(self, event, payload):
        """Send any event without waiting."""
        self.sio.emit(event, payload)

    def _catch_up_unless_gone(self):
        try:
            self.catch_up()
        except socketio.exceptions.SocketIOError:
            pass  # disconnected meanwhile: the next welcome brings a fresh snapshot

    def catch_up(self):
        """Ask for everything after the replica's version and apply it."""
        with self.lock:
            if self.replica is None:
                return None  # reconnecting: the welcome brings a fresh snapshot
            since = self.replica.version
        answer = self.sio.call(p.CLIENT_SYNC, {"since": since}, timeout=5)
        with self.lock:
            if "snapshot" in answer:
                self.replica = board_from_snapshot(answer["snapshot"])
            else:
                for event in answer["events"]:
                    if event["version"] == self.replica.version + 1:
                        self._evolve(event)
            self.lock.notify_all()
        return answer

    def wait_for(self, predicate, timeout=5):
        """Wait until `predicate()` holds (checked under the lock); fail after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("timed out waiting for a condition")
                self.lock.wait(min(left, 0.05))

    def wait_version(self, version, timeout=5):
        """Wait until the replica reaches `version`."""
        self.wait_for(lambda: self.replica is not None and self.replica.version >= version, timeout)

    def messages(self, name):
        """Payloads received under one event name; for `event`, those of `events` batches too, one by
        one in their order (a group commit's events come in one frame)."""
        with self.lock:
            if name == p.SERVER_EVENT:
                return [event for n, payload in self.received if n in (p.SERVER_EVENT, p.SERVER_EVENT_BATCH)
                        for event in (payload if n == p.SERVER_EVENT_BATCH else [payload])]
            return [payload for n, payload in self.received if n == name]

    def positions(self, name):
        """Every position received under `dragging` or `pointer`, in arrival order: a frame is a
        list of positions (one per stream that moved in the board's tick), unpacked here."""
        return [position for frame in self.messages(name) for position in frame]

    def state(self):
        """The replica as a snapshot dict."""
        with self.lock:
            return self.replica.to_dict()
