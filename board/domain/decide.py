"""Deciding: a command against the current state gives one event or a rejection.

Every command goes through the same sections, in order: AUTH (who may send
it, in which sequence), VALIDATION (does it make sense on this board), then
RESOLUTION (the event's data). Nothing here changes the board; evolve.py does.
"""
import copy
from dataclasses import dataclass

from . import commands as c
from . import anonymity, canvas, deck, details, documents, done, evaluation, links, marks, material, notes, panorama, privacy, ratings, room_control, synthesis, teams, timer, vote
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, SEQUENCE_CLOSED, UNAUTHORIZED, Rejection
from .formats import FormatError, load_format
from .model import DECK_CARD, FACILITATOR, PARTICIPANT, SYSTEM


@dataclass(frozen=True)
class Event:
    """An accepted change, stamped with the board version it produced."""

    version: int
    type: str
    data: dict
    actor: str
    at: float
    command_id: str | None = None

    def to_dict(self):
        """The message every client of the board receives."""
        return {"version": self.version, "type": self.type, "data": self.data,
                "actor": self.actor, "at": self.at, "command_id": self.command_id}


@dataclass(frozen=True)
class Policy:
    """Who may send a command, and whether participants need the sequence to allow it."""

    roles: frozenset
    gated: bool = False


EVERYONE = frozenset({FACILITATOR, PARTICIPANT})
POLICIES = {
    c.CreateBoard.type: Policy(frozenset({SYSTEM})),
    c.Join.type: Policy(frozenset({SYSTEM})),
    c.RestoreBoard.type: Policy(frozenset({SYSTEM})),
    c.CreateTeam.type: Policy(frozenset({FACILITATOR})),
    c.JoinTeam.type: Policy(EVERYONE, gated=True),
    c.MoveCard.type: Policy(EVERYONE, gated=True),
    c.CreateCard.type: Policy(EVERYONE, gated=True),
    c.EditCard.type: Policy(EVERYONE, gated=True),
    c.DeleteCard.type: Policy(EVERYONE, gated=True),
    c.SetSequence.type: Policy(frozenset({FACILITATOR})),
    c.SetProjector.type: Policy(frozenset({FACILITATOR})),
    c.Configure.type: Policy(frozenset({FACILITATOR})),
    c.SplitTeams.type: Policy(frozenset({FACILITATOR})),
    c.RevealCards.type: Policy(frozenset({FACILITATOR})),
    c.ConfigureVote.type: Policy(frozenset({FACILITATOR})),
    c.OpenVote.type: Policy(frozenset({FACILITATOR})),
    c.CloseVote.type: Policy(frozenset({FACILITATOR})),
    c.ReopenVote.type: Policy(frozenset({FACILITATOR})),
    c.RevealResults.type: Policy(frozenset({FACILITATOR})),
    c.Vote.type: Policy(EVERYONE, gated=True),
    **{kind: Policy(frozenset({FACILITATOR})) for kind in teams.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in privacy.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in room_control.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in timer.FACILITATOR_COMMANDS},
    c.SetDone.type: Policy(frozenset({PARTICIPANT})),
    **{kind: Policy(frozenset({FACILITATOR})) for kind in anonymity.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in material.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in panorama.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in deck.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in synthesis.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in details.FACILITATOR_COMMANDS},
    ratings.RATE: Policy(EVERYONE, gated=True),
    **{kind: Policy(frozenset({FACILITATOR})) for kind in ratings.FACILITATOR_COMMANDS},
    **{kind: Policy(EVERYONE, gated=True) for kind in canvas.GATED_COMMANDS},  # families (CANVAS)
    **{kind: Policy(frozenset({PARTICIPANT}), gated=True) for kind in marks.PARTICIPANT_COMMANDS},
    **{kind: Policy(frozenset({FACILITATOR})) for kind in marks.FACILITATOR_COMMANDS},
    **{kind: Policy(EVERYONE, gated=True) for kind in links.GATED_COMMANDS},  # links between cards (LINK)
    # The evaluation (EVAL): its resolver gates the answer, open in a sequence that allows it or once opened.
    **{kind: Policy(frozenset({FACILITATOR})) for kind in evaluation.FACILITATOR_COMMANDS},
    **{kind: Policy(frozenset({PARTICIPANT})) for kind in evaluation.PARTICIPANT_COMMANDS},
}
# The material's commands are defined in material.py; parse_command reads the one catalogue.
c.COMMANDS.update(material.COMMANDS)
# The teams' default colours (split_teams, and the console's colour input; static/js/teams.js holds
# the same list). The first four are as far apart as can be for people with normal vision and with
# red-green colour blindness (deuteranopia, protanopia): CIEDE2000 distance >= 25 under each, and
# each at least 3:1 against a white card. Four colours that all stand out from white cannot also be
# 3:1 from each other, so a team is never told by colour alone: its name and mark go with it.
TEAM_COLOURS = ("#001848", "#2a9d70", "#7643e4", "#404000", "#186060", "#ff4800", "#300000", "#480090",
                "#786048", "#7890c0", "#a86090", "#601830")


