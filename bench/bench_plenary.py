"""Plenary, side by side: 500 sockets on one board, 20 dragging at 30 Hz and dropping every 2 s.

Each of the 20 draggers moves a card of its own at 30 Hz and, every 2 s (the draggers' phases
spread), ends the drag and drops the card: a durable `move_card` on Atelier, acknowledged once
stored, whose `card_moved` event every other socket must see. Reported: when each other socket saw
each drop (p50 / p99, from the sender's emit), the acknowledgement (p50 / p99), the drag positions'
latency (p99, measured at every fifth socket), the server's CPU and the load generator's. The naive
relay (bench/naive_relay.py) runs the same load, a drop being one more relayed message, as the
relay has no store and no rules.

The load is read by worker processes with a lean frame reader (websocket frames parsed from the
raw socket, JSON decoded only where measured): 500 sockets receive up to 50,000 frames a second,
more than a Python websocket client reads. Even so, 125 sockets and five drag threads per Python
process can fall behind: their receive windows close and loopback TCP waits out a retransmission
timer (docs/performance.md). `--generator node` runs the same load in Node (bench/node/load_worker.mjs,
raw frames over npm's `ws`), issue 13's own method.

Usage: python bench/bench_plenary.py [--quick] [--sockets 500] [--dragging 20] [--seconds 10]
                                     [--runs 1] [--no-relay] [--generator node]
Writes "plenary" (under Node: "plenary_node"): {"<sockets>": {...}} into bench/results/summary.json
(or --out), keeping the other keys there.
"""
import argparse
import array
import json
import select
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_drag import HZ, LeanSocket, cpu_seconds, naive_relay, position_x, run_workers  # noqa: E402
from conftest import ServerProcess, create_workshop  # noqa: E402
from realtime import BoardClient  # noqa: E402
import node_load  # noqa: E402

DROP_EVERY = 2.0  # seconds between two drops of one dragger
ZONE = "maintenance/techniques"
OBSERVE_EVERY = 5  # drag latency is read at one socket in five (every socket reads every frame)
SETTLE = 1.0
DRAIN_LIMIT = 15.0
CONNECT_LIMIT = 120
BACKLOG_LIMIT = 300  # connecting 500 sends every join's online list to everyone (issue 13): a backlog


def percentile(values, q):
    """The q-th percentile (0-100) of sorted `values`, or nan."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100)[q - 1] if q < 100 else values[-1]


def frames(buffer):
    """Cut the complete websocket frames (server to client: never masked, never fragmented here)
    off the front of `buffer`; yields (opcode, payload bytes)."""
    while len(buffer) >= 2:
        length, offset = buffer[1] & 0x7F, 2
        if length == 126:
            if len(buffer) < 4:
                return
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
        elif length == 127:
            if len(buffer) < 10:
                return
            length, offset = int.from_bytes(buffer[2:10], "big"), 10
        if len(buffer) < offset + length:
            return
        opcode = buffer[0] & 0x0F
        payload = bytes(buffer[offset:offset + length])
        del buffer[:offset + length]
        yield opcode, payload


class Record:
    """What one worker's sockets received, kept compact (a plenary is millions of arrivals)."""

    def __init__(self):
        self.drag_keys, self.drag_times = array.array("q"), array.array("d")  # observed positions
        self.drops = []  # (receiver index, card, x, arrival)
        self.acks = {}  # ack id -> arrival
        self.last_read = time.perf_counter()


def receive(sockets, record, stop):
    """One thread reads every socket of a worker from its raw file descriptor."""
    poller = select.epoll()
    by_fd = {}
    for index, sock in enumerate(sockets):
        raw = sock.ws.sock  # read only when epoll says it is readable: recv then never waits
        by_fd[raw.fileno()] = (index, sock, raw, bytearray())
        poller.register(raw.fileno(), select.EPOLLIN)
    while not stop.is_set():
        for fd, _ in poller.poll(0.1):
            index, sock, raw, buffer = by_fd[fd]
            try:
                chunk = raw.recv(1 << 18)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                poller.unregister(fd)
                continue
            now = record.last_read = time.perf_counter()
            buffer += chunk
            for opcode, payload in frames(buffer):
                if opcode != 1:
                    continue
                take(index, payload, now, record, sock)
    poller.close()


