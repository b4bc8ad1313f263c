"""Join storm and reconnect storm on a board holding 500 cards (issue 13's presence targets).

Join storm: 200 participants open the board within 2 s. Each socket's welcome latency runs from the
start of its TCP connect to the end of its `welcome` frame; every `presence` frame every socket
receives is counted (frames and bytes) until the room is quiet. Reconnect storm: the same 200 close
their board, the board moves 50 versions on, and all 200 come back within 1 s with `since` (the
version they hold): caught up when their welcome, carrying the 50 missed events, has arrived.

The load is the lean Engine.IO client of bench_drag.py (`LeanSocket`), one thread per socket, in
several worker processes; their CPU is reported beside the server's. The naive relay runs the same
join storm side by side for the floor of a bare Socket.IO connect (it has no welcome and no
presence). `--baseline-root DIR` runs the join storm against another checkout too (e.g. the code
before presence was sent as changes), alternated with this one.

Usage: python bench/bench_storms.py [--quick] [--clients N] [--cards N] [--behind N] [--runs R]
Writes keys "join_storm" and "reconnect_storm" of bench/results/summary.json (or --out), keeping the rest.
"""
import argparse
import json
import multiprocessing
import os
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

from bench_drag import LeanSocket, cpu_seconds, naive_relay  # noqa: E402
from conftest import ServerProcess, create_workshop, join  # noqa: E402
from realtime import BoardClient  # noqa: E402

QUIET = 1.0  # seconds without any frame before a storm counts as over
STORM_LIMIT = 90  # seconds a storm may take to settle, at most
COMMANDS_PER_CLIENT = 35  # within the per-connection burst, so building the board is never throttled
ZONES = ["maintenance/techniques", "exploitation/capacites", "socle/techniques", "donnees_si/capacites"]


def percentile(values, q):
    """The q-th percentile (0-100) of `values`, or NaN when there are fewer than two."""
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1]


# -- the load: worker processes, one thread per socket ------------------------

class StormSocket(LeanSocket):
    """bench_drag's LeanSocket, keeping what comes before the namespace's answer: the server sends
    the `welcome` from its connect handler, so it arrives before "40" (LeanSocket drops it). Text
    frames are not checked for UTF-8 here: websocket-client does it byte by byte in Python, which
    for 200 welcomes of 200 KB made the load generator, not the server, the bottleneck."""

    def __init__(self, url, auth, on_frame):
        self.ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                              timeout=10, enable_multithread=True, skip_utf8_validation=True)
        if not self.ws.recv().startswith("0"):  # Engine.IO open
            raise RuntimeError("no Engine.IO handshake")
        self.ws.send("40" + json.dumps(auth))
        for _ in range(1000):  # bounded: a refused socket says so, an accepted one answers "40"
            packet = self.ws.recv()
            if packet.startswith("40"):
                return
            if packet.startswith("44"):
                raise RuntimeError(f"connection refused: {packet[2:200]}")
            on_frame(packet)
        raise RuntimeError("no Socket.IO connect answer")


