"""Drag, side by side: Atelier's relay against a naive Flask-SocketIO relay, in the same run.

N sockets on one board, M of them dragging a card each at 30 Hz for a bounded time. Each position
carries a unique x, so every arrival is matched to its emit; both instants are read with
time.perf_counter (CLOCK_MONOTONIC, one clock for every process of this machine), so the latency
is end to end, from the sender's emit to each receiver. The load is spread over several worker
processes so one Python process is not the bottleneck; their CPU is reported beside the server's.

Usage: python bench/bench_drag.py [--quick] [--sockets 50,200] [--dragging 5,10] [--seconds S] [--generator node]
--generator node runs the load in Node (bench/node/load_worker.mjs, raw frames over `ws`), as issue 13
measures it, instead of Python processes.
Writes bench/results/summary.json (or --out), keeping the keys other benchmarks wrote there.
"""
import argparse
import collections
import contextlib
import json
import multiprocessing
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import websocket

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import ServerProcess, create_workshop, free_port  # noqa: E402
from realtime import BoardClient  # noqa: E402
import node_load  # noqa: E402
from board.tokens import split_token  # noqa: E402

HZ = 30
SETTLE = 1.0  # seconds after the last emit that every worker keeps reading
DRAIN_LIMIT = 10.0  # then up to this long more, while positions still arrive (a backlog)
CONNECT_LIMIT = 60  # seconds for every worker to connect its sockets
BACKLOG_LIMIT = 60  # seconds to read what the connections sent before the window opens


def cpu_seconds(pid="self"):
    """User + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def position_x(dragger, n):
    """A unique, exact x in [0, 1] for the n-th position of a dragger (n < 10,000)."""
    return (dragger * 10_000 + n) / 1_000_000


class LeanSocket:
    """A Socket.IO client reduced to what the load needs, over one websocket (Engine.IO 4).

    python-socketio's client starts a thread per received message, which made the load generator,
    not the server, the bottleneck; this one only reads frames and matches `dragging`."""

    def __init__(self, url, auth):
        # A token `<board>.<secret>` names its board in the URL, as the pages do, for a proxy routing by board.
        token = (auth or {}).get("token")
        board_id = split_token(token)[0] if isinstance(token, str) else None
        board = f"&board={board_id}" if board_id else ""
        self.ws = websocket.create_connection(url.replace("http://", "ws://") +
                                              f"/socket.io/?EIO=4&transport=websocket{board}",
                                              timeout=10, enable_multithread=True)
        if not self.ws.recv().startswith("0"):  # Engine.IO open
            raise RuntimeError("no Engine.IO handshake")
        self.ws.send("40" + (json.dumps(auth) if auth else ""))
        for _ in range(1000):  # the namespace's answer comes first; bounded anyway
            packet = self.ws.recv()
            if packet.startswith("40"):
                return
            if packet.startswith("44"):
                raise RuntimeError(f"connection refused: {packet[2:200]}")
        raise RuntimeError("no Socket.IO connect answer")

    def emit(self, name, data):
        self.ws.send("42" + json.dumps([name, data]))

    def close(self):
        self.ws.close(timeout=1)


def wait_quiet(last_read, limit):
    """Sleep until no packet was read for half a second (last_read[0], kept by read_frames), or `limit`
    seconds have passed: a backlog, or what is still due after a window, has then been read."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() - last_read[0] < 0.5 and time.perf_counter() < deadline:
        time.sleep(0.1)


def read_frames(sockets, stop, last_read, handle):
    """Read every socket of a worker in one thread until `stop`: answers Engine.IO's pings, and hands
    every other packet to `handle(index of its socket, socket, packet, arrival)`. last_read[0] is the
    instant of the last packet read (a worker waits for it to settle before its window opens)."""
    poller = select.epoll()
    by_fd = {s.ws.sock.fileno(): (index, s) for index, s in enumerate(sockets)}
    for fd in by_fd:
        poller.register(fd, select.EPOLLIN)
    while not stop.is_set():
        for fd, _ in poller.poll(0.1):
            index, sock = by_fd[fd]
            try:
                packet = sock.ws.recv()
            except (websocket.WebSocketException, OSError):
                poller.unregister(fd)
                continue
            now = last_read[0] = time.perf_counter()
            if packet == "2":  # Engine.IO ping
                sock.ws.send("3")
            else:
                handle(index, sock, packet, now)
    poller.close()


