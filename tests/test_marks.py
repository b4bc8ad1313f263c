"""Marks per participant and speakers (board/domain/marks.py): rules MARK1-MARK12 and DISPLAY8 of docs/spec.md."""
import copy
import json

import pytest

from board.domain import FormatError, load_format
from board.domain.documents import board_document, check_document
from board.domain.marks import who_helps_whom
from board.domain.model import board_from_snapshot
from board.domain.evolve import replay
from board.domain.visibility import event_for, viewer_of
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, minimal_document, packaged_document
from exchange_scene import exchange_document, expected_pairs, prospective_document, with_sequences_allowing

PERSO, FINANCE, UNGROUPED = "perso/competences", "financements/competences", "sans-famille"
AGILE_QUOTES = "agile/citations"


@pytest.fixture
def troc():
    """A Troc board in its exchange sequence: Ana, bruno, Chloé, Dan (Dan in team Bleu), two post-its each."""
    w = Workshop(with_sequences_allowing(exchange_document(), "create_card", "mark_card", "edit_card", "delete_card"))
    for pid, name in (("p1", "Ana"), ("p2", "bruno"), ("p3", "Chloé"), ("p4", "Dan")):
        w.join(pid, name=name)
    w.go_to("tout")
    w.cards = {}
    for pid, text, zone, y in (("p1", "Chanter", PERSO, 0.1), ("p2", "Faire du yoga", PERSO, 0.5),
                               ("p3", "Chercher des subventions", FINANCE, 0.2), ("p4", "Parler espagnol", UNGROUPED, 0.3)):
        w.cards[text] = w.accept(pid, "create_card", kind="postit", text=text, zone_id=zone, x=0.2, y=y).data["id"]
    w.go_to("echange")
    return w


@pytest.fixture
def plenary():
    """A prospective board (speakers listed) with one participant, p1."""
    w = Workshop(prospective_document())
    w.join("p1", name="Ana")
    return w


# ---------------------------------------------------------------- the format (MARK1, MARK9)

def test_the_test_formats_load_with_their_marks_and_speakers():
    """MARK1, MARK9: the Troc's offer/want marks and the plenary's speakers pass the loader."""
    troc = load_format(exchange_document())
    assert [m["role"] for m in troc.document["marks"]] == ["offer", "want"]
    assert "mark_card" in troc.sequences[2].allows
    assert load_format(prospective_document()).document["speakers"][0] == "Intervenante énergie"


@pytest.mark.parametrize("change, path", [
    (lambda d: d.update(marks="offre"), "marks"),
    (lambda d: d.update(marks=[{"id": "a", "label": {"fr": "A", "en": "A"}}] * 2), "marks"),
    (lambda d: d.update(marks=[{"id": f"m{i}", "label": {"fr": "A", "en": "A"}} for i in range(7)]), "marks"),
    (lambda d: d["marks"][1].update(id="Envie !"), "marks[1].id"),
    (lambda d: d["marks"][0]["label"].pop("en"), "marks[0].label.en"),
    (lambda d: d["marks"][1].update(role="give"), "marks[1].role"),
    (lambda d: d["marks"][1].update(role="offer"), "marks[1].role"),
    (lambda d: d["marks"].__setitem__(0, "offre"), "marks[0]"),
    (lambda d: d.update(show_authors="yes"), "show_authors"),
    (lambda d: d.update(speakers="Nadia"), "speakers"),
    (lambda d: d.update(speakers=["Nadia", " nadia "]), "speakers"),
    (lambda d: d.update(speakers=["Nadia", ""]), "speakers[1]"),
    (lambda d: d.update(speakers=["n" * 61]), "speakers[0]"),
    (lambda d: d.update(speakers=[f"S{i}" for i in range(41)]), "speakers"),
])
def test_a_bad_marks_or_speakers_field_is_refused_at_its_path(change, path):
    """MARK1, MARK9: the loader names the exact field at fault."""
    document = exchange_document()
    change(document)
    with pytest.raises(FormatError) as caught:
        load_format(document)
    assert caught.value.path == path


