"""Teams and who is on the board: renaming and deleting teams, dealing people into them,
telling people apart by name, and taking a participant (or a duplicate of one) off the board.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection;
evolvers apply an event's data. decide.py and evolve.py register them.
"""
import unicodedata
from dataclasses import dataclass

from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, Rejection
from .model import DECK_CARD, FACILITATOR, PARTICIPANT, PROJECTOR
from .vote import CLOSED

NAME_MAX = 60  # as commands.NAME_MAX: a suggested name must itself be a valid name


@dataclass(frozen=True)
class NameTaken(Rejection):
    """A join refused because the name is someone else's here, with a free name to offer instead."""

    suggestion: str = ""

    def to_dict(self):
        """The refusal with the suggested name, so the join page can offer it in one click."""
        return {**super().to_dict(), "suggestion": self.suggestion}


# -- names

def name_key(name):
    """A name as people tell names apart: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def taken_names(board):
    """The names already on the board (the projector's screen is no person)."""
    return {name_key(p.name) for p in board.participants.values() if p.role != PROJECTOR}


def free_name(board, name):
    """A name close to `name` that nobody on the board has: "Bruno 2", "Bruno 3"..."""
    taken = taken_names(board)
    number = 2
    while True:
        suffix = f" {number}"
        candidate = " ".join(name.split())[:NAME_MAX - len(suffix)].rstrip() + suffix
        if name_key(candidate) not in taken:
            return candidate
        number += 1


def name_refusal(board, name):
    """The NameTaken refusal when `name` is already someone's on the board, else None."""
    key = name_key(name)
    if key not in taken_names(board):
        return None
    # Suggest from the name as its owner wrote it: "bruno GARNIER" typed gets "Bruno Garnier 2".
    owner = next(p.name for p in board.participants.values() if p.role != PROJECTOR and name_key(p.name) == key)
    suggestion = free_name(board, owner)
    return NameTaken(CONFLICT, f"Someone here is already called {name!r}: choose another name, "
                               f"for example {suggestion!r}.", suggestion)


# -- cards a team shares

def may_change_card(board, actor, role, card):
    """Whether `actor` may edit or delete `card`: the facilitator, its author, or (for a written
    card) a member of the team it belongs to. Deck cards belong to the format: facilitator only."""
    if role == FACILITATOR or (card.author is not None and card.author == actor):
        return True
    member = board.participants.get(actor)
    return card.kind != DECK_CARD and card.team is not None and member is not None and member.team == card.team


# -- dealing people into teams

def deal(board, people, team_ids, everyone):
    """{participant id: team id} for a split: with `everyone`, all `people` in name order round the
    teams; otherwise only those without a team, each into the smallest team at that moment."""
    ordered = sorted(people, key=lambda p: (p.name.casefold(), p.id))
    if everyone:
        return {p.id: team_ids[i % len(team_ids)] for i, p in enumerate(ordered)}
    sizes = {team_id: 0 for team_id in team_ids}
    for member in board.participants.values():
        if member.team in sizes:
            sizes[member.team] += 1
    assignments = {}
    for person in (p for p in ordered if p.team is None):
        smallest = min(team_ids, key=lambda team_id: sizes[team_id])  # min keeps the first of equals
        assignments[person.id] = smallest
        sizes[smallest] += 1
    return assignments


# -- resolvers

def set_team(board, actor, role, cmd):
    """Rename a team, recolour it or change its working domain; only what changes is in the event."""
    team = board.teams.get(cmd.team_id)
    if team is None:
        return Rejection(NOT_FOUND, f"Unknown team {cmd.team_id!r}.")
    if cmd.name is not None and any(other.id != team.id and other.name.casefold() == cmd.name.casefold()
                                    for other in board.teams.values()):
        return Rejection(CONFLICT, f"A team is already called {cmd.name!r}.")
    domain = None if cmd.domain == "" else cmd.domain
    if cmd.domain and cmd.domain not in {row["id"] for row in board.format.rows}:
        return Rejection(NOT_FOUND, f"Unknown domain {cmd.domain!r}.")
    changes = {}
    if cmd.name is not None and cmd.name != team.name:
        changes["name"] = cmd.name
    if cmd.colour is not None and cmd.colour != team.colour:
        changes["colour"] = cmd.colour
    if cmd.domain is not None and domain != team.domain:
        changes["domain"] = domain
    if not changes:
        return Rejection(BAD_REQUEST, "Nothing to change in this team.")
    return "team_changed", {"team_id": team.id, **changes}


def delete_team(board, actor, role, cmd):
    """Delete a team nobody is in, that owns no card and holds no dot."""
    team = board.teams.get(cmd.team_id)
    if team is None:
        return Rejection(NOT_FOUND, f"Unknown team {cmd.team_id!r}.")
    members = sum(1 for p in board.participants.values() if p.team == team.id)
    if members:
        return Rejection(CONFLICT, f"The team {team.name} still has {members} member(s): "
                                   "move them to another team first.")
    cards = sum(1 for card in board.cards.values() if card.team == team.id)
    if cards:
        return Rejection(CONFLICT, f"The team {team.name} owns {cards} card(s) on the board: it stays.")
    if board.vote.dots.get(team.id):
        return Rejection(CONFLICT, f"The team {team.name} has dots in the vote: it stays.")
    return "team_deleted", {"team_id": team.id}


def remove_participant(board, actor, role, cmd):
    """Take a participant off the board, or merge a duplicate into the participant who stays."""
    removed = _participant(board, cmd.participant_id)
    if isinstance(removed, Rejection):
        return removed
    if cmd.merge_into is not None:
        if cmd.merge_into == cmd.participant_id:
            return Rejection(BAD_REQUEST, "A participant cannot be merged into themselves.")
        kept = _participant(board, cmd.merge_into)
        if isinstance(kept, Rejection):
            return kept
        dots, proxy = merged_dots(board, removed.id, kept.id)
        return "participant_removed", {"participant_id": removed.id, "merge_into": kept.id, "dots": dots, "proxy": proxy}
    return "participant_removed", {"participant_id": removed.id, "merge_into": None}


def merged_dots(board, removed_id, kept_id):
    """The dots (and, among them, proxy dots) a merged duplicate hands to the one who stays (TEAM19).

    The same person has one budget: the kept participant takes the duplicate's dots card by card
    (in card id order) as far as their budget and the per-card limit allow. The rest go back while
    the vote is idle or open; once it is closed they stay counted, as a removed participant's do.
    """
    vote = board.vote
    given, given_proxy = vote.dots.get(removed_id, {}), vote.proxy.get(removed_id, {})
    kept = vote.dots.get(kept_id, {})
    room = vote.budget - vote.used(kept_id)
    dots, proxy = {}, {}
    for card_id in sorted(given):
        count = max(0, min(given[card_id], vote.per_card - kept.get(card_id, 0), room))
        if count:
            dots[card_id] = count
            room -= count
            if given_proxy.get(card_id):
                proxy[card_id] = min(count, given_proxy[card_id])
    return dots, proxy


def _participant(board, participant_id):
    member = board.participants.get(participant_id)
    if member is None:
        return Rejection(NOT_FOUND, f"Unknown participant {participant_id!r}.")
    if member.role != PARTICIPANT:
        return Rejection(FORBIDDEN, f"Only participants can be removed or merged, and {participant_id!r} "
                                    f"is the {member.role}.")
    return member


# -- evolvers

def team_changed(board, data):
    """A recoloured team's cards take the new colour, unless their writer chose another one."""
    team = board.teams[data["team_id"]]
    if "colour" in data:
        for card in board.cards.values():
            if card.team == team.id and card.colour == team.colour:
                card.colour = data["colour"]
    for key in ("name", "colour", "domain"):
        if key in data:
            setattr(team, key, data[key])


def team_deleted(board, data):
    del board.teams[data["team_id"]]


def participant_removed(board, data):
    """The member goes; on a merge their cards go to the one who stays. The cards to hand over are
    found here, not listed in the event, so the event names no private card's author.

    A merge since issue 11 carries the dots handed over (`dots`, `proxy`): the cards the duplicate
    placed are the kept one's too, and their dots move. An older log's merge replays as it was."""
    removed, kept = data["participant_id"], data["merge_into"]
    del board.participants[removed]
    handover = "dots" in data
    for card in board.cards.values():
        if card.author == removed:
            card.author = kept
        if handover and card.placed_by == removed:
            card.placed_by = kept
    if handover:
        for book, moved in ((board.vote.dots, data["dots"]), (board.vote.proxy, data["proxy"])):
            for card_id, count in moved.items():
                _add(book, kept, card_id, count)
                _add(book, removed, card_id, -count)
    if board.vote.status != CLOSED:  # a closed vote's count is frozen (VOTE6)
        board.vote.dots.pop(removed, None)
        board.vote.proxy.pop(removed, None)


def _add(book, voter, card_id, count):
    """Add `count` dots (or take them) in a book of dots, leaving no empty entry behind."""
    cards = book.setdefault(voter, {})
    cards[card_id] = cards.get(card_id, 0) + count
    if cards[card_id] <= 0:
        del cards[card_id]
    if not cards:
        del book[voter]


FACILITATOR_COMMANDS = ("set_team", "delete_team", "remove_participant")
RESOLVERS = {"set_team": set_team, "delete_team": delete_team, "remove_participant": remove_participant}
EVOLVERS = {"team_changed": team_changed, "team_deleted": team_deleted,
            "participant_removed": participant_removed}
