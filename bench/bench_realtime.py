"""A workshop's worth of clients on a real eventlet server on 127.0.0.1.

30 participants and a projector connect; participants move cards; we measure the median and 95th
percentile time from sending a move to (a) its acknowledgement and (b) the projector seeing it.
Bounded: a fixed number of moves per client and a time limit.
"""
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


def run(server):
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
    start = time.perf_counter()
    threads = [threading.Thread(target=participant, args=(i, c)) for i, c in enumerate(people)]
    [t.start() for t in threads]
    [t.join(TIME_LIMIT) for t in threads]
    elapsed = time.perf_counter() - start
    time.sleep(0.5)
    fanout = [t - sent_at[cid] for cid, t in seen if cid in sent_at]
    for client in (facilitator, projector, *people):
        client.close()
    print(f"realtime: {PARTICIPANTS} participants, {len(acked)} moves in {elapsed:.1f} s "
          f"({len(acked) / elapsed:.0f} moves/s)")
    print(f"realtime: ack latency median {statistics.median(acked) * 1000:.1f} ms, "
          f"p95 {statistics.quantiles(acked, n=20)[-1] * 1000:.1f} ms")
    print(f"realtime: projector sees a move, median {statistics.median(fanout) * 1000:.1f} ms, "
          f"p95 {statistics.quantiles(fanout, n=20)[-1] * 1000:.1f} ms ({len(fanout)} seen)")


if __name__ == "__main__":
    main()
