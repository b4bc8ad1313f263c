"""The store: the only module that touches SQLite (through sqlite-utils).

One connection per process, WAL and synchronous=FULL so an acknowledged change
survives a power cut. The event log's primary key (board_id, version) makes a
second writer for one board fail loudly instead of forking its history.
"""
import json
import logging
import sqlite3
import threading
from dataclasses import dataclass

from sqlite_utils import Database

from .domain import Event

log = logging.getLogger(__name__)


class StoreError(Exception):
    """The store could not write; nothing of the batch was kept."""


class VersionConflict(StoreError):
    """Another writer already wrote one of these versions for the board."""


@dataclass(frozen=True)
class Credential:
    """What a secret token opens: one member of one board, with a role."""

    token_hash: str
    board_id: str
    participant_id: str
    role: str


def _migration_1(db):
    """Boards, their event log and the tokens of their members."""
    db["boards"].create({"id": str, "format_id": str, "join_code": str, "created_at": float}, pk="id")
    db["boards"].create_index(["join_code"], unique=True)
    db["events"].create({"board_id": str, "version": int, "type": str, "data": str, "actor": str,
                         "command_id": str, "at": float}, pk=("board_id", "version"))
    db["credentials"].create({"token_hash": str, "board_id": str, "participant_id": str, "role": str},
                             pk="token_hash")


# Schema history: append, never edit. PRAGMA user_version records how many ran.
MIGRATIONS = (_migration_1,)


class Store:
    """Durable boards and event logs in one SQLite file."""

    def __init__(self, path, run_blocking=None):
        # Handlers may run on several threads (or green threads plus a thread
        # pool): one lock keeps each transaction whole.
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db = Database(conn)
        self._lock = threading.Lock()
        self._run_blocking = run_blocking or (lambda fn, *args: fn(*args))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA busy_timeout=5000")
        # A deleted or rewritten row is overwritten with zeros, not left in a free page (RGPD):
        # a deleted workshop's names and texts must not stay readable in the file.
        self.db.execute("PRAGMA secure_delete=ON")
        self.migrate()

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

    def create_board(self, board_id, format_id, join_code, first_event, credentials):
        """Write a new board, its first event and its first tokens in one transaction."""
        def write():
            with self.db.atomic():
                self.db["boards"].insert({"id": board_id, "format_id": format_id, "join_code": join_code,
                                          "created_at": first_event.at})
                self._insert_events(board_id, [first_event])
                self._insert_credentials(credentials)
        self._write(write)

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
                return self.db.execute("DELETE FROM boards WHERE id = ?", [board_id]).rowcount > 0
        existed = self._write(write)
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

    def boards_idle_since(self, cutoff):
        """Ids of the boards whose last change is older than `cutoff` (a time in seconds)."""
        with self._lock:
            rows = self.db.execute("SELECT board_id FROM events GROUP BY board_id HAVING MAX(at) < ? "
                                   "ORDER BY board_id", [cutoff]).fetchall()
        return [row[0] for row in rows]

    def add_credentials(self, credentials):
        """Write new tokens for existing members."""
        def write():
            with self.db.atomic():
                self._insert_credentials(credentials)
        self._write(write)

    def _write(self, write):
        with self._lock:
            try:
                return self._run_blocking(write)
            except sqlite3.IntegrityError as error:
                raise VersionConflict(f"conflicting write: {error}") from error
            except sqlite3.Error as error:
                raise StoreError(str(error)) from error

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

    def board_by_code(self, join_code):
        """The id of the board a join code opens, or None."""
        with self._lock:
            row = self.db.execute("SELECT id FROM boards WHERE join_code = ?", [join_code]).fetchone()
        return row[0] if row else None

    def join_code(self, board_id):
        """The join code of a board, or None."""
        with self._lock:
            row = self.db.execute("SELECT join_code FROM boards WHERE id = ?", [board_id]).fetchone()
        return row[0] if row else None

    def credential(self, token_hash):
        """The Credential a token hash opens, or None."""
        with self._lock:
            row = self.db.execute("SELECT token_hash, board_id, participant_id, role FROM credentials "
                                  "WHERE token_hash = ?", [token_hash]).fetchone()
        return Credential(*row) if row else None

    def close(self):
        """Close the connection; the file keeps everything committed."""
        with self._lock:
            self.db.conn.close()
