"""Notes: cards attached to cards (keywords of a factor, savoirs of a competence), spec NOTE1-NOTE12.

The test format tests/data/formats/notes.json is the packaged Atelier Compétences with `note_kinds`
switched on: the factors map's keywords (seed 002: "ce que signifie", "ce que cela implique", a
question, a risk) and the Troc's savoirs (seed 004, attached to written cards only), and `add_note`
opened in Compléter.
"""
import copy
import json
from pathlib import Path

import pytest
from domain_helpers import FACILITATOR_ID, Workshop, minimal_document

from board.domain import FormatError, load_format, replay
from board.domain.decide import sequence_allows
from board.domain.privacy import redaction_for, redact
from board.domain.visibility import snapshot_for, viewer_of

NOTES_FORMAT = Path(__file__).resolve().parent / "data" / "formats" / "notes.json"
CELL, OTHER_CELL, PARKING = "maintenance/techniques", "socle/capacites", "parking"
COMPLETING, PLACEMENT, MUST_HAVES = "completer", "placement", "incontournables"


def notes_document():
    return json.loads(NOTES_FORMAT.read_text(encoding="utf-8"))


@pytest.fixture
def ws():
    """The notes format in Compléter: p1, p2 in team Rouge, p3 in Bleu, d01 placed by p1's team."""
    w = Workshop(notes_document())
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid)
    w.rouge, w.bleu = w.team("Rouge"), w.team("Bleu", colour="#0000aa")
    w.put_in_team("p1", w.rouge)
    w.put_in_team("p2", w.rouge)
    w.put_in_team("p3", w.bleu)
    w.go_to(COMPLETING)
    w.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    return w


def note(ws, actor, text="Sobriété", kind="signification", parent="d01", **extra):
    return ws.accept(actor, "create_card", kind="postit", text=text, zone_id=CELL, x=0, y=0,
                     parent=parent, note_kind=kind, **extra)


# -- NOTE1: the format's note_kinds

def test_a_format_offers_note_kinds_with_their_labels_and_the_cards_they_attach_to():
    """NOTE1."""
    document = minimal_document()
    document["note_kinds"] = [{"id": "savoir", "label": {"fr": "Savoir", "en": "Knowledge"}, "of": ["postit"]},
                              {"id": "risque", "label": {"fr": "Risque", "en": "Risk"}}]
    assert load_format(document).document["note_kinds"][0]["of"] == ["postit"]


@pytest.mark.parametrize("kinds, path", [
    ({"id": "x"}, "note_kinds"),
    ([{"label": {"fr": "A", "en": "A"}}], "note_kinds[0].id"),
    ([{"id": "a", "label": {"fr": "A"}}], "note_kinds[0].label.en"),
    ([{"id": "a", "label": {"fr": "A", "en": "A"}, "of": []}], "note_kinds[0].of"),
    ([{"id": "a", "label": {"fr": "A", "en": "A"}, "of": ["post-it"]}], "note_kinds[0].of[0]"),
    ([{"id": "a", "label": {"fr": "A", "en": "A"}}] * 2, "note_kinds"),
    ([{"id": f"k{i}", "label": {"fr": "A", "en": "A"}} for i in range(13)], "note_kinds"),
])
def test_a_bad_note_kinds_field_is_refused_naming_the_field(kinds, path):
    """NOTE1."""
    document = minimal_document()
    document["note_kinds"] = kinds
    with pytest.raises(FormatError) as error:
        load_format(document)
    assert error.value.path == path


# -- NOTE2: a note is a card with a parent and a kind

def test_a_note_is_a_card_attached_to_its_card_with_its_kind(ws):
    """NOTE2: the note is in its card's zone; the snapshot carries parent and note_kind."""
    event = note(ws, "p2", text="  Sobriété énergétique  ", card_id="n1")
    assert event.type == "card_created"
    assert (event.data["parent"], event.data["note_kind"]) == ("d01", "signification")
    card = ws.card("n1")
    assert card["parent"] == "d01" and card["note_kind"] == "signification"
    assert card["text"] == "Sobriété énergétique" and card["zone"] == CELL and card["author"] == "p2"
    assert card["team"] == ws.rouge


