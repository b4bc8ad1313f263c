"""The timer, "done" and the new sequence announced, in a real chromium on the full-scale scene.

What people in the room see: the same countdown on a participant's laptop, the console and the
projector (also on a page whose own clock is wrong); the projector's countdown in type the back of the
room reads; the countdown in the top bar of a phone, a tablet and a laptop, over no card; at zero a red
cue on every screen and, with the freeze, a move refused with its reason until a minute is added; the
console's "done" count with names and the projector's count, reset by the next sequence; the notice of
a new sequence with its instruction. Screenshots go to /tmp/timer-*.png.
"""
import re
import time

import pytest

from browser import drag_with_mouse, expect, open_board, wait_laid_out
from fullscale import COMPLETE, VOTE, as_facilitator, build_full_scene


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


@pytest.fixture(scope="module")
def timed_scene(server):
    """One full-scale scene for the tests that only start a timer and look: a new timer replaces the
    one before (TIME1), so each starts its own and sees it whole."""
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
    # Until every screen has ticked at least once (a second or so; up to 5 s on a busy machine).
    deadline = time.monotonic() + 5
    while True:
        later = {name: shown_seconds(page, selector) for name, (page, selector) in pages.items()}
        if all(later[name] < first[name] for name in pages) or time.monotonic() > deadline:
            break
        participant.wait_for_timeout(100)
    assert max(later.values()) - min(later.values()) <= 1, later
    assert all(later[name] < first[name] for name in pages), (first, later)  # counting, on every screen
    for name, (page, _) in pages.items():
        page.screenshot(path=SHOTS.format(name.split(",")[0].replace(" ", "-")))


# Every visible card title's rendered font size, and every visible card's box.
CARDS = """() => [...document.querySelectorAll('.card')].filter((c) => c.checkVisibility()).map((c) => {
  const r = c.getBoundingClientRect();
  return {font: parseFloat(getComputedStyle(c.querySelector('.card-text')).fontSize),
          box: [r.left, r.top, r.right, r.bottom]}; })"""


def box_of(locator):
    b = locator.bounding_box()
    return [b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]]


