"""A read-only database starts read-only: everything can be seen under a banner, every write is
refused with a clear error, nothing crashes and the file is left as it was."""
import hashlib
import os
import stat
import sqlite3
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import ServerProcess, create_workshop
from realtime import BoardClient
from test_startup_links import printed_boards

BANNER = 'id="read-only-banner"'


def written_workshop(fresh_server):
    """A workshop with one participant, written by a server that is then stopped; and that server."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=1)
    server.stop()
    return workshop, server


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_serves_read_only(server, workshop):
    """What a read-only server must do: say so, show everything, refuse every write clearly."""
    said = server.output().split("Atelier is running")[-1]
    assert "read-only" in said and "nothing can be" in said
    printed = printed_boards(server)
    assert printed and printed[0]["facilitator"].endswith(workshop["admin_token"])
    person = workshop["participants"][0]
    # Every page opens, under the banner.
    for path in (f"/f/{workshop['admin_token']}", f"/p/{person['token']}", f"/s/{workshop['projector_token']}",
                 "/", f"/j/{workshop['join_code']}"):
        page = requests.get(server.url + path, timeout=5)
        assert page.status_code == 200 and BANNER in page.text, path
    # Every write over HTTP is a 503 that says why, as JSON or as a page.
    json_posts = {"/join": {"code": workshop["join_code"], "name": "Nouvelle"},
                  "/workshops": {"format": "atelier-competences"},
                  f"/f/{workshop['admin_token']}/links": {}}
    for path, payload in json_posts.items():
        answer = requests.post(server.url + path, json=payload, timeout=5)
        assert answer.status_code == 503, path
        assert answer.json()["code"] == "unavailable" and "read-only" in answer.json()["message"]
    form = requests.post(server.url + "/join", data={"code": workshop["join_code"], "name": "Nouvelle"}, timeout=5)
    assert form.status_code == 503 and 'data-i18n="page.read_only"' in form.text
    # The board is there, live, and a command gets a refusal that says why.
    client = BoardClient(server.url, person["token"])
    try:
        assert client.me["id"] == person["participant_id"]
        answer = client.command("create_card", {"kind": "postit", "text": "Ne sera pas gardé",
                                                "zone_id": "parking", "x": 0.5, "y": 0.5})
        assert answer["ok"] is False and answer["code"] == "unavailable" and "read-only" in answer["message"]
        facilitator = BoardClient(server.url, workshop["admin_token"])
        assert facilitator.command("set_sequence", {"index": 1})["code"] == "unavailable"
        facilitator.close()
    finally:
        client.close()
    assert server.alive()
    assert "Traceback" not in server.output()


def test_a_file_made_read_only_starts_read_only_and_is_left_as_it_was(fresh_server):
    workshop, first = written_workshop(fresh_server)
    os.chmod(first.db_path, 0o444)  # honoured even by root, who could write it anyway
    before = digest(first.db_path)
    server = fresh_server(port=first.port, extra_args=["--no-demo"])
    assert_serves_read_only(server, workshop)
    server.stop()
    assert digest(first.db_path) == before
    assert stat.S_IMODE(os.stat(first.db_path).st_mode) == 0o444


@pytest.fixture
def read_only_mount(tmp_path):
    """Mount a folder read-only for real (a read-only bind mount): (writable folder, its read-only view)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only mount needs root")
    source, view = tmp_path / "data", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounts: {mounted.stderr.decode().strip()}")
    try:
        yield source, view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def remount_read_only(view):
    done = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow a read-only remount: {done.stderr.decode().strip()}")


def checkpoint(db_path):
    """Fold the journal into the file, as a clean close or a backup does: no -wal, no -shm left."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.mark.parametrize("journal", ["left by a stopped server", "folded into the file"])
def test_a_database_on_a_read_only_mount_starts_read_only(read_only_mount, tmp_path, journal):
    source, view = read_only_mount
    writer = ServerProcess(source / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"]).start()
    try:
        workshop = create_workshop(writer.url, participants=1)
    finally:
        writer.stop()
    if journal == "folded into the file":
        checkpoint(source / "atelier.db")
        assert not (source / "atelier.db-wal").exists() and not (source / "atelier.db-shm").exists()
    before = {path.name: digest(path) for path in source.iterdir()}
    remount_read_only(view)
    assert (view / "atelier.db").exists()
    with pytest.raises(OSError):  # the mount refuses root too
        (view / "probe").write_text("x")
    server = ServerProcess(view / "atelier.db", port=writer.port, extra_args=["--no-demo"])
    server.log_path = tmp_path / "read-only-server.log"  # the log cannot go beside the database
    server.start()
    try:
        assert "its file system is mounted read-only" in server.output()
        assert_serves_read_only(server, workshop)
    finally:
        server.stop()
    assert {path.name: digest(path) for path in source.iterdir()} == before


def test_a_read_only_journal_that_cannot_be_read_stops_the_start_with_a_clear_message(read_only_mount, tmp_path):
    source, view = read_only_mount
    writer = ServerProcess(source / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"]).start()
    try:
        create_workshop(writer.url, participants=1)
    finally:
        writer.stop(kill=True)
    (source / "atelier.db-shm").unlink()  # changes in the journal, and no index SQLite could map to read them
    assert (source / "atelier.db-wal").stat().st_size > 0
    remount_read_only(view)
    server = ServerProcess(view / "atelier.db", extra_args=["--no-demo"])
    server.log_path = tmp_path / "refused.log"
    with pytest.raises(RuntimeError, match="server exited"):
        server.start()
    said = server.output()
    assert "Atelier cannot start" in said and "holds changes not yet in the file" in said
    assert "writable folder" in said and "Traceback" not in said
