"""Busy day: many boards on one server, every socket making a durable move every few seconds.

50 boards x 20 participants = 1,000 sockets on one run.py (eventlet), each socket sending a
`move_card` every 5 s, the sends spread evenly over the period (socket g starts at g/N of it), for
a bounded number of moves. Each move is acknowledged once durable; we measure the acknowledgement's
latency (emit to ack, on the machine's one monotonic clock), the time until the board's other
sockets see the event, and the server's memory (VmRSS from /proc/<pid>/status, sampled through the
window, and VmHWM, its peak since start). The load comes from worker processes with bench_drag's
lean client; their CPU is reported beside the server's.

The naive relay has no equivalent here: it keeps nothing and acknowledges nothing, and the targets
(ack p99 <= 50 ms, RSS <= 300 MB) are absolute.

Usage: python bench/bench_busy_day.py [--quick] [--boards 50] [--per-board 20] [--period 5] [--moves 6]
Writes the key "busy_day" into bench/results/summary.json (or --out), keeping every other key.
"""
import argparse
import json
import multiprocessing
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench_drag import LeanSocket, cpu_seconds, read_frames, wait_quiet
from conftest import ServerProcess, create_workshop  # bench_drag put tests/ on the path

HERE = Path(__file__).resolve().parent
ZONE = "maintenance/techniques"
CONNECT_LIMIT = 120  # seconds for a worker to connect its sockets and read their backlog
SETTLE = 5.0  # seconds after its last send that a worker may still read (late acks, events)
SAMPLE_EVERY = 0.25  # seconds between two readings of the server's memory


def status_mb(pid, field):
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM), in MB."""
    match = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return round(int(match.group(1)) / 1024, 1)


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine so far, every core summed (/proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    clock = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / clock, sum(ticks) / clock


def lean_command(sock, ack_id, command_id, kind, data):
    """Send one command with an ack id; the packet, as sent (a Socket.IO EVENT with an ack id)."""
    sock.ws.send(f"42{ack_id}" + json.dumps(["command", {"id": command_id, "type": kind, "data": data}]))


def wait_ack(sock, ack_id, timeout=10):
    """Read one socket until the ack `ack_id` comes; its payload."""
    deadline = time.monotonic() + timeout
    prefix = f"43{ack_id}["
    while time.monotonic() < deadline:
        packet = sock.ws.recv()
        if packet.startswith(prefix):
            return json.loads(packet[len(prefix) - 1:])[0]
        if packet == "2":
            sock.ws.send("3")
    raise RuntimeError(f"no acknowledgement {ack_id}")


def open_placement(url, admin_token):
    """Move a board on to its Placement sequence (cards may move) with the facilitator's link."""
    sock = LeanSocket(url, {"token": admin_token})
    try:
        lean_command(sock, 1, "busy-open", "set_sequence", {"index": 1})
        answer = wait_ack(sock, 1)
        if not answer.get("ok"):
            raise RuntimeError(f"set_sequence refused: {answer}")
    finally:
        sock.close()


def read_all(sockets, acks, seen, stop, last_read):
    """One thread reads every socket of a worker: acks as (socket, ack id, body, t), events as (socket, command id, t)."""
    def handle(index, _sock, packet, now):
        if packet.startswith("43"):
            bracket = packet.index("[")
            acks.append((index, int(packet[2:bracket]), packet[bracket:], now))
        elif packet.startswith(('42["event"', '42["events"')):
            # One event, or the events of one group commit (moves made together share one frame).
            message = json.loads(packet[2:])[1]
            for event in message if isinstance(message, list) else [message]:
                command_id = event.get("command_id")
                if command_id and command_id.startswith("bd-"):
                    seen.append((index, command_id, now))
    read_frames(sockets, stop, last_read, handle)


def worker(url, people, period, moves, pipe):
    """Connect one socket per person, then from the parent's start instant send each person's moves.

    people: [(token, card id, command id prefix, offset in the period)]. Sends back the emits, acks,
    events seen and this process's CPU seconds over the window."""
    sockets = [LeanSocket(url, {"token": token}) for token, *_ in people]
    acks, seen, stop = [], [], threading.Event()
    last_read = [time.perf_counter()]
    reader = threading.Thread(target=read_all, args=(sockets, acks, seen, stop, last_read))
    reader.start()
    wait_quiet(last_read, CONNECT_LIMIT)  # the joins' welcomes and presence, read before the window opens
    pipe.send("ready")
    start = pipe.recv()
    schedule = sorted((offset + n * period, index, n) for index, (_, _, _, offset) in enumerate(people)
                      for n in range(moves))
    emits = {}  # (socket index, ack id) -> (command id, perf_counter at emit)
    cpu_before = cpu_seconds()
    for at, index, n in schedule:  # bounded: moves per person
        wait = start + at - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        _, card_id, prefix, _ = people[index]
        command_id = f"{prefix}-{n}"
        emits[index, n + 1] = (command_id, time.perf_counter())
        lean_command(sockets[index], n + 1, command_id, "move_card",
                     {"card_id": card_id, "zone_id": ZONE, "x": (n % 9 + 1) / 10, "y": 0.5})
    # Read on until every move is answered and the sockets fall quiet (the board's events), bounded.
    deadline = time.perf_counter() + SETTLE
    while time.perf_counter() < deadline and (len(acks) < len(emits) or time.perf_counter() - last_read[0] < 0.3):
        time.sleep(0.05)
    cpu = cpu_seconds() - cpu_before
    stop.set()
    reader.join(5)
    for sock in sockets:
        sock.close()
    # Seen by the board: its other sockets (the sender gets its own event too, after its ack).
    by_others = [(command_id, t) for index, command_id, t in seen if command_id.rsplit("-", 1)[0] != people[index][2]]
    pipe.send({"emits": emits, "acks": list(acks), "seen": by_others, "cpu": cpu})
    pipe.close()