def overlaps(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def inside(box, viewport):
    return box[0] >= 0 and box[1] >= 0 and box[2] <= viewport["width"] and box[3] <= viewport["height"]


def test_the_projector_countdown_reads_from_the_back_of_the_room_beside_the_grid(server, contexts, timed_scene):
    scene = timed_scene
    as_facilitator(server.url, scene, ("start_timer", {"seconds": 1200}))
    page = open_board(contexts(**PROJECTOR), scene["projector_url"])
    wait_laid_out(page)
    countdown = page.locator("#projector-timer")
    expect(countdown).to_be_visible()
    expect(countdown.locator(".timer-time")).to_have_text(re.compile(r"^(20:00|19:[0-5]\d)$"))
    font = countdown.locator(".timer-time").evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")
    assert font >= 64, font  # four times the smallest card title the room reads (16 px)
    timer_box = box_of(countdown)
    assert inside(timer_box, PROJECTOR["viewport"]), timer_box
    assert not overlaps(timer_box, box_of(page.locator("#panorama .grid")))
    cards = page.evaluate(CARDS)
    assert len(cards) == 72 and min(card["font"] for card in cards) >= 16  # the grid still reads
    assert not any(overlaps(timer_box, card["box"]) for card in cards)
    page.screenshot(path=SHOTS.format("projector-readable"))


@pytest.mark.parametrize("screen", ["phone", "tablet", "laptop"])
def test_the_countdown_sits_in_the_top_bar_over_no_card(server, contexts, timed_scene, screen):
    scene = timed_scene
    as_facilitator(server.url, scene, ("start_timer", {"seconds": 600}))
    options = {"phone": PHONE, "tablet": TABLET, "laptop": LAPTOP}[screen]
    page = open_board(contexts(**options), scene["people"][2]["board_url"])
    countdown = page.locator("#timer")
    expect(countdown).to_be_visible()
    expect(countdown).to_be_in_viewport(ratio=1)
    expect(countdown.locator(".timer-time")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    font = countdown.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")
    assert font >= 16, font
    timer_box = box_of(countdown)
    assert timer_box[3] <= box_of(page.locator("#viewport"))[1] + 1  # above the board, not on it
    assert not any(overlaps(timer_box, card["box"]) for card in page.evaluate(CARDS))
    # No sideways scroll for it, on any screen.
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    page.screenshot(path=SHOTS.format(f"{screen}-countdown"))
    # "Done" is one of the tools: in the toolbar, or behind the phone's menu, a finger's size on touch screens.
    if screen == "phone":
        page.get_by_role("button", name="Menu").click()
    done = page.get_by_role("button", name="Notre équipe a terminé")
    expect(done).to_be_visible()
    expect(done).to_be_in_viewport(ratio=1)
    if screen != "laptop":
        size = done.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, size
    if screen == "phone":
        page.screenshot(path=SHOTS.format("phone-menu-done"))


def first_card_in(page, zone):
    return page.locator(f'#panorama [data-zone="{zone}"] .card').first


def test_at_zero_every_screen_shows_time_is_up_and_a_frozen_move_is_refused_until_a_minute_is_added(
        server, contexts, scene):
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    participant = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])  # Production: socle, exploitation
    projector = open_board(contexts(**PROJECTOR), scene["projector_url"])
    start_from_console(console, 1, freeze=True)
    expect(console.locator("#timer-status")).to_contain_text("À zéro, le tableau sera figé")
    console.get_by_role("button", name="Retirer une minute").click()  # the minute is over now
    for page, selector in ((participant, "#timer"), (console, "#console-timer"), (projector, "#projector-timer")):
        expect(page.locator(selector)).to_have_attribute("data-state", "up")
        expect(page.locator(selector + " .timer-time")).to_have_text("0:00")
        background = page.locator(selector).evaluate("(node) => getComputedStyle(node).backgroundColor")
        assert background == "rgb(176, 0, 32)", (selector, background)  # white on red, on every screen
    expect(participant.locator("#timer .timer-state")).to_have_text("Temps écoulé : tableau figé")
    expect(projector.locator("#projector-timer .timer-state")).to_be_visible()
    expect(console.locator("#timer-status")).to_contain_text("le tableau est figé")
    participant.screenshot(path=SHOTS.format("participant-time-up"))
    projector.screenshot(path=SHOTS.format("projector-time-up"))
    console.screenshot(path=SHOTS.format("console-time-up"))
    # A move now: refused, said why, and the card stays where it was.
    source, target = "socle/techniques", "socle/capacites"
    moved = first_card_in(participant, source)
    card_id = moved.get_attribute("data-card")
    before = participant.evaluate("window.atelier.connection.confirmed.version")
    drag_with_mouse(participant, moved.locator(".card-body"), participant.locator(f'#panorama [data-zone="{target}"]'))()
    expect(participant.locator("#toast")).to_contain_text("Temps écoulé : le tableau est figé")
    expect(participant.locator(f'#panorama [data-zone="{source}"] [data-card="{card_id}"]')).to_be_visible()
    assert participant.evaluate("window.atelier.connection.confirmed.version") == before
    # The facilitator adds a minute: the board is open again.
    console.get_by_role("button", name="Ajouter une minute").click()
    expect(participant.locator("#timer")).to_have_attribute("data-state", "running")
    expect(participant.locator("body")).not_to_have_class(re.compile(r"\btime-up\b"))
    drag_with_mouse(participant, moved.locator(".card-body"), participant.locator(f'#panorama [data-zone="{target}"]'))()
    expect(participant.locator(f'#panorama [data-zone="{target}"] [data-card="{card_id}"]')).to_be_visible()