def receive(sockets, arrivals, stop, last_read):
    """One thread reads every socket of a worker: each `dragging` as (receiver, card, x, arrival).

    last_read[0] is the instant of the last packet read, to wait for the joins' presence to drain."""
    def handle(index, _sock, packet, now):
        if packet.startswith('42["dragging"'):
            data = json.loads(packet[2:])[1]
            for position in data if isinstance(data, list) else [data]:  # one position, or a batch
                arrivals.append((index, position["card_id"], position["x"], now))
    read_frames(sockets, stop, last_read, handle)


def worker(url, tokens, drags, seconds, pipe):
    """Connect one socket per token, then, at the start instant the parent sends, drag.

    drags: {index in tokens: (dragger number, card id)}. Sends back the emits, the arrivals and
    this process's CPU seconds over the window."""
    arrivals = []  # (receiver, card id, x, perf_counter at arrival)
    sockets = [LeanSocket(url, {"token": token} if token else None) for token in tokens]
    stop = threading.Event()
    last_read = [time.perf_counter()]
    reader = threading.Thread(target=receive, args=(sockets, arrivals, stop, last_read))
    reader.start()
    # Every connect sent the online list to everyone: read that backlog before the window opens.
    connected = time.perf_counter()
    wait_quiet(last_read, BACKLOG_LIMIT)
    pipe.send(round(time.perf_counter() - connected, 1))  # ready, after this many seconds of backlog
    start = pipe.recv()
    emits = []  # (card id, x, perf_counter at emit)

    def drag(sock, dragger, card_id):
        for n in range(int(seconds * HZ)):  # bounded in count, and in time by the schedule
            wait = start + n / HZ - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            x = position_x(dragger, n)
            emits.append((card_id, x, time.perf_counter()))
            sock.emit("drag", {"card_id": card_id, "x": x, "y": 0.5})

    senders = [threading.Thread(target=drag, args=(sockets[i], dragger, card_id))
               for i, (dragger, card_id) in drags.items()]
    time.sleep(max(0.0, start - time.perf_counter()))
    cpu_before = cpu_seconds()
    [t.start() for t in senders]
    [t.join(seconds + 10) for t in senders]
    # A worker with no dragger keeps reading as long as the others: the window ends for everyone.
    time.sleep(max(0.0, start + seconds + SETTLE - time.perf_counter()))
    wait_quiet(last_read, DRAIN_LIMIT)
    cpu = cpu_seconds() - cpu_before
    stop.set()
    reader.join(5)
    arrived = list(arrivals)
    for sock in sockets:
        sock.close()
    pipe.send({"emits": emits, "arrivals": arrived, "cpu": cpu})
    pipe.close()


# parts: with run_workers' `watch`, the CPU seconds each watched part used over the window.
LoadRun = collections.namedtuple("LoadRun", "results window server_cpu load_average backlog parts", defaults=(None,))


def run_workers(worker, url, tokens, actors, extra, workers, finish_limit, server_pid,
                connect_limit=CONNECT_LIMIT + BACKLOG_LIMIT, watch=None):
    """Run a load over `workers` processes: socket i goes to worker i % workers, which is started as
    `worker(url, its tokens, its actors, *extra, pipe)`, its `actors` (socket index -> what that socket
    does) renumbered to its own sockets. Each worker connects and sends its connect backlog (within
    `connect_limit` s); all are then told one start half a second ahead and send back their records (within `finish_limit` s).
    Returns a LoadRun: the records, the window (s), the server's CPU over it (s), the load average as
    it began (the machine is shared) and the largest backlog (s); with `watch` (a function giving
    {part: CPU seconds so far}), each part's CPU over the window as `parts`."""
    pipes, processes = [], []
    for share in (range(w, len(tokens), workers) for w in range(workers)):
        parent, child = multiprocessing.Pipe()
        mine = {k: actors[i] for k, i in enumerate(share) if i in actors}
        process = multiprocessing.Process(target=worker, args=(url, [tokens[i] for i in share], mine, *extra, child))
        process.start()
        pipes.append(parent)
        processes.append(process)
    backlog = 0.0
    try:
        for pipe in pipes:
            if not pipe.poll(connect_limit):
                raise RuntimeError("a load worker did not connect its sockets in time")
            backlog = max(backlog, pipe.recv())
        start = time.perf_counter() + 0.5
        load_average = os.getloadavg()[0]
        server_before = cpu_seconds(server_pid)
        parts_before = watch() if watch else None
        for pipe in pipes:
            pipe.send(start)
        results = []
        for pipe in pipes:
            if not pipe.poll(finish_limit):
                raise RuntimeError("a load worker did not finish in time")
            results.append(pipe.recv())
        window = time.perf_counter() - start
        server_cpu = cpu_seconds(server_pid) - server_before
        parts = None
        if watch:
            parts_after = watch()
            parts = {part: round(parts_after[part] - parts_before.get(part, 0.0), 3) for part in parts_after}
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    return LoadRun(results, window, server_cpu, round(load_average, 1), backlog, parts)


