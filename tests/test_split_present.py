"""Splitting those present (TEAM20): the console sends `present: true`, the server deals whoever has a
socket on the board, so a plenary of 500 is one small command, not a list of 500 ids over the limit.

Real server, real sockets: the facilitator is a BoardClient; the 500 participants are light
websockets (one Socket.IO connect each, then they only read and throw away what arrives).
"""
import collections

from conftest import create_workshop, join
from presence_sockets import close_all, open_present
from realtime import BoardClient

PLENARY = 500
TEAMS = 8


def team_sizes(client, participant_ids):
    """(how many of `participant_ids` each team holds, {participant id: team}) in the replica."""
    members = {m["id"]: m["team"] for m in client.state()["participants"]}
    return collections.Counter(members[pid] for pid in participant_ids), members


def test_the_console_splits_a_plenary_of_500_present_into_balanced_teams(fresh_server):
    """TEAM20, TEAM10, CMD14: 500 connected participants, split into 8 teams from the one small
    command the console sends: every one of them is in a team, sizes differ by one at most; someone
    who joined but has no board open is not dealt. Listing the 500 ids instead is still too large."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "1000", "--per-address", "1200"])
    workshop = create_workshop(server.url, participants=PLENARY)
    away = join(server.url, workshop["join_code"], "Absente")  # joined, then closed the laptop
    ids = [person["participant_id"] for person in workshop["participants"]]
    sockets = []
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        sockets = open_present(server.url, [person["token"] for person in workshop["participants"]])
        facilitator.wait_for(lambda: sum(p["role"] == "participant" for p in facilitator.online) == PLENARY, 120)

        # What the console sent before: every id, over the command size limit, refused and nothing changed.
        listed = facilitator.command("split_teams", {"count": TEAMS, "participant_ids": ids}, timeout=30)
        assert (listed["ok"], listed["code"]) == (False, "too_large")

        answer = facilitator.command("split_teams", {"count": TEAMS, "present": True}, timeout=60)
        assert answer["ok"], answer
        facilitator.wait_version(answer["version"], timeout=60)
        sizes, members = team_sizes(facilitator, ids)
        assert None not in sizes, "a present participant was left without a team"
        assert len(sizes) == TEAMS and max(sizes.values()) - min(sizes.values()) <= 1, sizes
        assert members[away["participant_id"]] is None  # not connected: not dealt
        assert {t["name"] for t in facilitator.state()["teams"]} == {f"Équipe {n}" for n in range(1, TEAMS + 1)}
    finally:
        facilitator.close()
        close_all(sockets)


def test_a_present_split_keeps_chosen_teams_and_refuses_an_empty_room(server, clients):
    """TEAM20 with TEAM12 and TEAM11: without `everyone` only the connected without a team are dealt;
    with it they are dealt again; with nobody connected, `bad_request` and nothing changes; ids and
    `present` together, or neither, are `bad_request` (CMD14)."""
    workshop = create_workshop(server.url, participants=4)
    facilitator = clients(workshop["admin_token"])
    ids = [person["participant_id"] for person in workshop["participants"]]
    empty = facilitator.command("split_teams", {"count": 2, "present": True})
    assert (empty["ok"], empty["code"]) == (False, "bad_request")
    for data in ({"count": 2}, {"count": 2, "present": True, "participant_ids": ids[:1]}, {"count": 2, "present": False}):
        refused = facilitator.command("split_teams", data)
        assert (refused["ok"], refused["code"]) == (False, "bad_request"), data
    chooser, free, _other = (clients(workshop["participants"][i]["token"]) for i in range(3))  # ids[3] stays away
    created = facilitator.command("create_team", {"name": "Production", "colour": "#1f4e9c"})
    chosen = f"t{created['version']}"
    assert chooser.command("join_team", {"team_id": chosen})["ok"]
    facilitator.wait_for(lambda: sum(p["role"] == "participant" for p in facilitator.online) == 3)

    split = facilitator.command("split_teams", {"count": 2, "present": True})
    assert split["ok"], split
    facilitator.wait_version(split["version"])
    members = {m["id"]: m["team"] for m in facilitator.state()["participants"]}
    assert members[ids[0]] == chosen  # chose a team: kept it
    assert members[ids[1]] is not None and members[ids[2]] is not None
    assert members[ids[3]] is None  # not connected

    again = facilitator.command("split_teams", {"count": 2, "present": True, "everyone": True})
    assert again["ok"], again
    facilitator.wait_version(again["version"])
    sizes, members = team_sizes(facilitator, ids[:3])
    assert sorted(sizes.values()) == [1, 2] and members[ids[3]] is None
