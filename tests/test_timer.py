"""The sequence's timer, one test (or a few) per rule of docs/spec.md section 14 (TIME), and FMT14, ATC6.

Boards are built in memory with decide and evolve (domain_helpers.py); every timer command here is
decided at a server time the test chooses, since the timer's end is an absolute time on that clock.
"""
import copy

import pytest

from board.domain import FormatError, Rejection, decide, evolve, load_format, parse_command
from board.domain.decide import Event
from board.domain.timer import remaining
from domain_helpers import FACILITATOR_ID, NOW, PROJECTOR_ID, Workshop, packaged_document

PLACEMENT, COMPLETING, MUST_HAVES = "placement", "completer", "incontournables"
CELL, PARKING = "maintenance/techniques", "parking"


@pytest.fixture
def ws():
    """The packaged workshop in Compléter: p1, p2 in Rouge, p3 in no team."""
    w = Workshop()
    for pid in ("p1", "p2", "p3"):
        w.join(pid)
    rouge = w.team("Rouge", "#aa0000")
    for pid in ("p1", "p2"):
        w.put_in_team(pid, rouge)
    w.go_to(COMPLETING)
    return w


def at(ws, actor, kind, when, /, **payload):
    """Decide one command at server time `when`; apply it if accepted; the Event or the Rejection."""
    before = copy.deepcopy(ws.board.to_dict())
    outcome = decide(ws.board, actor, parse_command(kind, payload), when)
    if isinstance(outcome, Event):
        ws.board = evolve(ws.board, outcome)
        ws.events.append(outcome)
    else:
        assert ws.board.to_dict() == before  # a refusal changes nothing
    return outcome


def move(ws, actor, when, card="d01"):
    """A participant's board change: a deck card onto the Panorama."""
    return at(ws, actor, "move_card", when, card_id=card, zone_id=CELL, x=0.5, y=0.5)


T0 = NOW + 1000.0  # the time the timers of these tests start


# ---------------------------------------------------------------- TIME1

def test_start_timer_counts_down_from_the_commands_time_and_replaces_any_timer(ws):
    """TIME1."""
    event = at(ws, FACILITATOR_ID, "start_timer", T0, seconds=600)
    assert event.type == "timer_started"
    assert event.data == {"status": "running", "ends_at": T0 + 600, "remaining": None, "duration": 600,
                          "freeze": False}
    assert ws.board.to_dict()["timer"] == event.data
    assert remaining(ws.board.timer, T0 + 90) == 510
    again = at(ws, FACILITATOR_ID, "start_timer", T0 + 30, seconds=120, freeze=True)
    assert again.data["ends_at"] == T0 + 150 and again.data["freeze"] is True and again.data["duration"] == 120


# ---------------------------------------------------------------- TIME2

def test_pause_keeps_what_is_left_and_resume_counts_it_down_from_then(ws):
    """TIME2."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=300)
    paused = at(ws, FACILITATOR_ID, "pause_timer", T0 + 100)
    assert paused.type == "timer_paused"
    assert paused.data == {"status": "paused", "ends_at": None, "remaining": 200, "duration": 300, "freeze": False}
    assert remaining(ws.board.timer, T0 + 5000) == 200  # time stands still while paused
    resumed = at(ws, FACILITATOR_ID, "resume_timer", T0 + 1000)
    assert resumed.type == "timer_resumed"
    assert resumed.data["status"] == "running" and resumed.data["ends_at"] == T0 + 1200


def test_pausing_or_resuming_what_cannot_be_is_a_conflict(ws):
    """TIME2: no timer, a paused one paused again, a running one resumed, one at zero paused."""
    assert at(ws, FACILITATOR_ID, "pause_timer", T0).code == "conflict"
    assert at(ws, FACILITATOR_ID, "resume_timer", T0).code == "conflict"
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60)
    assert at(ws, FACILITATOR_ID, "resume_timer", T0 + 1).code == "conflict"
    assert at(ws, FACILITATOR_ID, "pause_timer", T0 + 61).code == "conflict"  # at zero: nothing to hold
    at(ws, FACILITATOR_ID, "pause_timer", T0 + 10)
    assert at(ws, FACILITATOR_ID, "pause_timer", T0 + 11).code == "conflict"


def test_a_paused_timer_with_nothing_left_does_not_resume(ws):
    """TIME2 and TIME3: a minute taken off a paused timer with less than that left leaves it at zero."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=90)
    at(ws, FACILITATOR_ID, "pause_timer", T0 + 60)  # 30 s left
    assert at(ws, FACILITATOR_ID, "adjust_timer", T0 + 61, minutes=-1).data["remaining"] == 0
    assert at(ws, FACILITATOR_ID, "resume_timer", T0 + 62).code == "conflict"


# ---------------------------------------------------------------- TIME3

