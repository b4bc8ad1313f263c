"""The real-time protocol: every message name, in one place.

static/js/protocol.js holds the same lists for the browser; a test checks
that the two agree and that docs/protocol.md documents every name.
"""
from .domain import COMMANDS, ERROR_CODES, EVENT_TYPES, SERVER_ONLY

PROTOCOL_VERSION = 1

# Socket.IO events a client sends.
CLIENT_COMMAND = "command"  # a state change, acknowledged
CLIENT_SYNC = "sync"  # "what did I miss since version N", acknowledged
CLIENT_DRAG = "drag"  # ephemeral: a card being dragged
CLIENT_CURSOR = "cursor"  # ephemeral: a pointer position
CLIENT_EVENTS = (CLIENT_COMMAND, CLIENT_SYNC, CLIENT_DRAG, CLIENT_CURSOR)

# Socket.IO events the server sends.
SERVER_WELCOME = "welcome"  # full state on connect
SERVER_EVENT = "event"  # one accepted change, version-stamped
SERVER_EVENT_BATCH = "events"  # changes committed together, in version order, in one frame
SERVER_PRESENCE = "presence"  # who is online, in which team
SERVER_DRAG = "dragging"  # relayed drag positions, never stored
SERVER_CURSOR = "pointer"  # relayed cursors, never stored
SERVER_ERROR = "error"  # a message that could not be acknowledged was refused
SERVER_CLOSED = "closed"  # the workshop was deleted: the socket closes, the link opens nothing
SERVER_MOVED = "moved"  # another server process serves the board now: reconnect (docs/deployment.md)
SERVER_EVENTS = (SERVER_WELCOME, SERVER_EVENT, SERVER_EVENT_BATCH, SERVER_PRESENCE, SERVER_DRAG, SERVER_CURSOR,
                 SERVER_ERROR, SERVER_CLOSED, SERVER_MOVED)

# Command types a client may send inside a `command` message.
CLIENT_COMMAND_TYPES = tuple(name for name in COMMANDS if name not in SERVER_ONLY)
BOARD_EVENT_TYPES = EVENT_TYPES

# Limits that shape the protocol.
MAX_MESSAGE_BYTES = 64 * 1024  # Socket.IO refuses larger packets outright
MAX_COMMAND_BYTES = 8 * 1024  # a command larger than this is answered too_large
EPHEMERAL_HZ = 30  # relayed drag/cursor positions per second per client, at most
# Commands per connection: flood protection, never a person's limit. A person drops a card or
# presses a key a few times a second at most; 50/s sustained (a burst of 100) is far above that,
# and above the ~34/s each of 60 senders needs for a board's 2,000 moves/s (issue 13), so the limit
# is not what a load test measures, while a runaway script on one socket is still cut to 50/s.
COMMANDS_PER_SECOND = 50  # sustained command rate per connection
COMMAND_BURST = 100  # commands a connection may send at once

__all__ = ["ERROR_CODES"]