def decide(board, actor_id, command, at, command_id=None):
    """Check `command` from `actor_id` against `board`: an Event, or a Rejection."""
    # Only create_board makes sense before a board exists; every resolver else reads the board.
    if board is None and command.type != c.CreateBoard.type:
        return Rejection(NOT_FOUND, "No such board.")
    # AUTH
    role = _role(board, actor_id)
    if role is None:
        return Rejection(UNAUTHORIZED, "You are not a member of this board.")
    refusal = _admission(board, role, command.type, at, gate=canvas.gate(command.type) if command.type in canvas.COMMANDS
                         else notes.gate(board, command))
    if refusal:
        return refusal
    # VALIDATION and RESOLUTION, per command (the timer's alone need the server time)
    outcome = RESOLVERS[command.type](board, actor_id, role, command) if command.type in RESOLVERS \
        else timer.TIMED_RESOLVERS[command.type](board, actor_id, role, command, at)
    if isinstance(outcome, Rejection):
        return outcome
    event_type, data = outcome
    version = (board.version if board else 0) + 1
    return Event(version, event_type, data, actor_id, at, command_id)


def _role(board, actor_id):
    if actor_id == SYSTEM:
        return SYSTEM
    member = board.participants.get(actor_id) if board else None
    return member.role if member else None


def _admission(board, role, command_type, at=None, gate=None):
    """Whether the room lets `role` send `command_type` now (server time `at`): the lock and the door
    first, so a frozen room says so whatever the sequence (LOCK2), then the role and the sequence
    gate, then a timer run out that freezes the board (TIME7; only when the time is known). `gate` is
    the name the sequence must allow when it is not the command's own (a note's `add_note`, NOTE8)."""
    return room_control.gate(board, role, command_type, POLICIES[command_type].roles) \
        or _check_policy(board, role, command_type, gate) \
        or (timer.freeze_refusal(board, role, command_type, at) if at is not None else None)


def _check_policy(board, role, command_type, gate=None):
    """Role first, then the sequence gate; the facilitator is never gated."""
    policy = POLICIES[command_type]
    if role not in policy.roles:
        return Rejection(FORBIDDEN, f"Your role ({role}) may not {command_type.replace('_', ' ')}.")
    if policy.gated and role != FACILITATOR and (gate or command_type) not in board.current_sequence.allows:
        name = board.current_sequence.name["en"]
        return Rejection(SEQUENCE_CLOSED, f"The current sequence ({name}) does not allow this.")
    return None


def sequence_allows(board, role, command_type):
    """Whether `role` may send `command_type` now (for clients that grey out actions); `add_note`
    asks about notes (create_card, edit_card, delete_card on a note, NOTE8)."""
    if command_type == notes.GATE:
        return _check_policy(board, role, c.CreateCard.type, notes.GATE) is None
    return _check_policy(board, role, command_type, canvas.gate(command_type)) is None


