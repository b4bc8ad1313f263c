"""run.py on PostgreSQL (run.py --database postgresql://...): the protocol and convergence tests pass
on it as on SQLite, a crash loses nothing acknowledged, and two processes never both write a board.

Every server here is a real run.py under eventlet; the database is a real PostgreSQL on loopback
(tests/engines.py).
"""
import time

import psycopg2
import pytest
import requests
import socketio

from conftest import ServerProcess, create_workshop, join
from realtime import BoardClient

# The core protocol and convergence tests, collected again here, where `server` is run.py on PostgreSQL.
from test_convergence import test_random_operations_leave_every_peer_identical  # noqa: F401
from test_protocol import (  # noqa: F401
    test_a_client_catches_up_after_a_disconnect, test_a_move_is_acknowledged_and_seen_by_the_two_others_with_the_same_version,
    test_a_rejected_command_changes_nothing_anywhere, test_a_resent_command_is_not_applied_twice_across_a_reconnect,
    test_a_resent_command_returns_the_first_answer_and_applies_once, test_a_returning_client_gets_only_what_it_missed,
    test_sync_gives_the_missed_events_in_order, test_two_clients_moving_the_same_card_end_with_the_same_result_everywhere,
    test_welcome_carries_the_full_state_version_and_who_is_online)

MAINTENANCE = "maintenance/techniques"


def pg_server(url, folder, port=None, extra_args=()):
    """run.py on the PostgreSQL database `url`, its link key and log in `folder`; started."""
    return ServerProcess(url, port=port, log_path=folder / f"run-{port or 'any'}-{id(folder)}.log",
                         extra_args=["--no-demo", "--join-rate", "100", "--link-key", str(folder / "link.key"),
                                     *extra_args]).start()


@pytest.fixture(scope="module")
def server(postgres, tmp_path_factory):
    """One run.py on a PostgreSQL database of its own for this module's tests."""
    proc = pg_server(postgres.new_database(), tmp_path_factory.mktemp("pg-server"))
    yield proc
    proc.stop()
    assert "Traceback" not in proc.output(), proc.output()[-3000:]


@pytest.fixture
def pg_servers(postgres_url, tmp_path):
    """Start run.py processes on this test's database (all share it and one link key); stopped at the end."""
    started = []

    def start(port=None):
        started.append(pg_server(postgres_url, tmp_path, port=port))
        return started[-1]
    yield start
    for proc in started:
        proc.stop()
        assert "Traceback" not in proc.output(), proc.output()[-3000:]


