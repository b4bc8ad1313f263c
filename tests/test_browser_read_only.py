"""A read-only database, seen in a real chromium: the console, a participant's board (laptop and phone),
the projector and the home page each say so at the top, in readable type, over nothing; the board
is still there to see. Screenshots go to /tmp/links-read-only-*.png."""
import os

import pytest

from browser import expect, open_board
from conftest import create_workshop

SCREENS = {"console": {"width": 1366, "height": 768}, "board": {"width": 1280, "height": 800},
           "phone": {"width": 390, "height": 844}, "projector": {"width": 1920, "height": 1080},
           "home": {"width": 1280, "height": 800}}


@pytest.fixture
def read_only_server(fresh_server):
    """A server started on a database file made read-only, and the workshop it holds."""
    writer = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(writer.url, participants=1)
    writer.stop()
    os.chmod(writer.db_path, 0o444)
    return fresh_server(port=writer.port, extra_args=["--no-demo"]), workshop


def test_every_page_says_the_database_is_read_only(read_only_server, contexts):
    server, workshop = read_only_server
    board_url = f"{server.url}/p/{workshop['participants'][0]['token']}"
    pages = {"console": workshop["facilitator_url"], "board": board_url, "phone": board_url,
             "projector": workshop["projector_url"], "home": server.url + "/"}
    for name, url in pages.items():
        context = contexts(viewport=SCREENS[name], **({"is_mobile": True, "has_touch": True} if name == "phone" else {}))
        if name == "home":
            page = context.new_page()
            page.goto(url)
        else:
            page = open_board(context, url)  # the board is there, live, under the banner
        banner = page.locator("#read-only-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("lecture seule")
        box = banner.bounding_box()
        assert box["y"] < 5 and box["x"] <= 1 and box["width"] >= SCREENS[name]["width"] - 20, (name, box)
        size = float(banner.evaluate("b => parseFloat(getComputedStyle(b).fontSize)"))
        assert size >= 16, (name, size)
        assert banner.evaluate("b => document.elementFromPoint(b.getBoundingClientRect().left + 10,"
                               " b.getBoundingClientRect().top + 10) === b"), f"{name}: something covers it"
        page.screenshot(path=f"/tmp/links-read-only-{name}.png")
    # In English too.
    page.locator("#lang-switch").click()
    expect(page.locator("#read-only-banner")).to_contain_text("Read-only database")
