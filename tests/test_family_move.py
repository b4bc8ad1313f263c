"""Moving a family on its canvas (board/domain/canvas.py move_zone, spec CANVAS13, CANVAS14), in the domain core.

The board is made from tests/data/formats/canvas.json (a factors map, a canvas `carte`, a sequence
`familles` that opens the family commands); see tests/test_canvas.py for the rest of the families.
"""
import json

import pytest

from board.domain import replay
from board.domain.decide import sequence_allows
from board.domain.model import board_from_snapshot
from board.domain.visibility import event_for, viewer_of
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop
from test_canvas import CANVAS, DISCOVERY, FAMILIES, canvas_document


@pytest.fixture
def ws():
    """A canvas board in its families sequence, p1, p2 in Rouge, p3 in Bleu; a family "Demande" of Rouge at
    (0.1, 0.2) holding f01 and f02."""
    w = Workshop(canvas_document())
    for pid in ("p1", "p2", "p3"):
        w.join(pid)
    rouge, bleu = w.team("Rouge", "#aa0000"), w.team("Bleu", "#0000aa")
    for pid, team in (("p1", rouge), ("p2", rouge), ("p3", bleu)):
        w.put_in_team(pid, team)
    w.go_to(FAMILIES)
    w.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0.1, y=0.2, card_ids=["f01", "f02"])
    return w


def family(w, zone_id="fam"):
    return next(z for z in w.board.to_dict()["zones"] if z["id"] == zone_id)


def test_any_team_moves_a_family_and_its_cards_go_with_it(ws):
    """CANVAS13: zone_moved carries the new place; name, maker and the cards' places in the family stay."""
    cards_before = {c["id"]: c for c in ws.board.to_dict()["cards"] if c["zone"] == "fam"}
    event = ws.accept("p3", "move_zone", zone_id="fam", x=0.62, y=0.45)  # Bleu moves Rouge's family
    assert (event.type, event.data) == ("zone_moved", {"zone_id": "fam", "x": 0.62, "y": 0.45})
    moved = family(ws)
    assert (moved["x"], moved["y"], moved["label"]["fr"], moved["area"]) == (0.62, 0.45, "Demande", CANVAS)
    assert {c["id"]: c for c in ws.board.to_dict()["cards"] if c["zone"] == "fam"} == cards_before


@pytest.mark.parametrize("payload, code", [
    ({"zone_id": "ghost"}, "not_found"), ({"zone_id": CANVAS}, "bad_request"), ({"zone_id": "deck"}, "bad_request"),
    ({"x": 1.2}, "bad_request"), ({"y": -0.1}, "bad_request"), ({"x": "0.5"}, "bad_request"),
    ({"x": 0.1, "y": 0.2}, "conflict")])
def test_a_bad_move_is_refused_and_changes_nothing(ws, payload, code):
    """CANVAS13: an unknown family, a zone of the format, a place off the canvas, or the place it has."""
    before = ws.board.to_dict()
    assert ws.refuse("p1", "move_zone", **{"zone_id": "fam", "x": 0.5, "y": 0.5, **payload}).code == code
    assert ws.board.to_dict() == before


def test_moving_is_open_where_making_families_is(ws):
    """CANVAS14: a sequence that does not open create_zone closes move_zone too; the facilitator always may,
    the projector never."""
    assert sequence_allows(ws.board, "participant", "move_zone")
    ws.go_to(DISCOVERY)
    assert not sequence_allows(ws.board, "participant", "move_zone")
    assert ws.refuse("p1", "move_zone", zone_id="fam", x=0.5, y=0.5).code == "sequence_closed"
    assert ws.refuse(PROJECTOR_ID, "move_zone", zone_id="fam", x=0.5, y=0.5).code == "forbidden"
    ws.accept(FACILITATOR_ID, "move_zone", zone_id="fam", x=0.5, y=0.5)
    assert (family(ws)["x"], family(ws)["y"]) == (0.5, 0.5)


def test_a_format_that_keeps_families_to_the_facilitator_keeps_their_moves_too():
    """CANVAS10 with CANVAS14."""
    document = canvas_document()
    document["canvas"] = {**document.get("canvas", {}), "families_by": "facilitator"}
    w = Workshop(document)
    w.join("p1")
    w.go_to(FAMILIES)
    w.accept(FACILITATOR_ID, "create_zone", zone_id="fam", area_id=CANVAS, label="Écosystème", x=0, y=0)
    assert w.refuse("p1", "move_zone", zone_id="fam", x=0.5, y=0.5).code == "forbidden"


def test_moves_replay_from_the_log_and_reach_everyone_alike(ws):
    """REPLAY5, PRIV5: the log and a snapshot rebuild the family's last place; every member reads the event."""
    first = ws.accept("p1", "move_zone", zone_id="fam", x=0.3, y=0.3)
    ws.accept("p2", "move_zone", zone_id="fam", x=0.7, y=0.1)
    live = ws.board.to_dict()
    assert (family(ws)["x"], family(ws)["y"]) == (0.7, 0.1)
    assert replay(ws.events).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    for member in ("p1", "p3", PROJECTOR_ID, FACILITATOR_ID):
        assert event_for(ws.board, first.to_dict(), viewer_of(ws.board, member)) == first.to_dict()
