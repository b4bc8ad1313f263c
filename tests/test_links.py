"""Links from a card to other cards (board/domain/links.py): rules LINK1-LINK9 of docs/spec.md.

The scene is the packaged factors map (board/formats/cartographie-facteurs.json): factors laid on its
map, then themes written under their headings in the last sequence, *Thèmes*, which opens `link_card`.
"""
import copy
import csv
import io

import pytest
from openpyxl import load_workbook

from board.domain import SYSTEM, read_format
from board.domain.documents import DocumentError, board_document, check_document
from board.domain.evolve import replay
from board.domain.links import LINKS_MAX
from board.export import panorama_csv, panorama_rows
from board.export_xlsx import panorama_xlsx
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

MAP, ECOSYSTEM, HR = "carte", "theme-ecosysteme", "theme-rh"


def factors_map_document():
    return copy.deepcopy(read_format("cartographie-facteurs").document)


@pytest.fixture
def ws():
    """The factors map in its *Thèmes* sequence: p1 and p2 in team Rouge, p3 in team Bleu; factors
    f01-f06 on the map, f01 with a keyword (a note); p1's theme "Smart cities" and p3's theme "Management"."""
    w = Workshop(factors_map_document())
    for pid in ("p1", "p2", "p3"):
        w.join(pid, name=pid.upper())
    red, blue = w.team("Rouge"), w.team("Bleu", colour="#0000aa")
    w.put_in_team("p1", red)
    w.put_in_team("p2", red)
    w.put_in_team("p3", blue)
    for i in range(1, 7):
        w.accept(FACILITATOR_ID, "move_card", card_id=f"f0{i}", zone_id=MAP, x=0.1 * i, y=0.5)
    w.accept(FACILITATOR_ID, "create_card", kind="postit", text="Sobriété", zone_id=MAP, x=0, y=0,
             parent="f01", note_kind="sens", card_id="kw1")
    w.go_to("themes")
    w.accept("p1", "create_card", kind="postit", text="Smart cities", zone_id=ECOSYSTEM, x=0.1, y=0.1, card_id="th1")
    w.accept("p3", "create_card", kind="postit", text="Management", zone_id=HR, x=0.1, y=0.1, card_id="th2")
    return w


def link(ws, actor, card_id, target_id, on=True):
    return ws.accept(actor, "link_card", card_id=card_id, target_id=target_id, on=on)


# ---------------------------------------------------------------- the command and its event (LINK1, LINK2)

def test_the_factors_maps_themes_sequence_opens_links():
    """LINK1: the packaged format's last sequence names link_card, and no other sequence does."""
    sequences = read_format("cartographie-facteurs").sequences
    assert [s.id for s in sequences if "link_card" in s.allows] == ["themes"]


def test_a_theme_links_to_the_factors_behind_it_in_link_order(ws):
    """LINK2: each accepted link_card gives card_linked and the theme's links grow in order; the factor lists nothing."""
    event = link(ws, "p1", "th1", "f03")
    assert event.type == "card_linked" and event.data == {"card_id": "th1", "target_id": "f03", "on": True}
    link(ws, "p1", "th1", "f01")
    assert ws.card("th1")["links"] == ["f03", "f01"]
    assert "links" not in ws.card("f03")  # a link goes one way
    assert "links" not in ws.card("th2")  # a card without links carries no field


def test_taking_a_link_off_removes_it_and_the_field_when_none_is_left(ws):
    """LINK2: on: false removes the link; with none left the snapshot has no links."""
    link(ws, "p1", "th1", "f03")
    link(ws, "p1", "th1", "f04")
    link(ws, "p1", "th1", "f03", on=False)
    assert ws.card("th1")["links"] == ["f04"]
    link(ws, "p1", "th1", "f04", on=False)
    assert "links" not in ws.card("th1")


