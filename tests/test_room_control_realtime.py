"""The facilitator's hold on the room through the real server (docs/spec.md LOCK2, DOOR2, TEAM16, TEAM19):
a locked board refuses every participant command and relays no drag; a closed door refuses a join over
HTTP, JSON and form alike, with its message; a merged duplicate's cards and dots reach the one who stays,
and its token opens nothing any more. Real eventlet server, real Socket.IO clients, real SQLite."""
import pytest
import requests
import socketio

from board import protocol as p
from conftest import create_workshop, join
from realtime import BoardClient

CELL = "maintenance/techniques"


def as_team(facilitator, people):
    """One team with everyone in it, so each may move, write and vote on the team's cards."""
    created = facilitator.command("create_team", {"name": "Rouge", "colour": "#aa0000"})
    team = f"t{created['version']}"
    for person in people:
        assert facilitator.command("join_team", {"team_id": team, "participant_id": person["participant_id"]})["ok"]
    return team


def test_every_participant_command_kind_is_refused_while_locked_and_accepted_after(server, clients):
    """LOCK2, LOCK3: the six kinds a participant may send, each refused with `locked`, in the sequence
    that opens it; the same command goes through once the board is unlocked."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    as_team(facilitator, workshop["participants"])
    bruno = clients(workshop["participants"][0]["token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]  # Compléter: writing
    written = bruno.command("create_card", {"kind": "postit", "text": "Idée", "zone_id": CELL, "x": 0.5, "y": 0.5,
                                            "card_id": "postit-1"})
    assert written["ok"], written
    assert facilitator.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.2, "y": 0.2})["ok"]
    kinds = {  # sequence index -> the commands it opens to participants (the packaged format)
        1: [("move_card", {"card_id": "postit-1", "zone_id": "parking", "x": 0.5, "y": 0.5}), ("set_done", {"done": True}),
            ("join_team", {"team_id": None})],
        2: [("create_card", {"kind": "new", "text": "Autre", "zone_id": CELL, "x": 0.1, "y": 0.1}),
            ("edit_card", {"card_id": "postit-1", "text": "Idée revue"}),
            ("delete_card", {"card_id": "postit-1"})],
        3: [("vote", {"card_id": "d01", "delta": 1})],
    }
    refused = set()
    for index, commands in kinds.items():
        assert facilitator.command("set_sequence", {"index": index})["ok"]
        if index == 3:
            assert facilitator.command("open_vote")["ok"]
        locked = facilitator.command("lock_board")
        assert locked["ok"], locked
        bruno.wait_version(locked["version"])
        assert bruno.state()["room"]["locked"] is True
        for kind, data in commands:
            answer = bruno.command(kind, data)
            assert answer["ok"] is False and answer["code"] == "locked", (kind, answer)
            refused.add(kind)
        assert facilitator.command("unlock_board")["ok"]
        for kind, data in commands:
            answer = bruno.command(kind, data)
            assert answer["ok"], (kind, answer)
    assert refused == {"join_team", "move_card", "create_card", "edit_card", "delete_card", "vote", "set_done"}
    # rate_card needs a format with axes: its lock is tested in tests/test_ratings.py (RATE5); mark_card one
    # with marks (tests/test_marks_realtime.py); the family commands need a canvas, which this format has
    # not: tests/test_canvas_realtime.py locks them; link_card is opened by the factors map's themes
    # (tests/test_links_realtime.py locks it).
    families = {"create_zone", "rename_zone", "delete_zone", "move_zone"}
    # answer_evaluation needs a format with an evaluation: tests/test_evaluation_realtime.py locks it (EVAL).
    assert refused | {"rate_card", "mark_card", "link_card", "answer_evaluation"} == \
        set(p.CLIENT_COMMAND_TYPES) - set(_facilitator_only()) - families


def _facilitator_only():
    from board.domain.decide import POLICIES
    return [kind for kind, policy in POLICIES.items() if "participant" not in policy.roles]


def test_a_locked_board_relays_no_drag(server, clients):
    """LOCK2: a drag asking for an answer is told `locked` (a browser's 30 a second are dropped quietly);
    the others receive nothing until the board is unlocked."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    dragger, watcher = (clients(person["token"]) for person in workshop["participants"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    locked = facilitator.command("lock_board")
    dragger.wait_version(locked["version"])
    dragger.emit(p.CLIENT_DRAG, {"card_id": "d01", "zone_id": CELL, "x": 0.3, "y": 0.3})
    assert dragger.call(p.CLIENT_DRAG, {"card_id": "d01", "zone_id": CELL, "x": 0.4, "y": 0.4})["code"] == "locked"
    unlocked = facilitator.command("unlock_board")
    dragger.wait_version(unlocked["version"])
    dragger.emit(p.CLIENT_DRAG, {"card_id": "d01", "zone_id": CELL, "x": 0.7, "y": 0.7})
    # Messages from one socket arrive in order: once the later drag is in, the locked one never came.
    for client in (watcher, facilitator):
        client.wait_for(lambda c=client: any(m["x"] == 0.7 for m in c.positions(p.SERVER_DRAG)))
        assert [m["x"] for m in client.positions(p.SERVER_DRAG)] == [0.7]


def test_a_closed_door_refuses_a_join_over_json_and_on_the_form_with_its_message(server, clients):
    """DOOR2, DOOR3: JSON 403 `door_closed`; the form comes back with the code, the name and the message;
    the join page says so before anyone types; those already in come back; reopened, the join works."""
    workshop = create_workshop(server.url, participants=1)
    facilitator = clients(workshop["admin_token"])
    assert facilitator.command("close_door")["ok"]
    answer = requests.post(server.url + "/join", json={"code": workshop["join_code"], "name": "Tardif"}, timeout=5)
    assert answer.status_code == 403
    body = answer.json()
    assert (body["ok"], body["code"]) == (False, "door_closed") and "closed" in body["message"]
    page = requests.post(server.url + "/join", data={"code": workshop["join_code"], "name": "Tardif"}, timeout=5)
    assert page.status_code == 403
    assert 'id="door-closed-message"' in page.text and "fermé les entrées" in page.text
    assert f'value="{workshop["join_code"]}"' in page.text and 'value="Tardif"' in page.text
    form = requests.get(f"{server.url}/j/{workshop['join_code']}", timeout=5)
    assert form.status_code == 200 and 'id="door-closed-message"' in form.text
    # Someone already in is no late arrival: their link still opens the board.
    already = clients(workshop["participants"][0]["token"])
    assert already.state()["room"]["door_open"] is False
    assert facilitator.command("open_door")["ok"]
    assert 'id="door-closed-message"' not in requests.get(f"{server.url}/j/{workshop['join_code']}", timeout=5).text
    assert join(server.url, workshop["join_code"], "Tardif")["participant_id"]


def test_a_merged_duplicate_hands_over_cards_and_dots_and_its_token_stops_working(server, clients):
    """TEAM19, TEAM16: Bruno's phone placed a card, wrote a post-it and put a dot; merged into his laptop,
    all three are the laptop's on every screen, and the phone can neither act nor come back."""
    workshop = create_workshop(server.url, participants=3)
    laptop, phone, alice = workshop["participants"]
    facilitator = clients(workshop["admin_token"])
    as_team(facilitator, workshop["participants"])
    phone_client = clients(phone["token"])
    laptop_client = clients(laptop["token"])
    alice_client = clients(alice["token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    assert phone_client.command("move_card", {"card_id": "d05", "zone_id": CELL, "x": 0.5, "y": 0.5})["ok"]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    assert phone_client.command("create_card", {"kind": "postit", "text": "Du téléphone", "zone_id": CELL,
                                                "x": 0.5, "y": 0.9, "card_id": "phone-postit"})["ok"]
    assert facilitator.command("set_sequence", {"index": 3})["ok"]
    assert facilitator.command("open_vote")["ok"]
    assert phone_client.command("vote", {"card_id": "d05", "delta": 1})["ok"]
    merged = facilitator.command("remove_participant", {"participant_id": phone["participant_id"],
                                                        "merge_into": laptop["participant_id"]})
    assert merged["ok"], merged
    for client in (laptop_client, alice_client, facilitator):
        client.wait_version(merged["version"])
        cards = {card["id"]: card for card in client.state()["cards"]}
        assert cards["d05"]["placed_by"] == laptop["participant_id"]
        assert cards["phone-postit"]["author"] == laptop["participant_id"]
    assert laptop_client.state()["vote"]["dots"] == {laptop["participant_id"]: {"d05": 1}}
    assert alice_client.state()["vote"]["dots"] == {}  # nobody else reads the laptop's dots
    assert facilitator.state()["vote"]["dots"][laptop["participant_id"]] == {"d05": 1}
    # The laptop takes the dot back from its own budget: it is his now.
    assert laptop_client.command("vote", {"card_id": "d05", "delta": -1})["ok"]
    # The phone's token opens nothing: its next command, and its reconnect, are refused.
    phone_client.wait_for(lambda: any(m["code"] == "unauthorized" for m in phone_client.messages(p.SERVER_ERROR)))
    with pytest.raises(socketio.exceptions.ConnectionError):
        BoardClient(server.url, phone["token"])
    events = [e for e in facilitator.messages(p.SERVER_EVENT) if e["type"] == "participant_removed"]
    assert len(events) == 1 and events[0]["data"]["dots"] == {"d05": 1}


def test_a_removed_participant_s_next_command_and_reconnect_are_refused(server, clients):
    """TEAM16: the socket still open when the removal lands can change nothing; a new one is refused."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    gone = workshop["participants"][1]
    gone_client = clients(gone["token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    removed = facilitator.command("remove_participant", {"participant_id": gone["participant_id"]})
    assert removed["ok"]
    # Sent at once, before the server closes the socket (half a second later): answered, and refused.
    answer = gone_client.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})
    assert answer["ok"] is False and answer["code"] == "unauthorized"
    with pytest.raises(socketio.exceptions.ConnectionError):
        BoardClient(server.url, gone["token"])
    assert requests.get(f"{server.url}/p/{gone['token']}", timeout=5).status_code == 404
