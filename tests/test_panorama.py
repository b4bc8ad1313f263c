"""The Panorama's labels (docs/spec.md PANO1-PANO12): renaming, adding and removing a domain (row) or
a category (column), built in memory with decide and evolve (domain_helpers.py)."""
import json

import pytest

from board.domain import parse_command, replay
from board.domain.model import board_from_snapshot
from board.domain.visibility import snapshot_for, viewer_of
from board.export import panorama_csv
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

SOCLE, MAINTENANCE, TECHNIQUES, CAPACITES = "socle", "maintenance", "techniques", "capacites"


@pytest.fixture
def ws():
    """The Atelier Compétences board, p1 in team Rouge (working on Maintenance), in the placement sequence."""
    w = Workshop()
    w.join("p1", name="Bruno")
    w.rouge = w.team("Rouge", domain=MAINTENANCE)
    w.put_in_team("p1", w.rouge)
    w.go_to("placement")
    return w


def rows(w):
    return w.board.format.document["panorama"]["rows"]


def columns(w):
    return w.board.format.document["panorama"]["columns"]


def row(w, row_id):
    return next(r for r in rows(w) if r["id"] == row_id)


def assert_replays(w):
    """PANO10: the log and the snapshot both give back the live board, labels and zones included."""
    live = w.board.to_dict()
    assert replay(w.events).to_dict() == live
    stored = [type(e)(**json.loads(json.dumps(e.to_dict()))) for e in w.events]
    assert replay(stored).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live


# ---------------------------------------------------------------- renaming (PANO2, PANO3)

def test_renaming_a_domain_in_french_changes_its_name_and_its_short_name_for_every_reader(ws):
    """PANO2: the row keeps its id and place; the grid (short name) shows the new name, the English
    translation that differed stays (PANO3)."""
    event = ws.accept(FACILITATOR_ID, "rename_domain", domain_id=SOCLE, label="Socle commun et transverse",
                      language="fr")
    assert event.type == "panorama_line_renamed"
    assert event.data == {"axis": "rows", "entry": {
        "id": SOCLE, "label": {"fr": "Socle commun et transverse", "en": "Common base for entering the IEG branch"},
        "short": {"fr": "Socle commun et transverse", "en": "Common base"}}}
    assert [r["id"] for r in rows(ws)][0] == SOCLE and len(rows(ws)) == 8
    assert ws.board.format.document["panorama"]["rows"][0]["label"]["fr"] == "Socle commun et transverse"
    # Every member's snapshot carries it (the projector's too).
    for member in ("p1", PROJECTOR_ID):
        snapshot = snapshot_for(ws.board, viewer_of(ws.board, member))
        assert snapshot["format"]["panorama"]["rows"][0]["label"]["fr"] == "Socle commun et transverse"
    assert_replays(ws)


def test_a_name_not_translated_yet_follows_in_the_other_language_and_a_translation_is_kept(ws):
    """PANO3: Maintenance is the same word in both languages: renamed in French, English follows; once
    English has its own text, a French rename leaves it."""
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id=MAINTENANCE, label="Maintenance et travaux")
    assert row(ws, MAINTENANCE)["label"] == {"fr": "Maintenance et travaux", "en": "Maintenance et travaux"}
    assert "short" not in row(ws, MAINTENANCE)
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id=MAINTENANCE, label="Maintenance and works", language="en")
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id=MAINTENANCE, label="Maintenance, travaux")
    assert row(ws, MAINTENANCE)["label"] == {"fr": "Maintenance, travaux", "en": "Maintenance and works"}
    assert_replays(ws)


