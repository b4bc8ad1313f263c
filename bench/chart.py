"""Draw p99 drag latency against the number of sockets, Atelier beside the naive relay.

Reads the drag settings bench_drag.py wrote into bench/results/summary.json ("drag" -> "settings",
one entry per "<sockets>x<dragging>") and draws docs/performance-p99.png. Nothing is hard-coded:
rerun bench_drag.py (e.g. --sockets 25,50,100,200 --dragging 5,5,10,10) and then this.

Usage: python bench/chart.py [--summary bench/results/summary.json] [--out docs/performance-p99.png]
"""
import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

HERE = Path(__file__).resolve().parent


def drag_points(summary):
    """[(sockets, dragging, Atelier p99, relay p99, load average)] sorted by sockets, from summary.json."""
    settings = summary.get("drag", {}).get("settings", {})
    points = [(s["sockets"], s["dragging"], s["p99"], s["relay_p99"], s.get("load_average"))
              for s in settings.values() if s.get("p99") is not None and s.get("relay_p99") is not None]
    return sorted(points)


def milliseconds(value):
    """A latency as a short label: 9.1, 59, 5,513."""
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def draw(points, out, seconds=None, runs=None):
    """A log-scale line chart of both servers' p99 with the sockets on x; saved as a PNG at `out`."""
    sockets = [p[0] for p in points]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    ax.plot(sockets, [p[2] for p in points], marker="o", linewidth=2, color="#1f6fb4", label="Atelier (run.py, eventlet)")
    ax.plot(sockets, [p[3] for p in points], marker="s", linewidth=2, linestyle="--", color="#c0392b",
            label="naive Flask-SocketIO relay")
    for n, dragging, ours, relay, _ in points:  # each value written by its point: the higher above, the lower below
        for value, other, color in ((ours, relay, "#1f6fb4"), (relay, ours, "#c0392b")):
            ax.annotate(milliseconds(value), (n, value), textcoords="offset points",
                        xytext=(0, 8 if value >= other else -16), ha="center", fontsize=9, color=color)
    ax.set_yscale("log")
    ax.set_xscale("log", base=2)  # 25, 50, 100, 200 sockets evenly spaced
    ax.minorticks_off()
    # Ticks at 1, 2, 5 x 10^n written as plain milliseconds, so a narrow range still has several.
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,g}"))
    ax.set_xticks(sockets)
    ax.set_xticklabels([f"{p[0]}\n({p[1]} dragging)" for p in points])
    ax.set_xlabel("sockets on one board (of which dragging at 30 Hz)")
    ax.set_ylabel("p99 latency, sender's emit to each receiver (ms, log scale)")
    loads = [p[4] for p in points if p[4] is not None]
    detail = ", ".join(filter(None, [f"{seconds:g} s windows" if seconds else None,
                                     f"median of {runs} runs" if runs else None,
                                     f"load average {min(loads):g}-{max(loads):g} on 2 shared cores" if loads else None]))
    ax.set_title("Drag latency p99 against room size" + (f"\n{detail}" if detail else ""), fontsize=11)
    low, high = ax.get_ylim()
    ax.set_ylim(low / 1.6, high * 2)  # room for the labels below the lowest point, above the highest, and the legend
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summary", type=Path, default=HERE / "results" / "summary.json")
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "performance-p99.png")
    args = parser.parse_args(argv)
    summary = json.loads(args.summary.read_text())
    points = drag_points(summary)
    if not points:
        sys.exit(f"no drag settings in {args.summary}: run bench/bench_drag.py first")
    drag = summary["drag"]
    draw(points, args.out, drag.get("seconds"), drag.get("runs"))
    print(f"chart: {len(points)} settings drawn to {args.out}")


if __name__ == "__main__":
    main()
