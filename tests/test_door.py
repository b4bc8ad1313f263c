"""The door (docs/spec.md DOOR1-DOOR3) and merging a duplicate (TEAM19): joining closed and reopened,
and the same person on two devices made one, with their cards and dots. In memory, through decide and
evolve (domain_helpers.py); the real server's side is in tests/test_room_control_realtime.py."""
import pytest

from board.domain import replay
from board.domain.visibility import snapshot_for, viewer_of
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

CELL, OTHER_CELL, PARKING = "maintenance/techniques", "socle/capacites", "parking"


@pytest.fixture
def ws():
    """Bruno (p1) and his second device (p9, "Bruno 2") both in Rouge; Alice (p2) in Rouge too."""
    w = Workshop()
    for pid, name in (("p1", "Bruno"), ("p9", "Bruno 2"), ("p2", "Alice")):
        w.join(pid, name=name)
    w.rouge = w.team("Rouge")
    for pid in ("p1", "p9", "p2"):
        w.put_in_team(pid, w.rouge)
    return w


# ---------------------------------------------------------------- the door (DOOR1-DOOR3)

def test_a_closed_door_refuses_a_join_with_door_closed(ws):
    """DOOR1, DOOR2."""
    event = ws.accept(FACILITATOR_ID, "close_door")
    assert (event.type, event.data) == ("door_closed", {})
    assert ws.board.to_dict()["room"]["door_open"] is False
    refusal = ws.refuse("system", "join", participant_id="p7", name="Tardif", role="participant")
    assert refusal.code == "door_closed" and "closed" in refusal.message
    assert ws.refuse(FACILITATOR_ID, "close_door").code == "conflict"


def test_those_already_in_keep_acting_behind_a_closed_door(ws):
    """DOOR2."""
    ws.accept(FACILITATOR_ID, "close_door")
    ws.go_to("completer")
    ws.accept("p1", "create_card", kind="postit", text="Toujours là", zone_id=PARKING, x=0.5, y=0.5)


def test_an_opened_door_lets_people_join_again(ws):
    """DOOR3."""
    assert ws.refuse(FACILITATOR_ID, "open_door").code == "conflict"
    ws.accept(FACILITATOR_ID, "close_door")
    event = ws.accept(FACILITATOR_ID, "open_door")
    assert (event.type, event.data) == ("door_opened", {})
    ws.join("p7", name="Tardif")
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_only_the_facilitator_closes_or_opens_the_door(ws):
    """ROLE4."""
    for kind in ("close_door", "open_door"):
        assert ws.refuse("p1", kind).code == "forbidden"
        assert ws.refuse(PROJECTOR_ID, kind).code == "forbidden"


# ---------------------------------------------------------------- merging a duplicate (TEAM19)

def vote_with_both_devices(ws, budget=3, per_card=2):
    """The vote open; Bruno put 2 dots from his laptop, 3 from his phone (one of them a proxy dot)."""
    ws.go_to("placement")
    for card, zone in (("d01", CELL), ("d02", CELL), ("d03", OTHER_CELL)):
        ws.accept(FACILITATOR_ID, "move_card", card_id=card, zone_id=zone, x=0.5, y=0.5)
    ws.go_to("incontournables")
    ws.accept(FACILITATOR_ID, "configure_vote", budget=budget, per_card=per_card)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p1", "vote", card_id="d01", delta=1)
    ws.accept("p1", "vote", card_id="d02", delta=1)
    ws.accept("p9", "vote", card_id="d01", delta=1)
    ws.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p9")
    ws.accept("p9", "vote", card_id="d03", delta=1)


