"""The store on a real SQLite file: durability settings, migrations, restart, second writers."""
import sqlite3
import threading

import pytest

from board import store as store_module
from board.domain import SYSTEM
from board.domain.commands import MoveCard, SetSequence
from board.store import Store, VersionConflict
from board.workshops import Workshops

MAINTENANCE = "maintenance/techniques"


def move(card, x=0.5):
    return MoveCard(card_id=card, zone_id=MAINTENANCE, x=x, y=0.5)


def started(workshops):
    """A board in Placement with one participant; (room, facilitator id, participant id)."""
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Alice")
    room = workshops.room(info["board_id"])
    assert room.submit(info["facilitator_id"], SetSequence(index=1))["ok"]
    return room, info["facilitator_id"], person["participant_id"]


def test_the_file_uses_wal_and_full_synchronous_writes(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_run_on_an_empty_file(tmp_path):
    s = Store(tmp_path / "empty.db")
    assert s.schema_version() == len(store_module.MIGRATIONS)
    assert {"boards", "events", "credentials"} <= set(s.db.table_names())


def test_migrations_on_an_existing_file_run_only_what_is_new_and_keep_the_data(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    first = Workshops(Store(path))
    info = first.create("atelier-competences")
    first.store.close()

    def add_notes(db):
        db["notes"].create({"id": int, "text": str}, pk="id")
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (add_notes,))
    reopened = Store(path)
    assert reopened.schema_version() == len(store_module.MIGRATIONS)
    assert "notes" in reopened.db.table_names()
    assert Workshops(reopened).room(info["board_id"]).version == 1
    assert reopened.migrate() == len(store_module.MIGRATIONS)  # running again changes nothing


def test_a_restart_reloads_exactly_what_was_acknowledged(tmp_path):
    path = tmp_path / "board.db"
    workshops = Workshops(Store(path))
    room, _, alice = started(workshops)
    acks = [room.submit(alice, move(f"d{n:02d}", n / 100), f"c{n}") for n in range(1, 11)]
    assert all(a["ok"] for a in acks)
    before = room.snapshot()
    workshops.store.close()
    reloaded = Workshops(Store(path)).room(room.board_id)
    assert reloaded.snapshot() == before
    assert reloaded.version == acks[-1]["version"]


def test_a_resent_command_after_a_restart_gets_its_first_answer(tmp_path):
    path = tmp_path / "board.db"
    workshops = Workshops(Store(path))
    room, _, alice = started(workshops)
    first = room.submit(alice, move("d01"), "only-once")
    workshops.store.close()
    reloaded = Workshops(Store(path)).room(room.board_id)
    assert reloaded.submit(alice, move("d01", 0.9), "only-once") == first
    assert reloaded.version == first["version"]


def test_a_second_writer_for_one_board_fails_loudly_instead_of_forking(tmp_path, caplog):
    path = tmp_path / "board.db"
    mine = Workshops(Store(path))
    room, _, alice = started(mine)
    stale = Workshops(Store(path)).room(room.board_id)  # another process loaded the same board
    assert room.submit(alice, move("d01", 0.1))["ok"]
    answer = stale.submit(alice, move("d02", 0.2))
    assert answer["ok"] is False and answer["code"] == "unavailable"
    assert "conflicting write" in caplog.text
    # The stale writer reloaded the durable history instead of keeping its own.
    assert stale.snapshot() == room.snapshot()
    already_written = mine.store.load_events(room.board_id)[-1]
    with pytest.raises(VersionConflict):
        stale.store.append(room.board_id, [already_written])


def test_commands_that_arrive_together_share_one_commit(tmp_path):
    commits = []

    def slow_disk(write):
        commits.append(1)
        threading.Event().wait(0.05)  # a slow fsync, so that others queue meanwhile
        return write()
    workshops = Workshops(Store(tmp_path / "board.db", run_blocking=slow_disk))
    room, _, alice = started(workshops)
    commits.clear()
    answers = []
    threads = [threading.Thread(target=lambda n=n: answers.append(room.submit(alice, move(f"d{n:02d}"), f"k{n}")))
               for n in range(1, 21)]
    [t.start() for t in threads]
    [t.join(10) for t in threads]
    assert sorted(a["version"] for a in answers) == list(range(4, 24))
    assert len(commits) < 20
    assert [e.version for e in workshops.store.load_events(room.board_id, since=3)] == list(range(4, 24))


def test_nothing_is_acknowledged_or_broadcast_before_it_is_durable(tmp_path):
    path = tmp_path / "board.db"
    seen = []
    workshops = Workshops(Store(path), publish=lambda board_id, events: seen.extend(
        (event.version, _durable_version(path, board_id)) for event in events))
    room, _, alice = started(workshops)
    answer = room.submit(alice, move("d05"))
    assert answer["version"] == _durable_version(path, room.board_id)
    assert all(version <= durable for version, durable in seen)


def _durable_version(path, board_id):
    """What another connection reads from the file: the committed truth."""
    with sqlite3.connect(path) as other:
        return other.execute("SELECT MAX(version) FROM events WHERE board_id = ?", [board_id]).fetchone()[0]


def test_boards_are_independent(workshops):
    first, _, alice = started(workshops)
    second, _, bob = started(workshops)
    assert first.submit(alice, move("d01"))["ok"]
    assert next(c for c in second.snapshot()["cards"] if c["id"] == "d01")["zone"] == "deck"
    assert second.version == 3 and first.version == 4
    assert first.submit(bob, move("d02"))["code"] == "unauthorized"  # Bob is not on the first board


def test_a_join_writes_its_token_with_its_event(workshops):
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Zoé")
    credential = workshops.open(person["token"])
    assert credential.participant_id == person["participant_id"] and credential.role == "participant"
    assert workshops.room(info["board_id"]).board.participants[person["participant_id"]].name == "Zoé"
    assert workshops.store.load_events(info["board_id"])[-1].actor == SYSTEM


def test_the_database_keeps_only_hashes_of_tokens(workshops):
    info = workshops.create("atelier-competences")
    dump = "\n".join(workshops.store.db.conn.iterdump())
    assert info["admin_token"] not in dump and info["projector_token"] not in dump