def test_a_format_without_marks_or_speakers_is_as_before():
    """MARK1, MARK9: both fields are optional; the flagship has neither."""
    assert "marks" not in packaged_document() and "speakers" not in packaged_document()
    load_format(minimal_document())


# ---------------------------------------------------------------- mark_card (MARK2-MARK5)

def test_a_participant_marks_a_card_for_themself(troc):
    """MARK3: card_marked names the sender; the card lists who marked it, in order; unmarking removes."""
    card = troc.cards["Chanter"]
    event = troc.accept("p2", "mark_card", card_id=card, mark="envie", on=True)
    assert event.type == "card_marked"
    assert event.data == {"card_id": card, "mark": "envie", "participant_id": "p2", "on": True}
    troc.accept("p3", "mark_card", card_id=card, mark="envie", on=True)
    troc.accept("p1", "mark_card", card_id=card, mark="offre", on=True)
    assert troc.card(card)["marks"] == {"envie": ["p2", "p3"], "offre": ["p1"]}
    troc.accept("p2", "mark_card", card_id=card, mark="envie", on=False)
    troc.accept("p1", "mark_card", card_id=card, mark="offre", on=False)
    assert troc.card(card)["marks"] == {"envie": ["p3"]}
    troc.accept("p3", "mark_card", card_id=card, mark="envie", on=False)
    assert "marks" not in troc.card(card)


def test_nobody_marks_for_someone_else(troc):
    """MARK2: there is no field to name another participant; the facilitator and projector do not mark."""
    card = troc.cards["Chanter"]
    assert troc.refuse("p1", "mark_card", card_id=card, mark="offre", on=True, participant_id="p2").code == "bad_request"
    assert troc.refuse(FACILITATOR_ID, "mark_card", card_id=card, mark="offre", on=True).code == "forbidden"
    assert troc.refuse(PROJECTOR_ID, "mark_card", card_id=card, mark="offre", on=True).code == "forbidden"


def test_marking_is_gated_by_the_sequence(troc):
    """MARK2: the sequence whose allows names mark_card opens it; the others refuse it."""
    troc.go_to("ecrire")
    assert troc.refuse("p1", "mark_card", card_id=troc.cards["Chanter"], mark="offre", on=True).code == "sequence_closed"
    troc.go_to("echange")
    troc.accept("p1", "mark_card", card_id=troc.cards["Chanter"], mark="offre", on=True)


def test_what_cannot_be_marked_is_refused_with_its_reason(troc):
    """MARK4."""
    card = troc.cards["Chanter"]
    assert troc.refuse("p1", "mark_card", card_id=card, mark="bof", on=True).code == "not_found"
    assert "offre, envie" in troc.refuse("p1", "mark_card", card_id=card, mark="bof", on=True).message
    assert troc.refuse("p1", "mark_card", card_id="ghost", mark="offre", on=True).code == "not_found"
    assert troc.refuse("p1", "mark_card", card_id=card, mark="offre", on=False).code == "conflict"
    troc.accept("p1", "mark_card", card_id=card, mark="offre", on=True)
    assert troc.refuse("p1", "mark_card", card_id=card, mark="offre", on=True).code == "conflict"


def test_a_card_in_the_deck_and_a_hidden_card_cannot_be_marked():
    """MARK4: the deck's cards are not on the board; another team's private card is face down."""
    document = with_sequences_allowing(exchange_document(), "create_card", "mark_card")
    document["deck"] = [{"id": "k1", "text": "Faire un prévisionnel"}]
    w = Workshop(document)
    w.join("p1")
    w.join("p2")
    rouge = w.team("Rouge")
    w.put_in_team("p1", rouge)
    w.go_to("tout")
    assert w.refuse("p1", "mark_card", card_id="k1", mark="offre", on=True).code == "forbidden"
    w.accept(FACILITATOR_ID, "configure", private_cards=True)
    secret = w.accept("p1", "create_card", kind="postit", text="Secret", zone_id=PERSO, x=0, y=0).data["id"]
    assert w.refuse("p2", "mark_card", card_id=secret, mark="envie", on=True).code == "not_found"
    w.accept("p1", "mark_card", card_id=secret, mark="offre", on=True)  # its own team sees it


