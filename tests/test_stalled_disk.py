"""A stalled disk write freezes no other board, and no reader.

While one board's commit waits on the disk, token checks, pages, /healthz, a new socket's welcome
and every board's snapshot keep answering, and what they show is the last committed state (never
the change still waiting). Once the disk moves again the stalled change is acknowledged and durable.
The stall is real: another connection holding SQLite's write lock, and a frozen ext4 file system.
"""
import os
from contextlib import closing
import shutil
import sqlite3
import subprocess
import threading
import time

import pytest
import requests

from board.domain.commands import MoveCard, SetSequence
from board.store import Store
from board.workshops import Workshops
from conftest import ServerProcess, create_workshop, in_placement
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"


def test_readers_and_token_checks_do_not_wait_for_a_commit_under_way(tmp_path):
    """In process: a commit held at the disk; the room's readers answer meanwhile, with the last
    committed version, and the other board's too."""
    stalled, released = threading.Event(), threading.Event()
    stall_next = []

    def disk(write):
        if stall_next:
            stall_next.clear()
            stalled.set()
            released.wait(20)
        return write()
    workshops = Workshops(Store(tmp_path / "board.db", run_blocking=disk))
    first, second = workshops.create("atelier-competences"), workshops.create("atelier-competences")
    room = workshops.room(first["board_id"])
    assert room.submit(first["facilitator_id"], SetSequence(index=1))["ok"]
    before = room.version
    stall_next.append(True)
    answers = []
    writer = threading.Thread(target=lambda: answers.append(
        room.submit(first["facilitator_id"], MoveCard(card_id="d01", zone_id=MAINTENANCE, x=.5, y=.5))))
    writer.start()
    assert stalled.wait(10)
    seen = {}

    def read_everything():
        seen["snapshot"] = room.snapshot(first["facilitator_id"])["version"]
        seen["since"] = room.events_since(before - 1)
        seen["token"] = workshops.open(first["admin_token"]) is not None
        seen["code"] = workshops.store.board_by_code(second["join_code"])
        seen["other"] = workshops.room(second["board_id"]).snapshot()["version"]
        seen["while_stalled"] = not released.is_set()
    reader = threading.Thread(target=read_everything)
    reader.start()
    reader.join(10)  # a bound for a broken build, not a speed check
    released.set()
    writer.join(10)
    reader.join(10)
    assert seen["while_stalled"], "the readers waited for the commit"
    assert seen["snapshot"] == before and [e["version"] for e in seen["since"]] == [before]
    assert seen["token"] and seen["code"] == second["board_id"] and seen["other"] == 1
    assert answers[0]["ok"] and room.version == before + 1


class Stall:
    """A stall of the server's database, held for `seconds` from start() and then released by a timer,
    whatever the checks meanwhile do (a check that waits on the stall must not hold it up)."""

    def __init__(self, hold, release, seconds):
        self._hold, self._release, self.seconds = hold, release, seconds
        self.released_at = None
        self._timer = None

    def start(self):
        self._hold()
        self.started_at = time.monotonic()
        self._timer = threading.Timer(self.seconds, self.end)
        self._timer.start()

    def end(self):
        if self.released_at is None:
            self._release()
            self.released_at = time.monotonic()

    def join(self):
        self._timer.join(self.seconds + 5)
        self.end()


