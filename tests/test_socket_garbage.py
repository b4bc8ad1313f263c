"""A socket message leaves (almost) no cyclic garbage behind for the collector of a busy server.

Flask-SocketIO builds a Flask request context for every socket message from the connection's environ
(/socket.io/). Without a route there, each message raised and kept a NotFound with its traceback, a
reference cycle of ~50 objects: 10,000 found by one collection at 1,000 sockets (bench/bench_busy_day.py,
docs/performance.md "Busy day").
"""
import gc

import pytest
from flask import request
from werkzeug.test import EnvironBuilder

from board import create_app

WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "garbage.db"), "ASYNC_MODE": "threading"})


def socket_environ(transport):
    return EnvironBuilder(path="/socket.io/", query_string=f"EIO=4&transport={transport}",
                          headers=WEBSOCKET if transport == "websocket" else {}).get_environ()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_socket_messages_request_context_matches_a_route(app, transport):
    with app.request_context(socket_environ(transport)):
        assert request.routing_exception is None


def test_a_hundred_socket_messages_leave_less_than_ten_cyclic_objects_each(app):
    environ = socket_environ("websocket")
    gc.collect()
    gc.disable()  # count what these contexts leave, not what a collection in between would free
    try:
        for _ in range(100):
            with app.request_context(environ):
                pass
        left = gc.collect()
    finally:
        gc.enable()
    assert left < 100 * 10, f"{left} objects of cyclic garbage for 100 messages"
