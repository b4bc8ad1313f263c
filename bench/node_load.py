"""The Node load worker (bench/node/load_worker.mjs) behind bench_drag.run_workers.

Issue 13 measures under a load generator written in Node with raw websocket frames, so that the
generator is not the bottleneck: Python's workers needed 1.4 of the machine's 2 cores to drive 60
senders back to back. Each worker process of run_workers starts one Node process and relays its
three steps (ready, start, records) over the pipe; its records have the shape the Python workers
send, so every figure is computed by the same code whichever generator ran.
"""
import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "node" / "load_worker.mjs"
NODE_MODULES = HERE.parent / "node_modules"


def available():
    """Whether Node and the `ws` package (package.json's devDependencies, `npm ci`) are here."""
    return shutil.which("node") is not None and (NODE_MODULES / "ws" / "package.json").exists()


def drag_worker(url, tokens, drags, seconds, pipe, hz=30):
    """bench_drag.worker's contract: records {"emits", "arrivals", "cpu"} of a drag load."""
    _run(url, tokens, drags, "drag", seconds, pipe, hz)


def move_worker(url, tokens, movers, mode, seconds, pipe):
    """bench_drop.worker's contract: records {"emits", "acks", "arrivals", "cpu"} of mode "drop" or "rate"."""
    _run(url, tokens, movers, mode, seconds, pipe, 0)


def plenary_worker(url, tokens, drags, seconds, relay, options, pipe, hz=30):
    """bench_plenary.worker's contract: records {"drag_emits", "drag_keys", "drag_times", "drops", "seen",
    "acks", "asked", "cpu"}; `options`: {"zone", "observeEvery", "dropEvery"}."""
    _run(url, tokens, drags, "plenary", seconds, pipe, hz, plenary={**options, "relay": relay})


def _run(url, tokens, actors, mode, seconds, pipe, hz, **extra):
    task = {"url": url, "tokens": tokens, "mode": mode, "seconds": seconds, "hz": hz, **extra,
            "actors": {str(index): [number, card] for index, (number, card) in actors.items()}}
    node = subprocess.Popen(["node", str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=HERE.parent)
    try:
        node.stdin.write(json.dumps(task) + "\n")
        node.stdin.flush()
        ready = node.stdout.readline()
        if not ready:
            raise RuntimeError("the Node load worker stopped before connecting its sockets")
        pipe.send(json.loads(ready)["ready"])
        node.stdin.write(f"{pipe.recv()!r}\n")  # the start instant, on the shared monotonic clock
        node.stdin.flush()
        records = node.stdout.readline()
        if not records:
            raise RuntimeError("the Node load worker stopped before sending its records")
        pipe.send(json.loads(records))
    finally:
        pipe.close()
        try:
            node.wait(10)
        except subprocess.TimeoutExpired:
            node.kill()
