"""Replacing the facilitator's links from the console, in a real chromium, on the full-scale scene:
the button is in sight and large enough, it asks first, the console lands on its new link with a
notice, the old projector says its link opens nothing, the participants carry on. Screenshots go to
/tmp/links-rotate-*.png."""
import re
from pathlib import Path

import requests

from browser import expect, open_board, wait_online
from fullscale import build_full_scene

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
SHOTS = Path("/tmp")


def shoot(page, name):
    page.screenshot(path=str(SHOTS / f"links-rotate-{name}.png"))


def assert_reachable(page, locator):
    """Seen, inside the window, not covered by anything, and a 44 px touch target at least."""
    expect(locator).to_be_visible()
    box, size = locator.bounding_box(), page.viewport_size
    assert box["height"] >= 44 and box["width"] >= 44, box
    assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"], box
    assert 0 <= box["y"] and box["y"] + box["height"] <= size["height"], box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate("([x, y, id]) => document.elementFromPoint(x, y)?.closest('#' + id) !== null",
                         [x, y, locator.get_attribute("id")]), "something covers it"


def test_the_facilitator_replaces_the_links_from_the_console(server, contexts):
    scene = build_full_scene(server.url, "placed")
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    projector = open_board(contexts(viewport=PROJECTOR), scene["projector_url"])
    person = open_board(contexts(), scene["people"][0]["board_url"])
    own_board = open_board(contexts(), f"{server.url}/p/{scene['admin_token']}")  # "Ouvrir le tableau"
    button = console.locator("#rotate-links")
    button.scroll_into_view_if_needed()
    assert_reachable(console, button)
    expect(button).to_have_text(re.compile("Remplacer les liens"))

    # Asked first: cancelling changes nothing.
    button.click()
    dialog = console.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("n’ouvriront plus rien")
    shoot(console, "question")
    dialog.locator(".confirm-no").click()
    expect(dialog).to_have_count(0)
    assert console.url == scene["facilitator_url"]
    assert requests.get(scene["facilitator_url"], timeout=5).ok

    button.click()
    console.locator("dialog.confirm .confirm-yes").click()
    console.wait_for_url(lambda url: "/f/" in url and url.split("/f/")[1] != scene["admin_token"])
    wait_online(console)
    expect(console.locator("#links-rotated")).to_be_visible()
    assert "#" not in console.url  # a reload does not repeat the notice
    new_projector_url = console.locator("#projector-link").get_attribute("href")
    assert new_projector_url != scene["projector_url"]
    shoot(console, "new-link")

    # The old projector says its link is dead; the participant's board stays live.
    expect(projector.locator("#banner")).to_be_visible()
    expect(projector.locator("#banner")).to_contain_text("Ce lien n’est valable pour aucun atelier")
    shoot(projector, "old-projector")
    expect(own_board.locator("#banner")).to_contain_text("Ce lien n’est valable pour aucun atelier")
    expect(person.locator('body[data-connection="online"]')).to_be_attached()
    expect(person.locator("#banner")).to_be_hidden()

    # The old console link opens the dead-link page; the new projector link opens the projector.
    old = contexts(viewport=LAPTOP).new_page()
    answer = old.goto(scene["facilitator_url"])
    assert answer.status == 404
    expect(old.locator("[role=alert]")).to_be_visible()
    fresh = open_board(contexts(viewport=PROJECTOR), new_projector_url)
    expect(fresh.locator("#banner")).to_be_hidden()