def test_a_merge_hands_over_the_cards_written_and_placed_in_one_event(ws):
    """TEAM19, TEAM17, CARD16: the phone placed d05 and wrote a post-it; both are Bruno's after the merge."""
    ws.go_to("placement")
    ws.accept("p9", "move_card", card_id="d05", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to("completer")
    postit = ws.accept("p9", "create_card", kind="postit", text="Du téléphone", zone_id=CELL, x=0, y=0).data["id"]
    count = len(ws.events)
    event = ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert len(ws.events) == count + 1
    assert event.data == {"participant_id": "p9", "merge_into": "p1", "dots": {}, "proxy": {}}
    assert ws.card("d05")["placed_by"] == "p1" and ws.card(postit)["author"] == "p1"
    assert ws.member("p9") is None
    assert ws.refuse("p9", "edit_card", card_id=postit, text="Encore").code == "unauthorized"
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_a_merge_moves_the_dots_within_one_budget_and_the_rest_go_back(ws):
    """TEAM19: budget 3, at most 2 a card. Bruno has d01, d02; the phone d01 x2 (one proxy) and d03.
    Bruno takes one more on d01 (his second there) and none on d03 (his budget is spent)."""
    vote_with_both_devices(ws)
    event = ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert (event.data["dots"], event.data["proxy"]) == ({"d01": 1}, {"d01": 1})
    vote = ws.board.vote
    assert vote.dots["p1"] == {"d01": 2, "d02": 1} and vote.proxy["p1"] == {"d01": 1}
    assert "p9" not in vote.dots and "p9" not in vote.proxy
    assert vote.totals() == {"d01": 2, "d02": 1}
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_a_merge_with_room_in_the_budget_moves_every_dot(ws):
    """TEAM19: with a budget of 10 and 2 a card, all three of the phone's dots become Bruno's."""
    vote_with_both_devices(ws, budget=10)
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert ws.board.vote.dots["p1"] == {"d01": 2, "d02": 1, "d03": 1}
    assert ws.board.vote.totals() == {"d01": 2, "d02": 1, "d03": 1}


def test_a_merge_after_the_close_keeps_the_count_frozen(ws):
    """TEAM19, TEAM18, VOTE6: what Bruno cannot take stays counted."""
    vote_with_both_devices(ws)
    ws.accept(FACILITATOR_ID, "close_vote")
    totals = ws.board.vote.totals()
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert ws.board.vote.totals() == totals
    assert ws.board.vote.dots["p1"] == {"d01": 2, "d02": 1}


def test_only_the_kept_participant_and_the_facilitator_read_the_dots_moved(ws):
    """TEAM19, VOTE15, VOTE16."""
    vote_with_both_devices(ws)
    ws.watch("p1", "p2", PROJECTOR_ID, FACILITATOR_ID)
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert ws.inbox["p1"][-1]["data"]["dots"] == {"d01": 1}
    assert ws.inbox[FACILITATOR_ID][-1]["data"]["dots"] == {"d01": 1}
    for other in ("p2", PROJECTOR_ID):
        data = ws.inbox[other][-1]["data"]
        assert (data["participant_id"], data["merge_into"], data["dots"], data["proxy"]) == ("p9", "p1", {}, {})
    assert snapshot_for(ws.board, viewer_of(ws.board, "p1"))["vote"]["dots"] == {"p1": {"d01": 2, "d02": 1}}


def test_an_anonymous_vote_hides_the_dots_moved_from_the_facilitator(ws):
    """TEAM19, VOTE16."""
    ws.accept(FACILITATOR_ID, "configure_vote", anonymous=True)
    vote_with_both_devices(ws)
    ws.watch(FACILITATOR_ID)
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p9", merge_into="p1")
    assert ws.inbox[FACILITATOR_ID][-1]["data"]["dots"] == {}


def test_a_merge_from_an_older_log_replays_as_it_was(ws):
    """TEAM19: a participant_removed without `dots` hands over authors only, and the dots go back."""
    vote_with_both_devices(ws)
    from board.domain import evolve
    from board.domain.decide import Event
    old = Event(ws.board.version + 1, "participant_removed", {"participant_id": "p9", "merge_into": "p1"},
                FACILITATOR_ID, 0.0)
    board = evolve(replay(ws.events), old)
    assert board.vote.dots["p1"] == {"d01": 1, "d02": 1} and "p9" not in board.vote.dots
