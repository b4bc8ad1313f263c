"""The store: the only module that touches SQLite (through sqlite-utils).

One connection per process, WAL and synchronous=FULL so an acknowledged change
survives a power cut. The event log's primary key (board_id, version) makes a
second writer for one board fail loudly instead of forking its history.

Token checks and join-code look-ups never touch the file: the boards' codes and
the credentials are kept in memory too, read once at start and updated after
each commit that adds some. A commit stalled by the disk (held for its whole
length under the write lock) therefore holds up other writes only, never a page,
a token check or a new socket.
"""
import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from .domain import Event

log = logging.getLogger(__name__)


class StoreError(Exception):
    """The store could not write; nothing of the batch was kept.

    `reason` says why in words a participant may read ("the server's disk is full").
    """

    def __init__(self, message, reason="the server could not write to its disk"):
        super().__init__(message)
        self.reason = reason


class VersionConflict(StoreError):
    """Another writer already wrote one of these versions for the board."""

    def __init__(self, message):
        super().__init__(message, "another server wrote to this board meanwhile")


def _store_error(error):
    """The StoreError a failed write raised, with a reason people can read."""
    if isinstance(error, sqlite3.IntegrityError):
        return VersionConflict(f"conflicting write: {error}")
    if isinstance(error, UnicodeError):  # the domain refuses such text; this is the last guard
        return StoreError(f"unstorable text: {error}", "a text could not be stored")
    text = str(error)
    if "full" in text:  # SQLITE_FULL: "database or disk is full"
        return StoreError(text, "the server's disk is full")
    if "locked" in text or "busy" in text:
        return StoreError(text, "the database is busy")
    return StoreError(text)


class ReadOnly(StoreError):
    """The database was opened read-only: it can be read, never changed."""

    def __init__(self, reason):
        super().__init__(f"The database is read-only ({reason}): nothing can be changed.")
        self.reason = reason


@dataclass(frozen=True)
class Credential:
    """What a secret token opens: one member of one board, with a role."""

    token_hash: str
    board_id: str
    participant_id: str
    role: str


class LeaseLost(VersionConflict):
    """This process no longer holds the board's lease (another server took it over, or the database
    lost our session): the write was refused and the board must be dropped here (store_pg.py)."""

    def __init__(self, message):
        super().__init__(message)
        self.reason = "another server took this workshop over"


def postgresql(*statements):
    """The same migration for the PostgreSQL store (board/store_pg.py), written beside the SQLite one
    so that both keep one numbered history: a migration without it stops a PostgreSQL server at start.
    Statements are plain SQL, run in order in the migration's transaction."""
    def mark(migration):
        migration.postgresql = statements
        return migration
    return mark


@postgresql(
    "CREATE TABLE boards (id TEXT PRIMARY KEY, format_id TEXT, join_code TEXT, created_at DOUBLE PRECISION)",
    "CREATE UNIQUE INDEX idx_boards_join_code ON boards (join_code)",
    "CREATE TABLE events (board_id TEXT, version BIGINT, type TEXT, data TEXT, actor TEXT, command_id TEXT, "
    "at DOUBLE PRECISION, PRIMARY KEY (board_id, version))",
    "CREATE TABLE credentials (token_hash TEXT PRIMARY KEY, board_id TEXT, participant_id TEXT, role TEXT)")
def _migration_1(db):
    """Boards, their event log and the tokens of their members."""
    db["boards"].create({"id": str, "format_id": str, "join_code": str, "created_at": float}, pk="id")
    db["boards"].create_index(["join_code"], unique=True)
    db["events"].create({"board_id": str, "version": int, "type": str, "data": str, "actor": str,
                         "command_id": str, "at": float}, pk=("board_id", "version"))
    db["credentials"].create({"token_hash": str, "board_id": str, "participant_id": str, "role": str},
                             pk="token_hash")


