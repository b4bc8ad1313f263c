"""Families that grow with their cards and are moved by the room (spec CANVAS13, CANVAS15), in a real browser.

The scene is the factors map at full scale with uneven families (tests/canvas_scene.py
build_uneven_families_scene: 50 factors, 8 families of 3 to 12, two ungrouped), looked at on a laptop
(1366x768), a tablet under a finger (1024x768) and the projector (1920x1080): no two families' frames
intersect, no frame covers a card outside it, every card of a family shows inside its frame, uncovered,
and under a finger every button of a family is a 44 px target. Then a family is dragged by its title
bar (mouse, finger) and moved with the arrow keys, landing where nothing else is, for everyone.
Screenshots: /tmp/fam-*.png.
"""
import re

import pytest

from browser import expect, open_board, wait_laid_out, wait_until
from canvas_scene import CANVAS, build_uneven_families_scene, create_canvas_workshop, teams_at_work
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SCREENS = {"laptop": LAPTOP, "tablet": TABLET, "projector": PROJECTOR}


@pytest.fixture(scope="module")
def scene(server):
    """One uneven factors map, for the tests that only look."""
    return build_uneven_families_scene(server.url)


def boxes(page, selector):
    """Screen boxes of every element matching `selector`, by data-card or data-zone."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map((node) => {
        const r = node.getBoundingClientRect();
        return {id: node.dataset.card || node.dataset.zone, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    })""", selector)


def overlap(a, b):
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1


def inside(inner, outer, slack=1):
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack)


def uncovered(page, card_id):
    """The card, scrolled into the screen, is what shows at its centre (no frame or card over it), and
    the whole of it is inside the screen."""
    node = page.locator(f'.canvas-area [data-card="{card_id}"]')
    node.scroll_into_view_if_needed()
    return node.evaluate("""(node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return (node === top || node.contains(top)) && r.left >= 0 && r.top >= 0
            && r.right <= innerWidth && r.bottom <= innerHeight;
    }""")


def open_screen(contexts, url, screen):
    page = open_board(contexts(**SCREENS[screen]), url)
    expect(page.locator(".family")).to_have_count(8)
    if screen == "projector":
        wait_laid_out(page)  # the projector says when it has fitted the map to its screen
    return page


@pytest.mark.parametrize("screen", ["laptop", "tablet", "projector"])
def test_uneven_families_never_cover_one_another_or_a_card_outside_them(scene, contexts, screen):
    """CANVAS15: frames sized to their cards (12 cards: six lines), none intersecting another, none over an
    ungrouped card; every card of a family visible inside its frame, nothing drawn over it."""
    workshop, families, ungrouped = scene
    url = workshop["projector_url"] if screen == "projector" else workshop["participants"][0]["board_url"]
    page = open_screen(contexts, url, screen)
    page.screenshot(path=f"/tmp/fam-uneven-{screen}.png", full_page=False)
    page.locator(".canvas-area").screenshot(path=f"/tmp/fam-uneven-{screen}-canvas.png")
    frames = {b["id"]: b for b in boxes(page, ".family")}
    clashes = [(a, b) for i, a in enumerate(frames) for b in list(frames)[i + 1:] if overlap(frames[a], frames[b])]
    assert not clashes, clashes
    loose = {b["id"]: b for b in boxes(page, ".canvas-area > .canvas-cards > [data-card]")}
    assert set(loose) == set(ungrouped)
    assert not [(card, zone) for card, box in loose.items() for zone, frame in frames.items() if overlap(box, frame)]
    tallest = max(frames.values(), key=lambda b: b["bottom"] - b["top"])
    assert tallest["id"] == "fam-1"  # the family of 12 is the tallest: it grew with its cards
    for zone_id, name, cards in families:
        inner = {b["id"]: b for b in boxes(page, f'.family[data-zone="{zone_id}"] [data-card]')}
        assert set(inner) == set(cards), zone_id
        assert all(inside(box, frames[zone_id]) for box in inner.values()), zone_id
        for card_id in cards:
            expect(page.locator(f'[data-card="{card_id}"]')).to_be_visible()
    if screen == "projector":  # the room sees the whole map at once: every card inside the screen
        surface = boxes(page, ".canvas-area")[0]
        assert surface["top"] >= 0 and surface["bottom"] <= 1081 and surface["right"] <= 1921, surface
        assert all(page.evaluate("""(id) => { const r = document.querySelector(`[data-card="${id}"]`).getBoundingClientRect();
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return top && top.closest('[data-card]')?.dataset.card === id; }""", card_id)
                   for _, _, cards in families for card_id in cards)
    else:
        for _, _, cards in families:
            for card_id in cards[::2]:
                assert uncovered(page, card_id), (screen, card_id)
    if screen == "tablet":  # under a finger: the title bar and every button of a family are 44 px targets
        for selector in (".family-head", ".family-move", ".family-rename", ".card-body"):
            small = [b for b in boxes(page, f".canvas-area {selector}")
                     if b["bottom"] - b["top"] < 44 or (selector != ".family-head" and b["right"] - b["left"] < 44)]
            assert not small, (selector, small[:3])