def test_a_board_without_marks_refuses_marking():
    """MARK4: the flagship has no marks."""
    document = packaged_document()
    document["sequences"][2]["allows"].append("mark_card")
    w = Workshop(document)
    w.join("p1")
    w.go_to("completer")
    card = w.accept("p1", "create_card", kind="new", text="Idée", zone_id="parking", x=0, y=0).data["id"]
    assert w.refuse("p1", "mark_card", card_id=card, mark="offre", on=True).code == "bad_request"


def test_a_deleted_card_takes_its_marks_and_a_removed_participant_counts_for_nobody(troc):
    """MARK5."""
    chant, yoga = troc.cards["Chanter"], troc.cards["Faire du yoga"]
    for pid, card, mark in (("p1", chant, "offre"), ("p2", chant, "envie"), ("p3", chant, "envie"), ("p2", yoga, "offre")):
        troc.accept(pid, "mark_card", card_id=card, mark=mark, on=True)
    troc.accept(FACILITATOR_ID, "delete_card", card_id=yoga)
    assert troc.card(yoga) is None
    troc.accept(FACILITATOR_ID, "remove_participant", participant_id="p3")
    assert troc.card(chant)["marks"]["envie"] == ["p2", "p3"]  # the log keeps them
    pairs = [(card["text"], pair) for group in who_helps_whom(troc.board) for card in group["cards"] for pair in card["pairs"]]
    assert pairs == [("Chanter", ("p1", "p2"))]


def test_marks_survive_replay_the_snapshot_and_the_document(troc):
    """MARK3, MARK7: the log, a client's snapshot and the board document all keep the marks."""
    card = troc.cards["Chanter"]
    troc.accept("p1", "mark_card", card_id=card, mark="offre", on=True)
    troc.accept("p2", "mark_card", card_id=card, mark="envie", on=True)
    live = troc.board.to_dict()
    assert replay(troc.events).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    restored = check_document(json.loads(json.dumps(board_document(troc.board))))
    cards = {c["id"]: c for c in restored.content["cards"]}
    assert cards[card]["marks"] == {"offre": ["p1"], "envie": ["p2"]}


def test_a_mark_reaches_everyone_as_it_is(troc):
    """MARK3: a mark hides nothing (the participant's own marks are theirs to show)."""
    event = troc.accept("p1", "mark_card", card_id=troc.cards["Chanter"], mark="offre", on=True).to_dict()
    for member in ("p1", "p2", PROJECTOR_ID, FACILITATOR_ID):
        assert event_for(troc.board, event, viewer_of(troc.board, member)) == event


# ---------------------------------------------------------------- who helps whom (MARK6)

def test_who_helps_whom_pairs_offers_with_wants_per_zone_in_reading_order(troc):
    """MARK6: per zone in board order, cards by place, pairs by helper then learner name, nobody with themself."""
    chant, yoga = troc.cards["Chanter"], troc.cards["Faire du yoga"]
    subsidies, spanish = troc.cards["Chercher des subventions"], troc.cards["Parler espagnol"]
    marks = [("p3", chant, "offre"), ("p1", chant, "offre"), ("p1", chant, "envie"), ("p4", chant, "envie"),
             ("p2", chant, "envie"), ("p2", yoga, "offre"), ("p4", spanish, "offre"), ("p1", spanish, "envie"),
             ("p3", subsidies, "offre")]  # nobody wants the subsidies: no pair there
    for pid, card, mark in marks:
        troc.accept(pid, "mark_card", card_id=card, mark=mark, on=True)
    groups = who_helps_whom(troc.board)
    assert [group["zone"] for group in groups] == [PERSO, UNGROUPED]
    assert [(c["text"], c["pairs"]) for c in groups[0]["cards"]] == [
        ("Chanter", [("p1", "p2"), ("p1", "p4"), ("p3", "p1"), ("p3", "p2"), ("p3", "p4")])]
    assert groups[1]["cards"][0]["pairs"] == [("p4", "p1")]
    # The same list, worked out apart from marks.py from the snapshot alone.
    names = {p.id: p.name for p in troc.board.participants.values()}
    flat = [(g["zone"], c["text"], names[h], names[l]) for g in groups for c in g["cards"] for h, l in c["pairs"]]
    assert flat == expected_pairs(troc.board.to_dict())


