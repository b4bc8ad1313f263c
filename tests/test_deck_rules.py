"""The deck import's rules (docs/spec.md DECK1-DECK10), in the domain core: decide and evolve only."""
from board.domain import replay
from board.domain.deck import check_rows, outcome
from domain_helpers import FACILITATOR_ID, Workshop


def row(line, text, description="", domain="", category=""):
    return {"line": line, "text": text, "description": description, "domain": domain, "category": category}


def deck_cards(w):
    """(text, description, domain, category) of the cards in the deck zone, in deck order."""
    cards = sorted(w.cards_in("deck"), key=lambda c: c["z"])
    return [(c["text"], c["description"], c["domain"], c["category"]) for c in cards]


def test_deck1_only_the_facilitator_imports_and_only_before_or_during_the_first_sequence():
    w = Workshop()
    w.join("p1")
    assert w.refuse("p1", "import_deck", mode="add", cards=[row(2, "Souder")]).code == "forbidden"
    assert w.refuse("proj", "import_deck", mode="add", cards=[row(2, "Souder")]).code == "forbidden"
    w.go_to("placement")
    refusal = w.refuse(FACILITATOR_ID, "import_deck", mode="add", cards=[row(2, "Souder")])
    assert refusal.code == "sequence_closed"
    assert "sequence 1 (Discovery)" in refusal.message and "sequence 2 (Placement)" in refusal.message
    w.go_to("decouverte")
    w.accept(FACILITATOR_ID, "import_deck", mode="add", cards=[row(2, "Souder")])


def test_deck2_rows_of_another_shape_or_too_many_are_refused():
    w = Workshop()
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="add", cards=[{"title": "x"}]).code == "bad_request"
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="add", cards=[row(0, "x")]).code == "bad_request"
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="add", cards=[{"line": 2, "text": 7}]).code == "bad_request"
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="merge", cards=[row(2, "x")]).code == "bad_request"
    many = [row(n, f"Carte {n}") for n in range(2, 1003)]
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="replace", cards=many).code == "too_large"


def test_deck3_each_bad_line_is_skipped_with_its_line_and_reason_the_good_ones_imported_exactly():
    w = Workshop()
    rows = [row(2, "  Souder des tubes ", " À froid. ", "Maintenance", "Techniques Métiers"),
            row(3, "   "),
            row(4, "x" * 281),
            row(5, "Décrire", "d" * 1001),
            row(6, "Gérer", domain="Maintenence"),
            row(7, "Former", domain="management", category="Technique métier"),
            row(8, "SOUDER  des tubes"),
            row(9, "comprendre le systeme electrique et gazier"),
            row(10, "Rédiger", category="capacites")]
    event = w.accept(FACILITATOR_ID, "import_deck", mode="add", cards=rows)
    assert [(c["text"], c["description"], c["domain"], c["category"]) for c in event.data["cards"]] == [
        ("Souder des tubes", "À froid.", "maintenance", "techniques"), ("Rédiger", "", None, "capacites")]
    assert event.data["skipped"] == 7
    # After the import, line 2 is in the deck too: what matters is what the preview said before it.
    before = replay(w.events[:-1])
    _, problems = check_rows(before, rows, "add")
    assert [(p["line"], p["code"]) for p in problems] == [
        (3, "empty_title"), (4, "title_too_long"), (5, "description_too_long"), (6, "unknown_domain"),
        (7, "unknown_category"), (8, "duplicate_in_file"), (9, "duplicate_in_deck")]
    assert problems[5]["first_line"] == 2 and problems[6]["card_id"] == "d01"


def test_deck4_names_in_either_language_any_case_or_accents_and_the_closest_match_suggested():
    w = Workshop()
    rows = [row(2, "A", domain="INGÉNIERIE ET R&D", category="Trade techniques"),
            row(3, "B", domain="Socle commun", category="capacités d'évolution et d'interaction"),
            row(4, "C", domain="donnees_si", category="CAPACITES"),
            row(5, "D", domain="Engineering and R&D"),
            row(6, "E", domain="Maintenence"),
            row(7, "F", domain="Astronomie"),
            row(8, "G", category="Techniques metier")]
    cards, problems = check_rows(w.board, rows, "add")
    assert [(c["domain"], c["category"]) for c in cards] == [
        ("ingenierie", "techniques"), ("socle", "capacites"), ("donnees_si", "capacites"), ("ingenierie", None)]
    by_line = {p["line"]: p for p in problems}
    assert by_line[6]["suggestion"] == {"id": "maintenance", "label": {"fr": "Maintenance", "en": "Maintenance"}}
    assert by_line[6]["value"] == "Maintenence"
    assert by_line[7]["code"] == "unknown_domain" and by_line[7]["suggestion"] is None
    assert by_line[8]["code"] == "unknown_category" and by_line[8]["suggestion"]["id"] == "techniques"


