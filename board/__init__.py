"""Atelier: a self-hosted, real-time collaborative workshop board."""
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from . import protocol, views
from .sockets import close_board, publish, socketio
from .store import Store
from .workshops import Workshops

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Services:
    """What the HTTP views and socket handlers share: the workshops and live connections."""

    workshops: Workshops
    connections: dict = field(default_factory=dict)  # socket id -> Connection
    # board id -> {socket id: Connection}: a board's broadcast never walks other boards' sockets
    by_board: dict = field(default_factory=dict)

    def add(self, conn):
        """Register a connected socket."""
        self.connections[conn.sid] = conn
        self.by_board.setdefault(conn.board_id, {})[conn.sid] = conn

    def remove(self, sid):
        """Forget a socket; the Connection, or None if it was not registered."""
        conn = self.connections.pop(sid, None)
        if conn is not None:
            self.by_board.get(conn.board_id, {}).pop(sid, None)
        return conn

    def on_board(self, board_id):
        """The connections of one board, as a list safe to walk while others come and go."""
        return list(self.by_board.get(board_id, {}).values())


def create_app(config=None):
    """Build the Flask app and bind Socket.IO to it; `config` overrides the defaults."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    # 1. Defaults, then the caller's settings (a test passes a temporary DATABASE).
    app.config.from_mapping(
        DATABASE=str(ROOT / "data" / "atelier.db"),
        ASYNC_MODE=None,  # None: the best mode installed; run.py picks eventlet
        RUN_BLOCKING=None,  # how to run a blocking commit off the event loop
        ALLOWED_ORIGINS=(),  # origins allowed besides the board's own
        JOIN_RATE=(2.0, 60),  # joins per second and burst, per address
    )
    app.config.update(config or {})
    # 2. The store and the rooms of every board it holds.
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    store = Store(app.config["DATABASE"], run_blocking=app.config["RUN_BLOCKING"])
    services = Services(workshops=None)
    services.workshops = Workshops(store, publish=lambda board_id, event: publish(services, board_id, event),
                                   closed=lambda board_id: close_board(services, board_id))
    app.extensions["atelier"] = services
    # 3. HTTP pages and API.
    views.register(app)
    # 4. Socket.IO: same-origin (plus an explicit allowlist), never '*'; small packets only.
    extra_origins = tuple(app.config["ALLOWED_ORIGINS"])
    if "*" in extra_origins:
        raise ValueError("ALLOWED_ORIGINS may not contain '*'")
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                      cors_allowed_origins=lambda origin, environ: _same_origin(origin, environ, extra_origins),
                      max_http_buffer_size=protocol.MAX_MESSAGE_BYTES, logger=False, engineio_logger=False)
    return app


def _same_origin(origin, environ, extra_origins):
    """A browser's Origin must be the address it loaded the board from, or listed."""
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    return origin == own or origin in extra_origins
