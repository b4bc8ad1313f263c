"""Drops and the commit rate: durable `move_card` commands, acknowledged, against the naive relay.

(a) drop: N sockets on one board, M of them dropping a card each at 2 Hz, every move sent with an
    acknowledgement. Per move: the ack latency at its sender, and the latency at which every other
    socket sees it (from the emit to each arrival). Both instants are read with time.perf_counter
    (CLOCK_MONOTONIC, one clock for every process of this machine), as bench_drag.py does. The naive
    relay (bench/naive_relay.py) runs the same load in the same run: it acknowledges and re-emits,
    keeping nothing.
(b) commit rate: one board, S senders back to back (each sends its next move when the previous one
    is acknowledged) for a bounded time: durable acknowledged moves per second and the ack p99.

Usage: python bench/bench_drop.py [--quick] [--sockets 200] [--moving 10] [--senders 60] [--seconds S] [--generator node]
       [--no-rate] [--trace TRACE.json]
Writes the keys "drop" and "commit_rate" of bench/results/summary.json (or --out), keeping the others;
under --generator node (the load in Node with raw frames, as issue 13 measures), "drop_node" and
"commit_rate_node".
"""
import argparse
import collections
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_drag import (BACKLOG_LIMIT, LeanSocket, cpu_seconds, naive_relay, read_frames, run_workers,  # noqa: E402
                        wait_quiet)
from bench_drag import ServerProcess, create_workshop  # noqa: E402  (tests/conftest.py's)
from realtime import BoardClient  # noqa: E402
import node_load  # noqa: E402

DROP_HZ = 2
SETTLE = 1.0  # seconds after the last emit that every worker keeps reading
ACK_LIMIT = 10.0  # seconds the workers keep reading for answers still due after the window
ZONE = "maintenance/techniques"
ACK_PACKET = re.compile(r"^43(\d+)")
COMMAND_ID = re.compile(r'"command_id":\s*"(m[0-9]+-[0-9]+)"')


def percentile(values, q):
    """The q-th percentile (1..99) of a list, or NaN when there are fewer than two values."""
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(sorted(values), n=100)[q - 1]


class AckedSocket(LeanSocket):
    """A LeanSocket that sends commands with an acknowledgement id and notes when each answer comes."""

    def __init__(self, url, auth):
        super().__init__(url, auth)
        self.next_ack = 0
        self.pending = {}  # ack id -> command id
        self.on_ack = None  # the commit-rate run: called by the reader at each ack, sends the next move

    def command(self, command_id, data):
        self.next_ack += 1
        self.pending[self.next_ack] = command_id
        self.ws.send(f"42{self.next_ack}" + json.dumps(["command", {"id": command_id, "type": "move_card",
                                                                     "data": data}]))


def read_all(sockets, acks, arrivals, stop, last_read, watch_events):
    """One thread reads every socket of a worker: acks as {command id: (arrival, ok)}, and, when
    `watch_events`, each event or batch of events carrying a move as (receiver, command id, arrival)."""
    def handle(index, sock, packet, now):
        ack = ACK_PACKET.match(packet)
        if ack:
            command_id = sock.pending.pop(int(ack.group(1)), None)
            if command_id is not None:
                acks[command_id] = (now, '"ok":true' in packet.replace(" ", ""))
            if sock.on_ack is not None:
                sock.on_ack()
        elif watch_events and packet.startswith("42["):
            for command_id in COMMAND_ID.findall(packet):  # one event, or a batch of them
                arrivals.append((index, command_id, now))
    read_frames(sockets, stop, last_read, handle)


def move_data(card_id, n):
    return {"card_id": card_id, "zone_id": ZONE, "x": round((n % 97 + 1) / 100, 2), "y": 0.5}