@pytest.fixture
def moving(server, contexts):
    """A fresh factors map in its families sequence: "Demande" (2 cards) at the top left, "Climat" (7 cards)
    beside it, an ungrouped factor; Rouge's two participants on two laptops."""
    workshop = create_canvas_workshop(server.url, participants=4)
    teams_at_work(server.url, workshop)
    first, second = workshop["participants"][0], workshop["participants"][2]  # both in Rouge
    client = BoardClient(server.url, first["token"])
    try:
        assert client.command("create_zone", {"zone_id": "demande", "area_id": CANVAS, "label": "Demande",
                                              "x": 0.02, "y": 0.03, "card_ids": ["f01", "f02"]})["ok"]
        assert client.command("create_zone", {"zone_id": "climat", "area_id": CANVAS, "label": "Climat",
                                              "x": 0.3, "y": 0.03, "card_ids": [f"f{n:02d}" for n in range(3, 10)]})["ok"]
        assert client.command("move_card", {"card_id": "f20", "zone_id": CANVAS, "x": 0.75, "y": 0.7})["ok"]
    finally:
        client.close()
    return workshop, first, second


def frame_fraction(page, zone_id):
    """A family's frame's top left corner as fractions of the canvas's width and of its base height (900 px)."""
    return page.evaluate("""(id) => {
        const frame = document.querySelector(`.family[data-zone="${id}"]`);
        return [frame.offsetLeft / 1600, frame.offsetTop / 900];
    }""", zone_id)


def test_a_family_dragged_by_its_title_bar_lands_on_a_free_place_for_everyone(moving, contexts):
    """CANVAS13: the title bar dragged with the mouse onto "Climat" puts "Demande" at the free place nearest
    to the drop, beside Climat and never over it; its cards come with it; the other laptop shows it there."""
    workshop, first, second = moving
    page = open_board(contexts(**LAPTOP), first["board_url"])
    other = open_board(contexts(**LAPTOP), second["board_url"])
    head = page.locator('.family[data-zone="demande"] .family-name')
    climat = page.locator('.family[data-zone="climat"]').bounding_box()
    start = head.bounding_box()
    sx, sy = start["x"] + 20, start["y"] + start["height"] / 2
    to_x, to_y = climat["x"] + climat["width"] * 0.6, sy + 40  # onto Climat's right half
    page.mouse.move(sx, sy)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(sx + (to_x - sx) * i / 12, sy + (to_y - sy) * i / 12)
    expect(page.locator('.family[data-zone="demande"]')).to_have_class(re.compile(r"\bmoving\b"))
    page.screenshot(path="/tmp/fam-drag-midway.png")
    page.mouse.up()
    wait_until(other, "window.atelier.connection.confirmed.zones.get('demande').x > 0.3")
    for viewer in (page, other):
        frames = {b["id"]: b for b in boxes(viewer, ".family")}
        assert not overlap(frames["demande"], frames["climat"])
        assert frames["demande"]["left"] >= frames["climat"]["right"]  # put right of Climat, the nearest free place
        cards = boxes(viewer, '.family[data-zone="demande"] [data-card]')
        assert {c["id"] for c in cards} == {"f01", "f02"} and all(inside(c, frames["demande"]) for c in cards)
        loose = boxes(viewer, '.canvas-area > .canvas-cards > [data-card]')
        assert not [c for c in loose if overlap(c, frames["demande"])]
    mine, theirs = frame_fraction(page, "demande"), frame_fraction(other, "demande")
    assert abs(mine[0] - theirs[0]) < 0.002 and abs(mine[1] - theirs[1]) < 0.002  # the same place for both
    page.screenshot(path="/tmp/fam-dragged.png")


