"""Socket.IO handlers: parse, hand to the board's room, reply.

Identity and board come from the connection's token, never from a payload.
No rules live here: the room decides, this layer only carries.
"""
import json
import logging
import time
from dataclasses import dataclass, field

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room

from . import protocol as p
from .domain import InvalidCommand, Rejection, SERVER_ONLY, parse_command
from .domain.commands import fraction, identifier
from .domain.errors import BAD_REQUEST, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_LARGE, UNAUTHORIZED, UNAVAILABLE
from .domain.model import PROJECTOR
from .domain.visibility import SENSITIVE_EVENTS
from .limits import TokenBucket

log = logging.getLogger(__name__)
socketio = SocketIO()


@dataclass(eq=False)
class Connection:
    """One connected socket: who it is, on which board, and its limits."""

    sid: str
    board_id: str
    participant_id: str
    role: str
    commands: TokenBucket = field(default_factory=lambda: TokenBucket(p.COMMANDS_PER_SECOND, p.COMMAND_BURST))
    # Ephemeral messages beyond this are dropped, not queued: they are only positions.
    ephemeral: TokenBucket = field(default_factory=lambda: TokenBucket(4 * p.EPHEMERAL_HZ, 4 * p.EPHEMERAL_HZ))
    last_relay: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)
    flushing: set = field(default_factory=set)
    open: bool = True


def _services():
    return current_app.extensions["atelier"]


def _refuse(code, message):
    return Rejection(code, message).to_dict()


@socketio.on("connect")
def on_connect(auth=None):
    """A browser or client connects with {token, since?}; it alone receives `welcome`, the room `presence`.

    A client that comes back with the last version it applied (`since`) gets only what it missed,
    when the room still keeps those events; anyone else gets the full state.
    """
    services = _services()
    token = auth.get("token") if isinstance(auth, dict) else None
    credential = services.workshops.open(token)
    if credential is None:
        raise ConnectionRefusedError("This link is not valid for any workshop here.", {"code": UNAUTHORIZED})
    conn = Connection(request.sid, credential.board_id, credential.participant_id, credential.role)
    services.add(conn)
    # Join the room before the snapshot: later events then reach us, and the
    # client drops those at or below the snapshot's version.
    join_room(conn.board_id)
    room = services.workshops.room(conn.board_id)
    welcome = {"protocol": p.PROTOCOL_VERSION, "you": {"id": conn.participant_id, "role": conn.role},
               "online": _online(services, conn.board_id)}
    since = auth.get("since")
    missed = room.events_since(since, conn.participant_id) if _is_version(since) and since <= room.version \
        else None
    if missed is not None:
        welcome.update(since=since, version=missed[-1]["version"] if missed else since, events=missed)
    else:
        state = room.snapshot(conn.participant_id)
        welcome.update(version=state["version"], state=state)
    # The server's clock, so each client counts the timer down from the same time (timer.py).
    welcome["server_time"] = round(time.time(), 3)
    emit(p.SERVER_WELCOME, welcome)
    _broadcast_presence(services, conn.board_id)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """A socket leaves; the room receives the new `presence`."""
    services = _services()
    conn = services.remove(request.sid)
    if conn is not None:
        conn.open = False
        _broadcast_presence(services, conn.board_id)


@socketio.on(p.CLIENT_COMMAND)
def on_command(message):
    """A member sends {id, type, data}; it receives the ack, the room the `event`."""
    services = _services()
    conn = services.connections.get(request.sid)
    if conn is None:
        return _refuse(UNAUTHORIZED, "Connect with a token first.")
    if not conn.commands.allow():
        return _refuse(RATE_LIMITED, "Too many commands; slow down a little.")
    if len(json.dumps(message, default=str)) > p.MAX_COMMAND_BYTES:
        return _refuse(TOO_LARGE, f"A command must be smaller than {p.MAX_COMMAND_BYTES} bytes.")
    if conn.role == PROJECTOR:
        return _refuse(FORBIDDEN, "The projector view is read-only.")
    try:
        command_id, command = _parse_envelope(message)
    except InvalidCommand as error:
        return error.rejection.to_dict()
    room = services.workshops.room(conn.board_id)
    return room.submit(conn.participant_id, command, command_id)


def _parse_envelope(message):
    if not isinstance(message, dict):
        raise InvalidCommand(BAD_REQUEST, "A command must be an object {id, type, data}.")
    command_id = identifier("id", message.get("id"))
    kind = message.get("type")
    if kind in SERVER_ONLY:
        raise InvalidCommand(FORBIDDEN, f"Only the server may send {kind}.")
    data = message.get("data", {})
    return command_id, parse_command(kind, data)


@socketio.on(p.CLIENT_SYNC)
def on_sync(message):
    """A member asks {since}; it receives the missed events, or a snapshot when too far behind."""
    conn = _services().connections.get(request.sid)
    if conn is None:
        return _refuse(UNAUTHORIZED, "Connect with a token first.")
    since = message.get("since") if isinstance(message, dict) else None
    if not _is_version(since):
        return _refuse(BAD_REQUEST, "Field 'since' must be a version number.")
    room = _services().workshops.room(conn.board_id)
    events = room.events_since(since, conn.participant_id)
    if events is None:
        state = room.snapshot(conn.participant_id)
        return {"ok": True, "version": state["version"], "snapshot": state}
    return {"ok": True, "version": events[-1]["version"] if events else max(since, room.version),
            "events": events}


