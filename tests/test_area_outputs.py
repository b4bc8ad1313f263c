"""The exports of a format without a Panorama name that format's own areas and families (EXP7): each packaged
format other than the flagship (the factors map, the Troc, the prospective plenary), played end to end on the
real server by scripted socket.io clients (test_format_files.play), gives a CSV (opened and read back as
French Excel does) and an XLSX (read with openpyxl) whose headings and sheets come from its format: its
areas, the families made on its canvas, its axes, marks, note kinds and links; never a Panorama domain or
category, nor a rank in a domain; dots and ranks only where the format holds a vote."""
import csv
import io

import openpyxl
import pytest
import requests

from board.domain import read_format
from board.export import TEXT_MARKER
from board.export_xlsx import sheet_names
from test_format_files import play

FORMATS = ("cartographie-facteurs", "troc-competences", "rencontre-prospective")
PANORAMA_WORDS = ("Panorama", "Catégorie", "Domaine", "Rang dans le domaine", "Hors Panorama")


@pytest.fixture(scope="module")
def played(server):
    """Each format's board, played through every sequence: {name: (links, its JSON document)}."""
    boards = {}
    for name in FORMATS:
        links = requests.post(server.url + "/workshops", json={"format": name}, timeout=10).json()
        play(server.url, links, people=4)
        document = requests.get(links["facilitator_url"] + "/export.json", timeout=20).json()
        boards[name] = (links, document)
    return boards


def fr(label):
    return label["fr"]


def read_csv(links):
    response = requests.get(links["facilitator_url"] + "/export.csv", timeout=20)
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    return [[cell.removeprefix(TEXT_MARKER) for cell in row] for row in rows]


def expected_places(document):
    """{card id: (area label, family label or "")} for every card of its own on the board (not in the deck),
    computed from the JSON export alone."""
    zones = {zone["id"]: zone for zone in document["zones"]}
    places = {}
    for card in document["cards"]:
        zone = zones[card["zone"]]
        if card.get("parent") or zone["kind"] == "deck":
            continue
        if zone["kind"] == "family":
            places[card["id"]] = (fr(zones[zone["area"]]["label"]), fr(zone["label"]))
        else:
            places[card["id"]] = (fr(zone["label"]), "")
    return places


@pytest.mark.parametrize("name", FORMATS)
def test_the_csv_names_the_format_s_areas_families_and_fields_and_no_panorama(played, name):
    links, document = played[name]
    fmt = read_format(name).document
    rows = read_csv(links)
    header = rows[0]
    canvas = any(area["kind"] == "canvas" for area in fmt["areas"])
    assert header[:3] == (["Zone", "Famille", "Carte"] if canvas else ["Zone", "Carte", "Type"])
    assert not set(PANORAMA_WORDS) & set(header), header
    assert "Gommettes" not in header and "Rang" not in header  # none of these formats votes
    for axis in fmt.get("axes", []):
        assert f"{fr(axis['label'])} (moyenne)" in header
    for mark in fmt.get("marks", []):
        assert fr(mark["label"]) in header
    assert ("Intervenant" in header) == ("speakers" in fmt)
    assert ("Liée à" in header) == any(card.get("links") for card in document["cards"])
    # Each card's line says where it is on this board: its area, its family.
    end = rows.index([]) if [] in rows else len(rows)
    card_column = header.index("Carte")
    places = expected_places(document)
    texts = {card["id"]: card["text"] for card in document["cards"]}
    lines = rows[1:end]
    assert sorted(line[card_column] for line in lines) == sorted(texts[cid] for cid in places)
    by_text = {texts[cid]: place for cid, place in places.items()}
    for line in lines:
        area, family = by_text[line[card_column]]
        assert line[0] == area
        if canvas:
            assert line[1] == family
    # Lines follow the format's areas, in its order.
    order = [fr(area["label"]) for area in fmt["areas"]]
    assert [order.index(line[0]) for line in lines] == sorted(order.index(line[0]) for line in lines)
    if "note_kinds" in fmt and end < len(rows):
        kinds = {fr(kind["label"]) for kind in fmt["note_kinds"]}
        notes = rows[end + 1:]
        assert notes[0][:3] == ["Carte", "Zone", "Type de note"]
        assert notes[1:] and {line[2] for line in notes[1:]} <= kinds


@pytest.mark.parametrize("name", FORMATS)
def test_the_xlsx_has_a_sheet_per_area_of_the_format_and_no_panorama(played, name):
    links, document = played[name]
    fmt = read_format(name).document
    response = requests.get(links["facilitator_url"] + "/export.xlsx", timeout=20)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    places = expected_places(document)
    holding = [fr(area["label"]) for area in fmt["areas"] if fr(area["label"]) in {a for a, _ in places.values()}]
    rated = any(card.get("ratings") or card.get("kept") for card in document["cards"]) and "axes" in fmt
    notes = any(card.get("parent") for card in document["cards"])
    wanted = ["Vue d’ensemble", *holding] + (["Matrice"] if rated else []) \
        + (["Marques et intervenants"] if "marks" in fmt or "speakers" in fmt else []) + (["Notes"] if notes else [])
    assert book.sheetnames == sheet_names(wanted)
    every = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value}
    assert not set(PANORAMA_WORDS) & every
    texts = {card["id"]: card["text"] for card in document["cards"]}
    for area, title in zip(holding, book.sheetnames[1:]):
        sheet = book[title]
        header = [cell.value for cell in sheet[1]]
        assert header[0] == ("Famille" if "Famille" in header else "Carte")
        column = header.index("Carte")
        shown = sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True))
        assert shown == sorted(texts[cid] for cid, (where, _) in places.items() if where == area), area
    overview = book[book.sheetnames[0]]
    assert [cell.value for cell in overview[1]][0] == "Zone"
    assert {row[0] for row in overview.iter_rows(min_row=2, values_only=True)} == set(holding)


def test_the_flagship_keeps_its_panorama_exports(server):
    """The Atelier Compétences' exports are as they were: its CSV header and its sheets name its Panorama."""
    links = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=10).json()
    rows = read_csv(links)
    assert rows[0] == ["Zone", "Catégorie", "Carte", "Type", "Équipe", "Auteur", "Gommettes", "Rang",
                       "Rang dans le domaine", "Description"]
    book = openpyxl.load_workbook(io.BytesIO(requests.get(links["facilitator_url"] + "/export.xlsx", timeout=20).content))
    assert book.sheetnames[:2] == ["Panorama", "Classement"]


@pytest.mark.parametrize("name", FORMATS)
def test_the_synthesis_pdf_of_a_format_without_a_panorama_is_made(played, name):
    """SYN11 on paper: the preview's PDF is made from the same page (WeasyPrint), and holds the areas' names."""
    links, _ = played[name]
    response = requests.get(links["facilitator_url"] + "/synthesis/preview/synthese.pdf", timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = requests.get(links["facilitator_url"] + "/synthesis/preview", timeout=20).text
    for area in read_format(name).document["areas"]:
        if area["kind"] != "deck":
            assert f">{area['label']['fr']}</h2>" in page
