"""Scale-out (issue 15): the throughput of N server processes against one, and the Redis hop's cost.

(a) throughput: B boards behind nginx on PostgreSQL (cluster/__init__.py starts Redis, nginx and N run.py
    processes; PostgreSQL is started once for the whole run), each board with P sockets of which S send
    durable `move_card` commands back to back (each next one as the previous is acknowledged) for a
    bounded time. Run with 1, then 2 processes (--processes), alternated --runs times: acknowledged
    moves per second, ack p50 / p99, and the CPU every part used over the window (the server processes,
    PostgreSQL with its backends, nginx, Redis, the load generator, the whole machine). What each part
    spends per move says what more cores give: the moves per second one core of server processes
    makes, and the ceiling a machine of C cores predicts.
(b) the Redis hop: bench_drop's drop scenario (sockets on one board, a few moving at 2 Hz, each move
    acknowledged and re-emitted to the others) against the naive relay twice in one run: emitting to
    its own sockets, then through Flask-SocketIO's Redis message queue (published to Redis, sent on by
    the relay's listener), as a board's broadcasts would go if they did not stay local. The difference
    in seen-by-others latency and in CPU per move (relay and Redis) is the hop's cost.

Every instant is read on the machine's one monotonic clock, as in bench_drop.py; the load is bounded in
count and in time, on loopback only.

Usage: python bench/bench_cluster.py [--quick] [--processes 1,2] [--boards 20] [--per-board 10] [--senders 4]
       [--seconds 5] [--runs 2] [--database postgresql://...] [--generator node|python] [--no-hop]
Writes the key "cluster" into bench/results/summary.json (or --out), keeping every other key.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import bench_drop  # noqa: E402  (puts tests/ on the path, through bench_drag)
import node_load  # noqa: E402
from bench_busy_day import machine_cpu  # noqa: E402
from bench_drag import naive_relay  # noqa: E402
from cluster import Cluster, RedisEngine  # noqa: E402
from conftest import in_placement  # noqa: E402  (tests/conftest.py's)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HOP_SOCKETS, HOP_MOVING = 50, 5  # a room where the hop, not the relay's fan-out, is what shows (quick: 20 and 4)


def tree_cpu(root):
    """CPU seconds a process and all its descendants have used, their reaped children included
    (utime + stime + cutime + cstime in /proc): PostgreSQL's backends, nginx's workers."""
    stats, children = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:  # a tree: each pid is visited once
        pid = todo.pop()
        if pid in stats:
            total += sum(int(value) for value in stats[pid][11:15])
        todo.extend(children.get(pid, ()))
    return total / CLOCK_TICKS


def watcher(parts):
    """run_workers' `watch`: {part: CPU seconds so far} for parts {name: [root pids]}, and the machine's
    busy and total CPU seconds (every core summed)."""
    def watch():
        busy, total = machine_cpu()
        return {**{name: sum(tree_cpu(pid) for pid in pids) for name, pids in parts.items()},
                "machine_busy": busy, "machine_total": total}
    return watch


def cost_figures(raw, moves):
    """CPU per acknowledged move (ms) of each watched part and of the load generator, and the machine's
    busy share over the window (%)."""
    parts = dict(raw["parts"])
    busy, total = parts.pop("machine_busy"), parts.pop("machine_total")
    generator_s = raw["generator_cpu_pct"] / 100 * raw["window"]
    per_move = {f"{name}_ms_per_move": round(seconds / moves * 1000, 3) if moves else None
                for name, seconds in {**parts, "generator": generator_s}.items()}
    return {**per_move, **{f"{name}_cpu_s": round(seconds, 2) for name, seconds in parts.items()},
            "machine_busy_pct": round(busy / total * 100, 1) if total else None}


def held_by(cluster, board_ids):
    """How many of the boards each server process holds now (asked each process, not through nginx)."""
    import requests
    counts = {}
    for server in cluster.servers:
        counts[str(server.port)] = sum(
            1 for board_id in board_ids
            if requests.get(f"{server.url}/healthz", params={"board": board_id}, timeout=5).json()["held"])
    return counts


def throughput_run(folder, database, postgres_pid, processes, boards, per_board, senders, seconds, workers):
    """One cluster of `processes` processes under the back-to-back load on `boards` boards; its figures."""
    cluster = Cluster(Path(folder) / f"cluster-{processes}-{time.monotonic_ns()}", processes=processes,
                      database=database, server_args=["--join-rate", "1000"]).start()
    try:
        url = cluster.nginx.url
        tokens, movers, board_ids = [], {}, []
        for _ in range(boards):
            workshop = in_placement(url, participants=per_board)
            board_ids.append(workshop["board_id"])
            for n, person in enumerate(workshop["participants"]):
                if n < senders:  # each sender of a board moves a card of its own
                    movers[len(tokens)] = (len(movers), f"d{n + 1:02d}")
                tokens.append(person["token"])
        parts = {"servers": [s.pid for s in cluster.servers], "nginx": [cluster.nginx.pid],
                 "redis": [cluster.redis.pid], **({"postgres": [postgres_pid]} if postgres_pid else {})}
        cpu_so_far, spread = watcher(parts), {}

        def watch():  # first called once every socket is connected, just before the window opens
            if not spread:
                spread.update(held_by(cluster, board_ids))
            return cpu_so_far()
        raw = bench_drop.load(url, tokens, [], len(movers), "rate", seconds, workers, cluster.servers[0].pid,
                              movers=movers, watch=watch)
    finally:
        cluster.stop()
    rate = bench_drop.rate_figures(raw, seconds)
    moves = round(rate["one_board_per_s"] * seconds)
    costs = cost_figures(raw, moves)
    servers_s = raw["parts"]["servers"]
    return {"moves_per_s": rate["one_board_per_s"], "ack_p50": rate["ack_p50"], "ack_p99": rate["ack_p99"],
            "refused": rate["refused"], **costs,
            # what one core of server processes makes, the per-core figure that must hold as N grows
            "moves_per_server_core_s": round(moves / servers_s, 1) if servers_s else None,
            "generator_cpu_pct": raw["generator_cpu_pct"], "load_average": raw["load_average"],
            "boards_per_process": sorted(spread.values())}


def hop_run(folder, redis, through_queue, sockets, moving, seconds, workers):
    """The drop scenario against the naive relay, emitting itself or through the Redis queue."""
    with naive_relay(folder, ["--message-queue", redis.url] if through_queue else []) as (url, relay_pid):
        cards = [f"d{n + 1:02d}" for n in range(moving)]
        raw = bench_drop.load(url, [None] * sockets, cards, moving, "drop", seconds, workers, relay_pid,
                              watch=watcher({"relay": [relay_pid], "redis": [redis.pid]}))
    figures = bench_drop.drop_figures(raw)
    costs = cost_figures(raw, figures["moves_sent"])
    return {key: figures[key] for key in ("p50", "p99", "all_p99", "ack_p99", "delivery", "moves_sent")} | {
        "relay_ms_per_move": costs["relay_ms_per_move"], "redis_ms_per_move": costs["redis_ms_per_move"],
        "generator_ms_per_move": costs["generator_ms_per_move"], "load_average": raw["load_average"]}


def medians(runs):
    """The median of every numeric figure over the runs (lists kept from the first run)."""
    return {key: (round(statistics.median(r[key] for r in runs), 3)
                  if all(isinstance(r[key], (int, float)) for r in runs) else runs[0][key]) for key in runs[0]}


def predict(by_processes):
    """From the largest run: the server side's CPU per move (servers, PostgreSQL, nginx, Redis) and the
    moves per second it allows per core, assuming the cost per move stays as measured (boards spread
    over at least as many processes as cores, PostgreSQL's commits in parallel)."""
    largest = by_processes[str(max(int(n) for n in by_processes))]
    parts = ("servers", "postgres", "nginx", "redis")
    known = [largest.get(f"{part}_ms_per_move") for part in parts]
    if any(value is None for value in known):
        return None
    server_side = sum(known)
    return {"server_side_ms_per_move": round(server_side, 3),
            "moves_per_s_per_core": round(1000 / server_side, 1),
            "moves_per_s_8_cores": round(8 * 1000 / server_side)}


def run(process_counts, boards, per_board, senders, seconds, runs, workers, database, hop, out):
    """Alternate the process counts `runs` times (and the relay's two ways); medians into `out`.
    `hop`: (sockets, moving) of the Redis hop's drop scenario, or None to leave it out."""
    from engines import PostgresEngine  # tests/engines.py: initdb + postgres as a non-root user
    postgres = None
    by_processes, hop_runs = {str(n): [] for n in process_counts}, {"local": [], "queue": []}
    with tempfile.TemporaryDirectory() as folder:
        try:
            if database is None:
                postgres = PostgresEngine().start()
                database = postgres.new_database()
            postgres_pid = postgres.process.pid if postgres else None
            for _ in range(runs):
                for n in process_counts:
                    by_processes[str(n)].append(throughput_run(folder, database, postgres_pid, n, boards, per_board,
                                                               senders, seconds, workers))
            if hop:
                redis = RedisEngine(Path(folder) / "hop-redis").start()
                try:
                    for _ in range(runs):
                        for way in ("local", "queue"):
                            hop_runs[way].append(hop_run(folder, redis, way == "queue", *hop, seconds, workers))
                finally:
                    redis.stop()
        finally:
            if postgres is not None:
                postgres.stop()
    result = {"by_processes": {n: medians(r) for n, r in by_processes.items()}, "boards": boards,
              "per_board": per_board, "senders_per_board": senders, "seconds": seconds, "runs": runs,
              "generator": "node" if bench_drop.generator["worker"] else "python"}
    one, most = result["by_processes"].get("1"), result["by_processes"][str(max(process_counts))]
    if one and most is not one:
        result["throughput_ratio"] = round(most["moves_per_s"] / one["moves_per_s"], 2)
        result["per_core_ratio"] = round(most["moves_per_server_core_s"] / one["moves_per_server_core_s"], 2)
    result["prediction"] = predict(result["by_processes"])
    if hop:
        local, queue = medians(hop_runs["local"]), medians(hop_runs["queue"])
        cpu = {way: f["relay_ms_per_move"] + f["redis_ms_per_move"] for way, f in (("local", local), ("queue", queue))}
        result["redis_hop"] = {"local": local, "queue": queue,
                               "added_p50_ms": round(queue["p50"] - local["p50"], 2),
                               "added_p99_ms": round(queue["p99"] - local["p99"], 2),
                               "added_cpu_ms_per_move": round(cpu["queue"] - cpu["local"], 3)}
    report(result)
    summary = json.loads(out.read_text()) if out.exists() else {}
    summary["cluster"] = result
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return result


def report(result):
    for n, figures in result["by_processes"].items():
        print(f"{n} process(es), {result['boards']} boards x {result['per_board']} sockets, "
              f"{result['senders_per_board']} senders each back to back: {figures['moves_per_s']} moves/s, ack p50 "
              f"{figures['ack_p50']} / p99 {figures['ack_p99']} ms; CPU per move (ms): servers "
              f"{figures['servers_ms_per_move']}, PostgreSQL {figures.get('postgres_ms_per_move')}, nginx "
              f"{figures['nginx_ms_per_move']}, Redis {figures['redis_ms_per_move']}, generator "
              f"{figures['generator_ms_per_move']}; {figures['moves_per_server_core_s']} moves per server core-second; "
              f"machine busy {figures['machine_busy_pct']} %; boards per process {figures['boards_per_process']}; "
              f"load average {figures['load_average']}", flush=True)
    if "throughput_ratio" in result:
        print(f"throughput ratio {result['throughput_ratio']}x, per server core {result['per_core_ratio']}x; "
              f"prediction {result['prediction']}", flush=True)
    hop = result.get("redis_hop")
    if hop:
        for way in ("local", "queue"):
            f = hop[way]
            print(f"relay drop, {way}: seen p50 {f['p50']} / p99 {f['p99']} ms, ack p99 {f['ack_p99']} ms, delivery "
                  f"{f['delivery']}; CPU per move relay {f['relay_ms_per_move']} ms, Redis {f['redis_ms_per_move']} ms",
                  flush=True)
        print(f"the Redis hop adds {hop['added_p50_ms']} ms at p50, {hop['added_p99_ms']} ms at p99 and "
              f"{hop['added_cpu_ms_per_move']} ms of CPU per move", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 boards x 5 sockets, 2 s, one run (under a minute)")
    parser.add_argument("--processes", default="1,2", help="process counts to compare (default 1,2)")
    parser.add_argument("--boards", type=int, default=None, help="default 20 (quick: 4)")
    parser.add_argument("--per-board", type=int, default=None, help="sockets per board (default 10; quick: 5)")
    parser.add_argument("--senders", type=int, default=4, help="senders back to back per board (default 4)")
    parser.add_argument("--seconds", type=float, default=None, help="window (default 5; quick: 2)")
    parser.add_argument("--runs", type=int, default=None, help="alternated runs (default 2; quick: 1)")
    parser.add_argument("--workers", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--database", default=None, help="a postgresql:// URL to use (default: one started here)")
    parser.add_argument("--generator", choices=("node", "python"), default=None,
                        help="the load generator (default node when Node and `ws` are installed)")
    parser.add_argument("--no-hop", action="store_true", help="leave out the Redis hop's measurement")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    generator = args.generator or ("node" if node_load.available() else "python")
    bench_drop.generator["worker"] = bench_drop.GENERATORS[generator]
    quick = args.quick
    return run([int(n) for n in args.processes.split(",")], args.boards or (4 if quick else 20),
               args.per_board or (5 if quick else 10), min(args.senders, args.per_board or (5 if quick else 10)),
               args.seconds or (2.0 if quick else 5.0), args.runs or (1 if quick else 2), args.workers, args.database,
               None if args.no_hop else (20, 4) if quick else (HOP_SOCKETS, HOP_MOVING), args.out)


if __name__ == "__main__":
    main()
