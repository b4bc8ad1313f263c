"""Helpers for browser tests: Debian's chromium driven by Playwright, against the real server."""
import re
import time

from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
# This machine has no internet: without these, chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
MAINTENANCE = "maintenance/techniques"


def cell(page, zone_id):
    """The Panorama cell (or free area, or deck list) of a zone."""
    if zone_id == "deck":
        return page.locator("#deck-list")
    return page.locator(f'#panorama [data-zone="{zone_id}"]')


def card(page, card_id):
    """A card's focusable body, wherever it is."""
    return page.locator(f'[data-card="{card_id}"] .card-body').first


def open_board(context, url, timeout=None):
    """Open a board page and wait until its state has arrived (`timeout` ms: a full-scale board on a
    busy machine may take longer than Playwright's default)."""
    page = context.new_page()
    page.goto(url)
    wait_online(page, timeout)
    return page


def open_full_board(context, url):
    """open_board with the time a full board takes to arrive on a busy machine."""
    return open_board(context, url, timeout=20_000)


def wait_online(page, timeout=None):
    """Wait until the page is connected and holds the board (no eval: the pages' CSP forbids it)."""
    expect(page.locator('body[data-connection="online"]')).to_be_attached(timeout=timeout)


def open_card_details_by_keyboard(page, card_id):
    """Focus a card's body and press Enter: its details dialog, once visible."""
    body = page.locator(f'[data-card="{card_id}"] .card-body').first
    body.scroll_into_view_if_needed()
    body.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#card-details")
    expect(dialog).to_be_visible()
    return dialog


def server_version(page):
    """The confirmed version this page holds."""
    return page.evaluate("window.atelier.connection.confirmed.version")


def wait_version(page, version, timeout=5.0):
    """Wait until the page has applied `version`."""
    wait_until(page, f"window.atelier.connection.confirmed.version >= {int(version)}", timeout)


def wait_until(page, expression, timeout=5.0):
    """Wait until a JavaScript expression is true in the page. Polled from here with evaluate, which
    the pages' CSP allows: wait_for_function's in-page polling evaluates strings, which it forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(20)


def wait_laid_out(page):
    """Wait until the projector's layout is the one for the version the page holds (the fit runs in
    the next frame)."""
    wait_until(page, "document.getElementById('panorama').dataset.laidOut"
                     " === String(window.atelier.connection.confirmed.version)")


def drag_with_mouse(page, source, target, steps=12, pause_ms=0):
    """Press on `source`, move in steps to the middle of `target`; returns the release."""
    source.scroll_into_view_if_needed()
    target.scroll_into_view_if_needed()
    box = source.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(box["x"] + (goal["x"] + goal["width"] / 2 - box["x"]) * i / steps,
                        box["y"] + (goal["y"] + goal["height"] / 2 - box["y"]) * i / steps)
        if pause_ms:
            page.wait_for_timeout(pause_ms)
    return lambda: page.mouse.up()


def shoot(page, name, folder, settle_ms=0):
    """Save a screenshot of `page` as `folder/name.png` (after `settle_ms`, for fits and sticky headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def unfold(page, section):
    """Open a folded console panel (the workshop's details, labels, material, files, synthesis: they
    fold below the people, console-fold.js) as a facilitator does, with its own button."""
    panel = page.locator(section)
    expect(panel).to_have_class(re.compile(r"\bfoldable\b"))  # once the page's script made it foldable
    if "folded" in (panel.get_attribute("class") or ""):
        panel.locator(".fold-toggle").click()
    expect(panel).not_to_have_class(re.compile(r"\bfolded\b"))
    return panel


__all__ = ["expect"]


def on_top(locator):
    """Nothing else is drawn over the element's centre."""
    return locator.evaluate("""(node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return node === top || node.contains(top);
    }""")


def font_px(locator):
    """The element's rendered font size in CSS pixels."""
    return locator.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")
