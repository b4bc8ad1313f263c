"""Families on a canvas (board/domain/canvas.py, spec CANVAS1-CANVAS12, FMT16, FMT24), in the domain core.

The board is made from tests/data/formats/canvas.json: a factors map of 50 illustrative factors (written
for the test from the themes the seed 002, "L'atelier du 12 juillet pas à pas", names), a deck, a canvas
area `carte`, no Panorama, and a sequence `familles` that opens moving cards and the family commands.
"""
import copy
import json
from pathlib import Path

import pytest

from board.domain import EVENT_TYPES, FormatError, load_format, replay
from board.domain.model import board_from_snapshot
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

FORMAT_PATH = Path(__file__).parent / "data" / "formats" / "canvas.json"
CANVAS, DECK = "carte", "deck"
DISCOVERY, FAMILIES, READING = "decouverte", "familles", "lecture"


def canvas_document():
    """A private copy of the test's canvas format."""
    return json.loads(FORMAT_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def ws():
    """A canvas board in its families sequence: p1, p2 in Rouge, p3 in Bleu, p4 in no team."""
    w = Workshop(canvas_document())
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid)
    w.rouge, w.bleu = w.team("Rouge", "#aa0000"), w.team("Bleu", "#0000aa")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    w.go_to(FAMILIES)
    return w


def zone(w, zone_id):
    """A zone's snapshot, or None."""
    return next((z for z in w.board.to_dict()["zones"] if z["id"] == zone_id), None)


def family_story():
    """A board on which a family is made, renamed, moved and deleted (every event of this module once)."""
    w = Workshop(canvas_document())
    w.accept(FACILITATOR_ID, "create_zone", zone_id="fam", area_id=CANVAS, label="Écosystème", x=0.1, y=0.1)
    w.accept(FACILITATOR_ID, "rename_zone", zone_id="fam", label="Écosystème des IEG")
    w.accept(FACILITATOR_ID, "move_zone", zone_id="fam", x=0.5, y=0.4)
    w.accept(FACILITATOR_ID, "delete_zone", zone_id="fam")
    return w


# ---------------------------------------------------------------- formats (FMT16, FMT24)

def test_a_format_with_a_canvas_needs_no_panorama():
    """FMT16: no Panorama, no cell, no row or column; a snapshot loads again."""
    fmt = load_format(canvas_document())
    assert [(z.id, z.kind) for z in fmt.zones] == [(DECK, "deck"), (CANVAS, "canvas")]
    assert (list(fmt.rows), list(fmt.columns)) == ([], [])
    w = Workshop(canvas_document())
    assert board_from_snapshot(json.loads(json.dumps(w.board.to_dict()))).to_dict() == w.board.to_dict()


@pytest.mark.parametrize("canvas, path", [
    ([], "canvas"), ({"families_by": "team"}, "canvas.families_by"), ({"max_families": 0}, "canvas.max_families"),
    ({"max_families": 41}, "canvas.max_families"), ({"max_families": True}, "canvas.max_families"),
    ({"colour": "red"}, "canvas.colour")])
def test_a_bad_canvas_field_names_itself(canvas, path):
    """FMT24."""
    document = canvas_document()
    document["canvas"] = canvas
    with pytest.raises(FormatError) as caught:
        load_format(document)
    assert caught.value.path == path


def test_a_canvas_field_needs_a_canvas_area():
    """FMT24."""
    document = copy.deepcopy(canvas_document())
    document["areas"][1]["kind"] = "free"
    document["panorama"] = {"rows": [{"id": "r", "label": {"fr": "R", "en": "R"}}],
                            "columns": [{"id": "c", "label": {"fr": "C", "en": "C"}}]}
    with pytest.raises(FormatError) as caught:
        load_format(document)
    assert caught.value.path == "canvas"


# ---------------------------------------------------------------- free placement (CANVAS11)

def test_a_card_on_the_canvas_keeps_the_place_it_was_dropped_at(ws):
    """CANVAS11: x, y of move_card are kept as sent, fractions of the canvas."""
    ws.accept("p1", "move_card", card_id="f01", zone_id=CANVAS, x=0.731, y=0.204)
    card = ws.card("f01")
    assert (card["zone"], card["x"], card["y"], card["team"]) == (CANVAS, 0.731, 0.204, ws.rouge)


