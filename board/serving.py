"""Starting to serve: one server per port and per database file, descriptors, connection limits.

Standard library only, so every server loop uses it: run.py's eventlet loop (board/eventlet_server.py,
the production one), and the gevent and threading loops that bench/ compares with it. The
connection guards (ConnectionLimits, RefusalReport) are wired into the eventlet loop only.
"""
import errno
import fcntl
import gc
import logging
import os
import resource
import socket
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("atelier.serving")

# Descriptors kept out of the connections' reach: the database and its WAL, the thread pool's pipes,
# static files being sent, the log. Without them a full server could not even answer its own clients.
DESCRIPTOR_RESERVE_SHARE = 10  # percent of the limit
DESCRIPTOR_RESERVE_MIN = 48


@dataclass(frozen=True)
class ConnectionLimits:
    """How many sockets the server holds, and for how long a silent one.

    - first_request_seconds: a new connection must send one complete request (line and headers)
      within this time or be closed; it never applies once a request has come (a WebSocket or a
      long poll then lives as long as it likes).
    - keepalive_seconds: how long a connection may wait between two requests (a WebSocket is one
      long request, and Socket.IO polls every 25 s, so neither ever waits that long).
    - per_address: simultaneous connections from one client address. A browser opens up to six
      HTTP/1.1 connections to a server while a page loads, plus its WebSocket: 8 per device. A venue
      may put all 50 participants behind one NAT address (or a reverse proxy on this laptop), so
      8 × 50 = 400 keeps a full room working while one machine cannot take every descriptor.
    - max_connections: the server's total; None derives it from the descriptor limit.
    - refusal_log_seconds: at most one log line about refused or closed connections per this time.
    """

    first_request_seconds: float = 10.0
    keepalive_seconds: float = 75.0
    per_address: int = 400
    max_connections: int | None = None
    refusal_log_seconds: float = 10.0

    def total(self, descriptor_limit):
        """The total connections allowed under `descriptor_limit`, the reserve kept out."""
        if self.max_connections is not None:
            return self.max_connections
        reserve = max(DESCRIPTOR_RESERVE_MIN, descriptor_limit * DESCRIPTOR_RESERVE_SHARE // 100)
        return max(descriptor_limit - reserve, 1)


# Python collects its oldest generation after 10 collections of the middle one. A server holding
# 1,000 sockets has a heap of ~180 MB that each of those full passes walks: 100-350 ms during which
# nothing is served, every 4-12 s under the busy day's load (bench/bench_busy_day.py), most of its ack
# tail. Cyclic garbage is rare here (a socket message leaves next to none), so a full pass 10x less often costs
# little memory. (Start-up's objects are also frozen out of every pass: startup.settle_memory.)
FULL_COLLECTION_EVERY = 100  # middle-generation collections between two full ones (Python: 10)
# Collections of the youngest generation every this many net allocations (Python's default: 700).
# A young pass walks only the objects made since the last one: at 10,000 it stays well under a
# millisecond, and a broadcast to 200 sockets no longer triggers several of them in a row.
GC_YOUNG_THRESHOLD = 10_000
GC_MIDDLE_THRESHOLD = 10  # young passes between two middle ones (Python's default)


def tune_garbage_collector():
    """Make the collector's young passes and its full passes over the whole heap rarer; return the
    thresholds set."""
    gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, FULL_COLLECTION_EVERY)
    return gc.get_threshold()


def raise_descriptor_limit():
    """Raise this process's soft limit of open files to its hard limit; return (before, now)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard
    if hard == resource.RLIM_INFINITY:  # the kernel caps open files anyway: ask for its cap
        try:
            wanted = int(Path("/proc/sys/fs/nr_open").read_text())
        except (OSError, ValueError):
            wanted = 1 << 20
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError) as error:
            log.warning("could not raise the open-file limit from %s to %s: %s", soft, wanted, error)
    return soft, resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def bind_listener(host, port, backlog=256):
    """A listening TCP socket on (host, port), or SystemExit with a message saying why not.

    SO_REUSEADDR only (a restart may bind while the old sockets linger in TIME_WAIT); never
    SO_REUSEPORT, which lets a second server share the port and split the clients between two
    writers of one board.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(backlog)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise SystemExit(f"Atelier cannot start: port {port} is already in use on {host or 'every interface'}"
                             f" (another Atelier server, or another program). Stop it, or start with"
                             f" another --port.") from None
        raise SystemExit(f"Atelier cannot start: cannot listen on {host}:{port}: {error.strerror}.") from None
    # Small websocket frames must leave at once: without this, Nagle's algorithm and the peer's
    # delayed ACK add ~40 ms to every acknowledgement. Accepted sockets inherit it.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listener


