"""End to end on run.py: the demo board, its links, and crashes that lose nothing acknowledged."""
import re

import requests

from conftest import create_workshop
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"


def printed_links(output):
    """The facilitator link, join code and projector link run.py printed."""
    return {"facilitator": re.search(r"Facilitator link.*?: (\S+)", output).group(1),
            "join_code": re.search(r"Join code: (\S+)", output).group(1),
            "projector": re.search(r"Projector link: (\S+)", output).group(1)}


def test_first_start_creates_the_demo_workshop_and_prints_working_links(fresh_server):
    server = fresh_server()
    links = printed_links(server.output())
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", links["join_code"])
    token = links["facilitator"].rsplit("/", 1)[1]
    assert len(token) >= 32  # at least 128 bits: 32 URL-safe characters carry 192
    page = requests.get(server.url + "/f/" + token, timeout=5)
    assert page.ok and links["join_code"] in page.text and f"/qr/{links['join_code']}.svg" in page.text
    projector = requests.get(server.url + "/s/" + links["projector"].rsplit("/", 1)[1], timeout=5)
    assert projector.ok and links["join_code"] in projector.text
    joined = requests.post(server.url + "/join", json={"code": links["join_code"], "name": "Ana"}, timeout=5)
    assert joined.status_code == 201


def test_a_restart_keeps_the_demo_board_and_prints_the_same_links(fresh_server):
    first = fresh_server()
    first_links = printed_links(first.output())
    first.stop()
    second = fresh_server(port=first.port)
    output = second.output().split("Atelier is running")[-1]
    links = printed_links("Atelier is running" + output)
    assert links == first_links  # told again, not minted: the links handed out before still open it
    assert requests.get(server_health(second), timeout=5).json()["boards"] == 1
    assert requests.get(links["facilitator"], timeout=5).ok
    assert requests.get(links["projector"], timeout=5).ok


def server_health(server):
    return server.url + "/healthz"


def test_a_crash_loses_nothing_that_was_acknowledged(fresh_server):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=3)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    people = [BoardClient(server.url, p["token"]) for p in workshop["participants"]]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    acks = []
    for n, person in enumerate(people * 5):
        acks.append(person.command("move_card", {"card_id": f"d{n + 1:02d}", "zone_id": MAINTENANCE,
                                                 "x": n / 20, "y": 0.5}, command_id=f"m{n}"))
    acks.append(people[0].command("create_card", {"kind": "postit", "text": "Écrit juste avant la panne",
                                                  "zone_id": "parking", "x": 0.5, "y": 0.5}, command_id="last"))
    assert all(a["ok"] for a in acks)
    expected = people[0].state()
    for client in (facilitator, *people):
        client.close()
    server.stop(kill=True)  # SIGKILL: no clean shutdown, as when a laptop's battery dies

    restarted = fresh_server(port=server.port, extra_args=["--no-demo"])
    again = BoardClient(restarted.url, workshop["participants"][0]["token"])
    try:
        assert again.state() == expected
        assert again.state()["version"] == acks[-1]["version"]
        # The same command resent after the crash (its ack was lost) is not applied twice.
        assert again.command("create_card", {"kind": "postit", "text": "Écrit juste avant la panne",
                                             "zone_id": "parking", "x": 0.5, "y": 0.5},
                             command_id="last") == acks[-1]
    finally:
        again.close()