def take(index, payload, now, record, sock):
    if payload == b"2":  # Engine.IO ping
        sock.ws.send("3")
    elif payload.startswith(b'42["dragging"'):
        observed = index % OBSERVE_EVERY == 0
        if not observed and b'"drop"' not in payload:
            return
        data = json.loads(payload[2:])[1]
        for position in data if isinstance(data, list) else [data]:
            if position.get("drop"):  # the relay's drop: one more relayed message
                record.drops.append((index, position["card_id"], position["x"], now))
            elif observed:
                record.drag_keys.append(round(position["x"] * 1_000_000))
                record.drag_times.append(now)
    elif payload.startswith((b'42["event"', b'42["events"')) and b'"card_moved"' in payload:
        # One event, or the events of one group commit (drops made together share one frame).
        message = json.loads(payload[2:])[1]
        for event in message if isinstance(message, list) else [message]:
            if event.get("type") == "card_moved":
                record.drops.append((index, event["data"]["card_id"], event["data"]["x"], now))
    elif payload.startswith(b"43"):  # an acknowledgement: 43<id>[answer]
        ack_id = int(payload[2:payload.index(b"[")])
        record.acks[ack_id] = now


def worker(url, tokens, drags, seconds, relay, pipe):
    """Connect one socket per token; at the start instant the parent sends, drag and drop.

    drags: {index in tokens: (dragger number, card id)}."""
    sockets = [LeanSocket(url, {"token": token} if token else None) for token in tokens]
    record, stop = Record(), threading.Event()
    reader = threading.Thread(target=receive, args=(sockets, record, stop))
    reader.start()
    connected = time.perf_counter()
    while time.perf_counter() - record.last_read < 0.5 and time.perf_counter() < connected + BACKLOG_LIMIT:
        time.sleep(0.1)
    pipe.send(round(time.perf_counter() - connected, 1))
    start = pipe.recv()
    drag_emits, drops, ack_sent = [], [], {}
    per_drop = int(DROP_EVERY * HZ)

    def drag(index, dragger, card_id):
        sock = sockets[index]
        phase = dragger * per_drop // max(len(drags), 1)  # the draggers drop at different instants
        for n in range(int(seconds * HZ)):
            wait = start + n / HZ - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            x = position_x(dragger, n)
            drag_emits.append((round(x * 1_000_000), time.perf_counter()))
            sock.emit("drag", {"card_id": card_id, "zone_id": ZONE, "x": x, "y": 0.5})
            if (n + phase) % per_drop == per_drop - 1:
                drop_x = 0.5 + x  # unique, and never a drag position (those are below 0.5)
                sent = time.perf_counter()
                drops.append((index, card_id, drop_x, sent))
                if relay:
                    sock.emit("drag", {"card_id": card_id, "x": drop_x, "y": 0.5, "drop": True})
                    continue
                sock.emit("drag", {"card_id": card_id, "zone_id": ZONE, "x": x, "y": 0.5, "active": False})
                ack_id = dragger * 10_000 + n
                ack_sent[ack_id] = sent
                command = {"id": f"plenary-{ack_id}", "type": "move_card",
                           "data": {"card_id": card_id, "zone_id": ZONE, "x": drop_x, "y": 0.5}}
                sock.ws.send(f"42{ack_id}" + json.dumps(["command", command]))

    senders = [threading.Thread(target=drag, args=(i, dragger, card)) for i, (dragger, card) in drags.items()]
    time.sleep(max(0.0, start - time.perf_counter()))
    cpu_before = cpu_seconds()
    [t.start() for t in senders]
    [t.join(seconds + 10) for t in senders]
    time.sleep(max(0.0, start + seconds + SETTLE - time.perf_counter()))
    deadline = time.perf_counter() + DRAIN_LIMIT
    while time.perf_counter() - record.last_read < 0.5 and time.perf_counter() < deadline:
        time.sleep(0.1)
    cpu = cpu_seconds() - cpu_before
    stop.set()
    reader.join(5)
    for sock in sockets:
        try:
            sock.close()
        except OSError:
            pass
    acks = [(record.acks[i] - t) * 1000 for i, t in ack_sent.items() if i in record.acks]
    pipe.send({"drag_emits": drag_emits, "drag_keys": record.drag_keys, "drag_times": record.drag_times,
               "drops": drops, "seen": record.drops, "acks": acks, "asked": len(ack_sent), "cpu": cpu})
    pipe.close()


