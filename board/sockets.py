"""Socket.IO handlers: parse, hand to the board's room, reply.

Identity and board come from the connection's token, never from a payload.
No rules live here: the room decides, this layer only carries.
"""
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room
from engineio import packet as engineio_packet, payload as engineio_payload, socket as engineio_socket
from socketio import packet as sio_packet

from . import fanout
from . import protocol as p
from .domain import InvalidCommand, Rejection, SERVER_ONLY, move_refusal, parse_command
from .domain.commands import SplitTeams, fraction, identifier
from .domain.errors import BAD_REQUEST, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_LARGE, UNAUTHORIZED, UNAVAILABLE
from .domain import anonymity
from .domain.model import FACILITATOR, PARTICIPANT, PROJECTOR
from .domain.visibility import personal, viewer_of
from .limits import TokenBucket
from .routing import board_key
from .batching import Batch
from .store import StoreError
from .workshops import HELD_ELSEWHERE, HeldElsewhere

log = logging.getLogger(__name__)
ENVELOPE_FIELDS = frozenset({"id", "type", "data"})
# Names the Socket.IO library keeps for itself: sent by a client they would run the connect (or
# disconnect, or catch-all) handler on an open socket, so they are refused like any malformed message.
RESERVED_EVENTS = frozenset({"connect", "disconnect", "connect_error", "*"})
# Whether the message being handled asked for an acknowledgement (one per handler green thread).
_asked = threading.local()


class TextPacket(sio_packet.Packet):
    """A Socket.IO packet the server sends as text, never as a binary event: the board sends JSON
    only. The default packet walks every outgoing payload in Python looking for bytes, a third of
    the server's time in a join storm where each welcome holds 500 cards (docs/performance.md,
    "Presence"); a payload holding bytes would now fail to encode, loudly, not go out altered.
    Incoming packets, binary ones included, are read as before."""

    uses_binary_events = False


class GuardedSocketIO(SocketIO):
    """Flask-SocketIO, with a guard on each Socket.IO server it makes (see `_guard_frames`)."""

    def init_app(self, app, **kwargs):
        """Bind to `app` as Flask-SocketIO does (sending `TextPacket`s), then guard the new server's frames."""
        kwargs.setdefault("serializer", TextPacket)
        super().init_app(app, **kwargs)
        _guard_frames(self.server)


socketio = GuardedSocketIO()


@dataclass(eq=False)
class Connection:
    """One connected socket: who it is, on which board, and its limits."""

    sid: str
    board_id: str
    participant_id: str
    role: str
    commands: TokenBucket  # the app's COMMAND_RATE (run.py --command-rate)
    # Ephemeral messages beyond this are dropped, not queued: they are only positions.
    ephemeral: TokenBucket = field(default_factory=lambda: TokenBucket(4 * p.EPHEMERAL_HZ, 4 * p.EPHEMERAL_HZ))
    open: bool = True
    # "View as" (VIEWAS1): the facilitator's socket that sees the board through this participant's
    # eyes and may change nothing; None on every ordinary socket.
    view_as: str | None = None

    @property
    def viewer_id(self):
        """Whose eyes this socket sees the board with: the viewed participant's, else its member's."""
        return self.view_as or self.participant_id
    # Who drags, for the others while names are withheld (ANON2): stands for this socket, names no one.
    alias: str = field(default_factory=lambda: "anon-" + secrets.token_hex(4))


