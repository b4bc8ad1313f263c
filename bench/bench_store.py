"""How much group commit buys: commands per second through one room, one by one vs. arriving together.

Real SQLite file with synchronous=FULL on this machine's disk. Bounded: a fixed number of commands.
"""
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from board.domain.commands import MoveCard, SetSequence  # noqa: E402
from board.store import Store  # noqa: E402
from board.workshops import Workshops  # noqa: E402

COMMANDS = 400
WRITERS = 20


def fresh_room(folder):
    workshops = Workshops(Store(Path(folder) / "bench.db"))
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Bench")
    room = workshops.room(info["board_id"])
    room.submit(info["facilitator_id"], SetSequence(index=1))
    return room, person["participant_id"]


def move(n):
    return MoveCard(card_id=f"d{n % 62 + 1:02d}", zone_id="maintenance/techniques", x=(n % 100) / 100, y=0.5)


def one_by_one(folder):
    room, who = fresh_room(folder)
    latencies = []
    start = time.perf_counter()
    for n in range(COMMANDS):
        t = time.perf_counter()
        assert room.submit(who, move(n))["ok"]
        latencies.append(time.perf_counter() - t)
    return COMMANDS / (time.perf_counter() - start), statistics.median(latencies)


def together(folder):
    room, who = fresh_room(folder)
    latencies = []
    per_writer = COMMANDS // WRITERS

    def writer(offset):
        for n in range(per_writer):
            t = time.perf_counter()
            assert room.submit(who, move(offset + n))["ok"]
            latencies.append(time.perf_counter() - t)
    threads = [threading.Thread(target=writer, args=(i * per_writer,)) for i in range(WRITERS)]
    start = time.perf_counter()
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    return COMMANDS / (time.perf_counter() - start), statistics.median(latencies)


def restart(folder, events=10_000):
    """How long a server start takes to load a board whose log holds `events` changes."""
    room, who = fresh_room(folder)
    for n in range(events):
        room.submit(who, move(n))
    start = time.perf_counter()
    reloaded = Workshops(Store(Path(folder) / "bench.db")).room(room.board_id)
    elapsed = time.perf_counter() - start
    assert reloaded.version == room.version
    return elapsed


def main():
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        serial_rate, serial_median = one_by_one(a)
        batched_rate, batched_median = together(b)
    with tempfile.TemporaryDirectory() as c:
        print(f"store: loading a board of 10,000 events at start takes {restart(c):.2f} s")
    print(f"store: one by one      {serial_rate:8.0f} commands/s, median ack {serial_median * 1000:.2f} ms")
    print(f"store: {WRITERS} writers at once {batched_rate:8.0f} commands/s, median ack {batched_median * 1000:.2f} ms")
    print(f"store: group commit throughput ratio {batched_rate / serial_rate:.1f}x")


if __name__ == "__main__":
    main()