_held_locks = []  # the lock files' descriptors, open (and so locked) for the process's life


def hold_database_lock(database):
    """Take the database's lock for this process's life, or SystemExit naming who holds it.

    Two servers on one database file would both write its boards (every second join then fails
    with a version conflict), so the second refuses to start, on any port. The lock is flock on
    `<database>.lock` (released by the kernel when the process ends, even on kill -9); where that
    file cannot be made (a read-only folder) the database file itself is locked.
    """
    database = Path(database)
    lock_path = database.with_name(database.name + ".lock")
    if not database.parent.is_dir():
        database.parent.mkdir(parents=True)
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM) or not database.exists():
            raise
        lock_path, descriptor = database, os.open(database, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(descriptor)
        os.close(descriptor)
        raise SystemExit(f"Atelier cannot start: another Atelier server{holder} already uses the database"
                         f" {database}. One database has one server: stop the other one, or start with"
                         f" another --db.") from None
    if lock_path != database:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
    _held_locks.append(descriptor)
    return lock_path


def _read_holder(descriptor):
    """' (pid N)' from a lock file, or '' when it names nobody."""
    try:
        pid = os.pread(descriptor, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


class RefusalReport:
    """Connections refused or closed, said in the log in one line per interval, not one per socket.

    The first refusal after a quiet spell is logged at once; those that follow within `interval`
    seconds are counted and said together when it ends. `schedule(delay, fn)` runs fn later (a green
    thread under eventlet); `clock` is time.monotonic unless a test gives another.
    """

    def __init__(self, schedule, interval=10.0, clock=time.monotonic, logger=log):
        self.schedule, self.interval, self.clock, self.logger = schedule, interval, clock, logger
        self.counts = {}  # reason -> count since the last line
        self.addresses = {}  # reason -> a few addresses, in order of arrival
        self.last_line = None
        self.flush_pending = False

    def refused(self, reason, address=None):
        """Count one connection refused or closed for `reason` (a phrase, e.g. 'over the cap…')."""
        self.counts[reason] = self.counts.get(reason, 0) + 1
        if address is not None:
            seen = self.addresses.setdefault(reason, [])
            if address not in seen and len(seen) < 3:
                seen.append(address)
        if self.flush_pending:
            return
        now = self.clock()
        if self.last_line is None or now - self.last_line >= self.interval:
            self.flush()
        else:
            self.flush_pending = True
            self.schedule(self.last_line + self.interval - now, self.flush)

    def flush(self):
        """Log what was counted since the last line (nothing when nothing was)."""
        self.flush_pending = False
        if not self.counts:
            return
        parts = []
        for reason, count in self.counts.items():
            where = self.addresses.get(reason)
            parts.append(f"{count} {reason}" + (f" (from {', '.join(where)})" if where else ""))
        self.logger.warning("connections refused or closed: %s", "; ".join(parts))
        self.counts, self.addresses = {}, {}
        self.last_line = self.clock()


def serve_threading(listener, app):
    """Serve `app` with werkzeug's threaded server on `listener` (the --async-mode threading debug loop)."""
    from werkzeug.serving import make_server
    host, port = listener.getsockname()[:2]
    server = make_server(host, port, app, threaded=True, fd=listener.fileno())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_gevent(listener, app):
    """Serve `app` with gevent's WSGI server on `listener` (run.py --async-mode gevent, for bench/).

    Its websockets come from simple-websocket, as engineio does under gevent when gevent-websocket
    is not installed. None of ConnectionLimits' guards apply here: they live in the eventlet loop.
    """
    from gevent import pywsgi
    server = pywsgi.WSGIServer(listener, app, log=None)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop(timeout=1)
