"""Notes in the facilitator's exports (NOTE13): the CSV for French Excel, the XLSX and the JSON document
list each note with its card and its kind, never as a card of its own."""
import csv
import io
import json

import openpyxl
from test_notes import CELL, note, ws  # noqa: F401  (the fixture)

from board.domain.documents import board_document
from board.export import panorama_csv
from board.export_xlsx import panorama_xlsx


def _scene(ws):  # noqa: F811
    note(ws, "p1", text="Sobriété", kind="signification", card_id="n1")
    note(ws, "p3", text="Et si le réseau sature ?", kind="question", card_id="n2")
    note(ws, "p2", text="Dépendance", kind="risque", card_id="n3")


def test_the_csv_lists_each_note_with_its_card_and_kind_after_the_cards(ws):  # noqa: F811
    """NOTE13: the cards' table has no note in it; the notes' table follows, by card then kind order."""
    _scene(ws)
    text = panorama_csv(ws.board).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    blank = rows.index([])
    cards, notes = rows[1:blank], rows[blank + 1:]
    assert [row[2] for row in cards] == [ws.board.cards["d01"].text]
    assert notes[0] == ["Carte", "Zone", "Type de note", "Note", "Équipe", "Auteur"]
    parent = ws.board.cards["d01"].text
    assert [(row[0], row[2], row[3].lstrip("\u2060")) for row in notes[1:]] == [
        (parent, "Ce que cela signifie", "Sobriété"), (parent, "Question", "Et si le réseau sature ?"),
        (parent, "Risque", "Dépendance")]
    assert notes[2][4] == "Bleu" and notes[2][5].lstrip("\u2060") == "p3"


def test_the_csv_leaves_the_notes_author_out_without_names(ws):  # noqa: F811
    """NOTE13, EXP6."""
    _scene(ws)
    rows = list(csv.reader(io.StringIO(panorama_csv(ws.board, names=False).decode("utf-8-sig")), delimiter=";"))
    assert rows[rows.index([]) + 1] == ["Carte", "Zone", "Type de note", "Note", "Équipe"]


def test_the_xlsx_has_a_notes_sheet_and_no_note_in_the_panorama(ws):  # noqa: F811
    """NOTE13."""
    _scene(ws)
    book = openpyxl.load_workbook(io.BytesIO(panorama_xlsx(ws.board, lang="en")))
    assert book.sheetnames[-1] == "Notes"
    sheet = [[cell.value for cell in row] for row in book["Notes"].iter_rows()]
    assert sheet[0] == ["Card", "Zone", "Note kind", "Note", "Team", "Author"]
    assert [row[2] for row in sheet[1:]] == ["What it means", "Question", "Risk"]
    grid = "\n".join(str(cell.value) for row in book["Panorama"].iter_rows() for cell in row)
    assert "Sobriété" not in grid and ws.board.cards["d01"].text in grid


def test_a_board_without_notes_exports_as_before(ws):  # noqa: F811
    """NOTE13: no notes' table, no notes' sheet."""
    rows = list(csv.reader(io.StringIO(panorama_csv(ws.board).decode("utf-8-sig")), delimiter=";"))
    assert [] not in rows
    assert "Notes" not in openpyxl.load_workbook(io.BytesIO(panorama_xlsx(ws.board))).sheetnames


def test_the_json_document_keeps_each_notes_parent_and_kind(ws):  # noqa: F811
    """NOTE13, NOTE12."""
    _scene(ws)
    cards = {card["id"]: card for card in json.loads(json.dumps(board_document(ws.board)))["cards"]}
    assert (cards["n2"]["parent"], cards["n2"]["note_kind"], cards["n2"]["text"]) == \
        ("d01", "question", "Et si le réseau sature ?")