# ---------------------------------------------------------------- create (CANVAS1-CANVAS5)

def test_a_participant_makes_a_family_for_their_team(ws):
    """CANVAS1: zone_created carries the family whole; its maker is the team."""
    event = ws.accept("p1", "create_zone", zone_id="fam-eco", area_id=CANVAS, label="  Écosystème  ", x=0.2, y=0.3)
    expected = {"id": "fam-eco", "kind": "family", "label": {"fr": "Écosystème", "en": "Écosystème"}, "row": None,
                "column": None, "created_by": ws.rouge, "area": CANVAS, "x": 0.2, "y": 0.3}
    assert event.type == "zone_created" and event.data == {"zone": expected, "cards": []}
    assert zone(ws, "fam-eco") == expected


def test_someone_without_a_team_makes_a_family_of_their_own(ws):
    """CANVAS1."""
    ws.accept("p4", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0.5, y=0.5)
    assert zone(ws, "fam")["created_by"] == "p4"


def test_a_family_made_with_cards_takes_them_in_at_once(ws):
    """CANVAS3: card_ids move into the family in the same event, laid out in reading order, on top of it."""
    ws.accept("p1", "move_card", card_id="f02", zone_id=CANVAS, x=0.9, y=0.9)
    event = ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="RH", x=0.1, y=0.1,
                      card_ids=["f01", "f02", "f03", "f04"])
    assert [c["card_id"] for c in event.data["cards"]] == ["f01", "f02", "f03", "f04"]
    cards = {c["id"]: c for c in ws.cards_in("fam")}
    assert set(cards) == {"f01", "f02", "f03", "f04"}
    assert all(c["team"] == ws.rouge and c["placed_by"] == "p1" for c in cards.values())
    order = sorted(cards.values(), key=lambda c: (c["y"], c["x"]))
    assert [c["id"] for c in order] == ["f01", "f02", "f03", "f04"]
    assert sorted(c["z"] for c in cards.values()) == [1, 2, 3, 4]


def test_a_family_with_a_card_of_another_team_is_refused_whole(ws):
    """CANVAS3: every card is judged as its move would be; one refusal refuses all."""
    ws.accept("p3", "move_card", card_id="f05", zone_id=CANVAS, x=0.5, y=0.5)  # Bleu's now
    assert ws.refuse("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="RH", x=0, y=0,
                     card_ids=["f01", "f05"]).code == "forbidden"
    assert ws.refuse("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="RH", x=0, y=0,
                     card_ids=["f01", "ghost"]).code == "not_found"


@pytest.mark.parametrize("payload, code", [
    ({"zone_id": CANVAS}, "conflict"), ({"zone_id": DECK}, "conflict"),
    ({"area_id": "nowhere"}, "not_found"), ({"area_id": DECK}, "bad_request"),
    ({"label": ""}, "bad_request"), ({"label": "   "}, "bad_request"), ({"label": "x" * 61}, "too_large"),
    ({"label": 7}, "bad_request"), ({"x": 1.5}, "bad_request"), ({"y": -0.1}, "bad_request"),
    ({"zone_id": "bad id"}, "bad_request"), ({"card_ids": ["f01", "f01"]}, "bad_request"),
    ({"card_ids": "f01"}, "bad_request")])
def test_a_bad_family_is_refused_and_changes_nothing(ws, payload, code):
    """CANVAS2: unknown or wrong area, a taken id, a bad label or place."""
    good = {"zone_id": "fam", "area_id": CANVAS, "label": "Demande", "x": 0.5, "y": 0.5}
    assert ws.refuse("p1", "create_zone", **{**good, **payload}).code == code


def test_two_families_of_one_name_cannot_be_told_apart(ws):
    """CANVAS7: case, accents and spacing do not make another name."""
    ws.accept("p1", "create_zone", zone_id="a", area_id=CANVAS, label="Écosystème", x=0, y=0)
    assert ws.refuse("p3", "create_zone", zone_id="b", area_id=CANVAS, label=" ecosysteme ", x=0, y=0).code == "conflict"


