"""Leading everyone's view (docs/spec.md FOLLOW1-FOLLOW4): the facilitator points every participant and
the projector at one domain, one cell or the whole Panorama, and lets them go. In memory, through decide
and evolve (domain_helpers.py)."""
import pytest

from board.domain import replay
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

ROW = {"kind": "row", "id": "maintenance"}
CELL = {"kind": "zone", "id": "maintenance/techniques"}
OVERVIEW = {"kind": "overview"}


@pytest.fixture
def ws():
    w = Workshop()
    w.join("p1", name="Bruno")
    return w


@pytest.mark.parametrize("focus", [ROW, CELL, OVERVIEW, {"kind": "zone", "id": "parking"}])
def test_follow_leads_everyone_and_the_projector_to_one_focus(ws, focus):
    """FOLLOW1."""
    event = ws.accept(FACILITATOR_ID, "follow", focus=focus)
    assert (event.type, event.data) == ("follow_set", {"focus": focus})
    snapshot = ws.board.to_dict()
    assert snapshot["room"]["follow"] == focus
    assert snapshot["display"]["focus"] == focus
    for member in ("p1", PROJECTOR_ID):
        assert ws.sees(member)["room"]["follow"] == focus


def test_the_same_focus_again_is_accepted_to_bring_back_those_who_left(ws):
    """FOLLOW1."""
    ws.accept(FACILITATOR_ID, "follow", focus=ROW)
    assert ws.accept(FACILITATOR_ID, "follow", focus=ROW).data == {"focus": ROW}


@pytest.mark.parametrize("focus, code", [
    ({"kind": "row", "id": "astronomie"}, "not_found"),
    ({"kind": "zone", "id": "nowhere"}, "not_found"),
    ({"kind": "zone", "id": "deck"}, "bad_request"),
    ({"kind": "row"}, "bad_request"),
    ({"kind": "overview", "id": "socle"}, "bad_request"),
    ({"kind": "everything"}, "bad_request"),
    ("overview", "bad_request"),
])
def test_a_focus_the_board_does_not_have_is_refused(ws, focus, code):
    """FOLLOW2."""
    assert ws.refuse(FACILITATOR_ID, "follow", focus=focus).code == code


def test_letting_go_frees_the_participants_and_leaves_the_projector_as_it_was(ws):
    """FOLLOW3."""
    assert ws.refuse(FACILITATOR_ID, "follow", focus=None).code == "conflict"
    ws.accept(FACILITATOR_ID, "follow", focus=CELL)
    event = ws.accept(FACILITATOR_ID, "follow")
    assert (event.type, event.data) == ("follow_set", {"focus": None})
    assert ws.board.to_dict()["room"]["follow"] is None
    assert ws.board.to_dict()["display"]["focus"] == CELL
    assert ws.refuse(FACILITATOR_ID, "follow", focus=None).code == "conflict"
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_the_projector_alone_changes_without_moving_the_participants(ws):
    """FOLLOW4: set_projector is the projector's; follow is everyone's."""
    ws.accept(FACILITATOR_ID, "follow", focus=ROW)
    ws.accept(FACILITATOR_ID, "set_projector", focus=CELL)
    snapshot = ws.board.to_dict()
    assert (snapshot["room"]["follow"], snapshot["display"]["focus"]) == (ROW, CELL)


def test_only_the_facilitator_leads(ws):
    """ROLE4."""
    assert ws.refuse("p1", "follow", focus=ROW).code == "forbidden"
    assert ws.refuse(PROJECTOR_ID, "follow", focus=ROW).code == "forbidden"