def move_refusal(board, actor_id, card_id, at=None):
    """None when `actor_id` may move card `card_id` now, else the Rejection `move_card` would give.

    The drag channel asks this before relaying a drag, so a drag is shown to others exactly when
    the move it announces could be accepted: one rule for both (the lock, role, sequence gate, the card).
    """
    role = _role(board, actor_id)
    if role is None:
        return Rejection(UNAUTHORIZED, "You are not a member of this board.")
    refusal = _admission(board, role, c.MoveCard.type, at)
    if refusal:
        return refusal
    card = board.cards.get(card_id)
    if card is None:
        return Rejection(NOT_FOUND, f"Unknown card {card_id!r}.")
    return _card_held(board, actor_id, role, card)


def _card_held(board, actor, role, card):
    """What keeps `actor` from moving `card` wherever it goes: a note (it is where its card is,
    NOTE4), another team's card (a lock on a card belongs here too, so that moves and drags keep it alike)."""
    refusal = notes.move_refusal(card)
    if refusal:
        return refusal
    if role != FACILITATOR and card.team is not None and card.team != _team_of(board, actor):
        return Rejection(FORBIDDEN, f"This card belongs to the team {board.teams[card.team].name}.")
    return None


# -- resolvers: (board, actor, role, command) -> (event type, data) or Rejection

def _create_board(board, actor, role, cmd):
    if board is not None and board.version > 0:
        return Rejection(CONFLICT, "This board already exists.")
    if cmd.facilitator_id == cmd.projector_id:
        # Both become members under that id: the projector would replace the facilitator.
        return Rejection(BAD_REQUEST, "The facilitator and the projector need different ids.")
    if SYSTEM in (cmd.facilitator_id, cmd.projector_id):
        return _reserved_id()
    try:
        load_format(cmd.format)  # a bad format never reaches the log
    except FormatError as error:
        return Rejection(BAD_REQUEST, str(error))
    # A copy: the event (and the log) must not change if the sender's document does.
    data = {"board_id": cmd.board_id, "format": copy.deepcopy(cmd.format),
            "facilitator": {"id": cmd.facilitator_id, "name": cmd.facilitator_name},
            "projector": {"id": cmd.projector_id}}
    if cmd.details is not None:  # else the format's name is the title (DESK1)
        data["details"] = dict(cmd.details)
    return "board_created", data


def _join(board, actor, role, cmd):
    if cmd.participant_id == SYSTEM:
        return _reserved_id()
    if cmd.participant_id in board.participants:
        return Rejection(CONFLICT, "This participant id is taken.")
    taken = teams.name_refusal(board, cmd.name)  # two "Bruno" cannot be told apart (TEAM14)
    if taken:
        return taken
    return "participant_joined", {"id": cmd.participant_id, "name": cmd.name, "role": cmd.role}


def _create_team(board, actor, role, cmd):
    if any(t.name.casefold() == cmd.name.casefold() for t in board.teams.values()):
        return Rejection(CONFLICT, f"A team is already called {cmd.name!r}.")
    if cmd.domain is not None and cmd.domain not in _row_ids(board):
        return Rejection(NOT_FOUND, f"Unknown domain {cmd.domain!r}.")
    team_id = _fresh_id(board.teams, "t", board.version + 1)
    return "team_created", {"id": team_id, "name": cmd.name, "colour": cmd.colour, "domain": cmd.domain}


def _join_team(board, actor, role, cmd):
    member_id = cmd.participant_id or actor
    if member_id != actor and role != FACILITATOR:
        return Rejection(FORBIDDEN, "Only the facilitator may place someone else in a team.")
    if role != FACILITATOR and not board.options["team_choice"]:
        return Rejection(FORBIDDEN, "The facilitator forms the teams in this workshop.")
    member = board.participants.get(member_id)
    if member is None:
        return Rejection(NOT_FOUND, f"Unknown participant {member_id!r}.")
    if member.role != PARTICIPANT:
        return Rejection(FORBIDDEN, f"Only participants join teams, and {member_id!r} is the {member.role}.")
    if cmd.team_id is not None and cmd.team_id not in board.teams:
        return Rejection(NOT_FOUND, f"Unknown team {cmd.team_id!r}.")
    return "team_joined", {"participant_id": member_id, "team_id": cmd.team_id}


