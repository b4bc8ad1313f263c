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
import sqlite3
import threading
from dataclasses import dataclass

from sqlite_utils import Database

from .domain import Event


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

    def create_board(self, board_id, format_id, join_code, first_event, credentials):
        """Write a new board, its first event and its first tokens in one transaction."""
        def write():
            with self.db.atomic():
                self.db["boards"].insert({"id": board_id, "format_id": format_id, "join_code": join_code,
                                          "created_at": first_event.at})
                self._insert_events(board_id, [first_event])
                self._insert_credentials(credentials)
        self._write(write)
        self._board_by_code[join_code] = board_id
        self._code_of_board[board_id] = join_code
        self._remember(credentials)

    def append(self, board_id, events, credentials=()):
        """Write a batch of events (and tokens) in one transaction, then return."""
        def write():
            with self.db.atomic():
                self._insert_events(board_id, events)
                self._insert_credentials(credentials)
        self._write(write)
        self._remember(credentials)

    def add_credentials(self, credentials):
        """Write new tokens for existing members."""
        def write():
            with self.db.atomic():
                self._insert_credentials(credentials)
        self._write(write)
        self._remember(credentials)

    def _write(self, write):
        with self._lock:
            try:
                self._run_blocking(write)
            except (sqlite3.Error, UnicodeError) as error:
                raise _store_error(error) from error

    def _remember(self, credentials):
        for credential in credentials:
            self._credentials[credential.token_hash] = credential

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

    def close(self):
        """Close the connection; the file keeps everything committed."""
        with self._lock:
            self.db.conn.close()
