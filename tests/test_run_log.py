"""The server's log (run.py): secrets redacted, a client that left mid-response is one quiet line."""
import io

from board.logs import RedactingLog

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
