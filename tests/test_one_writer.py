"""One board, one writer: one server per port and per database file (issue 10, point 6).

A second run.py, a real second process, must stop at start with a clear message and a non-zero
exit, and leave the first one serving every join.
"""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, create_workshop, free_port, join

MODES = ("eventlet", "threading")


def second_server(port, db_path, mode):
    """Run a second run.py to its end (it must not start); its exit code and what it printed."""
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(port),
                           "--db", str(db_path), "--no-demo", "--async-mode", mode],
                          cwd=ROOT, capture_output=True, text=True, timeout=30,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return done.returncode, done.stdout + done.stderr


def every_join_works(server, code, count=10):
    return all(join(server.url, code, f"Personne {n}")["ok"] for n in range(count))


@pytest.mark.parametrize("mode", MODES)
def test_a_second_server_on_the_same_port_stops_at_start_saying_the_port_is_in_use(fresh_server, tmp_path, mode):
    first = fresh_server(extra_args=["--no-demo", "--join-rate", "100", "--async-mode", mode])
    workshop = create_workshop(first.url)
    other_db = tmp_path / "other" / "atelier.db"
    code, said = second_server(first.port, other_db, mode)
    assert code != 0
    assert f"port {first.port} is already in use" in said, said
    assert "Traceback" not in said and "Atelier is running" not in said
    assert not other_db.exists()  # it wrote no database before giving up
    assert first.alive() and every_join_works(first, workshop["join_code"])


@pytest.mark.parametrize("mode", MODES)
def test_a_second_server_on_the_same_database_refuses_to_start_on_any_port(fresh_server, mode):
    first = fresh_server(extra_args=["--no-demo", "--join-rate", "100", "--async-mode", mode])
    workshop = create_workshop(first.url)
    code, said = second_server(free_port(), first.db_path, mode)
    assert code != 0
    assert f"another Atelier server (pid {first.process.pid}) already uses the database" in said, said
    assert "Traceback" not in said and "Atelier is running" not in said
    # The one writer keeps every join: no version conflict from a second writer.
    assert first.alive() and every_join_works(first, workshop["join_code"])


def test_the_lock_goes_with_a_crashed_server_so_a_new_one_starts_on_its_database(fresh_server):
    first = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(first.url)
    first.stop(kill=True)  # kill -9: no clean-up runs, the kernel drops the lock
    second = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    assert every_join_works(second, workshop["join_code"], count=2)


@pytest.fixture
def read_only_folder(tmp_path):
    """A real read-only file system (a small tmpfs remounted ro) holding a database; skipped where not permitted."""
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only file system needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                      capture_output=True).returncode != 0:
        pytest.skip("this machine does not permit a tmpfs mount")
    try:
        (mount_point / "atelier.db").write_bytes(b"")
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True, capture_output=True)
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True)


LOCK_AND_WAIT = "import sys, time; from board.serving import hold_database_lock; hold_database_lock(sys.argv[1]); " \
                "print('locked', flush=True); time.sleep(30)"


def test_on_a_read_only_file_system_the_database_file_itself_is_the_lock(read_only_folder):
    database = read_only_folder / "atelier.db"
    first = subprocess.Popen([sys.executable, "-c", LOCK_AND_WAIT, str(database)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "locked"  # no lock file could be made, yet it holds one
        second = subprocess.run([sys.executable, "-c", LOCK_AND_WAIT, str(database)], cwd=ROOT,
                                capture_output=True, text=True, timeout=30)
        assert second.returncode != 0 and "already uses the database" in second.stderr, second.stderr
    finally:
        first.kill()
        first.wait(timeout=10)
