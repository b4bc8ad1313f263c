"""A seeded fuzz of raw Socket.IO frames and of the payloads of every event, for each role.

For the participant, the facilitator, the projector and a socket without a valid token, it sends
generated messages over a real websocket to a real eventlet server: commands, syncs, drags, cursors
and unknown event names with missing, extra, wrongly typed, huge, nested and odd arguments (lone
surrogates, binary attachments, NaN), then frames no Socket.IO client would write (broken JSON,
nameless events, unknown packet types, unsolicited acknowledgements, attachments that do not match,
websocket frames that are no Engine.IO packet). The payloads go out once through python-socketio's
own client and once byte for byte through a raw Engine.IO writer (tests/rawsocket.py).

It checks that each malformed message gets exactly one `bad_request` (or `too_large` when it is too
big), that no message ever gets `unavailable`, that the board changes only by the well-formed
commands it sent (every event names one of them, and the facilitator's replica built from those
events is the board the server holds afterwards), that the server log has no traceback, and that
the server keeps serving. Bounded in count and time; FUZZ_MESSAGES (per role and channel) and
FUZZ_SEED widen it, as `FUZZ_MESSAGES=2000 pytest tests/test_frame_fuzz.py` does.
"""
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
import socketio

from board import protocol as p
from board.domain import InvalidCommand, parse_command
from conftest import create_workshop
from rawsocket import RawSocket, ack_of, event_payload
from realtime import BoardClient

SEED = int(os.environ.get("FUZZ_SEED", "20261128"))
MESSAGES = int(os.environ.get("FUZZ_MESSAGES", "50"))  # per role and channel: 350 messages in CI
TIME_LIMIT = float(os.environ.get("FUZZ_SECONDS", "90"))  # per role and channel, whatever the count
ROLES = ("participant", "facilitator", "projector", "no token")
MAINTENANCE = "maintenance/techniques"
CARDS = [f"d{n:02d}" for n in range(1, 12)]
ZONES = [MAINTENANCE, "parking", "deck", "pilotage/techniques", "mars/techniques"]
UNKNOWN_EVENTS = ["", "ping", "error", "welcome", "event", "message", "commands", "COMMAND", "drag ", "é",
                  "x" * 100, "\ud800", "__proto__"]
RESERVED = ["connect", "disconnect", "connect_error", "*"]
BROKEN_FRAMES = ['2["command",', "2[]", "2[1,{}]", '2[["command"],{}]', '2{"command":1}', '2x["command",{}]',
                 '7["command",{}]', "9", "4{}", "3[{}]", "312[1]", '2["sync",{"since":0}', "2" + "[" * 2500,
                 "2" + "[" * 3000 + "]" * 3000, '2[null,{}]', '2[true]']


def lone_surrogates_refused():
    """Whether the domain's boundary refuses a lone surrogate in a text (issue 10, point 2): only
    then does the fuzz put one in the text of an otherwise valid command, expecting `bad_request`."""
    try:
        parse_command("create_card", {"kind": "postit", "text": "\ud800", "zone_id": "parking", "x": 0, "y": 0})
    except InvalidCommand:
        return True
    return False


@dataclass
class Message:
    """One generated message and what must come back."""

    event: object = None  # an event name (any JSON value), or None for a raw frame
    args: tuple = ()
    ack: bool = True
    expect: str = "any"  # bad_request, too_large, unauthorized, connect_error, or any (valid shape)
    frame: str | None = None  # a raw Socket.IO packet (after the Engine.IO "4"), or a raw websocket text
    engineio: bool = False  # `frame` is the whole websocket text, not a Socket.IO packet
    attachments: list = field(default_factory=list)
    command: tuple | None = None  # (id, type) of a well-formed command