def worker(url, tokens, movers, mode, seconds, pipe):
    """Connect one socket per token; at the start instant the parent sends, move.

    movers: {index in tokens: (sender number, card id)}. mode "drop": each mover sends at DROP_HZ;
    "rate": each sends its next move as soon as the previous one is acknowledged. Sends back the
    emits, acks, arrivals and this process's CPU seconds over the window."""
    acks, arrivals = {}, []
    sockets = [AckedSocket(url, {"token": token} if token else None) for token in tokens]
    stop = threading.Event()
    last_read = [time.perf_counter()]
    reader = threading.Thread(target=read_all, args=(sockets, acks, arrivals, stop, last_read, mode == "drop"))
    reader.start()
    connected = time.perf_counter()
    wait_quiet(last_read, BACKLOG_LIMIT)  # the joins' presence backlog, read before the window opens
    pipe.send(round(time.perf_counter() - connected, 1))
    start = pipe.recv()
    emits = {}  # command id -> (sender's global number, perf_counter at emit)

    def drop(sock, sender, card_id):
        for n in range(int(seconds * DROP_HZ)):
            wait = start + n / DROP_HZ - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            command_id = f"m{sender}-{n}"
            emits[command_id] = (sender, time.perf_counter())
            sock.command(command_id, move_data(card_id, n))

    def back_to_back(sock, sender, card_id):
        """The first move; each next one is sent by the reader thread as the previous one's ack
        arrives (no thread hand-off, so the load's own scheduling adds nothing to the ack)."""
        count = iter(range(1_000_000))

        def send_next():
            if time.perf_counter() >= start + seconds:
                sock.on_ack = None
                return
            command_id = f"m{sender}-{next(count)}"
            emits[command_id] = (sender, time.perf_counter())
            sock.command(command_id, move_data(card_id, int(command_id.rsplit("-", 1)[1])))

        sock.on_ack = send_next
        send_next()

    target = drop if mode == "drop" else back_to_back
    senders = [threading.Thread(target=target, args=(sockets[i], sender, card_id))
               for i, (sender, card_id) in movers.items()]
    time.sleep(max(0.0, start - time.perf_counter()))
    cpu_before = cpu_seconds()
    [t.start() for t in senders]
    [t.join(seconds + ACK_LIMIT + 5) for t in senders]
    time.sleep(max(0.0, start + seconds + SETTLE - time.perf_counter()))
    wait_quiet(last_read, ACK_LIMIT)
    cpu = cpu_seconds() - cpu_before
    stop.set()
    reader.join(5)
    senders_of = {i: sender for i, (sender, _) in movers.items()}
    for sock in sockets:
        sock.close()
    pipe.send({"emits": emits, "acks": dict(acks), "cpu": cpu,
               # arrivals named by the receiver's sender number, so a sender's own copy can be told apart
               "arrivals": [(senders_of.get(i), command_id, t) for i, command_id, t in arrivals]})
    pipe.close()


# The load's worker: these Python processes, or Node's (main's --generator node).
GENERATORS = {"python": None, "node": node_load.move_worker}
generator = {"worker": None}