def test_a_canvas_holds_at_most_its_formats_number_of_families(ws):
    """CANVAS4: the test format says 12."""
    for n in range(12):
        ws.accept(FACILITATOR_ID, "create_zone", zone_id=f"f{n}x", area_id=CANVAS, label=f"Famille {n}", x=0, y=0)
    rejection = ws.refuse("p1", "create_zone", zone_id="more", area_id=CANVAS, label="Une de trop", x=0, y=0)
    assert rejection.code == "conflict" and "12" in rejection.message


@pytest.mark.parametrize("kind, payload", [
    ("create_zone", {"zone_id": "new", "area_id": CANVAS, "label": "Demande", "x": 0.1, "y": 0.1}),
    ("rename_zone", {"zone_id": "fam", "label": "Autre"}),
    ("delete_zone", {"zone_id": "fam"})])
@pytest.mark.parametrize("sequence", [DISCOVERY, READING])
def test_a_participant_needs_a_sequence_that_opens_families(ws, kind, payload, sequence):
    """CANVAS5 (SEQ2): sequence_closed where `allows` does not name the command; the facilitator never waits."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Écosystème", x=0.5, y=0.5)
    ws.go_to(sequence)
    assert ws.refuse("p1", kind, **payload).code == "sequence_closed"
    assert ws.refuse(PROJECTOR_ID, kind, **payload).code == "forbidden"
    ws.accept(FACILITATOR_ID, kind, **payload)


def test_a_format_can_keep_families_to_the_facilitator():
    """CANVAS10: `families_by: facilitator`."""
    document = canvas_document()
    document["canvas"]["families_by"] = "facilitator"
    w = Workshop(document)
    w.join("p1")
    w.go_to(FAMILIES)
    w.accept(FACILITATOR_ID, "create_zone", zone_id="fam", area_id=CANVAS, label="Écosystème", x=0, y=0)
    assert w.refuse("p1", "create_zone", zone_id="b", area_id=CANVAS, label="Demande", x=0, y=0).code == "forbidden"
    assert w.refuse("p1", "rename_zone", zone_id="fam", label="Demande").code == "forbidden"
    assert w.refuse("p1", "delete_zone", zone_id="fam").code == "forbidden"


# ---------------------------------------------------------------- rename (CANVAS6, CANVAS7)

def test_any_team_renames_a_family(ws):
    """CANVAS6: the event carries the label whole; the family keeps its place, maker and cards."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Ecosysteme", x=0.4, y=0.6, card_ids=["f01"])
    event = ws.accept("p3", "rename_zone", zone_id="fam", label="Écosystème des IEG")
    assert event.data == {"zone_id": "fam", "label": {"fr": "Écosystème des IEG", "en": "Écosystème des IEG"}}
    family = zone(ws, "fam")
    assert (family["label"]["fr"], family["x"], family["y"], family["created_by"]) == ("Écosystème des IEG", 0.4, 0.6, ws.rouge)
    assert [c["id"] for c in ws.cards_in("fam")] == ["f01"]


def test_a_rename_to_the_same_name_or_a_taken_one_is_refused(ws):
    """CANVAS7."""
    ws.accept("p1", "create_zone", zone_id="a", area_id=CANVAS, label="Demande", x=0, y=0)
    ws.accept("p1", "create_zone", zone_id="b", area_id=CANVAS, label="Ressources", x=0, y=0)
    assert ws.refuse("p1", "rename_zone", zone_id="a", label=" Demande ").code == "conflict"
    assert ws.refuse("p1", "rename_zone", zone_id="a", label="RESSOURCES").code == "conflict"
    ws.accept("p1", "rename_zone", zone_id="a", label="demande")  # its own name in other case: a change


@pytest.mark.parametrize("zone_id, code", [("ghost", "not_found"), (CANVAS, "bad_request"), (DECK, "bad_request")])
def test_only_a_family_is_renamed_or_deleted(ws, zone_id, code):
    """CANVAS6, CANVAS8: an unknown id, or a zone of the format."""
    assert ws.refuse("p1", "rename_zone", zone_id=zone_id, label="Autre").code == code
    assert ws.refuse("p1", "delete_zone", zone_id=zone_id).code == code