@postgresql("ALTER TABLE boards ADD COLUMN link_generation INTEGER NOT NULL DEFAULT 0")
def _migration_2(db):
    """Which generation of facilitator link each board is at: 0 for a random token of old
    (not printable again), 1 and up for tokens derived from the link key (tokens.admin_token_for)."""
    db["boards"].add_column("link_generation", int, not_null_default=0)


@postgresql(
    "CREATE TABLE IF NOT EXISTS desks (token_hash TEXT PRIMARY KEY, created_at DOUBLE PRECISION)",
    "CREATE TABLE IF NOT EXISTS desk_boards (desk_hash TEXT, board_id TEXT, added_at DOUBLE PRECISION, "
    "PRIMARY KEY (desk_hash, board_id))",
    "CREATE INDEX IF NOT EXISTS idx_desk_boards_board_id ON desk_boards (board_id)",
    "CREATE TABLE IF NOT EXISTS desk_templates (id TEXT PRIMARY KEY, desk_hash TEXT, name TEXT, document TEXT, "
    "created_at DOUBLE PRECISION)",
    "CREATE INDEX IF NOT EXISTS idx_desk_templates_desk_hash ON desk_templates (desk_hash)")
def _migration_3(db):
    """Facilitators' desks ("my workshops"): the SHA-256 of each desk's secret, the boards created from
    it and the templates saved on it (a template's document as JSON text). IF NOT EXISTS: a file whose
    user_version was set back (by hand, or a test making an old file) may hold them already."""
    db["desks"].create({"token_hash": str, "created_at": float}, pk="token_hash", if_not_exists=True)
    db["desk_boards"].create({"desk_hash": str, "board_id": str, "added_at": float}, pk=("desk_hash", "board_id"),
                             if_not_exists=True)
    db["desk_boards"].create_index(["board_id"], if_not_exists=True)
    db["desk_templates"].create({"id": str, "desk_hash": str, "name": str, "document": str, "created_at": float},
                                pk="id", if_not_exists=True)
    db["desk_templates"].create_index(["desk_hash"], if_not_exists=True)