def test_a_sequence_that_does_not_allow_links_refuses_a_participant_but_not_the_facilitator(ws):
    """LINK1: outside a sequence naming link_card a participant gets sequence_closed; the facilitator is never gated."""
    ws.go_to("effets")
    assert ws.refuse("p1", "link_card", card_id="th1", target_id="f02", on=True).code == "sequence_closed"
    link(ws, FACILITATOR_ID, "th1", "f02")
    assert ws.card("th1")["links"] == ["f02"]


def test_the_projector_links_nothing(ws):
    """LINK1: the projector is forbidden."""
    assert ws.refuse(PROJECTOR_ID, "link_card", card_id="th1", target_id="f02", on=True).code == "forbidden"


def test_a_link_reaches_every_member_as_it_is(ws):
    """LINK2: card_linked tells ids only: every member, another team and the projector too, gets it whole."""
    ws.watch("p3", PROJECTOR_ID, "p2")
    event = link(ws, "p1", "th1", "f02")
    for member in ("p3", PROJECTOR_ID, "p2"):
        assert ws.inbox[member] == [event.to_dict()]


# ---------------------------------------------------------------- what may be linked (LINK3, LINK4)

@pytest.mark.parametrize("card_id, target_id", [("nope", "f01"), ("th1", "nope")])
def test_an_unknown_card_on_either_side_is_not_found(ws, card_id, target_id):
    """LINK3: both cards must exist; the message names the missing one."""
    refusal = ws.refuse("p1", "link_card", card_id=card_id, target_id=target_id, on=True)
    assert refusal.code == "not_found" and "nope" in refusal.message


def test_another_teams_face_down_card_is_not_there_to_link(ws):
    """LINK3: in private mode another team's new card is not_found for a participant; its own team may link to it."""
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.accept("p3", "create_card", kind="postit", text="Secret", zone_id=HR, x=0.5, y=0.5, card_id="hidden")
    assert ws.refuse("p1", "link_card", card_id="th1", target_id="hidden", on=True).code == "not_found"
    link(ws, "p3", "th2", "hidden")
    link(ws, FACILITATOR_ID, "th1", "hidden")


def test_a_card_is_never_linked_to_itself(ws):
    """LINK4: a self-link is bad_request."""
    assert ws.refuse("p1", "link_card", card_id="th1", target_id="th1", on=True).code == "bad_request"


@pytest.mark.parametrize("card_id, target_id", [("th1", "kw1"), ("kw1", "f02")])
def test_a_note_is_neither_linked_nor_linking(ws, card_id, target_id):
    """LINK4: a note (a keyword of f01) on either side is forbidden, for the facilitator too."""
    assert ws.refuse(FACILITATOR_ID, "link_card", card_id=card_id, target_id=target_id, on=True).code == "forbidden"


# ---------------------------------------------------------------- who, how many, twice (LINK5)

def test_the_author_their_team_and_the_facilitator_link_a_card_and_another_team_may_not(ws):
    """LINK5: as edit_card: p1 wrote th1, p2 is in p1's team, the facilitator may; p3 (team Bleu) is forbidden."""
    link(ws, "p1", "th1", "f01")
    link(ws, "p2", "th1", "f02")
    link(ws, FACILITATOR_ID, "th1", "f03")
    assert ws.refuse("p3", "link_card", card_id="th1", target_id="f04", on=True).code == "forbidden"
    assert ws.refuse("p3", "link_card", card_id="th1", target_id="f01", on=False).code == "forbidden"
    assert ws.card("th1")["links"] == ["f01", "f02", "f03"]


def test_a_deck_card_is_linked_from_by_the_facilitator_alone(ws):
    """LINK5: a factor (a deck card) belongs to the format: a participant may not make it link, the facilitator may."""
    assert ws.refuse("p1", "link_card", card_id="f01", target_id="f02", on=True).code == "forbidden"
    link(ws, FACILITATOR_ID, "f01", "f02")


def test_linking_twice_or_unlinking_what_is_not_linked_is_a_conflict(ws):
    """LINK5: the same link twice, or taking off a link that is not there, is conflict."""
    link(ws, "p1", "th1", "f01")
    assert ws.refuse("p1", "link_card", card_id="th1", target_id="f01", on=True).code == "conflict"
    assert ws.refuse("p1", "link_card", card_id="th1", target_id="f02", on=False).code == "conflict"


