"""Anonymity on a real server, at full scale (ANON2-ANON5).

The full-scale scene (tests/fullscale.py: 20 named participants in 4 teams place the 62 deck cards,
write 10 cards, then everyone votes) is built with anonymity on in every sequence. A second
connection of every participant, the projector and the facilitator are open from the start and keep
every message they receive: welcome, events, presence, drags. Every author and voter name is then
searched for in all of it (each participant's own name aside, which their own page may show), and
in the export: none is found. The facilitator's messages keep the names; with anonymity off they
come back for everyone.
"""
import json

import requests

from board import protocol as p
from fullscale import NAMES, as_facilitator, build_full_scene
from realtime import BoardClient


def text_of(client):
    """Everything a client received, as the JSON text that came over the wire."""
    with client.lock:
        return json.dumps(client.received, ensure_ascii=False)


def leaked(client, own_name=None):
    """The scene's names found in what a client received (their own name aside)."""
    received = text_of(client)
    return sorted(name for name in NAMES if name != own_name and name in received)


def export(server, scene, **query):
    response = requests.get(f"{server.url}/f/{scene['admin_token']}/export.csv", params=query, timeout=10)
    response.raise_for_status()
    return response.content.decode("utf-8-sig")


def wait_all(clients, version):
    for client in clients:
        client.wait_version(version, timeout=15)


def test_no_participant_nor_the_projector_receives_a_name_while_anonymous_and_names_come_back_off(server):
    """ANON2, ANON3, ANON4, ANON5 through placements, cards written, votes, a drag and the export."""
    listening = {}

    def turn_anonymity_on_and_listen(workshop, people):
        as_facilitator(server.url, workshop, ("set_anonymity", {"on": True}))
        listening["facilitator"] = BoardClient(server.url, workshop["admin_token"])
        listening["projector"] = BoardClient(server.url, workshop["projector_token"])
        for person in people:
            listening[person["participant_id"]] = BoardClient(server.url, person["token"])

    scene = build_full_scene(server.url, "revealed", on_start=turn_anonymity_on_and_listen)
    facilitator = listening["facilitator"]
    try:
        own_name = {person["participant_id"]: name for person, name in zip(scene["people"], NAMES)}
        # A drag while anonymous: the others learn a card moves, not who moves it.
        as_facilitator(server.url, scene, ("set_sequence", {"index": 2}))
        dragger = scene["people"][0]
        card = next(c for c in facilitator.state()["cards"]
                    if c["team"] == scene["team_of"][dragger["participant_id"]] and c["zone"] != "deck")
        relayed = listening[dragger["participant_id"]].call(
            "drag", {"card_id": card["id"], "zone_id": card["zone"], "x": 0.5, "y": 0.5})
        assert relayed is None, relayed  # a relayed drag has no answer; a refused one says why
        version = facilitator.state()["version"]
        wait_all(listening.values(), version)
        watcher = listening[scene["people"][1]["participant_id"]]
        watcher.wait_for(lambda: watcher.positions(p.SERVER_DRAG) != [])
        facilitator.wait_for(lambda: facilitator.positions(p.SERVER_DRAG) != [])

        # What the scene went through, so that finding no name proves something.
        events = [e["type"] for e in facilitator.messages(p.SERVER_EVENT)]
        assert events.count("card_moved") >= 62 and events.count("card_created") == 10
        assert events.count("dot_changed") == 100 and "results_revealed" in events
        for pid, client in listening.items():
            if pid == "facilitator":
                continue
            assert leaked(client, own_name.get(pid)) == [], f"{pid} received names"
            assert len(client.messages(p.SERVER_EVENT)) >= 170 and client.messages(p.SERVER_PRESENCE)
        assert watcher.positions(p.SERVER_DRAG)[-1]["by"].startswith("anon-")
        # ANON3: the facilitator has every name: on the roster, and who placed, wrote and dragged.
        assert leaked(facilitator) == sorted(NAMES)
        assert facilitator.positions(p.SERVER_DRAG)[-1]["by"] == dragger["participant_id"]
        assert all(e["actor"] for e in facilitator.messages(p.SERVER_EVENT))

        # ANON5: the export has no author unless the facilitator asks for names.
        anonymous_csv = export(server, scene)
        assert "Auteur" not in anonymous_csv and not [name for name in NAMES if name in anonymous_csv]
        named_csv = export(server, scene, names="1")
        assert "Auteur" in named_csv and sum(name in named_csv for name in NAMES) >= 5

        # Off: the names come back to open pages (ANON4), to new ones, and to the export.
        before = {pid: len(client.received) for pid, client in listening.items()}
        as_facilitator(server.url, scene, ("set_anonymity", {"on": False}))
        wait_all(listening.values(), version + 1)
        for pid in ("projector", scene["people"][1]["participant_id"]):
            client = listening[pid]
            with client.lock:
                after = json.dumps(client.received[before[pid]:], ensure_ascii=False)
            assert all(name in after for name in NAMES), pid
        fresh = BoardClient(server.url, scene["people"][2]["token"])
        try:
            authors = {c["author"] for c in fresh.state()["cards"] if c["kind"] == "new"}
            assert len(authors - {None}) >= 2
        finally:
            fresh.close()
        assert "Auteur" in export(server, scene)
    finally:
        for client in listening.values():
            client.close()
