"""Undoing a mark or a link (MARK13, LINK11): the page takes a mark or a link back with the opposite
`mark_card` or `link_card` (static/js/undo.js); what the server gives it is `position`, so that undoing
the removal of a mark or a link puts it back exactly where it was: the card's list of those who marked it,
or of the cards it links to, is the very list it had before (the exports list them in that order)."""
import copy

import pytest

from board.domain import read_format
from board.domain.evolve import replay
from board.export import panorama_rows
from domain_helpers import FACILITATOR_ID, Workshop
from exchange_scene import exchange_document, with_sequences_allowing

MAP, ECOSYSTEM = "carte", "theme-ecosysteme"


@pytest.fixture
def themes():
    """The factors map in *Thèmes*: p1 in Rouge, f01-f05 on the map, p1's theme linked to f01..f04."""
    w = Workshop(copy.deepcopy(read_format("cartographie-facteurs").document))
    w.join("p1", name="Ana")
    w.put_in_team("p1", w.team("Rouge"))
    for i in range(1, 6):
        w.accept(FACILITATOR_ID, "move_card", card_id=f"f0{i}", zone_id=MAP, x=0.15 * i, y=0.5)
    w.go_to("themes")
    w.accept("p1", "create_card", kind="postit", text="Smart cities", zone_id=ECOSYSTEM, x=0.1, y=0.1, card_id="th")
    for factor in ("f01", "f02", "f03", "f04"):
        w.accept("p1", "link_card", card_id="th", target_id=factor, on=True)
    return w


@pytest.fixture
def troc():
    """A Troc board in its exchange sequence: one post-it, marked "envie" by p1, p2, p3 in that order."""
    w = Workshop(with_sequences_allowing(exchange_document(), "create_card", "mark_card"))
    for pid, name in (("p1", "Ana"), ("p2", "Bruno"), ("p3", "Chloé")):
        w.join(pid, name=name)
    w.go_to("tout")
    w.accept("p1", "create_card", kind="postit", text="Chanter", zone_id="perso/competences", x=0.2, y=0.2, card_id="sing")
    w.go_to("echange")
    for pid in ("p1", "p2", "p3"):
        w.accept(pid, "mark_card", card_id="sing", mark="envie", on=True)
    return w


def test_an_unlink_undone_puts_the_factor_back_in_its_place_in_the_theme_s_list(themes):
    before = themes.card("th")["links"]
    themes.accept("p1", "link_card", card_id="th", target_id="f02", on=False)
    assert themes.card("th")["links"] == ["f01", "f03", "f04"]
    event = themes.accept("p1", "link_card", card_id="th", target_id="f02", on=True, position=1)
    assert event.data == {"card_id": "th", "target_id": "f02", "on": True, "position": 1}
    assert themes.card("th")["links"] == before == ["f01", "f02", "f03", "f04"]
    assert replay(themes.events).to_dict() == themes.board.to_dict()  # the log gives the same order


def test_a_link_undone_is_the_link_taken_off(themes):
    themes.accept("p1", "link_card", card_id="th", target_id="f05", on=True)
    themes.accept("p1", "link_card", card_id="th", target_id="f05", on=False)
    assert themes.card("th")["links"] == ["f01", "f02", "f03", "f04"]


def test_a_position_past_the_end_links_at_the_end_and_is_refused_when_unlinking(themes):
    themes.accept("p1", "link_card", card_id="th", target_id="f03", on=False)
    assert themes.accept("p1", "link_card", card_id="th", target_id="f03", on=True, position=29).data["position"] == 3
    assert themes.card("th")["links"] == ["f01", "f02", "f04", "f03"]
    refusal = themes.refuse("p1", "link_card", card_id="th", target_id="f03", on=False, position=0)
    assert refusal.code == "bad_request" and "position" in refusal.message


@pytest.mark.parametrize("position", [-1, 30, 1.5, True, "1"])
def test_a_bad_link_position_is_refused_before_the_board_is_read(themes, position):
    themes.accept("p1", "link_card", card_id="th", target_id="f02", on=False)
    refusal = themes.refuse("p1", "link_card", card_id="th", target_id="f02", on=True, position=position)
    assert refusal.code == "bad_request" and "position" in refusal.message


def test_an_unmark_undone_puts_the_participant_back_among_those_who_marked_in_their_place(troc):
    before = troc.card("sing")["marks"]["envie"]
    rows_before = panorama_rows(troc.board)
    troc.accept("p2", "mark_card", card_id="sing", mark="envie", on=False)
    assert troc.card("sing")["marks"]["envie"] == ["p1", "p3"]
    event = troc.accept("p2", "mark_card", card_id="sing", mark="envie", on=True, position=1)
    assert event.data["position"] == 1
    assert troc.card("sing")["marks"]["envie"] == before == ["p1", "p2", "p3"]
    assert panorama_rows(troc.board) == rows_before  # the export names them in the same order again
    assert replay(troc.events).to_dict() == troc.board.to_dict()


def test_a_mark_undone_is_the_mark_taken_off_and_a_position_is_refused_when_unmarking(troc):
    troc.accept("p1", "mark_card", card_id="sing", mark="offre", on=True)
    refusal = troc.refuse("p1", "mark_card", card_id="sing", mark="offre", on=False, position=0)
    assert refusal.code == "bad_request" and "position" in refusal.message
    troc.accept("p1", "mark_card", card_id="sing", mark="offre", on=False)
    assert "offre" not in troc.card("sing")["marks"]
    assert troc.refuse("p2", "mark_card", card_id="sing", mark="envie", on=True, position=-1).code == "bad_request"