@pytest.mark.parametrize("label, code", [("", "bad_request"), ("  ", "bad_request"), ("y" * 61, "too_large"),
                                         (None, "bad_request"), ("\ud800", "bad_request")])
def test_a_bad_new_name_is_refused(ws, label, code):
    """CANVAS6."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0, y=0)
    assert ws.refuse("p1", "rename_zone", zone_id="fam", label=label).code == code


# ---------------------------------------------------------------- moving in and out (CANVAS11, CANVAS12)

def test_a_card_moves_into_a_family_and_out_again_keeping_its_place(ws):
    """CANVAS12: in a family its x, y are the family's; out, the canvas's."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0.6, y=0.2)
    ws.accept("p1", "move_card", card_id="f07", zone_id="fam", x=0.25, y=0.75)
    card = ws.card("f07")
    assert (card["zone"], card["x"], card["y"], card["team"]) == ("fam", 0.25, 0.75, ws.rouge)
    ws.accept("p2", "move_card", card_id="f07", zone_id=CANVAS, x=0.05, y=0.95)
    card = ws.card("f07")
    assert (card["zone"], card["x"], card["y"]) == (CANVAS, 0.05, 0.95)
    assert ws.cards_in("fam") == []


def test_another_teams_card_stays_out_of_my_family(ws):
    """CANVAS12 (CARD15): a family is a zone like any: another team's card is not mine to move."""
    ws.accept("p3", "move_card", card_id="f08", zone_id=CANVAS, x=0.5, y=0.5)
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0, y=0)
    assert ws.refuse("p1", "move_card", card_id="f08", zone_id="fam", x=0.5, y=0.5).code == "forbidden"


# ---------------------------------------------------------------- delete (CANVAS8, CANVAS9)

def test_an_empty_family_is_deleted_and_the_projector_leaves_it(ws):
    """CANVAS9: zone_deleted; a projector's focus on it goes back to the overview."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0, y=0, card_ids=["f01"])
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "zone", "id": "fam"})
    ws.accept("p1", "move_card", card_id="f01", zone_id=CANVAS, x=0.5, y=0.5)
    event = ws.accept("p2", "delete_zone", zone_id="fam")
    assert (event.type, event.data) == ("zone_deleted", {"zone_id": "fam"})
    assert zone(ws, "fam") is None
    assert ws.board.display["focus"] == {"kind": "overview"}


def test_a_family_with_cards_in_it_is_not_deleted(ws):
    """CANVAS8: not_empty, saying how many cards and which family."""
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0, y=0, card_ids=["f01", "f02"])
    rejection = ws.refuse("p1", "delete_zone", zone_id="fam")
    assert rejection.code == "not_empty" and "2 cards" in rejection.message and "Demande" in rejection.message
    assert ws.refuse(FACILITATOR_ID, "delete_zone", zone_id="fam").code == "not_empty"


# ---------------------------------------------------------------- replay (REPLAY5)

def test_families_replay_from_the_log(ws):
    """REPLAY5: the log (and a snapshot) rebuild families, their names, places and cards."""
    ws.accept("p1", "create_zone", zone_id="a", area_id=CANVAS, label="Demande", x=0.1, y=0.2, card_ids=["f01", "f02"])
    ws.accept("p3", "create_zone", zone_id="b", area_id=CANVAS, label="Ressources", x=0.6, y=0.2)
    ws.accept("p3", "rename_zone", zone_id="a", label="La demande")
    ws.accept("p2", "move_card", card_id="f02", zone_id=CANVAS, x=0.3, y=0.8)
    ws.accept("p2", "create_zone", zone_id="c", area_id=CANVAS, label="Vide", x=0.9, y=0.9)
    ws.accept("p2", "delete_zone", zone_id="c")
    live = ws.board.to_dict()
    assert replay(ws.events).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    assert {"zone_created", "zone_renamed", "zone_deleted"} <= set(EVENT_TYPES)


def test_family_events_reach_every_member_as_they_are(ws):
    """PRIV5: a family, its name and the cards it takes in hide nothing: every viewer reads the same."""
    from board.domain.visibility import event_for, viewer_of
    events = [ws.accept("p1", "create_zone", zone_id="a", area_id=CANVAS, label="Demande", x=0.1, y=0.2,
                        card_ids=["f01"]),
              ws.accept("p3", "rename_zone", zone_id="a", label="La demande")]
    ws.accept("p1", "move_card", card_id="f01", zone_id=CANVAS, x=0.5, y=0.5)
    events.append(ws.accept("p2", "delete_zone", zone_id="a"))
    for event in events:
        for member in ("p1", "p3", "p4", PROJECTOR_ID, FACILITATOR_ID):
            assert event_for(ws.board, event.to_dict(), viewer_of(ws.board, member)) == event.to_dict()


def test_an_anonymous_sequence_names_nobody_behind_a_family(ws):
    """ANON2 with families: while names are withheld, a family made by someone with no team, and the cards
    it took in, name neither its maker nor who placed them, but to themselves and the facilitator."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=1)
    ws.watch("p3", "p4", FACILITATOR_ID)
    ws.accept("p4", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0, y=0, card_ids=["f01"])
    seen = {member: ws.inbox[member][-1]["data"] for member in ("p3", "p4", FACILITATOR_ID)}
    assert (seen["p3"]["zone"]["created_by"], seen["p3"]["cards"][0]["placed_by"]) == (None, None)
    assert (seen["p4"]["zone"]["created_by"], seen["p4"]["cards"][0]["placed_by"]) == ("p4", "p4")
    assert seen[FACILITATOR_ID]["zone"]["created_by"] == "p4"
    assert next(z for z in ws.sees("p3")["zones"] if z["id"] == "fam")["created_by"] is None
    assert next(z for z in ws.sees(FACILITATOR_ID)["zones"] if z["id"] == "fam")["created_by"] == "p4"