def test_a_minute_more_or_less_moves_the_end_of_a_running_timer(ws):
    """TIME3."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=300)
    more = at(ws, FACILITATOR_ID, "adjust_timer", T0 + 10, minutes=1)
    assert more.type == "timer_adjusted" and more.data["ends_at"] == T0 + 360 and more.data["status"] == "running"
    less = at(ws, FACILITATOR_ID, "adjust_timer", T0 + 20, minutes=-2)
    assert less.data["ends_at"] == T0 + 240
    assert less.data["duration"] == 300  # the duration it was started with


def test_minutes_added_at_zero_count_from_now_and_taken_off_never_go_below_zero(ws):
    """TIME3."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60)
    late = at(ws, FACILITATOR_ID, "adjust_timer", T0 + 500, minutes=1)  # ended 440 s ago
    assert late.data["ends_at"] == T0 + 560
    cut = at(ws, FACILITATOR_ID, "adjust_timer", T0 + 530, minutes=-5)
    assert cut.data["ends_at"] == T0 + 530 and remaining(ws.board.timer, T0 + 530) == 0


def test_a_paused_timer_changed_by_minutes_stays_paused(ws):
    """TIME3."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=300)
    at(ws, FACILITATOR_ID, "pause_timer", T0 + 60)
    event = at(ws, FACILITATOR_ID, "adjust_timer", T0 + 900, minutes=2)
    assert event.data["status"] == "paused" and event.data["remaining"] == 360


def test_adjusting_no_timer_is_a_conflict(ws):
    """TIME3."""
    assert at(ws, FACILITATOR_ID, "adjust_timer", T0, minutes=1).code == "conflict"


# ---------------------------------------------------------------- TIME4

def test_stop_timer_takes_the_timer_away(ws):
    """TIME4."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60)
    event = at(ws, FACILITATOR_ID, "stop_timer", T0 + 5)
    assert (event.type, event.data) == ("timer_stopped", {})
    assert ws.board.to_dict()["timer"] is None
    assert at(ws, FACILITATOR_ID, "stop_timer", T0 + 6).code == "conflict"


# ---------------------------------------------------------------- TIME5

@pytest.mark.parametrize("kind, payload", [("start_timer", {"seconds": 60}), ("pause_timer", {}),
                                           ("resume_timer", {}), ("adjust_timer", {"minutes": 1}),
                                           ("stop_timer", {})])
@pytest.mark.parametrize("actor", ["p1", PROJECTOR_ID])
def test_only_the_facilitator_runs_the_timer(ws, kind, payload, actor):
    """TIME5."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=600)
    assert at(ws, actor, kind, T0 + 1, **payload).code == "forbidden"


@pytest.mark.parametrize("sequence", ["decouverte", PLACEMENT, COMPLETING, MUST_HAVES])
def test_the_facilitator_runs_the_timer_in_any_sequence(ws, sequence):
    """TIME5."""
    if ws.board.current_sequence.id != sequence:
        ws.go_to(sequence)
    assert at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60).type == "timer_started"


# ---------------------------------------------------------------- TIME6

def test_a_new_sequence_has_no_timer(ws):
    """TIME6: forwards or back, the timer of the sequence left goes with it."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=600, freeze=True)
    ws.go_to(MUST_HAVES)
    assert ws.board.timer is None and ws.board.to_dict()["timer"] is None
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=600)
    ws.go_to(COMPLETING)
    assert ws.board.timer is None


# ---------------------------------------------------------------- TIME7

def test_a_freezing_timer_at_zero_refuses_participants_board_changes_with_time_up(ws):
    """TIME7: every board change a participant may make in the sequence, refused once time is up."""
    own = ws.accept("p1", "create_card", kind="postit", text="À moi", zone_id=PARKING, x=0, y=0).data["id"]
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60, freeze=True)
    assert move(ws, "p1", T0 + 59).type == "card_moved"  # one second left: still open
    changes = [("move_card", {"card_id": "d02", "zone_id": CELL, "x": 0.5, "y": 0.5}),
               ("create_card", {"kind": "new", "text": "Trop tard", "zone_id": CELL, "x": 0, "y": 0}),
               ("edit_card", {"card_id": own, "text": "Changée"}),
               ("delete_card", {"card_id": own}),
               ("join_team", {"team_id": None})]
    for kind, payload in changes:
        refusal = at(ws, "p1", kind, T0 + 60, **payload)
        assert isinstance(refusal, Rejection) and refusal.code == "time_up", kind
        assert "time is up" in refusal.message.lower()


def test_the_freeze_holds_the_vote_too(ws):
    """TIME7: a dot at zero is refused with time_up."""
    ws.accept(FACILITATOR_ID, "move_card", card_id="d05", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=30, freeze=True)
    assert at(ws, "p1", "vote", T0 + 10, card_id="d05", delta=1).type == "dot_changed"
    assert at(ws, "p1", "vote", T0 + 31, card_id="d05", delta=1).code == "time_up"