def test_a_card_links_to_at_most_thirty_cards(ws):
    """LINK5: the 31st link is a conflict; taking one off makes room again."""
    for i in range(7, 7 + LINKS_MAX):
        link(ws, FACILITATOR_ID, "th1", f"f{i:02d}")
    assert len(ws.card("th1")["links"]) == LINKS_MAX
    refusal = ws.refuse(FACILITATOR_ID, "link_card", card_id="th1", target_id="f01", on=True)
    assert refusal.code == "conflict" and "30" in refusal.message
    link(ws, FACILITATOR_ID, "th1", "f07", on=False)
    link(ws, FACILITATOR_ID, "th1", "f01")


# ---------------------------------------------------------------- bad input (LINK6)

@pytest.mark.parametrize("payload", [
    {"card_id": "th1", "target_id": "f01"},
    {"card_id": "th1", "target_id": "f01", "on": "yes"},
    {"card_id": "th1", "target_id": "f01", "on": 1},
    {"card_id": "th 1", "target_id": "f01", "on": True},
    {"card_id": "th1", "target_id": None, "on": True},
    {"card_id": "th1", "target_id": "f01", "on": True, "weight": 2},
])
def test_bad_input_is_bad_request_and_changes_nothing(ws, payload):
    """LINK6: a missing, mistyped or unknown field is refused before the board is read."""
    assert ws.refuse("p1", "link_card", **payload).code == "bad_request"


# ---------------------------------------------------------------- a card that goes (LINK7)

def test_a_deleted_factor_leaves_no_link_to_it_and_a_deleted_theme_takes_its_links(ws):
    """LINK7: deleting a linked card removes it from every card's links; the other links stay."""
    link(ws, "p1", "th1", "f04")
    link(ws, "p1", "th1", "f05")
    link(ws, "p3", "th2", "f05")
    ws.accept("p1", "create_card", kind="postit", text="Doublon", zone_id=ECOSYSTEM, x=0.5, y=0.5, card_id="dup")
    link(ws, "p3", "th2", "dup")
    ws.accept("p1", "delete_card", card_id="dup")
    assert ws.card("th2")["links"] == ["f05"]
    ws.accept(FACILITATOR_ID, "delete_card", card_id="th2")
    ws.accept(FACILITATOR_ID, "delete_card", card_id="f05")
    assert ws.card("th1")["links"] == ["f04"]
    assert all("f05" not in card.get("links", []) for card in ws.board.to_dict()["cards"])


def test_a_forgotten_participants_cards_leave_no_link_behind(ws):
    """LINK7: forgetting p3 with their texts removes th2, and th1's link to it goes too."""
    link(ws, "p1", "th1", "th2")
    link(ws, "p1", "th1", "f02")
    ws.accept(FACILITATOR_ID, "forget_participant", participant_id="p3", texts="remove")
    assert ws.card("th2") is None
    assert ws.card("th1")["links"] == ["f02"]


# ---------------------------------------------------------------- replay and documents (LINK8)

def test_a_board_with_links_replays_from_its_log_to_the_same_links(ws):
    """LINK8: replaying the log gives the same board, links included, after links, unlinks and a deletion."""
    link(ws, "p1", "th1", "f01")
    link(ws, "p1", "th1", "f02")
    link(ws, "p3", "th2", "f02")
    link(ws, "p1", "th1", "f01", on=False)
    ws.accept(FACILITATOR_ID, "delete_card", card_id="f02")
    link(ws, "p3", "th2", "th1")
    rebuilt = replay(ws.events)
    assert rebuilt.to_dict() == ws.board.to_dict()
    assert rebuilt.cards["th2"].links == ["th1"] and rebuilt.cards["th1"].links == []


