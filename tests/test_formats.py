"""Formats: the packaged Atelier Compétences format against its seed, and the loader's faults.

Rules: docs/spec.md, sections FMT and ATC (and VOTE1 for the vote defaults a board takes).
"""
import re
import unicodedata
from pathlib import Path

import pytest

from board.domain import FormatError, available_formats, load_format, parse_command, read_format
from board.domain.formats import GATED_COMMANDS
from domain_helpers import FORMAT_NAME, minimal_document, packaged_document

# The seed's lines these tests check, copied with their source named: a clone needs no other folder.
SEED = Path(__file__).resolve().parent / "data" / "seed-atelier-competences.txt"


def fold(text):
    """Text compared case-insensitively, with one kind of apostrophe and of space."""
    text = unicodedata.normalize("NFC", text).replace("'", "’")
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.fixture(scope="module")
def seed():
    """The French source of the format."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fmt():
    """The packaged format, loaded."""
    return read_format(FORMAT_NAME)


def fault(document):
    """Load a document that must fail; return the FormatError."""
    with pytest.raises(FormatError) as caught:
        load_format(document)
    return caught.value


# -- the packaged format (FMT1, ATC1-4)

def test_the_packaged_format_is_listed_and_loads(fmt):
    """FMT1."""
    assert FORMAT_NAME in available_formats()
    assert fmt.id == FORMAT_NAME
    assert fmt.document["id"] == FORMAT_NAME


def test_an_unknown_format_name_fails_at_format():
    """FMT2."""
    for name in ("no-such-format", "../board/formats/atelier-competences", "Atelier-Competences"):
        with pytest.raises(FormatError) as caught:
            read_format(name)
        assert caught.value.path == "format"


def test_panorama_rows_are_the_socle_commun_and_the_seven_domains_of_the_seed(fmt, seed):
    """ATC1: seven domains plus the socle commun, each label found verbatim in the seed."""
    rows = fmt.document["panorama"]["rows"]
    announced = re.search(r"(\w+) domaines professionnels prioritaires", seed).group(1)
    assert announced == "sept" and len(rows) == 7 + 1
    for row in rows:
        assert fold(row["label"]["fr"]) in fold(seed), row["label"]["fr"]
    socle = [row for row in rows if fold(row["label"]["fr"]).startswith("socle commun")]
    assert len(socle) == 1


def test_panorama_columns_are_the_two_categories_of_the_seed(fmt, seed):
    """ATC1: the two categories are named in the seed's parenthesis, in its order."""
    named = re.search(r"2 catégories de compétences \(([^)]*)\)", seed).group(1)
    # The second category itself contains " et ": split only on the first.
    categories = [fold(part) for part in named.split(" et ", 1)]
    columns = [fold(c["label"]["fr"]) for c in fmt.document["panorama"]["columns"]]
    assert columns == categories
    assert columns == [fold("Techniques Métiers"), fold("Capacités d’évolution et d’interaction")]


def test_the_deck_area_is_labelled_as_the_seed_names_the_cards(fmt, seed):
    """ATC1."""
    deck = next(z for z in fmt.zones if z.kind == "deck")
    assert deck.id == fmt.deck_zone
    assert fold(deck.label["fr"]) == fold("Cartes Compétences")
    assert fold(deck.label["fr"]) in fold(seed)


def test_the_deck_has_as_many_distinct_valid_cards_as_the_seed_announces(fmt, seed):
    """ATC2: 62 cards, distinct ids and texts, each a valid card text."""
    announced = int(re.search(r"des (\d+) Cartes Compétences", seed).group(1))
    assert announced == 62
    assert len(fmt.document["deck"]) == len(fmt.deck) == announced
    assert len({card["id"] for card in fmt.deck}) == announced
    assert len({fold(card["text"]) for card in fmt.deck}) == announced
    for card in fmt.deck:
        # The same text must be writable as a card by a participant.
        command = parse_command("create_card", {"kind": "new", "text": card["text"], "zone_id": "parking",
                                                "x": 0, "y": 0})
        assert command.text == card["text"]


