"""What each member may see: hidden cards and vote counts never reach those who may not see them.

The room broadcasts one event; the socket layer passes it through `event_for`
for each viewer, and welcomes each with `snapshot_for`. Versions stay the same
for everyone: a redacted event still counts, it only says less.
"""
from dataclasses import dataclass

from . import anonymity, evaluation, material
from .model import FACILITATOR, PARTICIPANT, PROJECTOR
from .vote import progress

HIDDEN_FIELDS = {"text": "", "description": "", "author": None, "origin": None, "speaker": None,  # origin: CHAIN4
                 "ratings": {}, "kept": False}  # how it was rated, whether it was kept (PRIV7)
# What a face-down card never carries at all: the cards it links to, who marked it, a note's kind (PRIV7).
# Left out rather than emptied, as a card without them reads (Card.to_dict), so snapshots and replayed events agree.
DROPPED_FIELDS = ("links", "marks", "note_kind")
# Events whose data may depend on who reads them.
SENSITIVE_EVENTS = frozenset({"card_created", "card_edited", "dot_changed", "participant_removed"})
# Events about one card that tell how it is being worked on (linked, marked, rated, kept): about a
# card face down for a viewer they reach that viewer empty, as another voter's dot does (PRIV7).
CARD_WORK_EVENTS = frozenset({"card_linked", "card_marked", "card_rated", "card_kept"})


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their id, role and team (at the time of looking)."""

    id: str
    role: str
    team: str | None = None


def viewer_of(board, participant_id):
    """The Viewer for a member of `board`; one just removed sees no more than any participant."""
    member = board.participants.get(participant_id)
    if member is None:
        return Viewer(participant_id, PARTICIPANT)
    return Viewer(member.id, member.role, member.team)


def sees_card(viewer, card_team, private):
    """A private card shows only to its team and the facilitator."""
    return not private or viewer.role == FACILITATOR or (card_team is not None and viewer.team == card_team)


def voter_key(board, viewer):
    """Whose dots this viewer may see as their own: theirs, or their team's in a team vote."""
    if viewer.role == PROJECTOR:
        return None
    return viewer.team if board.vote.mode == "team" else viewer.id


def snapshot_for(board, viewer):
    """The board's snapshot as `viewer` may see it."""
    snapshot = board.to_dict()
    snapshot["cards"] = [card if sees_card(viewer, card["team"], card["private"]) else _hide(card)
                         for card in snapshot["cards"]]
    # A card the viewer sees may link to one face down for them: that link is not theirs to know (PRIV7).
    hidden = {card["id"] for card in snapshot["cards"] if card.get("hidden")}
    for card in snapshot["cards"]:
        if hidden and card.get("links"):
            shown = [target for target in card["links"] if target not in hidden]
            if shown:
                card["links"] = shown
            else:
                del card["links"]
    snapshot["vote"] = _vote_for(board, snapshot["vote"], viewer)
    snapshot = material.snapshot_for(board, snapshot, viewer)  # no item outside its sequences (MAT6)
    snapshot = evaluation.snapshot_for(board, snapshot, viewer)  # one's own answer only (EVAL6)
    return anonymity.scrub_snapshot(board, snapshot, viewer)


def personal(board, event_type):
    """Whether an event of this type may read differently per viewer now (sent to each socket apart)."""
    return event_type in SENSITIVE_EVENTS or anonymity.concerns_everyone(board, event_type) \
        or material.concerns(board, event_type) or evaluation.concerns(event_type) \
        or (event_type in CARD_WORK_EVENTS and any(card.private for card in board.cards.values()))


def names_for(board, viewer):
    """The names `viewer` may read now: the roster and who wrote or placed each card (ANON4)."""
    snapshot = snapshot_for(board, viewer)
    return {"participants": snapshot["participants"],
            "cards": {card["id"]: {key: card[key] for key in anonymity.AUTHOR_FIELDS} for card in snapshot["cards"]}}


