"""The Panorama's labels through the real server (docs/spec.md PANO1, PANO5, PANO10, PANO12): every
socket of the board (participants, the projector, the facilitator's) receives each change as one event
and holds the same labels; a removal refused because cards are in the domain answers `not_empty`,
reaches nobody and changes nothing; a restart keeps the labels. Real eventlet server, real Socket.IO
clients, real SQLite."""
import requests

from board import protocol as p
from conftest import create_workshop
from realtime import BoardClient

CELL = "maintenance/techniques"


def labels(state):
    """The rows and columns a snapshot holds, as (id, French name) in order, and its cell zones."""
    panorama = state["format"]["panorama"]
    cells = sorted(zone["id"] for zone in state["zones"] if zone["kind"] == "cell")
    return ([(r["id"], r["label"]["fr"]) for r in panorama["rows"]],
            [(c["id"], c["label"]["fr"]) for c in panorama["columns"]], cells)


def events_of(client, kind):
    return [event for event in client.messages(p.SERVER_EVENT) if event["type"] == kind]


def test_every_screen_receives_a_rename_an_addition_and_a_removal_as_one_event_each(server, clients):
    """PANO12: two participants, the projector and a second facilitator socket get each event once,
    and their replicas hold the facilitator's labels, cells included."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    screens = [clients(person["token"]) for person in workshop["participants"]]
    screens += [clients(workshop["projector_token"]), clients(workshop["admin_token"])]
    answers = [facilitator.command("rename_domain", {"domain_id": "socle", "label": "Socle transverse"}),
               facilitator.command("add_domain", {"label": "Sûreté nucléaire"}),
               facilitator.command("add_category", {"label": "Savoirs"}),
               facilitator.command("remove_domain", {"domain_id": "management"})]
    assert all(answer["ok"] for answer in answers), answers
    for screen in screens:
        screen.wait_version(answers[-1]["version"])
        assert [len(events_of(screen, kind)) for kind in
                ("panorama_line_renamed", "panorama_line_added", "panorama_line_removed")] == [1, 2, 1]
        assert labels(screen.state()) == labels(facilitator.state())
    rows, columns, cells = labels(screens[0].state())
    assert rows[0] == ("socle", "Socle transverse") and rows[-1] == ("surete-nucleaire", "Sûreté nucléaire")
    assert "management" not in dict(rows) and columns[-1] == ("savoirs", "Savoirs")
    assert len(cells) == 8 * 3 and "surete-nucleaire/savoirs" in cells
    # A card goes to a new cell like to any other, for everyone.
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    moved = screens[0].command("move_card", {"card_id": "d01", "zone_id": "surete-nucleaire/savoirs", "x": 0.5, "y": 0.5})
    assert moved["ok"], moved
    screens[2].wait_version(moved["version"])
    assert next(c for c in screens[2].state()["cards"] if c["id"] == "d01")["zone"] == "surete-nucleaire/savoirs"


def test_a_removal_refused_because_cards_are_in_the_domain_says_why_and_changes_nothing(server, clients):
    """PANO5: `not_empty` with the count, no event to anyone, every replica as it was; once the card is
    back in the deck the same removal goes through and reaches everyone (PANO6: the deck cards that
    suggested it no longer do)."""
    workshop = create_workshop(server.url, participants=1)
    facilitator = clients(workshop["admin_token"])
    bruno, projector = clients(workshop["participants"][0]["token"]), clients(workshop["projector_token"])
    placed = facilitator.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})
    bruno.wait_version(placed["version"])
    projector.wait_version(placed["version"])
    before = [bruno.state(), projector.state()]
    refused = facilitator.command("remove_domain", {"domain_id": "maintenance"})
    assert refused["ok"] is False and refused["code"] == "not_empty"
    assert "1 card" in refused["message"]
    # A command after it is the next version: nothing was stored or sent in between.
    later = facilitator.command("set_projector", {"show_join": False})
    assert later["version"] == placed["version"] + 1
    for screen, was in zip((bruno, projector), before):
        screen.wait_version(later["version"])
        assert events_of(screen, "panorama_line_removed") == []
        assert labels(screen.state()) == labels(was)
    assert facilitator.command("move_card", {"card_id": "d01", "zone_id": "deck", "x": 0, "y": 0})["ok"]
    removed = facilitator.command("remove_domain", {"domain_id": "maintenance"})
    assert removed["ok"], removed
    bruno.wait_version(removed["version"])
    assert "maintenance" not in dict(labels(bruno.state())[0])
    assert all(card["domain"] != "maintenance" for card in bruno.state()["cards"])


def test_only_the_facilitator_changes_labels_over_the_socket(server, clients):
    """PANO1: a participant is refused with forbidden, the projector too; nothing changes."""
    workshop = create_workshop(server.url, participants=1)
    bruno, projector = clients(workshop["participants"][0]["token"]), clients(workshop["projector_token"])
    for screen in (bruno, projector):
        answer = screen.command("rename_domain", {"domain_id": "socle", "label": "Autre"})
        assert answer["ok"] is False and answer["code"] == "forbidden"
    assert bruno.state()["format"]["panorama"]["rows"][0]["label"]["fr"].startswith("Socle commun")


def test_the_labels_survive_a_restart_and_a_late_join_sees_them(fresh_server):
    """PANO10: the log rebuilds the board's labels after a restart; someone joining then gets them."""
    first = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(first.url)
    facilitator = BoardClient(first.url, workshop["admin_token"])
    assert facilitator.command("rename_category", {"category_id": "techniques", "label": "Savoir-faire"})["ok"]
    assert facilitator.command("add_domain", {"label": "Sûreté", "short": "Sûr."})["ok"]
    expected = labels(facilitator.state())
    facilitator.close()
    first.stop()
    second = fresh_server(port=first.port, extra_args=["--no-demo", "--join-rate", "100"])
    joined = requests.post(second.url + "/join", json={"code": workshop["join_code"], "name": "Zoé"}, timeout=5).json()
    late = BoardClient(second.url, joined["token"])
    try:
        assert labels(late.state()) == expected
        assert late.state()["format"]["panorama"]["rows"][-1]["short"] == {"fr": "Sûr.", "en": "Sûr."}
    finally:
        late.close()
