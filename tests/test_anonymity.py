"""Anonymity, per sequence: one test (or a few) per rule of docs/spec.md section 18 (ANON).

Boards are built in memory with decide and evolve (domain_helpers.py), and what each member
receives is what visibility.py gives them (the socket layer sends exactly that). Every member has
a name found nowhere else ("Zoé Quintal"...), so finding it in a message is finding a leak.
"""
import copy
import csv
import io

import pytest

from board.export import panorama_csv, with_names
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, packaged_document

DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES = 0, 1, 2, 3
CELL = "maintenance/techniques"
NAMES = {"p1": "Zoé Quintal", "p2": "Basile Vrignaud", "p3": "Ondine Perrichon"}
FACILITATOR_NAME = "Camille"  # domain_helpers.create_board_command


@pytest.fixture
def ws():
    """The packaged workshop: p1, p2 in Rouge, p3 in Bleu, each with a name of their own."""
    w = Workshop()
    for pid, name in NAMES.items():
        w.join(pid, name=name)
    w.rouge, w.bleu = w.team("Rouge", "#aa0000"), w.team("Bleu", "#0000aa")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    return w


def work_in(ws, index):
    """Go to sequence `index` and do its work: place a deck card, write a card, or vote."""
    ws.accept(FACILITATOR_ID, "set_sequence", index=index)
    if index == PLACEMENT:
        ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.1, y=0.1)
        ws.accept("p3", "move_card", card_id="d02", zone_id=CELL, x=0.2, y=0.2)
    elif index == COMPLETING:
        ws.accept("p1", "create_card", kind="new", text="Écoute", zone_id=CELL, x=0.3, y=0.3, card_id="c-p1")
        ws.accept("p3", "create_card", kind="new", text="Patience", zone_id=CELL, x=0.4, y=0.4, card_id="c-p3")
        ws.accept("p3", "edit_card", card_id="c-p3", text="Patience et calme")
    elif index == MUST_HAVES:
        ws.accept(FACILITATOR_ID, "open_vote")
        ws.accept("p1", "vote", card_id="d01", delta=1)
        ws.accept("p2", "vote", card_id="d02", delta=1)
        ws.accept(FACILITATOR_ID, "vote", card_id="d02", delta=1, voter="p3")


def others_names(viewer_id):
    """Every person's name but the viewer's own."""
    return [name for pid, name in {**NAMES, FACILITATOR_ID: FACILITATOR_NAME}.items() if pid != viewer_id]


# -- ANON1: the command, per sequence or for all, and the format's defaults

def test_the_facilitator_turns_anonymity_on_for_one_sequence_or_for_all(ws):
    """ANON1."""
    one = ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=COMPLETING)
    assert (one.type, one.data) == ("anonymity_set", {"sequences": [COMPLETING], "on": True})
    assert ws.board.to_dict()["anonymous"] == [COMPLETING]
    every = ws.accept(FACILITATOR_ID, "set_anonymity", on=True)
    assert every.data == {"sequences": [DISCOVERY, PLACEMENT, MUST_HAVES], "on": True}  # only what changed
    assert ws.board.to_dict()["anonymous"] == [0, 1, 2, 3]
    ws.accept(FACILITATOR_ID, "set_anonymity", on=False, sequence=PLACEMENT)
    assert ws.board.to_dict()["anonymous"] == [0, 2, 3]
    ws.accept(FACILITATOR_ID, "set_anonymity", on=False)
    assert ws.board.to_dict()["anonymous"] == []


def test_a_change_that_changes_nothing_or_an_unknown_sequence_is_refused(ws):
    """ANON1: conflict, not_found; the board is untouched (Workshop.refuse checks it)."""
    assert ws.refuse(FACILITATOR_ID, "set_anonymity", on=False).code == "conflict"
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT)
    assert ws.refuse(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "set_anonymity", on=True, sequence=4).code == "not_found"
    assert ws.refuse(FACILITATOR_ID, "set_anonymity", on="yes").code == "bad_request"


