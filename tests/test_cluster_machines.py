"""Several machines (issue 15, docs/deployment.md "Several machines"): nginx lists every machine's
processes, each process listens on its machine's address only, and PostgreSQL and Redis are reached on
a private interface. When a whole machine stops, its boards come back on the other one.

The machines are simulated: each is a loopback address of this one (Linux routes all of 127.0.0.0/8 to
the loopback interface), with real nginx, Redis, PostgreSQL and run.py processes (tests/engines.py,
cluster/__init__.py). A network of real machines is not tested here."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import redis
import requests

from cluster import LOOPBACK, ROOT, Cluster
from engines import PRIVATE_ADDRESS
from test_cluster_failover import assert_nothing_acknowledged_lost, assert_served_again, start_workshops, write_burst
from test_cluster_routing import create_board, holders

MACHINES = ("127.0.0.2", "127.0.0.3")
PROCESSES_PER_MACHINE = 2
BOARDS_PER_MACHINE = 2  # at least, so that both machines serve boards
MOST_BOARDS = 20
PEOPLE_PER_BOARD = 2  # one on websocket, one on long-polling
SERVED_AGAIN_WITHIN = 3.0  # seconds: nginx may try both dead processes (each refused at once) first


def refused(host, port):
    """Whether a TCP connection to host:port is refused (nothing listens there)."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def answered_by(response):
    """The process that answered a request through nginx ("address:port"): the last one nginx tried."""
    return response.headers["X-Atelier-Upstream"].split(",")[-1].strip()


def boards_on_both_machines(cluster):
    """New boards, each opened once through nginx, until each machine serves a few: {board: process}."""
    boards, served_by = [], {}
    while len(boards) < MOST_BOARDS:
        info = create_board(cluster.nginx.url)
        console = requests.get(f"{cluster.nginx.url}/f/{info['admin_token']}", timeout=10)
        assert console.status_code == 200, console.text
        boards.append(info)
        served_by[info["board_id"]] = answered_by(console)
        machines = [address.split(":")[0] for address in served_by.values()]
        if all(machines.count(machine) >= BOARDS_PER_MACHINE for machine in MACHINES):
            break
    return boards, served_by


def test_a_machine_that_stops_hands_its_boards_to_the_other_machine_and_nothing_acknowledged_is_lost(make_cluster):
    cluster = make_cluster(PROCESSES_PER_MACHINE, machines=MACHINES, private=PRIVATE_ADDRESS)
    url = cluster.nginx.url
    by_address = {server.address: server for server in cluster.servers}
    assert sorted(server.host for server in cluster.servers) == sorted(MACHINES * PROCESSES_PER_MACHINE)
    # Each process listens on its machine's address only; Redis and PostgreSQL on the private one.
    for server in cluster.servers:
        assert not refused(server.host, server.port)
        assert refused(LOOPBACK, server.port), f"{server.name} answers on 127.0.0.1 too"
    assert cluster.redis.host == PRIVATE_ADDRESS and refused(LOOPBACK, cluster.redis.port)
    assert cluster.database.startswith(f"postgresql://atelier@{PRIVATE_ADDRESS}:")

    boards, served_by = boards_on_both_machines(cluster)
    start_workshops(url, boards, people=PEOPLE_PER_BOARD)
    try:
        # Every board on exactly one process: the one nginx sends each of its requests to.
        for info in boards:
            held = holders(cluster, info["board_id"])
            assert [by_address[served_by[info["board_id"]]].port] == held, (info["board_id"], held)
            page = requests.get(f"{url}/p/{info['people'][0]['token']}", timeout=10)
            assert answered_by(page) == served_by[info["board_id"]]
        serving = {by_address[address] for address in served_by.values()}
        assert {server.host for server in serving} == set(MACHINES)
        # The processes that have sockets listen to the message queue (each once its first socket came),
        # on the private interface.
        queue, deadline = redis.Redis.from_url(cluster.redis.url), time.monotonic() + 10
        while True:
            subscribed = [client for client in queue.client_list() if int(client["sub"]) > 0]
            if len(subscribed) >= len(serving) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(subscribed) >= len(serving), subscribed
        assert all(client["laddr"].startswith(f"{PRIVATE_ADDRESS}:") for client in subscribed)
        queue.close()

        lost_machine = by_address[served_by[boards[0]["board_id"]]].host
        survivor = next(machine for machine in MACHINES if machine != lost_machine)
        orphans = [info for info in boards if served_by[info["board_id"]].startswith(lost_machine + ":")]
        acked = {info["board_id"]: [] for info in boards}
        stop = threading.Event()
        writers = [threading.Thread(target=write_burst,
                                    args=(client, f"{info['board_id']} c{n}", acked[info["board_id"]], stop))
                   for info in boards for n, client in enumerate(info["clients"])]
        for writer in writers:
            writer.start()
        time.sleep(0.8)
        for server in cluster.on_machine(lost_machine):  # the machine stops: every process of it at once
            os.kill(server.pid, signal.SIGKILL)
        killed_at = time.monotonic()

        def served_again():
            welcomed = all(any(at > killed_at for at in client.welcomed_at)
                           for info in orphans for client in info["clients"])
            written = all(any(t > killed_at for _, _, t in acked[info["board_id"]]) for info in orphans)
            return welcomed and written
        deadline = killed_at + 20
        while not served_again() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # a few more changes on the boards' new processes
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
        assert not any(writer.is_alive() for writer in writers)

        assert_served_again(orphans, acked, killed_at, SERVED_AGAIN_WITHIN)
        for info in orphans:
            held = holders(cluster, info["board_id"])
            assert len(held) == 1 and next(s for s in cluster.servers if s.port == held[0]).host == survivor
            page = requests.get(f"{url}/p/{info['people'][0]['token']}", timeout=10)
            assert answered_by(page) == f"{survivor}:{held[0]}"
        assert_nothing_acknowledged_lost(url, boards, acked)
    finally:
        for info in boards:
            for client in info.get("clients", []):
                client.close()


def test_the_script_starts_nothing_on_an_address_that_is_not_loopback_and_says_why(tmp_path):
    """Machines are simulated by loopback addresses only: another address is refused before anything
    starts, with the reason and where real machines are described."""
    answer = subprocess.run([sys.executable, "-m", "cluster", "--machines", "127.0.0.2,10.0.0.11",
                             "--run-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 2, answer.stdout
    assert "10.0.0.11 is not a loopback address" in answer.stderr and "docs/deployment.md" in answer.stderr
    with pytest.raises(ValueError, match="192.168.1.20 is not a loopback address"):
        Cluster(tmp_path, private="192.168.1.20")
    with pytest.raises(ValueError, match="one address of its own"):
        Cluster(tmp_path, machines=("127.0.0.2", "127.0.0.2"))
    assert not (tmp_path / "cluster.json").exists() and not list(tmp_path.glob("machine-*"))