def _guard_frames(server):
    """Make every frame a client sends get one clear answer, before and around the handlers.

    python-socketio hands a frame that does not decode, an event without a name (or named by a
    list), or a message on a socket that never connected with a token, to no handler: the first
    two end in a traceback and no answer, the last in silence. Here each gets one answer: the
    acknowledgement when the frame asked for one, else one `error` event. It also notes, for the
    handlers, whether the message being handled asked for an acknowledgement (see `_answer`).
    These hooks reach into the library's dispatch methods; requirements.txt pins its version.
    """
    _tolerate_broken_engineio_packets()
    read_frame = server.eio.handlers["message"]
    dispatch = server._handle_event
    take_ack = server._handle_ack

    def read_frame_guarded(eio_sid, data):
        try:
            return read_frame(eio_sid, data)
        except Exception as error:  # a frame that does not decode: no handler ever saw it
            server._binary_packet.pop(eio_sid, None)  # nor waits for its attachments any more
            log.warning("refused a malformed Socket.IO frame (%s)", type(error).__name__)
            _answer_frame(server, eio_sid, "/", None, BAD_REQUEST,
                          "This message is not a Socket.IO packet the board understands.")
            return None

    def dispatch_guarded(eio_sid, namespace, ack_id, data):
        namespace = namespace or "/"
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            return _answer_frame(server, eio_sid, namespace, ack_id, BAD_REQUEST, "An event needs a name.")
        if not server.manager.is_connected(server.manager.sid_from_eio_sid(eio_sid, namespace), namespace):
            return _answer_frame(server, eio_sid, namespace, ack_id, UNAUTHORIZED, "Connect with a token first.")
        if data[0] in RESERVED_EVENTS:
            return _answer_frame(server, eio_sid, namespace, ack_id, BAD_REQUEST,
                                 f"Unknown event {data[0]!r}: that name is the connection's own.")
        return dispatch(eio_sid, namespace, ack_id, data)

    def take_ack_guarded(eio_sid, namespace, ack_id, data):
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace or "/")
        if ack_id not in server.manager.callbacks.get(sid, {}):  # the board asked this client nothing
            return _answer_frame(server, eio_sid, namespace or "/", None, BAD_REQUEST,
                                 "An acknowledgement of nothing: the board asked no question.")
        return take_ack(eio_sid, namespace, ack_id, data)

    def run_handler_noting_ack(this, sid, eio_sid, data, namespace, ack_id):
        # The library's own `_handle_event_internal`, except that an answer the handler already
        # sent through `_asked.reply` (a room sends it with its commit) is not sent twice.
        reply = _Reply(this, eio_sid, namespace, ack_id) if ack_id is not None else None
        _asked.answer, _asked.reply, _asked.after, _asked.sid = ack_id is not None, reply, [], sid
        try:
            light = _LIGHT.get(data[0]) if namespace == "/" else None
            if light is None:
                result = this._trigger_event(data[0], namespace, sid, *data[1:])
            else:
                result = _run_light(this, sid, light, data[1:])
            if reply is not None and not reply.sent and result != this.not_handled:
                # The handler ran, then its return value is queued as the acknowledgement...
                this._send_packet(eio_sid, this.packet_class(
                    sio_packet.ACK, namespace=namespace, id=ack_id, data=_ack_data(result)))
        finally:
            _asked.answer, _asked.reply, _asked.sid, _asked.services = False, None, None, None
            after, _asked.after = _asked.after, None
            if after:  # ...and only then what waited for it (a room's broadcast: see `after_answer`)
                socketio.start_background_task(_run_all, after)

    server.eio.handlers["message"] = read_frame_guarded
    server._handle_event = dispatch_guarded
    server._handle_event_internal = run_handler_noting_ack
    server._handle_ack = take_ack_guarded


# Handlers of the messages a board receives many times a second: run by the guard without the request
# context Flask-SocketIO builds for each message (see `_light`).
_LIGHT = {}


def _light(event_name):
    """Register the handler of `event_name` (commands, positions, catch-up) to run without a Flask
    request context. Building and tearing one down for each message took about a tenth of the
    server's time handling drops, as much as half of writing the broadcast to 200 sockets
    (docs/performance.md); these handlers need only their socket's sid and the app's services,
    which the guard hands them (`_sid`, `_services`)."""
    def register(handler):
        _LIGHT[event_name] = handler
        return handler
    return register


def _run_light(server, sid, handler, args):
    """Run a light handler as Flask-SocketIO runs the others: a bug becomes `on_error`'s answer."""
    environ = server.get_environ(sid)
    if not environ:  # the socket is gone meanwhile
        return None
    _asked.services = environ["flask.app"].extensions["atelier"]
    try:
        return handler(*args)
    except Exception as error:
        return on_error(error)


def _ack_data(result):
    """An acknowledgement's arguments from a handler's return value, as python-socketio makes them."""
    if result is None:
        return []
    return list(result) if isinstance(result, tuple) else [result]


class _Reply:
    """The acknowledgement of the message being handled, sent before its handler returns: a room
    calls it with the commit of the command, then broadcasts (Room.submit's `reply`), so the
    answer and the broadcast leave in one turn of the server's loop, the answer first."""

    __slots__ = ("server", "eio_sid", "namespace", "ack_id", "sent")

    def __init__(self, server, eio_sid, namespace, ack_id):
        self.server, self.eio_sid, self.namespace, self.ack_id = server, eio_sid, namespace, ack_id
        self.sent = False

    def __call__(self, answer):
        fanout.send(self.server, self.eio_sid, self.server.packet_class(
            sio_packet.ACK, namespace=self.namespace, id=self.ack_id, data=_ack_data(answer)),
            socketio.start_background_task)
        self.sent = True


def _tolerate_broken_engineio_packets():
    """A websocket frame or a long-polling body that is no Engine.IO packet at all ("", "x", more
    than 16 packets, bytes that are not UTF-8) makes python-engineio raise outside its own error
    handling: a traceback, and over a websocket the socket left half-closed. Such a packet is handed
    on as a message instead, which the Socket.IO guard refuses like any other malformed one. (Once
    per process: the readers look `packet.Packet` and `payload.Payload` up at each use.)"""
    if getattr(engineio_socket.packet, "tolerant", False):
        return

    class TolerantPacket(engineio_packet.Packet):
        def decode(self, encoded_packet):
            try:
                super().decode(encoded_packet)
                known = 0 <= self.packet_type < len(engineio_packet.packet_names)
            except (ValueError, TypeError, RecursionError):  # RecursionError: "4[[[[..." too deep
                known = False
            if not known:
                # "!" is no Socket.IO packet type: the guard answers it as a malformed frame.
                self.packet_type, self.data, self.binary = engineio_packet.MESSAGE, "!", False

    class TolerantPayload(engineio_payload.Payload):
        def decode(self, encoded_payload):
            try:
                super().decode(encoded_payload)
            except (ValueError, TypeError, KeyError, RecursionError):  # too many packets, bad JSONP
                self.packets = [TolerantPacket(encoded_packet="!")]

    read_post = engineio_socket.Socket.handle_post_request

    def read_post_tolerant(socket, environ):
        try:
            return read_post(socket, environ)
        except UnicodeDecodeError:  # a long-polling body that is not UTF-8 text
            return socket.receive(TolerantPacket(encoded_packet="!"))

    engineio_socket.Socket.handle_post_request = read_post_tolerant
    packets = SimpleNamespace(**vars(engineio_packet))
    packets.Packet, packets.tolerant = TolerantPacket, True
    payloads = SimpleNamespace(**vars(engineio_payload))
    payloads.Payload = TolerantPayload
    engineio_socket.packet = engineio_payload.packet = packets
    engineio_socket.payload = payloads


