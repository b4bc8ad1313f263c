"""The store's interface against both stores: a SQLite file and a real PostgreSQL (tests/engines.py).

What one store keeps, the other keeps the same way: tables, migrations, acknowledged changes,
resent commands, group commit, tokens kept only as hashes.
"""
import threading
import time

import psycopg2
import pytest

from board import store as store_module
from board.domain import replay
from board.domain.commands import MoveCard, SetSequence
from board.store import LeaseLost, Store
from board.store_pg import PostgresStore, open_store
from board.workshops import Workshops

MAINTENANCE = "maintenance/techniques"


def move(card, x=0.5):
    return MoveCard(card_id=card, zone_id=MAINTENANCE, x=x, y=0.5)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where a store keeps its boards: a SQLite file, or a new database of the session's PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "board.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def opened(database):
    """Open stores on `database` (a restart is a second one); all closed at the end."""
    stores = []

    def open_one(**kwargs):
        stores.append(open_store(database, **kwargs))
        return stores[-1]
    yield open_one
    for s in stores:
        s.close()


def started(workshops):
    """A board in Placement with one participant; (room, facilitator id, participant id)."""
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Alice")
    room = workshops.room(info["board_id"])
    assert room.submit(info["facilitator_id"], SetSequence(index=1))["ok"]
    return room, info["facilitator_id"], person["participant_id"]


def table_layout(database):
    """{table: [(column, type family)]} as the database itself describes it."""
    families = {"text": "text", "integer": "integer", "bigint": "integer", "real": "float",
                "double precision": "float", "float": "float"}
    if database.startswith("postgresql://"):
        with psycopg2.connect(database) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = 'public' AND table_name <> 'schema_version' "
                           "ORDER BY table_name, ordinal_position")
            rows = cursor.fetchall()
    else:
        s = Store(database)
        rows = [(table, column.name, column.type) for table in s.db.table_names()
                for column in s.db[table].columns]
        s.close()
    layout = {}
    for table, column, kind in rows:
        layout.setdefault(table, []).append((column, families[kind.lower()]))
    return layout


def test_both_stores_have_one_table_layout_from_one_migration_history(tmp_path, postgres_url):
    sqlite_store, pg_store = Store(tmp_path / "a.db"), PostgresStore(postgres_url)
    assert sqlite_store.schema_version() == pg_store.schema_version() == len(store_module.MIGRATIONS)
    sqlite_store.close()
    pg_store.close()
    sqlite_layout = table_layout(str(tmp_path / "a.db"))
    assert table_layout(postgres_url) == sqlite_layout
    assert {"boards", "events", "credentials", "desks", "desk_templates"} <= set(sqlite_layout)


def test_every_migration_says_its_postgresql_statements():
    missing = [m.__name__ for m in store_module.MIGRATIONS if not getattr(m, "postgresql", None)]
    assert missing == [], "add @postgresql(...) beside these migrations in board/store.py"


def test_a_later_migration_runs_once_on_postgresql_and_keeps_the_data(postgres_url, monkeypatch):
    first = Workshops(PostgresStore(postgres_url))
    info = first.create("atelier-competences")
    first.store.close()

    @store_module.postgresql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    def add_notes(db):
        db["notes"].create({"id": int, "text": str}, pk="id")
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (add_notes,))
    import board.store_pg as store_pg
    monkeypatch.setattr(store_pg, "MIGRATIONS", store_module.MIGRATIONS)
    reopened = PostgresStore(postgres_url)
    assert reopened.schema_version() == len(store_module.MIGRATIONS)
    assert "notes" in table_layout(postgres_url)
    assert reopened.migrate() == len(store_module.MIGRATIONS)  # running again changes nothing
    assert Workshops(reopened).serve(info["board_id"]).version == 1
    reopened.close()


def test_a_migration_without_its_postgresql_statements_stops_the_start_saying_which(postgres_url, monkeypatch):
    def sqlite_only(db):
        db["notes"].create({"id": int}, pk="id")
    import board.store_pg as store_pg
    monkeypatch.setattr(store_pg, "MIGRATIONS", store_module.MIGRATIONS + (sqlite_only,))
    with pytest.raises(store_module.StoreError, match="sqlite_only"):
        PostgresStore(postgres_url)


def test_a_restart_reloads_exactly_what_was_acknowledged(opened):
    workshops = Workshops(opened())
    room, _, alice = started(workshops)
    acks = [room.submit(alice, move(f"d{n:02d}", n / 100), f"c{n}") for n in range(1, 11)]
    assert all(a["ok"] for a in acks)
    before = room.snapshot()
    workshops.store.close()
    reloaded = Workshops(opened()).serve(room.board_id)
    assert reloaded.snapshot() == before
    assert reloaded.version == acks[-1]["version"]