def load(url, tokens, cards, dragging, seconds, workers, server_pid, relay, generator="python"):
    """Run the plenary against a listening server, its load in Python or Node; its figures (ms, %)."""
    drag_sockets = {n * len(tokens) // dragging: (n, cards[n]) for n in range(dragging)}
    if generator == "node":
        options = {"zone": ZONE, "observeEvery": OBSERVE_EVERY, "dropEvery": DROP_EVERY}
        chosen, extra = node_load.plenary_worker, (seconds, relay, options)
    else:
        chosen, extra = worker, (seconds, relay)
    run = run_workers(chosen, url, tokens, drag_sockets, extra, workers,
                      seconds + SETTLE + DRAIN_LIMIT + 60, server_pid, connect_limit=CONNECT_LIMIT + BACKLOG_LIMIT)
    return {**figures(run.results, len(tokens), run.window, run.server_cpu), "load_average": run.load_average,
            "connect_backlog_s": run.backlog}


def figures(results, sockets, window, server_cpu):
    """Percentiles of the drops seen, the acks and the drag positions; delivery; CPU."""
    drag_sent = {key: t for r in results for key, t in r["drag_emits"]}
    drag = sorted((t - drag_sent[key]) * 1000 for r in results
                  for key, t in zip(r["drag_keys"], r["drag_times"]) if key in drag_sent)
    drops = {(card, x): (w, index, t) for w, r in enumerate(results) for index, card, x, t in r["drops"]}
    seen = sorted((t - drops[card, x][2]) * 1000 for w, r in enumerate(results) for index, card, x, t in r["seen"]
                  if (card, x) in drops and drops[card, x][:2] != (w, index))
    acks = sorted(a for r in results for a in r["acks"])
    asked = sum(r["asked"] for r in results)
    return {"p50": round(percentile(seen, 50), 2), "p99": round(percentile(seen, 99), 2),
            "seen_delivery": round(len(seen) / max(len(drops) * (sockets - 1), 1), 3),
            "ack_p50": round(percentile(acks, 50), 2) if asked else None,
            "ack_p99": round(percentile(acks, 99), 2) if asked else None,
            "acked": round(len(acks) / asked, 3) if asked else None,
            "drag_p50": round(percentile(drag, 50), 2), "drag_p99": round(percentile(drag, 99), 2),
            "drops": len(drops), "positions_sent": len(drag_sent),
            "cpu_pct": round(server_cpu / window * 100, 1),
            "generator_cpu_pct": round(sum(r["cpu"] for r in results) / window * 100, 1)}


def against_atelier(folder, sockets, dragging, seconds, workers, generator="python"):
    """run.py under eventlet: a board in Placement, `sockets` participants (joined over HTTP)."""
    # Every socket comes from 127.0.0.1: the per-address limit (400 by default) would refuse the room.
    server = ServerProcess(Path(folder) / "plenary.db",
                           extra_args=["--no-demo", "--join-rate", "1000", "--per-address", "2000"]).start()
    try:
        workshop = create_workshop(server.url, participants=sockets)
        facilitator = BoardClient(server.url, workshop["admin_token"])
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # Placement: cards may move
        cards = sorted(c.id for c in facilitator.replica.cards.values() if c.zone == "deck")
        facilitator.close()
        tokens = [person["token"] for person in workshop["participants"]]
        return load(server.url, tokens, cards, dragging, seconds, workers, server.process.pid, relay=False,
                    generator=generator)
    finally:
        server.stop()


def against_relay(folder, sockets, dragging, seconds, workers, generator="python"):
    """bench/naive_relay.py on a loopback port: the same load, a drop relayed like a drag."""
    with naive_relay(folder) as (url, relay_pid):
        cards = [f"d{n + 1:02d}" for n in range(dragging)]
        return load(url, [None] * sockets, cards, dragging, seconds, workers, relay_pid, relay=True,
                    generator=generator)


def run(sockets, dragging, seconds, workers, runs, with_relay, out, generator="python"):
    """Alternate Atelier and the relay `runs` times; medians into out["plenary"][str(sockets)]."""
    ours, relay = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            ours.append(against_atelier(folder, sockets, dragging, seconds, workers, generator))
            if with_relay:
                relay.append(against_relay(folder, sockets, dragging, seconds, workers, generator))

    def median(records):
        return {key: (round(statistics.median(r[key] for r in records), 2) if records[0][key] is not None else None)
                for key in records[0]}

    entry = {**median(ours), "sockets": sockets, "dragging": dragging, "seconds": seconds, "runs": runs,
             "drop_every_s": DROP_EVERY}
    line = (f"plenary{', Node load' if generator == 'node' else ''}, {sockets} sockets, {dragging} dragging at {HZ} Hz and dropping every {DROP_EVERY:g} s, "
            f"{seconds:g} s, median of {runs}: Atelier drop seen p50 {entry['p50']} / p99 {entry['p99']} ms "
            f"(seen {entry['seen_delivery']}), ack p50 {entry['ack_p50']} / p99 {entry['ack_p99']} ms, "
            f"drag p50 {entry['drag_p50']} / p99 {entry['drag_p99']} ms, server CPU {entry['cpu_pct']} % "
            f"(load {entry['generator_cpu_pct']} %), connect backlog {entry['connect_backlog_s']} s, "
            f"load average {entry['load_average']}")
    if relay:
        theirs = median(relay)
        entry.update({f"relay_{key}": value for key, value in theirs.items() if not key.startswith("ack")})
        for key in ("p99", "drag_p99", "cpu_pct"):
            entry[f"{key}_ratio"] = round(entry[key] / theirs[key], 2) if theirs[key] else None
        line += (f" | relay drop p50 {theirs['p50']} / p99 {theirs['p99']} ms, drag p99 {theirs['drag_p99']} ms, "
                 f"CPU {theirs['cpu_pct']} % (load {theirs['generator_cpu_pct']} %)")
    print(line, flush=True)
    summary = json.loads(out.read_text()) if out.exists() else {}
    summary.setdefault("plenary_node" if generator == "node" else "plenary", {})[str(sockets)] = entry
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return entry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 sockets, 10 dragging, 4 s, no relay (well under a minute)")
    parser.add_argument("--sockets", type=int, default=None)
    parser.add_argument("--dragging", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="load processes (default 4 in Python, 2 in Node)")
    parser.add_argument("--generator", choices=("python", "node"), default="python",
                        help="the load's worker processes: Python (default) or Node with raw frames (npm's ws)")
    parser.add_argument("--no-relay", action="store_true", help="Atelier only")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    sockets = args.sockets or (100 if args.quick else 500)
    dragging = args.dragging or (10 if args.quick else 20)
    seconds = args.seconds or (4.0 if args.quick else 10.0)
    if args.generator == "node" and not node_load.available():
        sys.exit("--generator node needs node and npm's ws (npm ci)")
    workers = args.workers or (2 if args.generator == "node" else 4)
    run(sockets, dragging, seconds, workers, args.runs, not (args.quick or args.no_relay), args.out, args.generator)


if __name__ == "__main__":
    main()
