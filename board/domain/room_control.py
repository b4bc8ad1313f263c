"""The facilitator's hold on the room: the lock, the door, and leading everyone's view.

- The lock freezes the board: while it is on, every command a participant sends is refused
  with `locked` (LOCK2), and their drags are not relayed (`holds_back`, used by the socket layer).
- The door: while closed, nobody new joins (`door_closed`, DOOR2); those already in stay.
- Follow: every participant's view and the projector go to one focus (FOLLOW1-FOLLOW4); a focus
  is what `set_projector` takes. Participants may leave it and come back: that is their page's
  business, never the board's.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection;
evolvers apply an event's data. decide.py and evolve.py register them, and decide calls `gate`
before the sequence is checked.
"""
import copy

from . import marks
from .errors import BAD_REQUEST, CONFLICT, DOOR_CLOSED, LOCKED, NOT_FOUND, Rejection
from .model import PARTICIPANT

JOIN = "join"  # the server's command that admits a new member (commands.Join.type)


# -- the gate decide calls for every command

def gate(board, role, command_type, roles):
    """The lock's or the door's refusal of a command, or None.

    `roles` are those the command's policy admits: a participant sending a command no participant
    may send is refused for their role (ROLE6), not for the lock.
    """
    if board is None:  # create_board: there is no room yet
        return None
    if command_type == JOIN and not board.room["door_open"]:
        return Rejection(DOOR_CLOSED, "The facilitator has closed this workshop to new arrivals: "
                                      "ask them to open it again.")
    if holds_back(board, role) and PARTICIPANT in roles:
        return Rejection(LOCKED, "The facilitator has locked the board: nothing can change until it is unlocked.")
    return None


def holds_back(board, role):
    """Whether the lock stops `role` now: participants, while the board is locked (never the facilitator).
    The socket layer asks this before relaying a drag."""
    return board.room["locked"] and role == PARTICIPANT


# -- resolvers

def lock_board(board, actor, role, cmd):
    """Freeze the board for participants (LOCK1)."""
    if board.room["locked"]:
        return Rejection(CONFLICT, "The board is already locked.")
    return "board_locked", {}


def unlock_board(board, actor, role, cmd):
    """Let participants change the board again (LOCK3)."""
    if not board.room["locked"]:
        return Rejection(CONFLICT, "The board is not locked.")
    return "board_unlocked", {}


def close_door(board, actor, role, cmd):
    """Refuse new arrivals (DOOR1)."""
    if not board.room["door_open"]:
        return Rejection(CONFLICT, "Joining is already closed.")
    return "door_closed", {}


def open_door(board, actor, role, cmd):
    """Let new arrivals join again (DOOR3)."""
    if board.room["door_open"]:
        return Rejection(CONFLICT, "Joining is already open.")
    return "door_opened", {}


def follow(board, actor, role, cmd):
    """Lead everyone to a focus, again if it is the one they follow (those who left come back);
    or, with no focus, let them go where they like (FOLLOW1, FOLLOW3)."""
    focus = cmd.focus
    if focus is None:
        if board.room["follow"] is None:
            return Rejection(CONFLICT, "Nobody is being led: there is no view to let go of.")
        return "follow_set", {"focus": None}
    refusal = _focus_refusal(board, focus)
    if refusal:
        return refusal
    return "follow_set", {"focus": focus}


def _focus_refusal(board, focus):
    """A focus must name what the board has, and never the deck (as the projector's, DISPLAY5)."""
    refusal = marks.focus_refusal(board, focus, follow=True)  # the projector's own views (DISPLAY8)
    if refusal:
        return refusal
    if focus["kind"] == "row":
        if focus["id"] not in {row["id"] for row in board.format.rows}:
            return Rejection(NOT_FOUND, f"Unknown domain {focus['id']!r}.")
    elif focus["kind"] == "zone":
        zone = board.zones.get(focus["id"])
        if zone is None:
            return Rejection(NOT_FOUND, f"Unknown zone {focus['id']!r}.")
        if zone.kind == "deck":
            return Rejection(BAD_REQUEST, "Everyone can be led to the board, not to the deck.")
    return None


# -- evolvers

def board_locked(board, data):
    board.room["locked"] = True


def board_unlocked(board, data):
    board.room["locked"] = False


def door_closed(board, data):
    board.room["door_open"] = False


def door_opened(board, data):
    board.room["door_open"] = True


def follow_set(board, data):
    """Participants follow the focus; the projector shows it too (letting go leaves the projector as it is)."""
    board.room["follow"] = copy.deepcopy(data["focus"])
    if data["focus"] is not None:
        board.display["focus"] = copy.deepcopy(data["focus"])


FACILITATOR_COMMANDS = ("lock_board", "unlock_board", "follow", "close_door", "open_door")
RESOLVERS = {"lock_board": lock_board, "unlock_board": unlock_board, "follow": follow,
             "close_door": close_door, "open_door": open_door}
EVOLVERS = {"board_locked": board_locked, "board_unlocked": board_unlocked, "follow_set": follow_set,
            "door_closed": door_closed, "door_opened": door_opened}
