"""The drag scenario under each server loop run.py offers: eventlet, gevent and threading.

Calls bench_drag.py's run() once per mode and per round, the modes alternated within a round so a
change in the shared machine's load falls on all of them; each run also measures the naive relay
(always eventlet), so every mode has a ratio to the same baseline. Medians over the rounds go to
bench/results/summary.json under "async_modes" (the "drag" key and every other key are kept).

Usage: python bench/bench_async_modes.py [--quick] [--modes eventlet,gevent,threading]
       [--sockets 50,200] [--dragging 5,10] [--seconds S] [--rounds R]
"""
import argparse
import json
import statistics
import tempfile
from pathlib import Path

import bench_drag

HERE = Path(__file__).resolve().parent
MODES = ("eventlet", "gevent", "threading")
KEPT = ("p50", "p99", "delivery", "delivery_last", "cpu_pct", "generator_cpu_pct", "relay_p50", "relay_p99",
        "relay_cpu_pct", "p99_ratio", "cpu_ratio", "load_average", "connect_backlog_s")


def measure(modes, settings, seconds, workers, rounds):
    """{mode: {"<sockets>x<dragging>": medians of KEPT over `rounds`}}."""
    runs = {mode: {} for mode in modes}  # mode -> setting -> [figures of one round]
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(rounds):
            for mode in modes:
                out = Path(folder) / f"{mode}-{round_number}.json"
                try:
                    summary = bench_drag.run(settings, seconds, workers, 1, out, async_mode=mode)
                except RuntimeError as error:  # a mode that cannot hold the load is a finding, not a crash
                    print(f"{mode}: {error}", flush=True)
                    continue
                for name, figures in summary["drag"]["settings"].items():
                    runs[mode].setdefault(name, []).append(figures)
    result = {}
    for mode, by_setting in runs.items():
        result[mode] = {}
        for name, rounds_figures in by_setting.items():
            result[mode][name] = {key: round(statistics.median(f[key] for f in rounds_figures), 2)
                                  for key in KEPT if all(f.get(key) is not None for f in rounds_figures)}
            result[mode][name]["rounds"] = len(rounds_figures)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 sockets / 5 dragging, 3 s, one round")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--sockets", type=bench_drag.pairs, default=None)
    parser.add_argument("--dragging", type=bench_drag.pairs, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    sockets = args.sockets or ([50] if args.quick else [50, 200])
    dragging = args.dragging or ([5] if args.quick else [5, 10])
    seconds = args.seconds or (3.0 if args.quick else 5.0)
    rounds = args.rounds or (1 if args.quick else 2)
    settings = list(zip(sockets, dragging))
    figures = measure(modes, settings, seconds, args.workers, rounds)
    for name in (f"{s}x{d}" for s, d in settings):
        for mode in modes:
            f = figures[mode].get(name)
            print(f"async modes, {name}: {mode:9} " + (
                f"p50 {f['p50']} / p99 {f['p99']} ms, delivery {f['delivery']} (last {f['delivery_last']}), "
                f"server CPU {f['cpu_pct']} % | relay p99 {f['relay_p99']} ms, ratio {f['p99_ratio']}; "
                f"load average {f['load_average']}" if f else "no figures (the load did not complete)"), flush=True)
    summary = json.loads(args.out.read_text()) if args.out.exists() else {}
    summary["async_modes"] = {"default": "eventlet", "seconds": seconds, "rounds": rounds, **figures}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
