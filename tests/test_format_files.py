"""Formats as data files: the loader's new refusals, the documentation of every field it accepts, the
packaged formats, a format file a facilitator wrote, and each packaged format played end to end.

Rules: docs/spec.md FMT16-FMT22; the file format: docs/formats.md.
"""
import copy
import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import requests

from board.domain import FormatError, available_formats, load_format, read_format
from board.export import TEXT_MARKER
from board.domain.formats import AREA_KINDS, ENTRY_FIELDS, FIELDS, GATED_COMMANDS
from conftest import join
from realtime import BoardClient

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats.md"
EXAMPLE = Path(__file__).resolve().parent / "data" / "formats" / "formats.json"
PACKAGED = ("atelier-competences", "cartographie-facteurs", "troc-competences", "rencontre-prospective")


def example():
    """The small format of docs/formats.md: no Panorama, a deck, a canvas and a parking area."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def fault(document):
    with pytest.raises(FormatError) as caught:
        load_format(document)
    return caught.value


# -- the loader: what a format without a Panorama or a deck is, and each new kind of bad file

def test_a_format_without_a_panorama_has_only_its_areas_and_a_canvas_is_an_area_kind():
    """FMT16, FMT4: no cell zone; the areas in order, the canvas among them."""
    fmt = load_format(example())
    assert "canvas" in AREA_KINDS
    assert [(zone.id, zone.kind) for zone in fmt.zones] == [("deck", "deck"), ("tri", "canvas"), ("parking", "free")]
    assert fmt.rows == [] and fmt.columns == []
    assert [card["text"] for card in fmt.deck] == ["Un café commun le lundi", "Des binômes de nouveaux arrivants",
                                                    "Un tableau des compétences de chacun"]


def test_a_format_without_a_deck_starts_with_an_empty_deck():
    """FMT20."""
    document = example()
    del document["deck"]
    assert load_format(document).deck == ()


def _without_places(d):
    d["areas"] = [d["areas"][0]]


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d.__setitem__("colour", "#ff0000"), "colour", "is not a field of a format"),
    (lambda d: d.__setitem__("Sequences", []), "Sequences", "is not a field of a format"),
    (lambda d: d["sequences"][1].__setitem__("timer_minute", 5), "sequences[1].timer_minute", "is not a field here"),
    (lambda d: d["areas"][2].__setitem__("colour", "red"), "areas[2].colour", "is not a field here"),
    (lambda d: d["deck"][0].__setitem__("auteur", "Ana"), "deck[0].auteur", "is not a field here"),
    (lambda d: d["vote"].__setitem__("dots", 3), "vote.dots", "is not a field here"),
    (lambda d: d["definitions"][0].__setitem__("texte", {}), "definitions[0].texte", "is not a field here"),
    (lambda d: d["areas"][1].__setitem__("kind", "wall"), "areas[1].kind", "canvas"),
    (_without_places, "panorama", "is needed when no area other than the deck"),
    (lambda d: d["areas"][0].__setitem__("id", "pioche"), "areas[0].id", "the deck area's id must be 'deck'"),
    (lambda d: d.__setitem__("summary", "Trier"), "summary", "must be an object"),
    (lambda d: d["summary"].__setitem__("en", "x" * 201), "summary.en", "at most 200 characters"),
    (lambda d: d["summary"].pop("fr"), "summary.fr", "non-empty text"),
    (lambda d: d["deck"][1].__setitem__("domain", "socle"), "deck[1].domain", "unknown Panorama row"),
    (lambda d: d["sequences"][0]["allows"].append("dance"), "sequences[0].allows[5]", "unknown command 'dance'"),
    (lambda d: d["sequences"][0].__setitem__("timer_minutes", 0), "sequences[0].timer_minutes", "from 1 to 240"),
    (lambda d: d["sequences"][1].__setitem__("done", "room"), "sequences[1].done", "participant, team"),
    (lambda d: d.__setitem__("panorama", {"rows": [{"id": "r", "label": {"fr": "R", "en": "R"}}],
                                          "columns": [{"id": "c", "label": {"fr": "C", "en": "C"}, "short": {}}]}),
     "panorama.columns[0].short", "is not a field here"),
    (lambda d: d.__setitem__("panorama", {"rows": [], "columns": [], "cells": []}), "panorama.cells", "is not a field here"),
], ids=["unknown top-level field", "top-level field with a capital", "unknown sequence field", "unknown area field",
        "unknown deck card field", "unknown vote field", "unknown definition field", "unknown area kind",
        "no place for cards", "deck area not named deck", "summary not a label", "summary too long",
        "summary without French", "domain without a panorama", "unknown gated command", "timer of zero",
        "unknown done unit", "unknown column field", "unknown panorama field"])
def test_the_loader_refuses_each_kind_of_bad_format_naming_the_field(change, path, words):
    """FMT17, FMT16, FMT18, FMT19, FMT4, FMT8, FMT9, FMT14: the path first in the message, then the reason."""
    document = example()
    change(document)
    error = fault(document)
    assert error.path == path
    assert str(error).startswith(f"{path}: ")
    assert words in str(error)


def test_an_unknown_field_is_refused_with_the_fields_that_are_known():
    """FMT17: the facilitator who typed 'timer_minute' reads the right name."""
    document = example()
    document["sequences"][0]["timer_minute"] = 3
    assert "timer_minutes" in str(fault(document))
    document = example()
    document["sumary"] = document.pop("summary")
    assert "summary" in str(fault(document)).split(": ", 1)[1]


# -- docs/formats.md documents every field the loader accepts

def _section(text, heading_field):
    """The lines of docs/formats.md from the heading naming `heading_field` to the next heading."""
    match = re.search(rf"^#+ `{re.escape(heading_field)}`\s*$(.*?)(?=^#)", text + "\n#", re.M | re.S)
    assert match, f"docs/formats.md has no section headed `{heading_field}`"
    return match.group(1)


def test_every_field_the_loader_accepts_is_documented_with_its_type():
    """FMT17: the loader's own lists (formats.FIELDS from FIELD_CHECKS, formats.ENTRY_FIELDS), each field a
    table row of docs/formats.md (or a section of its own) that gives a type and a meaning."""
    text = DOC.read_text(encoding="utf-8")
    for name in FIELDS:
        row = re.search(rf"^\| `{re.escape(name)}` \|([^|\n]+)\|([^|\n]*)\|([^|\n]+)\|", text, re.M)
        assert row or re.search(rf"^#+ .*`{re.escape(name)}`", text, re.M), f"top-level field {name!r} undocumented"
        if row:
            assert row.group(1).strip() and len(row.group(3).strip()) > 10, name
    for where, names in ENTRY_FIELDS.items():
        section = _section(text, where)
        for name in names:
            assert re.search(rf"^\| `{re.escape(name)}` \|[^|\n]+\|", section, re.M), f"{where}.{name} undocumented"


def test_the_example_of_the_documentation_is_a_format_that_loads():
    """docs/formats.md's full small example is the test data file, and it loads."""
    block = re.search(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    assert json.loads(block) == example()
    assert load_format(json.loads(block)).id == "tri-idees"


def test_every_gated_command_and_area_kind_is_named_in_the_documentation():
    text = DOC.read_text(encoding="utf-8")
    for name in (*GATED_COMMANDS, *AREA_KINDS):
        assert f"`{name}`" in text, name


# -- the packaged formats

def test_the_four_formats_are_packaged_and_load_with_both_languages():
    """FMT22, FMT18: each with a summary, instructions in French and English."""
    assert set(PACKAGED) <= set(available_formats())
    for name in PACKAGED:
        fmt = read_format(name)
        assert fmt.id == name
        assert 0 < len(fmt.document["summary"]["fr"]) <= 200 and fmt.document["summary"]["en"]
        for sequence in fmt.sequences:
            assert sequence.instruction["fr"] != sequence.instruction["en"]
            assert set(sequence.allows) <= set(GATED_COMMANDS)


def test_the_factors_map_deals_about_fifty_distinct_factors_each_with_a_line_of_description():
    """Seed 002: 'la cinquantaine de facteurs macro-déterminants et signaux faibles'."""
    fmt = read_format("cartographie-facteurs")
    assert 45 <= len(fmt.deck) <= 55
    assert len({card["text"].casefold() for card in fmt.deck}) == len(fmt.deck)
    for card in fmt.deck:
        assert len(card["text"]) <= 60 and 20 <= len(card["description"]) <= 140, card
    assert [s.id for s in fmt.sequences] == ["partage", "familles", "mots-cles", "facteurs-cles", "effets", "themes"]
    assert "canvas" in {zone.kind for zone in fmt.zones}


def test_the_troc_has_no_deck_and_starts_with_writing_ones_own_competences():
    """Seed 004: participants answer 'Quelles sont vos compétences ?' on their own post-its."""
    fmt = read_format("troc-competences")
    assert "deck" not in fmt.document and fmt.deck == ()
    assert [s.id for s in fmt.sequences] == ["mes-competences", "familles", "savoirs", "echange"]
    assert "create_card" in fmt.sequences[0].allows
    assert "quelles sont vos compétences" in fmt.sequences[0].instruction["fr"].casefold()


def test_the_prospective_files_cards_under_the_four_themes_of_its_seed():
    """Seed 001: four themes, each an area cards are filed under."""
    fmt = read_format("rencontre-prospective")
    themes = [zone for zone in fmt.zones if zone.kind == "free"]
    assert len(themes) == 4
    assert [s.id for s in fmt.sequences] == ["interventions", "captation", "competences"]


# -- a format file a facilitator wrote, over HTTP

def boards(base_url):
    return requests.get(base_url + "/healthz", timeout=5).json()["boards"]


def test_a_format_file_creates_a_workshop_with_its_deck_and_areas(server):
    """FMT21: the JSON body; the new board has the format's areas, deck, sequences and vote defaults."""
    created = requests.post(server.url + "/workshops/format", json=example(), timeout=10)
    assert created.status_code == 201, created.text
    token = created.json()["facilitator_url"].rsplit("/", 1)[1]
    board = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert board["format"]["id"] == "tri-idees" and "panorama" not in board["format"]
    assert [zone["id"] for zone in board["zones"]] == ["deck", "tri", "parking"]
    deck = sorted((card for card in board["cards"] if card["zone"] == "deck"), key=lambda card: card["z"])
    assert [card["text"] for card in deck] == [card["text"] for card in example()["deck"]]
    assert board["vote"]["budget"] == 3 and board["details"]["title"] == "Tri d’idées"


def test_a_bad_format_file_is_refused_with_its_field_and_reason_and_creates_nothing(server):
    """FMT21: the form gets /animer again with the field named; JSON gets the message; no board appears."""
    before = boards(server.url)
    bad = example()
    bad["sequences"][1]["allows"] = ["vote", "dance"]
    page = requests.post(server.url + "/workshops/format", timeout=10,
                         files={"format_file": ("mon-format.json", json.dumps(bad).encode())})
    assert page.status_code == 400
    assert 'id="format-error"' in page.text
    assert "sequences[1].allows[1]: unknown command &#39;dance&#39;" in page.text
    answer = requests.post(server.url + "/workshops/format", json={**example(), "couleur": "rouge"}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("couleur: is not a field of a format")
    template = {"atelier": "template", "version": 1, "format": example()}
    assert requests.post(server.url + "/workshops/format", json=template, timeout=10).json()["message"] \
        .startswith("atelier: this is a workshop or template file")
    cut = requests.post(server.url + "/workshops/format", timeout=10,
                        files={"format_file": ("cut.json", json.dumps(example()).encode()[:200])})
    assert cut.status_code == 400 and "file: is not complete JSON" in cut.text
    assert boards(server.url) == before


# -- each packaged format played end to end by scripted clients, ending in its exports

def _ok(answer, what):
    assert answer.get("ok"), (what, answer)
    return answer


def _places(replica):
    """The zones cards may go to: every cell and area but the deck."""
    return [zone.id for zone in replica.zones.values() if zone.kind != "deck"]


def _in_deck(replica):
    return sorted((card for card in replica.cards.values() if card.zone == "deck"), key=lambda card: card.z)


def _on_board(replica, me=None):
    """Cards of their own on the board (not notes, not in the deck), placed or written by `me` when given."""
    return sorted((c for c in replica.cards.values() if c.zone != "deck" and c.parent is None
                   and not getattr(c, "hidden", False) and (me is None or me in (c.placed_by, c.author))), key=lambda c: c.id)


def play(base_url, links, people=4, used=None):
    """Walk every sequence of the board's format with a facilitator and `people` participants, doing in each
    what it allows (and checking one thing it does not allow is refused); return the texts of the cards
    that must be in the exports. `used` (a dict) collects what the format's own mechanisms made: the
    families, the notes, the ratings and kept cards, the marks and the quotes (issue 14)."""
    used = {} if used is None else used
    admin = links["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(base_url, admin)
    joined = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(people)]
    clients = [BoardClient(base_url, person["token"]) for person in joined]
    try:
        for name, colour in (("Rouge", "#aa0000"), ("Bleu", "#0000aa")):
            _ok(facilitator.command("create_team", {"name": name, "colour": colour}), "create_team")
        teams = sorted(facilitator.replica.teams)
        sequences = facilitator.replica.format.sequences
        expected, number = set(), 0
        for index, sequence in enumerate(sequences):
            if index:  # a board starts in its first sequence
                _ok(facilitator.command("set_sequence", {"index": index}), "set_sequence")
            allows = set(sequence.allows)
            places = _places(facilitator.replica)
            if "vote" in allows:
                _ok(facilitator.command("open_vote"), "open_vote")
            for step, client in enumerate(clients):
                number += 1
                place = places[(index + step) % len(places)]
                me = client.me["id"]
                if "join_team" in allows:
                    _ok(client.command("join_team", {"team_id": teams[step % 2]}), "join_team")
                if "move_card" in allows:
                    waiting = _in_deck(client.replica)
                    mine = [c for c in client.replica.cards.values() if c.author == me]
                    card = waiting[0] if waiting else mine[0] if mine else None
                    if card is not None:
                        _ok(client.command("move_card", {"card_id": card.id, "zone_id": place, "x": 0.5, "y": 0.5}),
                            f"move_card in {sequence.id}")
                        expected.add(card.text)
                if "create_card" in allows:
                    text = f"{sequence.name['fr']} : idée {number}"
                    card_id = f"c-{sequence.id}-{number}"
                    _ok(client.command("create_card", {"kind": "postit", "text": text, "zone_id": place, "x": 0.2,
                                                       "y": 0.2, "card_id": card_id}), f"create_card in {sequence.id}")
                    if "edit_card" in allows:
                        text += " (revue)"
                        _ok(client.command("edit_card", {"card_id": card_id, "text": text}), "edit_card")
                    expected.add(text)
                    if "delete_card" in allows:
                        _ok(client.command("create_card", {"kind": "postit", "text": "Brouillon", "zone_id": place,
                                                           "x": 0, "y": 0, "card_id": f"{card_id}-x"}), "draft")
                        _ok(client.command("delete_card", {"card_id": f"{card_id}-x"}), "delete_card")
                        assert f"{card_id}-x" not in facilitator.replica.cards or \
                            facilitator.wait_for(lambda: f"{card_id}-x" not in facilitator.replica.cards) is None
                else:
                    refused = client.command("create_card", {"kind": "postit", "text": "Hors séquence",
                                                             "zone_id": place, "x": 0, "y": 0})
                    assert not refused.get("ok"), f"{sequence.id} does not open writing: {refused}"
                _use_mechanisms(facilitator, client, allows, sequence.id, number, used)
                if "vote" in allows:
                    on_board = sorted(c.id for c in client.replica.cards.values() if c.zone != "deck")
                    assert on_board, "a vote needs cards on the board"
                    _ok(client.command("vote", {"card_id": on_board[step % len(on_board)], "delta": 1}), "vote")
            if "vote" in allows:
                _ok(facilitator.command("close_vote"), "close_vote")
                _ok(facilitator.command("reveal_results"), "reveal_results")
                assert facilitator.wait_for(lambda: facilitator.replica.vote.revealed) is None
        assert facilitator.replica.sequence == len(sequences) - 1
        return expected
    finally:
        for client in clients:
            client.close()
        facilitator.close()


def _use_mechanisms(facilitator, client, allows, sequence_id, number, used):
    """What a participant does with the commands a format's own fields open: make a family on the canvas,
    take a card they placed into it and rename it; note a card; rate one on both axes (and the facilitator
    keeps it); mark one; write a quote with its speaker."""
    document, me = client.replica.format.document, client.me["id"]
    canvas = next((z.id for z in client.replica.zones.values() if z.kind == "canvas"), None)
    if "create_zone" in allows and canvas:
        family, label = f"fam-{number}", f"Famille {number}"
        _ok(client.command("create_zone", {"zone_id": family, "area_id": canvas, "label": label,
                                           "x": round(0.05 + 0.2 * (number % 4), 2), "y": 0.1}), "create_zone")
        mine = [c for c in _on_board(client.replica, me) if c.zone == canvas]
        if mine:
            _ok(client.command("move_card", {"card_id": mine[0].id, "zone_id": family, "x": 0.5, "y": 0.5}),
                "move_card into a family")
            used.setdefault("grouped", {})[mine[0].id] = family
        label += " (renommée)"
        _ok(client.command("rename_zone", {"zone_id": family, "label": label}), "rename_zone")
        used.setdefault("families", {})[family] = label
    on_board = _on_board(client.replica)
    if "add_note" in allows and on_board:
        # Effects go on the key factors the facilitator kept (NOTE14): a kept card takes every kind.
        kept = [c for c in on_board if c.kept]
        card = kept[number % len(kept)] if kept else on_board[number % len(on_board)]
        kinds = [kind["id"] for kind in document["note_kinds"] if card.kept or not kind.get("kept_only")]
        text = f"Note {number}"
        _ok(client.command("create_card", {"kind": "postit", "text": text, "zone_id": card.zone, "x": 0, "y": 0,
                                           "parent": card.id, "note_kind": kinds[number % len(kinds)]}), "a note")
        used.setdefault("notes", {})[text] = card.id
    if "rate_card" in allows and on_board:
        card = on_board[number % len(on_board)]
        for axis in document["axes"]:
            _ok(client.command("rate_card", {"card_id": card.id, "axis": axis["id"], "value": axis["max"]}),
                "rate_card")
        _ok(facilitator.command("keep_card", {"card_id": card.id, "kept": True}), "keep_card")
        used.setdefault("rated", set()).add(card.id)
    if "mark_card" in allows and on_board:
        card = on_board[number % len(on_board)]
        mark = document["marks"][number % len(document["marks"])]["id"]
        _ok(client.command("mark_card", {"card_id": card.id, "mark": mark, "on": True}), "mark_card")
        used.setdefault("marks", set()).add((card.id, mark, me))
    if "create_card" in allows and "speakers" in document and sequence_id != "competences":
        text = f"Citation {number}"
        place = next(z.id for z in client.replica.zones.values() if z.kind != "deck")
        _ok(client.command("create_card", {"kind": "quote", "text": text, "zone_id": place, "x": 0.5, "y": 0.5,
                                           "speaker": document["speakers"][0]}), "a quote")
        used.setdefault("quotes", {})[text] = document["speakers"][0]
    if "link_card" in allows:  # a theme the participant wrote here, linked to two factors on the board (LINK)
        theme = next(c for c in sorted(client.replica.cards.values(), key=lambda c: c.id)
                     if c.author == me and c.id.startswith(f"c-{sequence_id}-") and c.parent is None)
        factors = [c.id for c in on_board if c.kind == "deck"][number % 3:][:2]
        assert len(factors) == 2, "the themes need factors on the board"
        for factor in factors:
            _ok(client.command("link_card", {"card_id": theme.id, "target_id": factor, "on": True}), "link_card")
        used.setdefault("links", {})[theme.id] = factors


def exported_texts(links):
    """The cards' texts in each export of the board: CSV (French Excel), XLSX and JSON."""
    base = links["facilitator_url"]
    response = requests.get(base + "/export.csv", timeout=20)
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    # A text a spreadsheet could misread carries the invisible marker of EXP3 in front: read as typed.
    in_csv = {cell.removeprefix(TEXT_MARKER) for row in rows[1:] for cell in row}
    response = requests.get(base + "/export.xlsx", timeout=20)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    in_xlsx = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value}
    response = requests.get(base + "/export.json", timeout=20)
    assert response.status_code == 200
    in_json = {card["text"] for card in response.json()["cards"]}
    return in_csv, in_xlsx, in_json


@pytest.mark.parametrize("name", PACKAGED)
def test_each_packaged_format_plays_every_sequence_and_its_exports_hold_the_cards(server, name):
    """FMT22: created at /workshops from the format's name, played by a facilitator and four participants
    through every sequence (what each allows done, writing refused where it is not allowed), then the
    CSV, XLSX and JSON exports each hold every card placed or written (and not the deleted drafts)."""
    created = requests.post(server.url + "/workshops", json={"format": name}, timeout=10)
    assert created.status_code == 201, created.text
    links = created.json()
    used = {}
    expected = play(server.url, links, used=used)
    assert len(expected) >= 4, expected
    for texts in exported_texts(links):
        assert expected <= texts | set(used.get("notes", {})), sorted(expected - texts)
        assert "Brouillon" not in texts
    # What the format's own fields switch on was used, and the workshop's file keeps it (issue 14).
    switched = {"cartographie-facteurs": {"families", "grouped", "notes", "rated", "links"},
                "troc-competences": {"families", "grouped", "notes", "marks"},
                "rencontre-prospective": {"quotes"}}.get(name, set())
    assert switched <= set(used), (name, sorted(used))
    document = requests.get(links["facilitator_url"] + "/export.json", timeout=20).json()
    cards = {card["id"]: card for card in document["cards"]}
    zones = {zone["id"]: zone for zone in document["zones"]}
    for family, label in used.get("families", {}).items():
        assert zones[family]["kind"] == "family" and zones[family]["label"]["fr"] == label
    for card_id, family in used.get("grouped", {}).items():
        assert cards[card_id]["zone"] == family
    notes = {card["text"]: card for card in document["cards"] if card.get("parent")}
    for text, parent in used.get("notes", {}).items():
        assert notes[text]["parent"] == parent and notes[text]["zone"] == cards[parent]["zone"]
    for card_id in used.get("rated", ()):
        assert cards[card_id]["kept"] and all(cards[card_id]["ratings"][axis] for axis in cards[card_id]["ratings"])
    for card_id, mark, person in used.get("marks", ()):
        assert person in cards[card_id]["marks"][mark]
    for theme, factors in used.get("links", {}).items():  # each theme keeps the factors behind it (LINK8)
        assert cards[theme]["links"] == factors
    quotes = {card["text"]: card for card in document["cards"] if card["kind"] == "quote"}
    for text, speaker in used.get("quotes", {}).items():
        assert quotes[text]["speaker"] == speaker
    # The notes are in the CSV too, in the table after the cards' (NOTE13).
    in_csv, _, _ = exported_texts(links)
    assert set(used.get("notes", {})) <= in_csv


def test_a_format_file_a_facilitator_wrote_plays_to_its_exports(server):
    """FMT21 with FMT22's walk: the docs' example, from its file, through both sequences to the exports."""
    created = requests.post(server.url + "/workshops/format", json=copy.deepcopy(example()), timeout=10)
    assert created.status_code == 201, created.text
    links = created.json()
    expected = play(server.url, links, people=3)
    for texts in exported_texts(links):
        assert expected <= texts, sorted(expected - texts)


@pytest.mark.parametrize("name", ("cartographie-facteurs", "troc-competences"))
def test_a_board_without_a_panorama_saves_its_template_and_previews_its_synthesis(server, name):
    """FMT16 with DOC6 and SYN10: the template of a board without a Panorama makes a new board with the same
    areas and deck; the synthesis preview of the played board answers with the format's name."""
    links = requests.post(server.url + "/workshops", json={"format": name}, timeout=10).json()
    play(server.url, links, people=2)
    base = links["facilitator_url"]
    template = requests.get(base + "/template.json", timeout=10)
    assert template.status_code == 200
    assert "panorama" not in template.json()["format"]
    again = requests.post(server.url + "/workshops/document", json=template.json(), timeout=10)
    assert again.status_code == 201, again.text
    token = again.json()["facilitator_url"].rsplit("/", 1)[1]
    board = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert [zone["id"] for zone in board["zones"]] == [zone.id for zone in read_format(name).zones]
    assert len([card for card in board["cards"] if card["zone"] == "deck"]) == len(read_format(name).deck)
    preview = requests.get(base + "/synthesis/preview", timeout=20)
    assert preview.status_code == 200
    assert read_format(name).document["name"]["fr"] in preview.text
