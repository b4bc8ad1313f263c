"""The Atelier Compétences from start to finish on a real server, and what each member may see."""
import csv
import io
import json
import random

import pytest
import requests

from board import protocol as p
from conftest import create_workshop, join
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"


def every_message(client):
    """Everything a client received, as JSON text, for scanning."""
    with client.lock:
        return [json.dumps(payload, ensure_ascii=False) for _, payload in client.received]


def competition_ranks(totals):
    """Ranks computed here, independently of the server: equal totals share a rank (1, 1, 3)."""
    ordered = sorted(totals.values(), reverse=True)
    return {card: ordered.index(dots) + 1 for card, dots in totals.items()}


def in_two_teams(server, clients, participants):
    """A board whose participants are split into two teams, everyone and the projector connected."""
    workshop = create_workshop(server.url, participants=participants)
    facilitator = clients(workshop["admin_token"])
    people = [clients(person["token"]) for person in workshop["participants"]]
    projector = clients(workshop["projector_token"])
    ids = [person["participant_id"] for person in workshop["participants"]]
    assert facilitator.command("split_teams", {"count": 2, "participant_ids": ids})["ok"]
    return workshop, facilitator, people, projector


@pytest.fixture
def vote_room(server, clients):
    """A board in the vote sequence with 6 participants in 2 teams and 4 cards on the Panorama."""
    _, facilitator, people, projector = in_two_teams(server, clients, 6)
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    for n, zone in enumerate(["socle/techniques", MAINTENANCE, "management/capacites", MAINTENANCE]):
        assert facilitator.command("move_card", {"card_id": f"d{n + 1:02d}", "zone_id": zone, "x": .5, "y": .5})["ok"]
    assert facilitator.command("set_sequence", {"index": 3})["ok"]
    return facilitator, people, projector


@pytest.mark.parametrize("mode", ["participant", "team"])
def test_vote_counts_never_reach_participants_or_the_projector_before_the_reveal(vote_room, mode):
    facilitator, people, projector = vote_room
    if mode == "team":
        assert facilitator.command("configure_vote", {"mode": mode})["ok"]
    assert facilitator.command("open_vote")["ok"]
    rng = random.Random(mode)
    accepted = 0
    for person in people:
        for _ in range(3):
            accepted += person.command("vote", {"card_id": f"d0{rng.randint(1, 4)}", "delta": 1})["ok"]
    last = facilitator.command("close_vote")["version"]
    for client in (*people, projector):
        client.wait_version(last)
        mine = None if client is projector else (
            client.replica.participants[client.me["id"]].team if mode == "team" else client.me["id"])
        for name, payload in client.received:
            if name == p.SERVER_EVENT and payload["type"] == "dot_changed":
                assert payload["data"] == {} or payload["data"]["voter"] == mine
            if name == p.SERVER_WELCOME:
                assert set(payload["state"]["vote"]["dots"]) <= {mine}
            assert "results_revealed" not in json.dumps(payload) and '"totals"' not in json.dumps(payload)
    reveal = facilitator.command("reveal_results")
    people[0].wait_version(reveal["version"])
    results = people[0].messages(p.SERVER_EVENT)[-1]["data"]
    assert people[0].messages(p.SERVER_EVENT)[-1]["type"] == "results_revealed"
    assert sum(results["totals"].values()) == accepted > 0


def test_a_private_cards_text_never_reaches_another_team_until_revealed(server, clients):
    workshop, facilitator, people, projector = in_two_teams(server, clients, 4)
    assert facilitator.command("configure", {"private_cards": True})["ok"]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    author = people[0]
    author.wait_version(facilitator.replica.version)
    my_team = author.replica.participants[author.me["id"]].team
    secret = "Compétence-secrète-7f3a"
    created = author.command("create_card", {"kind": "new", "text": secret, "description": secret + " détail",
                                             "zone_id": MAINTENANCE, "x": .5, "y": .5})
    assert created["ok"]
    edited = author.command("edit_card", {"card_id": f"c{created['version']}", "text": secret + " v2"})
    late = BoardClient(server.url, workshop["participants"][3]["token"])  # joins after: a snapshot
    others = [c for c in people if c.replica.participants[c.me["id"]].team != my_team] + [projector, late]
    team = [c for c in people if c.replica.participants[c.me["id"]].team == my_team]
    try:
        for client in others + team:
            client.wait_version(edited["version"])
        for client in others:
            assert not any(secret in message for message in every_message(client))
            assert client.state()["cards"][-1]["text"] == ""  # a face-down card: it exists, unread
        for client in team:
            assert any(secret + " v2" in message for message in every_message(client))
        revealed = facilitator.command("reveal_cards")
        for client in others:
            client.wait_version(revealed["version"])
            assert any(secret + " v2" in message for message in every_message(client))
    finally:
        late.close()