def refusal(url, token):
    """What a socket connecting with `token` is told when it is refused (the connect_error's data)."""
    sio = socketio.Client(reconnection=False)
    said = []
    sio.on("connect_error", said.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    return said[0]


def stored_versions(url, board_id):
    """The versions the database holds for a board: the durable truth, read by a connection of our own."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT version FROM events WHERE board_id = %s ORDER BY version", [board_id])
        return [row[0] for row in cursor.fetchall()]


def test_run_py_on_postgresql_says_where_it_keeps_the_boards(server):
    assert "Atelier is running" in server.output()
    assert "everything is kept in the database." in server.output()


def test_a_crash_on_postgresql_loses_nothing_that_was_acknowledged(pg_servers, postgres_url):
    first = pg_servers()
    workshop = create_workshop(first.url, participants=3)
    facilitator = BoardClient(first.url, workshop["admin_token"])
    people = [BoardClient(first.url, p["token"]) for p in workshop["participants"]]
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    acks = [person.command("move_card", {"card_id": f"d{n + 1:02d}", "zone_id": MAINTENANCE, "x": n / 20, "y": 0.5},
                           command_id=f"m{n}") for n, person in enumerate(people * 5)]
    acks.append(people[0].command("create_card", {"kind": "postit", "text": "Écrit juste avant la panne",
                                                  "zone_id": "parking", "x": 0.5, "y": 0.5}, command_id="last"))
    assert all(a["ok"] for a in acks)
    expected = people[0].state()
    for client in (facilitator, *people):
        client.close()
    first.stop(kill=True)  # SIGKILL: no clean shutdown

    restarted = pg_servers(port=first.port)
    again = BoardClient(restarted.url, workshop["participants"][0]["token"])
    try:
        assert again.state() == expected
        assert again.state()["version"] == acks[-1]["version"] == stored_versions(postgres_url, workshop["board_id"])[-1]
        # The command resent after the crash (its answer was lost) is not applied twice.
        assert again.command("create_card", {"kind": "postit", "text": "Écrit juste avant la panne",
                                             "zone_id": "parking", "x": 0.5, "y": 0.5}, command_id="last") == acks[-1]
        # The facilitator's link, derived from the shared key file, still opens the console.
        assert requests.get(f"{restarted.url}/f/{workshop['admin_token']}", timeout=5).ok
    finally:
        again.close()


def test_a_second_process_cannot_write_a_board_the_first_holds_and_takes_it_over_once_it_is_killed(
        pg_servers, postgres_url):
    first, second = pg_servers(), pg_servers()
    workshop = create_workshop(first.url, participants=1)
    person = BoardClient(first.url, workshop["participants"][0]["token"])
    assert BoardClient(first.url, workshop["admin_token"]).command("set_sequence", {"index": 1})["ok"]
    assert person.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.5})["ok"]
    before = stored_versions(postgres_url, workshop["board_id"])

    # The second process is asked for the same board (a restarted process, a stale route): refused.
    refused = requests.post(second.url + "/join", json={"code": workshop["join_code"], "name": "Bea"}, timeout=5)
    assert refused.status_code == 503 and refused.json()["code"] == "unavailable"
    said = refusal(second.url, workshop["participants"][0]["token"])
    assert said["data"] == {"code": "unavailable"}, said  # a page says "offline" and retries, not "bad link"
    assert "Another server holds this workshop" in said["message"]
    assert stored_versions(postgres_url, workshop["board_id"]) == before  # nothing changed
    assert person.command("move_card", {"card_id": "d02", "zone_id": MAINTENANCE, "x": 0.2, "y": 0.5})["ok"]
    acknowledged = person.state()
    person.close()

    first.stop(kill=True)  # the holder dies: PostgreSQL ends its session, and its leases with it
    taken = BoardClient(second.url, workshop["participants"][0]["token"])
    try:
        assert taken.state() == acknowledged
        assert taken.command("move_card", {"card_id": "d03", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.5})["ok"]
        assert join(second.url, workshop["join_code"], "Bea")["ok"]
        assert stored_versions(postgres_url, workshop["board_id"]) == list(range(1, acknowledged["version"] + 3))
    finally:
        taken.close()


def test_a_process_that_lost_a_board_disconnects_its_clients_who_catch_up_where_it_is_served(
        pg_servers, postgres_url, postgres):
    first, second = pg_servers(), pg_servers()
    workshop = create_workshop(first.url, participants=1)
    person = BoardClient(first.url, workshop["participants"][0]["token"])
    assert BoardClient(first.url, workshop["admin_token"]).command("set_sequence", {"index": 1})["ok"]
    # The database ends the first process's sessions (as when the network between them is cut).
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cursor:
        # Waits (5 s at most) until they ended: only then are their leases free to take.
        cursor.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'atelier' "
                       "AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')")
    deadline = time.monotonic() + 10
    while person.sio.connected and time.monotonic() < deadline:  # the first process lets it go
        time.sleep(0.1)
    assert not person.sio.connected
    moved = BoardClient(second.url, workshop["participants"][0]["token"])
    try:
        assert moved.command("move_card", {"card_id": "d04", "zone_id": MAINTENANCE, "x": 0.4, "y": 0.5})["ok"]
        refused = requests.post(first.url + "/join", json={"code": workshop["join_code"], "name": "Bea"}, timeout=5)
        assert refused.status_code == 503  # the first process now knows it is not the board's writer
        assert stored_versions(postgres_url, workshop["board_id"])[-1] == moved.state()["version"]
    finally:
        moved.close()
        person.close()


def test_while_the_database_is_down_commands_are_refused_and_once_it_is_back_nothing_acknowledged_is_lost(tmp_path):
    from engines import PostgresEngine
    engine = PostgresEngine().start()
    served = None
    try:
        served = pg_server(engine.new_database(), tmp_path)
        workshop = create_workshop(served.url, participants=1)
        token = workshop["participants"][0]["token"]
        assert BoardClient(served.url, workshop["admin_token"]).command("set_sequence", {"index": 1})["ok"]
        person = BoardClient(served.url, token)
        acked = person.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.1, "y": 0.5})
        assert acked["ok"]
        engine.stop(remove=False)  # the database goes away

        # A join is refused, whether the process already dropped the board (its lease session is
        # gone) or still tries to write it: nothing can be kept, so nothing is acknowledged.
        refused = requests.post(served.url + "/join", json={"code": workshop["join_code"], "name": "Bea"}, timeout=10)
        assert refused.status_code == 503 and refused.json()["code"] == "unavailable", refused.text
        assert "database" in refused.json()["message"]
        person.close()

        engine.start()  # back, with what it had committed
        deadline = time.monotonic() + 20
        while True:  # the process dropped the board with its lost leases; it loads it again from the log
            try:
                again = BoardClient(served.url, token)
                break
            except (socketio.exceptions.ConnectionError, socketio.exceptions.TimeoutError):
                assert time.monotonic() < deadline, served.output()[-2000:]
                time.sleep(0.5)
        try:
            assert again.state()["version"] == acked["version"]
            card = next(c for c in again.state()["cards"] if c["id"] == "d01")
            assert card["zone"] == MAINTENANCE
            moved = again.command("move_card", {"card_id": "d02", "zone_id": MAINTENANCE, "x": 0.2, "y": 0.5})
            assert moved["ok"], (moved, served.output()[-3000:])
        finally:
            again.close()
        assert "Traceback" not in served.output(), served.output()[-3000:]
    finally:
        if served is not None:
            served.stop()
        engine.stop()


def test_a_page_of_a_board_another_process_holds_says_to_come_back_not_that_the_link_is_dead(pg_servers):
    first, second = pg_servers(), pg_servers()
    workshop = create_workshop(first.url, participants=1)
    page = requests.get(f"{second.url}/p/{workshop['participants'][0]['token']}", timeout=5)
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "Another server holds this workshop right now" in page.text
    snapshot = requests.get(second.url + "/api/board", timeout=5,
                            headers={"Authorization": f"Bearer {workshop['participants'][0]['token']}",
                                     "Accept": "application/json"})
    assert snapshot.status_code == 503 and snapshot.json()["code"] == "unavailable"
    assert requests.get(f"{first.url}/p/{workshop['participants'][0]['token']}", timeout=5).ok
    dead = requests.get(f"{second.url}/p/{'x' * 32}", timeout=5)
    assert dead.status_code == 404  # a link that opens nothing anywhere is still a dead link