def test_the_freeze_spares_the_facilitator_and_done(ws):
    """TIME7: the facilitator still changes the board, a participant still says done."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=10, freeze=True)
    assert move(ws, FACILITATOR_ID, T0 + 20).type == "card_moved"
    assert at(ws, "p1", "set_done", T0 + 20, done=True).type == "done_changed"


def test_the_freeze_comes_after_the_role_and_the_sequence(ws):
    """TIME7: what the sequence does not open is still sequence_closed; a projector still forbidden."""
    ws.go_to("decouverte")
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=10, freeze=True)
    assert move(ws, "p1", T0 + 20).code == "sequence_closed"
    assert move(ws, PROJECTOR_ID, T0 + 20).code == "forbidden"


def test_a_minute_added_stopping_or_moving_on_lifts_the_freeze(ws):
    """TIME7."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=60, freeze=True)
    assert move(ws, "p1", T0 + 70).code == "time_up"
    at(ws, FACILITATOR_ID, "adjust_timer", T0 + 80, minutes=1)
    assert move(ws, "p1", T0 + 81).type == "card_moved"
    assert move(ws, "p1", T0 + 141, card="d02").code == "time_up"  # that minute is over too
    at(ws, FACILITATOR_ID, "stop_timer", T0 + 150)
    assert move(ws, "p1", T0 + 151, card="d02").type == "card_moved"
    at(ws, FACILITATOR_ID, "start_timer", T0 + 200, seconds=5, freeze=True)
    assert move(ws, "p1", T0 + 300, card="d03").code == "time_up"
    ws.go_to(PLACEMENT)
    assert move(ws, "p1", T0 + 301, card="d03").type == "card_moved"


def test_a_paused_timer_at_zero_freezes_and_one_with_time_left_does_not(ws):
    """TIME7: at zero means nothing left, running or paused."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=90, freeze=True)
    at(ws, FACILITATOR_ID, "pause_timer", T0 + 60)
    assert move(ws, "p1", T0 + 500).type == "card_moved"  # paused with 30 s left
    at(ws, FACILITATOR_ID, "adjust_timer", T0 + 501, minutes=-1)
    assert move(ws, "p1", T0 + 502, card="d02").code == "time_up"


def test_a_timer_without_freeze_refuses_nothing_at_zero(ws):
    """TIME7."""
    at(ws, FACILITATOR_ID, "start_timer", T0, seconds=10)
    assert move(ws, "p1", T0 + 3600).type == "card_moved"


# ---------------------------------------------------------------- TIME8

@pytest.mark.parametrize("payload", [{"seconds": 0}, {"seconds": 14401}, {"seconds": True}, {"seconds": 60.0},
                                     {"seconds": "60"}, {}, {"seconds": 60, "freeze": 1},
                                     {"seconds": 60, "freeze": "yes"}])
def test_start_timer_needs_whole_seconds_up_to_four_hours(ws, payload):
    """TIME8."""
    assert ws.refuse(FACILITATOR_ID, "start_timer", **payload).code == "bad_request"


@pytest.mark.parametrize("minutes", [0, 11, -11, True, 1.0, "1", None])
def test_adjust_timer_needs_whole_minutes_from_minus_ten_to_ten_not_zero(ws, minutes):
    """TIME8."""
    assert ws.refuse(FACILITATOR_ID, "adjust_timer", minutes=minutes).code == "bad_request"


def test_the_limits_of_the_timer_commands_are_accepted(ws):
    """TIME8: 1 s, 4 h, -10 and 10 minutes."""
    assert at(ws, FACILITATOR_ID, "start_timer", T0, seconds=1).type == "timer_started"
    assert at(ws, FACILITATOR_ID, "start_timer", T0, seconds=14400).type == "timer_started"
    assert at(ws, FACILITATOR_ID, "adjust_timer", T0, minutes=10).type == "timer_adjusted"
    assert at(ws, FACILITATOR_ID, "adjust_timer", T0, minutes=-10).type == "timer_adjusted"


# ---------------------------------------------------------------- FMT14, ATC6

def sequence_document(**fields):
    document = packaged_document()
    document["sequences"][0].update(fields)
    return document


@pytest.mark.parametrize("minutes", [0, 241, True, 2.5, "10"])
def test_a_sequences_timer_minutes_is_a_whole_number_from_1_to_240(minutes):
    """FMT14."""
    with pytest.raises(FormatError) as caught:
        load_format(sequence_document(timer_minutes=minutes))
    assert caught.value.path == "sequences[0].timer_minutes"


@pytest.mark.parametrize("done", ["teams", "", None, 1])
def test_a_sequences_done_is_participant_or_team(done):
    """FMT14."""
    with pytest.raises(FormatError) as caught:
        load_format(sequence_document(done=done))
    assert caught.value.path == "sequences[0].done"


def test_a_sequence_without_timer_or_done_proposes_no_timer_and_counts_participants():
    """FMT14."""
    document = packaged_document()
    for sequence in document["sequences"]:
        sequence.pop("timer_minutes", None)
        sequence.pop("done", None)
    fmt = load_format(document)
    assert {(s.timer_minutes, s.done) for s in fmt.sequences} == {(None, "participant")}


def test_the_atelier_competences_proposes_its_timers_and_team_done_where_teams_work():
    """ATC6."""
    fmt = load_format(packaged_document())
    assert [(s.id, s.timer_minutes, s.done) for s in fmt.sequences] == [
        ("decouverte", 10, "participant"), ("placement", 20, "team"), ("completer", 20, "team"),
        ("incontournables", 10, "participant")]