def test_the_console_counts_who_is_done_with_names_the_projector_the_number_and_a_new_sequence_resets_it(
        server, contexts, scene):
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    projector = open_board(contexts(**PROJECTOR), scene["projector_url"])
    camille = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])  # Production
    teammate = open_board(contexts(**LAPTOP), scene["people"][4]["board_url"])  # Production too
    karim = open_board(contexts(**LAPTOP), scene["people"][1]["board_url"])  # Ingénierie
    expect(console.locator("#done-count")).to_have_text("Équipes ayant terminé : 0 sur 4")
    expect(projector.locator("#pace")).to_be_hidden()  # no timer, nobody done: the grid keeps the room
    # Compléter is team work (the format's done: "team"): one member says it for the team.
    camille.get_by_role("button", name="Notre équipe a terminé").click()
    expect(camille.get_by_role("button", name="Notre équipe a terminé")).to_have_attribute("aria-pressed", "true")
    expect(teammate.get_by_role("button", name="Notre équipe a terminé")).to_have_attribute("aria-pressed", "true")
    expect(karim.get_by_role("button", name="Notre équipe a terminé")).to_have_attribute("aria-pressed", "false")
    karim.get_by_role("button", name="Notre équipe a terminé").click()
    expect(console.locator("#done-count")).to_have_text("Équipes ayant terminé : 2 sur 4")
    expect(console.locator("#done-names")).to_have_text("Ont terminé : Production, Ingénierie")
    expect(projector.locator("#projector-done")).to_have_text("Équipes ayant terminé : 2 sur 4")
    done_font = projector.locator("#projector-done").evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")
    assert done_font >= 24, done_font
    # Taken back by a teammate.
    teammate.get_by_role("button", name="Notre équipe a terminé").click()
    expect(console.locator("#done-count")).to_have_text("Équipes ayant terminé : 1 sur 4")
    expect(camille.get_by_role("button", name="Notre équipe a terminé")).to_have_attribute("aria-pressed", "false")
    console.locator("#done-count").scroll_into_view_if_needed()
    console.screenshot(path=SHOTS.format("console-done"))
    projector.screenshot(path=SHOTS.format("projector-done"))
    # The next sequence (the vote, one participant one voice): nobody is done any more.
    console.get_by_role("button", name="Séquence suivante").click()
    expect(console.locator("#done-count")).to_have_text("Terminé : 0 sur 20")
    expect(projector.locator("#pace")).to_be_hidden()
    expect(karim.get_by_role("button", name="J’ai terminé")).to_have_attribute("aria-pressed", "false")
    karim.get_by_role("button", name="J’ai terminé").click()
    expect(console.locator("#done-count")).to_have_text("Terminé : 1 sur 20")
    expect(console.locator("#done-names")).to_have_text("Ont terminé : Karim Benali")
    expect(projector.locator("#projector-done")).to_have_text("Terminé : 1 sur 20")
    # An anonymous sequence: the console counts who is done without naming them.
    as_facilitator(server.url, scene, ("set_anonymity", {"on": True, "sequence": VOTE}))
    expect(console.locator("#done-names")).to_be_hidden()
    expect(console.locator("#done-count")).to_have_text("Terminé : 1 sur 20")
    as_facilitator(server.url, scene, ("set_anonymity", {"on": False, "sequence": VOTE}))
    expect(console.locator("#done-names")).to_have_text("Ont terminé : Karim Benali")


def test_participants_see_the_new_sequence_with_its_instruction_and_close_it(server, contexts, scene):
    laptop = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    phone = open_board(contexts(**PHONE), scene["people"][1]["board_url"])
    notice_of = lambda page: page.locator("#sequence-notice")  # noqa: E731
    for page in (laptop, phone):
        expect(notice_of(page)).to_be_hidden()  # the sequence the page opened in is no news
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}))
    instruction = "Parcourez tout le Panorama et votez pour les compétences incontournables."
    for name, page in (("laptop", laptop), ("phone", phone)):
        notice = notice_of(page)
        expect(notice).to_be_visible()
        expect(notice).to_be_in_viewport(ratio=1)
        expect(notice.get_by_role("heading")).to_have_text("Séquence 4 : Incontournables")
        expect(notice).to_contain_text(instruction)
        for node in ("h2", ".sequence-notice-instruction"):
            font = notice.locator(node).evaluate("(n) => parseFloat(getComputedStyle(n).fontSize)")
            assert font >= 16, (name, node, font)
        # Screen readers hear the same, at once.
        expect(page.locator("#activity")).to_have_text(f"Nouvelle séquence : Incontournables. {instruction}")
        close = notice.get_by_role("button", name="Compris")
        size = close.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
        page.screenshot(path=SHOTS.format(f"{name}-sequence-notice"))
    laptop.get_by_role("button", name="Compris").click()
    expect(notice_of(laptop)).to_be_hidden()
    phone.keyboard.press("Escape")
    expect(notice_of(phone)).to_be_hidden()
    # Back to Compléter: announced again.
    as_facilitator(server.url, scene, ("set_sequence", {"index": COMPLETE}))
    expect(notice_of(laptop).get_by_role("heading")).to_have_text("Séquence 3 : Compléter")
