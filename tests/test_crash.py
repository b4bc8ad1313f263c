"""kill -9 in the middle of a burst of writes, again and again: nothing acknowledged is ever lost.

Each round, eight people write post-its as fast as the server acknowledges them (their commands
share group commits), the server is killed with SIGKILL at a random moment of the burst, and a
new server on the same file must hold every post-it that was acknowledged, with no hole in the
versions. A few rounds run in CI; CRASH_ROUNDS=20 runs the long mode.
"""
import os
import random
import sqlite3
import threading
import time

import socketio

from conftest import create_workshop
from realtime import BoardClient

ROUNDS = int(os.environ.get("CRASH_ROUNDS", "3"))
WRITERS = 8
SEED = 1010


def write_until_gone(client, label, acked, stop):
    """Write post-its one after another; keep the text of each one acknowledged."""
    command_prefix = label.replace(" ", "-")
    for n in range(400):  # bounded: a round lasts about a second
        if stop.is_set():
            return
        text = f"{label} n{n}"
        try:
            answer = client.command("create_card", {"kind": "postit", "text": text, "zone_id": "parking",
                                                    "x": 0.5, "y": 0.5}, command_id=f"{command_prefix}-{n}", timeout=2)
        except (socketio.exceptions.SocketIOError, OSError):
            return  # the server is gone
        if answer.get("ok"):
            acked.append((text, answer["version"]))
        elif answer.get("code") == "rate_limited":
            time.sleep(0.05)


def test_kill_9_mid_burst_loses_no_acknowledged_change(fresh_server):
    rng = random.Random(SEED)
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=WRITERS)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    facilitator.close()
    all_acked = []
    for round_number in range(ROUNDS):
        clients = [BoardClient(server.url, p["token"]) for p in workshop["participants"]]
        acked, stop = [], threading.Event()
        writers = [threading.Thread(target=write_until_gone, args=(c, f"r{round_number} c{i}", acked, stop))
                   for i, c in enumerate(clients)]
        for writer in writers:
            writer.start()
        time.sleep(rng.uniform(0.3, 1.0))
        server.stop(kill=True)  # SIGKILL while commits are under way, as when a laptop's battery dies
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
        for client in clients:
            client.close()
        assert acked, "the burst wrote nothing before the kill"
        all_acked += acked

        server = fresh_server(port=server.port, extra_args=["--no-demo"])
        reader = BoardClient(server.url, workshop["admin_token"])
        try:
            state = reader.state()
            texts = {card["text"] for card in state["cards"]}
            lost = [text for text, _ in all_acked if text not in texts]
            assert not lost, f"round {round_number}: {len(lost)} acknowledged post-its lost: {lost[:5]}"
            assert state["version"] >= max(version for _, version in all_acked)
            with sqlite3.connect(server.db_path) as db:
                versions = [v for (v,) in db.execute("SELECT version FROM events WHERE board_id = ? "
                                                     "ORDER BY version", [workshop["board_id"]])]
            assert versions == list(range(1, state["version"] + 1)), "a hole in the durable log"
        finally:
            reader.close()
    print(f"\n{ROUNDS} kills mid-burst, {len(all_acked)} acknowledged post-its, none lost")