def test_every_deck_card_has_a_description_and_a_domain_that_is_a_panorama_row(fmt):
    """ATC2."""
    rows = {row["id"] for row in fmt.document["panorama"]["rows"]}
    columns = {column["id"] for column in fmt.document["panorama"]["columns"]}
    for card in fmt.deck:
        assert card["description"].strip(), card["id"]
        assert card["description"] != card["text"], card["id"]
        assert card["domain"] in rows, card["id"]
        assert card["category"] in columns, card["id"]


def test_every_domain_gets_some_deck_cards(fmt):
    """ATC2: a deck that suggests every Panorama row, so no team starts with nothing."""
    suggested = {card["domain"] for card in fmt.deck}
    assert suggested == {row["id"] for row in fmt.document["panorama"]["rows"]}


def test_the_four_sequences_follow_the_seed(fmt, seed):
    """ATC3: discovery reads, placement moves, completing writes, must-haves opens the vote alone."""
    announced = int(re.search(r"en (\d+) séquences", seed).group(1))
    assert len(fmt.sequences) == announced == 4
    card_commands = {"move_card", "create_card", "edit_card", "delete_card"}
    discovery, placement, completing, must_haves = (set(s.allows) for s in fmt.sequences)
    assert not discovery & card_commands
    assert "move_card" in placement and "create_card" not in placement
    assert {"move_card", "create_card", "edit_card", "delete_card"} <= completing
    assert not must_haves & card_commands
    assert must_haves == {"vote"}
    assert "vote" not in discovery | placement | completing


def test_the_vote_defaults_are_5_dots_and_2_per_card(fmt):
    """ATC5."""
    assert fmt.document["vote"] == {"budget": 5, "per_card": 2}


def test_the_instruction_of_discovery_gives_the_deck_size(fmt):
    """ATC2, ATC3: what participants read matches the deck they get."""
    instruction = fmt.sequences[0].instruction
    assert str(len(fmt.deck)) in instruction["fr"] and str(len(fmt.deck)) in instruction["en"]


def test_the_definition_of_competence_is_the_seeds(fmt, seed):
    """ATC4: the line after the seed's 'qu’est-ce qu’une Compétence ?'."""
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    heading = next(i for i, line in enumerate(lines) if "qu’est-ce qu’une compétence" in fold(line))
    definition = _definition(fmt, "Compétence")
    assert fold(definition["text"]["fr"]) == fold(lines[heading + 1])


def test_the_definition_of_macro_competence_is_the_seeds(fmt, seed):
    """ATC4: the text after the seed's 'Macro-compétence :'."""
    line = next(line for line in seed.splitlines() if fold(line).startswith("macro-compétence"))
    term, text = (part.strip() for part in line.split(":", 1))
    definition = _definition(fmt, "Macro-compétence")
    assert fold(definition["term"]["fr"]) == fold(term)
    assert fold(definition["text"]["fr"]) == fold(text)


def _definition(fmt, term):
    matches = [d for d in fmt.document["definitions"] if fold(d["term"]["fr"]) == fold(term)]
    assert len(matches) == 1, term
    assert matches[0]["text"]["en"].strip()
    return matches[0]


# -- zones (FMT3, FMT4)

def test_zones_are_one_cell_per_row_and_column_then_the_areas_in_order():
    """FMT3."""
    fmt = load_format(minimal_document())
    assert [(z.id, z.kind, z.row, z.column) for z in fmt.zones] == [
        ("r1/c1", "cell", "r1", "c1"), ("r2/c1", "cell", "r2", "c1"),
        ("deck", "deck", None, None), ("free", "free", None, None)]
    assert fmt.deck_zone == "deck"


def test_the_packaged_format_has_a_cell_for_each_domain_and_category(fmt):
    """FMT3."""
    cells = {z.id for z in fmt.zones if z.kind == "cell"}
    rows = [row["id"] for row in fmt.document["panorama"]["rows"]]
    columns = [column["id"] for column in fmt.document["panorama"]["columns"]]
    assert cells == {f"{r}/{c}" for r in rows for c in columns}
    assert len(cells) == 16


