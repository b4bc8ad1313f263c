"""Drag pacing: senders at exactly 30 Hz, a few receivers, on a real server (run.py) on 127.0.0.1.

Each sender drags its own card on an ideal 30 Hz grid for a window, then ends the drag. For every
receiver we count the positions it got (delivery ratio: received / sent), the latency from the
sender's emit to the receiver (one machine's monotonic clock) as p50 / p99, whether the end of
every drag arrived, and the server's peak thread count. Every client runs in a process of its own,
so the load generator is not one Python process's GIL. Run it against another checkout (the code
before a change) with --server-root.

    python bench/bench_drag_pacing.py [--seconds 5] [--senders 3] [--receivers 5] [--server-root DIR]
                                      [--async-mode eventlet|threading]
"""
import argparse
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import create_workshop, free_port  # noqa: E402
from realtime import BoardClient  # noqa: E402

HZ = 30
ZONE = "maintenance/techniques"
END_X = 0.9999


def start_server(root, folder, async_mode="eventlet"):
    """run.py of `root` on a free loopback port under `async_mode`; (process, url)."""
    port = free_port()
    log = open(Path(folder) / "server.log", "ab")
    process = subprocess.Popen([sys.executable, str(Path(root) / "run.py"), "--host", "127.0.0.1",
                                "--port", str(port), "--db", str(Path(folder) / "bench.db"), "--no-demo",
                                "--join-rate", "1000", "--async-mode", async_mode], cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return process, url
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def receive(token, seconds, go, results):
    """A receiver in its own process: (card, x) -> arrival time of every `dragging` of the window."""
    client = BoardClient_(token)
    arrived = {}

    def take(frame):  # a list of positions (one frame per board tick); one position before that
        now = time.perf_counter()
        for d in frame if isinstance(frame, list) else [frame]:
            arrived.setdefault((d["card_id"], d["x"]), now)

    client.sio.on("dragging", take)
    results.put(("ready", None))
    start = wait_for_start(go)
    time.sleep(max(0.0, start + seconds + 1.5 - time.perf_counter()))
    client.close()
    results.put(("received", arrived))


def send(token, card, ticks, go, results):
    """A sender in its own process: drags `card` on an ideal 30 Hz grid from the start, then ends it."""
    client = BoardClient_(token)
    results.put(("ready", None))
    start = wait_for_start(go)
    sent_at = {}
    for tick in range(ticks):
        time.sleep(max(0.0, start + tick / HZ - time.perf_counter()))
        x = round(tick / 10000, 4)
        sent_at[(card, x)] = time.perf_counter()
        client.emit("drag", {"card_id": card, "zone_id": ZONE, "x": x, "y": 0.5})
    time.sleep(max(0.0, start + ticks / HZ - time.perf_counter()))
    sent_at[(card, END_X)] = time.perf_counter()
    client.emit("drag", {"card_id": card, "zone_id": ZONE, "x": END_X, "y": 0.5, "active": False})
    time.sleep(0.5)
    client.close()
    results.put(("sent", sent_at))


def wait_for_start(go):
    while go.value == 0:
        time.sleep(0.01)
    return go.value


def BoardClient_(token):
    return BoardClient(os.environ["BENCH_URL"], token)


def peak_threads(pid, stop, peak):
    """Sample the server's thread count until `stop` is set; the highest goes in peak[0]."""
    while not stop.is_set():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                peak[0] = max(peak[0], int(line.split()[1]))
        time.sleep(0.02)


def run(url, seconds, senders, receivers):
    """One window, every client in a process of its own (perf_counter is the machine's monotonic
    clock, the same in every process); a dict of figures."""
    workshop = create_workshop(url, participants=senders + receivers)
    facilitator = BoardClient(url, workshop["admin_token"])
    facilitator.command("set_sequence", {"index": 1})  # Placement: participants may drag deck cards
    facilitator.close()
    os.environ["BENCH_URL"] = url
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    tokens = [person["token"] for person in workshop["participants"]]
    ticks = int(seconds * HZ)
    go = context.Value("d", 0.0)  # the start time, set once every client is connected
    processes = [context.Process(target=receive, args=(token, seconds, go, results)) for token in tokens[senders:]]
    processes += [context.Process(target=send, args=(token, f"d{i + 1:02d}", ticks, go, results))
                  for i, token in enumerate(tokens[:senders])]
    [process.start() for process in processes]
    for _ in processes:
        results.get(timeout=60)
    go.value = time.perf_counter() + 0.5
    answers = [results.get(timeout=seconds + 60) for _ in processes]
    [process.join() for process in processes]
    sent_at = {k: v for kind, part in answers if kind == "sent" for k, v in part.items()}
    got = [part for kind, part in answers if kind == "received"]
    latencies = [arrived - sent_at[key] for seen in got for key, arrived in seen.items() if key in sent_at]
    ends = sum((f"d{i + 1:02d}", END_X) in seen for seen in got for i in range(senders))
    received = sum(sum(1 for _, x in seen if x != END_X) for seen in got)
    return {"delivery": received / (senders * ticks * receivers),
            "p50": statistics.median(latencies) * 1000,
            "p99": statistics.quantiles(latencies, n=100)[-1] * 1000,
            "ends": ends / (senders * receivers)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--senders", type=int, default=3)
    parser.add_argument("--receivers", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server-root", default=str(HERE.parent))
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "threading"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(os.path.abspath(args.server_root), folder, args.async_mode)
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=peak_threads, args=(process.pid, stop, peak), daemon=True)
        sampler.start()
        try:
            results = [run(url, args.seconds, args.senders, args.receivers) for _ in range(args.runs)]
        finally:
            stop.set()
            process.terminate()
            process.wait(timeout=10)
    median = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(f"drag pacing: {args.senders} senders at {HZ} Hz, {args.receivers} receivers, {args.seconds:g} s, "
          f"median of {args.runs}: delivery {median['delivery']:.3f}, p50 {median['p50']:.1f} ms, "
          f"p99 {median['p99']:.1f} ms, drag ends delivered {median['ends']:.2f}; "
          f"{args.async_mode} server, at most {peak[0]} threads")


if __name__ == "__main__":
    main()
