"""Malformed Socket.IO messages: each gets exactly one `bad_request` (the acknowledgement when the
sender asked for one, else one `error` event), never `unavailable`, and changes nothing.

Real eventlet server, real python-socketio clients; raw frames where no client library would send them.
"""
import json

import pytest
import requests

from board import protocol as p
from conftest import create_workshop
from rawsocket import RawSocket, ack_of, event_payload

MAINTENANCE = "maintenance/techniques"
MOVE = {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5}


@pytest.fixture
def placement(workshop, clients):
    """A facilitator in Placement, the offender (a participant) and a bystander."""
    facilitator = clients(workshop["admin_token"])
    facilitator.wait_version(facilitator.command("set_sequence", {"index": 1})["version"])
    offender, bystander = (clients(person["token"]) for person in workshop["participants"][:2])
    return facilitator, offender, bystander


def errors_after(client, send):
    """The `error` events `send()` brought to `client`, counted after a round trip that follows it
    (what the server says about one message reaches the socket before its answer to the next)."""
    before = len(client.messages(p.SERVER_ERROR))
    send()
    client.call(p.CLIENT_SYNC, {"since": client.replica.version})
    return client.messages(p.SERVER_ERROR)[before:]


# (name, event, arguments): each one is malformed, whoever sends it.
MALFORMED = [
    ("command without argument", p.CLIENT_COMMAND, ()),
    ("command with two arguments", p.CLIENT_COMMAND, ({"id": "a1", "type": "move_card", "data": MOVE}, {})),
    ("command with three arguments", p.CLIENT_COMMAND, (1, 2, 3)),
    ("command type is a list", p.CLIENT_COMMAND, ({"id": "a2", "type": ["join"], "data": {}},)),
    ("command type is an object", p.CLIENT_COMMAND, ({"id": "a3", "type": {"join": 1}, "data": {}},)),
    ("command type is a number", p.CLIENT_COMMAND, ({"id": "a4", "type": 7, "data": {}},)),
    ("command claims to be the server", p.CLIENT_COMMAND,
     ({"id": "a5", "type": "move_card", "data": MOVE, "actor": "system"},)),
    ("command names a board", p.CLIENT_COMMAND, ({"id": "a6", "type": "move_card", "data": MOVE, "board": "b1"},)),
    ("command data is a list", p.CLIENT_COMMAND, ({"id": "a7", "type": "move_card", "data": [1]},)),
    ("sync without argument", p.CLIENT_SYNC, ()),
    ("sync with two arguments", p.CLIENT_SYNC, ({"since": 0}, {"since": 0})),
    ("drag without argument", p.CLIENT_DRAG, ()),
    ("drag with two arguments", p.CLIENT_DRAG, ({"card_id": "d01", "x": 0.1, "y": 0.1}, 5)),
    ("drag with an unknown field", p.CLIENT_DRAG, ({"card_id": "d01", "x": 0.1, "y": 0.1, "by": "someone"},)),
    ("drag active is text", p.CLIENT_DRAG, ({"card_id": "d01", "x": 0.1, "y": 0.1, "active": "no"},)),
    ("cursor without argument", p.CLIENT_CURSOR, ()),
    ("cursor with two arguments", p.CLIENT_CURSOR, ({"x": 0.1, "y": 0.1}, {"x": 0.2, "y": 0.2})),
    ("cursor not an object", p.CLIENT_CURSOR, ("here",)),
    ("unknown event", "delete_everything", ({"all": True},)),
    ("unknown event without argument", "hello", ()),
    ("the library's own connect", "connect", ({"token": "x" * 32},)),
    ("the library's own disconnect", "disconnect", ()),
]