def test_a_format_without_a_deck_area_fails_at_areas():
    """FMT4."""
    document = minimal_document()
    document["areas"] = [a for a in document["areas"] if a["kind"] != "deck"]
    assert fault(document).path == "areas"


def test_a_format_with_two_deck_areas_fails_at_areas():
    """FMT4."""
    document = minimal_document()
    document["areas"][1]["kind"] = "deck"
    assert fault(document).path == "areas"


def test_an_unknown_area_kind_fails_at_that_areas_kind():
    """FMT4."""
    document = minimal_document()
    document["areas"][1]["kind"] = "table"
    assert fault(document).path == "areas[1].kind"


# -- ids (FMT5, FMT6)

@pytest.mark.parametrize("where, path", [
    (lambda d: d, "id"),
    (lambda d: d["panorama"]["rows"][1], "panorama.rows[1].id"),
    (lambda d: d["panorama"]["columns"][0], "panorama.columns[0].id"),
    (lambda d: d["areas"][1], "areas[1].id"),
    (lambda d: d["sequences"][1], "sequences[1].id"),
    (lambda d: d["deck"][1], "deck[1].id"),
])
@pytest.mark.parametrize("bad", ["Upper", "with space", "", "-dash-first", "x" * 41, 7, None])
def test_a_bad_id_fails_at_its_own_path(where, path, bad):
    """FMT5."""
    document = minimal_document()
    where(document)["id"] = bad
    assert fault(document).path == path


@pytest.mark.parametrize("where, path", [
    (lambda d: d, "id"),
    (lambda d: d["areas"][1], "areas[1].id"),
    (lambda d: d["deck"][0], "deck[0].id"),
])
def test_an_id_ending_in_a_newline_fails_at_its_own_path(where, path):
    """FMT5: the whole value must be an id; a trailing line break is not let through."""
    document = minimal_document()
    where(document)["id"] += "\n"
    assert fault(document).path == path


def test_a_format_name_ending_in_a_newline_is_unknown():
    """FMT2, FMT5."""
    with pytest.raises(FormatError) as caught:
        read_format(FORMAT_NAME + "\n")
    assert caught.value.path == "format"


def test_a_missing_id_fails_at_its_own_path():
    """FMT5."""
    document = minimal_document()
    del document["deck"][0]["id"]
    assert fault(document).path == "deck[0].id"


def test_ids_of_40_characters_with_digits_dashes_and_underscores_are_accepted():
    """FMT5."""
    document = minimal_document()
    document["deck"][1]["id"] = "0" + "a-b_c" * 7 + "x" * 4
    assert len(document["deck"][1]["id"]) == 40
    assert load_format(document).deck[1]["id"] == document["deck"][1]["id"]


@pytest.mark.parametrize("listing, path", [
    (lambda d: d["panorama"]["rows"], "panorama.rows"),
    (lambda d: d["panorama"]["columns"], "panorama.columns"),
    (lambda d: d["areas"], "areas"),
    (lambda d: d["sequences"], "sequences"),
    (lambda d: d["deck"], "deck"),
])
def test_a_duplicate_id_fails_at_the_lists_path(listing, path):
    """FMT6."""
    document = minimal_document()
    items = listing(document)
    copy = {**items[0]}
    if "text" in copy:  # keep deck texts distinct so the id is what clashes
        copy["text"] = "Autre texte"
    if path == "areas":
        copy["kind"] = "free"
    items.append(copy)
    error = fault(document)
    assert error.path == path
    assert "duplicate id" in str(error)


# -- labels (FMT7)

@pytest.mark.parametrize("where, key, path", [
    (lambda d: d, "name", "name"),
    (lambda d: d["panorama"]["rows"][0], "label", "panorama.rows[0].label"),
    (lambda d: d["panorama"]["columns"][0], "label", "panorama.columns[0].label"),
    (lambda d: d["areas"][0], "label", "areas[0].label"),
    (lambda d: d["sequences"][1], "name", "sequences[1].name"),
    (lambda d: d["sequences"][0], "instruction", "sequences[0].instruction"),
    (lambda d: d["definitions"][0], "term", "definitions[0].term"),
    (lambda d: d["definitions"][0], "text", "definitions[0].text"),
])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_label_missing_a_language_fails_at_that_language(where, key, path, language):
    """FMT7."""
    document = minimal_document()
    del where(document)[key][language]
    assert fault(document).path == f"{path}.{language}"


