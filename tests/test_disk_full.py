"""A full disk answers 503, once.

When the server cannot write its database, a join and a workshop's creation answer 503 with the
JSON error (or the site's error page for a browser) and a Retry-After header, a socket command gets
`unavailable` saying why, and the log has one line per refused write, no traceback. Once space is
back, writes work again and nothing acknowledged before was lost, also across a restart.
Two real faults: a full tmpfs (root only), and a file-size limit (RLIMIT_FSIZE) on the server
process, which needs no privilege.
"""
import errno
import os
from contextlib import closing
import resource
import sqlite3
import subprocess

import pytest
import requests

from conftest import ServerProcess, in_placement
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"
BROWSER = {"Accept": "text/html,application/xhtml+xml"}


def refused_then_recovered(server, fill, free, reason):
    """The scenario both faults share: acknowledged moves, the disk fails, five writes are refused the
    right way, the disk comes back, and every acknowledged move is still there after a restart."""
    board = in_placement(server.url, participants=1)
    person = BoardClient(server.url, board["participants"][0]["token"])
    try:
        acked = {f"before-{n}": person.command("move_card", {"card_id": f"d{n:02d}", "zone_id": MAINTENANCE,
                                                             "x": n / 10, "y": 0.5}, command_id=f"before-{n}")
                 for n in range(1, 6)}
        assert all(a["ok"] for a in acked.values())
        fill()
        code = board["join_code"]
        join_json = requests.post(server.url + "/join", json={"code": code, "name": "Zoé"}, timeout=10)
        join_page = requests.post(server.url + "/join", data={"code": code, "name": "Yann"}, headers=BROWSER,
                                  timeout=10, allow_redirects=False)
        create_json = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=10)
        create_page = requests.post(server.url + "/workshops", data={"format": "atelier-competences"},
                                    headers=BROWSER, timeout=10, allow_redirects=False)
        move = person.command("move_card", {"card_id": "d09", "zone_id": MAINTENANCE, "x": 0.9, "y": 0.9},
                              command_id="during")
        for answer in (join_json, create_json):
            assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
            assert answer.json()["code"] == "unavailable" and reason in answer.json()["message"]
        for answer in (join_page, create_page):
            assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
            assert answer.headers["Content-Type"].startswith("text/html") and reason in answer.text
        assert move["ok"] is False and move["code"] == "unavailable" and reason in move["message"], move
        log = server.output()
        assert "Traceback" not in log
        assert len([line for line in log.splitlines() if "not stored" in line]) == 5, log[-3000:]

        free()
        again = person.command("move_card", {"card_id": "d09", "zone_id": MAINTENANCE, "x": 0.9, "y": 0.9},
                               command_id="after")
        assert again["ok"], again
        acked["after"] = again
        assert requests.post(server.url + "/join", json={"code": code, "name": "Zoé"}, timeout=10).status_code == 201
        assert requests.post(server.url + "/workshops", json={"format": "atelier-competences"},
                             timeout=10).status_code == 201
    finally:
        person.close()
    # Nothing acknowledged was lost, and the refused move left no trace: in the file, and after a restart.
    server.stop()
    with closing(sqlite3.connect(server.db_path)) as db:
        stored = db.execute("SELECT command_id, version FROM events WHERE board_id = ? ORDER BY version",
                            [board["board_id"]]).fetchall()
    assert [v for _, v in stored] == list(range(1, len(stored) + 1))  # no hole
    assert {cid: a["version"] for cid, a in acked.items()} == {cid: v for cid, v in stored if cid in acked}
    assert "during" not in {cid for cid, _ in stored}
    server.start()
    token = board["participants"][0]["token"]
    snapshot = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert snapshot.json()["version"] == stored[-1][1]
    d09 = next(c for c in snapshot.json()["cards"] if c["id"] == "d09")
    assert (d09["zone"], d09["x"]) == (MAINTENANCE, 0.9)


@pytest.fixture
def small_tmpfs(tmp_path):
    """An 8 MB tmpfs mounted for this test; skipped where mounting is not permitted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs mount here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        # A lazy unmount as the last resort: never leave the machine with a mount behind.
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill_up(folder):
    """Write a file into `folder` until the file system has no space left; return its path."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        chunk = b"\0" * 65536
        for _ in range(100_000):  # bounded: far more than 8 MB
            try:
                f.write(chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        while True:  # the last few blocks, so not even one page is left
            try:
                f.write(b"\0" * 512)
            except OSError:
                break
    return filler


def test_a_full_file_system_refuses_writes_with_503_and_recovers(small_tmpfs, tmp_path):
    server = ServerProcess(small_tmpfs / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"],
                           log_path=tmp_path / "server.log")
    filler = []
    try:
        server.start()
        refused_then_recovered(server, fill=lambda: filler.append(fill_up(small_tmpfs)),
                               free=lambda: filler[0].unlink(), reason="disk is full")
    finally:
        server.stop()


def test_a_file_size_limit_refuses_writes_with_503_and_recovers(tmp_path):
    """RLIMIT_FSIZE on the server process: a write past it fails with EFBIG (Python ignores SIGXFSZ).
    The soft limit is lowered and raised again from outside with prlimit, as space would come back."""
    server = ServerProcess(tmp_path / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"])
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    try:
        server.start()

        def fill():
            # No file may grow any more: the write-ahead log cannot take one more page.
            wal = os.path.getsize(server.db_path + "-wal")
            resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (wal, hard))

        def free():
            resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (hard, hard))
        refused_then_recovered(server, fill, free, reason="could not write to its disk")
    finally:
        server.stop()