@pytest.mark.parametrize("who", ["p1", PROJECTOR_ID])
def test_only_the_facilitator_sets_anonymity(ws, who):
    """ANON1: participants and the projector are refused."""
    assert ws.refuse(who, "set_anonymity", on=True).code == "forbidden"


def test_a_format_makes_a_sequence_anonymous_from_the_start():
    """ANON1: `"anonymous": true` on a sequence of the format is data, read when the board is made."""
    document = copy.deepcopy(packaged_document())
    document["sequences"][MUST_HAVES]["anonymous"] = True
    assert Workshop(document).board.to_dict()["anonymous"] == [MUST_HAVES]
    assert Workshop().board.to_dict()["anonymous"] == []


# -- ANON2: nobody named to participants and the projector, in every sequence where it is on

@pytest.mark.parametrize("index", [PLACEMENT, COMPLETING, MUST_HAVES])
def test_in_an_anonymous_sequence_no_participant_nor_the_projector_receives_another_name(ws, index):
    """ANON2: placements, cards written and votes, live and on catching up, name nobody but the reader."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True)
    ws.watch("p1", "p2", "p3", PROJECTOR_ID)
    for step in range(PLACEMENT, index + 1):
        work_in(ws, step)
    for viewer in ("p1", "p2", "p3", PROJECTOR_ID):
        received = ws.everything(viewer)
        for name in others_names(viewer):
            assert name not in received, f"{viewer} received {name!r} in sequence {index}"
        # Nor an id that an earlier roster tied to a name: who wrote, placed or did anything.
        for card in ws.sees(viewer)["cards"]:
            assert {card["author"], card["placed_by"]} <= {None, viewer}, (viewer, card)
        assert all(event["actor"] in (None, viewer) for event in ws.inbox[viewer] + ws.catch_up(viewer))


def test_a_participants_own_card_still_says_it_is_theirs(ws):
    """ANON2: their own card and their own event keep their id (the page says "you")."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=COMPLETING)
    ws.accept(FACILITATOR_ID, "set_sequence", index=COMPLETING)
    ws.watch("p1", "p2")
    ws.accept("p1", "create_card", kind="new", text="Écoute", zone_id=CELL, x=0.3, y=0.3, card_id="c-p1")
    mine = next(card for card in ws.sees("p1")["cards"] if card["id"] == "c-p1")
    theirs = next(card for card in ws.sees("p2")["cards"] if card["id"] == "c-p1")
    assert (mine["author"], theirs["author"]) == ("p1", None)
    assert ws.inbox["p1"][-1]["actor"] == "p1" and ws.inbox["p1"][-1]["data"]["author"] == "p1"
    assert ws.inbox["p2"][-1]["actor"] is None and ws.inbox["p2"][-1]["command_id"] is None
    assert ws.inbox["p2"][-1]["data"]["author"] is None
    roster = {member["id"]: member["name"] for member in ws.sees("p2")["participants"]}
    assert roster["p2"] == NAMES["p2"] and roster["p1"] == roster["p3"] == roster[FACILITATOR_ID] == ""


def test_a_participant_who_joins_during_an_anonymous_sequence_is_not_named_to_the_others(ws):
    """ANON2: participant_joined carries no name to the others; the newcomer reads their own."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=DISCOVERY)
    ws.watch("p1")
    ws.join("p9", name="Gaspard Tournebise")
    assert "Gaspard Tournebise" not in ws.everything("p1")
    assert "Gaspard Tournebise" in ws.everything("p9")


def test_placed_by_is_withheld_from_the_others(ws):
    """ANON2: who took a deck card from the deck (CARD16) is not said to the others."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT)
    work_in(ws, PLACEMENT)
    seen_by_p2 = {card["id"]: card["placed_by"] for card in ws.sees("p2")["cards"]}
    seen_by_p1 = {card["id"]: card["placed_by"] for card in ws.sees("p1")["cards"]}
    assert seen_by_p2["d01"] is None and seen_by_p2["d02"] is None
    assert seen_by_p1["d01"] == "p1" and seen_by_p1["d02"] is None


