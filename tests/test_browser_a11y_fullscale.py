"""The axe-core audit on every page of the full-scale scene (issue 9): 20 people in 4 teams, 62 cards
placed, 10 new cards, at the stage where each page has the most to show. No serious or critical violation.
The participant board at full scale is also audited in the keyboard tests; here each page in each stage."""
import pytest

from browser import expect, open_board
from test_browser_a11y import audit

PAGES = {
    # page: (stage, viewport, what must be on screen before the audit)
    "participant": ("voting", {"width": 1366, "height": 768}, '#panorama [data-card="new-10"]'),
    "participant-results": ("revealed", {"width": 1366, "height": 768}, '#panorama [data-card="new-10"]'),
    "tablet": ("placed", {"width": 1024, "height": 768}, '#panorama [data-card="d62"]'),
    "phone": ("voting", {"width": 390, "height": 844}, "#vote-budget"),
    "console": ("voting", {"width": 1366, "height": 768}, "#participant-list li"),
    "console-results": ("revealed", {"width": 1366, "height": 768}, "#console-results li"),
    "projector": ("placed", {"width": 1920, "height": 1080}, '#panorama [data-card="d62"]'),
    "projector-results": ("revealed", {"width": 1920, "height": 1080}, "#results li"),
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_the_full_scale_scene_has_no_serious_accessibility_violation(full_scene, contexts, name):
    stage, viewport, ready = PAGES[name]
    scene = full_scene(stage)
    url = {"console": scene["facilitator_url"], "projector": scene["projector_url"]}.get(
        name.split("-")[0], scene["people"][3]["board_url"])
    touch = {"has_touch": True, "is_mobile": True} if name in ("tablet", "phone") else {}
    page = open_board(contexts(bypass_csp=True, viewport=viewport, **touch), url)
    expect(page.locator(ready).first).to_be_attached()
    audit(page, f"{name} at full scale ({stage})")