def load(url, tokens, cards, moving, mode, seconds, workers, server_pid, movers=None, watch=None):
    """Run one scenario against a listening server; its raw records merged, with CPU and load.
    The `moving` movers are spread evenly over the sockets, moving `cards` in turn, unless `movers`
    ({socket index: (sender number, card id)}) says who moves what; `watch`: run_workers' (the CPU of
    more parts than the server, as `parts`)."""
    mover_at = movers if movers is not None else {n * len(tokens) // moving: (n, cards[n]) for n in range(moving)}
    run = run_workers(generator["worker"] or worker, url, tokens, mover_at, (mode, seconds), workers, seconds + SETTLE + 2 * ACK_LIMIT + 30,
                      server_pid, watch=watch)
    results, window = run.results, run.window
    emits = {k: v for r in results for k, v in r["emits"].items()}
    acks = {k: v for r in results for k, v in r["acks"].items()}
    arrivals = [a for r in results for a in r["arrivals"]]
    return {"emits": emits, "acks": acks, "arrivals": arrivals, "sockets": len(tokens), "window": window,
            "cpu_pct": round(run.server_cpu / window * 100, 1),
            "generator_cpu_pct": round(sum(r["cpu"] for r in results) / window * 100, 1),
            "load_average": run.load_average, "connect_backlog_s": run.backlog, "parts": run.parts}


def drop_figures(raw):
    """Ack and seen-by-others latencies (ms) of the drop scenario."""
    emits, acks = raw["emits"], raw["acks"]
    ack_ms = [(acks[c][0] - t) * 1000 for c, (_, t) in emits.items() if c in acks]
    seen, last_seen = [], {}
    for receiver, command_id, t in raw["arrivals"]:
        sender_t = emits.get(command_id)
        if sender_t is None or receiver == sender_t[0]:
            continue  # the sender's own copy: its ack is what it waits for
        latency = (t - sender_t[1]) * 1000
        seen.append(latency)
        last_seen[command_id] = max(latency, last_seen.get(command_id, 0.0))
    expected = len(emits) * (raw["sockets"] - 1)
    return {"p50": round(statistics.median(seen), 2) if seen else float("nan"),
            "p99": round(percentile(seen, 99), 2),
            "all_p50": round(statistics.median(last_seen.values()), 2) if last_seen else float("nan"),
            "all_p99": round(percentile(list(last_seen.values()), 99), 2),
            "ack_p50": round(statistics.median(ack_ms), 2) if ack_ms else float("nan"),
            "ack_p99": round(percentile(ack_ms, 99), 2),
            "acked_ok": sum(1 for ok in (a[1] for a in acks.values()) if ok),
            "moves_sent": len(emits),
            "delivery": round(len(seen) / max(expected, 1), 3),
            **{k: raw[k] for k in ("cpu_pct", "generator_cpu_pct", "load_average", "connect_backlog_s")}}


def rate_figures(raw, seconds):
    """Durable acknowledged moves per second and the ack latencies (ms) of the commit-rate scenario."""
    emits, acks = raw["emits"], raw["acks"]
    ok = [(acks[c][0] - t) * 1000 for c, (_, t) in emits.items() if c in acks and acks[c][1]]
    return {"one_board_per_s": round(len(ok) / seconds, 1),
            "ack_p50": round(statistics.median(ok), 2) if ok else float("nan"),
            "ack_p99": round(percentile(ok, 99), 2),
            "refused": sum(1 for a in acks.values() if not a[1]),
            **{k: raw[k] for k in ("cpu_pct", "generator_cpu_pct", "load_average")}}


def atelier_board(folder, name, participants, trace=None, extra_args=()):
    """The real server (run.py, eventlet) with a board in Placement: (server, tokens, deck card ids).
    With `trace`, run.py runs under bench/stage_probe.py, which writes its stages there when stopped."""
    if trace is not None:
        os.environ["STAGE_TRACE"] = str(trace)
    # Every socket comes from 127.0.0.1: the per-address cap (400 by default) would refuse a room of 500.
    server = ServerProcess(Path(folder) / f"{name}.db",
                           extra_args=["--no-demo", "--join-rate", "1000", "--per-address", "2000", *extra_args],
                           script=HERE / "stage_probe.py" if trace is not None else None).start()
    try:
        workshop = create_workshop(server.url, participants=participants)
        facilitator = BoardClient(server.url, workshop["admin_token"])
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # Placement: cards may move
        cards = sorted(c.id for c in facilitator.replica.cards.values() if c.zone == "deck")
        facilitator.close()
    except Exception:
        server.stop()
        raise
    return server, [person["token"] for person in workshop["participants"]], cards


def drop_against_atelier(folder, sockets, moving, seconds, workers, trace=None):
    """The drop scenario against Atelier; with `trace` (a path), its server runs under
    bench/stage_probe.py and each move's stages are printed and written there (see `stage_table`)."""
    server, tokens, cards = atelier_board(folder, "drop", sockets, trace)
    try:
        raw = load(server.url, tokens, cards, moving, "drop", seconds, workers, server.process.pid)
    finally:
        server.stop()
    if trace is not None:
        print(stage_table(raw, json.loads(Path(trace).read_text())), flush=True)
    return drop_figures(raw)


# Each move's way through the server, in order (bench/stage_probe.py's stages, then the client's).
STAGES = ("read", "submit", "batch", "store_call", "thread_start", "thread_end", "store_return", "ack_queued",
          "ack_sent", "ack", "publish_start", "publish_end", "event_first", "event_last", "seen_last")


def stage_table(raw, trace):
    """Per stage, the time since the move's emit (p50 / p99 / max, ms) and since the stage before it,
    with the batches' sizes, the event loop's late wakes and the collector's pauses in the window."""
    emits, acks = raw["emits"], raw["acks"]
    seen_last = {}
    for receiver, command_id, t in raw["arrivals"]:
        if command_id in emits and receiver != emits[command_id][0]:
            seen_last[command_id] = max(t, seen_last.get(command_id, 0.0))
    rows, since_emit, steps = [], {s: [] for s in STAGES}, {s: [] for s in STAGES}
    sizes = []
    for command_id, (_, emitted) in emits.items():
        record = dict(trace["stages"].get(command_id, {}))
        if command_id in acks:
            record["ack"] = acks[command_id][0]
        if command_id in seen_last:
            record["seen_last"] = seen_last[command_id]
        sizes.append(record.get("batch_size", 0))
        before = emitted
        for stage in STAGES:
            if stage in record:
                since_emit[stage].append((record[stage] - emitted) * 1000)
                steps[stage].append((record[stage] - before) * 1000)
                if stage not in ("ack_queued", "ack_sent", "ack"):  # the broadcast's steps follow the commit's
                    before = record[stage]
                elif stage == "ack":
                    before = record.get("store_return", before)
    for stage in STAGES:
        got = sorted(since_emit[stage])
        if got:
            step = sorted(steps[stage])
            rows.append(f"  {stage:13} since emit p50 {got[len(got) // 2]:7.2f} p99 {got[int(len(got) * .99)]:7.2f} "
                        f"max {got[-1]:7.2f} | step p50 {step[len(step) // 2]:6.2f} p99 {step[int(len(step) * .99)]:6.2f}"
                        f" max {step[-1]:6.2f} ms ({len(got)})")
    start = min(t for _, t in emits.values()) if emits else 0
    end = max(t for _, t in emits.values()) + 1 if emits else 0
    late = [lag for at, lag in trace["loop_late"] if start <= at <= end]
    pauses = [(g, took) for at, g, took in trace["collections"] if start <= at <= end]
    rows.append(f"  batch sizes: {dict(sorted(collections.Counter(sizes).items()))}; event loop woke >2 ms late "
                f"{len(late)} times in the window (max {max(late, default=0) * 1000:.1f} ms); collections > 1 ms: "
                f"{[(g, round(t * 1000, 1)) for g, t in pauses]}")
    return "stages of each move (ms):\n" + "\n".join(rows)


def drop_against_relay(folder, sockets, moving, seconds, workers):
    return against_relay(folder, sockets, moving, "drop", seconds, workers)


def against_relay(folder, sockets, moving, mode, seconds, workers):
    """bench/naive_relay.py on a loopback port, under the same load; the scenario's figures."""
    with naive_relay(folder) as (url, relay_pid):
        cards = [f"d{n + 1:02d}" for n in range(moving)]
        raw = load(url, [None] * sockets, cards, moving, mode, seconds, workers, relay_pid)
        return drop_figures(raw) if mode == "drop" else rate_figures(raw, seconds)


def commit_rate(folder, senders, seconds, workers):
    """Atelier's durable moves per second, then the relay's answers per second under the same load
    (nothing stored: the most this load generator and machine can drive)."""
    # The per-connection limit (50 commands/s) would cap 60 senders at 3,000/s: raised, so the figure is the server's.
    server, tokens, cards = atelier_board(folder, "rate", senders, extra_args=["--command-rate", "100000"])
    try:
        raw = load(server.url, tokens, cards, senders, "rate", seconds, workers, server.process.pid)
        ours = {**rate_figures(raw, seconds), "senders": senders, "seconds": seconds}
    finally:
        server.stop()
    relay = against_relay(folder, senders, senders, "rate", seconds, workers)
    return {**ours, **{f"relay_{key}": value for key, value in relay.items()}}


def median_of(runs):
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}


