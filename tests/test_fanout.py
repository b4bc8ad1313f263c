"""A broadcast written at once to idle websockets (board/fanout.py): what each socket receives keeps its
order, a reader that stops reading holds up nobody and loses nothing, and websockets are plain (no
per-socket compression).

The first tests run the real server with real clients; the last ones drive `fanout.broadcast` with
stand-ins for the library's sockets, to show which socket takes which path (the real server shows
only the outcome).
"""
import json
import socket
import threading
import time

import pytest
import requests
from hypothesis import given, settings, strategies as st
import websocket
from socketio import packet as sio_packet

from board import fanout
from board.tokens import split_token
from conftest import create_workshop
from realtime import BoardClient

POSTITS = 120
LONG_TEXT = ("Une idée longue pour remplir les tampons du réseau. " * 5).strip()  # 259 characters, under TEXT_MAX


def writing(base_url, participants):
    """A workshop in its sequence where everyone may write post-its (Compléter), with participants."""
    workshop = create_workshop(base_url, participants=participants)
    facilitator = BoardClient(base_url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    facilitator.close()
    return workshop


def write_postit(client, text, tries=50):
    """A post-it in the parking area, waiting out the per-connection pace (a person types slower)."""
    for _ in range(tries):
        answer = client.command("create_card", {"kind": "postit", "text": text, "zone_id": "parking",
                                                "x": 0.5, "y": 0.5})
        if answer["ok"] or answer.get("code") != "rate_limited":
            return answer
        time.sleep(0.1)
    return answer


class StalledReader:
    """A participant's websocket with a tiny receive buffer that reads nothing until told to."""

    def __init__(self, base_url, token):
        board, _ = split_token(token)
        self.ws = websocket.create_connection(
            f"{base_url.replace('http://', 'ws://')}/socket.io/?EIO=4&transport=websocket&board={board}",
            timeout=10, origin=base_url, sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 2048),))
        assert self.ws.recv().startswith("0")
        self.ws.send("40" + json.dumps({"token": token}))
        self.welcome_version = None
        while self.welcome_version is None:  # the connect answer, then the welcome with its state
            packet = self.ws.recv()
            if packet.startswith('42["welcome"'):
                self.welcome_version = json.loads(packet[2:])[1]["state"]["version"]

    def read_events(self, until_version, limit=30):
        """Read on until the event of `until_version`; every event's (version, data) in arrival order."""
        events = []
        self.ws.settimeout(limit)
        while not events or events[-1][0] < until_version:
            packet = self.ws.recv()
            if packet == "2":
                self.ws.send("3")
            elif packet.startswith('42["event"') or packet.startswith('42["events"'):
                message = json.loads(packet[2:])[1]
                events += [(e["version"], e) for e in (message if isinstance(message, list) else [message])]
        return events


def test_a_reader_that_stops_reading_holds_up_nobody_and_loses_nothing(server):
    """One participant's device stops reading (a tablet asleep, a network that stalls) while the
    facilitator writes 120 long post-its: the other participant sees every one as it is written; the
    stalled one, once it reads again, gets every event once, in order, whole. (Here the kernel's
    buffers hold what the stalled socket has not read; a buffer that fills, and a frame it takes only
    in part, are the stand-in tests' below.)"""
    workshop = writing(server.url, participants=2)
    stalled = StalledReader(server.url, workshop["participants"][0]["token"])
    watcher = BoardClient(server.url, workshop["participants"][1]["token"])
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        for n in range(POSTITS):
            answer = write_postit(facilitator, f"{n:03d} {LONG_TEXT}")
            assert answer["ok"], answer
        final = facilitator.replica.version
        # The watcher saw them all while the stalled socket held its frames back.
        watcher.wait_for(lambda: watcher.replica.version == final, timeout=15)
        assert sum(1 for c in watcher.replica.cards.values() if c.text.endswith(LONG_TEXT)) == POSTITS
        events = stalled.read_events(final)
        versions = [version for version, _ in events]
        assert versions == list(range(stalled.welcome_version + 1, final + 1))
        texts = [e["data"]["text"][:3] for _, e in events if e["type"] == "card_created"]
        assert texts == [f"{n:03d}" for n in range(POSTITS)]
    finally:
        stalled.ws.close()
        watcher.close()
        facilitator.close()
    assert requests.get(server.url + "/healthz", timeout=5).ok