@postgresql(
    "CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "template TEXT NOT NULL, desk_hash TEXT, created_at DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS campaign_boards (entry_id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, board_id TEXT, "
    "source TEXT NOT NULL, source_board TEXT NOT NULL, territory TEXT NOT NULL, date TEXT, document TEXT, "
    "added_at DOUBLE PRECISION NOT NULL)",
    "CREATE UNIQUE INDEX IF NOT EXISTS campaign_boards_once ON campaign_boards (campaign_id, source_board)",
    "CREATE INDEX IF NOT EXISTS campaign_boards_board ON campaign_boards (board_id)",
    "CREATE TABLE IF NOT EXISTS campaign_events (campaign_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, "
    "data TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, PRIMARY KEY (campaign_id, seq))")
def _migration_4(db):
    """Campaigns (board/campaigns.py, CAMP): a campaign's coordinator secret (its SHA-256), its handout (a
    template document as JSON text), its boards (played here: a board id; brought home: the board's export
    as JSON text), each with its territory and date, and its own log of commands (card merges). Portable SQL:
    text, integers and reals only, no SQLite-only type."""
    db.execute("CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
               "name TEXT NOT NULL, template TEXT NOT NULL, desk_hash TEXT, created_at REAL NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS campaign_boards (entry_id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, "
               "board_id TEXT, source TEXT NOT NULL, source_board TEXT NOT NULL, territory TEXT NOT NULL, "
               "date TEXT, document TEXT, added_at REAL NOT NULL)")
    # A board comes into a campaign once: played here, or imported from its export (COORD7).
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS campaign_boards_once ON campaign_boards (campaign_id, source_board)")
    db.execute("CREATE INDEX IF NOT EXISTS campaign_boards_board ON campaign_boards (board_id)")
    db.execute("CREATE TABLE IF NOT EXISTS campaign_events (campaign_id TEXT NOT NULL, seq INTEGER NOT NULL, "
               "type TEXT NOT NULL, data TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (campaign_id, seq))")


# Schema history: append, never edit. PRAGMA user_version records how many ran (in PostgreSQL, the
# schema_version table). Each migration carries its PostgreSQL statements (@postgresql) beside it.
MIGRATIONS = (_migration_1, _migration_2, _migration_3, _migration_4)
FACILITATOR_ROLES = ("facilitator", "projector")  # the roles of a board's facilitator links


def read_only_reason(path):
    """Why a database file must be opened read-only, in words, or None when it may be written.

    The file's own permission bits are honoured even by root (who could write anyway): a file
    made read-only on purpose is served read-only. The folder matters too: SQLite writes its
    journal beside the file.
    """
    path = Path(path)
    if not path.exists():
        return None
    folder = path.resolve().parent
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return "its file system is mounted read-only"
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
        return "the file is read-only"
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222:
        return "its folder is read-only"
    return None


def _connect_read_only(path):
    """A connection that can only read; WAL content not yet folded into the file is read when
    SQLite can map its index, and refused rather than silently ignored when it cannot."""
    uri = Path(path).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        wal = Path(str(path) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(f"{path} is read-only and its journal {wal.name} holds changes not yet in the "
                             "file: open it once where it can be written, or copy the file with its journal to a "
                             "writable folder") from None
    # No journal to read and none can be made (a read-only folder): the file alone is the whole truth.
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False, isolation_level=None)


class Store:
    """Durable boards and event logs in one SQLite file."""

    # One process serves the whole file (serving.hold_database_lock): it loads every board at start
    # and holds every board's lease for its life. The PostgreSQL store (store_pg.py) is shared.
    shared = False

    def __init__(self, path, run_blocking=None):
        # Handlers may run on several threads (or green threads plus a thread
        # pool): one lock keeps each transaction whole.
        self.read_only = read_only_reason(path)  # None, or why nothing can be written
        if self.read_only:
            conn = _connect_read_only(path)
        else:
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db = Database(conn)
        self._lock = threading.Lock()
        self._run_blocking = run_blocking or (lambda fn, *args: fn(*args))
        if not self.read_only:  # else no journal mode to set, no migration to run: the file is served as it is
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA busy_timeout=5000")
            # A deleted or rewritten row is overwritten with zeros, not left in a free page (RGPD):
            # a deleted workshop's names and texts must not stay readable in the file.
            self.db.execute("PRAGMA secure_delete=ON")
            self.migrate()
        # The in-memory index: only ever changed after a commit, so it never shows an undurable token.
        self._credentials = {row[0]: Credential(*row) for row in self.db.execute(
            "SELECT token_hash, board_id, participant_id, role FROM credentials")}
        self._board_by_code = dict(self.db.execute("SELECT join_code, id FROM boards").fetchall())
        self._code_of_board = {board_id: code for code, board_id in self._board_by_code.items()}

    def migrate(self):
        """Run the migrations this file has not seen yet, each in its own transaction."""
        with self._lock:
            done = self.db.execute("PRAGMA user_version").fetchone()[0]
            for number, migration in enumerate(MIGRATIONS[done:], start=done + 1):
                with self.db.atomic():
                    migration(self.db)
                    self.db.execute(f"PRAGMA user_version={number}")
        return self.schema_version()

    def schema_version(self):
        """How many migrations this file has run."""
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def create_board(self, board_id, format_id, join_code, first_event, credentials, link_generation=0,
                     then=(), desk_hash=None):
        """Write a new board, its first event (and the events `then`, such as a document's content) and
        its first tokens in one transaction: a board is never seen half made. With `desk_hash`, the board
        is on that desk (made if new) in the same transaction."""
        def write():
            with self.db.atomic():
                self.db["boards"].insert({"id": board_id, "format_id": format_id, "join_code": join_code,
                                          "created_at": first_event.at, "link_generation": link_generation})
                self._insert_events(board_id, [first_event, *then])
                self._insert_credentials(credentials)
                if desk_hash is not None:
                    self._put_on_desk(desk_hash, board_id, first_event.at)
        self._write(write)
        self._board_by_code[join_code] = board_id
        self._code_of_board[board_id] = join_code
        self._remember(credentials)

    def append(self, board_id, events, credentials=(), rewrites=()):
        """Write a batch of events (and tokens) in one transaction, then return.

        `rewrites` erase what a batch asks to forget from the board's earlier events, in the same
        transaction: each has `before` (a version), `types` (event types it may change),
        `apply(type, data)` (the new data, or None to leave the event as it is), `revoke` (a member
        whose tokens are deleted, or None) and `scrub` (whether the WAL must keep no old copy).
        """
        def write():
            with self.db.atomic():
                self._insert_events(board_id, events)
                self._insert_credentials(credentials)
                for rewrite in rewrites:
                    self._rewrite_events(board_id, rewrite)
        self._write(write)
        self._remember(credentials)
        for rewrite in rewrites:
            if rewrite.revoke is not None:  # a forgotten member's tokens open nothing from now on
                self._forget_credentials(lambda c: c.board_id == board_id and c.participant_id == rewrite.revoke)
        if any(rewrite.scrub for rewrite in rewrites):
            self.scrub()

    def _rewrite_events(self, board_id, rewrite):
        types = sorted(rewrite.types)
        rows = self.db.execute(
            f"SELECT version, type, data FROM events WHERE board_id = ? AND version < ? "
            f"AND type IN ({', '.join('?' for _ in types)})", [board_id, rewrite.before, *types]).fetchall()
        changed = []
        for version, kind, data in rows:
            new = rewrite.apply(kind, json.loads(data))
            if new is not None:
                changed.append((json.dumps(new, ensure_ascii=False), board_id, version))
        self.db.conn.executemany("UPDATE events SET data = ? WHERE board_id = ? AND version = ?", changed)
        if rewrite.revoke is not None:
            self.db.execute("DELETE FROM credentials WHERE board_id = ? AND participant_id = ?",
                            [board_id, rewrite.revoke])

    def delete_board(self, board_id):
        """Delete a board, its whole event log and every token, in one transaction; then leave no
        copy of them in the WAL. True if the board existed."""
        def write():
            with self.db.atomic():
                self.db.execute("DELETE FROM events WHERE board_id = ?", [board_id])
                self.db.execute("DELETE FROM credentials WHERE board_id = ?", [board_id])
                self.db.execute("DELETE FROM desk_boards WHERE board_id = ?", [board_id])  # off its desk too
                self.db.execute("DELETE FROM campaign_boards WHERE board_id = ?", [board_id])  # out of its campaign
                return self.db.execute("DELETE FROM boards WHERE id = ?", [board_id]).rowcount > 0
        existed = self._write(write)
        self._forget_credentials(lambda c: c.board_id == board_id)
        code = self._code_of_board.pop(board_id, None)
        self._board_by_code.pop(code, None)
        try:
            self.scrub()
        except StoreError:  # deleted all the same; the next checkpoint empties the WAL
            log.warning("the WAL could not be emptied after deleting board %s", board_id)
        return existed

    def scrub(self):
        """Copy the WAL into the database file and empty it, so no page the last transactions
        replaced (a deleted name, a redacted text) survives in the WAL."""
        def checkpoint():
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        self._write(checkpoint)

    def add_credentials(self, credentials):
        """Write new tokens for existing members."""
        def write():
            with self.db.atomic():
                self._insert_credentials(credentials)
        self._write(write)
        self._remember(credentials)

    def replace_facilitator_links(self, board_id, generation, credentials):
        """Move a board from link generation `generation` to the next one in one transaction: every
        facilitator and projector token it had is deleted, `credentials` are the new ones.

        VersionConflict when the board is no longer at `generation` (a rotation raced this one)."""
        def write():
            with self.db.atomic():
                moved = self.db.execute("UPDATE boards SET link_generation = ? WHERE id = ? AND link_generation = ?",
                                        [generation + 1, board_id, generation]).rowcount
                if moved != 1:
                    raise sqlite3.IntegrityError(f"board {board_id} is not at link generation {generation}")
                self.db.execute(f"DELETE FROM credentials WHERE board_id = ? AND role IN "
                                f"({','.join('?' * len(FACILITATOR_ROLES))})", [board_id, *FACILITATOR_ROLES])
                self._insert_credentials(credentials)
        self._write(write)
        # The replaced tokens stop opening anything as soon as the change is durable.
        self._forget_credentials(lambda c: c.board_id == board_id and c.role in FACILITATOR_ROLES)
        self._remember(credentials)

    # -- desks (the facilitator's "my workshops", board/desks.py): read with the lock, rarely written

    def _put_on_desk(self, desk_hash, board_id, at):
        self.db.execute("INSERT OR IGNORE INTO desks (token_hash, created_at) VALUES (?, ?)", [desk_hash, at])
        self.db.execute("INSERT OR IGNORE INTO desk_boards (desk_hash, board_id, added_at) VALUES (?, ?, ?)",
                        [desk_hash, board_id, at])

    def add_desk(self, desk_hash, at):
        """Write a new desk (its secret's hash)."""
        def write():
            with self.db.atomic():
                self.db.execute("INSERT OR IGNORE INTO desks (token_hash, created_at) VALUES (?, ?)", [desk_hash, at])
        self._write(write)

    def put_on_desk(self, desk_hash, board_id, at):
        """Put an existing board on a desk (made if new)."""
        def write():
            with self.db.atomic():
                self._put_on_desk(desk_hash, board_id, at)
        self._write(write)

    def desk_exists(self, desk_hash):
        """Whether a desk has this secret's hash."""
        with self._lock:
            if self.schema_version() < 3:
                return False  # a read-only file never migrated has no desk
            return self.db.execute("SELECT 1 FROM desks WHERE token_hash = ?", [desk_hash]).fetchone() is not None

    def desk_board_ids(self, desk_hash):
        """The ids of the boards on a desk, the newest first."""
        with self._lock:
            if self.schema_version() < 3:
                return []
            return [row[0] for row in self.db.execute(
                "SELECT board_id FROM desk_boards WHERE desk_hash = ? ORDER BY added_at DESC, board_id", [desk_hash])]

    def desk_of_board(self, board_id):
        """The hash of the desk a board is on, or None."""
        with self._lock:
            if self.schema_version() < 3:
                return None
            row = self.db.execute("SELECT desk_hash FROM desk_boards WHERE board_id = ? ORDER BY added_at LIMIT 1",
                                  [board_id]).fetchone()
        return row[0] if row else None

    def save_template(self, desk_hash, template_id, name, document, at):
        """Keep a template (its document, JSON-ready) on a desk."""
        text = json.dumps(document, ensure_ascii=False)

        def write():
            with self.db.atomic():
                self.db["desk_templates"].insert({"id": template_id, "desk_hash": desk_hash, "name": name,
                                                  "document": text, "created_at": at})
        self._write(write)

    def desk_templates(self, desk_hash):
        """The templates of a desk, the newest first: [{id, name, document, created_at}]."""
        with self._lock:
            if self.schema_version() < 3:
                return []
            rows = self.db.execute("SELECT id, name, document, created_at FROM desk_templates WHERE desk_hash = ? "
                                   "ORDER BY created_at DESC, id", [desk_hash]).fetchall()
        return [{"id": i, "name": n, "document": json.loads(d), "created_at": at} for i, n, d, at in rows]

    def delete_template(self, desk_hash, template_id):
        """Delete a desk's template; True if that desk had it."""
        def write():
            with self.db.atomic():
                return self.db.execute("DELETE FROM desk_templates WHERE id = ? AND desk_hash = ?",
                                       [template_id, desk_hash]).rowcount > 0
        return self._write(write)

    # -- campaigns (board/campaigns.py): one section, plain SQL, so another store can port it whole.
    # Rows are read with the lock and written rarely (a campaign, a board, an import, a merge).

    def create_campaign(self, campaign_id, token_hash_, name, template, desk_hash, at):
        """Write a new campaign: its secret's hash, its name and its handout (a template document)."""
        text = json.dumps(template, ensure_ascii=False)

        def write():
            with self.db.atomic():
                self.db.execute("INSERT INTO campaigns (id, token_hash, name, template, desk_hash, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)", [campaign_id, token_hash_, name, text, desk_hash, at])
        self._write(write)

    def _campaign_rows(self, where, args):
        with self._lock:
            if self.schema_version() < 4:
                return []  # a read-only file never migrated has no campaign
            rows = self.db.execute(f"SELECT id, token_hash, name, template, desk_hash, created_at FROM campaigns "
                                   f"WHERE {where} ORDER BY created_at DESC, id", args).fetchall()
        return [{"id": i, "token_hash": h, "name": n, "template": json.loads(t), "desk_hash": d, "created_at": at}
                for i, h, n, t, d, at in rows]

    def campaign_by_token(self, token_hash_):
        """The campaign whose coordinator secret has this hash, or None."""
        rows = self._campaign_rows("token_hash = ?", [token_hash_])
        return rows[0] if rows else None

    def campaign(self, campaign_id):
        """A campaign by its id, or None."""
        rows = self._campaign_rows("id = ?", [campaign_id])
        return rows[0] if rows else None

    def desk_campaigns(self, desk_hash):
        """The campaigns created from a desk, the newest first."""
        return self._campaign_rows("desk_hash = ?", [desk_hash])

    def add_campaign_board(self, entry):
        """Add a board to a campaign: {entry_id, campaign_id, board_id, source, source_board, territory, date,
        document (JSON-ready or None), added_at}. VersionConflict when the campaign already has that board."""
        row = {**entry, "document": None if entry["document"] is None else json.dumps(entry["document"],
                                                                                      ensure_ascii=False)}
        columns = ("entry_id", "campaign_id", "board_id", "source", "source_board", "territory", "date", "document",
                   "added_at")

        def write():
            with self.db.atomic():
                self.db.execute(f"INSERT INTO campaign_boards ({', '.join(columns)}) VALUES "
                                f"({', '.join('?' for _ in columns)})", [row[c] for c in columns])
        self._write(write)

    def campaign_boards(self, campaign_id):
        """A campaign's boards in the order they came in: the dicts add_campaign_board wrote."""
        with self._lock:
            if self.schema_version() < 4:
                return []
            rows = self.db.execute(
                "SELECT entry_id, campaign_id, board_id, source, source_board, territory, date, document, added_at "
                "FROM campaign_boards WHERE campaign_id = ? ORDER BY added_at, entry_id", [campaign_id]).fetchall()
        keys = ("entry_id", "campaign_id", "board_id", "source", "source_board", "territory", "date", "document",
                "added_at")
        return [{**dict(zip(keys, row)), "document": None if row[7] is None else json.loads(row[7])} for row in rows]

    def append_campaign_event(self, campaign_id, kind, data, at):
        """Append one command's event to a campaign's log, numbered after the last; its number."""
        text = json.dumps(data, ensure_ascii=False)

        def write():
            with self.db.atomic():
                last = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM campaign_events WHERE campaign_id = ?",
                                       [campaign_id]).fetchone()[0]
                self.db.execute("INSERT INTO campaign_events (campaign_id, seq, type, data, at) VALUES (?, ?, ?, ?, ?)",
                                [campaign_id, last + 1, kind, text, at])
                return last + 1
        return self._write(write)

    def campaign_events(self, campaign_id):
        """A campaign's log, oldest first: [{seq, type, data, at}]."""
        with self._lock:
            if self.schema_version() < 4:
                return []
            rows = self.db.execute("SELECT seq, type, data, at FROM campaign_events WHERE campaign_id = ? ORDER BY seq",
                                   [campaign_id]).fetchall()
        return [{"seq": n, "type": t, "data": json.loads(d), "at": at} for n, t, d, at in rows]

    def _write(self, write):
        if self.read_only:
            raise ReadOnly(self.read_only)
        with self._lock:
            try:
                return self._run_blocking(write)
            except (sqlite3.Error, UnicodeError) as error:
                raise _store_error(error) from error

    def _remember(self, credentials):
        for credential in credentials:
            self._credentials[credential.token_hash] = credential

    def _forget_credentials(self, matches):
        self._credentials = {token_hash: credential for token_hash, credential in self._credentials.items()
                             if not matches(credential)}

    def _insert_events(self, board_id, events):
        self.db.conn.executemany(
            "INSERT INTO events (board_id, version, type, data, actor, command_id, at) VALUES (?,?,?,?,?,?,?)",
            [(board_id, e.version, e.type, json.dumps(e.data, ensure_ascii=False), e.actor, e.command_id, e.at)
             for e in events])

    def _insert_credentials(self, credentials):
        self.db.conn.executemany(
            "INSERT INTO credentials (token_hash, board_id, participant_id, role) VALUES (?,?,?,?)",
            [(c.token_hash, c.board_id, c.participant_id, c.role) for c in credentials])

    def load_events(self, board_id, since=0):
        """The board's events after version `since`, oldest first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT version, type, data, actor, at, command_id FROM events "
                "WHERE board_id = ? AND version > ? ORDER BY version", [board_id, since]).fetchall()
        return [Event(v, t, json.loads(d), a, at, cid) for v, t, d, a, at, cid in rows]

    def board_ids(self):
        """Every board's id, oldest first."""
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT id FROM boards ORDER BY created_at, id")]

    def link_generation(self, board_id):
        """A board's facilitator link generation (0: an old random token, not printable again)."""
        with self._lock:
            if self.db.execute("PRAGMA user_version").fetchone()[0] < 2:
                return 0  # a read-only file never migrated: every link is an old one
            row = self.db.execute("SELECT link_generation FROM boards WHERE id = ?", [board_id]).fetchone()
        return row[0] if row else 0

    def last_activity(self):
        """{board id: time of its last event}, for every board."""
        with self._lock:
            return dict(self.db.execute("SELECT board_id, MAX(at) FROM events GROUP BY board_id").fetchall())

    # Look-ups answer from memory, without the lock: they never wait for a commit.
    def board_by_code(self, join_code):
        """The id of the board a join code opens, or None."""
        return self._board_by_code.get(join_code)

    def join_code(self, board_id):
        """The join code of a board, or None."""
        return self._code_of_board.get(board_id)

    def credential(self, token_hash):
        """The Credential a token hash opens, or None."""
        return self._credentials.get(token_hash)

    # -- leases: the file's flock (serving.hold_database_lock) is the lease of every board in it

    def take_lease(self, board_id):
        """Whether this process may write the board: always, the whole file is its own."""
        return True

    def release_lease(self, board_id):
        """Nothing to release: the file's lock goes with the process."""

    def holds_lease(self, board_id):
        """Whether this process may write the board: always."""
        return True

    def lost_leases(self):
        """The boards whose lease this process lost: never any."""
        return []

    def board_exists(self, board_id):
        """Whether the store has this board."""
        with self._lock:
            return self.db.execute("SELECT 1 FROM boards WHERE id = ?", [board_id]).fetchone() is not None

    def close(self):
        """Close the connection; the file keeps everything committed."""
        with self._lock:
            self.db.conn.close()