def test_a_blank_label_fails_at_that_language():
    """FMT7."""
    document = minimal_document()
    document["panorama"]["rows"][1]["label"]["en"] = "   "
    assert fault(document).path == "panorama.rows[1].label.en"


def test_a_missing_label_fails_at_the_label():
    """FMT7."""
    document = minimal_document()
    del document["areas"][1]["label"]
    assert fault(document).path == "areas[1].label"


# -- sequences (FMT8)

def test_a_format_with_no_sequence_fails_at_sequences():
    """FMT8."""
    document = minimal_document()
    document["sequences"] = []
    assert fault(document).path == "sequences"


@pytest.mark.parametrize("command", ["create_team", "set_sequence", "join", "open_vote", "configure_vote",
                                     "split_teams", "VOTE", "MOVE_CARD"])
def test_a_sequence_allowing_an_unknown_or_ungated_command_fails_at_that_entry(command):
    """FMT8."""
    document = minimal_document()
    document["sequences"][1]["allows"][2] = command
    assert fault(document).path == "sequences[1].allows[2]"


def test_a_sequence_may_allow_each_gated_command():
    """FMT8: the vote included."""
    document = minimal_document()
    document["sequences"][0]["allows"] = list(GATED_COMMANDS)
    assert load_format(document).sequences[0].allows == tuple(GATED_COMMANDS)
    assert set(GATED_COMMANDS) == {"join_team", "move_card", "create_card", "edit_card", "delete_card", "vote", "add_note",
                                   "rate_card", "mark_card", "create_zone", "rename_zone", "delete_zone", "link_card",
                                   "answer_evaluation"}


# -- vote defaults (FMT13)

@pytest.mark.parametrize("vote", [{"budget": 1, "per_card": 1}, {"budget": 50, "per_card": 10}, {"budget": 7},
                                  {"per_card": 3}, {}])
def test_a_format_may_set_the_vote_defaults_in_range(vote):
    """FMT13."""
    document = minimal_document()
    document["vote"] = vote
    assert load_format(document).document["vote"] == vote


@pytest.mark.parametrize("vote, path", [
    ([], "vote"), ("5", "vote"), (None, "vote"),
    ({"budget": 0}, "vote.budget"), ({"budget": 51}, "vote.budget"), ({"budget": "5"}, "vote.budget"),
    ({"budget": 5.0}, "vote.budget"), ({"budget": True}, "vote.budget"), ({"budget": None}, "vote.budget"),
    ({"per_card": 0}, "vote.per_card"), ({"per_card": 11}, "vote.per_card"), ({"per_card": [2]}, "vote.per_card"),
])
def test_a_vote_default_out_of_range_or_not_a_whole_number_fails_at_its_path(vote, path):
    """FMT13: a board must never start with a vote it cannot count."""
    document = minimal_document()
    document["vote"] = vote
    assert fault(document).path == path


# -- deck cards (FMT9, FMT10)

def test_a_deck_card_with_an_unknown_domain_fails_at_its_domain():
    """FMT9: the brief's own example, on the packaged deck."""
    document = packaged_document()
    document["deck"][3]["domain"] = "astronomie"
    assert fault(document).path == "deck[3].domain"


def test_a_deck_card_with_an_unknown_category_fails_at_its_category():
    """FMT9."""
    document = packaged_document()
    document["deck"][10]["category"] = "socle"  # a row id, not a column id
    assert fault(document).path == "deck[10].category"


@pytest.mark.parametrize("text", ["", "   ", None, 12, "x" * 281])
def test_a_deck_card_with_a_bad_text_fails_at_its_text(text):
    """FMT9."""
    document = minimal_document()
    document["deck"][1]["text"] = text
    assert fault(document).path == "deck[1].text"


