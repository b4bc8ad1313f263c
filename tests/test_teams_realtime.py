"""Teams and identity through the real server: removing a participant (TEAM16) cuts their sockets and
their token, durably; a taken name is refused at the door with a free one (TEAM14); a split and a
team change reach every client (TEAM12, TEAM13). Real eventlet server, real Socket.IO clients."""
import pytest
import requests
import socketio

from board import protocol as p
from conftest import create_workshop, join
from realtime import BoardClient


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_removed_participant_is_told_cut_off_and_their_token_refused(server, clients):
    """TEAM16: their socket gets the event, then an unauthorized error, then is closed; the others
    see them leave; their token opens neither a socket nor the API any more."""
    workshop = create_workshop(server.url, participants=3)
    facilitator = clients(workshop["admin_token"])
    gone, stays, other = (clients(person["token"]) for person in workshop["participants"])
    gone_id = workshop["participants"][0]["participant_id"]
    stays.wait_for(lambda: gone_id in {who["id"] for who in stays.online})
    ack = facilitator.command("remove_participant", {"participant_id": gone_id})
    assert ack["ok"], ack
    gone.wait_for(lambda: any(e["type"] == "participant_removed" for e in gone.messages(p.SERVER_EVENT)))
    gone.wait_for(lambda: gone.messages(p.SERVER_ERROR))
    error = gone.messages(p.SERVER_ERROR)[-1]
    assert error["code"] == "unauthorized" and "removed" in error["message"]
    gone.wait_for(lambda: not gone.sio.connected, timeout=5)
    # The others: the member is gone from their board and from who is online.
    for client in (stays, other, facilitator):
        client.wait_version(ack["version"])
        assert gone_id not in {m["id"] for m in client.state()["participants"]}
    stays.wait_for(lambda: gone_id not in {who["id"] for who in stays.online})
    # The token is dead: a new connection is refused, and so is the API.
    with pytest.raises(socketio.exceptions.ConnectionError):
        BoardClient(server.url, workshop["participants"][0]["token"])
    answer = requests.get(server.url + "/api/board", headers=bearer(workshop["participants"][0]["token"]), timeout=5)
    assert answer.status_code == 401
    assert requests.get(f"{server.url}/p/{workshop['participants'][0]['token']}", timeout=5).status_code == 404


def test_a_removed_participant_s_command_in_flight_is_refused(server, clients):
    """TEAM16, ROLE1: a second device still connected when the first is removed can change nothing."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    duplicate = workshop["participants"][1]
    second_device = clients(duplicate["token"])
    assert facilitator.command("remove_participant", {"participant_id": duplicate["participant_id"],
                                                      "merge_into": workshop["participants"][0]["participant_id"]})["ok"]
    refused = second_device.command("move_card", {"card_id": "d01", "zone_id": "parking", "x": 0.5, "y": 0.5})
    assert refused["ok"] is False and refused["code"] == "unauthorized"


def test_a_removal_survives_a_restart(fresh_server):
    """TEAM16: the removal is in the durable log, so the token stays refused after a restart."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    removed = workshop["participants"][1]
    assert facilitator.command("remove_participant", {"participant_id": removed["participant_id"]})["ok"]
    facilitator.close()
    server.stop()
    server.start()
    with pytest.raises(socketio.exceptions.ConnectionError):
        BoardClient(server.url, removed["token"])
    kept = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        assert removed["participant_id"] not in {m["id"] for m in kept.state()["participants"]}
    finally:
        kept.close()


def test_a_name_already_on_the_board_is_refused_with_a_free_one_that_joins(server):
    """TEAM14 over HTTP: JSON gets 409 and the suggestion; the suggestion joins."""
    workshop = create_workshop(server.url)
    join(server.url, workshop["join_code"], "Bruno Garnier")
    answer = requests.post(server.url + "/join", json={"code": workshop["join_code"], "name": " bruno  garniér "},
                           timeout=5)
    assert answer.status_code == 409
    body = answer.json()
    assert body["ok"] is False and body["code"] == "conflict" and body["suggestion"] == "Bruno Garnier 2"
    joined = join(server.url, workshop["join_code"], body["suggestion"])
    assert joined["participant_id"]


def test_the_join_form_comes_back_with_the_code_and_the_suggestion(server):
    """TEAM14 on the form: the same page, the code kept, a button with the free name."""
    workshop = create_workshop(server.url)
    join(server.url, workshop["join_code"], "Bruno")
    page = requests.post(server.url + "/join", data={"code": workshop["join_code"], "name": "Bruno"}, timeout=5)
    assert page.status_code == 409
    assert f'value="{workshop["join_code"]}"' in page.text
    assert 'name="name" value="Bruno 2"' in page.text


def test_a_split_and_a_team_change_reach_every_participant(server, clients):
    """TEAM12, TEAM13: the one who chose a team keeps it; the others are dealt; a rename shows everywhere."""
    workshop = create_workshop(server.url, participants=4)
    facilitator = clients(workshop["admin_token"])
    people = [clients(person["token"]) for person in workshop["participants"]]
    ids = [person["participant_id"] for person in workshop["participants"]]
    created = facilitator.command("create_team", {"name": "Production", "colour": "#1f4e9c"})
    chosen = f"t{created['version']}"
    assert people[0].command("join_team", {"team_id": chosen})["ok"]
    split = facilitator.command("split_teams", {"count": 2, "participant_ids": ids})
    assert split["ok"], split
    renamed = facilitator.command("set_team", {"team_id": chosen, "name": "Prod", "domain": "socle"})
    for client in people:
        client.wait_version(renamed["version"])
        state = client.state()
        teams = {t["id"]: t for t in state["teams"]}
        members = {m["id"]: m["team"] for m in state["participants"]}
        assert members[ids[0]] == chosen  # kept the team they chose
        assert all(members[pid] is not None for pid in ids)
        assert (teams[chosen]["name"], teams[chosen]["domain"]) == ("Prod", "socle")
