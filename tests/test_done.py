""""Done", one test (or a few) per rule of docs/spec.md section 15 (DONE).

Boards are built in memory with decide and evolve (domain_helpers.py). In the packaged format a
participant says done for themselves in Découverte and Incontournables, and for their team in
Placement and Compléter (the format's `done: "team"`, ATC6).
"""
import pytest

from board.domain.done import counted, unit
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES = "decouverte", "placement", "completer", "incontournables"


@pytest.fixture
def ws():
    """The packaged workshop in Découverte: p1, p2 in Rouge, p3 in Bleu, p4 in no team."""
    w = Workshop()
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid)
    w.rouge, w.bleu = w.team("Rouge", "#aa0000"), w.team("Bleu", "#0000aa")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    return w


def test_a_participant_says_done_and_takes_it_back(ws):
    """DONE1."""
    said = ws.accept("p1", "set_done", done=True)
    assert (said.type, said.data) == ("done_changed", {"who": "p1", "done": True, "unit": "participant"})
    assert ws.board.to_dict()["done"] == {"p1": "participant"}
    back = ws.accept("p1", "set_done", done=False)
    assert back.data == {"who": "p1", "done": False, "unit": "participant"}
    assert ws.board.to_dict()["done"] == {}


@pytest.mark.parametrize("sequence", [PLACEMENT, COMPLETING])
def test_in_a_team_sequence_the_team_says_done(ws, sequence):
    """DONE2: the format's `done: "team"`."""
    ws.go_to(sequence)
    assert unit(ws.board) == "team"
    event = ws.accept("p2", "set_done", done=True)
    assert event.data == {"who": ws.rouge, "done": True, "unit": "team"}
    assert counted(ws.board) == {"unit": "team", "total": 2, "done": [ws.rouge]}


def test_in_a_team_vote_the_team_says_done_and_in_a_participant_vote_each_person(ws):
    """DONE2: the vote's sequence follows the vote's mode."""
    ws.go_to(MUST_HAVES)
    assert unit(ws.board) == "participant"
    ws.accept(FACILITATOR_ID, "configure_vote", mode="team")
    assert unit(ws.board) == "team"
    assert ws.accept("p3", "set_done", done=True).data["who"] == ws.bleu


def test_without_a_team_a_participant_cannot_say_done_for_one(ws):
    """DONE2."""
    ws.go_to(COMPLETING)
    refusal = ws.refuse("p4", "set_done", done=True)
    assert refusal.code == "forbidden" and "team" in refusal.message


def test_saying_done_twice_or_taking_back_nothing_is_a_conflict(ws):
    """DONE3."""
    assert ws.refuse("p1", "set_done", done=False).code == "conflict"
    ws.accept("p1", "set_done", done=True)
    assert ws.refuse("p1", "set_done", done=True).code == "conflict"


def test_any_member_takes_the_teams_done_back(ws):
    """DONE3."""
    ws.go_to(PLACEMENT)
    ws.accept("p1", "set_done", done=True)
    assert ws.refuse("p2", "set_done", done=True).code == "conflict"  # the team said it already
    assert ws.accept("p2", "set_done", done=False).data == {"who": ws.rouge, "done": False, "unit": "team"}


def test_a_new_sequence_starts_with_nobody_done(ws):
    """DONE4: forwards and back."""
    ws.accept("p1", "set_done", done=True)
    ws.accept("p3", "set_done", done=True)
    ws.go_to(PLACEMENT)
    assert ws.board.to_dict()["done"] == {} and counted(ws.board)["done"] == []
    ws.accept("p1", "set_done", done=True)
    ws.go_to(DISCOVERY)
    assert ws.board.done == {}


@pytest.mark.parametrize("actor", [FACILITATOR_ID, PROJECTOR_ID])
def test_only_participants_say_done(ws, actor):
    """DONE5."""
    assert ws.refuse(actor, "set_done", done=True).code == "forbidden"


@pytest.mark.parametrize("sequence", [DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES])
def test_done_is_open_in_every_sequence(ws, sequence):
    """DONE5: not gated by the sequence's `allows`."""
    if ws.board.current_sequence.id != sequence:
        ws.go_to(sequence)
    assert ws.accept("p1", "set_done", done=True).type == "done_changed"


@pytest.mark.parametrize("done", [1, 0, "true", None])
def test_done_is_true_or_false(ws, done):
    """DONE1: anything else is bad_request (and an absent `done` too)."""
    assert ws.refuse("p1", "set_done", done=done).code == "bad_request"


def test_the_count_is_of_those_who_could_say_done_now(ws):
    """DONE6: participants (not the facilitator nor the projector), or teams; the gone are not counted."""
    ws.accept("p1", "set_done", done=True)
    ws.accept("p4", "set_done", done=True)
    assert counted(ws.board) == {"unit": "participant", "total": 4, "done": ["p1", "p4"]}
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p4")
    assert counted(ws.board) == {"unit": "participant", "total": 3, "done": ["p1"]}
    ws.go_to(PLACEMENT)
    ws.accept("p3", "set_done", done=True)
    assert counted(ws.board) == {"unit": "team", "total": 2, "done": [ws.bleu]}
    ws.accept(FACILITATOR_ID, "join_team", participant_id="p3", team_id=ws.rouge)
    ws.accept(FACILITATOR_ID, "delete_team", team_id=ws.bleu)
    assert counted(ws.board) == {"unit": "team", "total": 1, "done": []}
