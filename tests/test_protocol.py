"""The real-time protocol against a real eventlet server with real Socket.IO clients."""
import requests

from board import protocol as p

MAINTENANCE = "maintenance/techniques"


def open_three(workshop, clients):
    """Three participants connected to one board."""
    return [clients(person["token"]) for person in workshop["participants"]]


def advance_to_placement(workshop, clients):
    facilitator = clients(workshop["admin_token"])
    ack = facilitator.command("set_sequence", {"index": 1})
    assert ack["ok"]
    facilitator.wait_version(ack["version"])
    return facilitator


def test_welcome_carries_the_full_state_version_and_who_is_online(workshop, clients):
    a, b, c = open_three(workshop, clients)
    welcome = c.messages(p.SERVER_WELCOME)[0]
    assert welcome["protocol"] == p.PROTOCOL_VERSION
    assert welcome["version"] == welcome["state"]["version"]
    assert len([card for card in welcome["state"]["cards"] if card["kind"] == "deck"]) == 62
    ids = {person["participant_id"] for person in workshop["participants"]}
    assert {who["id"] for who in welcome["online"]} == ids
    a.wait_for(lambda: {who["id"] for who in a.online} == ids)


def test_a_move_is_acknowledged_and_seen_by_the_two_others_with_the_same_version(workshop, clients):
    a, b, c = open_three(workshop, clients)
    advance_to_placement(workshop, clients)
    ack = a.command("move_card", {"card_id": "d05", "zone_id": MAINTENANCE, "x": 0.25, "y": 0.5})
    assert ack["ok"] is True
    for other in (b, c):
        other.wait_version(ack["version"])
        seen = [e for e in other.messages(p.SERVER_EVENT) if e["type"] == "card_moved"]
        assert seen == [e for e in a.messages(p.SERVER_EVENT) if e["type"] == "card_moved"]
        assert seen[0]["version"] == ack["version"]
        assert other.state()["cards"] == a.state()["cards"]
    assert next(card for card in b.state()["cards"] if card["id"] == "d05")["zone"] == MAINTENANCE


def test_a_rejected_command_changes_nothing_anywhere(workshop, clients):
    a, b, c = open_three(workshop, clients)
    before = requests.get(workshop_url(workshop, "/api/board"), headers=bearer(workshop["admin_token"])).json()
    ack = a.command("move_card", {"card_id": "d05", "zone_id": MAINTENANCE, "x": 0.2, "y": 0.2})
    assert ack == {"ok": False, "code": "sequence_closed", "message": ack["message"]}
    assert "Discovery" in ack["message"]
    after = requests.get(workshop_url(workshop, "/api/board"), headers=bearer(workshop["admin_token"])).json()
    assert after == before
    # A marker command proves the others would have seen an event by now.
    marker = advance_to_placement(workshop, clients)
    for client in (a, b, c):
        client.wait_version(after["version"] + 1)
        assert [e["type"] for e in client.messages(p.SERVER_EVENT)] == ["sequence_changed"]
    assert marker.state() == a.state()


