"""Light sockets for a room full of people: each one only connects with its token and reads, so a
test can have hundreds present on a board without a full client (and its replica) per person."""
import json
import threading

import websocket


class PresentSocket:
    """One participant's open board: connected with its token, reading (and dropping) what comes,
    answering the server's pings, so the server counts it present as long as it is open."""

    def __init__(self, base_url, token):
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        # The presence lists of a filling room add up to gigabytes (issue 13): checked byte by byte
        # in Python they would take minutes, and this socket never reads them anyway.
        self.ws = websocket.create_connection(url, timeout=30, origin=base_url, skip_utf8_validation=True)
        assert self.ws.recv().startswith("0")  # Engine.IO open
        self.ws.send("40" + json.dumps({"token": token}))
        self.welcomed = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        try:
            while True:
                frame = self.ws.recv()
                if frame == "2":
                    self.ws.send("3")
                elif isinstance(frame, str) and frame.startswith('42["welcome"'):
                    self.welcomed.set()
                elif frame == "" or (isinstance(frame, str) and frame.startswith("1")):
                    return
        except (websocket.WebSocketException, OSError):
            return

    def close(self):
        try:
            self.ws.close()
        except (websocket.WebSocketException, OSError):
            pass


def open_present(base_url, tokens, timeout=60):
    """One PresentSocket per token, each welcomed by the server; the caller closes them."""
    sockets = []
    try:
        for token in tokens:
            sockets.append(PresentSocket(base_url, token))
        for sock in sockets:
            assert sock.welcomed.wait(timeout), "a participant's socket got no welcome"
    except BaseException:
        close_all(sockets)
        raise
    return sockets


def close_all(sockets):
    """Close every socket of `sockets`."""
    for sock in sockets:
        sock.close()
