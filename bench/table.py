"""Print issue 13's table of targets from bench/results/summary.json, as Markdown for docs/performance.md.

One row per scenario: the target, Atelier's figures, the naive relay's where the scenario has one, the
ratio and whether the target is met. A scenario whose key is not in the summary says so.

Usage: python bench/table.py [--summary bench/results/summary.json]
"""
import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def number(value):
    """A figure as the docs write it: 9.1, 59, 1,350."""
    if value is None:
        return "?"
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}" if abs(value) < 10 else f"{value:,.0f}"


def percent(share):
    return "?" if share is None else f"{share * 100:.0f} %"


def ratio(ours, relay):
    return f"{ours / relay:.2f}×" if ours is not None and relay else "—"


def met(*conditions):
    """'yes' when every condition holds, 'no' when one fails, '?' when a figure is missing."""
    if any(c is None for c in conditions):
        return "?"
    return "yes" if all(conditions) else "no"


def at_most(value, limit):
    return None if value is None else value <= limit


def drag_row(d):
    cpu_below = None if d.get("cpu_pct") is None or d.get("relay_cpu_pct") is None else d["cpu_pct"] < d["relay_cpu_pct"]
    return (f"p50 {number(d.get('p50'))} / p99 {number(d.get('p99'))} ms, last positions delivered "
            f"{percent(d.get('delivery_last'))}, CPU {number(d.get('cpu_pct'))} %",
            f"p50 {number(d.get('relay_p50'))} / p99 {number(d.get('relay_p99'))} ms, CPU {number(d.get('relay_cpu_pct'))} %",
            f"p99 {ratio(d.get('p99'), d.get('relay_p99'))}, CPU {ratio(d.get('cpu_pct'), d.get('relay_cpu_pct'))}",
            met(at_most(d.get("p99"), 13), None if d.get("delivery_last") is None else d["delivery_last"] >= 1,
                cpu_below))


def drop_row(d):
    return (f"seen p50 {number(d.get('p50'))} / p99 {number(d.get('p99'))} ms, ack p99 {number(d.get('ack_p99'))} ms",
            f"seen p99 {number(d.get('relay_p99'))} ms", ratio(d.get("p99"), d.get("relay_p99")),
            met(at_most(d.get("p99"), 13), at_most(d.get("ack_p99"), 10)))


def plenary_row(d):
    d = d.get("500", {})
    return (f"drop seen p50 {number(d.get('p50'))} / p99 {number(d.get('p99'))} ms, drag p99 {number(d.get('drag_p99'))} ms",
            f"p99 {number(d.get('relay_p99'))} ms" if d.get("relay_p99") is not None else "—",
            ratio(d.get("p99"), d.get("relay_p99")),
            met(at_most(d.get("p50"), 30), at_most(d.get("p99"), 100), at_most(d.get("drag_p99"), 50)))


def join_row(d):
    return (f"welcome p99 {number(d.get('p99'))} ms, {number(d.get('presence_msgs'))} presence messages",
            f"p99 {number(d.get('relay_p99'))} ms" if d.get("relay_p99") is not None else "—",
            ratio(d.get("p99"), d.get("relay_p99")), met(at_most(d.get("p99"), 250)))


def reconnect_row(d):
    return (f"caught up p99 {number(d.get('p99'))} ms",
            f"p99 {number(d.get('relay_p99'))} ms" if d.get("relay_p99") is not None else "—",
            ratio(d.get("p99"), d.get("relay_p99")), met(at_most(d.get("p99"), 250)))


def busy_row(d):
    return (f"{number(d.get('sockets'))} sockets: ack p50 {number(d.get('ack_p50'))} / p99 {number(d.get('ack_p99'))} ms, RSS {number(d.get('rss_mb'))} MB "
            f"(peak {number(d.get('rss_peak_mb'))})", "— (keeps and acknowledges nothing)", "—",
            met(at_most(d.get("ack_p99"), 50), at_most(d.get("rss_peak_mb", d.get("rss_mb")), 300)))


def commit_row(d):
    rate = d.get("one_board_per_s")
    return (f"{number(rate)} moves/s, ack p99 {number(d.get('ack_p99'))} ms", "—", "—",
            met(None if rate is None else rate >= 2000, at_most(d.get("ack_p99"), 50)))


# (key, scenario, target, the benchmark that writes it, row maker)
SCENARIOS = (
    ("drag", "drag, 200 sockets, 10 dragging at 30 Hz",
     "p99 ≤ 13 ms, last position to everyone, CPU below the relay's", "bench_drag.py", drag_row),
    ("drop", "drop, 200 sockets, 10 moving at 2 Hz", "seen p99 ≤ 13 ms, ack p99 ≤ 10 ms", "bench_drop.py", drop_row),
    ("plenary", "plenary, 500 sockets, 20 dragging, dropping every 2 s",
     "drop seen p50 ≤ 30 / p99 ≤ 100 ms, drag p99 ≤ 50 ms", "bench_plenary.py", plenary_row),
    ("join_storm", "join storm, 200 in 2 s, 500 cards", "welcome p99 ≤ 250 ms, presence linear in joins",
     "bench_storms.py", join_row),
    ("reconnect_storm", "reconnect storm, 200 clients 50 versions behind", "caught up p99 ≤ 250 ms",
     "bench_storms.py", reconnect_row),
    ("busy_day", "busy day, 50 boards × 20 = 1,000 sockets, a move each every 5 s",
     "ack p99 ≤ 50 ms, RSS ≤ 300 MB", "bench_busy_day.py", busy_row),
    ("commit_rate", "commit rate, one board, 60 senders back to back", "≥ 2,000 moves/s, ack p99 ≤ 50 ms",
     "bench_drop.py", commit_row),
    # The same four under the issue's own load generator (Node, raw frames): `--generator node`.
    ("drag_node", "drag, 200 sockets, 10 dragging, Node load", "p99 ≤ 13 ms, last position to everyone, CPU below the relay's",
     "bench_drag.py --generator node", drag_row),
    ("drop_node", "drop, 200 sockets, 10 moving, Node load", "seen p99 ≤ 13 ms, ack p99 ≤ 10 ms",
     "bench_drop.py --generator node", drop_row),
    ("commit_rate_node", "commit rate, 60 senders, Node load", "≥ 2,000 moves/s, ack p99 ≤ 50 ms",
     "bench_drop.py --generator node", commit_row),
    ("plenary_node", "plenary, 500 sockets, 20 dragging, dropping every 2 s, Node load",
     "drop seen p50 ≤ 30 / p99 ≤ 100 ms, drag p99 ≤ 50 ms", "bench_plenary.py --generator node", plenary_row),
)


def table(summary):
    """The Markdown table, one line per scenario."""
    lines = ["| scenario | target | Atelier | naive relay | ratio | met? |", "|---|---|---|---|---|---|"]
    for key, scenario, target, script, row in SCENARIOS:
        if not summary.get(key):
            lines.append(f"| {scenario} | {target} | not measured yet (`bench/{script}`) | | | |")
            continue
        lines.append("| " + " | ".join((scenario, target, *row(summary[key]))) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summary", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    print(table(json.loads(args.summary.read_text()) if args.summary.exists() else {}))


if __name__ == "__main__":
    main()