class Generator:
    """Seeded messages for one role; `raw` allows frames no Socket.IO client can send."""

    def __init__(self, rng, role, raw, surrogates):
        self.rng, self.role, self.raw, self.surrogates = rng, role, raw, surrogates
        self.count = 0

    def odd(self, depth=0):
        """A JSON value of any kind, often one no field wants."""
        r = self.rng
        choice = r.randrange(16 if depth < 3 else 14)
        if choice == 14:
            return [self.odd(depth + 1) for _ in range(r.randrange(4))]
        if choice == 15:
            return {f"k{i}": self.odd(depth + 1) for i in range(r.randrange(4))}
        return [None, True, False, 0, -1, 2 ** 70, 1e308, -0.0, 0.5, "", "\ud800\udfff"[r.randrange(2)],
                "é" * r.randrange(1, 50), "\x00<script>", float("nan")][choice]

    def wrong(self):
        """A value no command field accepts (none of them takes a list)."""
        return [self.odd(2)]

    def templates(self):
        text = "Texte du fuzz"
        mine = [("move_card", {"card_id": self.rng.choice(CARDS), "zone_id": self.rng.choice(ZONES),
                               "x": self.rng.random(), "y": self.rng.random()}),
                ("create_card", {"kind": "postit", "text": text, "zone_id": "parking", "x": 0.5, "y": 0.5}),
                ("edit_card", {"card_id": self.rng.choice(CARDS), "text": text}),
                ("delete_card", {"card_id": self.rng.choice(CARDS)}),
                ("join_team", {"team_id": None}),
                ("vote", {"card_id": self.rng.choice(CARDS), "delta": 1})]
        if self.role == "facilitator":
            mine += [("set_sequence", {"index": self.rng.randrange(4)}),
                     ("set_projector", {"show_join": self.rng.random() < 0.5}),
                     ("create_team", {"name": f"Équipe {self.rng.randrange(10 ** 6)}", "colour": "#123456"}),
                     ("configure", {"team_choice": self.rng.random() < 0.5})]
        return mine

    def command(self):
        """A command, valid or broken in one way; labelled with what must come back."""
        r = self.rng
        self.count += 1
        kind, data = r.choice(self.templates())
        envelope = {"id": f"fz-{self.role.replace(' ', '')}-{'raw' if self.raw else 'sio'}-{self.count}",
                    "type": kind, "data": dict(data)}
        expect = "any"
        mutation = r.randrange(13) if r.random() < 0.6 else None  # else sent as it is
        if mutation == 0:
            del envelope["id"]
            expect = "bad_request"
        elif mutation == 1:
            envelope["id"] = r.choice(["", "has space", "x" * 65, 7, None, ["a"], "\ud800"])
            expect = "bad_request"
        elif mutation == 2:
            envelope["type"] = r.choice([["join"], {"join": 1}, 7, None, "fly_away", "", "MOVE_CARD"])
            expect = "bad_request"
        elif mutation == 3:
            envelope[r.choice(["actor", "board", "version", "at", "command_id", "\ud800"])] = self.odd()
            expect = "bad_request"
        elif mutation == 4:
            envelope["data"] = r.choice([[1], "data", 3, None, True])
            expect = "bad_request"
        elif mutation == 5:
            envelope["data"][r.choice(["zzz", "actor", "board_id", "card_ids", "\ud800"])] = self.odd()
            expect = "bad_request"
        elif mutation == 6 and data:
            envelope["data"][r.choice(sorted(data))] = self.wrong()
            expect = "bad_request"
        elif mutation == 7 and kind in ("move_card", "create_card"):
            del envelope["data"]["x"]
            expect = "bad_request"
        elif mutation == 8:
            envelope["data"]["padding"] = "x" * r.randrange(9000, 20000)
            expect = "too_large"
        elif mutation == 9 and kind in ("create_card", "edit_card") and self.surrogates:
            envelope["data"]["text"] = "avant \ud800 après"
            expect = "bad_request"
        elif mutation == 10:
            envelope["type"] = r.choice(["join", "create_board"])
            envelope["data"] = {"participant_id": "p-pirate", "name": "Pirate", "role": "facilitator"}
            expect = "forbidden-or-bad"
        if self.role == "no token":
            expect = "unauthorized"
        elif self.role == "projector" and expect == "any":
            expect = "forbidden"
        return Message(p.CLIENT_COMMAND, (envelope,), ack=r.random() < 0.6, expect=expect,
                       command=(envelope.get("id"), kind) if expect in ("any", "forbidden") else None)

    def position(self):
        """A drag or a cursor, valid or broken in one way."""
        r = self.rng
        drag = r.random() < 0.6
        payload = {"card_id": r.choice(CARDS + ["ghost"]), "zone_id": r.choice(ZONES + [None]),
                   "x": r.random(), "y": r.random(), "active": r.random() < 0.8} if drag \
            else {"x": r.random(), "y": r.random()}
        expect = "any"
        mutation = r.randrange(6)
        if mutation == 0:
            del payload[r.choice(sorted(payload))]
            expect = "bad_request"
        elif mutation == 1:
            payload[r.choice(sorted(payload))] = self.wrong()
            expect = "bad_request"
        elif mutation == 2:
            payload[r.choice(["by", "zzz", "version"])] = self.odd()
            expect = "bad_request"
        if drag and mutation == 0 and "zone_id" not in payload and {"card_id", "x", "y", "active"} <= set(payload):
            expect = "any"  # zone_id is optional
        if drag and mutation == 0 and "active" not in payload and {"card_id", "x", "y"} <= set(payload):
            expect = "any"  # so is active
        event = p.CLIENT_DRAG if drag else p.CLIENT_CURSOR
        if self.role == "no token":
            expect = "unauthorized"
        elif self.role == "projector":
            expect = "forbidden"
        return Message(event, (payload,), ack=r.random() < 0.5, expect=expect)

    def shape(self):
        """Any event with the wrong number or kind of arguments, or a name that is not served."""
        r = self.rng
        event = r.choice([p.CLIENT_COMMAND, p.CLIENT_SYNC, p.CLIENT_DRAG, p.CLIENT_CURSOR,
                          r.choice(UNKNOWN_EVENTS), r.choice(RESERVED)])
        args = r.choice([(), (self.odd(), self.odd()), (1, 2, 3), (self.odd(),), ("text",)])
        if event == p.CLIENT_SYNC and r.random() < 0.5:
            args = (r.choice([{"since": -1}, {"since": "1"}, {"since": 1.5}, {"since": None}, {}, {"since": True}]),)
        expect = "bad_request"
        if self.role == "no token":
            expect = "unauthorized"  # who sends comes first
        elif self.role == "projector" and event in (p.CLIENT_DRAG, p.CLIENT_CURSOR):
            expect = "forbidden"  # positions are refused by role before their shape
        return Message(event, args, ack=r.random() < 0.5, expect=expect)

    def broken(self):
        """A frame no Socket.IO client writes."""
        r = self.rng
        pick = r.randrange(8)
        ack = r.random() < 0.5
        if pick == 0:  # a truncated event packet
            whole = "2" + ("7" if ack else "") + json.dumps(["command", {"id": "t", "type": "move_card", "data": {}}])
            return Message(frame=whole[:r.randrange(len(whole) - 1)], expect="bad_request-any-channel")
        if pick == 1:
            return Message(frame=r.choice(BROKEN_FRAMES), expect="bad_request-any-channel")
        if pick == 2:  # an event whose arguments are a binary attachment
            event = r.choice([p.CLIENT_COMMAND, p.CLIENT_SYNC, p.CLIENT_DRAG, p.CLIENT_CURSOR, "nope"])
            head = "51-" + ("7" if ack else "") + json.dumps([event, {"_placeholder": True, "num": 0}])
            expect = "bad_request*2" if self.role == "no token" else (  # header and attachment each refused
                "forbidden" if self.role == "projector" and event in (p.CLIENT_DRAG, p.CLIENT_CURSOR)
                else "bad_request")
            return Message(frame=head, attachments=[self.attachment()], expect=expect, ack=ack)
        if pick == 3:  # an attachment it does not have
            head = "51-" + json.dumps([p.CLIENT_COMMAND, {"_placeholder": True, "num": r.choice([1, 5, -1])}])
            return Message(frame=head, attachments=[self.attachment()],
                           expect="bad_request*2" if self.role == "no token" else "bad_request-any-channel")
        if pick == 4:  # a binary frame nobody announced
            return Message(attachments=[self.attachment()], expect="bad_request-any-channel")
        if pick == 5:  # a websocket text that is no Engine.IO packet
            return Message(frame=r.choice(["", "x", "!", "é", "9", "{}", "z4", "4" + "[" * 3000]), engineio=True,
                           expect="bad_request-any-channel")
        if pick == 6:  # another namespace nobody connected to
            return Message(frame='2/nope,' + ("7" if ack else "") + '["command",{}]', expect="unauthorized", ack=ack)
        return Message(frame="0" + json.dumps({"token": "z" * 32}), expect="connect_error")

    def attachment(self):
        """Binary bytes; never a lone digit, which Socket.IO would read as a packet of that type
        (b"1" is a plain disconnect, which would end the fuzz's own connection)."""
        return b"\xff" + self.rng.randbytes(self.rng.randrange(0, 63))

    def next(self):
        kinds = [self.command, self.command, self.position, self.shape] + ([self.broken] * 2 if self.raw else [])
        return self.rng.choice(kinds)()