def test_a_resent_command_returns_the_first_answer_and_applies_once(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    advance_to_placement(workshop, clients)
    move = {"card_id": "d07", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.1}
    first = a.command("move_card", move, command_id="same-id")
    again = a.command("move_card", {**move, "x": 0.9}, command_id="same-id")
    assert again == first
    b.wait_version(first["version"])
    assert len([e for e in b.messages(p.SERVER_EVENT) if e["type"] == "card_moved"]) == 1


def test_a_resent_command_is_not_applied_twice_across_a_reconnect(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    advance_to_placement(workshop, clients)
    first = a.command("move_card", {"card_id": "d08", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.3},
                      command_id="lost-ack")
    a.close()
    a.connect()
    again = a.command("move_card", {"card_id": "d08", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.3},
                      command_id="lost-ack")
    assert again == first
    b.wait_version(first["version"])
    assert a.state()["version"] == first["version"]


def test_a_client_catches_up_after_a_disconnect(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    b.wait_version(advance_to_placement(workshop, clients).replica.version)  # b has seen the sequence change
    b.close()
    last_seen = b.replica.version
    versions = [a.command("move_card", {"card_id": f"d1{i}", "zone_id": MAINTENANCE, "x": 0.1 * i, "y": 0.5})
                ["version"] for i in range(4)]
    b.sio = type(b.sio)(reconnection=False)
    for name in p.SERVER_EVENTS:
        b.sio.on(name, b._handler(name))
    b.sio.connect(b.url, auth={"token": b.token}, transports=["websocket"], wait_timeout=5)
    b.wait_for(lambda: len(b.messages(p.SERVER_WELCOME)) == 2)
    answer = b.call(p.CLIENT_SYNC, {"since": last_seen})
    assert [e["version"] for e in answer["events"]] == versions
    assert answer["version"] == versions[-1]


def test_sync_gives_the_missed_events_in_order(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    start = advance_to_placement(workshop, clients).state()["version"]
    for i in range(3):
        a.command("move_card", {"card_id": "d20", "zone_id": MAINTENANCE, "x": 0.2 * i, "y": 0.5})
    answer = b.call(p.CLIENT_SYNC, {"since": start})
    assert [e["version"] for e in answer["events"]] == [start + 1, start + 2, start + 3]
    assert [e["data"]["x"] for e in answer["events"]] == [0.0, 0.2, 0.4]


def test_presence_says_who_left(workshop, clients):
    a, b, c = open_three(workshop, clients)
    a.wait_for(lambda: len(a.online) == 3)
    c.close()
    a.wait_for(lambda: len(a.online) == 2)
    assert workshop["participants"][2]["participant_id"] not in {who["id"] for who in a.online}


def test_presence_shows_the_team_a_participant_joins(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    facilitator = clients(workshop["admin_token"])
    team = facilitator.command("create_team", {"name": "Les Bleus", "colour": "#1f4e9c"})
    joined = a.command("join_team", {"team_id": f"t{team['version']}"})
    assert joined["ok"], joined
    b.wait_version(joined["version"])
    me = next(person for person in b.state()["participants"] if person["id"] == a.me["id"])
    assert me["team"] == f"t{team['version']}"


def test_drag_positions_reach_the_others_but_are_never_stored(workshop, clients):
    advance_to_placement(workshop, clients)  # a drag is relayed only where the move may be made
    a, b, c = open_three(workshop, clients)
    version = a.state()["version"]
    for i in range(5):
        a.emit(p.CLIENT_DRAG, {"card_id": "d03", "zone_id": MAINTENANCE, "x": i / 10, "y": 0.5})
    b.wait_for(lambda: any(m["x"] == 0.4 for m in b.positions(p.SERVER_DRAG)))
    c.wait_for(lambda: any(m["x"] == 0.4 for m in c.positions(p.SERVER_DRAG)))
    assert all(m["by"] == a.me["id"] and "version" not in m for m in b.positions(p.SERVER_DRAG))
    assert a.positions(p.SERVER_DRAG) == []  # the dragger is not echoed
    snapshot = requests.get(workshop_url(workshop, "/api/board"), headers=bearer(workshop["admin_token"])).json()
    assert snapshot["version"] == version


def test_drag_positions_are_coalesced_to_about_thirty_per_second(workshop, clients):
    advance_to_placement(workshop, clients)
    a, b, _ = open_three(workshop, clients)
    for i in range(60):  # sent as fast as the socket allows, far above 30 per second
        a.emit(p.CLIENT_DRAG, {"card_id": "d03", "x": i / 100, "y": 0.5})
    b.wait_for(lambda: any(m["x"] == 0.59 for m in b.positions(p.SERVER_DRAG)), timeout=5)
    relayed = b.positions(p.SERVER_DRAG)
    assert len(relayed) < 30
    assert relayed[-1]["x"] == 0.59  # the latest position wins


def test_cursor_positions_reach_the_others(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    a.emit(p.CLIENT_CURSOR, {"x": 0.3, "y": 0.7})
    b.wait_for(lambda: b.messages(p.SERVER_CURSOR) != [])
    assert b.positions(p.SERVER_CURSOR)[0] == {"x": 0.3, "y": 0.7, "by": a.me["id"]}


def test_two_clients_moving_the_same_card_end_with_the_same_result_everywhere(workshop, clients):
    import threading
    a, b, c = open_three(workshop, clients)
    advance_to_placement(workshop, clients)
    acks = {}

    def mover(client, x):
        acks[x] = [client.command("move_card", {"card_id": "d30", "zone_id": MAINTENANCE, "x": x, "y": x})
                   for _ in range(5)]
    threads = [threading.Thread(target=mover, args=(client, x)) for client, x in ((a, 0.1), (b, 0.9))]
    [t.start() for t in threads]
    [t.join(10) for t in threads]
    last = max(ack["version"] for group in acks.values() for ack in group)
    for client in (a, b, c):
        client.wait_version(last)
    assert a.state() == b.state() == c.state()


def workshop_url(workshop, path):
    return workshop["facilitator_url"].split("/f/")[0] + path


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_returning_client_gets_only_what_it_missed(workshop, clients):
    a, b, _ = open_three(workshop, clients)
    advance_to_placement(workshop, clients)
    b.wait_version(a.replica.version)
    b.close()
    acks = [a.command("move_card", {"card_id": f"d4{i}", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5})
            for i in range(3)]
    b.connect(resume=True)
    welcome = b.messages(p.SERVER_WELCOME)[-1]
    assert "state" not in welcome
    assert [e["version"] for e in welcome["events"]] == [ack["version"] for ack in acks]
    b.wait_version(acks[-1]["version"])
    assert b.state() == a.state()


def test_a_client_claiming_a_version_the_server_never_had_gets_the_full_state(workshop, clients):
    a = clients(workshop["participants"][0]["token"])
    a.close()
    a.replica.version += 1000
    a.connect(resume=True)
    welcome = a.messages(p.SERVER_WELCOME)[-1]
    assert welcome["state"]["version"] == welcome["version"] < 1000
