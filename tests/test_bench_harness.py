"""The benchmark harness: the busy day runs end to end, run_all finds every scenario and names what is missing.

No timing is asserted: these only keep the harness from rotting between measurements.
"""
import json
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402


def test_busy_day_bench_acknowledges_every_move_and_reads_the_servers_memory(tmp_path):
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drag": {"p99": 1.0}}))  # a key another benchmark wrote stays
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_busy_day.py"), "--boards", "2", "--per-board", "3",
                    "--period", "0.5", "--moves", "1", "--workers", "1", "--out", str(out)],
                   check=True, timeout=120, cwd=ROOT, capture_output=True)
    summary = json.loads(out.read_text())
    assert summary["drag"] == {"p99": 1.0}
    busy = summary["busy_day"]
    assert (busy["boards"], busy["sockets"], busy["moves"]) == (2, 6, 6)
    # Every move was made durable and acknowledged, and reached the two other sockets of its board.
    assert busy["acked"] == 6 and busy["unanswered"] == 0 and busy["refused"] == {}
    assert busy["seen_delivery"] == 1.0
    assert busy["ack_p50"] > 0 and busy["ack_p99"] >= busy["ack_p50"]
    # The memory came from the server's /proc, and the server raised (or kept) its descriptor limit.
    assert 0 < busy["rss_boards_only_mb"] <= busy["rss_mb"] <= busy["rss_peak_mb"]
    assert busy["descriptor_limit"] >= busy["descriptor_limit_before"] > 0
    assert busy["refused_connections"] is False


def test_run_all_names_every_summary_key_issue_13_lists_that_is_missing():
    complete = {"machine": "m", "async_mode": "eventlet",
                "drag": dict.fromkeys(run_all.REQUIRED["drag"], 1.0),
                "drop": dict.fromkeys(run_all.REQUIRED["drop"], 1.0),
                **{key: {"500": dict.fromkeys(run_all.REQUIRED[key]["500"], 1.0)} for key in ("plenary", "plenary_node")},
                "join_storm": {"p99": 1.0, "presence_msgs": 10}, "reconnect_storm": {"p99": 1.0},
                "busy_day": {"ack_p99": 1.0, "rss_mb": 90.0}, "commit_rate": {"one_board_per_s": 1, "ack_p99": 1},
                **{key: dict.fromkeys(run_all.REQUIRED[key], 1.0)
                   for key in ("drag_node", "drop_node", "commit_rate_node", "cluster")}}
    assert run_all.missing_keys(complete) == []
    partial = {**complete, "plenary": {"500": {"p50": 1.0, "p99": 2.0}}, "busy_day": {"ack_p99": 1.0}}
    del partial["join_storm"]
    assert run_all.missing_keys(partial) == ["plenary.500.drag_p99", "join_storm", "busy_day.rss_mb"]


def test_run_all_runs_every_bench_script_and_only_the_quick_ones_when_quick(tmp_path):
    scripts = run_all.benchmarks()
    names = [s.name for s in scripts]
    assert {"bench_drag.py", "bench_busy_day.py", "bench_async_modes.py"} <= set(names)
    out = tmp_path / "summary.json"
    full = {s.name: run_all.command_for(s, quick=False, out=out) for s in scripts}
    assert all(full.values()), "every benchmark runs in a full run"
    assert full["bench_drag.py"][-4:] == ["--dragging", "5,5,10,10", "--out", str(out)]  # the chart's sweep
    quick = {s.name: run_all.command_for(s, quick=True, out=out) for s in scripts}
    assert quick["bench_busy_day.py"][2] == "--quick" and quick["bench_drag.py"][2] == "--quick"
    assert "--sockets" not in quick["bench_drag.py"]  # one room size: the sweep is the full run's
    assert quick["bench_store.py"] is None  # it has no quick mode: left out, and said so by run_all
    assert quick["bench_async_modes.py"] is None  # comparing server loops is for a full run
    assert quick["bench_cluster.py"] is None and full["bench_cluster.py"]  # the scale-out's engines: full run only
    # A full run measures drag, drop, the commit rate and the plenary again under the Node load; a quick
    # run does not.
    node = {s.name: run_all.node_command_for(s, quick=False, out=out) for s in scripts}
    assert {name for name, command in node.items() if command} == {"bench_drag.py", "bench_drop.py", "bench_plenary.py"}
    assert node["bench_drag.py"][-4:] == ["--generator", "node", "--out", str(out)]
    assert not any(run_all.node_command_for(s, quick=True, out=out) for s in scripts)


def test_chart_draws_both_series_from_the_summary(tmp_path):
    summary = tmp_path / "summary.json"
    settings = {f"{n}x5": {"sockets": n, "dragging": 5, "p99": n / 10, "relay_p99": n / 5, "load_average": 1.0}
                for n in (25, 50, 100)}
    summary.write_text(json.dumps({"drag": {"seconds": 3, "runs": 1, "settings": settings}}))
    png = tmp_path / "p99.png"
    subprocess.run([sys.executable, str(ROOT / "bench" / "chart.py"), "--summary", str(summary), "--out", str(png)],
                   check=True, timeout=60, capture_output=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import chart
    assert chart.drag_points(json.loads(summary.read_text())) == [(25, 5, 2.5, 5.0, 1.0), (50, 5, 5.0, 10.0, 1.0),
                                                                 (100, 5, 10.0, 20.0, 1.0)]


def test_table_reports_each_target_met_or_not_and_the_scenarios_not_measured_yet():
    import table
    busy = {"sockets": 1000, "ack_p50": 3.0, "ack_p99": 31.0, "rss_mb": 120.0, "rss_peak_mb": 130.0}
    rows = table.table({"busy_day": busy, "drag": {"p99": 20.0, "relay_p99": 10.0, "delivery_last": 1.0,
                                                    "cpu_pct": 30.0, "relay_cpu_pct": 40.0}}).splitlines()
    by_scenario = {row.split(" | ")[0].lstrip("| "): row for row in rows[2:]}
    assert len(by_scenario) == 11  # issue 13's seven, and drag, drop, commit rate and plenary under the Node load
    assert "not measured yet (`bench/bench_drag.py --generator node`)" in by_scenario[
        "drag, 200 sockets, 10 dragging, Node load"]
    assert by_scenario["busy day, 50 boards × 20 = 1,000 sockets, a move each every 5 s"].endswith("| yes |")
    drag = by_scenario["drag, 200 sockets, 10 dragging at 30 Hz"]
    assert "p99 2.00×" in drag and drag.endswith("| no |")  # 20 ms is over the 13 ms target
    assert "not measured yet (`bench/bench_plenary.py`)" in by_scenario[
        "plenary, 500 sockets, 20 dragging, dropping every 2 s"]
    assert "not measured yet (`bench/bench_plenary.py --generator node`)" in by_scenario[
        "plenary, 500 sockets, 20 dragging, dropping every 2 s, Node load"]
    over = table.table({"busy_day": {**busy, "rss_peak_mb": 301.0}})
    assert "RSS 120 MB (peak 301) | — (keeps and acknowledges nothing) | — | no |" in over
