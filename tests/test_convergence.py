"""Seeded convergence fuzz: random commands, disconnects, lost messages and resends
from several real clients on a real server must leave every peer identical.

On failure the seed is in the test id; a seed that once failed is pinned in
PINNED_SEEDS so it runs forever after.
"""
import random

import pytest
import requests

from board.domain import replay
from board.store import Store
from conftest import create_workshop

PINNED_SEEDS = []
SEEDS = [11, 22, 33] + PINNED_SEEDS
STEPS = 90


def random_command(rng, replica, me):
    """A plausible command for this client, sometimes an invalid one."""
    cards = sorted(replica.cards)
    zones = sorted(replica.zones)
    roll = rng.random()
    if roll < 0.5:
        return "move_card", {"card_id": rng.choice(cards + ["ghost"]), "zone_id": rng.choice(zones),
                             "x": round(rng.random(), 3), "y": round(rng.random(), 3)}
    if roll < 0.65:
        return "create_card", {"kind": rng.choice(["new", "postit"]), "text": f"idée {rng.randrange(1000)}",
                               "zone_id": rng.choice(zones), "x": 0.5, "y": 0.5}
    if roll < 0.75:
        return "edit_card", {"card_id": rng.choice(cards), "text": f"reformulé {rng.randrange(1000)}"}
    if roll < 0.82:
        mine = [c.id for c in replica.cards.values() if c.author == me] or cards
        return "delete_card", {"card_id": rng.choice(mine)}
    if roll < 0.9:
        return "join_team", {"team_id": rng.choice(sorted(replica.teams) + [None])}
    return "set_sequence", {"index": rng.randrange(4)}


@pytest.mark.parametrize("seed", SEEDS)
def test_random_operations_leave_every_peer_identical(server, clients, seed):
    rng = random.Random(seed)
    workshop = create_workshop(server.url, participants=3)
    facilitator = clients(workshop["admin_token"])
    for name, colour in (("Bleus", "#1f4e9c"), ("Verts", "#2e7d32")):
        assert facilitator.command("create_team", {"name": name, "colour": colour})["ok"]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    peers = [facilitator] + [clients(p["token"]) for p in workshop["participants"]]
    sent = {}
    for step in range(STEPS):
        peer = rng.choice(peers)
        action = rng.random()
        if action < 0.05:
            peer.close()
            peer.connect(resume=rng.random() < 0.5)  # a snapshot, or only the missed events
        elif action < 0.1:
            peer.drop_events = rng.randint(1, 3)  # lost messages: the next event shows a gap
        elif action < 0.15 and sent:
            command_id, (who, kind, data, first) = rng.choice(sorted(sent.items()))
            assert who.command(kind, data, command_id=command_id) == first  # a resend after a lost ack
        else:
            kind, data = random_command(rng, peer.replica, peer.me["id"])
            command_id = f"s{seed}-{step}"
            sent[command_id] = (peer, kind, data, peer.command(kind, data, command_id=command_id))

    truth = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {workshop['admin_token']}"},
                         timeout=5).json()
    assert any(first["ok"] for *_, first in sent.values()) and any(not f["ok"] for *_, f in sent.values())
    assert sum(peer.gaps for peer in peers) > 0, "the run never exercised a gap"
    for peer in peers:
        peer.drop_events = 0
        peer.catch_up()
        assert peer.state() == truth, f"seed {seed}: a peer diverged"
    reader = Store(server.db_path)  # a second connection reads what the server made durable
    try:
        assert replay(reader.load_events(workshop["board_id"])).to_dict() == truth
    finally:
        reader.close()
