"""The workshop's details: its title, its date and its place (DESK1-DESK3).

They are set when the board is created (create_board's `details`, else the format's name as the
title) and changed by the facilitator with `describe_workshop`. Everyone on the board may read them:
they name the workshop on the facilitator's desk, the console, the synthesis and the exports.

The command's fields are checked in commands.py (like every other command's); this module holds the
rules, the resolver and the evolver, which decide.py and evolve.py register.
"""
from .errors import BAD_REQUEST, CONFLICT, Rejection


def default_details(fmt_document=None):
    """The details of a board whose creation named none: the format's French name as its title
    (so a board created by a script, or before details existed, is still told apart), no date, no place."""
    name = (fmt_document or {}).get("name") or {}
    title = (name.get("fr") or name.get("en") or "") if isinstance(name, dict) else str(name)
    return {"title": title, "date": None, "place": ""}


def created(data, fmt_document):
    """The details a `board_created` event gives its board (a log written before DESK1 carries none)."""
    details = data.get("details")
    return dict(details) if details else default_details(fmt_document)


# -- resolver

def describe_workshop(board, actor, role, cmd):
    """Change the title, the date and/or the place; only the fields given change (DESK2).

    A date given as "" takes the date away. Nothing to change, or no change at all, is refused.
    """
    if cmd.title is None and cmd.date is None and cmd.place is None:
        return Rejection(BAD_REQUEST, "Give a title, a date or a place to change.")
    details = dict(board.details)
    if cmd.title is not None:
        details["title"] = cmd.title
    if cmd.date is not None:
        details["date"] = cmd.date or None
    if cmd.place is not None:
        details["place"] = cmd.place
    if details == board.details:
        return Rejection(CONFLICT, "The workshop already has this title, date and place.")
    return "workshop_described", {"details": details}


# -- evolver

def workshop_described(board, data):
    board.details = dict(data["details"])


FACILITATOR_COMMANDS = ("describe_workshop",)
RESOLVERS = {"describe_workshop": describe_workshop}
EVOLVERS = {"workshop_described": workshop_described}


# -- where a workshop stands, as the facilitator's desk shows it (DESK4)

PREPARING, RUNNING, FINISHED = "preparing", "running", "finished"


def workshop_state(board):
    """"preparing" while nobody joined and the board is still at its first sequence; "finished" once
    the vote's results are revealed; "running" in between."""
    if board.vote.revealed:
        return FINISHED
    joined = any(p.role == "participant" for p in board.participants.values())
    if not joined and board.sequence == 0:
        return PREPARING
    return RUNNING