@pytest.mark.parametrize("case, event, args", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_a_malformed_message_with_an_acknowledgement_gets_one_bad_request_in_it(placement, case, event, args):
    facilitator, offender, bystander = placement
    before = facilitator.state()
    answers = []
    errors = errors_after(offender, lambda: answers.append(offender.sio.call(event, args if args else None,
                                                                             timeout=5)))
    assert answers[0]["ok"] is False and answers[0]["code"] == "bad_request", answers
    assert answers[0]["message"][0].isupper()
    assert errors == []  # refused once: in the acknowledgement, not also as an `error`
    assert offender.sio.connected and offender.me["role"] == "participant"
    assert facilitator.state() == before and bystander.messages(p.SERVER_ERROR) == []


@pytest.mark.parametrize("case, event, args", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_a_malformed_message_without_an_acknowledgement_gets_one_error_event(placement, case, event, args):
    facilitator, offender, bystander = placement
    before = facilitator.state()
    errors = errors_after(offender, lambda: offender.sio.emit(event, args if args else None))
    assert [e["code"] for e in errors] == ["bad_request"], errors
    assert facilitator.state() == before and bystander.messages(p.SERVER_ERROR) == []


def test_a_refused_command_without_an_acknowledgement_gets_one_error(placement):
    facilitator, offender, bystander = placement
    assert facilitator.command("set_sequence", {"index": 0})["ok"]  # Découverte: nothing moves
    errors = errors_after(offender, lambda: offender.emit(p.CLIENT_COMMAND, {"id": "m1", "type": "move_card",
                                                                             "data": MOVE}))
    assert [e["code"] for e in errors] == ["sequence_closed"]
    # Accepted without an acknowledgement: no error, the change reaches everyone.
    errors = errors_after(facilitator, lambda: facilitator.emit(p.CLIENT_COMMAND, {
        "id": "m2", "type": "move_card", "data": MOVE}))
    assert errors == []
    bystander.wait_for(lambda: any(e["command_id"] == "m2" for e in bystander.messages(p.SERVER_EVENT)))


def test_the_library_s_own_connect_event_cannot_change_who_a_socket_is(workshop, placement):
    facilitator, offender, bystander = placement
    answer = offender.sio.call("connect", (None, {"token": workshop["admin_token"]}), timeout=5)
    assert answer["code"] == "bad_request"
    refused = offender.command("set_sequence", {"index": 2})
    assert refused["code"] == "forbidden"  # still the participant it connected as


RAW_FRAMES = [
    ("not JSON", '42["command",'),
    ("an event with no name", "42[]"),
    ("an event named by a number", "42[1,{}]"),
    ("an event named by a list", '42[["command"],{}]'),
    ("not a list", '42{"command":1}'),
    ("a letter where the ack id goes", '42x["command",{}]'),
    ("an unknown packet type", '49["command",{}]'),
    ("a connect error from the client", "44{}"),
    ("an acknowledgement of nothing", "4312[{}]"),
    ("nesting far too deep", "42" + "[" * 3000 + "]" * 3000),
    ("no Engine.IO packet at all", "!"),  # these three are sent as they are, without the "4" below
    ("an empty frame", ""),
    ("an Engine.IO message nested far too deep", "4" + "[" * 3000),
]
WHOLE_FRAMES = ("no Engine.IO packet at all", "an empty frame", "an Engine.IO message nested far too deep")


@pytest.mark.parametrize("case, frame", RAW_FRAMES, ids=[c[0] for c in RAW_FRAMES])
def test_a_broken_raw_frame_gets_one_bad_request_and_the_socket_keeps_working(server, workshop, case, frame):
    raw = RawSocket(server.url)
    try:
        assert raw.connect({"token": workshop["participants"][0]["token"]}).startswith("0")
        raw.next_packet(lambda packet: (event_payload(packet) or ("",))[0] == p.SERVER_WELCOME)
        raw.send_raw(frame if case in WHOLE_FRAMES else "4" + frame)
        raw.send_packet('2900["sync",{"since":0}]')  # then an ordinary question, acknowledged
        raw.next_packet(lambda packet: (ack_of(packet) or (0,))[0] == 900, timeout=5)
        answers = [event_payload(packet) for packet in raw.drain()]
        errors = [data for name, data in filter(None, answers) if name == p.SERVER_ERROR]
        assert [e["code"] for e in errors] == ["bad_request"], answers
    finally:
        raw.close()
    assert requests.get(server.url + "/healthz", timeout=5).ok


def test_broken_long_polling_bodies_get_bad_request_and_leave_no_traceback(fresh_server):
    server = fresh_server(extra_args=["--no-demo"])
    workshop = create_workshop(server.url, participants=1)
    polling = server.url + "/socket.io/?EIO=4&transport=polling"
    session = requests.Session()
    opened = session.get(polling, timeout=5).text
    url = polling + "&sid=" + json.loads(opened[1:])["sid"]
    assert session.post(url, data="40" + json.dumps({"token": workshop["participants"][0]["token"]}),
                        timeout=5).ok
    assert "welcome" in session.get(url, timeout=5).text
    bodies = ["4x", "x", "42[]", "4" + "[" * 3000, "\x1e".join(["4x"] * 20), "d=%%%", b"4\xff\xfe"]
    for body in bodies:
        assert session.post(url, data=body if isinstance(body, bytes) else body.encode(), timeout=5).ok
        answer = session.get(url, timeout=5).text
        assert answer.startswith("42") and json.loads(answer[2:].split("\x1e")[0])[1]["code"] == "bad_request", \
            (body[:20], answer)
    assert "Traceback" not in server.output(), server.output()[-3000:]


def test_a_socket_without_a_token_is_answered_unauthorized(server):
    raw = RawSocket(server.url)
    try:
        assert raw.connect({"token": "not-a-real-token-but-long-enough"}).startswith("4")
        raw.send_packet('27["command",{"id":"x","type":"set_sequence","data":{"index":1}}]')
        assert ack_of(raw.next_packet(lambda packet: packet.startswith("3")))[1]["code"] == "unauthorized"
        raw.send_packet('2["drag",{"card_id":"d01","x":0.1,"y":0.1}]')
        name, error = event_payload(raw.next_packet(lambda packet: packet.startswith("2")))
        assert (name, error["code"]) == (p.SERVER_ERROR, "unauthorized")
    finally:
        raw.close()
