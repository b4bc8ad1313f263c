"""The PostgreSQL store: store.py's tables, migrations and interface, for several server processes
(on one machine or several) sharing one database. Chosen by a database URL (run.py --database
postgresql://...); a file path keeps the SQLite store.

- Every write is one transaction on a connection of a small per-process pool; PostgreSQL's commit
  (synchronous_commit on) is durable before it returns, and a room's group commit (room.py) still
  writes all the commands that queued meanwhile in one transaction.
- psycopg2 cooperates with eventlet through a wait callback (run.py sets eventlet's own), so a
  commit blocks only its green thread, never the loop; without the callback (threading, gevent)
  every call goes through `run_blocking` as the SQLite store's commits do.
- A board is written by the one process holding its lease: a session-level advisory lock taken on a
  connection the process keeps for its life, freed by PostgreSQL as soon as that session ends (the
  process died, or the database lost it). Each board write checks, in its own transaction, that the
  lease is still ours, and the log's primary key (board_id, version) refuses a stale version: either
  failure is LeaseLost, and the process drops the board (docs/deployment.md).
"""
import hashlib
import json
import logging
import queue
import threading
from contextlib import contextmanager

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from .domain import Event
from .store import FACILITATOR_ROLES, MIGRATIONS, Credential, LeaseLost, StoreError, VersionConflict

log = logging.getLogger(__name__)

POOL_SIZE = 4  # connections per process: a few boards commit at once, each board one at a time
# A dead database or machine is noticed within about idle + interval x count seconds (TCP keepalive),
# so a lease held by a vanished process is freed in that time, not after the system's two hours.
CONNECTION_OPTIONS = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                      "keepalives_count": 3, "application_name": "atelier"}
UNREACHABLE = "the database cannot be reached"
DATABASE_URL_PREFIXES = ("postgresql://", "postgres://")


def is_database_url(text):
    """Whether a --database value names a PostgreSQL database rather than a SQLite file."""
    return str(text).startswith(DATABASE_URL_PREFIXES)


def _is_green():
    return psycopg2.extensions.get_wait_callback() is not None


def lock_key(name):
    """The advisory lock key (a positive bigint) of a name: 63 bits of its SHA-256, so two boards
    sharing a lease is as unlikely as a hash collision."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


def lease_key(board_id):
    """The advisory lock key of a board's lease."""
    return lock_key("atelier-board:" + board_id)


MIGRATION_KEY = lock_key("atelier-migrations")  # N processes starting at once migrate one at a time


# A campaign's board row, in the order store.Store reads it (its document is the eighth).
CAMPAIGN_BOARD_COLUMNS = ("entry_id", "campaign_id", "board_id", "source", "source_board", "territory", "date",
                          "document", "added_at")


