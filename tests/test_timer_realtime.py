"""The timer and "done" through the real server (eventlet, Socket.IO clients, SQLite): every client
and a late joiner compute the same remaining time; a freeze at zero refuses moves with `time_up` until
a minute is added; the done count reaches everyone and a new sequence resets it; all of it survives a
restart (TIME1, TIME3, TIME7, DONE1, DONE4)."""
import time

from board import protocol as p
from board.domain.timer import remaining
from conftest import create_workshop
from realtime import BoardClient

MOVE = {"card_id": "d01", "zone_id": "maintenance/techniques", "x": 0.5, "y": 0.5}


def left_now(client):
    """What a client shows now: the timer's end on the server's clock, less the server's time now as the
    client knows it (its own clock plus the offset it learnt from `welcome`'s server_time)."""
    welcome = client.messages(p.SERVER_WELCOME)[-1]
    offset = welcome["server_time"] - client.welcome_at
    with client.lock:
        return remaining(client.replica.timer, time.time() + offset)


def connect(url, token):
    """A client that notes its own clock when the welcome arrives, as a browser does."""
    client = BoardClient(url, token, connect=False)
    client.sio.on(p.SERVER_WELCOME, _noting(client, client.sio.handlers["/"][p.SERVER_WELCOME]))
    return client.connect()


def _noting(client, handler):
    def handle(payload=None):
        client.welcome_at = time.time()
        handler(payload)
    return handle


def test_three_clients_and_a_late_joiner_show_the_same_time_left(server):
    """TIME1: the end is an absolute time on the server's clock, and each client has that clock."""
    workshop = create_workshop(server.url, participants=3)
    clients = [connect(server.url, workshop["admin_token"]),
               *(connect(server.url, person["token"]) for person in workshop["participants"][:2])]
    try:
        ack = clients[0].command("start_timer", {"seconds": 300})
        assert ack["ok"], ack
        for client in clients:
            client.wait_version(ack["version"])
        time.sleep(1.2)  # the late joiner comes in a while after the start
        late = connect(server.url, workshop["participants"][2]["token"])
        clients.append(late)
        assert "server_time" in late.messages(p.SERVER_WELCOME)[-1]
        shown = [left_now(client) for client in clients]
        assert max(shown) - min(shown) <= 1, shown
        assert 290 < min(shown) <= max(shown) < 299, shown  # counting down from 300, not from the join
        # A reconnecting client, resumed from its version, has the same time too.
        clients[1].close()
        clients[1].connect(resume=True)
        again = [left_now(client) for client in clients]
        assert max(again) - min(again) <= 1, again
    finally:
        for client in clients:
            client.close()


def test_a_freeze_at_zero_refuses_moves_with_time_up_until_a_minute_is_added(server):
    """TIME7 and TIME3 on the real server."""
    workshop = create_workshop(server.url, participants=1)
    facilitator = connect(server.url, workshop["admin_token"])
    participant = connect(server.url, workshop["participants"][0]["token"])
    try:
        team = facilitator.command("create_team", {"name": "Rouge", "colour": "#aa0000"})
        assert facilitator.command("join_team", {"team_id": f"t{team['version']}",
                                                 "participant_id": workshop["participants"][0]["participant_id"]})["ok"]
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # Placement: moves open
        assert facilitator.command("start_timer", {"seconds": 60, "freeze": True})["ok"]
        assert participant.command("move_card", MOVE)["ok"]
        # A minute taken off a one-minute timer: time is up now, as the facilitator chose.
        assert facilitator.command("adjust_timer", {"minutes": -1})["ok"]
        refused = participant.command("move_card", {**MOVE, "card_id": "d02"})
        assert refused["ok"] is False and refused["code"] == "time_up", refused
        assert participant.command("set_done", {"done": True})["ok"]  # done is never frozen
        assert facilitator.command("move_card", {**MOVE, "card_id": "d03"})["ok"]  # nor the facilitator
        ack = facilitator.command("adjust_timer", {"minutes": 1})
        assert ack["ok"]
        participant.wait_version(ack["version"])
        assert 55 < left_now(participant) < 61  # a minute from now, give or take the clock offset's error
        assert participant.command("move_card", {**MOVE, "card_id": "d02"})["ok"]
    finally:
        participant.close()
        facilitator.close()


def test_done_reaches_everyone_counted_and_a_new_sequence_resets_it(server):
    """DONE1, DONE2, DONE4 on the real server; the projector receives the same count."""
    workshop = create_workshop(server.url, participants=3)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    projector = BoardClient(server.url, workshop["projector_token"])
    people = [BoardClient(server.url, person["token"]) for person in workshop["participants"]]
    try:
        for person in people[:2]:
            ack = person.command("set_done", {"done": True})
            assert ack["ok"], ack
        for client in (facilitator, projector, *people):
            client.wait_version(ack["version"])
            assert set(client.state()["done"]) == {p_["participant_id"] for p_ in workshop["participants"][:2]}
        assert people[0].command("set_done", {"done": False})["ok"]
        ack = facilitator.command("set_sequence", {"index": 1})  # Placement: a team says done
        for client in (facilitator, projector, *people):
            client.wait_version(ack["version"])
            assert client.state()["done"] == {}
        refused = people[2].command("set_done", {"done": True})
        assert refused["code"] == "forbidden"  # no team yet, in a team sequence
    finally:
        for client in (facilitator, projector, *people):
            client.close()


def test_a_running_timer_and_who_is_done_survive_a_restart(fresh_server, tmp_path):
    """TIME1, DONE1: both are in the durable log; after a restart the same end time and the same done."""
    server = fresh_server(extra_args=["--no-demo"])
    workshop = create_workshop(server.url, participants=1)
    facilitator = connect(server.url, workshop["admin_token"])
    person = connect(server.url, workshop["participants"][0]["token"])
    assert facilitator.command("start_timer", {"seconds": 600, "freeze": True})["ok"]
    ack = person.command("set_done", {"done": True})
    assert ack["ok"]
    facilitator.wait_version(ack["version"])
    before = facilitator.state()
    facilitator.close()
    person.close()
    server.stop()
    server.start()
    again = connect(server.url, workshop["admin_token"])
    try:
        after = again.state()
        assert after["timer"] == before["timer"] and after["timer"]["status"] == "running"
        assert after["done"] == before["done"] == {workshop["participants"][0]["participant_id"]: "participant"}
        assert 590 < left_now(again) < 600
    finally:
        again.close()