def test_a_card_of_its_own_has_no_note_kind(ws):
    """NOTE2."""
    refusal = ws.refuse("p1", "create_card", kind="postit", text="Seul", zone_id=CELL, x=0, y=0, note_kind="question")
    assert refusal.code == "bad_request"
    refusal = ws.refuse("p1", "create_card", kind="postit", text="Seul", zone_id=CELL, x=0, y=0, parent="d01")
    assert refusal.code == "bad_request" and "kind" in refusal.message


# -- NOTE3: the parent

def test_a_note_needs_a_card_that_exists(ws):
    """NOTE3."""
    assert ws.refuse("p1", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                     parent="nope", note_kind="question").code == "not_found"


def test_a_note_is_never_attached_to_a_note(ws):
    """NOTE3."""
    note(ws, "p1", card_id="n1")
    assert ws.refuse("p1", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                     parent="n1", note_kind="question").code == "forbidden"


def test_a_card_still_in_the_deck_takes_no_note(ws):
    """NOTE3."""
    assert ws.refuse("p1", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                     parent="d02", note_kind="question").code == "forbidden"


# -- NOTE4: where a note is

def test_a_note_follows_its_card_and_never_moves_alone(ws):
    """NOTE4: the card's move takes its notes to its new zone; a note's own move is refused."""
    note(ws, "p1", card_id="n1")
    ws.accept("p1", "move_card", card_id="d01", zone_id=OTHER_CELL, x=0.2, y=0.2)
    assert ws.card("n1")["zone"] == OTHER_CELL
    assert ws.refuse("p1", "move_card", card_id="n1", zone_id=CELL, x=0, y=0).code == "forbidden"
    assert ws.refuse(FACILITATOR_ID, "move_card", card_id="n1", zone_id=CELL, x=0, y=0).code == "forbidden"
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_a_note_takes_no_dot(ws):
    """NOTE4."""
    note(ws, "p1", card_id="n1")
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    assert ws.refuse("p1", "vote", card_id="n1", delta=1).code == "forbidden"
    ws.accept("p1", "vote", card_id="d01", delta=1)


# -- NOTE5: kinds and texts

def test_a_note_kind_must_be_the_formats(ws):
    """NOTE5: an unknown kind is refused naming the workshop's kinds."""
    refusal = ws.refuse("p1", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                        parent="d01", note_kind="effet")
    assert refusal.code == "bad_request" and "signification" in refusal.message


def test_a_note_kind_attaches_only_to_the_card_kinds_it_names(ws):
    """NOTE5: `savoir` is `of: [new, postit]`: refused on a deck card, accepted on a written card."""
    assert ws.refuse("p1", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                     parent="d01", note_kind="savoir").code == "forbidden"
    own = ws.accept("p1", "create_card", kind="new", text="Faire un prévisionnel", zone_id=CELL, x=0, y=0,
                    card_id="troc").data["id"]
    note(ws, "p3", text="Calculer des amortissements", kind="savoir", parent=own)


def test_a_note_is_short_text_without_description(ws):
    """NOTE5: at most 140 characters; no description."""
    assert ws.refuse("p1", "create_card", kind="postit", text="x" * 141, zone_id=CELL, x=0, y=0,
                     parent="d01", note_kind="question").code == "bad_request"
    note(ws, "p1", text="x" * 140)
    assert ws.refuse("p1", "create_card", kind="postit", text="x", description="Plus long", zone_id=CELL,
                     x=0, y=0, parent="d01", note_kind="question").code == "bad_request"


# -- NOTE6: how many