def test_the_whole_workshop_from_discovery_to_the_ranking_survives_a_restart(fresh_server, browser):
    """20 participants in 4 teams, a facilitator, a browser participant and a projector; restart after placement."""
    from browser import CHROMIUM_FLAGS  # noqa: F401  (the session browser uses them)
    from browser import MAINTENANCE as CELL, card, cell, drag_with_mouse, expect, open_board, wait_online
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=20)
    seated = join(server.url, workshop["join_code"], "Navigatrice")  # the person in the real browser
    everyone = workshop["participants"] + [seated]
    ids = [person["participant_id"] for person in everyone]

    def connect_all():
        return (BoardClient(server.url, workshop["admin_token"]),
                [BoardClient(server.url, person["token"]) for person in workshop["participants"]])
    facilitator, people = connect_all()
    assert facilitator.command("split_teams", {"count": 4, "participant_ids": ids})["ok"]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}),
                browser.new_context(viewport={"width": 1920, "height": 1080})]
    page = open_board(contexts[0], seated["board_url"])
    projector = open_board(contexts[1], workshop["projector_url"])
    try:
        # 1. Discovery: nothing can be placed.
        refused = people[0].command("move_card", {"card_id": "d01", "zone_id": CELL, "x": .5, "y": .5})
        assert refused["code"] == "sequence_closed"
        # 2. Placement: each participant places cards; the browser participant drags one.
        assert facilitator.command("set_sequence", {"index": 1})["ok"]
        rows = [r["id"] for r in facilitator.replica.format.document["panorama"]["rows"]]
        for n, person in enumerate(people):
            zone = f"{rows[n % len(rows)]}/{'techniques' if n % 2 else 'capacites'}"
            assert person.command("move_card", {"card_id": f"d{n + 1:02d}", "zone_id": zone, "x": .5, "y": .5})["ok"]
        drag_with_mouse(page, card(page, "d40"), cell(page, CELL))()
        expect(cell(projector, CELL).locator('[data-card="d40"]')).to_be_visible()
        before_restart = requests.get(server.url + "/api/board", timeout=5,
                                      headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()
        # The laptop restarts between two sequences.
        for client in (facilitator, *people):
            client.close()
        server.stop()
        server = fresh_server(port=server.port, extra_args=["--no-demo"])
        facilitator, people = connect_all()
        after = facilitator.state()
        for key in ("version", "cards", "teams", "participants", "sequence", "options"):
            assert after[key] == before_restart[key], key
        wait_online(page)
        wait_online(projector)
        # 3. Complete: each team writes a new card.
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        writers = {}
        for person in people:
            team = person.replica.participants[person.me["id"]].team
            if team not in writers:
                writers[team] = person.command("create_card", {"kind": "new", "text": f"Carte de {team}",
                                                               "zone_id": CELL, "x": .5, "y": .5})
                assert writers[team]["ok"]
        # 4. Must-haves: everyone votes; the browser participant with the dot buttons.
        assert facilitator.command("set_sequence", {"index": 3})["ok"]
        assert facilitator.command("open_vote")["ok"]
        on_board = sorted(c.id for c in facilitator.replica.cards.values() if c.zone != "deck")
        rng = random.Random(6)
        totals = {}
        for person in people:
            for _ in range(5):
                choice = rng.choice(on_board)
                if person.command("vote", {"card_id": choice, "delta": 1})["ok"]:
                    totals[choice] = totals.get(choice, 0) + 1
        wait_online(page)
        add_dot = page.get_by_role("button", name=f"Ajouter une gommette à « {facilitator.replica.cards['d40'].text} »")
        for _ in range(2):
            add_dot.click()
        expect(page.locator("#vote-budget")).to_contain_text("3")
        totals["d40"] = totals.get("d40", 0) + 2
        assert facilitator.command("close_vote")["ok"]
        reveal = facilitator.command("reveal_results")
        assert reveal["ok"]
        facilitator.wait_version(reveal["version"])
        results = facilitator.replica.vote.results
        assert results["totals"] == totals
        assert {e["card_id"]: e["rank"] for e in results["overall"]} == competition_ranks(totals)
        # The projector shows the ranking; the export matches it.
        expect(projector.locator("#results")).to_be_visible()
        export = requests.get(workshop["facilitator_url"] + "/export.csv", timeout=5)
        assert export.content.startswith("\ufeff".encode())
        rows_out = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        # A text holding a digit starts with the invisible U+2060, which keeps it text in Excel (EXP3).
        exported = {r[2].removeprefix("\u2060"): (int(r[6]), int(r[7]) if r[7] else None) for r in rows_out[1:]}
        texts = {c.id: c.text for c in facilitator.replica.cards.values()}
        ranks = competition_ranks(totals)
        for card_id, dots in totals.items():
            assert exported[texts[card_id]] == (dots, ranks[card_id])
        assert len(rows_out) - 1 == len(on_board)
    finally:
        for client in (facilitator, *people):
            client.close()
        for context in contexts:
            context.close()