def test_a_board_document_brings_its_families_back(ws):
    """DOC1, DOC2 with families: a workshop's file holds its families, names, places and cards, and a board
    made from it has them; a family in a file that points to no canvas is refused naming the field."""
    from board.domain import SYSTEM
    from board.domain.documents import DocumentError, board_document, check_document
    ws.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Demande", x=0.3, y=0.4, card_ids=["f01", "f02"])
    ws.accept("p3", "move_card", card_id="f03", zone_id=CANVAS, x=0.7, y=0.9)
    document = json.loads(json.dumps(board_document(ws.board)))
    checked = check_document(document)
    again = Workshop(checked.format)
    again.accept(SYSTEM, "restore_board", content=checked.content)
    assert zone(again, "fam") == zone(ws, "fam")
    assert {(c["id"], c["zone"], c["x"], c["y"]) for c in again.cards_in("fam")} == \
        {(c["id"], c["zone"], c["x"], c["y"]) for c in ws.cards_in("fam")}
    assert replay(again.events).to_dict()["zones"] == again.board.to_dict()["zones"]
    broken = copy.deepcopy(document)
    next(z for z in broken["zones"] if z["id"] == "fam")["area"] = "deck"
    with pytest.raises(DocumentError) as caught:
        check_document(broken)
    assert caught.value.path.endswith(".area")


def test_a_family_made_with_a_card_takes_its_notes_along():
    """CANVAS3 with NOTE4: a card that create_zone moves into the new family brings its notes (the seeded
    fuzz found them left on the canvas while their card sat in the family)."""
    document = canvas_document()
    document["note_kinds"] = [{"id": "sens", "label": {"fr": "Sens", "en": "Meaning"}}]
    next(s for s in document["sequences"] if s["id"] == FAMILIES)["allows"].append("add_note")
    w = Workshop(document)
    w.join("p1")
    w.go_to(FAMILIES)
    w.accept("p1", "move_card", card_id="f01", zone_id=CANVAS, x=0.5, y=0.5)
    note = w.accept("p1", "create_card", kind="postit", text="Territoire", zone_id=CANVAS, x=0, y=0,
                    parent="f01", note_kind="sens").data["id"]
    w.accept("p1", "create_zone", zone_id="fam", area_id=CANVAS, label="Ville", x=0.1, y=0.1, card_ids=["f01"])
    cards = {c["id"]: c for c in w.board.to_dict()["cards"]}
    assert cards["f01"]["zone"] == "fam" and cards[note]["zone"] == "fam"
