"""Atelier: a self-hosted, real-time collaborative workshop board."""
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import fanout, http_campaign, http_chain, http_deck, http_documents, http_exports, http_grouping, protocol, views
from .security import SecurityHeaders, ServerOrigins
from .linkkey import LinkKey
from .presence import Roster
from .sockets import (after_answer, answer_closed_sessions, close_board, drop_board, hear_board_wanted, publish,
                      socketio)
from .store_pg import is_database_url, open_store
from .workshops import Workshops

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Services:
    """What the HTTP views and socket handlers share: the workshops and live connections."""

    workshops: Workshops
    connections: dict = field(default_factory=dict)  # socket id -> Connection
    # board id -> {socket id: Connection}: a board's broadcast never walks other boards' sockets
    by_board: dict = field(default_factory=dict)
    # who is online on each board, each member once, and the changes not yet told (presence.py)
    roster: Roster = field(default_factory=Roster)

    def add(self, conn):
        """Register a connected socket."""
        self.connections[conn.sid] = conn
        self.by_board.setdefault(conn.board_id, {})[conn.sid] = conn
        self.roster.arrive(conn.board_id, conn.participant_id)

    def remove(self, sid):
        """Forget a socket; the Connection, or None if it was not registered."""
        conn = self.connections.pop(sid, None)
        if conn is not None:
            self.by_board.get(conn.board_id, {}).pop(sid, None)
            self.roster.leave(conn.board_id, conn.participant_id)
        return conn

    def on_board(self, board_id):
        """The connections of one board, as a list safe to walk while others come and go."""
        return list(self.by_board.get(board_id, {}).values())


def _socketio_path():
    """Never reached: Engine.IO answers /socket.io/ before Flask (see create_app)."""
    return "", 404


def create_app(config=None):
    """Build the Flask app and bind Socket.IO to it; `config` overrides the defaults."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    # 1. Defaults, then the caller's settings (a test passes a temporary DATABASE).
    app.config.from_mapping(
        DATABASE=str(ROOT / "data" / "atelier.db"),
        ASYNC_MODE=None,  # None: the best mode installed; run.py picks eventlet
        RUN_BLOCKING=None,  # how to run a blocking commit off the event loop
        PUBLIC_URL=None,  # the address run.py announces (its links are built on it)
        HOST=None, PORT=None,  # where run.py listens; None: not run by run.py, loopback only
        ALLOWED_ORIGINS=(),  # origins allowed besides the server's own (run.py --allow-origin)
        JOIN_RATE=(2.0, 60),  # joins per second and burst, per address
        COMMAND_RATE=(protocol.COMMANDS_PER_SECOND, protocol.COMMAND_BURST),  # commands per second and burst, per connection
        LINK_KEY=None,  # the link key file; None: the database's path plus ".key"
        MESSAGE_QUEUE=None,  # a redis:// URL shared by a server's processes (docs/deployment.md); None: alone
        BEHIND_PROXY=False,  # True: the one proxy in front says the client's address (X-Forwarded-For)
    )
    app.config.update(config or {})
    # 2. The store and the rooms of every board it holds.
    # A postgresql:// URL: the store shared by several processes (store_pg.py); else a SQLite file.
    database = app.config["DATABASE"]
    if not is_database_url(database):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    store = open_store(database, run_blocking=app.config["RUN_BLOCKING"])
    services = Services(workshops=None)
    if app.config["LINK_KEY"] is None and is_database_url(database):
        raise ValueError("a PostgreSQL database needs LINK_KEY: the key file every process shares")
    link_key = LinkKey(app.config["LINK_KEY"] or str(database) + ".key")
    services.workshops = Workshops(store, publish=lambda board_id, events: publish(services, board_id, events),
                                   link_key=link_key, closed=lambda board_id: close_board(services, board_id),
                                   after_answer=after_answer, dropped=lambda board_id: drop_board(services, board_id))
    app.extensions["atelier"] = services
    # 3. HTTP pages and API.
    views.register(app)
    http_exports.register(app)
    http_documents.register(app)  # the board as a JSON file, and workshops made from one
    http_deck.register(app)  # the facilitator's deck import (preview, then one command)
    http_chain.register(app)  # a board's chosen cards as the deck of a new board
    http_grouping.register(app)  # suggested families for a zone's cards (read only)
    http_campaign.register(app)  # campaigns: boards of several territories grouped and compared
    # 4. Socket.IO: only from the server's own origins (announced, or listed), never '*'; small packets only.
    origins = ServerOrigins(app.config["PUBLIC_URL"], app.config["HOST"], app.config["PORT"],
                            tuple(app.config["ALLOWED_ORIGINS"]))
    app.extensions["atelier_origins"] = origins
    # Flask-SocketIO builds a request context for every socket message from the connection's
    # environ (/socket.io/). With no route there, each one raised and kept a NotFound whose traceback
    # forms a reference cycle: ~50 objects of cyclic garbage per message for the collector to find
    # (10,000 a collection at 1,000 sockets, bench/bench_busy_day.py). The Engine.IO middleware answers
    # /socket.io/ before Flask, so these rules (polling, websocket) only let the match succeed.
    app.add_url_rule("/socket.io/", endpoint="socketio_polling", methods=("GET", "POST"), view_func=_socketio_path)
    app.add_url_rule("/socket.io/", endpoint="socketio_websocket", websocket=True, view_func=_socketio_path)
    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                      cors_allowed_origins=lambda origin, _environ: origins.allows(origin),
                      max_http_buffer_size=protocol.MAX_MESSAGE_BYTES, logger=False, engineio_logger=False,
                      message_queue=app.config["MESSAGE_QUEUE"])
    if app.config["MESSAGE_QUEUE"]:
        hear_board_wanted(services)  # a board the proxy sends elsewhere now is let go (docs/deployment.md)
    # 5. Around everything, Socket.IO included: the security headers on every answer.
    app.wsgi_app = SecurityHeaders(answer_closed_sessions(fanout.without_compression(app.wsgi_app)), origins)
    if app.config["BEHIND_PROXY"]:
        # The proxy's own address is every client's otherwise: joins would be paced for all at once.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    return app
