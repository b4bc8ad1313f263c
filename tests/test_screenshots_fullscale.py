"""Screenshots of the full-scale workshop (tests/fullscale.py: 20 people in 4 teams, 62 cards placed,
10 new cards) on each kind of screen, for the README; each also checks what it shows is on screen.

The images go to a temporary folder, or to docs/screenshots/ with `make screenshots` (SCREENSHOTS=docs).
The projector's own pictures come from tests/test_browser_projector.py.
"""
import os
from pathlib import Path

import pytest

from browser import expect, open_board

DOCS_SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: docs/screenshots when asked for, a temporary folder otherwise."""
    return DOCS_SHOTS if os.environ.get("SCREENSHOTS") == "docs" else tmp_path


def shoot(page, name, folder):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"full-{name}.png"
    page.wait_for_timeout(300)  # let the fit and the sticky headers settle
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def on_screen(page, locator):
    """The element is visible and wholly inside the window."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    size = page.viewport_size
    assert box["x"] >= -0.5 and box["y"] >= -0.5, box
    assert box["x"] + box["width"] <= size["width"] + 0.5 and box["y"] + box["height"] <= size["height"] + 0.5, box


def no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


def test_screenshot_of_a_participant_laptop_while_teams_complete_the_panorama(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator('#panorama [data-card="new-1"]')).to_be_attached()
    on_screen(page, page.locator("#sequence-name"))
    on_screen(page, page.locator("#my-team-badge"))  # "Équipe Production", in the top bar
    expect(page.locator("#my-team-badge")).to_contain_text("Production")
    no_sideways_scroll(page)
    shoot(page, "participant-laptop", shots)


def test_screenshot_of_a_participant_voting(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("voting")["people"][1]["board_url"])
    on_screen(page, page.locator("#vote-budget"))
    expect(page.locator("#vote-budget")).to_contain_text("sur 5")
    expect(page.locator("#panorama .dot-more").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "participant-vote", shots)


def test_screenshot_of_a_tablet(full_scene, contexts, shots):
    page = open_board(contexts(**TABLET), full_scene("placed")["people"][2]["board_url"])
    expect(page.locator('#panorama [data-card="d01"]')).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "tablet", shots)


def test_screenshot_of_a_phone_voting_and_reading_a_card(full_scene, contexts, shots):
    scene = full_scene("voting")
    page = open_board(contexts(**PHONE), scene["people"][3]["board_url"])
    more = page.locator("#panorama .dot-more").filter(visible=True).first
    on_screen(page, more)
    no_sideways_scroll(page)
    shoot(page, "phone-vote", shots)
    page.locator("#panorama .card-body").filter(visible=True).first.tap()
    dialog = page.locator("#card-details")
    on_screen(page, dialog)
    shoot(page, "phone-card", shots)


def test_screenshot_of_the_console_during_the_vote(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("voting")["facilitator_url"])
    expect(page.locator("#participant-list li")).to_have_count(20)
    on_screen(page, page.locator("#vote-progress"))
    no_sideways_scroll(page)
    shoot(page, "console-vote", shots)


def test_screenshot_of_the_results_for_a_participant_and_the_console(full_scene, contexts, shots):
    scene = full_scene("revealed")
    page = open_board(contexts(**LAPTOP), scene["people"][4]["board_url"])
    expect(page.locator("#panorama .card.top").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "results-participant", shots)
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    results = console.locator("#console-results li")
    expect(results.first).to_be_visible()
    console.locator("#console-results").scroll_into_view_if_needed()
    no_sideways_scroll(console)
    shoot(console, "results-console", shots)