def test_deck5_replace_takes_out_the_cards_still_in_the_deck_and_keeps_the_placed_ones():
    w = Workshop()
    w.go_to("placement")
    w.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id="socle/techniques", x=0.5, y=0.5)
    w.go_to("decouverte")
    placed_text = w.card("d01")["text"]
    rows = [row(2, "Nouvelle carte"), row(3, placed_text.upper())]
    preview = outcome(w.board, rows, "replace")
    assert preview["deck"] == {"in_deck": 61, "placed": 1, "removed": 61, "after": 2}
    assert [p["code"] for p in preview["problems"]] == ["duplicate_in_deck"]  # the placed card stays
    event = w.accept(FACILITATOR_ID, "import_deck", mode="replace", cards=rows)
    assert len(event.data["removed"]) == 61 and "d01" not in event.data["removed"]
    assert w.card("d01")["zone"] == "socle/techniques"
    assert deck_cards(w) == [("Nouvelle carte", "", None, None)]
    assert sum(1 for c in w.board.cards.values() if c.kind == "deck") == 2


def test_deck5_add_keeps_every_card_and_puts_the_new_ones_after():
    w = Workshop()
    w.accept(FACILITATOR_ID, "import_deck", mode="add", cards=[row(2, "Un"), row(3, "Deux")])
    cards = deck_cards(w)
    assert len(cards) == 64 and [c[0] for c in cards[-2:]] == ["Un", "Deux"]


def test_deck6_ids_and_order_of_the_new_cards():
    w = Workshop()
    event = w.accept(FACILITATOR_ID, "import_deck", mode="replace",
                     cards=[row(n, f"Carte {n}") for n in range(2, 14)])
    version = event.version
    assert [c["id"] for c in event.data["cards"]] == [f"k{version}-{n}" for n in range(1, 13)]
    assert [c["z"] for c in event.data["cards"]] == list(range(1, 13))
    assert [c[0] for c in deck_cards(w)] == [f"Carte {n}" for n in range(2, 14)]


def test_deck7_an_import_where_no_line_passes_changes_nothing():
    w = Workshop()
    refusal = w.refuse(FACILITATOR_ID, "import_deck", mode="replace", cards=[row(2, ""), row(3, "x" * 300)])
    assert refusal.code == "bad_request"
    assert len(w.cards_in("deck")) == 62


def test_deck8_the_deck_holds_at_most_1000_cards():
    w = Workshop()
    many = [row(n, f"Carte {n}") for n in range(2, 1002)]  # 1000 rows
    assert w.refuse(FACILITATOR_ID, "import_deck", mode="add", cards=many).code == "too_large"
    w.accept(FACILITATOR_ID, "import_deck", mode="replace", cards=many)
    assert len(w.cards_in("deck")) == 1000


def test_deck9_one_event_every_member_receives_and_the_log_rebuilds_the_deck():
    w = Workshop()
    w.join("p1")
    w.watch("p1", "proj")
    event = w.accept(FACILITATOR_ID, "import_deck", mode="replace", cards=[row(2, "Souder", "À l’arc", "maintenance")])
    assert set(event.data) == {"mode", "removed", "cards", "skipped"}
    for member in ("p1", "proj"):
        received = w.inbox[member]
        assert [e["type"] for e in received] == ["deck_imported"]
        assert received[0]["data"]["cards"][0]["text"] == "Souder"
    assert replay(w.events).to_dict() == w.board.to_dict()


def test_deck10_the_preview_says_what_the_import_would_do_and_why_it_would_be_refused():
    w = Workshop()
    rows = [row(2, "Souder"), row(3, "")]
    preview = outcome(w.board, rows, "add")
    assert preview["refusal"] is None and [c["text"] for c in preview["cards"]] == ["Souder"]
    assert preview["deck"] == {"in_deck": 62, "placed": 0, "removed": 0, "after": 63}
    assert outcome(w.board, [row(3, "")], "add")["refusal"].code == "bad_request"
    w.go_to("placement")
    assert outcome(w.board, rows, "add")["refusal"].code == "sequence_closed"
    assert len(w.board.cards) == 62  # the preview changed nothing


def test_deck5_a_card_voted_on_then_put_back_in_the_deck_gives_its_dots_back_when_replaced():
    w = Workshop()
    w.join("p1")
    w.go_to("incontournables")
    w.accept(FACILITATOR_ID, "move_card", card_id="d05", zone_id="socle/techniques", x=0.5, y=0.5)
    w.accept(FACILITATOR_ID, "open_vote")
    w.accept("p1", "vote", card_id="d05", delta=1)
    w.accept(FACILITATOR_ID, "close_vote")
    w.accept(FACILITATOR_ID, "move_card", card_id="d05", zone_id="deck", x=0, y=0)
    w.go_to("decouverte")
    event = w.accept(FACILITATOR_ID, "import_deck", mode="replace", cards=[row(2, "Neuve")])
    assert "d05" in event.data["removed"]
    assert w.board.vote.totals() == {} and w.board.vote.used("p1") == 0
    assert replay(w.events).to_dict() == w.board.to_dict()