def test_a_domain_gets_a_short_name_for_the_grid_and_a_category_is_renamed(ws):
    """PANO2: `short` is the grid's name of a long domain; a category is renamed like a domain."""
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id="donnees_si", label="Traitement des données et systèmes d’information",
              short="Données et SI")
    # English was translated: its grid name stays its own translation (PANO3).
    assert row(ws, "donnees_si")["short"] == {"fr": "Données et SI", "en": "Data processing and information systems"}
    event = ws.accept(FACILITATOR_ID, "rename_category", category_id=TECHNIQUES, label="Savoir-faire métiers")
    assert event.data["axis"] == "columns"
    assert columns(ws)[0] == {"id": TECHNIQUES, "label": {"fr": "Savoir-faire métiers", "en": "Trade techniques"}}
    assert_replays(ws)


def test_renaming_is_allowed_with_cards_in_the_row_and_in_any_sequence(ws):
    """PANO2: a rename changes no card, and is accepted while cards sit in the row."""
    ws.accept("p1", "move_card", card_id="d01", zone_id=f"{MAINTENANCE}/{TECHNIQUES}", x=0.5, y=0.5)
    ws.go_to("incontournables")
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id=MAINTENANCE, label="Maintenance industrielle")
    assert ws.card("d01")["zone"] == f"{MAINTENANCE}/{TECHNIQUES}"
    assert_replays(ws)


@pytest.mark.parametrize("payload, code", [
    ({"domain_id": SOCLE, "label": ""}, "bad_request"),
    ({"domain_id": SOCLE, "label": "   "}, "bad_request"),
    ({"domain_id": SOCLE, "label": "x" * 81}, "too_large"),
    ({"domain_id": SOCLE, "label": "Socle", "short": "s" * 31}, "too_large"),
    ({"domain_id": SOCLE, "label": "Socle", "language": "de"}, "bad_request"),
    ({"domain_id": "astronomie", "label": "Astronomie"}, "not_found"),
    ({"domain_id": SOCLE, "label": "maintenance"}, "conflict"),  # another domain's name, case aside
    ({"domain_id": "exploitation", "label": "Socle Commun"}, "conflict"),  # another's short name
    ({"domain_id": MAINTENANCE, "label": "Maintenance"}, "bad_request"),  # nothing changes
])
def test_a_blank_too_long_unknown_or_duplicate_name_is_refused_and_changes_nothing(ws, payload, code):
    """PANO9: `refuse` checks the board is untouched and no event was kept."""
    assert ws.refuse(FACILITATOR_ID, "rename_domain", **payload).code == code


def test_only_the_facilitator_changes_the_labels(ws):
    """PANO1: a participant and the projector are refused with forbidden, in every sequence."""
    for actor in ("p1", PROJECTOR_ID):
        assert ws.refuse(actor, "rename_domain", domain_id=SOCLE, label="Autre").code == "forbidden"
        assert ws.refuse(actor, "add_category", label="Autre").code == "forbidden"
        assert ws.refuse(actor, "remove_domain", domain_id="management").code == "forbidden"


# ---------------------------------------------------------------- adding (PANO4, PANO8)

def test_an_added_domain_and_category_come_last_with_ids_from_their_names_and_every_cell(ws):
    """PANO4: ids decided by the board from the name, unique; the new cells are zones cards go to."""
    added = ws.accept(FACILITATOR_ID, "add_domain", label="Sûreté nucléaire", short="Sûreté").data["entry"]
    assert added == {"id": "surete-nucleaire", "label": {"fr": "Sûreté nucléaire", "en": "Sûreté nucléaire"},
                     "short": {"fr": "Sûreté", "en": "Sûreté"}}
    column = ws.accept(FACILITATOR_ID, "add_category", label="Savoirs", language="en").data["entry"]
    assert column == {"id": "savoirs", "label": {"fr": "Savoirs", "en": "Savoirs"}}
    assert [r["id"] for r in rows(ws)][-1] == "surete-nucleaire" and [c["id"] for c in columns(ws)][-1] == "savoirs"
    cells = [z for z in ws.board.zones.values() if z.kind == "cell"]
    assert len(cells) == 9 * 3
    assert {"surete-nucleaire/techniques", "surete-nucleaire/savoirs", "socle/savoirs"} <= set(ws.board.zones)
    # Areas stay after the cells, as a new board orders them.
    assert [z.kind for z in ws.board.zones.values()][-2:] == ["deck", "free"]
    ws.accept("p1", "move_card", card_id="d02", zone_id="surete-nucleaire/savoirs", x=0.5, y=0.5)
    # A name that slugs to an id taken gets the next free one; a name that gives no id, a plain one.
    assert ws.accept(FACILITATOR_ID, "add_category", label="Savoirs !").data["entry"]["id"] == "savoirs-2"
    assert ws.accept(FACILITATOR_ID, "add_domain", label="???").data["entry"]["id"] == "domaine"
    assert_replays(ws)