def _answer_frame(server, eio_sid, namespace, ack_id, code, message):
    """Answer a frame no handler will see: its acknowledgement, or one `error` event."""
    refusal = _refuse(code, message)
    if ack_id is not None:
        answer = server.packet_class(sio_packet.ACK, namespace=namespace, id=ack_id, data=[refusal])
    else:
        answer = server.packet_class(sio_packet.EVENT, namespace=namespace, data=[p.SERVER_ERROR, refusal])
    server._send_packet(eio_sid, answer)


def _emit(event_name, payload, to, skip_sid=None):
    """Send to sockets of this process. A board's sockets all reach the process that serves it (the
    proxy routes by board, docs/deployment.md), so its events, presence and positions never take
    the message queue: they go straight out, in order, behind the answers already queued, written
    at once to the websockets with nothing queued (board/fanout.py). Only a notice for a board
    served by another process goes through the queue (`ask_board_back`)."""
    fanout.broadcast(socketio.server, event_name, payload, to, socketio.start_background_task, skip_sid=skip_sid)


def _services():
    """The app's services: handed to a light handler by the guard, else the request's app's."""
    services = getattr(_asked, "services", None)
    return services if services is not None else current_app.extensions["atelier"]


def _sid():
    """The sid of the socket whose message is being handled."""
    return getattr(_asked, "sid", None) or request.sid


def after_answer(fn):
    """Run `fn` once the answer of the message being handled has gone out (how a Room learns it may
    broadcast: board/room.py). In a handler, `fn` waits until its return value is queued on the
    socket as the acknowledgement, then runs in a task of its own, so the sender's writer sends the
    ack before any broadcast is queued behind it; outside a handler (an HTTP join), it runs at once."""
    after = getattr(_asked, "after", None)
    if after is None:
        fn()
    else:
        after.append(fn)


def _run_all(functions):
    for fn in functions:
        fn()


def _refuse(code, message):
    return Rejection(code, message).to_dict()


@socketio.on("connect")
def on_connect(auth=None):
    """A browser or client connects with {token, since?, view_as?}; it alone receives `welcome` (with
    the full online list), the room a `presence` change if this is its member's first socket (PRES2).

    A client that comes back with the last version it applied (`since`) gets only what it missed,
    when the room still keeps those events; anyone else gets the full state. The facilitator's token
    with `view_as` (a participant's id) opens a read-only socket that sees what that participant sees.
    """
    services = _services()
    token = auth.get("token") if isinstance(auth, dict) else None
    _refuse_elsewhere(services.workshops, token)
    try:
        credential = services.workshops.open(token)
    except HeldElsewhere as held:  # a shared store's board another process serves: the client retries
        ask_board_back(held.board_id)  # and that process is asked to let it go (the proxy sends it here now)
        raise ConnectionRefusedError(HELD_ELSEWHERE, {"code": UNAVAILABLE}) from None
    except StoreError as error:  # a shared store's database out of reach: the client retries
        raise ConnectionRefusedError(f"The server cannot reach its database ({error.reason}); retrying.",
                                     {"code": UNAVAILABLE}) from None
    if credential is None:
        raise ConnectionRefusedError("This link is not valid for any workshop here.", {"code": UNAUTHORIZED})
    view_as = _view_as_target(services, credential, auth.get("view_as"))
    conn = Connection(request.sid, credential.board_id, credential.participant_id, credential.role,
                      commands=TokenBucket(*current_app.config["COMMAND_RATE"]), view_as=view_as)
    services.add(conn)
    # Join the room before the snapshot: later events then reach us, and the
    # client drops those at or below the snapshot's version.
    join_room(conn.board_id)
    room = services.workshops.room(conn.board_id)
    # A view-as socket is told it is that participant (so the page gates what they cannot do, VIEWAS2)
    # and that it is only looking.
    you = {"id": view_as, "role": PARTICIPANT} if view_as else {"id": conn.participant_id, "role": conn.role}
    welcome = {"protocol": p.PROTOCOL_VERSION, "you": you}
    if view_as:
        welcome["view_as"] = True
    since = auth.get("since")
    missed = room.events_since(since, conn.viewer_id) if _is_version(since) and since <= room.version \
        else None
    if missed is not None:
        welcome.update(since=since, version=missed[-1]["version"] if missed else since, events=missed)
    else:
        state = room.snapshot(conn.viewer_id)
        welcome.update(version=state["version"], state=state)
    # The server's clock, so each client counts the timer down from the same time (timer.py).
    welcome["server_time"] = round(time.time(), 3)
    # Read last, just before it goes: a presence change told after this reaches the socket after
    # the welcome, and one told before it is already in this list (the page applies both: PRES1).
    welcome["online"] = _online(services, conn.board_id, conn.viewer_id)
    _emit(p.SERVER_WELCOME, welcome, to=request.sid)
    _presence_changed(services, conn.board_id)