def test_who_helps_whom_follows_a_card_moved_to_another_family(troc):
    """MARK6: a card is grouped by the zone it is in now."""
    yoga = troc.cards["Faire du yoga"]
    troc.accept("p1", "mark_card", card_id=yoga, mark="envie", on=True)
    troc.accept("p2", "mark_card", card_id=yoga, mark="offre", on=True)
    assert [g["zone"] for g in who_helps_whom(troc.board)] == [PERSO]
    troc.accept(FACILITATOR_ID, "move_card", card_id=yoga, zone_id=UNGROUPED, x=0.5, y=0.9)
    assert [g["zone"] for g in who_helps_whom(troc.board)] == [UNGROUPED]


# ---------------------------------------------------------------- speakers and quotes (MARK9-MARK12)

def test_a_quote_is_filed_under_a_theme_with_its_speaker(plenary):
    """MARK10, MARK11: a speaker of the format, case ignored, kept as the format spells it."""
    event = plenary.accept("p1", "create_card", kind="quote", text="Le collaboratif, ça s'apprend",
                           zone_id=AGILE_QUOTES, x=0, y=0, speaker="animatrice")
    assert event.data["speaker"] == "Animatrice" and event.data["kind"] == "quote"
    assert plenary.card(event.data["id"])["speaker"] == "Animatrice"


def test_a_quote_without_speaker_is_a_participants(plenary):
    """MARK10."""
    event = plenary.accept("p1", "create_card", kind="quote", text="Anticipons", zone_id=AGILE_QUOTES, x=0, y=0)
    assert event.data["speaker"] == "participant"


def test_a_competence_may_name_its_speaker_and_a_post_it_none(plenary):
    """MARK11: `speaker` only on cards that have one."""
    named = plenary.accept(FACILITATOR_ID, "create_card", kind="new", text="Agilité", zone_id="agile/competences",
                           x=0, y=0, speaker="participant")
    plain = plenary.accept(FACILITATOR_ID, "create_card", kind="postit", text="Curiosité", zone_id="agile/competences", x=0, y=0)
    assert named.data["speaker"] == "participant"
    assert "speaker" not in plain.data and "speaker" not in plenary.card(plain.data["id"])


def test_an_unknown_speaker_is_refused_until_the_facilitator_adds_them(plenary):
    """MARK11, MARK12."""
    quote = dict(kind="quote", text="L'industrie du futur est décarbonée", zone_id="digital/citations", x=0, y=0)
    assert plenary.refuse("p1", "create_card", speaker="Nadia", **quote).code == "not_found"
    event = plenary.accept(FACILITATOR_ID, "add_speaker", name="  Nadia  ")
    assert event.type == "speaker_added" and event.data == {"name": "Nadia"}
    assert plenary.board.to_dict()["speakers"] == ["Nadia"]
    assert plenary.accept("p1", "create_card", speaker="NADIA", **quote).data["speaker"] == "Nadia"


