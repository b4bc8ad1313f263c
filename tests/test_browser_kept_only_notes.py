"""Effects only on key factors in the browser (NOTE14), at full scale: the factors map with its 50 factors
in 8 families, 20 people in 4 teams (tests/links_scene.py), in its *Effets* sequence. On a participant's
laptop (1366x768) a kept factor's dialog offers a field for each kind of effect; a factor not kept offers
its keywords' kinds and no effect; when the facilitator keeps it, the fields appear in the open dialog."""
from pathlib import Path

import pytest
from browser import expect, font_px, open_card_details_by_keyboard, open_full_board
from links_scene import build_themes_scene, factors_map_format, sequence_index
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SHOTS = Path("/tmp")
EFFECTS = ("piste-innovation", "nouvelle-competence")
KEYWORDS = ("sens", "implication", "question", "risque")
TITLES = {card["id"]: card["text"] for card in factors_map_format()["deck"]}


@pytest.fixture(scope="module")
def scene(server):
    workshop, themes = build_themes_scene(server.url)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        assert facilitator.command("keep_card", {"card_id": "f01", "kept": True})["ok"]
        assert facilitator.command("set_sequence", {"index": sequence_index("effets")})["ok"]
    finally:
        facilitator.close()
    return workshop


def test_a_key_factor_takes_effects_and_a_factor_not_kept_only_keywords(scene, contexts):
    page = open_full_board(contexts(**LAPTOP), scene["participants"][2]["board_url"])
    dialog = open_card_details_by_keyboard(page, "f01")
    for kind in EFFECTS:
        field = dialog.locator(f'[data-kind="{kind}"] input')
        field.scroll_into_view_if_needed()
        expect(field).to_be_visible()
        box = field.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768 and font_px(field) >= 14
    field = dialog.locator('[data-kind="nouvelle-competence"] input')
    field.fill("Piloter des boucles locales d’énergie")
    field.press("Enter")
    expect(dialog.locator('[data-kind="nouvelle-competence"] .note-line .note-text')).to_have_text(
        "Piloter des boucles locales d’énergie")
    page.screenshot(path=str(SHOTS / "kept-only-key-factor.png"))
    page.keyboard.press("Escape")
    expect(page.locator('[data-card="f01"] .note-chip').filter(has_text="Piloter des boucles")).to_be_visible()
    dialog = open_card_details_by_keyboard(page, "f02")
    for kind in KEYWORDS:
        expect(dialog.locator(f'[data-kind="{kind}"] input')).to_be_visible()
    for kind in EFFECTS:
        expect(dialog.locator(f'[data-kind="{kind}"]')).to_have_count(0)
    hint = dialog.locator(".notes-kept-only")
    hint.scroll_into_view_if_needed()
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Piste d’innovation, Nouvelle compétence : seulement sur un facteur retenu par l’animation (facteur-clé).")
    page.screenshot(path=str(SHOTS / "kept-only-not-kept.png"))


def test_keeping_a_factor_offers_its_effects_in_the_dialog_already_open(server, scene, contexts):
    page = open_full_board(contexts(**LAPTOP), scene["participants"][3]["board_url"])
    dialog = open_card_details_by_keyboard(page, "f03")
    expect(dialog.locator('[data-kind="question"] input')).to_be_visible()
    expect(dialog.locator('[data-kind="piste-innovation"]')).to_have_count(0)
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        assert facilitator.command("keep_card", {"card_id": "f03", "kept": True})["ok"]
    finally:
        facilitator.close()
    for kind in EFFECTS:
        field = dialog.locator(f'[data-kind="{kind}"] input')
        field.scroll_into_view_if_needed()
        expect(field).to_be_visible()
    expect(dialog.locator('[data-kind="piste-innovation"] h4')).to_have_text("Piste d’innovation")
    expect(dialog.locator(".notes-kept-only")).to_have_count(0)