class Stats:
    """What the fuzz sent and what came back, for docs/reliability.md."""

    def __init__(self):
        self.sent = Counter()
        self.answers = Counter()
        self.accepted = set()


def encode_event(message, ack_id):
    """The Socket.IO packet of an event message (what python-socketio writes)."""
    return "2" + (str(ack_id) if message.ack else "") + json.dumps([message.event, *message.args])


class RawChannel:
    """Sends messages byte for byte and collects what answers each."""

    def __init__(self, url, token):
        self.raw = RawSocket(url)
        self.connected = self.raw.connect({"token": token} if token else None).startswith("0")
        self.ack_ids = iter(range(1000, 10 ** 9))

    def exchange(self, message):
        """Send `message`, then an acknowledged sync; the answers that came for `message`."""
        ack_id = next(self.ack_ids)
        if message.frame is not None:
            (self.raw.send_raw if message.engineio else self.raw.send_packet)(message.frame)
        elif message.event is not None:
            self.raw.send_packet(encode_event(message, ack_id))
        for attachment in message.attachments:
            self.raw.send_binary(attachment)
        marker = next(self.ack_ids)
        self.raw.send_packet(f'2{marker}["sync",{{"since":{10 ** 9}}}]')
        wanted = {marker} | ({ack_id} if message.event is not None and message.ack else set())
        seen = []
        deadline = time.monotonic() + 10
        while wanted and time.monotonic() < deadline:
            packet = self.raw.next_packet(lambda _: True, timeout=10)
            seen.append(packet)
            wanted.discard((ack_of(packet) or (None,))[0])
        assert not wanted, f"no answer to {message} (saw {seen})"
        seen += self.raw.drain()
        answers = []
        for packet in seen:
            acked = ack_of(packet)
            if acked and acked[0] != marker:
                answers.append(acked[1])
            elif packet.startswith("4"):
                answers.append({"ok": False, "code": "connect_error"})
            elif (event_payload(packet) or ("",))[0] == p.SERVER_ERROR:
                answers.append(event_payload(packet)[1])
        return answers

    def close(self):
        self.raw.close()


