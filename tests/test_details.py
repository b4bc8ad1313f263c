"""The workshop's details (title, date, place) in the domain core: DESK1, DESK2, DESK4 of docs/spec.md."""
import json

import pytest

from board.domain import SYSTEM, decide, evolve, parse_command, replay
from board.domain.details import workshop_state
from board.domain.model import board_from_snapshot
from domain_helpers import FACILITATOR_ID, NOW, PROJECTOR_ID, Workshop, create_board_command, packaged_document


def created_with(details):
    command = parse_command("create_board", {
        "board_id": "b1", "format": packaged_document(), "facilitator_id": FACILITATOR_ID,
        "facilitator_name": "Camille", "projector_id": PROJECTOR_ID, "details": details})
    return evolve(None, decide(None, SYSTEM, command, NOW))


def test_a_board_created_with_details_has_them_trimmed_and_in_every_members_snapshot():
    """DESK1"""
    board = created_with({"title": "  Atelier RH  ", "date": "2026-03-14", "place": " Salle 204 "})
    assert board.details == {"title": "Atelier RH", "date": "2026-03-14", "place": "Salle 204"}
    workshop = Workshop()
    workshop.board = board
    workshop.join("p1")
    for member in ("p1", FACILITATOR_ID, PROJECTOR_ID):
        assert workshop.sees(member)["details"] == {"title": "Atelier RH", "date": "2026-03-14", "place": "Salle 204"}


def test_a_board_created_without_details_is_titled_after_its_format():
    """DESK1: a script's board, and a log written before details existed, still have a title."""
    board = evolve(None, decide(None, SYSTEM, create_board_command(), NOW))
    assert board.details == {"title": "Atelier Compétences", "date": None, "place": ""}
    first = decide(None, SYSTEM, create_board_command(), NOW)
    old = first.__class__(**{**first.__dict__, "data": {k: v for k, v in first.data.items() if k != "details"}})
    assert replay([old]).details == {"title": "Atelier Compétences", "date": None, "place": ""}


@pytest.mark.parametrize("details, field", [
    ({"title": "", "date": None}, "title"),
    ({"title": "x" * 121}, "title"),
    ({"title": "Atelier", "date": "2026-02-30"}, "date"),
    ({"title": "Atelier", "date": "14/03/2026"}, "date"),
    ({"title": "Atelier", "place": "p" * 121}, "place"),
    ({"title": "Atelier", "colour": "red"}, "colour"),
])
def test_create_board_refuses_bad_details_naming_the_field(details, field):
    """DESK1"""
    from board.domain import InvalidCommand
    with pytest.raises(InvalidCommand) as refused:
        created_with(details)
    assert field in refused.value.rejection.message


def test_the_facilitator_changes_only_the_fields_given():
    """DESK2"""
    workshop = Workshop()
    event = workshop.accept(FACILITATOR_ID, "describe_workshop", title=" Atelier RH ", date="2026-03-14")
    assert event.type == "workshop_described"
    assert event.data == {"details": {"title": "Atelier RH", "date": "2026-03-14", "place": ""}}
    workshop.accept(FACILITATOR_ID, "describe_workshop", place="Lyon, salle 3")
    assert workshop.board.details == {"title": "Atelier RH", "date": "2026-03-14", "place": "Lyon, salle 3"}
    workshop.accept(FACILITATOR_ID, "describe_workshop", date="")  # the date taken away
    assert workshop.board.details["date"] is None
    # The log, the stored JSON and the snapshot all give the same details back.
    stored = [e.__class__(**json.loads(json.dumps(e.__dict__))) for e in workshop.events]
    assert replay(stored).details == workshop.board.details
    assert board_from_snapshot(json.loads(json.dumps(workshop.board.to_dict()))).details == workshop.board.details


def test_everyone_on_the_board_receives_the_new_details():
    """DESK2: workshop_described reaches participants and the projector as it is."""
    workshop = Workshop()
    workshop.join("p1")
    workshop.watch("p1", PROJECTOR_ID)
    workshop.accept(FACILITATOR_ID, "describe_workshop", title="Séminaire")
    for member in ("p1", PROJECTOR_ID):
        assert workshop.inbox[member][-1]["data"]["details"]["title"] == "Séminaire"


@pytest.mark.parametrize("payload, code", [
    ({}, "bad_request"),
    ({"title": ""}, "bad_request"),
    ({"title": "   "}, "bad_request"),
    ({"title": "t" * 121}, "too_large"),
    ({"place": "p" * 121}, "too_large"),
    ({"date": "2026-02-30"}, "bad_request"),
    ({"date": "2026-3-4"}, "bad_request"),
    ({"date": 20260314}, "bad_request"),
    ({"title": "Atelier Compétences"}, "conflict"),  # already its title
    ({"title": "Atelier", "colour": "red"}, "bad_request"),
])
def test_bad_or_empty_descriptions_are_refused_and_change_nothing(payload, code):
    """DESK2"""
    workshop = Workshop()
    assert workshop.refuse(FACILITATOR_ID, "describe_workshop", **payload).code == code


def test_only_the_facilitator_describes_the_workshop():
    """DESK2"""
    workshop = Workshop()
    workshop.join("p1")
    assert workshop.refuse("p1", "describe_workshop", title="Le mien").code == "forbidden"
    assert workshop.refuse(PROJECTOR_ID, "describe_workshop", title="Le mien").code == "forbidden"


def test_where_a_workshop_stands():
    """DESK4: preparing until someone joins or the sequence moves on, finished once results are revealed."""
    workshop = Workshop()
    assert workshop_state(workshop.board) == "preparing"
    workshop.accept(FACILITATOR_ID, "set_sequence", index=1)
    assert workshop_state(workshop.board) == "running"
    workshop.accept(FACILITATOR_ID, "set_sequence", index=0)
    assert workshop_state(workshop.board) == "preparing"
    workshop.join("p1")
    assert workshop_state(workshop.board) == "running"
    workshop.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id="maintenance/techniques", x=0.5, y=0.5)
    workshop.accept(FACILITATOR_ID, "set_sequence", index=3)
    workshop.accept(FACILITATOR_ID, "open_vote")
    workshop.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p1")
    workshop.accept(FACILITATOR_ID, "close_vote")
    workshop.accept(FACILITATOR_ID, "reveal_results")
    assert workshop_state(workshop.board) == "finished"
