"""Bad input of every kind: a clear error to that client only, nothing changed, server still serving."""
import pytest
import requests
import socketio

from board import protocol as p
from conftest import create_workshop, in_process_facilitator

MAINTENANCE = "maintenance/techniques"


@pytest.fixture
def room(workshop, clients):
    """Facilitator in Placement, an offender, two bystanders and the state before anything bad."""
    facilitator = clients(workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    offender, *bystanders = [clients(person["token"]) for person in workshop["participants"]]
    for client in (offender, *bystanders):
        client.wait_version(facilitator.replica.version)
    return facilitator, offender, bystanders


def assert_nothing_happened(facilitator, offender, bystanders, before):
    """Same state everywhere, and nobody but the offender got an error or an event."""
    marker = facilitator.command("move_card", {"card_id": "d61", "zone_id": "parking", "x": 0.5, "y": 0.5})
    assert marker["ok"], marker
    for client in (offender, *bystanders):
        client.wait_version(marker["version"])
        assert marker["version"] == before["version"] + 1  # nothing was accepted in between
    for client in bystanders:
        assert client.messages(p.SERVER_ERROR) == []
        assert [e["type"] for e in client.messages(p.SERVER_EVENT)][-1:] == ["card_moved"]
    assert offender.state() == bystanders[0].state() == facilitator.state()


BAD_COMMANDS = [
    ("not an object", "just a string", "bad_request"),
    ("no id", {"type": "move_card", "data": {}}, "bad_request"),
    ("unknown type", {"id": "x1", "type": "fly_away", "data": {}}, "bad_request"),
    ("missing field", {"id": "x2", "type": "move_card", "data": {"card_id": "d01", "x": 0.1, "y": 0.1}},
     "bad_request"),
    ("wrong type", {"id": "x3", "type": "move_card",
                    "data": {"card_id": "d01", "zone_id": MAINTENANCE, "x": "left", "y": 0.1}}, "bad_request"),
    ("position outside the zone", {"id": "x4", "type": "move_card",
                                   "data": {"card_id": "d01", "zone_id": MAINTENANCE, "x": 1.5, "y": 0.1}},
     "bad_request"),
    ("unknown card", {"id": "x5", "type": "move_card",
                      "data": {"card_id": "nope", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.1}}, "not_found"),
    ("unknown zone", {"id": "x6", "type": "move_card",
                      "data": {"card_id": "d01", "zone_id": "mars/techniques", "x": 0.1, "y": 0.1}}, "not_found"),
    ("unknown field", {"id": "x7", "type": "move_card",
                       "data": {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.1, "board": "b1"}},
     "bad_request"),
    ("wrong role", {"id": "x8", "type": "set_sequence", "data": {"index": 3}}, "forbidden"),
    ("server-only command", {"id": "x9", "type": "join", "data": {"participant_id": "p1", "name": "x",
                                                                  "role": "facilitator"}}, "forbidden"),
    ("oversized text", {"id": "x10", "type": "edit_card", "data": {"card_id": "d01", "text": "é" * 281}},
     "too_large"),
    ("command above the size limit", {"id": "x11", "type": "move_card", "data": {"card_id": "x" * 9000}},
     "too_large"),
]


@pytest.mark.parametrize("case, message, code", BAD_COMMANDS, ids=[c[0] for c in BAD_COMMANDS])
def test_a_bad_command_gets_a_clear_error_and_changes_nothing(room, case, message, code):
    facilitator, offender, bystanders = room
    before = facilitator.state()
    ack = offender.call(p.CLIENT_COMMAND, message)
    assert ack["ok"] is False and ack["code"] == code, ack
    assert len(ack["message"]) > 10 and ack["message"][0].isupper()
    assert_nothing_happened(facilitator, offender, bystanders, before)


def test_the_projector_cannot_change_anything(workshop, room, clients):
    facilitator, offender, bystanders = room
    projector = clients(workshop["projector_token"])
    before = facilitator.state()
    ack = projector.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.1})
    assert ack["code"] == "forbidden"
    assert_nothing_happened(facilitator, offender, bystanders, before)


def test_an_unknown_event_gets_an_error_to_that_client_only(room):
    facilitator, offender, bystanders = room
    before = facilitator.state()
    offender.emit("delete_everything", {"all": True})
    offender.wait_for(lambda: offender.messages(p.SERVER_ERROR) != [])
    assert offender.messages(p.SERVER_ERROR)[0]["code"] == "bad_request"
    assert "delete_everything" in offender.messages(p.SERVER_ERROR)[0]["message"]
    assert_nothing_happened(facilitator, offender, bystanders, before)


def test_malformed_drag_messages_get_an_error_and_relay_nothing(room):
    facilitator, offender, bystanders = room
    for bad in ({"card_id": "d01", "x": "far", "y": 0}, {"card_id": "ghost", "x": 0.1, "y": 0.1}, [1, 2]):
        offender.emit(p.CLIENT_DRAG, bad)
    offender.wait_for(lambda: len(offender.messages(p.SERVER_ERROR)) == 3)
    assert [m["code"] for m in offender.messages(p.SERVER_ERROR)] == ["bad_request", "not_found", "bad_request"]
    assert all(client.positions(p.SERVER_DRAG) == [] for client in bystanders)