class ClientChannel:
    """Sends messages through python-socketio's own client (what a script would use)."""

    def __init__(self, url, token):
        self.client = BoardClient(url, token)
        self.connected = True

    def exchange(self, message):
        errors = len(self.client.messages(p.SERVER_ERROR))
        args = message.args if len(message.args) != 1 else message.args[0]
        answers = []
        if message.ack:
            answers.append(self.client.sio.call(message.event, args if message.args else None, timeout=10))
        else:
            self.client.sio.emit(message.event, args if message.args else None)
        self.client.call(p.CLIENT_SYNC, {"since": 10 ** 9})
        return answers + self.client.messages(p.SERVER_ERROR)[errors:]

    def close(self):
        self.client.close()


def check(message, answers, stats, role):
    """One message's answers against what it must get; record accepted commands."""
    codes = [a.get("code") if isinstance(a, dict) else a for a in answers]
    stats.answers.update(str(c) for c in codes)
    assert "unavailable" not in codes, (role, message, answers)
    refused = [c for c in codes if c is not None]
    if message.expect in ("bad_request", "too_large", "unauthorized", "forbidden", "connect_error"):
        assert refused == [message.expect], (role, message, answers)
    elif message.expect == "bad_request-any-channel":
        assert refused == ["bad_request"], (role, message, answers)
    elif message.expect == "bad_request*2":
        assert refused == ["bad_request", "bad_request"], (role, message, answers)
    elif message.expect == "forbidden-or-bad":
        assert refused in (["forbidden"], ["bad_request"]), (role, message, answers)
    else:
        assert len(answers) <= 1, (role, message, answers)
        if message.ack and message.event in p.CLIENT_EVENTS:
            assert len(answers) == 1, (role, message, answers)
    if message.command and (answers == [] or (answers and isinstance(answers[0], dict) and answers[0].get("ok"))):
        stats.accepted.add(message.command)  # acknowledged as accepted, or perhaps accepted silently


