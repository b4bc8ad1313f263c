"""A broadcast written to a board's websockets in one pass of the event loop, not by one green thread each.

python-engineio hands each packet of a broadcast to every socket's queue, and each socket's own writer
green thread wakes, frames the packet and writes it. At 200 sockets the stage probe measured 10 ms from
the first socket's frame to the last (bench/bench_drop.py --trace), where the same 200 writes from a
plain loop take about 1.1 ms on this machine (docs/performance.md). Here a broadcast is framed once and
written straight to each websocket whose writer is idle, with a send that never waits.

Order is what must not change: one socket receives everything in the order it was sent. So a socket
gets the direct write only when nothing can be ahead of it: a websocket (not long-polling, not in its
upgrade), its queue empty, its writer parked waiting for the queue, nobody in the middle of writing to
it, the whole frame accepted by the kernel at once or the rest written before anything else. Any other
socket gets the packet through its queue, as before. Under eventlet only: the other servers' sockets
carry no `ATTRIBUTE` and always take the queue.

Hooks on the pinned python-engineio and eventlet (requirements.txt), as sockets.py's guards do.
"""
import logging
import socket
import struct

from engineio import packet as eio_packet
from engineio import socket as engineio_socket
from socketio import packet as sio_packet

log = logging.getLogger(__name__)

ATTRIBUTE = "_atelier_websocket"  # set on an Engine.IO socket while its websocket handler runs
TEXT_FINAL = 0x81  # FIN bit and the text opcode: one whole text message per frame
_plain_socket = {"type": None}  # the OS socket class under eventlet's green sockets, once installed


def install(plain_socket):
    """Let every Engine.IO socket remember its websocket while the transport runs (once per process,
    by the eventlet server: board/eventlet_server.py). `plain_socket`: the OS socket class a green
    socket's `fd` is (a TLS socket's is another: it never takes the direct write)."""
    if getattr(engineio_socket.Socket, "_atelier_fanout", False):
        return
    _plain_socket["type"] = plain_socket
    handle = engineio_socket.Socket._websocket_handler

    def handle_remembering(sock, ws):
        setattr(sock, ATTRIBUTE, ws)
        try:
            return handle(sock, ws)
        finally:
            setattr(sock, ATTRIBUTE, None)

    engineio_socket.Socket._websocket_handler = handle_remembering
    engineio_socket.Socket._atelier_fanout = True


def without_compression(wsgi_app):
    """Answer websockets without permessage-deflate. Browsers offer it, and eventlet compresses each
    message for each socket with that socket's own compressor: a frame of positions sent to 200
    browsers was 200 compressions of the same hundred bytes. On a room's network the bytes saved are
    few; the frames stay plain text, framed once for everyone."""
    def plain(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)
    return plain


def text_frame(text):
    """A server's websocket frame (RFC 6455, unmasked) carrying `text` whole."""
    data = text.encode("utf-8")
    size = len(data)
    if size < 126:
        header = struct.pack("!BB", TEXT_FINAL, size)
    elif size < 65536:
        header = struct.pack("!BBH", TEXT_FINAL, 126, size)
    else:
        header = struct.pack("!BBQ", TEXT_FINAL, 127, size)
    return header + data


