"""Moving cards with the keyboard, with a finger, and while offline, in a real chromium."""
import requests

from browser import MAINTENANCE, card, cell, expect, open_board, server_version, wait_version
from conftest import in_placement


def card_zone(server, workshop, card_id):
    state = requests.get(server.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()
    return next(c["zone"] for c in state["cards"] if c["id"] == card_id), state


def test_a_card_moves_with_the_keyboard_only(server, contexts):
    workshop = in_placement(server.url)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    other = open_board(contexts(), workshop["participants"][1]["board_url"])
    page.locator("#deck-search").focus()
    page.keyboard.type("cybersécurité")
    page.keyboard.press("Tab")  # the filter checkbox
    page.keyboard.press("Tab")  # the first matching card
    focused = page.evaluate("document.activeElement.closest('[data-card]').dataset.card")
    page.keyboard.press("Space")
    expect(page.locator("#announcer")).to_contain_text("Flèches")
    # From the deck (on the right), Left enters the Panorama's last column; then Left, and Down three rows.
    page.keyboard.press("ArrowLeft")
    expect(page.locator('[data-zone="socle/capacites"]')).to_have_class("cell drop-target")
    page.keyboard.press("ArrowLeft")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f'[data-zone="{MAINTENANCE}"]')).to_have_class("cell drop-target")
    page.keyboard.press("Enter")
    expect(cell(other, MAINTENANCE).locator(f'[data-card="{focused}"]')).to_be_visible()
    assert card_zone(server, workshop, focused)[0] == MAINTENANCE
    # The moved card keeps the focus, in its new place.
    assert page.evaluate("document.activeElement.closest('[data-card]').dataset.card") == focused
    assert page.evaluate("document.activeElement.closest('[data-zone]').dataset.zone") == MAINTENANCE


def test_escape_cancels_a_keyboard_move(server, contexts):
    workshop = in_placement(server.url, participants=1)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    version = server_version(page)
    card(page, "d03").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowUp")
    expect(page.locator(".drop-target")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(".drop-target")).to_have_count(0)
    expect(cell(page, "deck").locator('[data-card="d03"]')).to_be_visible()
    page.wait_for_timeout(200)
    assert card_zone(server, workshop, "d03")[1]["version"] == version


def touch_drag(page, source, target, steps=10):
    """A finger on the touchscreen: touchStart, touchMoves, touchEnd through the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    source.scroll_into_view_if_needed()
    start, goal = source.bounding_box(), target.bounding_box()
    x0, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    x1, y1 = goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for i in range(1, steps + 1):
        point = {"x": x0 + (x1 - x0) * i / steps, "y": y0 + (y1 - y0) * i / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_card_moves_with_a_finger_on_a_tablet(server, contexts):
    workshop = in_placement(server.url)
    tablet = contexts(has_touch=True)
    page = open_board(tablet, workshop["participants"][0]["board_url"])
    other = open_board(contexts(), workshop["participants"][1]["board_url"])
    touch_drag(page, card(page, "d21"), cell(page, MAINTENANCE))
    expect(cell(other, MAINTENANCE).locator('[data-card="d21"]')).to_be_visible()
    assert card_zone(server, workshop, "d21")[0] == MAINTENANCE


def test_moves_made_offline_reach_the_server_once_each_when_back_online(server, contexts):
    workshop = in_placement(server.url)
    context = contexts()
    page = open_board(context, workshop["participants"][0]["board_url"])
    other = open_board(contexts(), workshop["participants"][1]["board_url"])
    version = server_version(page)
    context.set_offline(True)
    page.evaluate("window.atelier.connection.socket.io.engine.close()")  # the Wi-Fi drops: the socket dies
    expect(page.locator("#banner")).to_be_visible()
    for card_id in ("d31", "d32"):
        card(page, card_id).scroll_into_view_if_needed()
        box = card(page, card_id).bounding_box()
        page.mouse.move(box["x"] + 10, box["y"] + 10)
        page.mouse.down()
        target = cell(page, MAINTENANCE).bounding_box()
        page.mouse.move(target["x"] + 30, target["y"] + 30, steps=8)
        page.mouse.up()
    # Shown at once, while offline, and nothing reached the others.
    expect(cell(page, MAINTENANCE).locator('[data-card="d31"], [data-card="d32"]')).to_have_count(2)
    expect(page.locator("#banner")).to_contain_text("2")
    assert server_version(other) == version
    context.set_offline(False)
    expect(page.locator("#banner")).to_be_hidden(timeout=10000)
    wait_version(other, version + 2)
    zone31, state = card_zone(server, workshop, "d31")
    assert zone31 == MAINTENANCE and card_zone(server, workshop, "d32")[0] == MAINTENANCE
    assert state["version"] == version + 2  # each move applied once
    for viewer in (page, other):
        wait_version(viewer, state["version"])
        expect(cell(viewer, MAINTENANCE).locator('[data-card="d31"], [data-card="d32"]')).to_have_count(2)


def test_a_finger_moving_up_the_deck_scrolls_it_instead_of_dragging_a_card(server, contexts):
    workshop = in_placement(server.url, participants=1)
    page = open_board(contexts(has_touch=True), workshop["participants"][0]["board_url"])
    deck = page.locator("#deck-list")
    version = server_version(page)
    source = card(page, "d05")
    box = source.bounding_box()
    cdp = page.context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 30 * step}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(deck).not_to_have_js_property("scrollTop", 0)
    expect(cell(page, "deck").locator('[data-card="d05"]')).to_be_visible()
    assert server_version(page) == version
