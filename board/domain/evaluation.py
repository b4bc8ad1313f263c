"""The evaluation of a workshop by its participants: a short questionnaire at its end (EVAL in spec.md).

A format (or a campaign's template) with an `evaluation` field ({scales: [{id, label}], question}: a few
1-5 scales and one free-text question, formats._evaluation) lets each participant answer once, and change
their answer until the evaluation closes. They may answer in a sequence whose `allows` names
`answer_evaluation`, or whenever the facilitator has opened the evaluation (`open_evaluation`), never
after `close_evaluation`. The answers live in `Board.evaluation` {status, answers: {participant id:
{scores: {scale id: 1..5}, text}}}, go into the board's JSON export, and a campaign's comparison reads
them per territory (campaign_compare.evaluation_summary).

Who reads what (visibility.py calls `snapshot_for` and `event_for`): a participant their own answer,
the facilitator every answer (the console shows how many answered), the projector none.
"""
from dataclasses import dataclass

from .commands import Command, spec, trimmed_text
from .errors import BAD_REQUEST, CONFLICT, SEQUENCE_CLOSED, InvalidCommand, Rejection
from .model import FACILITATOR, PARTICIPANT

ANSWER = "answer_evaluation"  # also the name a sequence's `allows` gives to open the questionnaire
OPEN, CLOSE = "open_evaluation", "close_evaluation"
FACILITATOR_COMMANDS = (OPEN, CLOSE)
PARTICIPANT_COMMANDS = (ANSWER,)
IDLE, OPENED, CLOSED = "idle", "open", "closed"
SCORE_MIN, SCORE_MAX = 1, 5
TEXT_MAX = 1000
SCALES_MAX = 6
EVENTS = ("evaluation_answered",)  # the one event whose content depends on who reads it


# -- commands

def _scores(name, value):
    """{scale id: whole number 1-5}; which scales are the board's is checked by the resolver."""
    if not isinstance(value, dict) or not value or len(value) > SCALES_MAX:
        raise InvalidCommand(BAD_REQUEST, f"Field '{name}' must give each scale a score from {SCORE_MIN} to {SCORE_MAX}.")
    for scale, score in value.items():
        if not isinstance(scale, str) or isinstance(score, bool) or not isinstance(score, int) \
                or not SCORE_MIN <= score <= SCORE_MAX:
            raise InvalidCommand(BAD_REQUEST, f"Field '{name}': each score is a whole number from {SCORE_MIN} to {SCORE_MAX}.")
    return dict(value)


@dataclass(frozen=True)
class AnswerEvaluation(Command):
    """A participant's answer to the evaluation: a score per scale, and a text (may be empty)."""

    type = ANSWER
    scores: dict = spec(_scores)
    text: str = spec(trimmed_text(TEXT_MAX, allow_empty=True))


@dataclass(frozen=True)
class OpenEvaluation(Command):
    """The facilitator opens the questionnaire to participants, whatever the sequence."""

    type = OPEN


@dataclass(frozen=True)
class CloseEvaluation(Command):
    """The facilitator closes the questionnaire: answers are final."""

    type = CLOSE


COMMANDS = {cls.type: cls for cls in (AnswerEvaluation, OpenEvaluation, CloseEvaluation)}


# -- reading

def questionnaire(board):
    """The format's evaluation ({scales, question}), or None when the workshop has none."""
    return board.format.document.get("evaluation")


def accepts_answers(board):
    """Whether participants may answer now: opened by the facilitator, or idle in a sequence that allows it."""
    status = board.evaluation["status"]
    return status == OPENED or (status == IDLE and ANSWER in board.current_sequence.allows)


# -- resolvers

def answer_evaluation(board, actor, role, cmd):
    """Answer, or change one's answer (EVAL3-EVAL5)."""
    definition = questionnaire(board)
    if definition is None:
        return Rejection(BAD_REQUEST, "This workshop has no evaluation.")
    if board.evaluation["status"] == CLOSED:
        return Rejection(SEQUENCE_CLOSED, "The evaluation is closed: answers are final.")
    if not accepts_answers(board):
        return Rejection(SEQUENCE_CLOSED, "The evaluation is not open yet.")
    scales = [scale["id"] for scale in definition["scales"]]
    unknown = sorted(set(cmd.scores) - set(scales))
    if unknown:
        return Rejection(BAD_REQUEST, f"Unknown scale {unknown[0]!r}: the scales are {', '.join(scales)}.")
    missing = [scale for scale in scales if scale not in cmd.scores]
    if missing:
        return Rejection(BAD_REQUEST, f"Give a score from {SCORE_MIN} to {SCORE_MAX} to every scale ({missing[0]!r} has none).")
    answer = {"scores": {scale: cmd.scores[scale] for scale in scales}, "text": cmd.text}
    if board.evaluation["answers"].get(actor) == answer:
        return Rejection(CONFLICT, "This answer is already given.")
    return "evaluation_answered", {"participant": actor, **answer}


def open_evaluation(board, actor, role, cmd):
    """Open the questionnaire now (EVAL2), or again after a close by mistake."""
    if questionnaire(board) is None:
        return Rejection(BAD_REQUEST, "This workshop has no evaluation.")
    if board.evaluation["status"] == OPENED:
        return Rejection(CONFLICT, "The evaluation is already open.")
    return "evaluation_opened", {}


def close_evaluation(board, actor, role, cmd):
    """Close the questionnaire: no answer changes after this (EVAL5)."""
    if questionnaire(board) is None:
        return Rejection(BAD_REQUEST, "This workshop has no evaluation.")
    if board.evaluation["status"] == CLOSED:
        return Rejection(CONFLICT, "The evaluation is already closed.")
    return "evaluation_closed", {}


# -- evolvers

def evaluation_answered(board, data):
    if "participant" not in data:  # a reader's copy of someone else's answer: it happened, nothing more
        return
    board.evaluation["answers"][data["participant"]] = {"scores": dict(data["scores"]), "text": data["text"]}


def evaluation_opened(board, data):
    board.evaluation["status"] = OPENED


def evaluation_closed(board, data):
    board.evaluation["status"] = CLOSED


# -- who reads what

def snapshot_for(board, snapshot, viewer):
    """The snapshot's evaluation as `viewer` may read it: the facilitator every answer, a participant theirs."""
    if "evaluation" not in snapshot:
        return snapshot
    answers = snapshot["evaluation"]["answers"]
    if viewer.role != FACILITATOR:
        answers = {viewer.id: answers[viewer.id]} if viewer.role == PARTICIPANT and viewer.id in answers else {}
    return {**snapshot, "evaluation": {**snapshot["evaluation"], "answers": answers}}


def concerns(event_type):
    """Whether an event of this type reads differently per viewer."""
    return event_type in EVENTS


def event_for(board, event, viewer):
    """An answer reaches the facilitator and the one who gave it; others learn only that one was given."""
    if event["type"] not in EVENTS or viewer.role == FACILITATOR or event["data"].get("participant") == viewer.id:
        return event
    return {**event, "data": {}, "actor": None, "command_id": None}


RESOLVERS = {ANSWER: answer_evaluation, OPEN: open_evaluation, CLOSE: close_evaluation}
EVOLVERS = {"evaluation_answered": evaluation_answered, "evaluation_opened": evaluation_opened,
            "evaluation_closed": evaluation_closed}