def _move_card(board, actor, role, cmd):
    card = board.cards.get(cmd.card_id)
    if card is None:
        return Rejection(NOT_FOUND, f"Unknown card {cmd.card_id!r}.")
    if cmd.zone_id not in board.zones:
        return Rejection(NOT_FOUND, f"Unknown zone {cmd.zone_id!r}.")
    if board.zones[cmd.zone_id].kind == "deck" and card.kind != DECK_CARD:
        return Rejection(FORBIDDEN, "Only deck cards go back to the deck.")
    refusal = _card_held(board, actor, role, card)
    if refusal:
        return refusal
    z = card.z if card.zone == cmd.zone_id and card.z == board.top_z(cmd.zone_id) - 1 \
        else board.top_z(cmd.zone_id)
    team, colour = _deck_card_owner(board, card, actor, cmd.zone_id) if card.kind == DECK_CARD \
        else (card.team, card.colour)
    return "card_moved", {"card_id": card.id, "zone_id": cmd.zone_id, "x": cmd.x, "y": cmd.y, "z": z,
                          "team": team, "colour": colour, "placed_by": _placed_by(board, card, actor, cmd.zone_id)}


def _create_card(board, actor, role, cmd):
    if cmd.zone_id not in board.zones:
        return Rejection(NOT_FOUND, f"Unknown zone {cmd.zone_id!r}.")
    if board.zones[cmd.zone_id].kind == "deck" and cmd.parent is None:  # a note goes where its card is (NOTE4)
        return Rejection(FORBIDDEN, "New cards cannot be written into the deck.")
    if cmd.card_id is not None and cmd.card_id in board.cards:
        return Rejection(CONFLICT, f"A card with id {cmd.card_id!r} exists already.")
    refusal = marks.quote_refusal(board, cmd.kind)
    if refusal:
        return refusal
    speaker = marks.speaker_choice(board, cmd.speaker, cmd.kind)
    if isinstance(speaker, Rejection):
        return speaker
    card_id = cmd.card_id or _fresh_id(board.cards, "c", board.version + 1)
    team = _team_of(board, actor)
    colour = cmd.colour or (board.teams[team].colour if team else None)
    # In private mode a team's new cards stay hidden from the other teams until revealed.
    private = board.options["private_cards"] and team is not None
    data = {"id": card_id, "kind": cmd.kind, "text": cmd.text, "description": cmd.description or "",
            "zone_id": cmd.zone_id, "x": cmd.x, "y": cmd.y, "z": board.top_z(cmd.zone_id),
            "author": actor, "team": team, "colour": colour, "private": private}
    if speaker is not None:  # only cards that name who said them carry it (MARK11)
        data["speaker"] = speaker
    if cmd.parent is None:
        return notes.not_a_note_refusal(cmd) or ("card_created", data)
    # A note (NOTE2-NOTE7): its zone, place, team and privacy are its card's business.
    note = notes.created(board, cmd, team, lambda card: vote._sees(board, actor, role, card))
    if isinstance(note, Rejection):
        return note
    return "card_created", {**data, **note, "z": board.top_z(note["zone_id"])}


def _authored_card(board, actor, role, card_id, verb):
    """The card, if `actor` wrote it or is the facilitator; else the Rejection to send."""
    card = board.cards.get(card_id)
    if card is None:
        return Rejection(NOT_FOUND, f"Unknown card {card_id!r}.")
    if not teams.may_change_card(board, actor, role, card):
        return Rejection(FORBIDDEN, f"Only the author, their team or the facilitator may {verb} this card.")
    return card