SLOW_ACK_MS = 50  # the target: acks slower than this are counted per second of the window


def figures(results, per_board, start):
    """Ack and seen-by-the-board latencies (ms), answers counted, from the workers' records.

    slow_acks: {second of the window: acks over SLOW_ACK_MS sent in it}, to tell a pause (a few
    seconds) from a steady tail (every second)."""
    ack_ms, refusals, unanswered, sent_at, slow = [], {}, 0, {}, {}
    for r in results:
        answered = {}
        for index, ack_id, body, t in r["acks"]:
            answered[index, ack_id] = (json.loads(body)[0], t)
        for key, (command_id, t_emit) in r["emits"].items():
            sent_at[command_id] = t_emit
            if key not in answered:
                unanswered += 1
                continue
            answer, t_ack = answered[key]
            if answer.get("ok"):
                ack_ms.append((t_ack - t_emit) * 1000)
                if ack_ms[-1] > SLOW_ACK_MS:
                    second = str(int(t_emit - start))
                    slow[second] = slow.get(second, 0) + 1
            else:
                code = answer.get("error", {}).get("code", "?") if isinstance(answer.get("error"), dict) else "?"
                refusals[code] = refusals.get(code, 0) + 1
    seen_ms = [(t - sent_at[cid]) * 1000 for r in results for cid, t in r["seen"] if cid in sent_at]

    def pct(values, q):
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2) if len(values) > 1 else None

    ack_ms.sort()
    return {"ack_p50": round(statistics.median(ack_ms), 2) if ack_ms else None, "ack_p99": pct(ack_ms, 99),
            "ack_max": round(max(ack_ms), 2) if ack_ms else None,
            "seen_p50": round(statistics.median(seen_ms), 2) if seen_ms else None, "seen_p99": pct(seen_ms, 99),
            "slow_acks": dict(sorted(slow.items(), key=lambda item: int(item[0]))),
            "moves": len(sent_at), "acked": len(ack_ms), "refused": refusals, "unanswered": unanswered,
            # every accepted move should reach the board's other sockets
            "seen_delivery": round(len(seen_ms) / max(len(ack_ms) * (per_board - 1), 1), 3)}