def test_a_card_carries_at_most_forty_notes(ws):
    """NOTE6."""
    for i in range(40):
        note(ws, "p1", text=f"Mot {i}")
    assert ws.refuse("p1", "create_card", kind="postit", text="Un de trop", zone_id=CELL, x=0, y=0,
                     parent="d01", note_kind="question").code == "conflict"


# -- NOTE7: privacy and anonymity, as for cards

def test_a_note_on_a_private_card_is_as_private_as_its_card(ws):
    """NOTE7: the other team sees neither the card nor its notes' texts, and cannot annotate it."""
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.accept("p1", "create_card", kind="new", text="Secrète", zone_id=CELL, x=0, y=0, card_id="secret")
    ws.accept(FACILITATOR_ID, "create_card", kind="postit", text="Mot caché", zone_id=CELL, x=0, y=0,
              parent="secret", note_kind="risque", card_id="n1")
    assert ws.card("n1")["private"] and ws.card("n1")["team"] == ws.rouge
    seen_by_blue = {c["id"]: c for c in ws.sees("p3")["cards"]}
    assert seen_by_blue["n1"]["text"] == "" and seen_by_blue["n1"]["hidden"]
    assert {c["id"]: c for c in ws.sees("p2")["cards"]}["n1"]["text"] == "Mot caché"
    assert ws.refuse("p3", "create_card", kind="postit", text="x", zone_id=CELL, x=0, y=0,
                     parent="secret", note_kind="question").code == "not_found"
    assert "Mot caché" not in ws.everything("p3")


def test_in_private_mode_a_teams_note_is_hidden_from_the_other_teams(ws):
    """NOTE7."""
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.watch("p1")
    note(ws, "p3", text="Idée bleue", card_id="n1")
    assert ws.card("n1")["private"] and ws.card("n1")["team"] == ws.bleu
    assert "Idée bleue" not in ws.everything("p1")


def test_an_anonymous_sequence_names_no_notes_writer(ws):
    """NOTE7: a note's author is withheld like a card's (ANON2)."""
    ws.accept(FACILITATOR_ID, "set_anonymity", sequence=ws.board.sequence, on=True)
    note(ws, "p2", card_id="n1")
    mine = {c["id"]: c for c in ws.sees("p2")["cards"]}["n1"]
    theirs = {c["id"]: c for c in ws.sees("p3")["cards"]}["n1"]
    assert mine["author"] == "p2" and theirs["author"] is None


# -- NOTE8: the sequence gate