def _store_error(error):
    """The StoreError a failed PostgreSQL call raised, with a reason people can read."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, psycopg2.errors.UniqueViolation):
        return VersionConflict(f"conflicting write: {error}".strip())
    if isinstance(error, (UnicodeError, ValueError, psycopg2.DataError)):
        return StoreError(f"unstorable text: {error}", "a text could not be stored")
    if isinstance(error, psycopg2.errors.ReadOnlySqlTransaction):  # a standby, or a read-only default
        return StoreError(str(error).strip(), "the database is read-only")
    if isinstance(error, psycopg2.errors.DiskFull):
        return StoreError(str(error).strip(), "the database server's disk is full")
    if isinstance(error, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return StoreError(str(error).strip() or "connection lost", UNREACHABLE)
    return StoreError(str(error).strip())


class _CommitUnknown(Exception):
    """The connection failed during COMMIT: the transaction may or may not be kept."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class Pool:
    """At most `size` connections, made when first needed; a broken one is dropped, not reused."""

    def __init__(self, connect, size=POOL_SIZE):
        self._connect = connect
        self._idle = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)  # green under eventlet's monkey patching

    @contextmanager
    def connection(self):
        """A connection of the pool for the block's length (outside any transaction at its end)."""
        with self._slots:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield conn
            finally:
                if not conn.closed and conn.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
                    try:
                        conn.rollback()
                    except psycopg2.Error:
                        conn.close()
                if conn.closed:
                    log.info("a database connection was lost; the next call makes a new one")
                else:
                    self._idle.put(conn)

    def close(self):
        """Close the idle connections."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


class PostgresStore:
    """Durable boards and event logs in a PostgreSQL database shared by several processes."""

    shared = True  # boards are loaded on demand, each by the process that takes its lease
    read_only = None  # a database that refuses writes fails each write, with its reason

    def __init__(self, url, run_blocking=None, pool_size=POOL_SIZE):
        self.url = url
        self._run_blocking = run_blocking or (lambda fn, *args: fn(*args))
        self._pool = Pool(self._connect, pool_size)
        self._lease_lock = threading.RLock()  # reentrant: a failed lease call checks the session too
        self._lease_conn = None  # the session that holds this process's leases
        self._leases = set()  # the boards whose lease this process took
        self._lost = set()  # leases found lost, not yet reported by lost_leases()
        # Look-ups answer from memory when they can; a miss asks the database (another process may
        # have made the board or the token), and only what exists is remembered.
        self._credentials = {}
        self._board_by_code = {}
        self._code_of_board = {}
        self.migrate()

    # -- connections

    def _connect(self):
        try:
            return psycopg2.connect(self.url, **CONNECTION_OPTIONS)
        except psycopg2.Error as error:
            raise StoreError(f"cannot reach the database: {str(error).strip()}", UNREACHABLE) from error

    def _call(self, fn):
        """Run `fn` here when the driver is green (it yields while waiting), else off the loop."""
        try:
            return fn() if _is_green() else self._run_blocking(fn)
        except (psycopg2.Error, UnicodeError, ValueError, StoreError) as error:
            failure = _store_error(error)
            if failure.reason == UNREACHABLE:
                self._check_lease_session()  # what cut this call off may have ended our leases' session
            if failure is error:
                raise
            raise failure from error

    def _transaction(self, work, fenced_board=None):
        """Run `work(cursor)` in one transaction and commit it; its result. With `fenced_board`, the
        transaction first checks that this process still holds that board's lease (LeaseLost if not)."""
        def run(conn):
            with conn.cursor() as cursor:
                if fenced_board is not None:
                    self._check_lease(cursor, fenced_board)
                result = work(cursor)
            try:
                conn.commit()
            except psycopg2.OperationalError as error:
                raise _CommitUnknown(error) from error  # never retried: it may have been committed
            return result
        return self._call(lambda: self._on_live_connection(run))

    def _query(self, sql, params=()):
        """Every row of one read."""
        def run(conn):
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            conn.rollback()  # end the read's transaction: the connection goes back idle
            return rows
        return self._call(lambda: self._on_live_connection(run))

    def _on_live_connection(self, run):
        """`run(conn)` on a pooled connection. A connection the database closed while it sat idle (a
        restart, a network cut) fails on its first use: before any commit nothing was kept, so `run`
        goes once more on a new connection, and the other idle ones, likely as dead, are dropped. (The
        green driver does not always mark a broken connection closed: it is closed here.)"""
        for attempt in (1, 2):
            with self._pool.connection() as conn:
                try:
                    return run(conn)
                except _CommitUnknown as unknown:
                    raise unknown.error from None
                except psycopg2.OperationalError:
                    conn.close()  # whatever broke it, it is not given out again
                    if attempt == 2:
                        raise
            self._pool.close()

    # -- schema

    def migrate(self):
        """Run the migrations this database has not seen yet, each in its own transaction, one process
        at a time (an advisory lock held for each transaction)."""
        def table(cursor):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_KEY])
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version "
                           "(version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION)")
        self._transaction(table)
        for number, migration in enumerate(MIGRATIONS, start=1):
            statements = getattr(migration, "postgresql", None)
            if statements is None:
                raise StoreError(f"migration {number} ({migration.__name__}) has no PostgreSQL statements: "
                                 "add @postgresql(...) beside it in board/store.py")

            def run(cursor, number=number, statements=statements):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_KEY])
                cursor.execute("SELECT 1 FROM schema_version WHERE version = %s", [number])
                if cursor.fetchone() is not None:
                    return
                for statement in statements:
                    cursor.execute(statement)
                cursor.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, EXTRACT(EPOCH FROM now()))",
                               [number])
            self._transaction(run)
        return self.schema_version()

    def schema_version(self):
        """How many migrations this database has run."""
        return self._query("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0]

    # -- leases

    def _lease_connection(self):
        """The session holding our leases; when it was lost, a new one (and every lease is lost)."""
        if self._lease_conn is not None and not self._lease_conn.closed:
            return self._lease_conn
        if self._leases:
            log.warning("the database session holding this process's leases is gone: %d boards lost",
                        len(self._leases))
            self._lost |= self._leases
            self._leases = set()
        self._lease_conn = self._connect()
        self._lease_conn.autocommit = True
        return self._lease_conn

    def take_lease(self, board_id):
        """Take the board's lease if no other process holds it; whether this process holds it now.
        A lease just taken refreshes what this process remembers of the board's tokens and code."""
        with self._lease_lock:
            if board_id in self._leases:
                return True

            def lock():
                for attempt in (1, 2):
                    try:
                        with self._lease_connection().cursor() as cursor:
                            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lease_key(board_id)])
                            return cursor.fetchone()[0]
                    except psycopg2.OperationalError:
                        # A lease session the database closed (a restart): its leases are lost
                        # (_lease_connection says so), and a new session asks again.
                        self._lease_conn.close()
                        if attempt == 2:
                            raise
            if not self._call(lock):
                return False
            self._leases.add(board_id)
            self._lost.discard(board_id)
        self._refresh_board(board_id)
        return True

    def release_lease(self, board_id):
        """Give up the board's lease (if this process still holds it)."""
        with self._lease_lock:
            if board_id not in self._leases:
                return
            self._leases.discard(board_id)
            if self._lease_conn is None or self._lease_conn.closed:
                return

            def unlock():
                with self._lease_conn.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lease_key(board_id)])
            try:
                self._call(unlock)
            except StoreError:
                pass  # the session is gone: so is the lock

    def holds_lease(self, board_id):
        """Whether this process believes it holds the board's lease (each write checks it for real)."""
        return board_id in self._leases

    def lost_leases(self):
        """The boards whose lease this process lost since last asked (its lease session ended): their
        rooms must go. One round trip on the lease session, run every few seconds by run.py."""
        self._check_lease_session()
        with self._lease_lock:
            lost, self._lost = sorted(self._lost), set()
        return lost

    def _check_lease_session(self):
        """Ask the lease session whether it still lives; when it does not, every lease it held is lost
        (no longer `holds_lease`, and told by `lost_leases`)."""
        with self._lease_lock:
            if self._leases and self._lease_conn is not None and not self._lease_conn.closed:
                def ping():
                    with self._lease_conn.cursor() as cursor:
                        cursor.execute("SELECT 1")
                try:
                    ping() if _is_green() else self._run_blocking(ping)
                except (psycopg2.Error, OSError):
                    self._lease_conn.close()  # the session is gone: counted as lost below
            if self._lease_conn is not None and self._lease_conn.closed:
                if self._leases:
                    log.warning("the database session holding this process's leases is gone: %d boards lost",
                                len(self._leases))
                self._lost |= self._leases
                self._leases = set()
                self._lease_conn = None

    def _check_lease(self, cursor, board_id):
        """In the write's transaction: the lease session still holds the board's advisory lock."""
        conn = self._lease_conn
        if board_id not in self._leases or conn is None or conn.closed:
            raise LeaseLost(f"this process does not hold the lease of board {board_id}")
        key = lease_key(board_id)
        cursor.execute("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %s "
                       "AND classid = %s AND objid = %s AND objsubid = 1",
                       [conn.get_backend_pid(), key >> 32, key & 0xFFFF_FFFF])
        if cursor.fetchone() is None:
            raise LeaseLost(f"the lease of board {board_id} is no longer this process's")

    def _refresh_board(self, board_id):
        """Forget what this process remembered of a board's tokens and read them again: another
        process may have revoked or added some while it held the board."""
        rows = self._query("SELECT token_hash, board_id, participant_id, role FROM credentials WHERE board_id = %s",
                           [board_id])
        kept = {h: c for h, c in self._credentials.items() if c.board_id != board_id}
        kept.update((row[0], Credential(*row)) for row in rows)
        self._credentials = kept

    # -- writes

    def create_board(self, board_id, format_id, join_code, first_event, credentials, link_generation=0,
                     then=(), desk_hash=None):
        """Write a new board, its first events and first tokens (and its place on a desk) in one
        transaction; the board's lease is taken first, so its maker is its writer."""
        if not self.take_lease(board_id):
            raise LeaseLost(f"board {board_id} is held by another process")

        def write(cursor):
            cursor.execute("INSERT INTO boards (id, format_id, join_code, created_at, link_generation) "
                           "VALUES (%s, %s, %s, %s, %s)",
                           [board_id, format_id, join_code, first_event.at, link_generation])
            self._insert_events(cursor, board_id, [first_event, *then])
            self._insert_credentials(cursor, credentials)
            if desk_hash is not None:
                self._put_on_desk(cursor, desk_hash, board_id, first_event.at)
        self._transaction(write, fenced_board=board_id)
        self._board_by_code[join_code] = board_id
        self._code_of_board[board_id] = join_code
        self._remember(credentials)

    def append(self, board_id, events, credentials=(), rewrites=()):
        """Write a batch of events (and tokens, and the rewrites of earlier events a batch asks for,
        see store.Store.append) in one transaction, fenced by the board's lease. A version already
        in the log means another process wrote the board: LeaseLost."""
        def write(cursor):
            self._insert_events(cursor, board_id, events)
            self._insert_credentials(cursor, credentials)
            for rewrite in rewrites:
                self._rewrite_events(cursor, board_id, rewrite)
        try:
            self._transaction(write, fenced_board=board_id)
        except LeaseLost:
            raise
        except VersionConflict as conflict:
            raise LeaseLost(f"a stale write to board {board_id}: {conflict}") from conflict
        self._remember(credentials)
        for rewrite in rewrites:
            if rewrite.revoke is not None:
                self._forget_credentials(lambda c: c.board_id == board_id and c.participant_id == rewrite.revoke)

    def _rewrite_events(self, cursor, board_id, rewrite):
        cursor.execute("SELECT version, type, data FROM events WHERE board_id = %s AND version < %s "
                       "AND type = ANY(%s)", [board_id, rewrite.before, sorted(rewrite.types)])
        changed = []
        for version, kind, data in cursor.fetchall():
            new = rewrite.apply(kind, json.loads(data))
            if new is not None:
                changed.append((json.dumps(new, ensure_ascii=False), board_id, version))
        cursor.executemany("UPDATE events SET data = %s WHERE board_id = %s AND version = %s", changed)
        if rewrite.revoke is not None:
            cursor.execute("DELETE FROM credentials WHERE board_id = %s AND participant_id = %s",
                           [board_id, rewrite.revoke])

    def delete_board(self, board_id):
        """Delete a board, its log, its tokens and its place on desks in one transaction; then give up
        its lease. True if the board existed."""
        def write(cursor):
            cursor.execute("DELETE FROM events WHERE board_id = %s", [board_id])
            cursor.execute("DELETE FROM credentials WHERE board_id = %s", [board_id])
            cursor.execute("DELETE FROM desk_boards WHERE board_id = %s", [board_id])
            cursor.execute("DELETE FROM campaign_boards WHERE board_id = %s", [board_id])  # out of its campaign
            cursor.execute("DELETE FROM boards WHERE id = %s", [board_id])
            return cursor.rowcount > 0
        existed = self._transaction(write, fenced_board=board_id)
        self._forget_credentials(lambda c: c.board_id == board_id)
        code = self._code_of_board.pop(board_id, None)
        self._board_by_code.pop(code, None)
        self.release_lease(board_id)
        return existed

    def scrub(self):
        """Nothing to do here: PostgreSQL reuses a deleted row's space after autovacuum; the data
        directory's disk is the administrator's to protect (docs/deployment.md)."""

    def add_credentials(self, credentials):
        """Write new tokens for existing members."""
        credentials = list(credentials)
        if not credentials:
            return
        self._transaction(lambda cursor: self._insert_credentials(cursor, credentials),
                          fenced_board=credentials[0].board_id)
        self._remember(credentials)

    def replace_facilitator_links(self, board_id, generation, credentials):
        """Move a board to the next link generation in one transaction (store.Store's, same contract)."""
        def write(cursor):
            cursor.execute("UPDATE boards SET link_generation = %s WHERE id = %s AND link_generation = %s",
                           [generation + 1, board_id, generation])
            if cursor.rowcount != 1:
                raise VersionConflict(f"board {board_id} is not at link generation {generation}")
            cursor.execute("DELETE FROM credentials WHERE board_id = %s AND role = ANY(%s)",
                           [board_id, list(FACILITATOR_ROLES)])
            self._insert_credentials(cursor, credentials)
        self._transaction(write, fenced_board=board_id)
        self._forget_credentials(lambda c: c.board_id == board_id and c.role in FACILITATOR_ROLES)
        self._remember(credentials)

    # -- desks

    @staticmethod
    def _put_on_desk(cursor, desk_hash, board_id, at):
        cursor.execute("INSERT INTO desks (token_hash, created_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                       [desk_hash, at])
        cursor.execute("INSERT INTO desk_boards (desk_hash, board_id, added_at) VALUES (%s, %s, %s) "
                       "ON CONFLICT DO NOTHING", [desk_hash, board_id, at])

    def add_desk(self, desk_hash, at):
        """Write a new desk (its secret's hash)."""
        self._transaction(lambda cursor: cursor.execute(
            "INSERT INTO desks (token_hash, created_at) VALUES (%s, %s) ON CONFLICT DO NOTHING", [desk_hash, at]))

    def put_on_desk(self, desk_hash, board_id, at):
        """Put an existing board on a desk (made if new)."""
        self._transaction(lambda cursor: self._put_on_desk(cursor, desk_hash, board_id, at))

    def desk_exists(self, desk_hash):
        """Whether a desk has this secret's hash."""
        return bool(self._query("SELECT 1 FROM desks WHERE token_hash = %s", [desk_hash]))

    def desk_board_ids(self, desk_hash):
        """The ids of the boards on a desk, the newest first."""
        return [row[0] for row in self._query(
            "SELECT board_id FROM desk_boards WHERE desk_hash = %s ORDER BY added_at DESC, board_id", [desk_hash])]

    def desk_of_board(self, board_id):
        """The hash of the desk a board is on, or None."""
        rows = self._query("SELECT desk_hash FROM desk_boards WHERE board_id = %s ORDER BY added_at LIMIT 1",
                           [board_id])
        return rows[0][0] if rows else None

    def save_template(self, desk_hash, template_id, name, document, at):
        """Keep a template (its document, JSON-ready) on a desk."""
        text = json.dumps(document, ensure_ascii=False)
        self._transaction(lambda cursor: cursor.execute(
            "INSERT INTO desk_templates (id, desk_hash, name, document, created_at) VALUES (%s, %s, %s, %s, %s)",
            [template_id, desk_hash, name, text, at]))

    def desk_templates(self, desk_hash):
        """The templates of a desk, the newest first: [{id, name, document, created_at}]."""
        rows = self._query("SELECT id, name, document, created_at FROM desk_templates WHERE desk_hash = %s "
                           "ORDER BY created_at DESC, id", [desk_hash])
        return [{"id": i, "name": n, "document": json.loads(d), "created_at": at} for i, n, d, at in rows]

    def delete_template(self, desk_hash, template_id):
        """Delete a desk's template; True if that desk had it."""
        def write(cursor):
            cursor.execute("DELETE FROM desk_templates WHERE id = %s AND desk_hash = %s", [template_id, desk_hash])
            return cursor.rowcount > 0
        return self._transaction(write)

    # -- campaigns (board/campaigns.py): store.Store's campaign section, the same tables and contract

    def create_campaign(self, campaign_id, token_hash_, name, template, desk_hash, at):
        """Write a new campaign: its secret's hash, its name and its handout (a template document)."""
        text = json.dumps(template, ensure_ascii=False)
        self._transaction(lambda cursor: cursor.execute(
            "INSERT INTO campaigns (id, token_hash, name, template, desk_hash, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)", [campaign_id, token_hash_, name, text, desk_hash, at]))

    def _campaign_rows(self, where, args):
        rows = self._query(f"SELECT id, token_hash, name, template, desk_hash, created_at FROM campaigns "
                           f"WHERE {where} ORDER BY created_at DESC, id", args)
        return [{"id": i, "token_hash": h, "name": n, "template": json.loads(t), "desk_hash": d, "created_at": at}
                for i, h, n, t, d, at in rows]

    def campaign_by_token(self, token_hash_):
        """The campaign whose coordinator secret has this hash, or None."""
        rows = self._campaign_rows("token_hash = %s", [token_hash_])
        return rows[0] if rows else None

    def campaign(self, campaign_id):
        """A campaign by its id, or None."""
        rows = self._campaign_rows("id = %s", [campaign_id])
        return rows[0] if rows else None

    def desk_campaigns(self, desk_hash):
        """The campaigns created from a desk, the newest first."""
        return self._campaign_rows("desk_hash = %s", [desk_hash])

    def add_campaign_board(self, entry):
        """Add a board to a campaign (store.Store.add_campaign_board); VersionConflict when it has it already."""
        row = {**entry, "document": None if entry["document"] is None else json.dumps(entry["document"],
                                                                                      ensure_ascii=False)}
        columns = CAMPAIGN_BOARD_COLUMNS
        self._transaction(lambda cursor: cursor.execute(
            f"INSERT INTO campaign_boards ({', '.join(columns)}) VALUES ({', '.join('%s' for _ in columns)})",
            [row[c] for c in columns]))

    def campaign_boards(self, campaign_id):
        """A campaign's boards in the order they came in: the dicts add_campaign_board wrote."""
        rows = self._query(f"SELECT {', '.join(CAMPAIGN_BOARD_COLUMNS)} FROM campaign_boards "
                           "WHERE campaign_id = %s ORDER BY added_at, entry_id", [campaign_id])
        return [{**dict(zip(CAMPAIGN_BOARD_COLUMNS, row)), "document": None if row[7] is None else json.loads(row[7])}
                for row in rows]

    def append_campaign_event(self, campaign_id, kind, data, at):
        """Append one command's event to a campaign's log, numbered after the last; its number. Two at
        once would take the same number: the primary key refuses the second (VersionConflict)."""
        text = json.dumps(data, ensure_ascii=False)

        def write(cursor):
            cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM campaign_events WHERE campaign_id = %s", [campaign_id])
            seq = cursor.fetchone()[0] + 1
            cursor.execute("INSERT INTO campaign_events (campaign_id, seq, type, data, at) VALUES (%s, %s, %s, %s, %s)",
                           [campaign_id, seq, kind, text, at])
            return seq
        return self._transaction(write)

    def campaign_events(self, campaign_id):
        """A campaign's log, oldest first: [{seq, type, data, at}]."""
        rows = self._query("SELECT seq, type, data, at FROM campaign_events WHERE campaign_id = %s ORDER BY seq",
                           [campaign_id])
        return [{"seq": n, "type": t, "data": json.loads(d), "at": at} for n, t, d, at in rows]

    # -- helpers

    def _remember(self, credentials):
        for credential in credentials:
            self._credentials[credential.token_hash] = credential

    def _forget_credentials(self, matches):
        self._credentials = {token_hash: credential for token_hash, credential in self._credentials.items()
                             if not matches(credential)}

    @staticmethod
    def _insert_events(cursor, board_id, events):
        cursor.executemany(
            "INSERT INTO events (board_id, version, type, data, actor, command_id, at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(board_id, e.version, e.type, json.dumps(e.data, ensure_ascii=False), e.actor, e.command_id, e.at)
             for e in events])

    @staticmethod
    def _insert_credentials(cursor, credentials):
        cursor.executemany(
            "INSERT INTO credentials (token_hash, board_id, participant_id, role) VALUES (%s, %s, %s, %s)",
            [(c.token_hash, c.board_id, c.participant_id, c.role) for c in credentials])

    # -- reads

    def load_events(self, board_id, since=0):
        """The board's events after version `since`, oldest first."""
        rows = self._query("SELECT version, type, data, actor, at, command_id FROM events "
                           "WHERE board_id = %s AND version > %s ORDER BY version", [board_id, since])
        return [Event(v, t, json.loads(d), a, at, cid) for v, t, d, a, at, cid in rows]

    def board_ids(self):
        """Every board's id in the database, oldest first."""
        return [row[0] for row in self._query("SELECT id FROM boards ORDER BY created_at, id")]

    def board_exists(self, board_id):
        """Whether the database has this board."""
        return bool(self._query("SELECT 1 FROM boards WHERE id = %s", [board_id]))

    def link_generation(self, board_id):
        """A board's facilitator link generation (0: an old random token, not printable again)."""
        rows = self._query("SELECT link_generation FROM boards WHERE id = %s", [board_id])
        return rows[0][0] if rows else 0

    def last_activity(self):
        """{board id: time of its last event}, for every board."""
        return dict(self._query("SELECT board_id, MAX(at) FROM events GROUP BY board_id"))

    def last_change(self, board_id):
        """The time of a board's last event, or None when there is no such board."""
        return self._query("SELECT MAX(at) FROM events WHERE board_id = %s", [board_id])[0][0]

    def synthesis_editions(self):
        """{board id: edition} of every board whose synthesis is published now: the last publication
        event of each board, read from the log without loading any board (its link is derived from it)."""
        rows = self._query("SELECT DISTINCT ON (board_id) board_id, type, data FROM events "
                           "WHERE type IN ('synthesis_published', 'synthesis_unpublished') "
                           "ORDER BY board_id, version DESC")
        return {board_id: json.loads(data)["edition"] for board_id, kind, data in rows
                if kind == "synthesis_published"}

    def board_by_code(self, join_code):
        """The id of the board a join code opens, or None."""
        board_id = self._board_by_code.get(join_code)
        if board_id is None and isinstance(join_code, str):
            rows = self._query("SELECT id FROM boards WHERE join_code = %s", [join_code])
            if rows:
                board_id = self._board_by_code[join_code] = rows[0][0]
                self._code_of_board[board_id] = join_code
        return board_id

    def join_code(self, board_id):
        """The join code of a board, or None."""
        code = self._code_of_board.get(board_id)
        if code is None:
            rows = self._query("SELECT join_code FROM boards WHERE id = %s", [board_id])
            if rows:
                code = self._code_of_board[board_id] = rows[0][0]
                self._board_by_code[code] = board_id
        return code

    def credential(self, token_hash):
        """The Credential a token hash opens, or None."""
        credential = self._credentials.get(token_hash)
        if credential is None and isinstance(token_hash, str):
            rows = self._query("SELECT token_hash, board_id, participant_id, role FROM credentials "
                               "WHERE token_hash = %s", [token_hash])
            if rows:
                credential = self._credentials[token_hash] = Credential(*rows[0])
        return credential

    def close(self):
        """Free every lease, then close the lease session and the pool; the database keeps everything.
        When close returns, another process can take this one's boards at once."""
        with self._lease_lock:
            conn = self._lease_conn
            if conn is not None and not conn.closed:
                if self._leases:
                    # PostgreSQL frees a closed session's locks only once its backend has exited, some
                    # time after the client hung up (long on a loaded machine): a process asking for
                    # the board meanwhile would be refused it. Unlocked here, they are free on return.
                    def unlock_all():
                        with conn.cursor() as cursor:
                            cursor.execute("SELECT pg_advisory_unlock_all()")
                    try:
                        unlock_all() if _is_green() else self._run_blocking(unlock_all)
                    except (psycopg2.Error, OSError):
                        pass  # the session is already gone: its locks go with its backend
                conn.close()
            self._lease_conn, self._leases = None, set()
        self._pool.close()


def open_store(database, run_blocking=None):
    """The store a --database value names: PostgreSQL for a postgresql:// URL, else a SQLite file."""
    if is_database_url(database):
        return PostgresStore(str(database), run_blocking=run_blocking)
    from .store import Store
    return Store(database, run_blocking=run_blocking)