def test_the_board_document_keeps_the_links_and_checks_them_back(ws):
    """LINK8: the JSON document holds each card's links, and its content passes the check again."""
    link(ws, "p1", "th1", "f03")
    link(ws, "p1", "th1", "f06")
    document = board_document(ws.board)
    theme = next(card for card in document["cards"] if card["id"] == "th1")
    assert theme["links"] == ["f03", "f06"]
    clean = check_document(document).content
    assert next(card for card in clean["cards"] if card["id"] == "th1")["links"] == ["f03", "f06"]


def test_a_board_made_from_the_document_has_the_same_links(ws):
    """LINK8: a board restored from the JSON document (DOC2) links the same cards, in the same order."""
    link(ws, "p1", "th1", "f04")
    link(ws, "p1", "th1", "f02")
    link(ws, "p3", "th2", "th1")
    fresh = Workshop(factors_map_document())
    fresh.accept(SYSTEM, "restore_board", content=check_document(board_document(ws.board)).content)
    assert fresh.card("th1")["links"] == ["f04", "f02"] and fresh.card("th2")["links"] == ["th1"]
    assert replay(fresh.events).to_dict() == fresh.board.to_dict()


@pytest.mark.parametrize("links, path", [
    ("f03", "links"),
    (["f03", "f03"], "links"),
    (["ghost"], "links"),
    (["th1"], "links"),
    (["kw1"], "links"),
    (["bad id"], "links[0]"),
    ([f"f{i:02d}" for i in range(1, 32)], "links"),
])
def test_a_documents_bad_links_fail_at_the_cards_links(ws, links, path):
    """LINK8: not a list, twice the same, an unknown card, itself, a note, a bad id, more than 30."""
    document = board_document(ws.board)
    index = next(i for i, card in enumerate(document["cards"]) if card["id"] == "th1")
    document["cards"][index]["links"] = links
    with pytest.raises(DocumentError) as caught:
        check_document(document)
    assert caught.value.path == f"cards[{index}].{path}"


def test_a_document_note_links_to_nothing(ws):
    """LINK8: a note with links fails at its own links."""
    document = board_document(ws.board)
    index = next(i for i, card in enumerate(document["cards"]) if card["id"] == "kw1")
    document["cards"][index]["links"] = ["f02"]
    with pytest.raises(DocumentError) as caught:
        check_document(document)
    assert caught.value.path == f"cards[{index}].links"


# ---------------------------------------------------------------- exports (LINK9)

def test_the_csv_and_xlsx_list_each_cards_linked_titles_in_a_last_column(ws):
    """LINK9: "Liée à" holds the titles of the linked cards, in link order, joined by " | "."""
    factors = {card_id: ws.board.cards[card_id].text for card_id in ("f02", "f05")}
    link(ws, "p1", "th1", "f05")
    link(ws, "p1", "th1", "f02")
    rows = list(csv.reader(io.StringIO(panorama_csv(ws.board).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Liée à"
    theme = next(row for row in rows if len(row) > 2 and row[2] == "Smart cities")
    assert theme[-1] == f"{factors['f05']} | {factors['f02']}"
    assert next(row for row in rows if len(row) > 2 and row[2] == "Management")[-1] == ""
    assert panorama_rows(ws.board, "en")[0][-1] == "Linked to"
    book = load_workbook(io.BytesIO(panorama_xlsx(ws.board)))
    found = []
    for sheet in book.worksheets:
        header = [cell.value for cell in sheet[1]]
        if "Liée à" in header:
            column = header.index("Liée à")
            found += [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)
                      if "Smart cities" in row]
    assert found and set(found) == {f"{factors['f05']} | {factors['f02']}"}


def test_a_board_without_links_exports_exactly_as_before(ws):
    """LINK9: no card links: no column; a link taken off again gives back the very same CSV."""
    before = panorama_csv(ws.board)
    assert "Liée à" not in before.decode("utf-8-sig")
    link(ws, "p1", "th1", "f01")
    assert panorama_csv(ws.board) != before
    link(ws, "p1", "th1", "f01", on=False)
    assert panorama_csv(ws.board) == before