def test_the_grid_has_at_most_twelve_domains_and_four_categories(ws):
    """PANO8: beyond that the add is refused with conflict, saying why."""
    for number in range(4):
        ws.accept(FACILITATOR_ID, "add_domain", label=f"Domaine {number}")
    assert ws.refuse(FACILITATOR_ID, "add_domain", label="Un de trop").code == "conflict"
    ws.accept(FACILITATOR_ID, "add_category", label="Troisième")
    ws.accept(FACILITATOR_ID, "add_category", label="Quatrième")
    refusal = ws.refuse(FACILITATOR_ID, "add_category", label="Cinquième")
    assert refusal.code == "conflict" and "4" in refusal.message
    assert len(rows(ws)) == 12 and len(columns(ws)) == 4


def test_an_added_name_must_differ_from_the_others(ws):
    """PANO9: ignoring case and accents."""
    assert ws.refuse(FACILITATOR_ID, "add_domain", label="MAINTENANCE").code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "add_category", label="techniques métiers").code == "conflict"


# ---------------------------------------------------------------- removing (PANO5-PANO7)

def test_a_domain_with_a_card_in_it_is_refused_with_not_empty_and_saying_how_many(ws):
    """PANO5: any card in any of its cells keeps it."""
    ws.accept("p1", "move_card", card_id="d01", zone_id=f"{MAINTENANCE}/{CAPACITES}", x=0.5, y=0.5)
    refusal = ws.refuse(FACILITATOR_ID, "remove_domain", domain_id=MAINTENANCE)
    assert refusal.code == "not_empty" and "1 card" in refusal.message
    refusal = ws.refuse(FACILITATOR_ID, "remove_category", category_id=CAPACITES)
    assert refusal.code == "not_empty"


def test_a_private_card_nobody_else_sees_still_keeps_its_domain(ws):
    """PANO5: hidden cards count, though the facilitator's refusal never shows their text."""
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.go_to("completer")
    event = ws.accept("p1", "create_card", kind="new", text="Carte secrète", zone_id="management/techniques",
                      x=0.5, y=0.5)
    assert event.data["private"] is True
    refusal = ws.refuse(FACILITATOR_ID, "remove_domain", domain_id="management")
    assert refusal.code == "not_empty" and "Carte secrète" not in refusal.message


def test_removing_an_empty_domain_clears_what_pointed_to_it(ws):
    """PANO6: its cells go; deck cards suggesting it lose the suggestion; Rouge loses its domain; the
    projector and the room led to it go back to the whole Panorama."""
    suggested = [c["id"] for c in ws.board.to_dict()["cards"] if c["domain"] == MAINTENANCE]
    assert suggested
    ws.accept(FACILITATOR_ID, "set_projector", focus={"kind": "row", "id": MAINTENANCE})
    ws.accept(FACILITATOR_ID, "follow", focus={"kind": "zone", "id": f"{MAINTENANCE}/{TECHNIQUES}"})
    event = ws.accept(FACILITATOR_ID, "remove_domain", domain_id=MAINTENANCE)
    assert event.data == {"axis": "rows", "id": MAINTENANCE}
    assert MAINTENANCE not in [r["id"] for r in rows(ws)]
    assert not [z for z in ws.board.zones if z.startswith(f"{MAINTENANCE}/")]
    assert all(ws.card(card_id)["domain"] is None for card_id in suggested)
    assert next(t for t in ws.board.teams.values()).domain is None
    assert ws.board.display["focus"] == {"kind": "overview"} and ws.board.room["follow"] is None
    assert_replays(ws)