def everything_answers_during_a_stall(server, stall):
    """The scenario both stalls share; returns what was measured for the caller's own checks."""
    stalled_board = in_placement(server.url, participants=2)
    other_board = create_workshop(server.url, participants=1)
    mover = BoardClient(server.url, stalled_board["participants"][0]["token"])
    opened = [mover]
    before = mover.replica.version
    answered = {}
    ack = {}

    def send_move():
        ack["answer"] = mover.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": .5, "y": .5},
                                      command_id="stalled-move", timeout=30)
        ack["at"] = time.monotonic()

    def timed(name, check):
        result = check()
        answered[name] = time.monotonic()
        return result
    try:
        stall.start()
        sender = threading.Thread(target=send_move)
        sender.start()
        time.sleep(0.5)  # the command reaches the server and its commit starts waiting
        assert "answer" not in ack, "the command was acknowledged although the disk was stalled"
        token = stalled_board["participants"][1]["token"]
        page = timed("token page", lambda: requests.get(f"{server.url}/p/{token}", timeout=20))
        health = timed("healthz", lambda: requests.get(f"{server.url}/healthz", timeout=20))
        other_token = other_board["participants"][0]["token"]
        other = timed("other board snapshot", lambda: requests.get(
            f"{server.url}/api/board", headers={"Authorization": f"Bearer {other_token}"}, timeout=20))
        same = timed("stalled board snapshot", lambda: requests.get(
            f"{server.url}/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=20))
        newcomer = BoardClient(server.url, token, connect=False)
        opened.append(newcomer)
        timed("new socket's welcome", lambda: newcomer.connect(timeout=20))
        other_socket = BoardClient(server.url, other_token, connect=False)
        opened.append(other_socket)
        timed("other board's new socket", lambda: other_socket.connect(timeout=20))
        stall.join()
        sender.join(30)
        assert page.status_code == 200 and health.status_code == 200 and other.status_code == 200
        # Readers were shown the last committed state, never the move still waiting for the disk.
        assert same.json()["version"] == before and newcomer.messages("welcome")[0]["version"] == before
        late = {name: round(at - stall.released_at, 2) for name, at in answered.items() if at >= stall.released_at}
        assert not late, f"answered only after the stall ended (seconds after): {late}"
        assert ack["answer"]["ok"], ack
        assert ack["at"] > stall.released_at
        newcomer.wait_version(ack["answer"]["version"])  # the waiting socket gets it once durable
        with closing(sqlite3.connect(server.db_path)) as db:
            stored = db.execute("SELECT version FROM events WHERE command_id = 'stalled-move'").fetchone()
        assert stored == (ack["answer"]["version"],)
        print(f"stall of {stall.seconds} s; answered after (s): " + ", ".join(
            f"{name} {at - stall.started_at:.2f}" for name, at in answered.items())
            + f"; the stalled move acknowledged {ack['at'] - stall.started_at:.2f}")
        return answered
    finally:
        stall.end()
        for client in opened:
            client.close()


def test_a_write_lock_held_by_another_process_stalls_only_that_commit(fresh_server, tmp_path):
    """Another connection to the file takes SQLite's write lock (BEGIN IMMEDIATE) for 3 s: the
    server's commit waits for it (within its 5 s busy timeout); nothing else does."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    holder = sqlite3.connect(server.db_path, isolation_level=None, check_same_thread=False)
    try:
        stall = Stall(lambda: holder.execute("BEGIN IMMEDIATE"), lambda: holder.execute("ROLLBACK"), 3.0)
        everything_answers_during_a_stall(server, stall)
    finally:
        holder.close()
    assert "Traceback" not in server.output()


@pytest.fixture
def loop_ext4(tmp_path):
    """A small ext4 file system on a loop device, mounted for this test; skipped where not permitted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a loop file system and fsfreeze need root")
    if not (shutil.which("mkfs.ext4") and shutil.which("fsfreeze")):
        pytest.skip("mkfs.ext4 or fsfreeze is not installed")
    image, mount_point = tmp_path / "disk.img", tmp_path / "mnt"
    mount_point.mkdir()
    with open(image, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True, capture_output=True)
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"no loop mount here: {mounted.stderr.strip()}")
    try:
        frozen = subprocess.run(["fsfreeze", "-f", str(mount_point)], capture_output=True, text=True)
        subprocess.run(["fsfreeze", "-u", str(mount_point)], capture_output=True)
        if frozen.returncode != 0:
            pytest.skip(f"fsfreeze is not permitted here: {frozen.stderr.strip()}")
        yield mount_point
    finally:
        subprocess.run(["fsfreeze", "-u", str(mount_point)], capture_output=True)
        # A lazy unmount as the last resort: never leave the machine with a mount behind.
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_frozen_disk_stalls_only_that_commit(loop_ext4, tmp_path):
    """The database on ext4, frozen with fsfreeze for 4 s while a move is being committed: token
    checks, pages, /healthz, new sockets and both boards' snapshots answer before the thaw; the move
    is acknowledged after it, and is in the file."""
    server = ServerProcess(loop_ext4 / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"],
                           log_path=tmp_path / "server.log")  # the log must not sit on the frozen disk
    freeze = ["fsfreeze", "-f", str(loop_ext4)]
    thaw = ["fsfreeze", "-u", str(loop_ext4)]
    try:
        server.start()
        stall = Stall(lambda: subprocess.run(freeze, check=True), lambda: subprocess.run(thaw, check=True), 4.0)
        everything_answers_during_a_stall(server, stall)
    finally:
        subprocess.run(thaw, capture_output=True)
        server.stop()
    assert "Traceback" not in server.output()
