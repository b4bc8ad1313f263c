"""Start the Atelier board server on this machine's network.

    python run.py [--host 0.0.0.0] [--port 5000] [--db data/atelier.db]

Creates the demo Atelier Compétences board on first start; every start prints the
facilitator link, join code and projector link of the workshops in progress with
the LAN address, without minting new links or writing to the database.
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


def origin_argument(text):
    """An --allow-origin value, in the form browsers send (scheme://host[:port]), or a clear refusal."""
    from board.security import normalise_origin
    origin = normalise_origin(text)
    if origin is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an origin like http://atelier.local:5000")
    return origin


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Atelier workshop board server")
    parser.add_argument("--host", default="0.0.0.0", help="interface to bind (default: all, for the venue's laptops)")
    parser.add_argument("--port", type=int, default=5000, help="TCP port (default: 5000)")
    parser.add_argument("--db", default="data/atelier.db",
                        help="SQLite file that keeps every board (default: data/atelier.db)")
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "threading"),
                        help="server loop: eventlet (default, for a room of people) or threading (debugging)")
    parser.add_argument("--join-rate", type=float, default=2.0,
                        help="joins, creations and join QR codes per second per address (bursts of 30x that)")
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo workshop")
    parser.add_argument("--allow-origin", action="append", default=[], type=origin_argument, metavar="ORIGIN",
                        help="another address browsers open the board at, e.g. http://atelier.local:5000 "
                             "(repeatable; the printed address, 127.0.0.1 and localhost are always allowed)")
    parser.add_argument("--new-links", metavar="JOIN_CODE",
                        help="replace the facilitator and projector links of this workshop (a lost or leaked "
                             "link: the old ones stop working) and print the new ones")
    return parser.parse_args(argv)


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
    from board.startup import startup_lines
    from board.store import StoreError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host_for_links = lan_address() if args.host in ("0.0.0.0", "") else args.host
    public_url = f"http://{host_for_links}:{args.port}"
    try:
        app = create_app({"DATABASE": args.db, "ASYNC_MODE": args.async_mode, "RUN_BLOCKING": run_blocking,
                          "PUBLIC_URL": public_url, "HOST": args.host, "PORT": args.port,
                          "ALLOWED_ORIGINS": args.allow_origin,
                          "JOIN_RATE": (args.join_rate, int(30 * args.join_rate))})
    except StoreError as error:  # a database that cannot be opened at all: say why, in one line
        sys.exit(f"Atelier cannot start: {error}")
    # The links of the workshops in progress, told again: a start mints no secret and writes nothing.
    lines = startup_lines(app.extensions["atelier"].workshops, public_url, create_demo=not args.no_demo,
                          replace_links_of=args.new_links)
    print(f"Atelier is running at {public_url}/", flush=True)
    for line in lines:
        print(line, flush=True)
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
