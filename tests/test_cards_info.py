"""What a card tells about itself: its suggested category (BOARD3) and who placed it (CARD16)."""
import json

import pytest

from board.domain import evolve, replay
from board.domain.decide import Event
from board.domain.model import board_from_snapshot
from domain_helpers import FACILITATOR_ID, Workshop, minimal_document, packaged_document

CELL, OTHER_CELL, PARKING, DECK = "maintenance/techniques", "socle/capacites", "parking", "deck"


@pytest.fixture
def placing():
    """The packaged workshop in Placement: p1, p2 in Rouge, p3 in Bleu, p4 in no team."""
    w = Workshop()
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid)
    w.rouge = w.team("Rouge", "#aa0000")
    w.bleu = w.team("Bleu", "#0000aa")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    w.go_to("placement")
    return w


def test_every_deck_card_carries_the_category_its_format_suggests():
    """BOARD3: the category comes from the format, as the domain does; a card without one has none."""
    document = packaged_document()
    cards = {c["id"]: c for c in Workshop(document).board.to_dict()["cards"]}
    assert {cards[s["id"]]["category"] for s in document["deck"]} == {"techniques", "capacites"}
    for source in document["deck"]:
        assert (cards[source["id"]]["domain"], cards[source["id"]]["category"]) == \
            (source["domain"], source["category"])
    mini = {c["id"]: c for c in Workshop(minimal_document()).board.to_dict()["cards"]}
    assert (mini["k1"]["category"], mini["k2"]["category"]) == ("c1", None)


def test_a_written_card_has_no_suggested_category_and_is_placed_by_no_one(placing):
    placing.go_to("completer")
    event = placing.accept("p1", "create_card", kind="new", text="Écouter", zone_id=CELL, x=0.5, y=0.5)
    placing.accept("p1", "move_card", card_id=event.data["id"], zone_id=OTHER_CELL, x=0.5, y=0.5)
    card = placing.card(event.data["id"])
    assert (card["category"], card["placed_by"], card["author"]) == (None, None, "p1")


def test_a_card_taken_from_the_deck_is_placed_by_its_mover_and_the_event_says_so(placing):
    """CARD16."""
    assert placing.card("d01")["placed_by"] is None  # in the deck, nobody placed it
    event = placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert event.data["placed_by"] == "p1"
    assert placing.card("d01")["placed_by"] == "p1"


@pytest.mark.parametrize("mover", ["p2", FACILITATOR_ID])
@pytest.mark.parametrize("target", [OTHER_CELL, PARKING, CELL])
def test_who_placed_a_card_stays_while_it_moves_on_the_board(placing, mover, target):
    """CARD16: a teammate or the facilitator tidying the card up does not become who placed it."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    event = placing.accept(mover, "move_card", card_id="d01", zone_id=target, x=0.1, y=0.9)
    assert event.data["placed_by"] == "p1" == placing.card("d01")["placed_by"]


def test_a_card_back_in_the_deck_is_placed_by_no_one_and_the_next_taker_places_it(placing):
    """CARD16."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    back = placing.accept("p2", "move_card", card_id="d01", zone_id=DECK, x=0.5, y=0.5)
    assert back.data["placed_by"] is None and placing.card("d01")["placed_by"] is None
    again = placing.accept("p3", "move_card", card_id="d01", zone_id=PARKING, x=0.5, y=0.5)
    assert again.data["placed_by"] == "p3"
    assert placing.card("d01")["team"] == placing.bleu


def test_a_card_the_facilitator_takes_from_the_deck_is_placed_by_the_facilitator(placing):
    placing.accept(FACILITATOR_ID, "move_card", card_id="d05", zone_id=CELL, x=0.5, y=0.5)
    card = placing.card("d05")
    assert (card["placed_by"], card["team"]) == (FACILITATOR_ID, None)


def test_category_and_placed_by_survive_replay_json_and_snapshots(placing):
    """REPLAY5, REPLAY6 with the new fields."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    placing.accept("p3", "move_card", card_id="d02", zone_id=PARKING, x=0.5, y=0.5)
    placing.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=OTHER_CELL, x=0.5, y=0.5)
    live = placing.board.to_dict()
    stored = [Event(**json.loads(json.dumps(e.to_dict()))) for e in placing.events]
    assert replay(stored).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    cards = {c["id"]: c for c in live["cards"]}
    assert (cards["d01"]["placed_by"], cards["d02"]["placed_by"]) == ("p1", "p3")
    assert cards["d01"]["category"] == "techniques"


def test_an_old_log_without_placed_by_replays_with_nobody_named(placing):
    """CARD16: a card_moved written before the rule has no placed_by; its category still comes from the
    format in board_created."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    old = []
    for event in placing.events:
        data = {k: v for k, v in event.data.items() if k != "placed_by"} if event.type == "card_moved" \
            else event.data
        old.append(Event(event.version, event.type, data, event.actor, event.at, event.command_id))
    board = None
    for event in old:
        board = evolve(board, event)
    card = board.cards["d01"]
    assert (card.zone, card.team, card.placed_by, card.category) == (CELL, placing.rouge, None, "techniques")
