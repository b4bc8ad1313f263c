"""Rejection codes and the value a refused command returns.

Rejections are values, not exceptions: the room hands them back to the
sender unchanged, and nothing else happens.
"""
from dataclasses import dataclass

BAD_REQUEST = "bad_request"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
CONFLICT = "conflict"
SEQUENCE_CLOSED = "sequence_closed"
TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"
UNAVAILABLE = "unavailable"
LOCKED = "locked"  # the facilitator froze the board (LOCK2)
DOOR_CLOSED = "door_closed"  # the facilitator closed joining (DOOR2)
TIME_UP = "time_up"
NOT_EMPTY = "not_empty"  # a Panorama row or column still holds cards (PANO5)

# The one documented list; docs/protocol.md must name each of these.
ERROR_CODES = (
    BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT,
    SEQUENCE_CLOSED, TOO_LARGE, RATE_LIMITED, UNAVAILABLE, LOCKED, DOOR_CLOSED, TIME_UP, NOT_EMPTY,
)


@dataclass(frozen=True)
class Rejection:
    """A refused command: a code from ERROR_CODES and a sentence for people."""

    code: str
    message: str

    def to_dict(self):
        """The acknowledgement a client receives."""
        return {"ok": False, "code": self.code, "message": self.message}


class InvalidCommand(Exception):
    """Raised while building a command from untrusted input."""

    def __init__(self, code, message):
        super().__init__(message)
        self.rejection = Rejection(code, message)