def test_events_and_answers_reach_each_socket_in_order_while_a_room_writes(server):
    """Five people write at once, each sending the next post-it as soon as the last is answered: every
    socket gets every version once and in order, and each writer gets its answer before its own event."""
    workshop = writing(server.url, participants=5)
    clients = [BoardClient(server.url, person["token"]) for person in workshop["participants"]]
    try:
        def write(client, who):
            for n in range(20):
                answer = write_postit(client, f"{who}-{n}")
                assert answer["ok"], answer
        threads = [threading.Thread(target=write, args=(c, k)) for k, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        final = max(c.replica.version for c in clients)
        for client in clients:
            client.wait_for(lambda c=client: c.replica.version == final, timeout=15)
            assert client.gaps == 0  # no version skipped or repeated on the way
            assert len([card for card in client.replica.cards.values() if card.kind == "postit"]) == 100
    finally:
        for client in clients:
            client.close()


def test_websockets_are_answered_without_compression(server):
    """Browsers offer permessage-deflate; the server answers without it, so one frame is written to
    every socket as it is (no compression per socket)."""
    ws = websocket.create_connection(server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=server.url, timeout=5,
                                     header=["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"])
    try:
        assert ws.getstatus() == 101
        assert "sec-websocket-extensions" not in {name.lower() for name in ws.getheaders()}
        assert ws.recv().startswith("0")
    finally:
        ws.close()


# -- which path each socket takes (stand-ins for python-engineio's sockets) ---------------------------------

class Queue:
    def __init__(self, queued=0, writer_parked=True):
        self.queued, self.writer_parked = queued, writer_parked

    def empty(self):
        return self.queued == 0

    def getting(self):
        return 1 if self.writer_parked else 0


class Raw:
    """The OS socket under a websocket: takes `room` bytes, then refuses (a full buffer)."""

    def __init__(self, room=10**6):
        self.room, self.written = room, b""

    def send(self, data):
        if self.room == 0:
            raise BlockingIOError()
        taken = data[:self.room]
        self.room -= len(taken)
        self.written += taken
        return len(taken)


class GreenSocket:
    def __init__(self, raw):
        self.fd = raw

    def sendall(self, data):  # the green socket finishing a frame: waits until the reader reads
        self.fd.room = len(data)
        self.fd.send(data)


class WebSocket:
    def __init__(self, raw, extensions=None):
        self.socket, self.extensions, self._sendlock = GreenSocket(raw), extensions or {}, threading.Semaphore()


class EngineSocket:
    def __init__(self, ws=None, queue=None, upgraded=True):
        self.upgraded, self.upgrading, self.closing, self.closed = upgraded, False, False, False
        self.queue = queue or Queue()
        setattr(self, fanout.ATTRIBUTE, ws)

    def check_ping_timeout(self):
        return True


class Server:
    packet_class = sio_packet.Packet

    def __init__(self, sockets):
        self.sockets = sockets  # sid -> EngineSocket
        self.queued = []  # (sid, Engine.IO packet text) handed to a socket's queue
        self.manager = self
        self.eio = self

    def get_participants(self, namespace, room):
        yield from ((sid, sid) for sid in self.sockets)

    def _send_eio_packet(self, eio_sid, packet):
        self.queued.append((eio_sid, packet.encode()))


@pytest.fixture
def plain_sockets(monkeypatch):
    monkeypatch.setitem(fanout._plain_socket, "type", Raw)


def test_an_idle_websocket_gets_the_frame_written_at_once_and_every_other_socket_its_queue(plain_sockets):
    raws = {sid: Raw() for sid in ("idle", "queued", "busy", "deflate", "skipped", "full")}
    raws["full"].room = 0
    sockets = {
        "idle": EngineSocket(WebSocket(raws["idle"])),
        "queued": EngineSocket(WebSocket(raws["queued"]), Queue(queued=1)),  # an answer waits: it goes first
        "busy": EngineSocket(WebSocket(raws["busy"]), Queue(writer_parked=False)),  # its writer holds packets
        "deflate": EngineSocket(WebSocket(raws["deflate"], {"permessage-deflate": {}})),
        "polling": EngineSocket(None),
        "skipped": EngineSocket(WebSocket(raws["skipped"])),
        "full": EngineSocket(WebSocket(raws["full"])),  # the kernel takes nothing now
    }
    server = Server(sockets)
    spawned = []
    fanout.broadcast(server, "event", {"version": 7}, "board", lambda *args: spawned.append(args), skip_sid=["skipped"])
    text = '42["event",{"version":7}]'
    assert raws["idle"].written == bytes([0x81, len(text)]) + text.encode()
    assert sorted(sid for sid, _ in server.queued) == ["busy", "deflate", "full", "polling", "queued"]
    assert {packet for _, packet in server.queued} == {text}
    assert all(raws[sid].written == b"" for sid in ("queued", "busy", "deflate", "skipped", "full"))
    assert spawned == []
    assert all(s._sendlock.acquire(blocking=False) for s in (getattr(sockets[k], fanout.ATTRIBUTE)
                                                                for k in ("idle", "full")))  # locks let go


def test_a_frame_the_kernel_takes_in_part_is_finished_before_the_writer_may_write_again(plain_sockets):
    raw = Raw(room=10)
    ws = WebSocket(raw)
    server = Server({"slow": EngineSocket(ws)})
    spawned = []
    fanout.broadcast(server, "event", {"text": "x" * 300}, "board", lambda *args: spawned.append(args))
    assert len(raw.written) == 10 and server.queued == []
    assert not ws._sendlock.acquire(blocking=False)  # the writer would wait: the frame is not whole yet
    [(finish, *args)] = spawned
    finish(*args)
    frame = fanout.text_frame('42["event",{"text":"' + "x" * 300 + '"}]')
    assert raw.written == frame and frame[1] == 126  # a 16-bit length: the frame is longer than 125 bytes
    assert ws._sendlock.acquire(blocking=False)


def test_an_acknowledgement_sent_by_the_room_takes_the_same_paths_as_a_broadcast(plain_sockets):
    """`fanout.send` (a command's answer, sent with its commit): written at once to an idle websocket,
    queued behind whatever waits on a busy one, so it never overtakes an earlier packet."""
    raws = {"idle": Raw(), "queued": Raw()}
    server = Server({"idle": EngineSocket(WebSocket(raws["idle"])),
                     "queued": EngineSocket(WebSocket(raws["queued"]), Queue(queued=1))})
    for sid in ("idle", "queued"):
        fanout.send(server, sid, sio_packet.Packet(sio_packet.ACK, namespace="/", id=4, data=[{"ok": True}]),
                    lambda *args: None)
    text = '434[{"ok":true}]'
    assert raws["idle"].written == fanout.text_frame(text)
    assert raws["queued"].written == b"" and server.queued == [("queued", text)]


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), mask=st.binary(min_size=4, max_size=4), offset=st.integers(0, 70000),
       whole=st.booleans())
def test_a_client_frame_is_unmasked_exactly_as_eventlet_does_it(data, mask, offset, whole):
    """The server reads every client frame with `fanout.unmask` in place of eventlet's own (RFC 6455,
    5.3): any payload, any mask, a payload read in parts (`offset`), give the same bytes."""
    from eventlet.websocket import RFC6455WebSocket
    length = None if whole else len(data)
    assert fanout.unmask(data, mask, length, offset) == RFC6455WebSocket._apply_mask(data, mask, length, offset)
    assert fanout.unmask(bytearray(data), mask, length, offset) == fanout.unmask(data, mask, length, offset)
