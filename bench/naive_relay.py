"""The baseline for bench_drag.py: the naivest Flask-SocketIO relay, no rules, no store.

Every socket joins one room; a `drag` is re-emitted as `dragging` to the room's other sockets,
at once and unchanged (and a `command`, for bench_drop.py, as an `event`, then acknowledged). Served by eventlet with TCP_NODELAY on the listener, as run.py serves
Atelier, so the comparison measures the server and not Nagle's algorithm.
With `--message-queue redis://...` every emit goes through Flask-SocketIO's Redis message queue (published
to Redis, then sent to the sockets by the relay's own listener), as a board's broadcasts would if they
did not stay local: bench_cluster.py measures that hop's cost with it.
Usage: python bench/naive_relay.py PORT [--message-queue URL]  (listens on 127.0.0.1 only)
"""
import socket
import sys
import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

from eventlet import wsgi  # noqa: E402
from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

QUEUE = sys.argv[sys.argv.index("--message-queue") + 1] if "--message-queue" in sys.argv else None

app = Flask(__name__)
socketio = SocketIO(app, async_mode="eventlet", message_queue=QUEUE)


@app.get("/healthz")
def healthz():
    return "ok"


@socketio.on("connect")
def on_connect(auth=None):
    join_room("board")


@socketio.on("drag")
def on_drag(position):
    emit("dragging", position, to="board", include_self=False)


@socketio.on("command")
def on_command(message):
    """bench_drop.py's moves: re-emitted to the others as an `event` naming the command, then acknowledged."""
    emit("event", {"type": "card_moved", "command_id": message.get("id"), "data": message.get("data")},
         to="board", include_self=False)
    return {"ok": True}


if __name__ == "__main__":
    listener = eventlet.listen(("127.0.0.1", int(sys.argv[1])))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    wsgi.server(listener, app, log_output=False)
