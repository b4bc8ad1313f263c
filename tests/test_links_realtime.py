"""Links between cards over the real server (spec LINK): the factors map's themes linked to their factors
by real Socket.IO clients; every member's board agrees, concurrent links converge, and a deleted factor
leaves no link to it on any client, the browser's state.js included (fed the very messages a page gets)."""
import json
import subprocess
import threading
from pathlib import Path

from board import protocol as p
from links_scene import build_themes_scene
from realtime import BoardClient

ROOT = Path(__file__).resolve().parent.parent


def links_of(snapshot):
    """{card id: its links} for every card that links to others."""
    return {card["id"]: card["links"] for card in snapshot["cards"] if card.get("links")}


def page_links(client):
    """The links a browser page holds after the welcome and the events `client` received, computed by
    static/js/state.js itself (BoardState.apply, in node) from the messages the server sent."""
    welcome = next(payload for name, payload in client.received if name == p.SERVER_WELCOME and "state" in payload)
    events = client.messages(p.SERVER_EVENT)
    script = """
import { BoardState } from "./static/js/state.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { state, events } = JSON.parse(input);
const board = new BoardState(state);
for (const event of events) board.apply(event);
const links = {};
for (const card of board.cards.values()) if (card.links?.length) links[card.id] = card.links;
console.log(JSON.stringify({ version: board.version, links }));
"""
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True,
                         input=json.dumps({"state": welcome["state"], "events": events}), timeout=30, check=True)
    return json.loads(out.stdout)


def test_two_participants_of_a_team_link_one_theme_at_once_and_every_board_converges(server):
    """LINK2, LINK5 under concurrency: two teammates link one theme to overlapping factors at the same
    time while a third person links another theme; each link is accepted once (the second of a pair is a
    conflict), and the facilitator's, the participants', the projector's and a page's boards agree."""
    workshop, themes = build_themes_scene(server.url, link=False)
    people = workshop["participants"]
    first, teammate, other = (BoardClient(server.url, people[i]["token"]) for i in (0, 4, 1))  # 0 and 4: Rouge
    watchers = [BoardClient(server.url, token) for token in (workshop["admin_token"], workshop["projector_token"])]
    plans = {first: ("theme-1", [f"f{i:02d}" for i in range(1, 7)]),
             teammate: ("theme-1", [f"f{i:02d}" for i in range(9, 3, -1)]),
             other: ("theme-2", [f"f{i:02d}" for i in range(20, 25)])}
    answers = {client: [] for client in plans}
    start = threading.Barrier(len(plans))

    def link_all(client):
        card_id, targets = plans[client]
        start.wait()
        for target in targets:
            answers[client].append(client.command("link_card", {"card_id": card_id, "target_id": target, "on": True}))

    try:
        threads = [threading.Thread(target=link_all, args=(client,)) for client in plans]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        every = [answer for client in plans for answer in answers[client]]
        assert all(answer.get("ok") or answer.get("code") == "conflict" for answer in every), every
        # f04, f05, f06 were linked by both teammates: exactly one of each pair is accepted.
        assert sum(1 for answer in every if answer.get("code") == "conflict") == 3
        last = max(answer["version"] for answer in every if answer.get("ok"))
        clients = [first, teammate, other, *watchers]
        for client in clients:
            client.wait_version(last)
        boards = [links_of(client.state()) for client in clients]
        assert all(board == boards[0] for board in boards)
        assert sorted(boards[0]["theme-1"]) == [f"f{i:02d}" for i in range(1, 10)]
        assert boards[0]["theme-2"] == [f"f{i:02d}" for i in range(20, 25)]
        fresh = BoardClient(server.url, people[7]["token"])  # someone arriving now reads the same links
        try:
            assert links_of(fresh.state()) == boards[0]
        finally:
            fresh.close()
        page = page_links(other)
        assert page["version"] >= last and page["links"] == boards[0]
    finally:
        for client in [first, teammate, other, *watchers]:
            client.close()


def test_a_deleted_factor_leaves_no_link_to_it_on_any_client(server):
    """LINK7 on the wire: the facilitator deletes a factor that two themes stand on; the server's board,
    the facilitator's, a participant's and the projector's replicas, and a page's state.js all drop it
    from those themes' links, and keep the other links as they were."""
    workshop, themes = build_themes_scene(server.url)
    counts = {}
    for theme in themes:
        for factor in theme["factors"]:
            counts[factor] = counts.get(factor, 0) + 1
    factor = max(sorted(counts), key=lambda f: counts[f])
    assert counts[factor] >= 2, counts
    facilitator = BoardClient(server.url, workshop["admin_token"])
    participant = BoardClient(server.url, workshop["participants"][12]["token"])
    projector = BoardClient(server.url, workshop["projector_token"])
    try:
        before = links_of(facilitator.state())
        assert before == {theme["id"]: theme["factors"] for theme in themes}
        deleted = facilitator.command("delete_card", {"card_id": factor})
        assert deleted["ok"], deleted
        expected = {card: [f for f in links if f != factor] for card, links in before.items()}
        for client in (facilitator, participant, projector):
            client.wait_version(deleted["version"])
            assert links_of(client.state()) == expected
        page = page_links(participant)
        assert page["version"] == deleted["version"] and page["links"] == expected
        assert all(factor not in links for links in page["links"].values())
        fresh = BoardClient(server.url, workshop["participants"][3]["token"])
        try:
            assert links_of(fresh.state()) == expected
        finally:
            fresh.close()
    finally:
        for client in (facilitator, participant, projector):
            client.close()


def test_a_participant_of_another_team_may_not_link_a_theme_nor_outside_its_sequence(server):
    """LINK1, LINK5 over the wire: refused with its code, and nothing changes for anyone."""
    workshop, themes = build_themes_scene(server.url, link=False)
    outsider = BoardClient(server.url, workshop["participants"][1]["token"])  # Bleu; theme-1 is Rouge's
    author = BoardClient(server.url, workshop["participants"][0]["token"])
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        version = facilitator.state()["version"]
        link = {"card_id": "theme-1", "target_id": "f01", "on": True}
        assert outsider.command("link_card", link)["code"] == "forbidden"
        assert author.command("link_card", {**link, "target_id": "theme-1"})["code"] == "bad_request"
        assert author.command("link_card", {**link, "on": "yes"})["code"] == "bad_request"
        assert facilitator.command("set_sequence", {"index": 4})["ok"]
        assert author.command("link_card", link)["code"] == "sequence_closed"
        assert facilitator.state()["version"] == version + 1  # only the sequence changed
        assert not links_of(facilitator.state())
    finally:
        for client in (outsider, author, facilitator):
            client.close()


def test_a_locked_board_refuses_links_until_it_is_unlocked(server):
    """LOCK2 for link_card: refused with `locked` (nothing changes), accepted once the facilitator unlocks."""
    workshop, themes = build_themes_scene(server.url, link=False)
    author = BoardClient(server.url, workshop["participants"][0]["token"])
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        locked = facilitator.command("lock_board")
        assert locked["ok"]
        author.wait_version(locked["version"])
        link = {"card_id": "theme-1", "target_id": "f01", "on": True}
        assert author.command("link_card", link)["code"] == "locked"
        assert not links_of(facilitator.state())
        assert facilitator.command("unlock_board")["ok"]
        assert author.command("link_card", link)["ok"]
        facilitator.wait_for(lambda: facilitator.replica.cards["theme-1"].links == ["f01"])
    finally:
        author.close()
        facilitator.close()