@socketio.on(p.CLIENT_DRAG)
def on_drag(message):
    """A member drags {card_id, zone_id?, x, y, active}; the others receive `dragging`, ~30 per second."""
    conn, payload = _ephemeral(message, ("card_id", "x", "y"))
    if payload is None:
        return
    room = _services().workshops.room(conn.board_id)
    if payload["card_id"] not in room.board.cards:
        return emit(p.SERVER_ERROR, _refuse(NOT_FOUND, f"Unknown card {payload['card_id']!r}."))
    if message.get("zone_id") is not None:
        try:
            payload["zone_id"] = identifier("zone_id", message["zone_id"])
        except InvalidCommand as error:
            return emit(p.SERVER_ERROR, error.rejection.to_dict())
    payload["active"] = message.get("active", True) is not False
    _relay(conn, p.SERVER_DRAG, payload)


@socketio.on(p.CLIENT_CURSOR)
def on_cursor(message):
    """A member moves its pointer {x, y}; the others receive `pointer`, ~30 per second."""
    conn, payload = _ephemeral(message, ("x", "y"))
    if payload is not None:
        _relay(conn, p.SERVER_CURSOR, payload)


@socketio.on("*")
def on_unknown(event, *_args):
    """Any other event name: the sender receives an `error`, nothing else happens."""
    refusal = _refuse(BAD_REQUEST, f"Unknown event {str(event)[:40]!r}.")
    emit(p.SERVER_ERROR, refusal)
    return refusal


@socketio.on_error_default
def on_error(error):
    """A bug in a handler: the sender gets an error, the server keeps serving."""
    log.exception("socket handler failed: %s", type(error).__name__)
    return _refuse(UNAVAILABLE, "The server could not handle this message.")


def _is_version(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _ephemeral(message, required):
    """Check an ephemeral message; (connection, clean payload) or (conn, None) after an error."""
    conn = _services().connections.get(request.sid)
    if conn is None or conn.role == PROJECTOR:
        emit(p.SERVER_ERROR, _refuse(FORBIDDEN, "This connection may not send positions."))
        return conn, None
    if not conn.ephemeral.allow():
        return conn, None  # positions are disposable: a flood is dropped quietly
    if not isinstance(message, dict):
        emit(p.SERVER_ERROR, _refuse(BAD_REQUEST, "A position must be an object."))
        return conn, None
    try:
        checks = {"card_id": identifier, "x": fraction, "y": fraction}
        payload = {name: checks[name](name, message.get(name)) for name in required}
    except InvalidCommand as error:
        emit(p.SERVER_ERROR, error.rejection.to_dict())
        return conn, None
    payload["by"] = conn.participant_id
    return conn, payload


def _relay(conn, event_name, payload):
    """Send now if this client's last relay is old enough, else keep only the latest."""
    conn.pending[event_name] = payload
    if event_name in conn.flushing:
        return  # a flush is already scheduled; it will send this latest payload
    wait = conn.last_relay.get(event_name, 0) + 1 / p.EPHEMERAL_HZ - time.monotonic()
    if wait <= 0:
        _flush(conn, event_name)
    else:
        conn.flushing.add(event_name)
        socketio.start_background_task(_flush_later, conn, event_name, wait)


def _flush(conn, event_name):
    payload = conn.pending.pop(event_name, None)
    if payload is not None and conn.open:
        conn.last_relay[event_name] = time.monotonic()
        socketio.emit(event_name, payload, to=conn.board_id, skip_sid=conn.sid)


def _flush_later(conn, event_name, wait):
    socketio.sleep(wait)
    conn.flushing.discard(event_name)
    _flush(conn, event_name)


def _online(services, board_id):
    """Who is connected to a board: each member once, with name, role and team."""
    board = services.workshops.room(board_id).board
    ids = {c.participant_id for c in services.on_board(board_id)}
    return [board.participants[pid].to_dict() for pid in sorted(ids) if pid in board.participants]


def _broadcast_presence(services, board_id):
    socketio.emit(p.SERVER_PRESENCE, {"online": _online(services, board_id)}, to=board_id)


def publish(services, board_id, event):
    """Broadcast one accepted event to the board's room (called by the room after commit).

    An event that says something not everyone may see (a private card, someone's dots) goes to
    each socket as its member may see it; any other goes out once to the whole room.
    """
    message = event.to_dict()
    if event.type not in SENSITIVE_EVENTS:
        socketio.emit(p.SERVER_EVENT, message, to=board_id)
    else:
        room = services.workshops.room(board_id)
        for conn in services.on_board(board_id):
            socketio.emit(p.SERVER_EVENT, room.event_for(message, conn.participant_id), to=conn.sid)
    if event.type == "participant_removed":
        _send_away(services, board_id, event.data["participant_id"])


def _send_away(services, board_id, participant_id):
    """A participant the facilitator removed: each of their sockets is told why, leaves the board
    at once (no later event, presence or answer reaches it) and is closed a moment later."""
    refusal = _refuse(UNAUTHORIZED, "The facilitator removed you from this workshop: this link no longer opens it.")
    gone = [conn for conn in services.on_board(board_id) if conn.participant_id == participant_id]
    for conn in gone:
        services.remove(conn.sid)
        conn.open = False
        socketio.server.leave_room(conn.sid, board_id, namespace="/")
        socketio.emit(p.SERVER_ERROR, refusal, to=conn.sid)
        # Closed after a pause, so the message above is delivered before the socket goes.
        socketio.start_background_task(_close_later, conn.sid)
    if gone:
        _broadcast_presence(services, board_id)


def _close_later(sid):
    socketio.sleep(0.5)
    socketio.server.disconnect(sid, namespace="/")
