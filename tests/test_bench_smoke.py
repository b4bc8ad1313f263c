"""The drag benchmark still runs end to end, so it cannot rot between measurements (no timing asserted)."""
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_drag_bench_runs_both_servers_and_writes_the_summary(tmp_path):
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drop": {"p99": 1.0}}))  # a key another benchmark wrote stays
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_drag.py"), "--sockets", "4", "--dragging", "2",
                    "--seconds", "1", "--runs", "1", "--workers", "2", "--out", str(out)],
                   check=True, timeout=120, cwd=ROOT, capture_output=True)
    summary = json.loads(out.read_text())
    assert summary["async_mode"] == "eventlet" and summary["machine"]
    assert summary["drop"] == {"p99": 1.0}
    drag = summary["drag"]
    for key in ("p50", "p99", "cpu_pct", "delivery_last", "relay_p50", "relay_p99", "relay_cpu_pct",
                "generator_cpu_pct", "relay_generator_cpu_pct"):
        assert isinstance(drag[key], (int, float)) and math.isfinite(drag[key]), (key, drag[key])
    # Both servers really relayed the drags: positions reached the other sockets, last ones included.
    assert drag["positions_sent"] > 0 and drag["relay_positions_sent"] > 0
    assert 0 < drag["delivery"] <= 1 and 0 < drag["relay_delivery"] <= 1
    assert 0 < drag["delivery_last"] <= 1 and 0 < drag["relay_delivery_last"] <= 1


def test_storm_bench_runs_both_storms_and_writes_its_keys(tmp_path):
    """bench_storms.py with tiny numbers: every joiner is welcomed, each with the board's state; every
    one who comes back gets the missed events, not a snapshot; presence changes were counted; the
    other benchmarks' keys stay."""
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drag": {"p99": 1.0}}))
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_storms.py"), "--clients", "4", "--cards", "70",
                    "--behind", "3", "--spread", "0.2", "--workers", "2", "--out", str(out)],
                   check=True, timeout=120, cwd=ROOT, capture_output=True)
    summary = json.loads(out.read_text())
    assert summary["drag"] == {"p99": 1.0}
    joined, back = summary["join_storm"], summary["reconnect_storm"]
    assert joined["welcomed"] == 4 and joined["failed"] == 0 and joined["welcome_events"] == 0
    assert back["welcomed"] == 4 and back["welcome_events"] == 3  # caught up with the three missed
    for key in ("p50", "p99", "relay_connect_p99", "cpu_pct"):
        assert isinstance(joined[key], (int, float)) and math.isfinite(joined[key]), (key, joined[key])
    assert math.isfinite(back["p99"])
    # Each of the four heard of the others through presence changes, a few frames at most each.
    assert 0 < joined["presence_msgs"] <= 4 * 4


def test_plenary_bench_runs_drags_and_drops_and_writes_its_key(tmp_path):
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drag": {"p99": 1.0}}))  # another benchmark's key stays
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_plenary.py"), "--sockets", "6", "--dragging", "2",
                    "--seconds", "2.5", "--no-relay", "--workers", "2", "--out", str(out)],
                   check=True, timeout=120, cwd=ROOT, capture_output=True)
    summary = json.loads(out.read_text())
    assert summary["drag"] == {"p99": 1.0}
    plenary = summary["plenary"]["6"]
    for key in ("p50", "p99", "ack_p99", "drag_p99", "cpu_pct", "generator_cpu_pct"):
        assert isinstance(plenary[key], (int, float)) and math.isfinite(plenary[key]), (key, plenary[key])
    # Every drop was stored, acknowledged and seen by every other socket; positions reached them too.
    assert plenary["drops"] >= 2 and plenary["acked"] == 1 and plenary["seen_delivery"] == 1
    assert plenary["positions_sent"] > 0


