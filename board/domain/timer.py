"""The sequence's timer: start, pause, resume, a minute more or less, stop; and the freeze at zero.

The board holds the timer as data every screen can count down from: while it runs, the absolute
time it ends (`ends_at`, on the server's clock: an event's `at`); while paused, the seconds left
(`remaining`). Clients get the server's clock in `welcome` (`server_time`) and count down on
their own, so no tick is ever broadcast. A timer belongs to its sequence: a new sequence has none.

Resolvers take (board, actor, role, command, at), the command's server time being what they need,
and give (event type, data) or a Rejection; evolvers apply an event's data; `freeze_refusal` is the
gate decide.py calls before every command.
"""
from .errors import CONFLICT, TIME_UP, Rejection
from .formats import GATED_COMMANDS
from .model import PARTICIPANT

RUNNING, PAUSED = "running", "paused"


def remaining(timer, at):
    """Seconds left at server time `at` (never below 0), or None without a timer."""
    if timer is None:
        return None
    left = timer["ends_at"] - at if timer["status"] == RUNNING else timer["remaining"]
    return max(0.0, round(left, 3))


def time_is_up(board, at):
    """Whether the board's timer has reached zero at server time `at`."""
    return board.timer is not None and remaining(board.timer, at) <= 0


def freeze_refusal(board, role, command_type, at):
    """The `time_up` refusal of a participant's board change once a freezing timer is at zero (TIME7).

    Only the sequence's work is frozen (the commands a sequence may open, formats.GATED_COMMANDS):
    a participant may still say they are done, and the facilitator is never frozen.
    """
    if role != PARTICIPANT or command_type not in GATED_COMMANDS or board is None:
        return None
    if board.timer is None or not board.timer["freeze"] or not time_is_up(board, at):
        return None
    return Rejection(TIME_UP, "Time is up: the facilitator has frozen the board until they add time or move on.")


def _running(ends_at, duration, freeze):
    return {"status": RUNNING, "ends_at": round(ends_at, 3), "remaining": None, "duration": duration,
            "freeze": freeze}


def _paused(left, duration, freeze):
    return {"status": PAUSED, "ends_at": None, "remaining": round(max(0.0, left), 3), "duration": duration,
            "freeze": freeze}


# -- resolvers: (board, actor, role, command, at) -> (event type, data) or Rejection. They alone need
# the server time of the command, `at`, which decide() hands them (TIMED_RESOLVERS). The event's data
# is the whole timer afterwards, so a client applies it by assignment.

def start(board, actor, role, cmd, at):
    """A new countdown of `seconds` from now, replacing any timer of the sequence (TIME1)."""
    return "timer_started", _running(at + cmd.seconds, cmd.seconds, bool(cmd.freeze))


def pause(board, actor, role, cmd, at):
    """Hold a running timer (TIME2); one at zero has nothing left to hold."""
    timer = board.timer
    if timer is None or timer["status"] != RUNNING:
        return Rejection(CONFLICT, "No timer is running.")
    if time_is_up(board, at):
        return Rejection(CONFLICT, "Time is up already: add a minute or stop the timer.")
    return "timer_paused", _paused(timer["ends_at"] - at, timer["duration"], timer["freeze"])


def resume(board, actor, role, cmd, at):
    """Count down again what was left when paused (TIME2)."""
    timer = board.timer
    if timer is None or timer["status"] != PAUSED:
        return Rejection(CONFLICT, "No timer is paused.")
    if timer["remaining"] <= 0:
        return Rejection(CONFLICT, "No time is left: add a minute first.")
    return "timer_resumed", _running(at + timer["remaining"], timer["duration"], timer["freeze"])


def adjust(board, actor, role, cmd, at):
    """Minutes more or less (TIME3). Added to a timer at zero they count from now (that lifts the
    freeze); taken off, the timer never goes below zero."""
    timer = board.timer
    if timer is None:
        return Rejection(CONFLICT, "There is no timer to change: start one.")
    left = remaining(timer, at) + cmd.minutes * 60
    if timer["status"] == PAUSED:
        return "timer_adjusted", _paused(left, timer["duration"], timer["freeze"])
    return "timer_adjusted", _running(at + max(0.0, left), timer["duration"], timer["freeze"])


def stop(board, actor, role, cmd, at):
    """Take the timer away (TIME4)."""
    if board.timer is None:
        return Rejection(CONFLICT, "There is no timer to stop.")
    return "timer_stopped", {}


# -- evolvers

def timer_set(board, data):
    board.timer = dict(data)


def timer_stopped(board, data):
    board.timer = None


def sequence_changed(board):
    """A new sequence starts with no timer (TIME6): part of `sequence_changed`."""
    board.timer = None


TIMED_RESOLVERS = {"start_timer": start, "pause_timer": pause, "resume_timer": resume, "adjust_timer": adjust,
                   "stop_timer": stop}
FACILITATOR_COMMANDS = tuple(TIMED_RESOLVERS)
EVOLVERS = {"timer_started": timer_set, "timer_paused": timer_set, "timer_resumed": timer_set,
            "timer_adjusted": timer_set, "timer_stopped": timer_stopped}