def _refuse_elsewhere(workshops, token):
    """Routed over several processes behind a proxy (docs/deployment.md), a socket must reach its board's
    process by the proxy's rule, so its URL names the board (`?board=`)."""
    if not workshops.routed:
        return
    credential = workshops.credential(token)
    if credential is None:
        return  # refused as an unknown link just after
    key = board_key(request.path, request.args, request.headers)
    # Behind the proxy a socket that names no board may reach any process: refused. Without one (a
    # single process on the shared store), naming none is fine; naming another board never is.
    if key != credential.board_id and (key or current_app.config.get("BEHIND_PROXY")):
        raise ConnectionRefusedError("Connect with ?board= and this link's workshop.", {"code": BAD_REQUEST})


ASK_BACK_EVERY = 1.0  # seconds between two calls for the same board's sockets to come back
GIVE_UP_AFTER = 1.0  # seconds a routed board stays here with no socket before its lease is given up
_asked_back = {}  # board id -> when this process last asked its sockets to come (monotonic)


def ask_board_back(board_id):
    """The proxy sends `board_id` here, but another process still holds its lease (it took the board
    over while this one was down). This is the one emit that goes through the message queue: the
    board's sockets, wherever they are, are told `moved`; they reconnect and come here, and the
    other process, left without sockets, gives the board up (`_give_up_when_empty`)."""
    now = time.monotonic()
    if now - _asked_back.get(board_id, -ASK_BACK_EVERY) < ASK_BACK_EVERY:
        return
    _asked_back[board_id] = now
    try:
        socketio.emit(p.SERVER_MOVED, {"reason": "moved"}, to=board_id)
    except Exception:  # Redis away: the holder lets the board go once its sockets have left anyway
        log.warning("board %s: could not ask its holder through the message queue", board_id)


