"""What the server writes to its log: never a token, whatever the server loop.

Secret links carry their token in the path (/f/<token>, /p/<token>, /s/<token>), so every access
log line would show one. Under eventlet the access log is a stream (RedactingLog); under threading
it is werkzeug's logger, and other libraries log through `logging` too (redact_logging).
Standard library only: run.py uses it before the app exists.
"""
import logging
import re

# A token is 32 URL-safe characters or more; nothing else the server logs is that long unbroken.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,}")
SECRET_MASK = "[secret]"

# A browser that closes its tab while a page is still loading leaves the server writing to a closed
# socket: nothing went wrong on the server, so one quiet line says so instead of a traceback.
CLIENT_GONE = ("BrokenPipeError", "ConnectionResetError", "ConnectionAbortedError")


def redact(text):
    """`text` with anything shaped like a token replaced by [secret]."""
    return SECRET_PATTERN.sub(SECRET_MASK, text)


class RedactingLog:
    """The access log, with anything shaped like a token replaced, and clients gone said in one line."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, line):
        last = line.strip().splitlines()[-1] if line.strip() else ""
        if line.startswith("Traceback") and last.startswith(CLIENT_GONE):
            line = f"a client left before its response was sent ({last.split(':')[0]})\n"
        self.stream.write(redact(line))
        self.stream.flush()

    def flush(self):
        self.stream.flush()


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message (and traceback) without tokens."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


# Loggers that may hold handlers of their own (werkzeug adds one when the root has none).
_LOGGERS_WITH_OWN_HANDLERS = ("werkzeug", "engineio.server", "socketio.server")


def redact_logging():
    """Redact tokens from every log record, whichever handler ends up writing it.

    A filter on the root's handlers sees every record that propagates; a filter on the loggers
    that may write through a handler of their own covers those too. Idempotent.
    """
    targets = [*logging.getLogger().handlers, *(logging.getLogger(name) for name in _LOGGERS_WITH_OWN_HANDLERS)]
    for target in targets:
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())