def _edit_card(board, actor, role, cmd):
    card = _authored_card(board, actor, role, cmd.card_id, "edit")
    if isinstance(card, Rejection):
        return card
    if cmd.text is None and cmd.description is None and cmd.speaker is None and cmd.note_kind is None:
        return Rejection(BAD_REQUEST, "Nothing to change: give a text or a description.")
    refusal = notes.edit_refusal(board, card, cmd)
    if refusal:
        return refusal
    changes = {k: v for k, v in (("text", cmd.text), ("description", cmd.description), ("note_kind", cmd.note_kind))
               if v is not None}
    if cmd.speaker is not None:
        if card.kind == DECK_CARD:
            return Rejection(BAD_REQUEST, "A deck card is nobody's words: it names no speaker.")
        speaker = marks.speaker_choice(board, cmd.speaker, card.kind)
        if isinstance(speaker, Rejection):
            return speaker
        changes["speaker"] = speaker
    return "card_edited", {"card_id": card.id, **changes, "private": card.private, "team": card.team}


def _delete_card(board, actor, role, cmd):
    card = _authored_card(board, actor, role, cmd.card_id, "delete")
    if isinstance(card, Rejection):
        return card
    # Its notes go with it, when the deleter may change each of them (NOTE10).
    attached = notes.deleted_notes(board, actor, role, card,
                                   lambda note: teams.may_change_card(board, actor, role, note))
    if isinstance(attached, Rejection):
        return attached
    return "card_deleted", {"card_id": card.id, **({"notes": attached} if attached else {})}


def _set_sequence(board, actor, role, cmd):
    if cmd.index >= len(board.format.sequences):
        return Rejection(NOT_FOUND, f"There is no sequence {cmd.index + 1}.")
    if cmd.index == board.sequence:
        return Rejection(CONFLICT, "The workshop is already in this sequence.")
    return "sequence_changed", {"index": cmd.index, "from": board.sequence}


def _set_projector(board, actor, role, cmd):
    if cmd.show_join is None and cmd.focus is None:
        return Rejection(BAD_REQUEST, "Nothing to change: give show_join or focus.")
    focus = cmd.focus
    refusal = marks.focus_refusal(board, focus) if focus is not None else None
    if refusal:
        return refusal
    if focus is not None and focus["kind"] == "row" and focus["id"] not in _row_ids(board):
        return Rejection(NOT_FOUND, f"Unknown domain {focus['id']!r}.")
    if focus is not None and focus["kind"] == "zone":
        zone = board.zones.get(focus["id"])
        if zone is None:
            return Rejection(NOT_FOUND, f"Unknown zone {focus['id']!r}.")
        if zone.kind == "deck":  # the projector shows the board, never the deck
            return Rejection(BAD_REQUEST, "The projector does not show the deck.")
    changes = {k: v for k, v in (("show_join", cmd.show_join), ("focus", focus))
               if v is not None and board.display.get(k) != v}
    if not changes:
        return Rejection(CONFLICT, "The projector already shows this.")
    return "projector_set", changes


def _configure(board, actor, role, cmd):
    changes = {k: v for k, v in (("team_choice", cmd.team_choice), ("private_cards", cmd.private_cards))
               if v is not None and board.options[k] != v}
    if not changes:
        return Rejection(BAD_REQUEST, "Nothing to change in the options.")
    return "options_configured", changes