def test_a_family_moves_with_the_arrow_keys_and_never_onto_another(moving, contexts):
    """CANVAS13 without a pointer: the move button, then ArrowRight again and again, takes "Demande" step by
    step towards "Climat" and then past it in one jump (never onto it); ArrowDown takes it lower; the
    button keeps the focus and the move is said."""
    workshop, first, second = moving
    page = open_board(contexts(**LAPTOP), first["board_url"])
    button = page.locator('.family[data-zone="demande"] .family-move')
    expect(button).to_have_attribute("aria-label", "Déplacer la famille Demande (flèches)")
    button.focus()
    places = []
    for _ in range(4):
        before = page.evaluate("window.atelier.connection.confirmed.version")
        page.keyboard.press("ArrowRight")
        wait_until(page, f"window.atelier.connection.confirmed.version > {before} && window.atelier.connection.pending.size === 0")
        frames = {b["id"]: b for b in boxes(page, ".family")}
        assert not overlap(frames["demande"], frames["climat"])
        places.append(frames["demande"]["left"])
        if frames["demande"]["left"] >= frames["climat"]["right"]:
            break
    assert places == sorted(places) and len(set(places)) == len(places)  # each press further right
    assert frames["demande"]["left"] >= frames["climat"]["right"], places  # past Climat, in one jump
    before = page.evaluate("window.atelier.connection.confirmed.zones.get('demande').y")
    page.keyboard.press("ArrowDown")
    wait_until(page, f"window.atelier.connection.confirmed.zones.get('demande').y > {before}")
    expect(button).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("Famille Demande déplacée")


def test_a_finger_drags_a_family_by_its_title_bar_on_a_tablet(moving, contexts):
    """CANVAS13 under a finger: the title bar follows the finger (no press-and-hold), and the family lands
    where it was put, for the laptop beside it too."""
    from test_browser_touch import Finger, middle
    workshop, first, second = moving
    page = open_board(contexts(**TABLET), first["board_url"])
    other = open_board(contexts(**LAPTOP), second["board_url"])
    x, y = middle(page.locator('.family[data-zone="demande"] .family-name'))
    Finger(page).swipe(x, y, 0, 420, steps=14)
    wait_until(other, "window.atelier.connection.confirmed.zones.get('demande').y > 0.3")
    for viewer in (page, other):
        frames = {b["id"]: b for b in boxes(viewer, ".family")}
        assert not overlap(frames["demande"], frames["climat"])
    page.screenshot(path="/tmp/fam-finger-dragged.png")


def test_a_family_that_grows_pushes_the_family_under_it_down(moving, server, contexts):
    """CANVAS15, live: cards moved into a family put above another make its frame reach down; the family
    under it is drawn just below it, never under it, on the page that watches."""
    workshop, first, second = moving
    page = open_board(contexts(**LAPTOP), second["board_url"])
    client = BoardClient(server.url, first["token"])
    try:
        assert client.command("create_zone", {"zone_id": "rh", "area_id": CANVAS, "label": "RH",
                                              "x": 0.02, "y": 0.45, "card_ids": ["f30", "f31"]})["ok"]
        expect(page.locator('.family[data-zone="rh"]')).to_be_visible()
        for n in range(10, 19):  # Demande: 2 cards, then 11
            assert client.command("move_card", {"card_id": f"f{n:02d}", "zone_id": "demande", "x": 0.5, "y": 1})["ok"]
    finally:
        client.close()
    expect(page.locator('.family[data-zone="demande"] [data-card]')).to_have_count(11)
    frames = {b["id"]: b for b in boxes(page, ".family")}
    assert not overlap(frames["demande"], frames["rh"])
    assert frames["rh"]["top"] >= frames["demande"]["bottom"]
    cards = boxes(page, '.family[data-zone="demande"] [data-card]')
    assert all(inside(c, frames["demande"]) for c in cards)
    page.locator(".canvas-area").screenshot(path="/tmp/fam-grown.png")
