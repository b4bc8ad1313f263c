"""A private theme's links in the browser (PRIV7), at full scale: the factors map's last sequence with its 50
factors in 8 families, 20 people in 4 teams and 11 themes linked to their factors (tests/links_scene.py);
private mode on, a team writes one more theme and links it to four factors. Another team's participant
(1366x768) and the projector (1920x1080) see the theme face down with no link count and no linked titles;
the theme's own team sees "↔ 4"."""
from pathlib import Path

import pytest
from browser import expect, open_full_board
from links_scene import build_themes_scene
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SHOTS = Path("/tmp")
SECRET = "theme-secret"


@pytest.fixture(scope="module")
def scene(server):
    workshop, themes = build_themes_scene(server.url)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    writer = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        assert facilitator.command("configure", {"private_cards": True})["ok"]
        assert writer.command("create_card", {"kind": "postit", "text": "Sobriété des villes", "zone_id": "theme-demande",
                                              "x": 0.5, "y": 0.9, "card_id": SECRET})["ok"]
        for factor in ("f01", "f02", "f03", "f04"):
            assert writer.command("link_card", {"card_id": SECRET, "target_id": factor, "on": True})["ok"]
        assert facilitator.command("set_projector", {"focus": {"kind": "zone", "id": "theme-demande"}})["ok"]
    finally:
        writer.close()
        facilitator.close()
    return workshop


def test_another_team_sees_the_private_theme_face_down_without_its_link_count(scene, contexts):
    other = open_full_board(contexts(**LAPTOP), scene["participants"][1]["board_url"])  # team Bleu
    card = other.locator(f'[data-card="{SECRET}"]').first
    card.scroll_into_view_if_needed()
    expect(card).to_be_visible()
    expect(card.locator(".card-link-count")).to_have_count(0)
    expect(card).not_to_contain_text("↔")
    other.screenshot(path=str(SHOTS / "private-theme-other-team.png"))
    mate = open_full_board(contexts(**LAPTOP), scene["participants"][4]["board_url"])  # team Rouge, the writer's
    count = mate.locator(f'[data-card="{SECRET}"] .card-link-count').first
    count.scroll_into_view_if_needed()
    expect(count).to_have_text("↔\u00a04")
    expect(count).to_be_visible()


def test_the_projector_lists_no_factor_under_the_private_theme(scene, contexts):
    projector = open_full_board(contexts(**PROJECTOR), scene["projector_url"])
    card = projector.locator(f'[data-card="{SECRET}"]').first
    expect(card).to_be_visible()
    expect(card.locator(".card-links li")).to_have_count(0)
    expect(card.locator(".card-link-count")).to_have_count(0)
    # The public themes beside it still list theirs.
    expect(projector.locator('.card-links li:visible').first).to_be_visible()
    projector.screenshot(path=str(SHOTS / "private-theme-projector.png"))