def test_removing_an_empty_category_clears_the_deck_cards_suggesting_it(ws):
    """PANO6: every row loses that column's cell."""
    suggested = [c["id"] for c in ws.board.to_dict()["cards"] if c["category"] == CAPACITES]
    ws.accept(FACILITATOR_ID, "remove_category", category_id=CAPACITES)
    assert [c["id"] for c in columns(ws)] == [TECHNIQUES]
    assert all(ws.card(card_id)["category"] is None for card_id in suggested)
    assert len([z for z in ws.board.zones.values() if z.kind == "cell"]) == 8
    assert_replays(ws)


def test_the_last_domain_and_the_last_category_stay(ws):
    """PANO7."""
    ws.accept(FACILITATOR_ID, "remove_category", category_id=CAPACITES)
    assert ws.refuse(FACILITATOR_ID, "remove_category", category_id=TECHNIQUES).code == "conflict"
    for row_id in [r["id"] for r in rows(ws)][1:]:
        ws.accept(FACILITATOR_ID, "remove_domain", domain_id=row_id)
    assert ws.refuse(FACILITATOR_ID, "remove_domain", domain_id=SOCLE).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "remove_domain", domain_id="gone").code == "not_found"
    assert_replays(ws)


def test_a_domain_removed_then_added_again_under_its_name_is_a_fresh_empty_row(ws):
    """PANO4, PANO6: the id may come back; nothing of the old row comes with it."""
    ws.accept(FACILITATOR_ID, "remove_domain", domain_id=MAINTENANCE)
    event = ws.accept(FACILITATOR_ID, "add_domain", label="Maintenance")
    assert event.data["entry"]["id"] == MAINTENANCE
    assert rows(ws)[-1]["id"] == MAINTENANCE
    assert all(c["domain"] != MAINTENANCE for c in ws.board.to_dict()["cards"])
    assert_replays(ws)


def test_commands_carry_exactly_their_fields():
    """PANO1: an unknown field is bad_request, as every command."""
    from board.domain import InvalidCommand
    with pytest.raises(InvalidCommand):
        parse_command("remove_domain", {"domain_id": SOCLE, "force": True})
    with pytest.raises(InvalidCommand):
        parse_command("add_category", {"label": "x", "short": "y"})


# ---------------------------------------------------------------- readers (PANO11)

def test_the_csv_export_reads_the_new_labels_and_the_order_after_a_rename_add_and_remove(ws):
    """PANO11: the export reads the board's own labels: renamed, added (with a card in it), removed."""
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id=SOCLE, label="Socle transverse")
    ws.accept(FACILITATOR_ID, "add_category", label="Savoirs")
    ws.accept(FACILITATOR_ID, "remove_domain", domain_id="management")
    ws.accept("p1", "move_card", card_id="d03", zone_id="socle/savoirs", x=0.5, y=0.5)
    ws.accept("p1", "move_card", card_id="d04", zone_id="exploitation/techniques", x=0.5, y=0.5)
    text = panorama_csv(ws.board).decode("utf-8-sig")
    lines = [line.split(";") for line in text.splitlines()[1:]]
    d03, d04 = (ws.card(card_id)["text"] for card_id in ("d03", "d04"))
    # Renamed row, added column, in the rows' order; the removed domain is named nowhere.
    assert [line[:3] for line in lines] == [["Socle transverse", "Savoirs", d03],
                                            ["Exploitation des ouvrages et production", "Techniques Métiers", d04]]
    assert "Management" not in text
