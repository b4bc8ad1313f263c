"""The facilitator's lock (docs/spec.md LOCK1-LOCK3): a frozen board refuses every participant command
with `locked`, the facilitator keeps working, and unlocking gives the room back. In memory, through
decide and evolve (domain_helpers.py)."""
import pytest

from board.domain import replay
from board.domain.room_control import holds_back
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

CELL, PARKING = "maintenance/techniques", "parking"
SEQUENCES = ("decouverte", "placement", "completer", "incontournables")


@pytest.fixture
def ws():
    """p1 in Rouge with a card of theirs on the board, p2 in no team; the vote open in its sequence."""
    w = Workshop()
    w.join("p1", name="Bruno")
    w.join("p2", name="Alice")
    w.rouge = w.team("Rouge")
    w.put_in_team("p1", w.rouge)
    w.go_to("completer")
    w.postit = w.accept("p1", "create_card", kind="postit", text="Idée", zone_id=CELL, x=0.5, y=0.5).data["id"]
    w.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.2, y=0.2)
    return w


def every_participant_command(ws):
    """One valid command of each kind a participant may send, as (kind, payload)."""
    return [
        ("join_team", {"team_id": None}),
        ("move_card", {"card_id": ws.postit, "zone_id": PARKING, "x": 0.5, "y": 0.5}),
        ("create_card", {"kind": "new", "text": "Autre", "zone_id": CELL, "x": 0.1, "y": 0.1}),
        ("edit_card", {"card_id": ws.postit, "text": "Idée revue"}),
        ("delete_card", {"card_id": ws.postit}),
        ("vote", {"card_id": "d01", "delta": 1}),
    ]


def test_a_new_board_is_unlocked_and_locking_twice_is_a_conflict(ws):
    """LOCK1."""
    assert Workshop().board.to_dict()["room"] == {"locked": False, "door_open": True, "follow": None}
    event = ws.accept(FACILITATOR_ID, "lock_board")
    assert (event.type, event.data) == ("board_locked", {})
    assert ws.board.to_dict()["room"]["locked"] is True
    assert ws.refuse(FACILITATOR_ID, "lock_board").code == "conflict"


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_while_locked_every_participant_command_is_refused_with_locked_in_every_sequence(ws, sequence):
    """LOCK2: the lock is checked before the sequence, so the refusal says the board is locked."""
    ws.go_to(sequence)
    if sequence == "incontournables":
        ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept(FACILITATOR_ID, "lock_board")
    for kind, payload in every_participant_command(ws):
        for member in ("p1", "p2"):
            refusal = ws.refuse(member, kind, **payload)
            assert refusal.code == "locked", (kind, member, refusal)
            assert "locked" in refusal.message


def test_the_lock_does_not_hide_a_role_refusal_and_the_projector_stays_forbidden(ws):
    """LOCK2, ROLE6: a participant asking for a facilitator's command is refused for their role."""
    ws.accept(FACILITATOR_ID, "lock_board")
    assert ws.refuse("p1", "unlock_board").code == "forbidden"
    assert ws.refuse("p1", "set_sequence", index=0).code == "forbidden"
    assert ws.refuse(PROJECTOR_ID, "move_card", card_id="d01", zone_id=PARKING, x=0, y=0).code == "forbidden"


def test_the_facilitator_works_on_a_locked_board(ws):
    """LOCK2: the facilitator is never locked."""
    ws.accept(FACILITATOR_ID, "lock_board")
    ws.accept(FACILITATOR_ID, "move_card", card_id=ws.postit, zone_id=PARKING, x=0.5, y=0.5)
    ws.accept(FACILITATOR_ID, "edit_card", card_id=ws.postit, text="Revue par l'animation")
    ws.accept(FACILITATOR_ID, "set_sequence", index=3)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p1")


def test_holds_back_says_whom_the_lock_stops_for_drags(ws):
    """LOCK2: the socket layer relays no participant's drag while locked."""
    assert not holds_back(ws.board, "participant")
    ws.accept(FACILITATOR_ID, "lock_board")
    assert holds_back(ws.board, "participant")
    assert not holds_back(ws.board, "facilitator")
    ws.accept(FACILITATOR_ID, "unlock_board")
    assert not holds_back(ws.board, "participant")


def test_unlocking_gives_the_room_back_and_changes_nothing_else(ws):
    """LOCK3."""
    before = ws.board.to_dict()
    ws.accept(FACILITATOR_ID, "lock_board")
    event = ws.accept(FACILITATOR_ID, "unlock_board")
    assert (event.type, event.data) == ("board_unlocked", {})
    after = ws.board.to_dict()
    assert {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}
    ws.accept("p1", "edit_card", card_id=ws.postit, text="De nouveau")
    assert ws.refuse(FACILITATOR_ID, "unlock_board").code == "conflict"
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_a_lock_and_its_events_reach_every_member_as_they_are(ws):
    """LOCK1, PRIV5: nothing hidden in a lock; each member's snapshot says the board is locked."""
    ws.watch("p1", PROJECTOR_ID)
    ws.accept(FACILITATOR_ID, "lock_board")
    for member in ("p1", PROJECTOR_ID):
        assert ws.inbox[member][-1]["type"] == "board_locked"
        assert ws.sees(member)["room"]["locked"] is True
