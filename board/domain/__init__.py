"""The domain core: pure Python, standard library only.

It knows boards, commands, rules and events, and nothing of Flask,
Socket.IO, SQLite or eventlet, so it can be tested, fuzzed and replayed alone.
"""
from .commands import COMMANDS, SERVER_ONLY, parse_command
from .decide import Event, decide, move_refusal, sequence_allows
from .errors import ERROR_CODES, InvalidCommand, Rejection
from .evolve import EVENT_TYPES, evolve, replay
from .formats import FormatError, available_formats, load_format, read_format
from .model import FACILITATOR, PARTICIPANT, PROJECTOR, SYSTEM, Board

__all__ = [
    "COMMANDS", "SERVER_ONLY", "parse_command", "Event", "decide", "sequence_allows", "ERROR_CODES",
    "move_refusal",
    "InvalidCommand", "Rejection", "EVENT_TYPES", "evolve", "replay", "FormatError",
    "available_formats", "load_format", "read_format", "FACILITATOR", "PARTICIPANT", "PROJECTOR",
    "SYSTEM", "Board",
]