def test_a_flood_of_commands_is_rate_limited_and_the_rest_are_served(room):
    facilitator, offender, bystanders = room
    answers = []
    for i in range(p.COMMAND_BURST + 60):  # sent without waiting for acks, as a runaway script would
        offender.sio.emit(p.CLIENT_COMMAND, {"id": f"flood-{i}", "type": "move_card", "data": {
            "card_id": "d02", "zone_id": MAINTENANCE, "x": (i % 10) / 10, "y": 0.5}}, callback=answers.append)
    offender.wait_for(lambda: len(answers) == p.COMMAND_BURST + 60, timeout=10)
    limited = [a for a in answers if not a["ok"]]
    assert limited and all(a["code"] == "rate_limited" for a in limited)
    accepted = [a for a in answers if a["ok"]]
    bystanders[0].wait_version(accepted[-1]["version"])
    moves = [e for e in bystanders[0].messages(p.SERVER_EVENT) if e["type"] == "card_moved"]
    assert len(moves) == len(accepted)  # each accepted move once, none of the refused ones
    other = bystanders[1].command("move_card", {"card_id": "d03", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5})
    assert other["ok"]


def test_a_message_above_64_kb_is_refused_and_the_server_keeps_serving(room):
    facilitator, offender, bystanders = room
    before = facilitator.state()
    offender.emit(p.CLIENT_COMMAND, {"id": "huge", "type": "create_card", "data": {"text": "x" * 70_000}})
    offender.wait_for(lambda: not offender.sio.connected, timeout=5)
    assert facilitator.command("move_card", {"card_id": "d04", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5})["ok"]
    for client in bystanders:
        client.wait_version(before["version"] + 1)
        assert client.messages(p.SERVER_ERROR) == []


def test_a_connection_without_a_valid_token_is_refused(server):
    for auth in (None, {}, {"token": "not-a-real-token-but-long-enough"}, {"token": 42}):
        client = socketio.Client(reconnection=False)
        refusals = []
        client.on("connect_error", refusals.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)
        assert refusals[0]["data"]["code"] == "unauthorized" and "not valid" in refusals[0]["message"]


def test_a_token_opens_its_own_board_only(server, workshop, clients):
    other = create_workshop(server.url, participants=1)
    outsider = clients(other["participants"][0]["token"])
    insider = clients(workshop["participants"][0]["token"])
    assert outsider.state()["id"] == other["board_id"] != insider.state()["id"]
    clients(other["admin_token"]).command("set_sequence", {"index": 1})
    ack = outsider.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5})
    assert ack["ok"]
    assert next(c for c in insider.state()["cards"] if c["id"] == "d01")["zone"] == "deck"
    assert insider.messages(p.SERVER_EVENT) == []


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_socket_from_another_origin_is_refused(server, workshop, clients, transport):
    token = workshop["participants"][0]["token"]
    evil = "http://evil.example"
    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": evil})
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"token": token}, headers={"Origin": evil} if transport == "polling" else {},
                       transports=[transport], wait_timeout=5)
    same = clients(token, origin=server.url)
    assert same.state()["id"] == workshop["board_id"]


def test_tokens_never_appear_in_the_server_log(server, workshop):
    for url in (workshop["facilitator_url"], workshop["projector_url"]):
        assert requests.get(url, timeout=5).ok
    person = workshop["participants"][0]
    assert requests.get(person["board_url"], timeout=5).ok
    log = server.output()
    # The request was logged with its board's id (no secret: a proxy routes on it), without its secret.
    assert f"GET /f/{workshop['board_id']}.[secret]" in log
    for token in (workshop["admin_token"], workshop["projector_token"], person["token"]):
        assert token.split(".", 1)[1] not in log


def test_http_join_refuses_bad_input_with_a_clear_error(server, workshop):
    cases = [({"code": workshop["join_code"]}, 400), ({"code": "ZZZZZZ", "name": "Eve"}, 404),
             ({"code": workshop["join_code"], "name": "x" * 61}, 413),
             ({"code": workshop["join_code"], "name": "   "}, 400), (["not", "an", "object"], 400)]
    for payload, status in cases:
        response = requests.post(server.url + "/join", json=payload, timeout=5)
        assert response.status_code == status, (payload, response.text)
        assert response.json()["ok"] is False and response.json()["message"]


def test_the_snapshot_api_needs_a_valid_token(server, workshop):
    assert requests.get(server.url + "/api/board", timeout=5).status_code == 401
    bad = requests.get(server.url + "/api/board", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401
    good = requests.get(server.url + "/api/board", timeout=5,
                        headers={"Authorization": f"Bearer {workshop['projector_token']}"})
    assert good.json()["id"] == workshop["board_id"]


def test_the_command_limit_per_connection_is_the_servers_setting(tmp_path):
    """run.py --command-rate N (COMMAND_RATE): N commands a second per connection, bursts of 2N; past
    them a command is refused as rate_limited and changes nothing (in-process, Flask-SocketIO's client)."""
    client, room = in_process_facilitator(tmp_path / "rate.db", COMMAND_RATE=(1, 2))
    answers = [client.emit(p.CLIENT_COMMAND, {"id": f"c{n}", "type": "set_sequence", "data": {"index": (n + 1) % 2}},
                           callback=True) for n in range(4)]
    assert [a["ok"] for a in answers[:2]] == [True, True]
    assert [a.get("code") for a in answers[2:]] == ["rate_limited", "rate_limited"]
    assert room.version == answers[1]["version"]
    client.disconnect()
