"""Start the Atelier board server on this machine's network.

    python run.py [--host 0.0.0.0] [--port 5000] [--db data/atelier.db]

Creates the demo Atelier Compétences board on first start and prints its
facilitator link, join code and projector link with the LAN address.
"""
import argparse
import logging
import re
import socket
import sys
import warnings

SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,}")


# A browser that closes its tab while a page is still loading leaves the server writing to a closed
# socket: nothing went wrong on the server, so one quiet line says so instead of a traceback.
CLIENT_GONE = ("BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError")


class RedactingLog:
    """The access log, with anything shaped like a token replaced, and clients gone said in one line."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, line):
        last = line.strip().splitlines()[-1] if line.strip() else ""
        if line.startswith("Traceback") and last.startswith(CLIENT_GONE):
            line = f"a client left before its response was sent ({last.split(':')[0]})\n"
        self.stream.write(SECRET_PATTERN.sub("[secret]", line))
        self.stream.flush()

    def flush(self):
        self.stream.flush()


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


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Atelier workshop board server")
    parser.add_argument("--host", default="0.0.0.0", help="interface to bind (default: all, for the venue's laptops)")
    parser.add_argument("--port", type=int, default=5000, help="TCP port (default: 5000)")
    parser.add_argument("--db", default="data/atelier.db",
                        help="SQLite file that keeps every board (default: data/atelier.db)")
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "threading"),
                        help="server loop: eventlet (default, for a room of people) or threading (debugging)")
    parser.add_argument("--join-rate", type=float, default=2.0,
                        help="joins and creations per second per address (bursts of 30x that)")
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo workshop")
    parser.add_argument("--retention-days", type=float, default=None, metavar="N",
                        help="delete every workshop nobody changed for N days, at start and then "
                             "periodically (default: off, workshops are kept until deleted)")
    args = parser.parse_args(argv)
    if args.retention_days is not None and not args.retention_days > 0:
        parser.error("--retention-days must be a number of days above 0")
    return args


def retention_every(days):
    """How often the retention check runs: a tenth of the retention, between 1 s and 1 hour."""
    return min(3600.0, max(1.0, days * 86400 / 10))


def keep_retention(workshops, days, sleep):
    """Every retention_every(days) seconds, delete the workshops idle for `days` days."""
    log = logging.getLogger("atelier.retention")
    while True:
        sleep(retention_every(days))
        try:
            for board_id in workshops.delete_idle(days):
                log.info("retention: deleted workshop %s, unchanged for %g days", board_id, days)
        except Exception:  # a failed pass is tried again at the next one; the server keeps serving
            log.exception("retention: the pass failed")


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    run_blocking = None
    if args.async_mode == "eventlet":
        warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
        import eventlet
        eventlet.monkey_patch()
        from eventlet import tpool
        run_blocking = tpool.execute  # fsync in a real thread, so the event loop keeps serving

    from board import create_app
    from board.views import links

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host_for_links = lan_address() if args.host in ("0.0.0.0", "") else args.host
    public_url = f"http://{host_for_links}:{args.port}"
    app = create_app({"DATABASE": args.db, "ASYNC_MODE": args.async_mode, "RUN_BLOCKING": run_blocking,
                      "PUBLIC_URL": public_url,
                      "JOIN_RATE": (args.join_rate, int(30 * args.join_rate))})
    workshops = app.extensions["atelier"].workshops
    if args.retention_days is not None:
        # At start, before any link is printed: an expired workshop's links must not be shown.
        for board_id in workshops.delete_idle(args.retention_days):
            print(f"Retention: deleted workshop {board_id}, unchanged for {args.retention_days:g} days", flush=True)
        from board import socketio
        socketio.start_background_task(keep_retention, workshops, args.retention_days, socketio.sleep)
    board_ids = workshops.board_ids()
    if not board_ids and not args.no_demo:
        info = workshops.create("atelier-competences")
    elif board_ids:
        info = workshops.new_links(board_ids[-1])
    else:
        info = None
    print(f"Atelier is running at {public_url}/", flush=True)
    if info:
        board_links = links(info, public_url)
        print(f"  Facilitator link (keep it secret): {board_links['facilitator_url']}")
        print(f"  Join code: {board_links['join_code']}   join link: {board_links['join_url']}")
        print(f"  Projector link: {board_links['projector_url']}", flush=True)
    print("Press Ctrl+C to stop; everything is kept in the database file.", flush=True)

    if args.async_mode == "eventlet":
        import eventlet.wsgi
        listener = eventlet.listen((args.host, args.port))
        # Small websocket frames must leave at once: without this, Nagle's algorithm and the
        # peer's delayed ACK add ~40 ms to every acknowledgement. Accepted sockets inherit it.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            eventlet.wsgi.server(listener, app, log=RedactingLog(sys.stderr), log_output=True)
        except KeyboardInterrupt:
            print("Atelier stopped.", flush=True)
    else:
        from board import socketio
        socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