def _split_teams(board, actor, role, cmd):
    """Deal the listed participants round the first `count` teams (made if missing): only those
    without a team, unless `everyone` says to deal those already in one again (TEAM10, TEAM12). With
    `present`, the list is the one the server put in: those connected (TEAM20)."""
    people = []
    for pid in cmd.participant_ids or ():
        member = board.participants.get(pid)
        if member is None or member.role != PARTICIPANT:
            return Rejection(NOT_FOUND, f"Unknown participant {pid!r}.")
        people.append(member)
    if not people:
        return Rejection(BAD_REQUEST, "Nobody to share out: no participant is connected." if cmd.present
                         else "Nobody to share out: list the participants present.")
    chosen = list(board.teams.values())[:cmd.count]
    names = {t.name.casefold() for t in board.teams.values()}
    new_teams, number = [], 0
    while len(chosen) + len(new_teams) < cmd.count:
        number += 1
        name = f"Équipe {number}"
        if name.casefold() in names:
            continue
        index = len(board.teams) + len(new_teams)
        new_teams.append({"id": _fresh_id(board.teams, "t", f"{board.version + 1}-{len(new_teams) + 1}"),
                          "name": name, "colour": TEAM_COLOURS[index % len(TEAM_COLOURS)], "domain": None})
    team_ids = [t.id for t in chosen] + [t["id"] for t in new_teams]
    assignments = teams.deal(board, people, team_ids, bool(cmd.everyone))
    if not assignments:
        return Rejection(CONFLICT, "Everyone listed already has a team: deal everyone to share them out again.")
    return "teams_split", {"teams": new_teams, "assignments": assignments}


def _reveal_cards(board, actor, role, cmd):
    hidden = [card for card in board.cards.values() if card.private]
    if not hidden:
        return Rejection(CONFLICT, "No card is hidden.")
    return "cards_revealed", {"cards": [card.to_dict() for card in hidden]}


RESOLVERS = {
    c.CreateBoard.type: _create_board,
    c.Join.type: _join,
    c.CreateTeam.type: _create_team,
    c.JoinTeam.type: _join_team,
    c.MoveCard.type: _move_card,
    c.CreateCard.type: _create_card,
    c.EditCard.type: _edit_card,
    c.DeleteCard.type: _delete_card,
    c.SetSequence.type: _set_sequence,
    c.SetProjector.type: _set_projector,
    c.Configure.type: _configure,
    c.SplitTeams.type: _split_teams,
    c.RevealCards.type: _reveal_cards,
    **vote.RESOLVERS,
    **teams.RESOLVERS,
    **privacy.RESOLVERS,
    **room_control.RESOLVERS,
    **done.RESOLVERS,
    **anonymity.RESOLVERS,
    **material.RESOLVERS,
    **details.RESOLVERS,
    **documents.RESOLVERS,
    **panorama.RESOLVERS,
    **deck.RESOLVERS,
    **synthesis.RESOLVERS,
    **ratings.RESOLVERS,
    **canvas.RESOLVERS,
    **marks.RESOLVERS,
    **links.RESOLVERS,
    **evaluation.RESOLVERS,
}


# -- helpers

def _deck_card_owner(board, card, actor, zone_id):
    """The team and colour of a deck card after a move to `zone_id`.

    Taking a card from the deck is what claims it, for the mover's team. Once on the board it
    stays its team's whoever moves it, so a facilitator tidying up (who has no team) or another
    team nudging it takes nothing away; back in the deck it is no one's again.
    """
    if board.zones[zone_id].kind == "deck":
        return None, None
    if board.zones[card.zone].kind == "deck":
        team = _team_of(board, actor)
        return team, board.teams[team].colour if team else None
    return card.team, card.colour


def _placed_by(board, card, actor, zone_id):
    """Who placed a card after a move to `zone_id`: like its team (CARD4, CARD14), whoever took a deck
    card from the deck, kept while it moves on the board, nobody back in the deck or for a written card."""
    if card.kind != DECK_CARD or board.zones[zone_id].kind == "deck":
        return None
    return actor if board.zones[card.zone].kind == "deck" else card.placed_by


def _reserved_id():
    # "system" is how decide knows the server itself: a member under that id would act as the server.
    return Rejection(BAD_REQUEST, f"The id {SYSTEM!r} is reserved for the server.")


def _team_of(board, actor):
    member = board.participants.get(actor)
    return member.team if member else None


def _row_ids(board):
    return {row["id"] for row in board.format.rows}


def _fresh_id(existing, prefix, version):
    """A deterministic id derived from the version, so replays give the same ids."""
    candidate, n = f"{prefix}{version}", 1
    while candidate in existing:
        candidate, n = f"{prefix}{version}-{n}", n + 1
    return candidate