def test_editing_a_card_changes_its_speaker(plenary):
    """MARK11: card_edited carries the new speaker; a deck card names nobody."""
    card = plenary.accept("p1", "create_card", kind="quote", text="Offre d'usage", zone_id="boucles/citations", x=0, y=0).data["id"]
    event = plenary.accept("p1", "edit_card", card_id=card, speaker="Intervenant industrie")
    assert event.data["speaker"] == "Intervenant industrie" and "text" not in event.data
    assert plenary.card(card)["speaker"] == "Intervenant industrie"
    assert plenary.refuse("p1", "edit_card", card_id=card, speaker="Personne").code == "not_found"
    assert replay(plenary.events).to_dict() == plenary.board.to_dict()


def test_adding_a_speaker_twice_or_participant_is_a_conflict(plenary):
    """MARK12."""
    assert plenary.refuse(FACILITATOR_ID, "add_speaker", name="animatrice").code == "conflict"
    assert plenary.refuse(FACILITATOR_ID, "add_speaker", name="Participant").code == "conflict"
    plenary.accept(FACILITATOR_ID, "add_speaker", name="Nadia")
    assert plenary.refuse(FACILITATOR_ID, "add_speaker", name="NADIA").code == "conflict"
    assert plenary.refuse("p1", "add_speaker", name="Karim").code == "forbidden"
    for i in range(39):
        plenary.accept(FACILITATOR_ID, "add_speaker", name=f"Orateur {i}")
    assert plenary.refuse(FACILITATOR_ID, "add_speaker", name="Un de trop").code == "conflict"


def test_a_board_without_speakers_takes_no_quote_and_no_speaker():
    """MARK10-MARK12 on the flagship."""
    w = Workshop()
    w.join("p1")
    w.go_to("completer")
    where = dict(text="Dit", zone_id="parking", x=0, y=0)
    assert w.refuse("p1", "create_card", kind="quote", **where).code == "bad_request"
    assert w.refuse("p1", "create_card", kind="new", speaker="participant", **where).code == "bad_request"
    assert w.refuse(FACILITATOR_ID, "add_speaker", name="Nadia").code == "bad_request"
    assert w.refuse(FACILITATOR_ID, "edit_card", card_id="d01", speaker="participant").code == "bad_request"


def test_a_private_quote_hides_its_speaker_from_the_other_teams():
    """MARK11: withheld like its text (PRIV1)."""
    w = Workshop(prospective_document())
    for pid in ("p1", "p2"):
        w.join(pid)
    w.put_in_team("p1", w.team("Rouge"))
    w.accept(FACILITATOR_ID, "configure", private_cards=True)
    w.watch("p2")
    card = w.accept("p1", "create_card", kind="quote", text="Secret", zone_id=AGILE_QUOTES, x=0, y=0,
                    speaker="Animatrice").data["id"]
    # The speakers' list is the format's, known to all; what is withheld is who said this card.
    seen = [c for c in w.sees("p2")["cards"] if c["id"] == card][0]
    assert seen["hidden"] and seen.get("speaker") is None
    assert w.inbox["p2"][-1]["data"]["speaker"] is None and w.inbox["p2"][-1]["data"]["text"] == ""
    assert w.card(card)["speaker"] == "Animatrice"


# ---------------------------------------------------------------- the projector's views (DISPLAY8)

def test_the_projector_shows_the_quote_feed_and_who_helps_whom_where_the_format_has_them(plenary, troc):
    """DISPLAY8."""
    assert plenary.accept(FACILITATOR_ID, "set_projector", focus={"kind": "quotes"}).data == {"focus": {"kind": "quotes"}}
    assert plenary.board.display["focus"] == {"kind": "quotes"}
    assert plenary.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "exchange"}).code == "bad_request"
    troc.accept(FACILITATOR_ID, "set_projector", focus={"kind": "exchange"})
    assert troc.refuse(FACILITATOR_ID, "set_projector", focus={"kind": "exchange", "id": "x"}).code == "bad_request"
    flagship = Workshop()
    for kind in ("quotes", "exchange"):
        assert flagship.refuse(FACILITATOR_ID, "set_projector", focus={"kind": kind}).code == "bad_request"
        assert troc.refuse(FACILITATOR_ID, "follow", focus={"kind": kind}).code == "bad_request"
