"""The timer, "done" and the new sequence announced, in a real chromium on the full-scale scene.

What people in the room see: the same countdown on a participant's laptop, the console and the
projector (also on a page whose own clock is wrong); the projector's countdown in type the back of the
room reads; the countdown in the top bar of a phone, a tablet and a laptop, over no card; at zero a red
cue on every screen and, with the freeze, a move refused with its reason until a minute is added; the
console's "done" count with names and the projector's count, reset by the next sequence; the notice of
a new sequence with its instruction. Screenshots go to /tmp/timer-*.png.
"""
import re

import pytest

from browser import expect, open_board, wait_laid_out, wait_until, wait_version
from fullscale import COMPLETE, VOTE, as_facilitator, build_full_scene
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SHOTS = "/tmp/timer-{}.png"
# The seconds a countdown shows ("4:59" is 299, "1:02:03" is 3723).
SECONDS = """(selector) => { const text = document.querySelector(selector + ' .timer-time').textContent;
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0); }"""


def shown_seconds(page, selector):
    return page.evaluate(SECONDS, selector)


@pytest.fixture
def scene(server):
    """A full-scale scene of this test's own (sequence 3, Compléter: 20 people, 4 teams, 72 cards)."""
    return build_full_scene(server.url, "placed")


def start_from_console(console, minutes, freeze=False):
    """The facilitator types a duration and starts the timer, as a person does."""
    console.get_by_label("Durée (minutes)").fill(str(minutes))
    if freeze:
        console.get_by_label("Figer le tableau à zéro").check()
    console.get_by_role("button", name="Démarrer le minuteur").click()
    expect(console.locator("#console-timer")).to_be_visible()


def test_the_countdown_is_the_same_on_a_participant_the_console_and_the_projector(server, contexts, scene):
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    # The sequence proposes its own duration (the format's timer_minutes: 20 for Compléter).
    expect(console.get_by_label("Durée (minutes)")).to_have_value("20")
    participant = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    projector = open_board(contexts(**PROJECTOR), scene["projector_url"])
    start_from_console(console, 5)
    pages = {"participant": (participant, "#timer"), "console": (console, "#console-timer"),
             "projector": (projector, "#projector-timer")}
    for page, selector in pages.values():
        expect(page.locator(selector)).to_be_visible()
        expect(page.locator(selector)).to_have_attribute("data-state", "running")
    # A late joiner, whose own clock is three minutes fast: it counts on the server's clock all the same.
    late = contexts(**LAPTOP).new_page()
    late.clock.install()
    late.clock.set_system_time(late.evaluate("Date.now()") + 180_000)
    late.goto(scene["people"][1]["board_url"])
    expect(late.locator('body[data-connection="online"]')).to_be_attached()
    assert late.evaluate("Date.now()") - participant.evaluate("Date.now()") > 170_000  # its clock is wrong
    pages["late joiner, clock 3 min fast"] = (late, "#timer")
    expect(late.locator("#timer")).to_be_visible()
    first = {name: shown_seconds(page, selector) for name, (page, selector) in pages.items()}
    assert all(290 <= seconds <= 300 for seconds in first.values()), first
    assert max(first.values()) - min(first.values()) <= 1, first
    participant.wait_for_timeout(2200)
    later = {name: shown_seconds(page, selector) for name, (page, selector) in pages.items()}
    assert max(later.values()) - min(later.values()) <= 1, later
    assert all(later[name] < first[name] for name in pages), (first, later)  # counting, on every screen
    for name, (page, _) in pages.items():
        page.screenshot(path=SHOTS.format(name.split(",")[0].replace(" ", "-")))