# The load's worker: these Python processes, or Node's (main's --generator node).
GENERATORS = {"python": None, "node": node_load.drag_worker}
generator = {"worker": None}


def load(url, tokens, cards, dragging, seconds, workers, server_pid):
    """Run the drag scenario against a listening server; its figures as a dict (ms, %)."""
    drag_sockets = {n * len(tokens) // dragging: (n, cards[n]) for n in range(dragging)}
    run = run_workers(generator["worker"] or worker, url, tokens, drag_sockets, (seconds,), workers, seconds + SETTLE + DRAIN_LIMIT + 30,
                      server_pid)
    return {**figures(run.results, len(tokens), run.window, run.server_cpu), "load_average": run.load_average,
            "connect_backlog_s": run.backlog}


def figures(results, sockets, window, server_cpu):
    """Latency percentiles, delivery ratios and CPU from the workers' raw records."""
    sent_at = {(card, x): t for r in results for card, x, t in r["emits"]}
    last_x = {}
    for card, x, _ in sorted((e for r in results for e in r["emits"]), key=lambda e: e[1]):
        last_x[card] = x
    latencies, got_last = [], set()
    for w, r in enumerate(results):
        for receiver, card, x, t in r["arrivals"]:
            if (card, x) in sent_at:
                latencies.append((t - sent_at[card, x]) * 1000)
            if last_x.get(card) == x:
                got_last.add((w, receiver, card))
    latencies.sort()
    expected = len(sent_at) * (sockets - 1)
    p99 = statistics.quantiles(latencies, n=100)[-1] if len(latencies) > 1 else float("nan")
    return {"p50": round(statistics.median(latencies), 2) if latencies else float("nan"),
            "p99": round(p99, 2),
            "delivery": round(len(latencies) / max(expected, 1), 3),
            "delivery_last": round(len(got_last) / max(len(last_x) * (sockets - 1), 1), 3),
            "cpu_pct": round(server_cpu / window * 100, 1),
            "generator_cpu_pct": round(sum(r["cpu"] for r in results) / window * 100, 1),
            "positions_sent": len(sent_at)}


def against_atelier(folder, sockets, dragging, seconds, workers, async_mode="eventlet"):
    """The real server (run.py, eventlet unless told): a board in its Placement sequence, `sockets` participants."""
    server = ServerProcess(Path(folder) / "drag.db", extra_args=["--no-demo", "--join-rate", "1000",
                                                                 "--async-mode", async_mode]).start()
    try:
        workshop = create_workshop(server.url, participants=sockets)
        facilitator = BoardClient(server.url, workshop["admin_token"])
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # Placement: cards may move
        cards = sorted(c.id for c in facilitator.replica.cards.values() if c.zone == "deck")
        facilitator.close()
        tokens = [person["token"] for person in workshop["participants"]]
        return load(server.url, tokens, cards, dragging, seconds, workers, server.process.pid)
    finally:
        server.stop()


@contextlib.contextmanager
def naive_relay(folder, extra_args=()):
    """bench/naive_relay.py serving on a loopback port, its log in `folder`: yields (url, pid), and
    stops it on leaving (every benchmark's relay side starts it this way). `extra_args`: the relay's
    options (`--message-queue URL`)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(Path(folder) / "relay.log", "ab") as log:
        relay = subprocess.Popen([sys.executable, str(HERE / "naive_relay.py"), str(port), *extra_args], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 20
            while not _answers(url + "/healthz"):
                if time.monotonic() > deadline:
                    raise RuntimeError("the naive relay did not start")
                time.sleep(0.05)
            yield url, relay.pid
        finally:
            relay.terminate()
            relay.wait(10)


def _answers(url):
    try:
        return requests.get(url, timeout=1).ok
    except requests.RequestException:
        return False


def against_relay(folder, sockets, dragging, seconds, workers):
    """bench/naive_relay.py on a loopback port."""
    with naive_relay(folder) as (url, relay_pid):
        cards = [f"d{n + 1:02d}" for n in range(dragging)]
        return load(url, [None] * sockets, cards, dragging, seconds, workers, relay_pid)


def run(settings, seconds, workers, runs, out, async_mode="eventlet", key="drag"):
    """Alternate Atelier (under `async_mode`) and the relay `runs` times per setting; medians into `out`
    under `key`."""
    by_setting = {}
    with tempfile.TemporaryDirectory() as folder:
        for sockets, dragging in settings:
            ours, relay = [], []
            for _ in range(runs):
                ours.append(against_atelier(folder, sockets, dragging, seconds, workers, async_mode))
                relay.append(against_relay(folder, sockets, dragging, seconds, workers))
            median = {key: round(statistics.median(r[key] for r in ours), 2) for key in ours[0]}
            relay_median = {key: round(statistics.median(r[key] for r in relay), 2) for key in relay[0]}
            entry = {**median, **{f"relay_{key}": value for key, value in relay_median.items()},
                     "sockets": sockets, "dragging": dragging, "seconds": seconds, "runs": runs,
                     "p99_ratio": round(median["p99"] / relay_median["p99"], 2) if relay_median["p99"] else None,
                     "cpu_ratio": round(median["cpu_pct"] / relay_median["cpu_pct"], 2)
                     if relay_median["cpu_pct"] else None}
            by_setting[f"{sockets}x{dragging}"] = entry
            print(f"drag, {sockets} sockets, {dragging} dragging at {HZ} Hz, {seconds:g} s, median of {runs}: "
                  f"Atelier p50 {median['p50']} / p99 {median['p99']} ms, delivery {median['delivery']}, "
                  f"last {median['delivery_last']}, server CPU {median['cpu_pct']} % "
                  f"(load {median['generator_cpu_pct']} %) | relay p50 {relay_median['p50']} / "
                  f"p99 {relay_median['p99']} ms, delivery {relay_median['delivery']}, CPU {relay_median['cpu_pct']} % "
                  f"(load {relay_median['generator_cpu_pct']} %); Atelier's connections left a backlog of "
                  f"{median['connect_backlog_s']} s; load average {median['load_average']}", flush=True)
    summary = json.loads(out.read_text()) if out.exists() else {}
    largest = by_setting[f"{settings[-1][0]}x{settings[-1][1]}"]
    summary.update({"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
                               f"Python {platform.python_version()}",
                    "async_mode": async_mode,
                    key: {**largest, "settings": by_setting}})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def pairs(text):
    return [int(v) for v in text.split(",")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="50 sockets / 5 dragging, 3 s windows, 2 alternated runs (under 2 minutes)")
    parser.add_argument("--sockets", type=pairs, default=None, help="comma-separated, e.g. 50,200")
    parser.add_argument("--dragging", type=pairs, default=None, help="as many, e.g. 5,10")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None, help="load processes (default 4 in Python, 2 in Node)")
    parser.add_argument("--generator", choices=tuple(GENERATORS), default="python",
                        help="the load's worker processes: Python (default) or Node with raw frames (npm's ws)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "gevent", "threading"),
                        help="run.py's server loop for Atelier (the relay stays eventlet); default eventlet")
    args = parser.parse_args(argv)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    runs = args.runs or (2 if args.quick else 3)
    # 200 sockets take ~40 s more to connect here (every join sends the online list to everyone).
    sockets = args.sockets or ([50] if args.quick else [50, 200])
    dragging = args.dragging or ([5] if args.quick else [5, 10])
    generator["worker"] = GENERATORS[args.generator]
    workers = args.workers or (2 if args.generator == "node" else 4)
    # Under Node (the issue's own method) the figures go beside the Python load's, not over them.
    run(list(zip(sockets, dragging)), seconds, workers, runs, args.out, args.async_mode,
        key="drag_node" if args.generator == "node" else "drag")


if __name__ == "__main__":
    main()
