"""The synthesis page of a format without a Panorama in chromium (SYN11): the facilitator's preview shows
the format's own areas as its headings, in the format's order, the families made on a canvas under their
area in the order the board reads them, and each card with its notes, ratings, keep, marks and links as the
format names them; nothing names a Panorama. The factors map at full scale (50 factors in 8 families, 11
themes linked to their factors, tests/links_scene.py, some factors rated, kept and noted); the Troc and
the prospective plenary played through every sequence (test_format_files.play)."""
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from browser import font_px
from links_scene import build_themes_scene, factors_map_format
from realtime import BoardClient
from test_format_files import play

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SHOTS = Path("/tmp")


def fr(label):
    return label["fr"]


def board_document(links):
    return requests.get(links["facilitator_url"] + "/export.json", timeout=20).json()


def expected_headings(document):
    """The page's h2 in order (the format's areas but the deck, then its definitions), and per canvas
    area its h3: its families top to bottom, left to right, then "Sans famille" when cards stay outside."""
    zones = document["zones"]
    on_board = [card for card in document["cards"] if not card.get("parent") and not card.get("private")]
    areas = [zone for zone in zones if zone["kind"] in ("free", "canvas")]
    h2 = [fr(area["label"]) for area in areas] + (["Définitions"] if document["format"].get("definitions") else [])
    h3 = {}
    for area in areas:
        families = sorted((z for z in zones if z["kind"] == "family" and z.get("area") == area["id"]),
                          key=lambda z: (z["y"], z["x"], z["id"]))
        loose = any(card["zone"] == area["id"] for card in on_board)
        h3[area["id"]] = [fr(f["label"]) for f in families] + (["Sans famille"] if families and loose else [])
    return h2, h3


def check_page(page, document, name):
    h2, h3 = expected_headings(document)
    headings = page.locator("main h2")
    expect(headings).to_have_text(h2)
    for i in range(headings.count()):
        expect(headings.nth(i)).to_be_visible()
        assert font_px(headings.nth(i)) >= 20
    for area_id, labels in h3.items():
        expect(page.locator(f'section[data-area="{area_id}"] h3')).to_have_text(labels)
    expect(page.locator(".syn-kicker")).to_have_text("Synthèse de l’atelier")
    body = page.evaluate("document.body.innerText")
    for word in ("Panorama", "Domaine", "catégorie", "incontournables"):
        assert word not in body, (name, word)
    sizes = page.locator(".area-card-text").evaluate_all("(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
    assert sizes and min(sizes) >= 14
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"), "wider than the screen"
    page.screenshot(path=str(SHOTS / f"area-synthesis-{name}.png"))
    page.screenshot(path=str(SHOTS / f"area-synthesis-{name}-full.png"), full_page=True)


def test_the_factors_map_s_synthesis_shows_its_areas_families_key_factors_notes_and_links(server, contexts):
    workshop, themes = build_themes_scene(server.url)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        for factor, (capacity, criticality) in (("f01", (4, 3)), ("f07", (2, 4))):
            assert facilitator.command("rate_card", {"card_id": factor, "axis": "capacite-agir", "value": capacity})["ok"]
            assert facilitator.command("rate_card", {"card_id": factor, "axis": "criticite", "value": criticality})["ok"]
        assert facilitator.command("keep_card", {"card_id": "f01", "kept": True})["ok"]
        assert facilitator.command("create_card", {"kind": "postit", "text": "Former aux réseaux intelligents",
                                                   "zone_id": "carte", "x": 0, "y": 0, "parent": "f01",
                                                   "note_kind": "nouvelle-competence"})["ok"]
    finally:
        facilitator.close()
    links = {"facilitator_url": f"{server.url}/f/{workshop['admin_token']}"}
    document = board_document(links)
    page = contexts(**LAPTOP).new_page()
    page.goto(links["facilitator_url"] + "/synthesis/preview")
    check_page(page, document, "cartographie-facteurs")
    title = {card["id"]: card["text"] for card in factors_map_format()["deck"]}["f01"]
    key = page.locator('.area-card[data-card="f01"]')
    key.scroll_into_view_if_needed()
    expect(key.locator(".area-card-text")).to_contain_text(title)
    expect(key.locator(".area-kept")).to_have_text("Facteur-clé")
    expect(key.locator(".area-notes dt")).to_have_text("Nouvelle compétence :")
    expect(key.locator(".area-notes dd")).to_have_text("Former aux réseaux intelligents")
    assert key.locator(".area-notes").inner_text().replace("\n", " ") == "Nouvelle compétence : Former aux réseaux intelligents"
    expect(key.locator(".area-ratings dd")).to_have_text("Capacité d’agir : 4 · Criticité : 3")
    theme = themes[0]
    linked = page.locator(f'.area-card[data-card="{theme["id"]}"] .area-links dd')
    expect(linked).to_have_text(" · ".join(title_of for title_of in (
        {card["id"]: card["text"] for card in factors_map_format()["deck"]}[f] for f in theme["factors"])))
    expect(linked).to_be_visible()
    key.screenshot(path=str(SHOTS / "area-synthesis-key-factor.png"))


@pytest.mark.parametrize("name", ["troc-competences", "rencontre-prospective"])
def test_the_troc_and_the_plenary_show_their_own_areas(server, contexts, name):
    links = requests.post(server.url + "/workshops", json={"format": name}, timeout=10).json()
    play(server.url, links, people=4)
    document = board_document(links)
    page = contexts(**LAPTOP).new_page()
    page.goto(links["facilitator_url"] + "/synthesis/preview")
    check_page(page, document, name)
    fmt = document["format"]
    for mark in fmt.get("marks", []):  # who marked what, counted (names are withheld by default)
        if any(card.get("marks", {}).get(mark["id"]) for card in document["cards"]):
            expect(page.locator(".area-marks dt", has_text=fr(mark["label"])).first).to_be_visible()
    if "speakers" in fmt:
        quote = next(card for card in document["cards"] if card["kind"] == "quote")
        expect(page.locator(f'.area-card[data-card="{quote["id"]}"] .area-speaker dd')).to_have_text(quote["speaker"])