def run(sockets, moving, senders, seconds, rate_seconds, workers, runs, out, suffix="", trace=None, rate=True):
    """Alternate Atelier and the relay `runs` times, then the commit rate (unless not `rate`); medians
    into `out`. `trace`: a path for bench/stage_probe.py's record of Atelier's drop runs."""
    ours, relay, rates = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            ours.append(drop_against_atelier(folder, sockets, moving, seconds, workers, trace))
            relay.append(drop_against_relay(folder, sockets, moving, seconds, workers))
            if rate:
                rates.append(commit_rate(folder, senders, rate_seconds, workers))
    drop, relay_drop = median_of(ours), median_of(relay)
    drop.update({f"relay_{key}": value for key, value in relay_drop.items()})
    drop.update({"sockets": sockets, "moving": moving, "hz": DROP_HZ, "seconds": seconds, "runs": runs,
                 "p99_ratio": round(drop["p99"] / drop["relay_p99"], 2) if drop["relay_p99"] else None})
    print(f"drop, {sockets} sockets, {moving} moving at {DROP_HZ} Hz, {seconds:g} s, median of {runs}: Atelier seen "
          f"p50 {drop['p50']} / p99 {drop['p99']} ms (all seen p99 {drop['all_p99']}), ack p50 {drop['ack_p50']} / "
          f"p99 {drop['ack_p99']} ms, delivery {drop['delivery']}, CPU {drop['cpu_pct']} % | relay seen p50 "
          f"{drop['relay_p50']} / p99 {drop['relay_p99']} ms, ack p99 {drop['relay_ack_p99']} ms, delivery "
          f"{drop['relay_delivery']}, CPU {drop['relay_cpu_pct']} %; load average {drop['load_average']}", flush=True)
    summary = json.loads(out.read_text()) if out.exists() else {}
    summary[f"drop{suffix}"] = drop
    if rates:
        rate = median_of(rates)
        rate.update({"runs": runs})
        summary[f"commit_rate{suffix}"] = rate
        print(f"commit rate, one board, {senders} senders back to back, {rate_seconds:g} s, median of {runs}: "
              f"{rate['one_board_per_s']} durable acked moves/s, ack p50 {rate['ack_p50']} / p99 {rate['ack_p99']} ms, "
              f"{rate['refused']} refused, server CPU {rate['cpu_pct']} % (load {rate['generator_cpu_pct']} %) | relay "
              f"(nothing stored) {rate['relay_one_board_per_s']} answers/s, ack p50 {rate['relay_ack_p50']} / p99 "
              f"{rate['relay_ack_p99']} ms, CPU {rate['relay_cpu_pct']} %; load average {rate['load_average']}", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="50 sockets / 5 moving, 20 senders, 3 s windows, one run (well under a minute)")
    parser.add_argument("--sockets", type=int, default=None)
    parser.add_argument("--moving", type=int, default=None)
    parser.add_argument("--senders", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None, help="load processes (default 4 in Python, 2 in Node)")
    parser.add_argument("--generator", choices=tuple(GENERATORS), default="python",
                        help="the load's worker processes: Python (default) or Node with raw frames (npm's ws)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    parser.add_argument("--trace", type=Path, default=None,
                        help="run Atelier under bench/stage_probe.py: each move's stages (read, batch, commit, "
                             "fsync, ack, broadcast) printed and written to this file")
    parser.add_argument("--no-rate", action="store_true", help="the drop scenario only, not the commit rate")
    args = parser.parse_args(argv)
    generator["worker"] = GENERATORS[args.generator]
    workers = args.workers or (2 if args.generator == "node" else 4)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    run(args.sockets or (50 if args.quick else 200), args.moving or (5 if args.quick else 10),
        args.senders or (20 if args.quick else 60), seconds, seconds, workers,
        args.runs or (1 if args.quick else 2), args.out, suffix="_node" if args.generator == "node" else "",
        trace=args.trace, rate=not args.no_rate)


if __name__ == "__main__":
    main()
