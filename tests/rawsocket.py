"""A raw Engine.IO / Socket.IO client over a websocket: it writes frames byte for byte, so a test
can send what no well-behaved Socket.IO client would (broken packets, odd acks, binary attachments).
"""
import json
import queue
import threading

import websocket

OPEN, CLOSE, PING, PONG, MESSAGE = "0", "1", "2", "3", "4"
CONNECT, EVENT, ACK, CONNECT_ERROR = "0", "2", "3", "4"


class RawSocket:
    """One websocket to /socket.io/, with a reader thread that answers pings and queues the rest."""

    def __init__(self, base_url, timeout=5):
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, timeout=timeout, origin=base_url)
        self.timeout = timeout
        opening = self.ws.recv()
        assert opening.startswith(OPEN), opening
        self.frames = queue.Queue()  # Socket.IO packets received (text after the Engine.IO "4")
        self.closed = threading.Event()
        self._send_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                frame = self.ws.recv()
                if isinstance(frame, bytes) or frame == "":
                    continue
                if frame == PING:
                    self.send_raw(PONG)
                elif frame.startswith(MESSAGE):
                    self.frames.put(frame[1:])
                elif frame.startswith(CLOSE):
                    break
        except (websocket.WebSocketException, OSError):
            pass
        finally:
            self.closed.set()

    def send_raw(self, text):
        """Send one websocket text frame exactly as given (an Engine.IO packet, or garbage)."""
        with self._send_lock:
            self.ws.send(text)

    def send_binary(self, data):
        """Send one websocket binary frame (a Socket.IO attachment, or garbage)."""
        with self._send_lock:
            self.ws.send_binary(data)

    def send_packet(self, packet):
        """Send one Socket.IO packet (the text after the Engine.IO message type)."""
        self.send_raw(MESSAGE + packet)

    def connect(self, auth):
        """Ask to join the main namespace with `auth`; the server's answer packet (connect or error)."""
        self.send_packet(CONNECT + (json.dumps(auth) if auth is not None else ""))
        return self.next_packet(lambda packet: packet[:1] in (CONNECT, CONNECT_ERROR))

    def next_packet(self, wanted, timeout=None):
        """The next received packet for which `wanted(packet)` holds; the others are kept in order."""
        skipped, found = [], None
        try:
            while found is None:
                packet = self.frames.get(timeout=timeout or self.timeout)
                if wanted(packet):
                    found = packet
                else:
                    skipped.append(packet)
        finally:
            # put back what was not wanted, in front of anything that came later
            rest = []
            while not self.frames.empty():
                rest.append(self.frames.get_nowait())
            for packet in skipped + rest:
                self.frames.put(packet)
        return found

    def drain(self):
        """Every packet received so far, oldest first, emptying the queue."""
        packets = []
        while not self.frames.empty():
            packets.append(self.frames.get_nowait())
        return packets

    def close(self):
        """Close the websocket."""
        try:
            self.ws.close()
        except (websocket.WebSocketException, OSError):
            pass


def _body(packet):
    """A packet's text after its type and namespace ("2/nope,7[...]" -> "7[...]")."""
    body = packet[1:]
    if body.startswith("/"):
        body = body.split(",", 1)[1] if "," in body else ""
    return body


def event_payload(packet):
    """The (name, first argument) of an EVENT packet, else None."""
    if not packet.startswith(EVENT):
        return None
    body = _body(packet).lstrip("0123456789")
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return (data[0], data[1] if len(data) > 1 else None) if isinstance(data, list) and data else None


def ack_of(packet):
    """(ack id, answer) of an ACK packet, else None."""
    if not packet.startswith(ACK):
        return None
    body = _body(packet)
    digits = len(body) - len(body.lstrip("0123456789"))
    if not digits:
        return None
    data = json.loads(body[digits:])
    return int(body[:digits]), data[0] if data else None
