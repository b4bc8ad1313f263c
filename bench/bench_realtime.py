"""A workshop's worth of clients on a real eventlet server on 127.0.0.1.

30 participants and a projector connect; participants move cards; we measure the median and 95th
percentile time from sending a move to (a) its acknowledgement and (b) the projector seeing it.
Bounded: a fixed number of moves per client and a time limit.
"""
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import ServerProcess, create_workshop  # noqa: E402
from realtime import BoardClient  # noqa: E402

PARTICIPANTS = 30
MOVES_EACH = 20
TIME_LIMIT = 120


def main():
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(Path(folder) / "bench.db", extra_args=["--no-demo", "--join-rate", "1000"]).start()
        try:
            run(server)
        finally:
            server.stop()


def quiet_room(server, moves=30):  # within one burst of the rate limit
    """One participant moving cards while a projector watches: latency without queueing."""
    workshop = create_workshop(server.url, participants=1)
    BoardClient(server.url, workshop["admin_token"]).command("set_sequence", {"index": 1})
    projector = BoardClient(server.url, workshop["projector_token"])
    person = BoardClient(server.url, workshop["participants"][0]["token"])
    acked, seen = [], []
    for n in range(moves):
        start = time.perf_counter()
        ack = person.command("move_card", {"card_id": f"d{n % 62 + 1:02d}", "zone_id": "maintenance/techniques",
                                           "x": 0.5, "y": 0.5})
        assert ack["ok"], ack
        acked.append(time.perf_counter() - start)
        projector.wait_version(ack["version"])
        seen.append(time.perf_counter() - start)
    print(f"realtime (quiet room): ack median {statistics.median(acked) * 1000:.1f} ms, "
          f"projector shows it median {statistics.median(seen) * 1000:.1f} ms")
    projector.close()
    person.close()


def vote_phase(server, facilitator, people):
    """Everyone votes at once: each dot goes to each socket as its member may see it."""
    facilitator.command("set_sequence", {"index": 3})
    facilitator.command("open_vote")
    cards = sorted(c.id for c in facilitator.replica.cards.values() if c.zone != "deck")
    latencies = []

    def voter(i, client):
        for n in range(5):
            start = time.perf_counter()
            ack = client.command("vote", {"card_id": cards[(i + n) % len(cards)], "delta": 1}, timeout=30)
            if ack["ok"]:
                latencies.append(time.perf_counter() - start)
    elapsed, server_cpu = run_all_at_once(server, voter, people)
    print(f"realtime: vote, {len(latencies)} dots in {elapsed:.1f} s; server CPU "
          f"{server_cpu / max(len(latencies), 1) * 1000:.2f} ms per dot and its {len(people) + 2} per-member messages; "
          f"ack median {statistics.median(latencies) * 1000:.1f} ms")


def run_all_at_once(server, work, people):
    """Run work(i, client) for every client in its own thread; (seconds taken, server CPU seconds)."""
    cpu_before = cpu_seconds(server.process.pid)
    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(people)]
    [t.start() for t in threads]
    [t.join(TIME_LIMIT) for t in threads]
    return time.perf_counter() - start, cpu_seconds(server.process.pid) - cpu_before


def cpu_seconds(pid):
    """User + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(server):
    quiet_room(server)
    workshop = create_workshop(server.url, participants=PARTICIPANTS)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    facilitator.command("set_sequence", {"index": 1})
    projector = BoardClient(server.url, workshop["projector_token"])
    people = [BoardClient(server.url, p["token"]) for p in workshop["participants"]]
    sent_at, acked, seen = {}, [], []
    projector.sio.on("event", lambda e: seen.append((e.get("command_id"), time.perf_counter())))
    deadline = time.monotonic() + TIME_LIMIT

    def participant(i, client):
        for n in range(MOVES_EACH):
            if time.monotonic() > deadline:
                return
            command_id = f"b{i}-{n}"
            sent_at[command_id] = time.perf_counter()
            ack = client.command("move_card", {"card_id": f"d{(i * MOVES_EACH + n) % 62 + 1:02d}",
                                               "zone_id": "maintenance/techniques", "x": n / MOVES_EACH, "y": 0.5},
                                 command_id=command_id, timeout=30)
            if ack["ok"]:
                acked.append(time.perf_counter() - sent_at[command_id])
    elapsed, server_cpu = run_all_at_once(server, participant, people)
    time.sleep(0.5)
    fanout = [t - sent_at[cid] for cid, t in seen if cid in sent_at]
    vote_phase(server, facilitator, people)
    for client in (facilitator, projector, *people):
        client.close()
    print(f"realtime: {PARTICIPANTS} participants, {len(acked)} moves in {elapsed:.1f} s "
          f"({len(acked) / elapsed:.0f} moves/s); server CPU {server_cpu / max(len(acked), 1) * 1000:.2f} ms "
          f"per move and its {PARTICIPANTS + 2} broadcasts ({server_cpu / elapsed:.0%} of one core)")
    print(f"realtime: ack latency median {statistics.median(acked) * 1000:.1f} ms, "
          f"p95 {statistics.quantiles(acked, n=20)[-1] * 1000:.1f} ms")
    print(f"realtime: projector sees a move, median {statistics.median(fanout) * 1000:.1f} ms, "
          f"p95 {statistics.quantiles(fanout, n=20)[-1] * 1000:.1f} ms ({len(fanout)} seen)")


if __name__ == "__main__":
    main()
