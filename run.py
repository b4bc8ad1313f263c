"""Start the Atelier board server on this machine's network.

    python run.py [--host 0.0.0.0] [--port 5000] [--db data/atelier.db]
    python run.py --database postgresql://user@host/db --link-key /etc/atelier/link.key   (shared server)

Creates the demo Atelier Compétences board on first start; every start prints the
facilitator link, join code and projector link of the workshops in progress with
the LAN address, without minting new links or writing to the database.
"""
import argparse
import importlib.util
import logging
import os
import socket
import sys
import warnings
from pathlib import Path


def lan_address():
    """The address other machines on the venue's network can reach (no packet is sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET address: connect() on UDP only picks a route
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _security_module():
    """board/security.py alone (it uses the standard library only): importing the board package here
    would import Flask before eventlet's monkey patching, whose lock upgrade then trips over Flask's
    context proxies (a traceback at every start with --allow-origin, as behind nginx)."""
    spec = importlib.util.spec_from_file_location("_atelier_security_alone",
                                                  Path(__file__).resolve().parent / "board" / "security.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def origin_argument(text):
    """An --allow-origin value, in the form browsers send (scheme://host[:port]), or a clear refusal."""
    origin = _security_module().normalise_origin(text)
    if origin is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an origin like http://atelier.local:5000")
    return origin


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Atelier workshop board server")
    parser.add_argument("--host", default="0.0.0.0", help="interface to bind (default: all, for the venue's laptops)")
    parser.add_argument("--port", type=int, default=5000, help="TCP port (default: 5000)")
    parser.add_argument("--db", "--database", dest="db", default=os.environ.get("ATELIER_DATABASE", "data/atelier.db"),
                        help="where every board is kept: a SQLite file (default: data/atelier.db), or a "
                             "postgresql:// URL for a server of several processes sharing one database, "
                             "each board written by the one holding its lease (docs/deployment.md); "
                             "default from ATELIER_DATABASE when set")
    parser.add_argument("--link-key", default=os.environ.get("ATELIER_LINK_KEY"),
                        help="the key file facilitator links are derived from (default: the SQLite file's "
                             "name plus .key); needed with a postgresql:// database, the same file for "
                             "every process; default from ATELIER_LINK_KEY when set")
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "gevent", "threading"),
                        help="server loop: eventlet (default, the production server, for a room of people); "
                             "gevent (its own WSGI server, websockets by simple-websocket; installed with "
                             "requirements-dev.txt) or threading (werkzeug, debugging) to compare them in "
                             "bench/. The connection guards below (first-request timeout, per-address cap, "
                             "total cap) apply under eventlet only")
    parser.add_argument("--join-rate", type=float, default=2.0,
                        help="joins, creations and join QR codes per second per address (bursts of 30x that)")
    parser.add_argument("--command-rate", type=float, default=None, metavar="N",
                        help="commands per second per connection, with bursts of twice that (default: the "
                             "board's, 50, far above what a person sends); the benchmarks raise it so that the "
                             "commit rate they measure is the server's, not this limit's")
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo workshop")
    parser.add_argument("--allow-origin", action="append", default=[], type=origin_argument, metavar="ORIGIN",
                        help="another address browsers open the board at, e.g. http://atelier.local:5000 "
                             "(repeatable; the printed address, 127.0.0.1 and localhost are always allowed)")
    parser.add_argument("--new-links", metavar="JOIN_CODE",
                        help="replace the facilitator and projector links of this workshop (a lost or leaked "
                             "link: the old ones stop working) and print the new ones")
    parser.add_argument("--first-request-timeout", type=float, default=10.0,
                        help="seconds a new connection has to send its first request before it is closed (eventlet only)")
    parser.add_argument("--keepalive-timeout", type=float, default=75.0,
                        help="seconds a connection may wait between two requests (never a live WebSocket)")
    parser.add_argument("--per-address", type=int, default=400,
                        help="simultaneous connections per client address (default 400: 50 devices behind one NAT; "
                             "eventlet only)")
    parser.add_argument("--max-connections", type=int, default=None,
                        help="simultaneous connections in all (default: the open-file limit less a reserve; eventlet only)")
    parser.add_argument("--refusal-log-interval", type=float, default=10.0,
                        help="seconds between two log lines about refused or closed connections")
    parser.add_argument("--retention-days", type=float, default=None, metavar="N",
                        help="delete every workshop nobody changed for N days, at start and then "
                             "periodically (default: off, workshops are kept until deleted)")
    # Behind nginx in front of several processes (docs/deployment.md, `make cluster`).
    parser.add_argument("--public-url", default=None,
                        help="the address links are printed and handed out with, when people reach the board "
                             "through a proxy (e.g. http://atelier.example); default: this process's own address")
    parser.add_argument("--message-queue", default=None,
                        help="a redis:// URL shared by every process of a server: what one process emits to "
                             "a board served by another goes through it (docs/deployment.md)")
    parser.add_argument("--behind-proxy", action="store_true",
                        help="trust the one proxy in front for the client's address (X-Forwarded-For), so "
                             "joins are paced per person's address, not per proxy")
    args = parser.parse_args(argv)
    if args.db.startswith(("postgresql://", "postgres://")) and not args.link_key:
        parser.error("a postgresql:// database needs --link-key: the key file every process of the server shares")
    if args.retention_days is not None and not args.retention_days > 0:
        parser.error("--retention-days must be a number of days above 0")
    return args


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    run_blocking = None
    if args.async_mode == "eventlet":
        warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
        import eventlet
        eventlet.monkey_patch()
        from eventlet import tpool
        run_blocking = tpool.execute  # fsync in a real thread, so the event loop keeps serving
        if args.db.startswith(("postgresql://", "postgres://")):
            from eventlet.support import psycopg2_patcher
            psycopg2_patcher.make_psycopg_green()  # PostgreSQL calls wait through eventlet: one green thread each
    elif args.async_mode == "gevent":
        from gevent import monkey
        monkey.patch_all()  # before board is imported: its locks and sockets must be gevent's
        import gevent

        def run_blocking(fn, *fn_args):  # as tpool.execute: fsync in a real thread, the hub keeps serving
            return gevent.get_hub().threadpool.apply(fn, fn_args)

    from board import create_app, logs, serving
    from board.startup import settle_memory, startup_lines
    from board.store import StoreError
    from board.store_pg import is_database_url
    shared = is_database_url(args.db)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logs.redact_logging()
    # One writer per board: this database file and this port are ours, or we stop here.
    if not shared:  # on PostgreSQL each board has its own lease, taken by the process that loads it
        serving.hold_database_lock(args.db)
    listener = serving.bind_listener(args.host, args.port)
    descriptors_before, descriptor_limit = serving.raise_descriptor_limit()
    logging.getLogger("atelier.serving").info("open-file limit: %d (was %d)", descriptor_limit, descriptors_before)
    logging.getLogger("atelier.serving").info("garbage collector thresholds: %s", serving.tune_garbage_collector())
    host_for_links = lan_address() if args.host in ("0.0.0.0", "") else args.host
    public_url = (args.public_url or f"http://{host_for_links}:{args.port}").rstrip("/")
    try:
        app = create_app({"DATABASE": args.db, "ASYNC_MODE": args.async_mode, "RUN_BLOCKING": run_blocking,
                          "PUBLIC_URL": public_url, "HOST": args.host, "PORT": args.port,
                          "ALLOWED_ORIGINS": args.allow_origin, "LINK_KEY": args.link_key,
                          "MESSAGE_QUEUE": args.message_queue, "BEHIND_PROXY": args.behind_proxy,
                          "JOIN_RATE": (args.join_rate, int(30 * args.join_rate)),
                          **({"COMMAND_RATE": (args.command_rate, 2 * args.command_rate)}
                             if args.command_rate is not None else {})})
    except StoreError as error:  # a database that cannot be opened at all: say why, in one line
        sys.exit(f"Atelier cannot start: {error}")
    workshops = app.extensions["atelier"].workshops
    if shared:  # a lease lost with its database session: that board's room goes, its sockets reconnect
        from board import socketio
        from board.leases import watch_leases
        socketio.start_background_task(watch_leases, workshops, socketio.sleep)
    if args.retention_days is not None and not workshops.store.read_only:
        # At start, before any link is printed: an expired workshop's links must not be shown.
        for board_id in workshops.delete_idle(args.retention_days):
            print(f"Retention: deleted workshop {board_id}, unchanged for {args.retention_days:g} days", flush=True)
        from board import socketio
        from board.retention import keep_retention
        socketio.start_background_task(keep_retention, workshops, args.retention_days, socketio.sleep)
    # The links of the workshops in progress, told again: a start mints no secret and writes nothing.
    lines = startup_lines(workshops, public_url, create_demo=not args.no_demo, replace_links_of=args.new_links)
    print(f"Atelier is running at {public_url}/", flush=True)
    for line in lines:
        print(line, flush=True)
    print("Press Ctrl+C to stop; everything is kept in the database" + ("." if shared else " file."), flush=True)

    settle_memory()  # after everything start-up loads, before the first connection (see its docstring)
    limits = serving.ConnectionLimits(first_request_seconds=args.first_request_timeout,
                                      keepalive_seconds=args.keepalive_timeout,
                                      per_address=args.per_address, max_connections=args.max_connections,
                                      refusal_log_seconds=args.refusal_log_interval)
    try:
        if args.async_mode == "eventlet":
            from board import eventlet_server
            eventlet_server.serve(listener, app, limits, descriptor_limit, logs.RedactingLog(sys.stderr))
        elif args.async_mode == "gevent":
            serving.serve_gevent(listener, app)
        else:
            serving.serve_threading(listener, app)
    except KeyboardInterrupt:
        pass
    print("Atelier stopped.", flush=True)


if __name__ == "__main__":
    main()