def test_a_resent_command_after_a_restart_gets_its_first_answer(opened):
    workshops = Workshops(opened())
    room, _, alice = started(workshops)
    first = room.submit(alice, move("d01"), "only-once")
    workshops.store.close()
    reloaded = Workshops(opened()).serve(room.board_id)
    assert reloaded.submit(alice, move("d01", 0.9), "only-once") == first
    assert reloaded.version == first["version"]


def test_commands_that_arrive_together_share_one_commit(opened, database):
    commits = []

    def slow_commit(write, *args):
        commits.append(1)
        threading.Event().wait(0.05)  # a slow commit, so that others queue meanwhile
        return write(*args)
    workshops = Workshops(opened(run_blocking=slow_commit))
    room, _, alice = started(workshops)
    commits.clear()
    answers = []
    threads = [threading.Thread(target=lambda n=n: answers.append(room.submit(alice, move(f"d{n:02d}"), f"k{n}")))
               for n in range(1, 21)]
    [t.start() for t in threads]
    [t.join(10) for t in threads]
    assert sorted(a["version"] for a in answers) == list(range(4, 24))
    writes = len(commits)
    assert writes < 20
    assert [e.version for e in workshops.store.load_events(room.board_id, since=3)] == list(range(4, 24))


def test_an_acknowledged_change_is_already_in_the_database(opened):
    seen = []
    writer = opened()
    reader = opened()  # another connection: it reads only what was committed
    workshops = Workshops(writer, publish=lambda board_id, events: seen.extend(
        (event.version, reader.load_events(board_id)[-1].version) for event in events))
    room, _, alice = started(workshops)
    answer = room.submit(alice, move("d05"))
    assert answer["version"] == reader.load_events(room.board_id)[-1].version
    assert seen and all(version <= durable for version, durable in seen)


def test_a_join_opens_its_token_also_for_another_process(opened):
    workshops = Workshops(opened())
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Zoé")
    other = opened()
    assert other.board_by_code(info["join_code"]) == info["board_id"]
    from board.tokens import secret_of, token_hash
    credential = other.credential(token_hash(secret_of(person["token"])))
    assert credential.participant_id == person["participant_id"] and credential.role == "participant"


def test_the_database_keeps_only_hashes_of_tokens(opened, database):
    workshops = Workshops(opened())
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Zoé")
    if database.startswith("postgresql://"):
        with psycopg2.connect(database) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT token_hash FROM credentials UNION ALL SELECT data FROM events")
            dump = "\n".join(row[0] for row in cursor.fetchall())
    else:
        dump = "\n".join(workshops.store.db.conn.iterdump())
    assert "Zoé" in dump  # the dump is the real content
    from board.tokens import secret_of
    for token in (info["admin_token"], info["projector_token"], person["token"]):
        assert secret_of(token) not in dump  # the secret after the board's id


def test_a_deleted_board_leaves_nothing_and_its_links_open_nothing(opened):
    workshops = Workshops(opened())
    info = workshops.create("atelier-competences")
    person = workshops.join(info["join_code"], "Zoé")
    assert workshops.delete(info["board_id"])
    restarted = Workshops(opened())
    assert restarted.serve(info["board_id"]) is None
    assert restarted.open(person["token"]) is None and restarted.open(info["admin_token"]) is None
    assert restarted.store.load_events(info["board_id"]) == []
    assert restarted.store.board_by_code(info["join_code"]) is None


def test_a_seeded_random_workshop_comes_back_from_the_store_as_it_was_live(opened):
    """Every event type of the seeded replay run (tests/test_replay.py) goes through the store and
    back: the board replayed from what the store gives is the live one."""
    from test_replay import RandomPick, SEEDED_STEPS, run
    store = opened()
    for seed in (7, 29):
        board, events, _ = run(RandomPick(seed), SEEDED_STEPS)
        board_id = f"replay-{seed}"
        store.create_board(board_id, "atelier-competences", f"CODE{seed}", events[0], [], then=events[1:])
        assert replay(store.load_events(board_id)).to_dict() == board.to_dict()


def test_on_postgresql_a_second_process_cannot_write_a_board_the_first_holds(postgres_url):
    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    try:
        mine = Workshops(first)
        room, _, alice = started(mine)
        other = Workshops(second)
        assert other.serve(room.board_id) is None  # not loaded: its lease is the first process's
        events = first.load_events(room.board_id)
        forged = events[-1].__class__(room.version + 1, "card_moved", {}, alice, 1.0, "forged")
        with pytest.raises(LeaseLost):  # written behind the lease's back: refused, nothing kept
            second.append(room.board_id, [forged])
        assert first.load_events(room.board_id) == events
        assert room.submit(alice, move("d01"))["ok"]
        first.close()  # the first process ends: its leases are free once close returns
        taken = other.serve(room.board_id)
        assert taken is not None and taken.version == room.version
        assert taken.submit(alice, move("d02"))["ok"]
    finally:
        second.close()