def test_a_deck_card_text_is_trimmed_and_may_be_280_characters():
    """FMT9."""
    document = minimal_document()
    document["deck"][1]["text"] = "  " + "x" * 280 + "  "
    assert load_format(document).deck[1]["text"] == "x" * 280


@pytest.mark.parametrize("description", ["x" * 1001, 3, ["a"]])
def test_a_deck_card_with_a_bad_description_fails_at_its_description(description):
    """FMT9."""
    document = minimal_document()
    document["deck"][0]["description"] = description
    assert fault(document).path == "deck[0].description"


def test_a_deck_card_needs_no_description_domain_or_category():
    """FMT9."""
    card = load_format(minimal_document()).deck[1]
    assert (card["description"], card["domain"], card["category"]) == ("", None, None)


def test_two_deck_cards_with_the_same_text_ignoring_case_fail_at_deck():
    """FMT10."""
    document = minimal_document()
    document["deck"][1]["text"] = "  PREMIER "
    error = fault(document)
    assert error.path == "deck"
    assert "duplicate text" in str(error)


# -- types (FMT11, FMT12)

@pytest.mark.parametrize("change, path", [
    # Without a Panorama, the deck's row names nothing (FMT9) and only the deck is left to hold cards (FMT16).
    (lambda d: d.pop("panorama"), "deck[0].domain"),
    (lambda d: (d.pop("panorama"), d["areas"].pop(1), d["deck"][0].pop("domain"), d["deck"][0].pop("category")),
     "panorama"),
    (lambda d: d.__setitem__("panorama", ["rows"]), "panorama"),
    (lambda d: d["panorama"].__setitem__("rows", {"id": "r1"}), "panorama.rows"),
    (lambda d: d["panorama"].__setitem__("rows", []), "panorama.rows"),
    (lambda d: d["panorama"].pop("columns"), "panorama.columns"),
    (lambda d: d["panorama"]["rows"].__setitem__(1, "r2"), "panorama.rows[1]"),
    (lambda d: d.__setitem__("areas", {}), "areas"),
    (lambda d: d["areas"].__setitem__(0, None), "areas[0]"),
    (lambda d: d.__setitem__("sequences", "s1"), "sequences"),
    (lambda d: d["sequences"].__setitem__(1, []), "sequences[1]"),
    (lambda d: d["sequences"][0].__setitem__("allows", "move_card"), "sequences[0].allows"),
    (lambda d: d["sequences"][0].pop("allows"), "sequences[0].allows"),
    (lambda d: d.__setitem__("definitions", {}), "definitions"),
    (lambda d: d["definitions"].__setitem__(0, "Mot"), "definitions[0]"),
    (lambda d: d.__setitem__("deck", {}), "deck"),
    (lambda d: d["deck"].__setitem__(1, "Second"), "deck[1]"),
    (lambda d: d.__setitem__("name", "Mini"), "name"),
    (lambda d: d["sequences"][1].__setitem__("instruction", ["fr", "en"]), "sequences[1].instruction"),
])
def test_a_field_of_the_wrong_type_or_missing_fails_at_its_path(change, path):
    """FMT11."""
    document = minimal_document()
    change(document)
    assert fault(document).path == path


@pytest.mark.parametrize("document", [None, [], "format", 3])
def test_a_document_that_is_not_an_object_fails_at_format(document):
    """FMT11."""
    assert fault(document).path == "format"


def test_definitions_may_be_left_out():
    """FMT11: definitions are the one optional list."""
    document = minimal_document()
    del document["definitions"]
    assert load_format(document).id == "mini"


def test_a_format_error_is_a_value_error_whose_message_starts_with_its_path():
    """FMT12."""
    document = minimal_document()
    document["deck"][0]["domain"] = "r9"
    error = fault(document)
    assert isinstance(error, ValueError)
    assert error.path == "deck[0].domain"
    assert str(error).startswith("deck[0].domain: ")
    assert "r9" in str(error)
