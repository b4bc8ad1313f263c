"""Run every benchmark in bench/, then draw the chart, then say which summary keys are missing.

    python bench/run_all.py            every bench/bench_*.py in full (tens of minutes), figures into
                                       bench/results/summary.json, chart into docs/performance-p99.png
    python bench/run_all.py --quick    each scenario that has a --quick mode, in it (under 2 minutes in
                                       all; the server loops' comparison only in full); figures into
                                       bench/results/quick-summary.json and its chart beside it, so a
                                       quick check never overwrites the full run's figures

Every bench_*.py is found by glob, so a new scenario joins the run by being there. A benchmark that
fails is reported and the others still run; the exit status is 1 if one failed or if the summary
lacks a key issue 13 lists (named, not silently; a quick run names what its smaller sizes leave out
without failing).
"""
import json
import subprocess
import sys
import time
from pathlib import Path

import table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# The keys issue 13 asks of summary.json after a full run: top-level key -> its required fields.
REQUIRED = {
    "machine": None,
    "async_mode": None,
    "drag": ("p50", "p99", "cpu_pct", "delivery_last", "relay_p50", "relay_p99", "relay_cpu_pct"),
    "drop": ("p50", "p99", "ack_p99", "relay_p99"),
    "plenary": {"500": ("p50", "p99", "drag_p99")},
    "join_storm": ("p99", "presence_msgs"),
    "reconnect_storm": ("p99",),
    "busy_day": ("ack_p99", "rss_mb"),
    "commit_rate": ("one_board_per_s", "ack_p99"),
    # The same scenarios under the issue's own load generator, Node with raw frames.
    "drag_node": ("p50", "p99", "relay_p99"),
    "drop_node": ("p99", "ack_p99", "relay_p99"),
    "commit_rate_node": ("one_board_per_s", "ack_p99"),
    "plenary_node": {"500": ("p50", "p99", "drag_p99")},
    # Issue 15: N processes behind nginx against one, and the Redis hop.
    "cluster": ("throughput_ratio", "per_core_ratio", "prediction", "redis_hop"),
}

# The drag benchmark also sweeps room sizes in a full run, for the chart of p99 against sockets (a
# quick run keeps its own quick setting: one room size).
SWEEP = {"bench_drag.py": {"full": ["--sockets", "25,50,100,200", "--dragging", "5,5,10,10"]}}
# Left out of a quick run, which must stay under 2 minutes (issue 13) and covers the scenarios:
# comparing server loops, and the scale-out's engines (PostgreSQL, nginx, Redis), are for a full run.
FULL_RUN_ONLY = {"bench_async_modes.py", "bench_cluster.py"}
# A full run runs these again with the load in Node (bench/node/load_worker.mjs), at the sizes.
UNDER_NODE = {"bench_drag.py": ["--sockets", "50,200", "--dragging", "5,10"], "bench_drop.py": [],
              "bench_plenary.py": []}
TIMEOUT = {"full": 3600, "quick": 300}  # seconds per benchmark: a hung one must not hang the run


def missing_keys(summary, required=REQUIRED, prefix=""):
    """The dotted names of the required keys `summary` lacks (empty when it has them all)."""
    missing = []
    for key, fields in required.items():
        name = f"{prefix}{key}"
        if key not in summary or summary[key] is None:
            missing.append(name)
        elif isinstance(fields, dict):
            missing += missing_keys(summary[key], fields, name + ".")
        elif fields:
            missing += [f"{name}.{field}" for field in fields
                        if not isinstance(summary[key], dict) or summary[key].get(field) is None]
    return missing


def benchmarks():
    """Every bench/bench_*.py, in name order."""
    return sorted(HERE.glob("bench_*.py"))


def command_for(script, quick, out):
    """The command line that runs one benchmark, or None when quick and it has no quick mode."""
    text = script.read_text()
    mode = "quick" if quick else "full"
    if quick and ("--quick" not in text or script.name in FULL_RUN_ONLY):
        return None
    args = (["--quick"] if quick else []) + SWEEP.get(script.name, {}).get(mode, [])
    if "--out" in text:
        args += ["--out", str(out)]
    return [sys.executable, str(script), *args]


def node_command_for(script, quick, out):
    """A full run's second command for a scenario measured again under the Node load, or None."""
    if quick or script.name not in UNDER_NODE:
        return None
    return [sys.executable, str(script), *UNDER_NODE[script.name], "--generator", "node", "--out", str(out)]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    out = RESULTS / ("quick-summary.json" if quick else "summary.json")
    chart = RESULTS / "quick-p99.png" if quick else HERE.parent / "docs" / "performance-p99.png"
    failed, skipped = [], []
    for script in benchmarks():
        command = command_for(script, quick, out)
        if command is None:
            skipped.append(script.name)
            continue
        for each in (command, node_command_for(script, quick, out)):
            if each is None:
                continue
            print(f"== {script.name} {' '.join(each[2:])}", flush=True)
            started = time.monotonic()
            try:
                result = subprocess.run(each, timeout=TIMEOUT["quick" if quick else "full"])
                if result.returncode:
                    failed.append(f"{script.name} (exit {result.returncode})")
            except subprocess.TimeoutExpired:
                failed.append(f"{script.name} (timed out)")
            print(f"== {script.name}: {time.monotonic() - started:.0f} s", flush=True)
    if subprocess.run([sys.executable, str(HERE / "chart.py"), "--summary", str(out), "--out", str(chart)]).returncode:
        failed.append("chart.py")
    if skipped:
        print(f"not run in a quick run (no quick mode, or a full run's question): {', '.join(skipped)}")
    summary = json.loads(out.read_text()) if out.exists() else {}
    print(table.table(summary))  # issue 13's table, for docs/performance.md
    missing = missing_keys(summary)
    if missing:  # a quick run's sizes differ from the (the plenary of 100, not 500): said, not failed
        print(f"{out.name} lacks: {', '.join(missing)}" + (" (the sizes of a full run)" if quick else ""))
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed or (missing and not quick) else 0


if __name__ == "__main__":
    sys.exit(main())
