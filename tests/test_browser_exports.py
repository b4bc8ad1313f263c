"""The console's export buttons in a real browser, on the full-scale scene (EXP1, EXP2, EXP4).

The facilitator sees "Exporter le Panorama (CSV)" and "(XLSX)" side by side, each a target a finger
can hit, nothing drawn over them; a click downloads the file, and the files hold the workshop.
"""
import csv
import io

import openpyxl
import pytest

from browser import expect, font_px, on_top, open_board
from fullscale import NAMES, as_facilitator, build_full_scene

MARKER = "\u2060"


def _check_button(page, button):
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    box = button.bounding_box()
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]
    assert box["height"] >= 44 and box["width"] >= 44, box
    assert on_top(button)
    assert font_px(button) >= 14
    return box


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_console_downloads_the_panorama_as_csv_and_as_xlsx(server, full_scene, contexts, tmp_path, language):
    scene = full_scene("revealed")
    context = contexts()
    if language == "en":
        context.add_init_script("localStorage.setItem('atelier.lang', 'en')")
    console = open_board(context, scene["facilitator_url"])
    csv_button, xlsx_button = console.locator("#export-link"), console.locator("#export-xlsx-link")
    words = {"fr": ("Exporter le Panorama (CSV)", "Exporter le Panorama (XLSX)"),
             "en": ("Export the Panorama (CSV)", "Export the Panorama (XLSX)")}[language]
    expect(csv_button).to_have_text(words[0])
    expect(xlsx_button).to_have_text(words[1])
    first, second = _check_button(console, csv_button), _check_button(console, xlsx_button)
    console.screenshot(path=f"/tmp/exports-console-{language}.png")
    # Together: the XLSX right after the CSV, beside it or just below, never over it.
    beside = abs(first["y"] - second["y"]) < 4 and second["x"] >= first["x"] + first["width"]
    below = second["y"] >= first["y"] + first["height"] and second["y"] - (first["y"] + first["height"]) < 16
    assert beside or below, (first, second)

    with console.expect_download() as download:
        csv_button.click()
    assert download.value.suggested_filename == "panorama.csv"
    path = tmp_path / f"panorama-{language}.csv"
    download.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0:3] == (["Zone", "Catégorie", "Carte"] if language == "fr" else ["Zone", "Category", "Card"])
    assert len(rows) == 1 + 72  # every placed card

    with console.expect_download() as download:
        xlsx_button.click()
    assert download.value.suggested_filename == "panorama.xlsx"
    path = tmp_path / f"panorama-{language}.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == (["Panorama", "Classement"] if language == "fr" else ["Panorama", "Ranking"])
    ranking = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert ranking and ranking[0][0] == 1
    texts = {row[2].removeprefix(MARKER) for row in rows[1:]}
    assert {row[1] for row in ranking} <= texts  # both files tell of the same cards
    assert any(name in {row[7] for row in ranking} for name in NAMES)  # authors named: no anonymity here


def test_while_a_sequence_is_anonymous_the_console_offers_both_files_with_names_and_without(server, contexts, tmp_path):
    """EXP6, ANON5: the plain buttons leave the authors out; the anonymity panel's links bring them."""
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_anonymity", {"on": True, "sequence": 2}))
    console = open_board(contexts(), scene["facilitator_url"])

    def workbook_from(link):
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()
        assert on_top(link)
        with console.expect_download() as download:
            link.click()
        path = tmp_path / f"{link.get_attribute('id')}.xlsx"
        download.value.save_as(path)
        book = openpyxl.load_workbook(path)
        return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]

    anonymous = workbook_from(console.locator("#export-xlsx-link"))
    assert "Auteur" not in anonymous and not set(NAMES) & set(anonymous)
    console.locator("#anonymity-settings summary").click()
    named = workbook_from(console.locator("#export-names-xlsx-link"))
    assert "Auteur" in named and len(set(NAMES) & set(named)) >= 5
    expect(console.locator("#export-names-link")).to_be_visible()
    console.locator("#anonymity-settings").screenshot(path="/tmp/exports-anonymity-links.png")