def test_a_sequence_without_anonymity_names_people_as_before(ws):
    """ANON2 is per sequence: in another sequence the names come back."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT)
    work_in(ws, PLACEMENT)
    work_in(ws, COMPLETING)  # not anonymous
    seen = ws.sees("p2")
    assert {card["id"]: card["author"] for card in seen["cards"]}["c-p3"] == "p3"
    assert {card["id"]: card["placed_by"] for card in seen["cards"]}["d01"] == "p1"
    assert {member["id"]: member["name"] for member in seen["participants"]}["p3"] == NAMES["p3"]


# -- ANON3: the facilitator keeps the names

def test_the_facilitator_receives_every_name_while_anonymous(ws):
    """ANON3."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True)
    ws.watch(FACILITATOR_ID)
    for step in (PLACEMENT, COMPLETING):
        work_in(ws, step)
    received = ws.everything(FACILITATOR_ID)
    for name in NAMES.values():
        assert name in received
    cards = {card["id"]: card for card in ws.sees(FACILITATOR_ID)["cards"]}
    assert (cards["c-p3"]["author"], cards["d01"]["placed_by"]) == ("p3", "p1")
    assert all(event["actor"] for event in ws.inbox[FACILITATOR_ID])


# -- ANON4: an open page is told which names it may read from now on

def test_turning_anonymity_on_tells_open_pages_to_drop_the_names_they_hold(ws):
    """ANON4: the event brings the roster and authors as they may be read now; not to the facilitator."""
    work_in(ws, PLACEMENT)
    ws.watch("p2", FACILITATOR_ID)
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT)
    names = ws.inbox["p2"][-1]["data"]["names"]
    assert {m["id"]: m["name"] for m in names["participants"]}["p1"] == ""
    assert names["cards"]["d01"] == {"author": None, "placed_by": None}
    assert "names" not in ws.inbox[FACILITATOR_ID][-1]["data"]


def test_leaving_an_anonymous_sequence_gives_the_names_back(ws):
    """ANON4: sequence_changed to a sequence without anonymity brings the names back to open pages."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=PLACEMENT)
    work_in(ws, PLACEMENT)
    ws.watch("p2", PROJECTOR_ID)
    ws.accept(FACILITATOR_ID, "set_sequence", index=COMPLETING)
    for viewer in ("p2", PROJECTOR_ID):
        names = ws.inbox[viewer][-1]["data"]["names"]
        assert {m["id"]: m["name"] for m in names["participants"]}["p1"] == NAMES["p1"]
        assert names["cards"]["d01"]["placed_by"] == "p1"


# -- ANON5: the export

def rows_of(ws, names):
    text = panorama_csv(ws.board, "en", with_names(ws.board, names)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_leaves_authors_out_while_a_sequence_is_anonymous_unless_asked(ws):
    """ANON5."""
    for step in (PLACEMENT, COMPLETING, MUST_HAVES):
        work_in(ws, step)
    named = rows_of(ws, names=False)
    assert "Author" in named[0] and any(NAMES["p3"] in row for row in named)
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=COMPLETING)
    anonymous = rows_of(ws, names=False)
    assert "Author" not in anonymous[0] and len(anonymous[0]) == len(named[0]) - 1
    text = repr(anonymous)
    for name in [*NAMES.values(), FACILITATOR_NAME]:
        assert name not in text
    assert rows_of(ws, names=True) == named  # the facilitator asked for names


# -- ANON6: the room is still visible

def test_anonymity_hides_names_not_the_room(ws):
    """ANON6: how many are here, their teams, and done, still reach participants."""
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=DISCOVERY)
    ws.accept("p3", "set_done", done=True)
    seen = ws.sees("p1")
    people = [m for m in seen["participants"] if m["role"] == "participant"]
    assert len(people) == 3 and {m["team"] for m in people} == {ws.rouge, ws.bleu}
    assert seen["done"] == {"p3": "participant"}
