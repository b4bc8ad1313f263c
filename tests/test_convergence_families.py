"""Seeded convergence fuzz for families made during a workshop (CANVAS1-CANVAS15): two teams and the
facilitator make, rename, move and delete families on a canvas and move cards in and out of them, with
disconnects, lost messages and resends, on a real server; every peer must end identical to what the
server lets it see, and the durable log must replay to the live board.

The format is tests/data/formats/canvas.json (a factors map's deck on one canvas, families by anyone).
"""
import json
import random
from pathlib import Path

import pytest
import requests

from board.domain import replay
from board.domain.visibility import snapshot_for, viewer_of
from board.store_pg import open_store
from conftest import join
from exchange_scene import create_from_format
from test_convergence import comparable, view_of

FORMAT = Path(__file__).parent / "data" / "formats" / "canvas.json"
CANVAS = "carte"
SEEDS = [5, 17, 29]
STEPS = 120


def families_of(replica):
    return sorted(zone.id for zone in replica.zones.values() if zone.kind == "family")


def random_family_command(rng, replica, step):
    """A plausible family or card gesture for this client, sometimes one the server must refuse."""
    families = families_of(replica)
    cards = sorted(c.id for c in replica.cards.values() if not c.parent)
    roll = rng.random()
    if roll < 0.2 or not families:
        chosen = rng.sample(cards, k=min(len(cards), rng.randrange(0, 5)))
        return "create_zone", {"zone_id": f"fam-{step}", "area_id": CANVAS, "label": f"Famille {rng.randrange(100)}",
                               "x": round(rng.random() * 0.8, 3), "y": round(rng.random() * 0.8, 3),
                               "card_ids": chosen}
    family = rng.choice(families + ["ghost"])
    if roll < 0.35:  # teams renaming the same few families: the last accepted name wins everywhere
        return "rename_zone", {"zone_id": family, "label": rng.choice(["Écosystème", "Demande", "RH", "Énergie"])}
    if roll < 0.45:
        return "move_zone", {"zone_id": family, "x": round(rng.random() * 0.8, 3), "y": round(rng.random() * 0.8, 3)}
    if roll < 0.5:
        return "delete_zone", {"zone_id": family}  # refused while it holds cards (CANVAS6)
    if roll < 0.85:
        return "move_card", {"card_id": rng.choice(cards + ["ghost"]), "zone_id": rng.choice([CANVAS, family]),
                             "x": round(rng.random(), 3), "y": round(rng.random(), 3)}
    return "create_card", {"kind": "postit", "text": f"facteur {rng.randrange(1000)}",
                           "zone_id": rng.choice([CANVAS, family]), "x": 0.5, "y": 0.5}


@pytest.mark.parametrize("seed", SEEDS)
def test_families_made_moved_renamed_and_emptied_leave_every_peer_identical(server, clients, seed):
    rng = random.Random(seed)
    document = json.loads(FORMAT.read_text(encoding="utf-8"))
    workshop = create_from_format(server.url, document)
    people = [join(server.url, workshop["join_code"], name) for name in ("Ana", "Bo", "Chloé", "Dan")]
    facilitator = clients(workshop["admin_token"])
    for name, colour in (("Bleus", "#1f4e9c"), ("Verts", "#2e7d32")):
        assert facilitator.command("create_team", {"name": name, "colour": colour})["ok"]
    teams = sorted(facilitator.replica.teams)
    for n, person in enumerate(people):
        assert facilitator.command("join_team", {"team_id": teams[n % 2], "participant_id": person["participant_id"]})["ok"]
    families_sequence = [s["id"] for s in document["sequences"]].index("familles")
    assert facilitator.command("set_sequence", {"index": families_sequence})["ok"]
    peers = [facilitator] + [clients(p["token"]) for p in people]
    sent = {}
    for step in range(STEPS):
        peer = rng.choice(peers)
        action = rng.random()
        if action < 0.05:
            peer.close()
            peer.connect(resume=rng.random() < 0.5)
        elif action < 0.1:
            peer.drop_events = rng.randint(1, 3)
        elif action < 0.15 and sent:
            command_id, (who, kind, data, first) = rng.choice(sorted(sent.items()))
            again = who.command(kind, data, command_id=command_id)
            if first["ok"]:
                assert again == first  # a resend is answered, never applied twice
            else:
                sent[command_id] = (who, kind, data, again)
        else:
            kind, data = random_family_command(rng, peer.replica, step)
            command_id = f"f{seed}-{step}"
            sent[command_id] = (peer, kind, data, peer.command(kind, data, command_id=command_id))

    accepted = {kind for _, kind, _, first in sent.values() if first["ok"]}
    assert accepted >= {"create_zone", "rename_zone", "move_zone", "move_card"}, accepted
    assert any(not first["ok"] for *_, first in sent.values())
    assert sum(peer.gaps for peer in peers) > 0, "the run never exercised a gap"
    tokens = [workshop["admin_token"]] + [p["token"] for p in people]
    for peer, token in zip(peers, tokens):
        peer.drop_events = 0
        peer.catch_up()
        mine, theirs = comparable(peer.state()), comparable(view_of(server, token))
        assert mine == theirs, f"seed {seed}: a peer ({peer.me['role']}) diverged"
    truth = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {workshop['admin_token']}"},
                         timeout=5).json()
    assert [z for z in truth["zones"] if z.get("kind") == "family"], "no family stood at the end"
    durable = open_store(server.db_path)
    try:
        replayed = replay(durable.load_events(workshop["board_id"]))
        assert comparable(snapshot_for(replayed, viewer_of(replayed, facilitator.me["id"]))) == comparable(truth)
    finally:
        durable.close()