@pytest.fixture
def fuzz_board(fresh_server):
    """A server of its own (its log is read), a board in Compléter with two teams."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    red = facilitator.command("create_team", {"name": "Rouges", "colour": "#aa0000"})
    for person in workshop["participants"]:
        assert facilitator.command("join_team", {"team_id": f"t{red['version']}",
                                                 "participant_id": person["participant_id"]})["ok"]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    yield server, workshop, facilitator
    facilitator.close()


def test_fuzzed_frames_and_payloads_get_one_clear_answer_and_change_only_what_valid_commands_change(fuzz_board):
    server, workshop, auditor = fuzz_board
    tokens = {"participant": workshop["participants"][0]["token"], "facilitator": workshop["admin_token"],
              "projector": workshop["projector_token"], "no token": None}
    ids = {"participant": workshop["participants"][0]["participant_id"], "facilitator": auditor.me["id"]}
    start = auditor.replica.version
    events_before = len(auditor.messages(p.SERVER_EVENT))
    surrogates = lone_surrogates_refused()
    rng = random.Random(SEED)
    stats = Stats()
    for role in ROLES:
        for raw in (False, True):
            if not raw and role == "no token":
                continue  # python-socketio's client cannot open a socket without a valid token
            channel = (RawChannel if raw else ClientChannel)(server.url, tokens[role])
            assert channel.connected == (role != "no token")
            generator = Generator(rng, role, raw, surrogates)
            deadline = time.monotonic() + TIME_LIMIT
            try:
                for _ in range(MESSAGES):
                    if time.monotonic() > deadline:
                        break
                    message = generator.next()
                    check(message, channel.exchange(message), stats, role)
                    stats.sent[(role, "raw" if raw else "client", message.expect)] += 1
            finally:
                channel.close()
    # The server still serves, and the board changed only by the well-formed commands sent.
    assert requests.get(server.url + "/healthz", timeout=5).ok
    final = requests.get(server.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()
    auditor.wait_version(final["version"])
    changes = auditor.messages(p.SERVER_EVENT)[events_before:]
    assert [e["version"] for e in changes] == list(range(start + 1, final["version"] + 1))
    sent = {(actor_id, command_id): kind for (command_id, kind) in stats.accepted for actor_id in ids.values()}
    for event in changes:
        assert (event["actor"], event["command_id"]) in sent, event  # made by a well-formed command sent
    assert len({e["command_id"] for e in changes}) == len(changes)  # each once
    # The replica built from those events is the board (but for the vote's progress, which only
    # the server counts for the facilitator).
    final["vote"].pop("progress", None)
    assert auditor.state() == final
    # Nothing crashed: no traceback, and the board's own warning for each broken frame.
    log = server.output()
    assert "Traceback" not in log and "socket handler failed" not in log, log[-3000:]
    report = {"seed": SEED, "messages": sum(stats.sent.values()), "by expectation": Counter(),
              "answers": dict(stats.answers), "changes": len(changes)}
    for (role, channel, expect), n in stats.sent.items():
        report["by expectation"][expect] += n
    print("\nframe fuzz:", json.dumps({**report, "by expectation": dict(report["by expectation"])},
                                      ensure_ascii=False))
    assert sum(stats.sent.values()) >= min(MESSAGES, 20) * 7  # the bound was the count, not the clock


def test_the_server_refuses_a_socket_io_client_without_a_token(fresh_server):
    """The fourth role through python-socketio's client: refused at connect, nothing else to say."""
    server = fresh_server(extra_args=["--no-demo"])
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"token": "z" * 32}, transports=["websocket"], wait_timeout=5)
    assert requests.get(server.url + "/healthz", timeout=5).ok