def answer_closed_sessions(wsgi_app):
    """A long-polling request that arrives just as the server closes its session (a board let go to
    another process, a deleted workshop) makes the pinned python-engineio raise KeyError("Session is
    disconnected") instead of answering: answered 400 here, as engineio answers an unknown session,
    and the client reconnects."""
    def guarded(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except KeyError as error:
            if error.args != ("Session is disconnected",):
                raise
            start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
            return [b"Session is disconnected"]
    return guarded


def hear_board_wanted(services):
    """With a message queue: when `moved` for a board this process serves comes through the queue (the
    process the proxy sends that board to asked for it, `ask_board_back`), let the board go at once
    after its sockets are told: its lease is freed and its transports closed, so every client (a
    long-polling one too, whose next request already goes to the other process) reconnects there.
    Hooked on the pinned python-socketio's handling of queued emits, as `_guard_frames` is on its
    dispatch (a queued emit reaches only clients otherwise)."""
    manager = socketio.server.manager
    handle_emit = getattr(manager, "_handle_emit", None)
    if handle_emit is None:  # no message queue: one process, nothing to hand back
        return

    def handle_emit_then_let_go(message):
        result = handle_emit(message)
        board_id = message.get("room")
        if message.get("event") == p.SERVER_MOVED and board_id in services.workshops.board_ids():
            log.info("board %s: another process is asked for it; this one lets it go", board_id)
            socketio.start_background_task(services.workshops.drop, board_id)
        return result
    manager._handle_emit = handle_emit_then_let_go


def _give_up_when_empty(services, board_id):
    """Routed: a board nobody is connected to any more is given up a moment later (its room and
    its lease), so the process the proxy sends it to can take it."""
    socketio.sleep(GIVE_UP_AFTER)
    if not services.on_board(board_id) and board_id in services.workshops.board_ids():
        log.info("board %s: no socket left here; its lease is given up", board_id)
        services.workshops.drop(board_id)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """A socket leaves; if it was its member's last, the room is told they went (PRES2)."""
    services = _services()
    conn = services.remove(request.sid)
    if conn is not None:
        conn.open = False
        _presence_changed(services, conn.board_id)
        if services.workshops.routed and not services.on_board(conn.board_id):
            socketio.start_background_task(_give_up_when_empty, services, conn.board_id)


@_light(p.CLIENT_COMMAND)
def on_command(*args):
    """A member sends {id, type, data}; it receives the ack, the room the `event`.

    Who sends comes first, then whether the message is well formed (`bad_request`, `too_large`),
    then whether this member may send it now; only a well-formed command counts against the rate.
    """
    services = _services()
    conn = services.connections.get(_sid())
    if conn is None:
        return _refused(UNAUTHORIZED, "Connect with a token first.")
    try:
        command_id, command = _parse_envelope(_one_object(args, "A command is one object {id, type, data}."))
    except InvalidCommand as error:
        return _answer(error.rejection.to_dict())
    if conn.role == PROJECTOR:
        return _refused(FORBIDDEN, "The projector view is read-only.")
    if conn.view_as:
        return _refused(FORBIDDEN, "Seeing the board as a participant is read-only: nothing is changed.")
    if not conn.commands.allow():
        return _refused(RATE_LIMITED, "Too many commands; slow down a little.")
    room = services.workshops.room(conn.board_id)
    if command.type == SplitTeams.type and command.present:
        command = command.of_present(_present_participants(services, room, conn.board_id))
    return _answer(room.submit(conn.participant_id, command, command_id, reply=getattr(_asked, "reply", None)))


def _present_participants(services, room, board_id):
    """The ids of the participants with a socket on the board now (not the facilitator, the
    projector or a view-as socket, which is the facilitator's), for `split_teams {present}` (TEAM20)."""
    connected = {c.participant_id for c in services.on_board(board_id)}
    return room.read(lambda board, _: sorted(
        pid for pid in connected if pid in board.participants and board.participants[pid].role == PARTICIPANT))


def _view_as_target(services, credential, view_as):
    """The participant a connection asks to see the board as: None when it does not ask; refused
    (before the socket opens) unless the token is the facilitator's and the id a participant's of
    that board (VIEWAS1)."""
    if view_as is None:
        return None
    if credential.role != FACILITATOR:
        raise ConnectionRefusedError("Only the facilitator may see the board as a participant.", {"code": FORBIDDEN})
    room = services.workshops.room(credential.board_id)
    member = room.read(lambda board, _: board.participants.get(view_as) if isinstance(view_as, str) else None)
    if member is None or member.role != PARTICIPANT:
        raise ConnectionRefusedError("No participant of this workshop has that id.", {"code": NOT_FOUND})
    return member.id


def _one_object(args, message):
    """The single object a client event carries, or InvalidCommand (none, several, not an object)."""
    if len(args) != 1 or not isinstance(args[0], dict):
        raise InvalidCommand(BAD_REQUEST, message)
    return args[0]


def _parse_envelope(message):
    try:
        size = len(json.dumps(message, default=str))
    except (ValueError, RecursionError):  # nested too deep to measure: far too large anyway
        size = p.MAX_COMMAND_BYTES + 1
    if size > p.MAX_COMMAND_BYTES:
        raise InvalidCommand(TOO_LARGE, f"A command must be smaller than {p.MAX_COMMAND_BYTES} bytes.")
    extra = sorted(set(message) - ENVELOPE_FIELDS)
    if extra:
        raise InvalidCommand(BAD_REQUEST, f"Unknown field {extra[0][:40]!r}: a command is {{id, type, data}}.")
    command_id = identifier("id", message.get("id"))
    kind = message.get("type")
    if isinstance(kind, str) and kind in SERVER_ONLY:
        raise InvalidCommand(FORBIDDEN, f"Only the server may send {kind}.")
    data = message.get("data", {})
    return command_id, parse_command(kind, data)


@_light(p.CLIENT_SYNC)
def on_sync(*args):
    """A member asks {since}; it receives the missed events, or a snapshot when too far behind."""
    conn = _services().connections.get(_sid())
    if conn is None:
        return _refused(UNAUTHORIZED, "Connect with a token first.")
    since = args[0].get("since") if len(args) == 1 and isinstance(args[0], dict) else None
    if not _is_version(since):
        return _refused(BAD_REQUEST, "A sync is one object {since}, 'since' a version number.")
    room = _services().workshops.room(conn.board_id)
    events = room.events_since(since, conn.viewer_id)
    if events is None:
        state = room.snapshot(conn.viewer_id)
        return {"ok": True, "version": state["version"], "snapshot": state}
    return {"ok": True, "version": events[-1]["version"] if events else max(since, room.version),
            "events": events}


DRAG_FIELDS = frozenset({"card_id", "zone_id", "x", "y", "active"})
CURSOR_FIELDS = frozenset({"x", "y"})


@_light(p.CLIENT_DRAG)
def on_drag(*args):
    """A member drags {card_id, zone_id?, x, y, active?}; the others receive `dragging`, ~30 per second.

    Relayed only when the move it announces could be accepted (`move_refusal`, the rule of
    `move_card`): a drag the rules refuse is dropped without an answer, as the drop's own
    `move_card` will say why (a browser sends 30 a second, which would be 30 error messages).
    """
    conn, message, refusal = _ephemeral(args, DRAG_FIELDS)
    if refusal is not None:
        return refusal
    try:
        payload = {"card_id": identifier("card_id", message.get("card_id")),
                   "x": fraction("x", message.get("x")), "y": fraction("y", message.get("y"))}
        if message.get("zone_id") is not None:
            payload["zone_id"] = identifier("zone_id", message["zone_id"])
        if not isinstance(message.get("active", True), bool):
            raise InvalidCommand(BAD_REQUEST, "Field 'active' must be true or false.")
    except InvalidCommand as error:
        return _answer(error.rejection.to_dict())
    payload["active"] = message.get("active", True)
    payload["by"] = conn.participant_id
    room = _services().workshops.room(conn.board_id)
    refusal = room.read(lambda board, _: move_refusal(board, conn.participant_id, payload["card_id"], time.time()))
    if refusal is not None:
        # An unknown card is a mistake of the sender's; a closed sequence or another team's card
        # is the rules, dropped quietly (answered only to a sender who asked for an answer).
        return _answer(refusal.to_dict()) if refusal.code == NOT_FOUND else refusal.to_dict()
    # Positions are disposable: a flood is dropped quietly, but never the end of a drag, which the
    # others need to stop showing it (it is still paced like any position of that card).
    if conn.ephemeral.allow() or not payload["active"]:
        if room.read(lambda board, _: anonymity.in_force(board)):
            _relay_anonymous(conn, p.SERVER_DRAG, payload)
        else:
            _relay(conn, p.SERVER_DRAG, payload)
    return None


@_light(p.CLIENT_CURSOR)
def on_cursor(*args):
    """A member moves its pointer {x, y}; the others receive `pointer`, ~30 per second."""
    conn, message, refusal = _ephemeral(args, CURSOR_FIELDS)
    if refusal is not None:
        return refusal
    try:
        payload = {"x": fraction("x", message.get("x")), "y": fraction("y", message.get("y")),
                   "by": conn.participant_id}
    except InvalidCommand as error:
        return _answer(error.rejection.to_dict())
    if conn.ephemeral.allow():
        if _services().workshops.room(conn.board_id).read(lambda board, _: anonymity.in_force(board)):
            _relay_anonymous(conn, p.SERVER_CURSOR, payload)
        else:
            _relay(conn, p.SERVER_CURSOR, payload)
    return None


@socketio.on("*")
def on_unknown(*args):
    """Any other event name: the sender receives one `bad_request` (its ack, or an `error`)."""
    name = args[0] if args and isinstance(args[0], str) else ""
    return _refused(BAD_REQUEST, f"Unknown event {name[:40]!r}.")


@socketio.on_error_default
def on_error(error):
    """A bug in a handler: the sender gets one `unavailable`, the server keeps serving."""
    log.exception("socket handler failed: %s", type(error).__name__)
    return _refused(UNAVAILABLE, "The server could not handle this message.")


def _is_version(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _refused(code, message):
    """Refuse the message being handled: see `_answer`."""
    return _answer(_refuse(code, message))


def _answer(answer):
    """Return `answer` for the acknowledgement when the sender asked for one; a refusal sent
    without one goes back as one `error` event instead. Either way the sender hears it once."""
    if not answer.get("ok", True) and not getattr(_asked, "answer", False):
        _emit(p.SERVER_ERROR, answer, to=_sid())
    return answer


def _ephemeral(args, fields):
    """(connection, the one object of a position message, None), or (conn, None, the refusal sent)."""
    conn = _services().connections.get(_sid())
    if conn is None or conn.role == PROJECTOR or conn.view_as:  # a view-as socket only looks
        return conn, None, _refused(FORBIDDEN, "This connection may not send positions.")
    try:
        message = _one_object(args, "A position is one object.")
        extra = sorted(set(message) - fields)
        if extra:
            raise InvalidCommand(BAD_REQUEST, f"Unknown field {extra[0][:40]!r} in a position.")
    except InvalidCommand as error:
        return conn, None, _answer(error.rejection.to_dict())
    return conn, message, None


@dataclass
class _Position:
    """A position waiting in its board's batch: who sent it, as what, and who it names."""

    sender: Connection
    event_name: str
    payload: dict  # what the board's members receive (`by` is the sender's alias while ANON2 holds)
    named: dict | None = None  # while names are withheld: the same, naming the sender, for the facilitator


@dataclass(eq=False)
class _BoardBatch:
    """A board's batch of positions (pure bookkeeping) and the lock that keeps its frames in order."""

    services: object  # the flush runs outside any request: it finds the board's sockets here
    batch: Batch = field(default_factory=lambda: Batch(stream_hz=p.EPHEMERAL_HZ))
    sending: threading.Lock = field(default_factory=threading.Lock)


_batches = {}  # board id -> _BoardBatch


def _relay(conn, event_name, payload, named=None):
    """Relay a position to the board's other sockets in the board's next frame (`board.batching`):
    sent by the board's one waiting flush, after a short gathering on a quiet board, else at its
    next tick."""
    board = _batches.get(conn.board_id)
    if board is None:
        board = _batches.setdefault(conn.board_id, _BoardBatch(_services()))  # setdefault: one even when threads race
    stream = (conn.sid, event_name, payload.get("card_id"))
    with board.sending:  # taken and sent under one lock: frames leave in the order they were made
        frame, wait = board.batch.offer(stream, _Position(conn, event_name, payload, named),
                                        len(board.services.by_board.get(conn.board_id, ())))
        _send_frame(board, conn.board_id, frame)
    if wait is not None:
        socketio.start_background_task(_flush_later, conn.board_id, board, wait)


def _relay_anonymous(conn, event_name, payload):
    """While names are withheld (ANON2), the facilitator's sockets get who moves; everyone else the
    sender's alias, which keeps two people's drags apart and names nobody."""
    _relay(conn, event_name, {**payload, "by": conn.alias}, named=payload)


def _flush_later(board_id, board, wait):
    """The one waiting flush of a board: sends its frame at each tick until nothing is held."""
    while wait is not None:
        socketio.sleep(wait)
        with board.sending:
            frame, wait = board.batch.due_frame()
            try:
                _send_frame(board, board_id, frame)
            except Exception:  # one frame gone wrong must not stop the board's positions for good
                log.exception("sending a frame of positions failed")


def _send_frame(board, board_id, frame):
    """One `dragging` (and one `pointer`) frame, a list of positions, encoded once for the whole
    room. A sender is never sent its own positions, and the facilitator gets names while they are
    withheld: those few sockets get a frame of their own."""
    for event_name in (p.SERVER_DRAG, p.SERVER_CURSOR):
        positions = [pos for pos in frame if pos.event_name == event_name and pos.sender.open]
        if not positions:
            continue
        senders = {pos.sender.sid for pos in positions}
        leaders = set()
        if any(pos.named is not None for pos in positions):
            # A view-as socket is the facilitator's but sees as its participant does: no names.
            leaders = {c.sid for c in board.services.on_board(board_id) if c.role == FACILITATOR and not c.view_as}
        _emit(event_name, [pos.payload for pos in positions], to=board_id,
                      skip_sid=list(senders | leaders))
        for sid in senders | leaders:
            own = [pos.named if sid in leaders and pos.named is not None else pos.payload
                   for pos in positions if pos.sender.sid != sid]
            if own:
                _emit(event_name, own, to=sid)


def _online(services, board_id, viewer_id=None):
    """Who is connected to a board: each member once, with name, role and team; as `viewer_id` may
    read it (while anonymity is on, a participant sees who is there, not their names: ANON2)."""
    room = services.workshops.room(board_id)
    if room is None:  # deleted a moment ago: nobody is on it any more
        return []
    ids = services.roster.online(board_id)
    return room.read(lambda board, _: _roster_for(board, sorted(ids), viewer_id))


def _roster_for(board, member_ids, viewer_id):
    """The members of `member_ids` still on the board, as dicts, as `viewer_id` may read them."""
    members = [board.participants[pid].to_dict() for pid in member_ids if pid in board.participants]
    viewer = viewer_of(board, viewer_id) if viewer_id is not None else None
    if viewer is not None and anonymity.withheld_from(board, viewer):
        return anonymity.scrub_roster(members, viewer)
    return members


def _broadcast_presence(services, board_id):
    """The whole online list to every socket of the board, as each may read it: when the names a
    reader may read change (ANON4)."""
    room = services.workshops.room(board_id)
    if room is None or not room.read(lambda board, _: anonymity.in_force(board)):
        _emit(p.SERVER_PRESENCE, {"online": _online(services, board_id)}, to=board_id)
        return
    for conn in services.on_board(board_id):
        _emit(p.SERVER_PRESENCE, {"online": _online(services, board_id, conn.viewer_id)}, to=conn.sid)


def _presence_changed(services, board_id):
    """A socket opened or closed on the board: the room is told who came or went at the next
    presence tick, in one frame for everything that changed meanwhile; after a quiet tick, at once
    (a welcome then goes before the change it brought, as it did when presence was a whole list)."""
    delay = services.roster.due(board_id)
    if delay == 0:
        _tell_presence_safely(services, board_id)
    elif delay is not None:
        socketio.start_background_task(_tell_presence_later, services, board_id, delay)


def _tell_presence_later(services, board_id, delay):
    socketio.sleep(delay)
    _tell_presence_safely(services, board_id)


def _tell_presence_safely(services, board_id):
    try:
        _tell_presence(services, board_id)
    except Exception:  # nobody to answer: logged; a welcome still brings the whole list
        log.exception("presence of board %s not sent", board_id)


def _tell_presence(services, board_id):
    """Send the board's sockets `presence` {arrived, left}: the members whose first socket opened
    (with name, role and team) and the ids of those whose last socket closed since last told (PRES2).
    One frame for the room; while names are withheld (ANON2), the facilitator's sockets and those of
    someone in `arrived` (who may read their own name) get theirs apart."""
    arrived_ids, left = services.roster.take(board_id)
    room = services.workshops.room(board_id)
    if room is None or not (arrived_ids or left):
        return
    sockets = services.on_board(board_id)
    common, apart = room.read(lambda board, _: _presence_frames(board, arrived_ids, sockets))
    if not common["arrived"] and not left:  # those who came were removed meanwhile
        return
    _emit(p.SERVER_PRESENCE, {**common, "left": left}, to=board_id, skip_sid=[sid for sid, _ in apart] or None)
    for sid, arrived in apart:
        _emit(p.SERVER_PRESENCE, {"arrived": arrived, "left": left}, to=sid)


def _presence_frames(board, arrived_ids, sockets):
    """({"arrived": members} for most sockets, [(socket id, members)] for those that read it apart):
    while names are withheld, the facilitator's sockets and those of a member who just arrived."""
    arrived = _roster_for(board, arrived_ids, None)
    if not anonymity.in_force(board):
        return {"arrived": arrived}, []
    common, apart, arriving = None, [], set(arrived_ids)
    for conn in sockets:
        viewer = viewer_of(board, conn.viewer_id)
        if not anonymity.withheld_from(board, viewer):
            apart.append((conn.sid, arrived))
        elif viewer.id in arriving:  # may read their own name
            apart.append((conn.sid, anonymity.scrub_roster(arrived, viewer)))
        elif common is None:
            common = anonymity.scrub_roster(arrived, viewer)  # the same for every such viewer
    return {"arrived": common if common is not None else anonymity.scrub_roster(arrived, viewer_of(board, None))}, apart


def publish(services, board_id, events):
    """Broadcast the events of one commit to the board's room, in order (called by the room after
    the commit, once its senders have their answers; see board/room.py).

    Visibility is read from the board as it is when the broadcast goes (at most a few commits on).
    """
    room = services.workshops.room(board_id)
    if room is None:  # deleted meanwhile: its sockets were told and closed
        return
    shared = []  # consecutive events that read the same for everyone: they go out as one frame
    for event in events:
        if room.read(lambda board, _: personal(board, event.type)):
            _send_shared(board_id, shared)
            # Something not everyone may see (a private card, someone's dots): each socket gets it as
            # its member may see it.
            message = event.to_dict()
            for conn in services.on_board(board_id):
                _emit(p.SERVER_EVENT, room.event_for(message, conn.viewer_id), to=conn.sid)
        else:
            shared.append(event.to_dict())
        if event.type in ("participant_removed", "participant_forgotten"):
            _send_shared(board_id, shared)
            _send_away(services, board_id, event.data["participant_id"])
        elif event.type in anonymity.TURNING_EVENTS and \
                room.read(lambda board, _: anonymity.concerns_everyone(board, event.type)):
            _send_shared(board_id, shared)
            _broadcast_presence(services, board_id)  # who is online, with or without names from now on (ANON4)
    _send_shared(board_id, shared)


def _send_shared(board_id, messages):
    """Send (and empty) the events every socket reads alike: one `event`, or several in one `events`
    frame (one frame and one write per socket for a whole group commit, not one per event)."""
    if len(messages) == 1:
        _emit(p.SERVER_EVENT, messages[0], to=board_id)
    elif messages:
        _emit(p.SERVER_EVENT_BATCH, list(messages), to=board_id)
    messages.clear()


def _send_away(services, board_id, participant_id):
    """A participant the facilitator removed (or forgot): each of their sockets is told why and closed."""
    close_member_sockets(services, board_id, (participant_id,),
                         "The facilitator removed you from this workshop: this link no longer opens it.")


def close_member_sockets(services, board_id, participant_ids, message):
    """Every socket of these members of a board (removed, forgotten, or their link replaced) is told
    why, leaves the board at once (no later event, presence or answer reaches it) and is closed a
    moment later."""
    # A view-as socket goes with its facilitator's link, and with the participant it shows.
    gone = [conn for conn in services.on_board(board_id)
            if conn.participant_id in participant_ids or conn.view_as in participant_ids]
    _close_sockets(services, board_id, gone, p.SERVER_ERROR, _refuse(UNAUTHORIZED, message))
    if gone:
        _presence_changed(services, board_id)  # they went: the others are told at the next tick


def close_board(services, board_id):
    """A deleted workshop: each of its sockets receives `closed` and is disconnected."""
    _batches.pop(board_id, None)
    _close_sockets(services, board_id, services.on_board(board_id), p.SERVER_CLOSED,
                   {"reason": "deleted", "message": "The facilitator deleted this workshop and all its data."})


def drop_board(services, board_id):
    """This process lost the board's lease: its sockets are closed at the transport, as when a
    server goes away, so each client reconnects on its own and catches up from its last version
    wherever the board is served now (docs/deployment.md)."""
    _batches.pop(board_id, None)
    for conn in services.on_board(board_id):
        services.remove(conn.sid)
        conn.open = False
        socketio.server.leave_room(conn.sid, board_id, namespace="/")
        eio_sid = socketio.server.manager.eio_sid_from_sid(conn.sid, "/")
        if eio_sid is not None:
            socketio.start_background_task(socketio.server.eio.disconnect, eio_sid)


def _close_sockets(services, board_id, connections, event_name, message):
    for conn in connections:
        services.remove(conn.sid)
        conn.open = False
        socketio.server.leave_room(conn.sid, board_id, namespace="/")
        _emit(event_name, message, to=conn.sid)
        # Closed after a pause, so the message above is delivered before the socket goes.
        socketio.start_background_task(_close_later, conn.sid)


def _close_later(sid):
    socketio.sleep(0.5)
    socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