def served_once_freed(workshops, board_id, seconds=10):
    """The board's room once this process could take its lease. A session cut off without a word
    keeps its locks until its backend notices and exits, a moment later (longer on a loaded
    machine): a process asking meanwhile is refused, as a server's client is told to retry."""
    deadline = time.monotonic() + seconds
    while (room := workshops.serve(board_id)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert room is not None, f"board {board_id}'s lease was not freed within {seconds} s"
    return room


def test_on_postgresql_a_stale_writer_drops_the_board_and_refuses_every_later_command(postgres_url):
    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    dropped = []
    try:
        mine = Workshops(first, dropped=dropped.append)
        room, _, alice = started(mine)
        # The first process's lease session dies (a network cut, a database restart): the second
        # process takes the board over and writes on.
        first._lease_conn.close()
        other = Workshops(second)
        taken = served_once_freed(other, room.board_id)
        assert taken.submit(alice, move("d03"))["ok"]
        answer = room.submit(alice, move("d04"))
        assert answer["ok"] is False and answer["code"] == "unavailable"
        assert dropped == [room.board_id] and mine.board_ids() == []
        assert room.submit(alice, move("d05"))["code"] == "unavailable"
        assert [e.version for e in second.load_events(room.board_id)][-1] == taken.version == 4
    finally:
        first.close()
        second.close()


def test_on_postgresql_a_desk_lists_its_workshops_without_taking_them_from_their_process(postgres_url):
    from board.desks import Desks
    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    try:
        mine = Workshops(first)
        info, desk = Desks(mine).create_workshop(None, "atelier-competences", {"title": "Atelier du matin"})
        other = Desks(Workshops(second))
        listing = other.listing(other.open(desk))
        assert [(row["board_id"], row["title"]) for row in listing] == [(info["board_id"], "Atelier du matin")]
        assert other.workshops.board_ids() == []  # read from the log: the board stays the first process's
        assert mine.serve(info["board_id"]).submit(info["facilitator_id"], SetSequence(index=1))["ok"]
    finally:
        first.close()
        second.close()


def test_a_campaign_its_boards_and_its_log_are_kept_alike_by_both_stores(opened):
    """COORD7, COORD10: a campaign, its boards and its merges come back after a restart on either store;
    a board comes into a campaign once, and deleting the board takes it out."""
    store = opened()
    workshops = Workshops(store)
    board_id = workshops.create("atelier-competences")["board_id"]
    handout = {"kind": "template", "format": {"id": "atelier-competences"}}
    store.create_campaign("camp1", "hash1", "Centre-Val de Loire", handout, None, 1.0)
    entry = {"entry_id": "e1", "campaign_id": "camp1", "board_id": board_id, "source": "server",
             "source_board": board_id, "territory": "Gien", "date": "2026-11-28", "document": None, "added_at": 2.0}
    store.add_campaign_board(entry)
    imported = {**entry, "entry_id": "e2", "board_id": None, "source": "imported", "source_board": "elsewhere",
                "territory": "Tours", "document": {"board": {"title": "Tours"}}, "added_at": 3.0}
    store.add_campaign_board(imported)
    with pytest.raises(store_module.VersionConflict):
        store.add_campaign_board({**entry, "entry_id": "e3", "territory": "Blois"})
    assert store.append_campaign_event("camp1", "cards_merged", {"merge_id": "m1"}, 4.0) == 1
    assert store.append_campaign_event("camp1", "merge_undone", {"merge_id": "m1"}, 5.0) == 2
    store.close()

    again = opened()
    assert again.campaign_by_token("hash1")["name"] == "Centre-Val de Loire"
    assert again.campaign("camp1")["template"] == handout
    assert [(b["territory"], b["source"], b["document"]) for b in again.campaign_boards("camp1")] == \
        [("Gien", "server", None), ("Tours", "imported", {"board": {"title": "Tours"}})]
    assert [e["type"] for e in again.campaign_events("camp1")] == ["cards_merged", "merge_undone"]
    assert again.campaign("nope") is None and again.campaign_boards("nope") == []
    assert again.take_lease(board_id)
    again.delete_board(board_id)
    assert [b["territory"] for b in again.campaign_boards("camp1")] == ["Tours"]