def event_for(board, event, viewer):
    """An event (as a dict) as `viewer` may see it; the same dict when nothing is to hide."""
    event = material.event_for(board, event, viewer)  # the material as the viewer may see it now (MAT6)
    event = evaluation.event_for(board, event, viewer)  # someone else's answer: only that it was given (EVAL6)
    return anonymity.scrub_event(board, _private_event_for(board, event, viewer), viewer,
                                 lambda: names_for(board, viewer))


def _private_event_for(board, event, viewer):
    """What private cards and the vote's secrecy leave of an event for `viewer`."""
    kind, data = event["type"], event["data"]
    if kind in CARD_WORK_EVENTS:
        return _card_work_for(board, event, viewer)
    if kind not in SENSITIVE_EVENTS:
        return event
    if kind == "participant_removed":
        return _merge_for(board, event, viewer)
    if kind in ("card_created", "card_edited"):
        if sees_card(viewer, data.get("team"), data.get("private", False)):
            return event
        return _unsigned({**event, "data": _hide(data)}, viewer)
    shown = _dot_for(board, data, viewer)
    if "voter" in shown:
        return {**event, "data": shown}
    return _unsigned({**event, "data": shown}, viewer)


def _unsigned(event, viewer):
    """The event without who sent it: the actor is a hidden card's author or a hidden voter, and
    the command id a client chose may name them too. The viewer's own events keep both."""
    if event["actor"] == viewer.id:
        return event
    return {**event, "actor": None, "command_id": None}


def _card_work_for(board, event, viewer):
    """A link, mark, rating or keep of a card (or to a card) face down for `viewer` reaches them empty and
    unsigned: it happened, and nothing more, not even which card (PRIV7). A card no longer on the
    board may have been private: only the facilitator reads what was done to it."""
    data = event["data"]
    if viewer.role == FACILITATOR:
        return event
    for card_id in (data.get("card_id"), data.get("target_id")):
        if card_id is None:
            continue
        card = board.cards.get(card_id)
        if card is None or not sees_card(viewer, card.team, card.private):
            return _unsigned({**event, "data": {}}, viewer)
    return event


def _merge_for(board, event, viewer):
    """A merge's dots handed over are the kept participant's: only they and the facilitator (unless the
    vote is anonymous) read them; everyone else learns who left and who stays (TEAM19)."""
    data = event["data"]
    if not data.get("dots") and not data.get("proxy"):
        return event
    if viewer.id == data["merge_into"] or (viewer.role == FACILITATOR and not board.vote.anonymous):
        return event
    return {**event, "data": {**data, "dots": {}, "proxy": {}}}


def _hide(card):
    hidden = {**card, **{k: v for k, v in HIDDEN_FIELDS.items() if k in card or k == "text"}}
    for key in DROPPED_FIELDS:
        hidden.pop(key, None)
    hidden["hidden"] = True
    return hidden


def _vote_for(board, vote, viewer):
    """Participants see their own (or team's) dots; the projector none; the facilitator all, or
    only the counts when the vote is anonymous. After the reveal, everyone sees the results."""
    if viewer.role == FACILITATOR:
        vote["progress"] = progress(board)
        if board.vote.anonymous:
            vote["progress"]["still"] = []
            vote["dots"], vote["proxy"], vote["totals"] = {}, {}, board.vote.totals()
        return vote
    mine = voter_key(board, viewer)
    vote["dots"] = {mine: vote["dots"][mine]} if mine in vote["dots"] else {}
    vote["proxy"] = {mine: vote["proxy"][mine]} if mine in vote["proxy"] else {}
    return vote


def _dot_for(board, data, viewer):
    if viewer.role == FACILITATOR:
        shown = dict(data)
        shown["progress"] = progress(board)
        if board.vote.anonymous:
            shown.pop("voter")
            shown["progress"]["still"] = []
        return shown
    if data["voter"] == voter_key(board, viewer):
        return data
    return {}  # someone else's dot: it happened, and nothing more