class Storm:
    """The sockets of one worker process and what they received, for a parent that drives it."""

    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()
        self.sockets = []
        self.records = []  # per socket: {"start", "connected", "welcome", "welcome_bytes", "events"}
        self.presence = [0, 0]  # frames, bytes
        self.last_read = time.perf_counter()
        self.stop = threading.Event()
        self.threads = []
        self.welcome = True

    def open(self, plan, since, welcome=True):
        """Open one socket per (token, instant) of `plan` at its instant, each in its own thread;
        `welcome`: whether the server sends one (the naive relay does not)."""
        self.stop.clear()
        self.welcome = welcome
        self.records = [{} for _ in plan]
        self.threads = [threading.Thread(target=self._run, args=(index, token, at, since), daemon=True)
                        for index, (token, at) in enumerate(plan)]
        for thread in self.threads:
            thread.start()

    def _run(self, index, token, at, since):
        record = self.records[index]
        time.sleep(max(0.0, at - time.perf_counter()))
        record["start"] = time.perf_counter()
        try:
            sock = StormSocket(self.url, {"token": token, **({"since": since} if since is not None else {})},
                               lambda frame: self._read(record, frame, None))
        except (RuntimeError, OSError, websocket.WebSocketException) as error:
            record["error"] = str(error)[:200]
            return
        record["connected"] = time.perf_counter()
        with self.lock:
            self.sockets.append(sock)
        sock.ws.settimeout(0.2)
        while not self.stop.is_set():
            try:
                frame = sock.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketException, OSError):
                return
            self._read(record, frame, sock)

    def _read(self, record, frame, sock):
        now = self.last_read = time.perf_counter()
        if frame.startswith('42["welcome"'):
            record["welcome"], record["welcome_bytes"] = now, len(frame.encode())
            # A resumed welcome carries the missed events, a full one the state (not parsed: 250 KB).
            record["events"] = 0 if '"state":' in frame else len(json.loads(frame[2:])[1]["events"])
        elif frame.startswith('42["presence"'):
            size = len(frame.encode())
            with self.lock:
                self.presence[0] += 1
                self.presence[1] += size
        elif frame == "2" and sock is not None:
            sock.ws.send("3")

    def settle(self, expected, limit):
        """Wait until every socket has its welcome (or, without one, is connected, or gave up) and no
        frame came for QUIET seconds; False after `limit` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            done = sum(1 for r in self.records if ("welcome" if self.welcome else "connected") in r or "error" in r)
            if done >= expected and time.perf_counter() - self.last_read > QUIET:
                return True
            time.sleep(0.05)
        return False

    def take(self):
        """The records and the presence counts since the last take."""
        with self.lock:
            presence, self.presence = self.presence, [0, 0]
        return {"records": list(self.records), "presence_frames": presence[0], "presence_bytes": presence[1]}

    def close(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(2)
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for sock in sockets:
            try:
                sock.close()
            except (websocket.WebSocketException, OSError):
                pass


def worker(url, tokens, pipe):
    """Run the parent's orders: ("open", [instants], since) opens the sockets, ("settle",) waits for
    their welcomes and a quiet room and sends what they received, ("close",) closes them, ("stop",)."""
    storm = Storm(url)
    while True:
        order = pipe.recv()
        if order[0] == "open":
            storm.open(list(zip(tokens, order[1])), order[2], order[3])
            cpu_before = cpu_seconds()
        elif order[0] == "settle":
            settled = storm.settle(len(tokens), STORM_LIMIT)
            pipe.send({**storm.take(), "settled": settled, "cpu": cpu_seconds() - cpu_before})
        elif order[0] == "close":
            storm.close()
            pipe.send("closed")
        else:
            storm.close()
            pipe.close()
            return


class Load:
    """Worker processes holding `tokens` between them (token i in worker i % workers)."""

    def __init__(self, url, tokens, workers):
        self.shares = [list(range(w, len(tokens), workers)) for w in range(workers)]
        self.pipes, self.processes = [], []
        for share in self.shares:
            parent, child = multiprocessing.Pipe()
            process = multiprocessing.Process(target=worker, args=(url, [tokens[i] for i in share], child), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)
        self.count = len(tokens)

    def storm(self, spread, since, server_pid, welcome=True):
        """Open every socket, socket i at start + i * spread / count; the figures once settled."""
        start = time.perf_counter() + 0.3
        load_average = os.getloadavg()[0]
        server_before = cpu_seconds(server_pid)
        for share, pipe in zip(self.shares, self.pipes):
            pipe.send(("open", [start + i * spread / self.count for i in share], since, welcome))
        results = []
        for pipe in self.pipes:
            pipe.send(("settle",))
        for pipe in self.pipes:
            if not pipe.poll(STORM_LIMIT + 30):
                raise RuntimeError("a load worker did not settle in time")
            results.append(pipe.recv())
        window = time.perf_counter() - start
        server_cpu = cpu_seconds(server_pid) - server_before
        records = [r for result in results for r in result["records"]]
        welcome = [(r["welcome"] - r["start"]) * 1000 for r in records if "welcome" in r]
        connect = [(r["connected"] - r["start"]) * 1000 for r in records if "connected" in r]
        sizes = [r["welcome_bytes"] for r in records if "welcome_bytes" in r]
        return {"p50": round(statistics.median(welcome), 1) if welcome else float("nan"),
                "p99": round(percentile(welcome, 99), 1),
                "connect_p50": round(statistics.median(connect), 1) if connect else float("nan"),
                "connect_p99": round(percentile(connect, 99), 1),
                "welcomed": len(welcome), "failed": sum(1 for r in records if "error" in r),
                "welcome_kb": round(statistics.median(sizes) / 1024, 1) if sizes else 0,
                "welcome_events": round(statistics.median(r["events"] for r in records if "events" in r), 1)
                if sizes else 0,
                "presence_msgs": sum(r["presence_frames"] for r in results),
                "presence_mb": round(sum(r["presence_bytes"] for r in results) / 1e6, 3),
                "settled": all(r["settled"] for r in results),
                "window_s": round(window, 2),
                "cpu_pct": round(server_cpu / window * 100, 1),
                "generator_cpu_pct": round(sum(r["cpu"] for r in results) / window * 100, 1),
                "load_average": round(load_average, 1)}

    def close_sockets(self):
        for pipe in self.pipes:
            pipe.send(("close",))
        for pipe in self.pipes:
            pipe.recv()

    def stop(self):
        for pipe in self.pipes:
            try:
                pipe.send(("stop",))
            except (OSError, BrokenPipeError):
                pass
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()


# -- the servers ---------------------------------------------------------------

class CheckoutServer(ServerProcess):
    """run.py of another checkout (`root`), otherwise as ServerProcess runs this one."""

    def __init__(self, root, db_path, extra_args=()):
        super().__init__(db_path, extra_args=extra_args)
        self.root = Path(root)

    def start(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, str(self.root / "run.py"), "--host", "127.0.0.1", "--port", str(self.port),
             "--db", self.db_path, *self.extra_args],
            cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.output()}")


def board_of(url, cards, clients):
    """A workshop holding `cards` cards (the 62 of the deck, then new cards written by facilitator
    tabs, each within its command burst) and `clients` participants joined over HTTP."""
    workshop = create_workshop(url)
    written, index = 62, 0
    while written < cards:
        tab = BoardClient(url, workshop["admin_token"])
        try:
            for _ in range(min(COMMANDS_PER_CLIENT, cards - written)):
                ack = tab.command("create_card", {"kind": "new", "text": f"Compétence écrite n° {index + 1}",
                                                  "zone_id": ZONES[index % len(ZONES)],
                                                  "x": (index % 10) / 10, "y": (index // 10 % 10) / 10,
                                                  "description": "Une carte du banc d’essai, écrite pour peser."},
                                  timeout=30)
                assert ack["ok"], ack
                written, index = written + 1, index + 1
        finally:
            tab.close()
    workshop["participants"] = [join(url, workshop["join_code"], f"Personne {n + 1}") for n in range(clients)]
    return workshop


def move_on(url, workshop, versions):
    """The board moves `versions` versions on: the facilitator moves deck cards, from tabs within their burst."""
    moved = 0
    while moved < versions:
        tab = BoardClient(url, workshop["admin_token"])
        try:
            for _ in range(min(COMMANDS_PER_CLIENT, versions - moved)):
                ack = tab.command("move_card", {"card_id": f"d{moved % 62 + 1:02d}", "zone_id": ZONES[moved % 4],
                                                "x": 0.5, "y": (moved % 10) / 10}, timeout=30)
                assert ack["ok"], ack
                moved += 1
        finally:
            tab.close()


def storms_on(server, clients, cards, behind, spread, workers):
    """Both storms against a started server: (join storm figures, reconnect storm figures)."""
    workshop = board_of(server.url, cards, clients)
    tokens = [person["token"] for person in workshop["participants"]]
    load = Load(server.url, tokens, workers)
    try:
        joined = load.storm(spread, None, server.process.pid)
        load.close_sockets()
        time.sleep(QUIET)  # the room hears they left before it moves on
        probe = BoardClient(server.url, workshop["admin_token"])
        since = probe.state()["version"]
        probe.close()
        move_on(server.url, workshop, behind)
        back = load.storm(min(spread, 1.0), since, server.process.pid)
        return joined, back
    finally:
        load.stop()


def relay_connects(folder, clients, spread, workers):
    """The same join storm against bench/naive_relay.py: the floor of a bare Socket.IO connect."""
    with naive_relay(folder) as (url, relay_pid):
        load = Load(url, [""] * clients, workers)
        try:
            return load_connect_only(load, spread, relay_pid)
        finally:
            load.stop()


def load_connect_only(load, spread, pid):
    """A storm on a server that sends no welcome: only the connect latency counts."""
    figures = load.storm(spread, None, pid, welcome=False)
    return {"connect_p50": figures["connect_p50"], "connect_p99": figures["connect_p99"],
            "cpu_pct": figures["cpu_pct"], "load_average": figures["load_average"]}


def median_of(runs):
    """Per key, the median over runs (numbers only; the first run's value otherwise)."""
    out = {}
    for key, value in runs[0].items():
        numbers = [r[key] for r in runs if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]
        out[key] = round(statistics.median(numbers), 2) if len(numbers) == len(runs) else value
    return out


def run(clients, cards, behind, spread, runs, workers, out, baseline_root=None):
    """Alternate the storms (and the relay, and the baseline if given) `runs` times; medians into `out`."""
    joins, backs, relays, befores = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs):
            server = ServerProcess(Path(folder) / f"storm{n}.db",
                                   extra_args=["--no-demo", "--join-rate", "1000", "--per-address", "1200"]).start()
            try:
                joined, back = storms_on(server, clients, cards, behind, spread, workers)
            finally:
                server.stop()
            joins.append(joined)
            backs.append(back)
            relays.append(relay_connects(folder, clients, spread, workers))
            if baseline_root:
                before = CheckoutServer(baseline_root, Path(folder) / f"before{n}.db",
                                        extra_args=["--no-demo", "--join-rate", "1000", "--per-address", "1200"]).start()
                try:
                    befores.append(storms_on(before, clients, cards, behind, spread, workers)[0])
                finally:
                    before.stop()
    join_storm = {**median_of(joins), "clients": clients, "cards": cards, "spread_s": spread, "runs": runs,
                  "p99_runs": [r["p99"] for r in joins]}
    relay = median_of(relays)
    join_storm.update({"relay_connect_p50": relay["connect_p50"], "relay_connect_p99": relay["connect_p99"],
                       "relay_cpu_pct": relay["cpu_pct"]})
    if befores:
        before = median_of(befores)
        join_storm.update({f"before_{key}": before[key] for key in
                           ("p50", "p99", "presence_msgs", "presence_mb", "welcome_kb", "cpu_pct", "window_s",
                            "load_average")})
        join_storm["before_p99_runs"] = [r["p99"] for r in befores]
    reconnect_storm = {**median_of(backs), "clients": clients, "cards": cards, "behind": behind, "runs": runs,
                       "p99_runs": [r["p99"] for r in backs]}
    print(f"join storm, {clients} clients within {spread:g} s, {cards} cards, median of {runs}: welcome p50 "
          f"{join_storm['p50']} / p99 {join_storm['p99']} ms ({join_storm['welcome_kb']} KB each), presence "
          f"{join_storm['presence_msgs']} frames / {join_storm['presence_mb']} MB, server CPU {join_storm['cpu_pct']} %, "
          f"load {join_storm['generator_cpu_pct']} % | relay connect p50 {relay['connect_p50']} / p99 "
          f"{relay['connect_p99']} ms; load average {join_storm['load_average']}", flush=True)
    if befores:
        print(f"  before: welcome p50 {join_storm['before_p50']} / p99 {join_storm['before_p99']} ms, presence "
              f"{join_storm['before_presence_msgs']} frames / {join_storm['before_presence_mb']} MB, "
              f"load average {join_storm['before_load_average']}", flush=True)
    print(f"reconnect storm, {clients} clients {behind} versions behind within {min(spread, 1.0):g} s: caught up "
          f"p50 {reconnect_storm['p50']} / p99 {reconnect_storm['p99']} ms ({reconnect_storm['welcome_events']} "
          f"events, {reconnect_storm['welcome_kb']} KB), presence {reconnect_storm['presence_msgs']} frames; "
          f"load average {reconnect_storm['load_average']}", flush=True)
    summary = json.loads(out.read_text()) if out.exists() else {}
    summary.update({"join_storm": join_storm, "reconnect_storm": reconnect_storm})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 clients, 150 cards, 10 versions behind (~20 s)")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--cards", type=int, default=None)
    parser.add_argument("--behind", type=int, default=None)
    parser.add_argument("--spread", type=float, default=None, help="seconds over which the joins start (2)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="load processes (default 4)")
    parser.add_argument("--baseline-root", type=Path, default=None,
                        help="another checkout whose run.py runs the join storm too (the code before)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    clients = args.clients or (40 if args.quick else 200)
    cards = args.cards or (150 if args.quick else 500)
    behind = args.behind or (10 if args.quick else 50)
    spread = args.spread if args.spread is not None else (0.5 if args.quick else 2.0)
    run(clients, cards, behind, spread, args.runs, args.workers, args.out, args.baseline_root)


if __name__ == "__main__":
    main()
