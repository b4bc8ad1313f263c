"""One family on the projector (spec DISPLAY11), in the domain core: a family is a zone, so the one
focus command, `set_projector` (and `follow`), takes it like a cell or a free area, on the packaged
factors map (board/formats/cartographie-facteurs.json)."""
import copy

import pytest

from board.domain import read_format
from domain_helpers import FACILITATOR_ID, Workshop

CANVAS = "carte"


@pytest.fixture
def ws():
    """The factors map in its families sequence; p1 in Rouge has made the family `fam-eco` with two factors."""
    w = Workshop(copy.deepcopy(read_format("cartographie-facteurs").document))
    w.join("p1")
    w.put_in_team("p1", w.team("Rouge"))
    w.go_to("familles")
    deck = [card["id"] for card in w.board.to_dict()["cards"] if card["zone"] == "deck"][:2]
    w.accept("p1", "create_zone", zone_id="fam-eco", area_id=CANVAS, label="Écosystème", x=0.1, y=0.1, card_ids=deck)
    return w


@pytest.mark.parametrize("sequence_id", ["familles", "mots-cles", "themes"])
def test_the_facilitator_puts_a_family_a_participant_made_on_the_projector_in_any_sequence(ws, sequence_id):
    """DISPLAY11, DISPLAY3."""
    if sequence_id != "familles":
        ws.go_to(sequence_id)
    event = ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "fam-eco"})
    assert event.type == "projector_set" and event.data == {"focus": {"kind": "zone", "id": "fam-eco"}}
    assert ws.board.to_dict()["display"]["focus"] == {"kind": "zone", "id": "fam-eco"}
    # The same again changes nothing (DISPLAY3).
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "fam-eco"}).code == "conflict"


def test_a_renamed_family_stays_on_the_projector_and_a_deleted_one_cannot_be_put_there(ws):
    """DISPLAY11, DISPLAY5."""
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "fam-eco"})
    ws.accept("p1", "rename_zone", zone_id="fam-eco", label="Écosystème et territoires")
    assert ws.board.to_dict()["display"]["focus"] == {"kind": "zone", "id": "fam-eco"}
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "overview"})
    for card in ws.cards_in("fam-eco"):
        ws.accept("p1", "move_card", card_id=card["id"], zone_id=CANVAS, x=0.5, y=0.5)
    ws.accept("p1", "delete_zone", zone_id="fam-eco")
    assert ws.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "fam-eco"}).code == "not_found"


def test_only_the_facilitator_puts_a_family_on_the_projector_and_everyone_may_be_led_to_it(ws):
    """DISPLAY11, FOLLOW1."""
    assert ws.refuse("p1", "set_projector", focus={"kind": "zone", "id": "fam-eco"}).code == "forbidden"
    event = ws.accept(FACILITATOR_ID, "follow", focus={"kind": "zone", "id": "fam-eco"})
    assert event.data == {"focus": {"kind": "zone", "id": "fam-eco"}}
