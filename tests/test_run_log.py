"""The server's log: secrets redacted in either server mode, a client that left mid-response is one quiet line."""
import io
import time

import pytest
import requests

from board.logs import SECRET_MASK, RedactingLog
from conftest import create_workshop
from realtime import BoardClient

GONE = """Traceback (most recent call last):
  File "eventlet/wsgi.py", line 683, in handle_one_response
    write(b''.join(towrite))
BrokenPipeError: [Errno 32] Broken pipe
"""
REAL = """Traceback (most recent call last):
  File "board/views.py", line 1, in join
ValueError: something really broke
"""


def logged(text):
    stream = io.StringIO()
    RedactingLog(stream).write(text)
    return stream.getvalue()


def test_a_client_that_left_mid_response_is_one_line_not_a_traceback():
    out = logged(GONE)
    assert "Traceback" not in out and out.count("\n") == 1
    assert "client left" in out and "BrokenPipeError" in out


def test_a_real_error_keeps_its_whole_traceback():
    assert logged(REAL) == REAL


def test_tokens_in_the_access_log_are_redacted():
    out = logged('"GET /p/abcdefghijklmnopqrstuvwxyz0123456789ABCD HTTP/1.1" 200\n')
    assert "abcdefghijklmnopqrstuvwxyz" not in out and "[secret]" in out


@pytest.mark.parametrize("mode", ("eventlet", "threading"))
def test_a_real_server_never_prints_a_token_in_either_mode(fresh_server, mode):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100", "--async-mode", mode])
    workshop = create_workshop(server.url, participants=1)
    tokens = [workshop["participants"][0]["token"], workshop["admin_token"], workshop["projector_token"]]
    for path in (f"/p/{tokens[0]}", f"/f/{tokens[1]}", f"/s/{tokens[2]}", f"/p/{tokens[0]}?lang=en"):
        assert requests.get(server.url + path, timeout=5).ok
    client = BoardClient(server.url, tokens[0])
    client.close()
    # A link shows its board's id (not a secret: a proxy routes on it), never the secret after it.
    board = tokens[0].split(".")[0]
    output = wait_for_log(server, f"/p/{board}.{SECRET_MASK}")
    assert f"GET /p/{board}.{SECRET_MASK}" in output and f"GET /f/{board}.{SECRET_MASK}" in output, output[-2000:]
    assert not [token for token in tokens if token in output], output[-2000:]


def wait_for_log(server, text, seconds=5):
    """The server's output once it holds `text` (an access log line is written after the answer)."""
    deadline = time.monotonic() + seconds
    while text not in server.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.output()