def test_node_load_generator_drives_drags_drops_the_commit_rate_and_the_plenary(tmp_path):
    """The issue's own method: the load in Node with raw frames (bench/node/load_worker.mjs over npm's
    ws). With tiny numbers, drags reach the other sockets, every drop is acknowledged and seen, the
    commit-rate run gets durable answers, the plenary's drops and drags reach everyone on both servers,
    and the Node figures go beside the Python load's keys."""
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drag": {"p99": 1.0}, "drop": {"p99": 2.0}}))
    common = ["--seconds", "1", "--runs", "1", "--generator", "node", "--out", str(out)]
    for script, sizes in (("bench_drag.py", ["--sockets", "4", "--dragging", "2"]),
                          ("bench_drop.py", ["--sockets", "4", "--moving", "2", "--senders", "3"]),
                          ("bench_plenary.py", ["--sockets", "6", "--dragging", "2", "--seconds", "2.5"])):
        done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *common, *sizes],  # sizes last: they win
                              timeout=120, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, (script, done.stdout[-2000:], done.stderr[-4000:])
    summary = json.loads(out.read_text())
    assert summary["drag"] == {"p99": 1.0} and summary["drop"] == {"p99": 2.0}
    drag, drop, rate = summary["drag_node"], summary["drop_node"], summary["commit_rate_node"]
    assert drag["positions_sent"] > 0 and 0 < drag["delivery_last"] <= 1 and 0 < drag["relay_delivery_last"] <= 1
    assert math.isfinite(drag["p99"]) and math.isfinite(drag["relay_p99"])
    # Two movers at 2 Hz for 1 s: four moves, each acknowledged as accepted and seen by the 3 others.
    assert drop["moves_sent"] == 4 and drop["acked_ok"] == 4 and drop["delivery"] == 1.0
    # Back to back, a sender may meet the server's limit of commands per second per connection: some moves
    # are then refused (and waited out), never all of them.
    assert rate["one_board_per_s"] > 0 and rate["relay_one_board_per_s"] > 0
    # The plenary for 2.5 s: each dragger drops once, stored, acknowledged and seen by the 5 others; on the
    # relay, relayed to them.
    plenary = summary["plenary_node"]["6"]
    assert plenary["drops"] >= 1 and plenary["acked"] == 1 and plenary["seen_delivery"] == 1
    assert plenary["relay_drops"] >= 1 and plenary["relay_seen_delivery"] == 1
    assert plenary["positions_sent"] > 0 and math.isfinite(plenary["drag_p99"])


def test_cluster_bench_compares_process_counts_and_the_redis_hop(tmp_path, postgres_url):
    """bench_cluster.py with tiny numbers on the session's PostgreSQL: one process and two behind a real
    nginx each made durable acknowledged moves, the two held the boards between them, every part's CPU
    per move was read, and the relay's drop went both ways (local and through Redis) to every socket."""
    out = tmp_path / "summary.json"
    out.write_text(json.dumps({"drag": {"p99": 1.0}}))
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_cluster.py"), "--quick", "--boards", "2",
                    "--per-board", "3", "--senders", "2", "--seconds", "1", "--database", postgres_url,
                    "--out", str(out)], check=True, timeout=180, cwd=ROOT, capture_output=True)
    summary = json.loads(out.read_text())
    assert summary["drag"] == {"p99": 1.0}
    cluster = summary["cluster"]
    one, two = cluster["by_processes"]["1"], cluster["by_processes"]["2"]
    for figures in (one, two):
        # (a sender back to back may pass the server's 50 commands a second and be refused: counted, not failed)
        assert figures["moves_per_s"] > 0
        for key in ("ack_p99", "servers_ms_per_move", "nginx_ms_per_move", "moves_per_server_core_s"):
            assert isinstance(figures[key], (int, float)) and math.isfinite(figures[key]), (key, figures[key])
    assert one["boards_per_process"] == [2] and sum(two["boards_per_process"]) == 2
    assert len(two["boards_per_process"]) == 2 and math.isfinite(cluster["throughput_ratio"])
    hop = cluster["redis_hop"]
    assert hop["local"]["delivery"] == 1.0 and hop["queue"]["delivery"] == 1.0
    assert math.isfinite(hop["added_p99_ms"]) and hop["queue"]["moves_sent"] > 0