def test_notes_open_with_add_note_not_with_create_card():
    """NOTE8: a sequence allowing create_card but not add_note refuses notes, and the other way round."""
    document = notes_document()
    document["sequences"][1]["allows"] = ["move_card", "add_note"]  # Placement: keywords, no new card
    w = Workshop(document)
    w.join("p1")
    w.go_to(PLACEMENT)
    w.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert sequence_allows(w.board, "participant", "add_note")
    assert not sequence_allows(w.board, "participant", "create_card")
    n = w.accept("p1", "create_card", kind="postit", text="Mot", zone_id=CELL, x=0, y=0, parent="d01",
                 note_kind="question").data["id"]
    w.accept("p1", "edit_card", card_id=n, text="Mot juste")
    assert w.refuse("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0, y=0).code == "sequence_closed"
    w.go_to(COMPLETING)  # the packaged Compléter of this format opens both
    document = notes_document()
    document["sequences"][2]["allows"].remove("add_note")
    v = Workshop(document)
    v.join("p1")
    v.go_to(COMPLETING)
    v.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert v.refuse("p1", "create_card", kind="postit", text="Mot", zone_id=CELL, x=0, y=0, parent="d01",
                    note_kind="question").code == "sequence_closed"
    v.accept(FACILITATOR_ID, "create_card", kind="postit", text="Mot", zone_id=CELL, x=0, y=0, parent="d01",
             note_kind="question")  # the facilitator is never gated


# -- NOTE9: editing

def test_a_note_is_edited_by_whoever_may_change_a_card_and_may_change_kind(ws):
    """NOTE9: text and kind change; another team is refused (CARD17); a kind of the format only."""
    n = note(ws, "p1", card_id="n1").data["id"]
    event = ws.accept("p2", "edit_card", card_id=n, note_kind="risque", text="Dépendance")
    assert event.data["note_kind"] == "risque"
    assert ws.card(n)["note_kind"] == "risque" and ws.card(n)["text"] == "Dépendance"
    assert ws.refuse("p3", "edit_card", card_id=n, text="Non").code == "forbidden"
    assert ws.refuse("p1", "edit_card", card_id=n, note_kind="effet").code == "bad_request"
    assert ws.refuse("p1", "edit_card", card_id=n, text="y" * 141).code == "bad_request"
    assert ws.refuse("p1", "edit_card", card_id="d01", note_kind="risque").code in ("bad_request", "forbidden")
    assert replay(ws.events).to_dict() == ws.board.to_dict()


# -- NOTE10: deleting

def test_deleting_a_card_deletes_its_notes_with_it_and_their_texts_leave_the_log(ws):
    """NOTE10: one event takes the card and its notes; the redaction erases the notes' texts too."""
    own = ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0, y=0, card_id="own").data["id"]
    note(ws, "p1", text="Mot un", parent=own, card_id="n1")
    note(ws, "p2", text="Mot deux", parent=own, card_id="n2")
    event = ws.accept("p1", "delete_card", card_id=own)
    assert sorted(event.data["notes"]) == ["n1", "n2"]
    assert ws.card("n1") is None and ws.card("n2") is None and ws.card(own) is None
    log = redact([e.to_dict() for e in ws.events], redaction_for(event))
    assert "Mot un" not in json.dumps(log, ensure_ascii=False)
    assert "Mot deux" not in json.dumps(log, ensure_ascii=False)


def test_a_card_carrying_another_teams_notes_is_deleted_by_the_facilitator_only(ws):
    """NOTE10: the Bleu team's keyword on Rouge's card keeps Rouge from deleting it; the facilitator can."""
    own = ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0, y=0, card_id="own").data["id"]
    note(ws, "p3", text="Mot bleu", parent=own, card_id="n1")
    refusal = ws.refuse("p1", "delete_card", card_id=own)
    assert refusal.code == "forbidden" and "1 note" in refusal.message
    ws.accept("p3", "delete_card", card_id="n1")  # its writer takes it back
    ws.accept("p1", "delete_card", card_id=own)
    again = ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0, y=0, card_id="own2").data["id"]
    note(ws, "p3", text="Mot bleu", parent=again, card_id="n2")
    assert ws.accept(FACILITATOR_ID, "delete_card", card_id=again).data["notes"] == ["n2"]


def test_deleting_a_note_leaves_its_card(ws):
    """NOTE10."""
    note(ws, "p1", card_id="n1")
    event = ws.accept("p1", "delete_card", card_id="n1")
    assert "notes" not in event.data and ws.card("d01") is not None


def test_undoing_a_delete_writes_the_card_and_its_notes_again_with_their_ids(ws):
    """NOTE10: the undo of the page sends create_card for the card, then for each note, with their ids."""
    own = ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0.3, y=0.3, card_id="own").data["id"]
    note(ws, "p1", text="Mot", parent=own, card_id="n1")
    before = copy.deepcopy(ws.card("n1"))
    ws.accept("p1", "delete_card", card_id=own)
    ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0.3, y=0.3, card_id="own")
    ws.accept("p1", "create_card", kind="postit", text="Mot", zone_id=CELL, x=0, y=0, card_id="n1",
              parent="own", note_kind="signification")
    after = ws.card("n1")
    assert {k: after[k] for k in ("parent", "note_kind", "text", "zone")} == \
        {k: before[k] for k in ("parent", "note_kind", "text", "zone")}


