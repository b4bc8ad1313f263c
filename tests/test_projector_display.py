"""What the projector shows, set by the facilitator on the one write path (spec DISPLAY4-7)."""
import pytest
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

from board.domain.evolve import replay
from board.domain.model import board_from_snapshot

MAINTENANCE_ROW = "maintenance"
CELL = "maintenance/techniques"


@pytest.fixture
def ws():
    """The packaged workshop with one participant, p1."""
    w = Workshop()
    w.join("p1")
    return w


def focus(ws):
    return ws.board.to_dict()["display"]["focus"]


@pytest.mark.parametrize("sequence", [0, 3])
def test_the_facilitator_shows_one_domain_one_cell_then_the_overview_in_any_sequence(ws, sequence):
    """DISPLAY4."""
    if sequence:
        ws.accept(FACILITATOR_ID, "set_sequence", index=sequence)
    cards_before = ws.board.to_dict()["cards"]
    event = ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "row", "id": MAINTENANCE_ROW})
    assert (event.type, event.data) == ("projector_set", {"focus": {"kind": "row", "id": MAINTENANCE_ROW}})
    assert focus(ws) == {"kind": "row", "id": MAINTENANCE_ROW}
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": CELL})
    assert focus(ws) == {"kind": "zone", "id": CELL}
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "parking"})  # a free area too
    assert focus(ws) == {"kind": "zone", "id": "parking"}
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "overview", "id": None})
    assert focus(ws) == {"kind": "overview"}
    snapshot = ws.board.to_dict()
    assert snapshot["cards"] == cards_before and snapshot["sequence"] == sequence
    assert snapshot["display"]["show_join"] is True  # the join code was not touched


def test_every_member_sees_the_focus_and_a_replay_keeps_it(ws):
    """DISPLAY4: the projector's snapshot carries it; the log rebuilds it."""
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "row", "id": "socle"})
    assert ws.sees(PROJECTOR_ID)["display"]["focus"] == {"kind": "row", "id": "socle"}
    assert ws.sees("p1")["display"]["focus"] == {"kind": "row", "id": "socle"}
    assert replay(ws.events).to_dict() == ws.board.to_dict()
    assert board_from_snapshot(ws.board.to_dict()).to_dict() == ws.board.to_dict()


@pytest.mark.parametrize("wanted", [{"kind": "row", "id": "cuisine"}, {"kind": "row", "id": CELL},
                                    {"kind": "zone", "id": "cuisine/techniques"},
                                    {"kind": "zone", "id": MAINTENANCE_ROW}])
def test_an_unknown_domain_or_zone_is_not_found_and_changes_nothing(ws, wanted):
    """DISPLAY5 (ws.refuse checks that the board is untouched)."""
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus=wanted).code == "not_found"
    assert focus(ws) == {"kind": "overview"}


def test_the_deck_is_not_something_to_project(ws):
    """DISPLAY5."""
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "deck"}).code == "bad_request"


@pytest.mark.parametrize("wanted", ["overview", "row:maintenance", ["row", MAINTENANCE_ROW], {"kind": "cell"},
                                    {"kind": "row"}, {"kind": "zone", "id": ""}, {"kind": "row", "id": 3},
                                    {"kind": "overview", "id": "socle"}, {"id": "socle"},
                                    {"kind": "row", "id": "socle", "zoom": 2}])
def test_a_malformed_focus_is_a_bad_request(ws, wanted):
    """DISPLAY6."""
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus=wanted).code == "bad_request"


def test_a_set_projector_with_nothing_to_set_is_a_bad_request(ws):
    """DISPLAY6."""
    assert ws.refuse(FACILITATOR_ID, "set_projector").code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "set_projector", show_join=None, focus=None).code == "bad_request"


def test_only_what_changes_is_in_the_event_and_nothing_new_is_a_conflict(ws):
    """DISPLAY7 and DISPLAY3."""
    event = ws.accept(FACILITATOR_ID, "set_projector", show_join=True, focus={"kind": "row", "id": "socle"})
    assert event.data == {"focus": {"kind": "row", "id": "socle"}}
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "row", "id": "socle"}).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "set_projector", show_join=True,
                     focus={"kind": "row", "id": "socle"}).code == "conflict"
    both = ws.accept(FACILITATOR_ID, "set_projector", show_join=False, focus={"kind": "overview"})
    assert both.data == {"show_join": False, "focus": {"kind": "overview"}}


@pytest.mark.parametrize("actor", ["p1", PROJECTOR_ID])
def test_only_the_facilitator_chooses_what_the_projector_shows(ws, actor):
    """ROLE2, ROLE4."""
    assert ws.refuse(actor, "set_projector", focus={"kind": "row", "id": "socle"}).code == "forbidden"


def test_over_the_socket_a_wrong_focus_is_refused_with_its_reason_and_a_right_one_reaches_the_projector(
        workshop, clients):
    """DISPLAY5 on the one write path: the sender gets the refusal, nothing is stored or broadcast."""
    facilitator = clients(workshop["admin_token"])
    screen = clients(workshop["projector_token"])
    version = facilitator.replica.version
    refused = facilitator.command("set_projector", {"focus": {"kind": "row", "id": "cuisine"}})
    assert (refused["ok"], refused["code"]) == (False, "not_found") and "cuisine" in refused["message"]
    accepted = facilitator.command("set_projector", {"focus": {"kind": "row", "id": MAINTENANCE_ROW}})
    assert accepted == {"ok": True, "version": version + 1}  # the refusal took no version
    screen.wait_version(version + 1)
    assert screen.state()["display"]["focus"] == {"kind": "row", "id": MAINTENANCE_ROW}
    assert [e["type"] for e in screen.messages("event")] == ["projector_set"]