def busy_day(folder, boards, per_board, period, moves, workers):
    """Start run.py, make the boards, run the load; the busy day's figures as a dict."""
    sockets = boards * per_board
    # The bench connects every socket from 127.0.0.1: the per-address cap must not be what it measures.
    server = ServerProcess(Path(folder) / "busy.db", extra_args=[
        "--no-demo", "--join-rate", "1000", "--per-address", str(sockets + 100)]).start()
    try:
        pid = server.process.pid
        people = []  # (token, card id, command id prefix), board by board
        for b in range(boards):
            workshop = create_workshop(server.url, participants=per_board)
            open_placement(server.url, workshop["admin_token"])
            for n, person in enumerate(workshop["participants"]):  # each moves a card of their own
                people.append((person["token"], f"d{n % 62 + 1:02d}", f"bd-{b}-{n}"))
        people = [(*p, g * period / sockets) for g, p in enumerate(people)]  # evenly spread sends
        rss_boards_only = status_mb(pid, "VmRSS")
        pipes, processes = [], []
        for w in range(workers):
            parent, child = multiprocessing.Pipe()
            process = multiprocessing.Process(target=worker, args=(server.url, people[w::workers], period, moves,
                                                                   child))
            process.start()
            pipes.append(parent)
            processes.append(process)
        try:
            connect_started = time.perf_counter()
            for pipe in pipes:
                if not pipe.poll(CONNECT_LIMIT + 30):
                    raise RuntimeError("a load worker did not connect its sockets in time")
                pipe.recv()
            connect_s = time.perf_counter() - connect_started
            rss_connected = status_mb(pid, "VmRSS")
            start = time.perf_counter() + 0.5
            load_average = os.getloadavg()[0]  # the machine is shared: how busy it was as we began
            server_before = cpu_seconds(pid)
            for pipe in pipes:
                pipe.send(start)
            samples, done = [], threading.Event()
            usage = {}  # second of the window -> [server CPU s, machine busy s, machine total s] in it

            def sample():
                before = (time.perf_counter(), cpu_seconds(pid), *machine_cpu())
                while not done.wait(SAMPLE_EVERY):
                    samples.append(status_mb(pid, "VmRSS"))
                    now = (time.perf_counter(), cpu_seconds(pid), *machine_cpu())
                    second = usage.setdefault(str(int(now[0] - start)), [0.0, 0.0, 0.0])
                    for i in range(3):
                        second[i] += now[i + 1] - before[i + 1]
                    before = now
            sampler = threading.Thread(target=sample)
            sampler.start()
            results = []
            try:
                for pipe in pipes:
                    if not pipe.poll(moves * period + SETTLE + 60):
                        raise RuntimeError("a load worker did not finish in time")
                    results.append(pipe.recv())
            finally:
                done.set()
                sampler.join()
            window = time.perf_counter() - start
            server_cpu = cpu_seconds(pid) - server_before
            rss_peak = max([status_mb(pid, "VmHWM"), *samples])  # VmHWM is updated lazily by the kernel
        finally:
            for process in processes:
                process.join(10)
                if process.is_alive():
                    process.kill()
        log = server.output()
        limit = re.search(r"open-file limit: (\d+) \(was (\d+)\)", log)
        return {**figures(results, per_board, start),
                "rss_mb": max(samples, default=rss_connected), "rss_peak_mb": rss_peak,
                # where acks were slow: was the server busy, or the machine (the other processes)?
                "server_cpu_pct_by_second": {k: round(v[0] * 100, 0) for k, v in usage.items()},
                "machine_busy_pct_by_second": {k: round(v[1] / v[2] * 100, 0) if v[2] else None
                                               for k, v in usage.items()},
                "rss_boards_only_mb": rss_boards_only, "rss_connected_mb": rss_connected,
                "cpu_pct": round(server_cpu / window * 100, 1),
                "generator_cpu_pct": round(sum(r["cpu"] for r in results) / window * 100, 1),
                "boards": boards, "sockets": sockets, "period_s": period, "moves_each": moves,
                "window_s": round(window, 1), "connect_s": round(connect_s, 1),
                "descriptor_limit": int(limit.group(1)) if limit else None,
                "descriptor_limit_before": int(limit.group(2)) if limit else None,
                "refused_connections": "connections refused" in log,
                "load_average": round(load_average, 1)}
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 boards x 20 sockets, 2 moves each (~30 s)")
    parser.add_argument("--boards", type=int, default=None, help="default 50 (quick: 10)")
    parser.add_argument("--per-board", type=int, default=20, help="sockets per board, one participant each")
    parser.add_argument("--period", type=float, default=5.0, help="seconds between two moves of one socket")
    parser.add_argument("--moves", type=int, default=None, help="moves per socket (default 6; quick: 2)")
    parser.add_argument("--workers", type=int, default=4, help="load processes (default 4)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "summary.json")
    args = parser.parse_args(argv)
    boards = args.boards or (10 if args.quick else 50)
    moves = args.moves or (2 if args.quick else 6)
    with tempfile.TemporaryDirectory() as folder:
        result = busy_day(folder, boards, args.per_board, args.period, moves, args.workers)
    print(f"busy day, {result['boards']} boards x {args.per_board} = {result['sockets']} sockets, a move each every "
          f"{args.period:g} s, {moves} each: ack p50 {result['ack_p50']} / p99 {result['ack_p99']} ms "
          f"(max {result['ack_max']}), seen by the board p50 {result['seen_p50']} / p99 {result['seen_p99']} ms, "
          f"{result['acked']} of {result['moves']} acked, refused {result['refused']}, unanswered "
          f"{result['unanswered']}; server RSS {result['rss_mb']} MB in the window (peak {result['rss_peak_mb']}, "
          f"boards only {result['rss_boards_only_mb']}), CPU {result['cpu_pct']} % (load generator "
          f"{result['generator_cpu_pct']} %); open-file limit {result['descriptor_limit']} (was "
          f"{result['descriptor_limit_before']}); acks over {SLOW_ACK_MS} ms by second of the window: "
          f"{result['slow_acks'] or 'none'}; server CPU by second {result['server_cpu_pct_by_second']}; machine "
          f"busy by second (% of all cores) {result['machine_busy_pct_by_second']}; load average "
          f"{result['load_average']}", flush=True)
    summary = json.loads(args.out.read_text()) if args.out.exists() else {}
    summary["busy_day"] = result
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
