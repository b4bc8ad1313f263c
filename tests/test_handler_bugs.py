"""A bug in the server's handling of one message: its sender hears `unavailable`, nothing changes,
and the next message is served.

Commands, positions and catch-ups run without Flask's request context (board/sockets.py `_light`,
for speed), so they catch a handler's failure themselves; the other events keep Flask-SocketIO's
default error handler. Both are checked here with a fault put in the running app (in-process, the
threading server, Flask-SocketIO's own test client).
"""
import pytest

from board import sockets
from board.room import Room
from conftest import in_process_facilitator

UNAVAILABLE = {"ok": False, "code": "unavailable", "message": "The server could not handle this message."}


@pytest.fixture
def facilitator(tmp_path):
    """A socket of a new workshop's facilitator, and the board's room."""
    client, room = in_process_facilitator(tmp_path / "bugs.db")
    yield client, room
    client.disconnect()


def broken(*_args, **_kwargs):
    raise RuntimeError("a bug")


def test_a_bug_handling_a_command_answers_unavailable_and_the_next_command_is_served(facilitator, monkeypatch):
    client, room = facilitator
    version = room.version
    monkeypatch.setattr(Room, "submit", broken)
    command = {"id": "c1", "type": "set_sequence", "data": {"index": 1}}
    assert client.emit("command", command, callback=True) == UNAVAILABLE
    client.emit("command", {**command, "id": "c2"})  # without an acknowledgement: one `error` event
    assert [(m["name"], m["args"]) for m in client.get_received()] == [("error", [UNAVAILABLE])]
    assert room.version == version
    monkeypatch.undo()
    assert client.emit("command", {**command, "id": "c3"}, callback=True) == {"ok": True, "version": version + 1}
    assert room.board.sequence == 1


def test_a_bug_relaying_a_position_or_an_unknown_event_answers_unavailable(facilitator, monkeypatch):
    client, room = facilitator
    monkeypatch.setattr(sockets, "_relay", broken)
    assert client.emit("cursor", {"x": 0.5, "y": 0.5}, callback=True) == UNAVAILABLE
    refuse = sockets._refuse
    # The catch-all's own answer (a bad_request) fails; the error handler's (unavailable) does not.
    monkeypatch.setattr(sockets, "_refuse", lambda code, message: broken() if code == "bad_request"
                        else refuse(code, message))
    assert client.emit("no_such_event", {}, callback=True) == UNAVAILABLE
    monkeypatch.undo()
    assert client.emit("sync", {"since": 0}, callback=True)["ok"] is True