def unmask(data, mask, length=None, offset=0):
    """A client frame's payload (RFC 6455, 5.3): its first `length` bytes XORed with the 4-byte
    `mask`, the payload starting `offset` bytes into the masked stream. eventlet does it one byte at
    a time in Python, a bytes object each: 18 µs for a 150-byte command here, against 1 µs for
    this one XOR of two big integers. Same signature and result as eventlet's
    `RFC6455WebSocket._apply_mask`, which eventlet_server.serve replaces with it."""
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    start = offset % 4
    key = bytes(mask[start:4]) + bytes(mask[:start])
    keys = (key * (length // 4 + 1))[:length]
    masked = int.from_bytes(bytes(data[:length]), "big") ^ int.from_bytes(keys, "big")
    return masked.to_bytes(length, "big")


def broadcast(server, event, data, to, spawn, skip_sid=None, namespace="/"):
    """What `server.emit(event, data, to=to, skip_sid=skip_sid)` sends, to this process's sockets:
    encoded once, written at once to each idle websocket, queued for every other socket. `spawn`
    runs a function in a green thread (the rest of a frame the kernel took only part of)."""
    skip = set(skip_sid if isinstance(skip_sid, (list, tuple, set)) else [skip_sid])
    encoded = server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, data]).encode()
    if isinstance(encoded, list):  # binary attachments: several packets, the library's own path
        server.emit(event, data, to=to, skip_sid=list(skip), namespace=namespace, ignore_queue=True)
        return
    packet = eio_packet.Packet(eio_packet.MESSAGE, encoded)
    frame = []  # framed on first use, then the same bytes for every socket
    for sid, eio_sid in server.manager.get_participants(namespace, to):
        if sid not in skip:
            _deliver(server, eio_sid, packet, frame, spawn)


def send(server, eio_sid, sio_packet_to_send, spawn):
    """Send one Socket.IO packet (an acknowledgement) to one socket: written at once when its
    websocket is idle, else queued, as `broadcast` does for each socket."""
    encoded = sio_packet_to_send.encode()
    if isinstance(encoded, list):
        server._send_packet(eio_sid, sio_packet_to_send)
        return
    _deliver(server, eio_sid, eio_packet.Packet(eio_packet.MESSAGE, encoded), [], spawn)


def _deliver(server, eio_sid, packet, frame, spawn):
    """Write `packet` straight to the socket's websocket when nothing can be ahead of it, else queue
    it. `frame`: a list holding the packet's websocket frame once made (shared by a broadcast)."""
    sock = server.eio.sockets.get(eio_sid)
    ws = getattr(sock, ATTRIBUTE, None) if sock is not None else None
    if ws is not None and _idle(sock, ws):
        if not frame:
            frame.append(text_frame(packet.encode()))
        if _write_whole(ws, frame[0], spawn):
            return
    server._send_eio_packet(eio_sid, packet)


def _idle(sock, ws):
    """Nothing can be ahead of a frame written now: the transport is this websocket, plain, nothing
    waits in the queue and the writer is parked on it (so it holds no packet of its own)."""
    if not sock.upgraded or sock.upgrading or sock.closing or sock.closed:
        return False
    if ws.extensions.get("permessage-deflate") is not None:
        return False
    return sock.queue.empty() and sock.queue.getting() > 0 and sock.check_ping_timeout()


def _write_whole(ws, frame, spawn):
    """Write `frame` to the websocket now if nobody is writing to it and the kernel takes at least a
    part; True when it is written (or its rest is on its way, ahead of anything else), False when
    the caller must queue it instead (nothing of it was written)."""
    raw = getattr(ws.socket, "fd", None)
    if _plain_socket["type"] is None or type(raw) is not _plain_socket["type"]:  # TLS, or not eventlet's
        return False
    lock = ws._sendlock
    if not lock.acquire(blocking=False):
        return False
    try:
        sent = raw.send(frame)  # non-blocking (eventlet's sockets are): never waits for a slow reader
    except OSError:  # a full buffer (BlockingIOError) or a broken socket: the queue's path deals with it
        lock.release()
        return False
    if sent == len(frame):
        lock.release()
    else:
        spawn(_finish, ws, frame[sent:], lock)  # the writer waits on the lock until the frame is whole
    return True


def _finish(ws, rest, lock):
    """Write the rest of a frame (the reader was slow), then let the writer go on."""
    try:
        ws.socket.sendall(rest)
    except OSError:  # a frame cut in the middle cannot be mended: close, and the client reconnects
        log.info("a websocket broke in the middle of a frame; closing it")
        try:
            ws.socket.fd.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    finally:
        lock.release()