# -- NOTE11: nothing leaves a note without its card

def test_forgetting_a_writer_with_their_cards_removes_the_notes_on_those_cards(ws):
    """NOTE11."""
    own = ws.accept("p1", "create_card", kind="new", text="Carte", zone_id=CELL, x=0, y=0, card_id="own").data["id"]
    note(ws, "p3", text="Mot bleu", parent=own, card_id="n1")
    event = ws.accept(FACILITATOR_ID, "forget_participant", participant_id="p1", texts="remove")
    assert "n1" in event.data["cards"] and ws.card("n1") is None
    assert all(card["parent"] in {c["id"] for c in ws.board.to_dict()["cards"]}
               for card in ws.board.to_dict()["cards"] if card["parent"])


def test_a_deck_card_back_in_the_deck_takes_its_notes_and_a_deck_replaced_removes_them(ws):
    """NOTE11."""
    note(ws, "p1", card_id="n1")
    ws.accept("p1", "move_card", card_id="d01", zone_id="deck", x=0, y=0)
    assert ws.card("n1")["zone"] == "deck"
    ws.go_to("decouverte")
    event = ws.accept(FACILITATOR_ID, "import_deck", mode="replace",
                      cards=[{"text": "Nouvelle carte", "domain": "", "category": "", "description": ""}])
    assert "n1" in event.data["removed"] and ws.card("n1") is None


# -- NOTE12: replay and documents

def test_a_board_with_notes_replays_and_round_trips_through_its_document(ws):
    """NOTE12: the log replays to the same board, and the board document restores its notes."""
    from board.domain.documents import board_document, check_document
    note(ws, "p1", card_id="n1")
    note(ws, "p3", text="Et demain ?", kind="question", card_id="n2")
    assert replay(ws.events).to_dict() == ws.board.to_dict()
    document = json.loads(json.dumps(board_document(ws.board)))
    restored = {card["id"]: card for card in check_document(document).content["cards"]}
    assert restored["n2"]["parent"] == "d01" and restored["n2"]["note_kind"] == "question"


def test_a_document_whose_note_hangs_from_a_note_is_refused(ws):
    """NOTE12."""
    from board.domain.documents import DocumentError, board_document, check_document
    note(ws, "p1", card_id="n1")
    note(ws, "p1", text="Deux", card_id="n2")
    document = json.loads(json.dumps(board_document(ws.board)))
    for card in document["cards"]:
        if card["id"] == "n2":
            card["parent"] = "n1"
    with pytest.raises(DocumentError) as error:
        check_document(document)
    assert error.value.path.endswith(".parent")


def test_the_projector_sees_notes_like_any_card(ws):
    """NOTE7: the projector, like everyone who may see the card, reads its notes."""
    note(ws, "p1", card_id="n1")
    projector = snapshot_for(ws.board, viewer_of(ws.board, "proj"))
    assert {c["id"]: c for c in projector["cards"]}["n1"]["text"] == "Sobriété"


def test_a_template_and_the_synthesis_take_no_note_for_a_card(ws):
    """NOTE11, NOTE13: a note back in the deck with its card is no deck card of the template; the
    synthesis lists the cards, not their notes."""
    from board.domain.documents import template_document
    from board.synthesis_view import synthesis
    note(ws, "p1", text="Mot du deck", card_id="n1")
    note(ws, "p1", text="Mot resté", parent="d01", card_id="n2")
    assert "Mot resté" not in json.dumps(synthesis(ws.board, "fr"), ensure_ascii=False, default=str)
    assert ws.board.cards["d01"].text in json.dumps(synthesis(ws.board, "fr"), ensure_ascii=False, default=str)
    ws.accept("p1", "move_card", card_id="d01", zone_id="deck", x=0, y=0)
    assert "Mot du deck" not in json.dumps(template_document(ws.board), ensure_ascii=False)
