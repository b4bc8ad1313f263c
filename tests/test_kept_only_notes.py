"""Effects only on key factors (NOTE14): a note kind with `kept_only` attaches only to a card the
facilitator kept. The factors map's *pistes d'innovation* and *nouvelles compétences* are such kinds,
so in its *Effets* sequence a team writes effects on the key factors alone; its keywords go anywhere.
The loader checks the field; the server refuses an effect on a card not kept with the card named."""
import copy

import pytest

from board.domain import read_format
from board.domain.formats import FormatError, load_format
from domain_helpers import FACILITATOR_ID, Workshop

MAP = "carte"


def factors_map_document():
    return copy.deepcopy(read_format("cartographie-facteurs").document)


@pytest.fixture
def ws():
    """The factors map in *Effets*: p1 in Rouge; f01-f04 on the map, f01 kept as a key factor."""
    w = Workshop(factors_map_document())
    w.join("p1", name="Ana")
    w.put_in_team("p1", w.team("Rouge"))
    for i in range(1, 5):
        w.accept(FACILITATOR_ID, "move_card", card_id=f"f0{i}", zone_id=MAP, x=0.2 * i, y=0.5)
    w.accept(FACILITATOR_ID, "keep_card", card_id="f01", kept=True)
    w.go_to("effets")
    return w


def note(ws, actor, parent, kind, text="Effet"):
    return ws.send(actor, "create_card", kind="postit", text=text, zone_id=MAP, x=0, y=0, parent=parent, note_kind=kind)


def test_the_factors_map_s_effects_are_kept_only_and_its_keywords_are_not():
    kinds = {kind["id"]: kind.get("kept_only", False) for kind in factors_map_document()["note_kinds"]}
    assert kinds == {"sens": False, "implication": False, "question": False, "risque": False,
                     "piste-innovation": True, "nouvelle-competence": True}


@pytest.mark.parametrize("kind", ["piste-innovation", "nouvelle-competence"])
def test_an_effect_on_a_factor_not_kept_is_refused_naming_the_kind_and_the_factor(ws, kind):
    """NOTE14: forbidden, nothing changes (Workshop.refuse checks the board), the message says why."""
    title = ws.board.cards["f02"].text
    refusal = ws.refuse("p1", "create_card", kind="postit", text="Former aux réseaux", zone_id=MAP, x=0, y=0,
                        parent="f02", note_kind=kind)
    assert refusal.code == "forbidden"
    assert kind in refusal.message and title in refusal.message and "kept" in refusal.message
    # The facilitator is held by the rule too: it is the format's, not a permission.
    assert ws.refuse(FACILITATOR_ID, "create_card", kind="postit", text="X", zone_id=MAP, x=0, y=0,
                     parent="f02", note_kind=kind).code == "forbidden"


def test_an_effect_on_a_key_factor_is_written_and_keywords_go_on_any_factor(ws):
    event = note(ws, "p1", "f01", "nouvelle-competence", "Piloter des boucles d'énergie")
    assert event.data["parent"] == "f01" and event.data["note_kind"] == "nouvelle-competence"
    assert note(ws, "p1", "f02", "risque", "Coût").data["parent"] == "f02"


def test_keeping_a_factor_opens_it_to_effects_and_letting_it_go_keeps_those_written(ws):
    assert ws.refuse("p1", "create_card", kind="postit", text="A", zone_id=MAP, x=0, y=0,
                     parent="f03", note_kind="piste-innovation").code == "forbidden"
    ws.accept(FACILITATOR_ID, "keep_card", card_id="f03", kept=True)
    written = ws.accept("p1", "create_card", kind="postit", text="A", zone_id=MAP, x=0, y=0,
                        parent="f03", note_kind="piste-innovation").data["id"]
    ws.accept(FACILITATOR_ID, "keep_card", card_id="f03", kept=False)
    assert ws.board.cards[written].parent == "f03"
    assert ws.refuse("p1", "create_card", kind="postit", text="B", zone_id=MAP, x=0, y=0,
                     parent="f03", note_kind="piste-innovation").code == "forbidden"


def test_a_keyword_is_not_turned_into_an_effect_on_a_factor_not_kept(ws):
    """NOTE14 with NOTE9: edit_card's note_kind obeys the same rule."""
    keyword = note(ws, "p1", "f02", "question", "Qui paie ?").data["id"]
    refusal = ws.refuse("p1", "edit_card", card_id=keyword, note_kind="piste-innovation")
    assert refusal.code == "forbidden" and "piste-innovation" in refusal.message
    on_key = note(ws, "p1", "f01", "question", "Quand ?").data["id"]
    ws.accept("p1", "edit_card", card_id=on_key, note_kind="piste-innovation")


@pytest.mark.parametrize("value, path", [
    ("yes", "note_kinds[4].kept_only"), (1, "note_kinds[4].kept_only"), (None, "note_kinds[4].kept_only")])
def test_the_loader_refuses_a_kept_only_that_is_not_true_or_false(value, path):
    document = factors_map_document()
    document["note_kinds"][4]["kept_only"] = value
    with pytest.raises(FormatError) as error:
        load_format(document)
    assert str(error.value).startswith(f"{path}: must be true or false")


def test_the_loader_refuses_a_field_a_note_kind_does_not_have():
    document = factors_map_document()
    document["note_kinds"][0]["keptonly"] = True  # a typo is named, never ignored
    with pytest.raises(FormatError) as error:
        load_format(document)
    assert str(error.value).startswith("note_kinds[0].keptonly: is not a field here")
