""""Done": a participant, or their team, tells the facilitator they have finished the sequence.

Who says done is data: a sequence of the format whose `done` is `team` (team work, such as placing
cards together) counts teams, and so does the vote's sequence when the vote is per team; any other
counts participants. The board keeps the ids that said done (`board.done`); a new sequence starts
with nobody done.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data. decide.py and evolve.py register them.
"""
from .errors import CONFLICT, FORBIDDEN, Rejection
from .model import PARTICIPANT
from .vote import VOTE

TEAM, PERSON = "team", "participant"


def unit(board):
    """Who says done in the current sequence: "team" or "participant" (DONE2)."""
    sequence = board.current_sequence
    if sequence.done == TEAM or (VOTE in sequence.allows and board.vote.mode == TEAM):
        return TEAM
    return PERSON


def _key(board, actor):
    """The id that says done for `actor`: their own, or their team's; a Rejection when they have none."""
    if unit(board) == PERSON:
        return actor
    team = board.participants[actor].team
    if team is None:
        return Rejection(FORBIDDEN, "Join a team first: in this sequence a team says it is done.")
    return team


def counted(board):
    """Those who could say done now, and those who did: ({"unit", "total", "done": [ids]})."""
    if unit(board) == TEAM:
        everyone = list(board.teams)
    else:
        everyone = [pid for pid, p in board.participants.items() if p.role == PARTICIPANT]
    done = [key for key in everyone if key in board.done]
    return {"unit": unit(board), "total": len(everyone), "done": done}


# -- resolvers

def set_done(board, actor, role, cmd):
    """Say done, or take it back (DONE1); saying what is already so is a conflict (DONE3)."""
    key = _key(board, actor)
    if isinstance(key, Rejection):
        return key
    if cmd.done == (key in board.done):
        return Rejection(CONFLICT, "Already said done." if cmd.done else "Nothing to take back: not said done.")
    return "done_changed", {"who": key, "done": cmd.done, "unit": unit(board)}


# -- evolvers

def done_changed(board, data):
    if data["done"]:
        board.done[data["who"]] = data["unit"]
    else:
        board.done.pop(data["who"], None)


def sequence_changed(board):
    """A new sequence starts with nobody done (DONE4): part of `sequence_changed`."""
    board.done.clear()


RESOLVERS = {"set_done": set_done}
EVOLVERS = {"done_changed": done_changed}
