"""The factors map in a real browser (spec CANVAS11, CANVAS12): 50 factors in 8 families on a canvas, at a
laptop's 1366×768 and on the projector; families readable, their cards inside their frames and apart,
a card dragged with the mouse into a family landing there for another participant, a card dropped on
the canvas showing where it was dropped, and families made, renamed and deleted from the page."""
import re
import shutil
from pathlib import Path

import pytest

from browser import expect, open_board, shoot, wait_laid_out, wait_until
from canvas_scene import CANVAS, build_families_scene
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def scene(server):
    """One factors map at full scale, for the tests that only look."""
    return build_families_scene(server.url)


def rendered_font(locator):
    """The font size a person sees, in CSS px of the screen: the computed size times the zoom that applies."""
    return locator.evaluate("""(node) => {
        const size = parseFloat(getComputedStyle(node).fontSize);
        const zoom = node.getBoundingClientRect().height / (node.offsetHeight || 1);
        return size * zoom;
    }""")


def boxes(page, selector):
    """Bounding boxes of every element matching `selector`, by their data-card or data-zone."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map((node) => {
        const r = node.getBoundingClientRect();
        return {id: node.dataset.card || node.dataset.zone, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    })""", selector)


def inside(inner, outer, slack=1):
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack)


def overlap(a, b):
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1


def test_fifty_factors_in_eight_families_read_on_a_laptop(scene, contexts, shots):
    """CANVAS11, CANVAS12: every family's name at 14 px or more on a 1366×768 laptop, each of its cards
    inside its frame, no two cards overlapping, the families apart, the ungrouped factors on the canvas."""
    workshop, families = scene
    page = open_board(contexts(**LAPTOP), workshop["participants"][0]["board_url"])
    expect(page.locator(".family")).to_have_count(8)
    shutil.copy(shoot(page, "factors-families-laptop", shots), "/tmp/canvas-laptop.png")
    frames = {b["id"]: b for b in boxes(page, ".family")}
    for zone_id, name, cards in families:
        title = page.locator(f'.family[data-zone="{zone_id}"] .family-name')
        expect(title).to_have_text(name)
        assert rendered_font(title) >= 14, (name, rendered_font(title))
        inner = {b["id"]: b for b in boxes(page, f'.family[data-zone="{zone_id}"] [data-card]')}
        assert set(inner) == set(cards)
        assert all(inside(box, frames[zone_id]) for box in inner.values()), zone_id
    placed = boxes(page, ".canvas-area [data-card]")
    assert len(placed) == 50
    clashes = [(a["id"], b["id"]) for i, a in enumerate(placed) for b in placed[i + 1:] if overlap(a, b)]
    assert not clashes, clashes
    framed = list(frames.values())
    assert not [(a["id"], b["id"]) for i, a in enumerate(framed) for b in framed[i + 1:] if overlap(a, b)]
    texts = page.locator(".canvas-area .card-text")
    assert min(rendered_font(texts.nth(i)) for i in range(0, 50, 7)) >= 11.5  # the board's readable minimum, 12 px, rounded


def test_the_projector_shows_the_whole_map_for_the_back_of_the_room(scene, contexts, shots):
    """CANVAS11: the projector draws the whole canvas on its screen, families where the teams put them, each
    name in large type and every card inside its family's frame."""
    workshop, families = scene
    page = open_board(contexts(**PROJECTOR), workshop["projector_url"])
    expect(page.locator(".family")).to_have_count(8)
    wait_laid_out(page)
    shutil.copy(shoot(page, "factors-families", shots, settle_ms=300), "/tmp/canvas-projector.png")
    surface = boxes(page, ".canvas-area")[0]
    assert surface["left"] >= 0 and surface["top"] >= 0 and surface["right"] <= 1920 and surface["bottom"] <= 1080
    frames = {b["id"]: b for b in boxes(page, ".family")}
    for zone_id, name, cards in families:
        title = page.locator(f'.family[data-zone="{zone_id}"] .family-name')
        expect(title).to_have_text(name)
        assert rendered_font(title) >= 18, (name, rendered_font(title))
        assert all(inside(box, frames[zone_id]) for box in boxes(page, f'.family[data-zone="{zone_id}"] [data-card]'))
    # Where the teams put them: the first four on one line, left to right, the others under them.
    first = [frames[f"fam-{n}"] for n in range(1, 9)]
    assert [round(box["top"]) for box in first[:4]] == [round(first[0]["top"])] * 4
    assert all(a["right"] <= b["left"] for a, b in zip(first[:3], first[1:4]))
    assert all(low["top"] >= high["bottom"] for high, low in zip(first[:4], first[4:]))
    assert min(rendered_font(page.locator(".canvas-area .card-text").nth(i)) for i in range(0, 50, 7)) >= 16


def mouse_drag(page, source, to_x, to_y, steps=12):
    """Press on `source` and move the mouse in steps to the screen point (to_x, to_y); returns the release."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(start_x + (to_x - start_x) * i / steps, start_y + (to_y - start_y) * i / steps)
    return lambda: page.mouse.up()


@pytest.fixture
def two_people(server, contexts):
    """A fresh factors map in its families sequence: Rouge's two participants on two laptops, a family
    "Demande" and two of Rouge's factors on the canvas (f01 low on the left, f02 beside it)."""
    from canvas_scene import create_canvas_workshop, teams_at_work
    workshop = create_canvas_workshop(server.url, participants=4)
    teams_at_work(server.url, workshop)
    first, second = workshop["participants"][0], workshop["participants"][2]  # both in Rouge
    client = BoardClient(server.url, first["token"])
    try:
        assert client.command("create_zone", {"zone_id": "fam-demande", "area_id": CANVAS, "label": "Demande",
                                              "x": 0.55, "y": 0.05})["ok"]
        for card_id, x in (("f01", 0.05), ("f02", 0.2)):
            assert client.command("move_card", {"card_id": card_id, "zone_id": CANVAS, "x": x, "y": 0.6})["ok"]
    finally:
        client.close()
    pages = [open_board(contexts(**LAPTOP), person["board_url"]) for person in (first, second)]
    for page in pages:
        expect(page.locator('.family[data-zone="fam-demande"]')).to_be_visible()
    return workshop, pages


def test_a_card_dragged_into_a_family_lands_there_for_another_participant(two_people):
    """CANVAS12: a mouse drag onto a family's frame puts the card in it, inside the frame, on both laptops."""
    workshop, (page, other) = two_people
    frame = page.locator('.family[data-zone="fam-demande"]')
    frame.scroll_into_view_if_needed()
    goal = frame.bounding_box()
    release = mouse_drag(page, page.locator('[data-card="f01"] .card-body'), goal["x"] + goal["width"] * 0.3,
                         goal["y"] + goal["height"] * 0.5)
    expect(frame).to_have_class(re.compile(r"\bdrop-target\b"))  # said before the release: it goes in here
    release()
    for viewer in (page, other):
        inner = viewer.locator('.family[data-zone="fam-demande"] [data-card="f01"]')
        expect(inner).to_be_visible()
        inner.scroll_into_view_if_needed()
        box, outer = inner.bounding_box(), viewer.locator('.family[data-zone="fam-demande"]').bounding_box()
        assert outer["x"] <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
        assert outer["y"] <= box["y"] and box["y"] + box["height"] <= outer["y"] + outer["height"] + 1
    wait_until(other, "window.atelier.connection.confirmed.cards.get('f01').zone === 'fam-demande'")
    shutil.copy(shoot(other, "canvas-drag-into-family", Path("/tmp")), "/tmp/canvas-drag-second.png")


def test_a_card_dropped_on_the_canvas_shows_where_it_was_dropped(two_people):
    """CANVAS11: the card's top left corner is at the point it was dropped, on the dropper's screen, and at
    the same place of the canvas on the other participant's."""
    workshop, (page, other) = two_people
    surface = page.locator(".canvas-area")
    surface.scroll_into_view_if_needed()
    area = surface.bounding_box()
    to_x, to_y = area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.25
    release = mouse_drag(page, page.locator('[data-card="f02"] .card-body'), to_x, to_y)
    release()
    wait_until(page, "window.atelier.connection.pending.size === 0")
    card_box = page.locator('[data-card="f02"]').bounding_box()
    assert abs(card_box["x"] - to_x) <= 3 and abs(card_box["y"] - to_y) <= 3, (card_box, to_x, to_y)
    sent = page.evaluate("(() => { const c = window.atelier.connection.confirmed.cards.get('f02'); return [c.zone, c.x, c.y]; })()")
    assert sent[0] == CANVAS and abs(sent[1] - 0.3) < 0.01 and abs(sent[2] - 0.25) < 0.01, sent
    wait_until(other, "window.atelier.connection.confirmed.cards.get('f02').y < 0.5")
    there = other.locator(".canvas-area")
    there.scroll_into_view_if_needed()
    theirs, their_card = there.bounding_box(), other.locator('[data-card="f02"]').bounding_box()
    assert abs((their_card["x"] - theirs["x"]) / theirs["width"] - 0.3) < 0.01
    assert abs((their_card["y"] - theirs["y"]) / theirs["height"] - 0.25) < 0.01


def test_a_family_is_made_named_renamed_and_deleted_from_the_board(two_people):
    """CANVAS1, CANVAS6, CANVAS8, CANVAS9 from the page: the button asks for a name in a dialog, the new
    family shows on both laptops in a free place; renamed in place (Enter); a family with a card keeps
    its delete button hidden; emptied, it is deleted after a question, for both."""
    workshop, (page, other) = two_people
    page.get_by_role("button", name="+ Nouvelle famille").click()
    dialog = page.locator("dialog.ask")
    expect(dialog).to_be_visible()
    dialog.locator("input").fill("Ressources humaines")
    shoot(page, "canvas-new-family-dialog", Path("/tmp"))
    dialog.get_by_role("button", name="Créer").click()
    made = other.locator(".family", has=other.locator(".family-name", has_text="Ressources humaines"))
    expect(made).to_be_visible()
    frames = boxes(other, ".family")
    assert len(frames) == 2 and not overlap(frames[0], frames[1])  # put where no family is
    zone_id = made.get_attribute("data-zone")
    mine = page.locator(f'.family[data-zone="{zone_id}"]')
    mine.locator(".family-rename").click()
    field = mine.locator(".family-name-input")
    expect(field).to_be_focused()
    field.fill("RH et management")
    shoot(page, "canvas-rename-inline", Path("/tmp"))
    field.press("Enter")
    expect(other.locator(f'.family[data-zone="{zone_id}"] .family-name')).to_have_text("RH et management")
    expect(mine.locator(".family-name")).to_have_text("RH et management")
    # A family with a card in it offers no delete; once empty it does.
    page.locator('[data-card="f01"] .card-body').scroll_into_view_if_needed()
    goal = mine.bounding_box()
    mouse_drag(page, page.locator('[data-card="f01"] .card-body'), goal["x"] + 30, goal["y"] + goal["height"] / 2)()
    expect(mine.locator('[data-card="f01"]')).to_be_visible()
    expect(mine.locator(".family-delete")).to_be_hidden()
    page.locator('[data-card="f01"] .card-body').scroll_into_view_if_needed()
    source = page.locator('[data-card="f01"] .card-body').bounding_box()
    mouse_drag(page, page.locator('[data-card="f01"] .card-body'), source["x"] + 20, source["y"] + 330)()
    expect(mine.locator('[data-card="f01"]')).to_have_count(0)
    expect(mine.locator(".family-delete")).to_be_visible()
    mine.locator(".family-delete").click()
    page.locator("dialog.confirm").get_by_role("button", name="Supprimer la famille").click()
    expect(other.locator(f'.family[data-zone="{zone_id}"]')).to_have_count(0)
    expect(page.locator(f'.family[data-zone="{zone_id}"]')).to_have_count(0)


def test_a_family_name_already_taken_is_refused_with_its_reason(two_people):
    """CANVAS7: the refusal is said on the page, and the family is not made."""
    workshop, (page, other) = two_people
    page.get_by_role("button", name="+ Nouvelle famille").click()
    page.locator("dialog.ask input").fill("demande")
    page.locator("dialog.ask").get_by_role("button", name="Créer").click()
    expect(page.locator("#toast")).to_contain_text("Une famille porte déjà ce nom")
    expect(page.locator(".family")).to_have_count(1)


def test_a_card_is_carried_into_a_family_with_the_keyboard(two_people):
    """CANVAS12: Space picks the card up, arrows reach the family, Enter puts it in."""
    workshop, (page, other) = two_people
    body = page.locator('[data-card="f02"] .card-body')
    body.focus()
    body.press("Space")
    for _ in range(4):
        if page.locator('.family[data-zone="fam-demande"].drop-target').count():
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator('.family[data-zone="fam-demande"]')).to_have_class(re.compile(r"\bdrop-target\b"))
    page.keyboard.press("Enter")
    expect(other.locator('.family[data-zone="fam-demande"] [data-card="f02"]')).to_be_visible()


def test_cards_carried_from_the_deck_to_the_canvas_by_keyboard_never_pile_up(server, contexts):
    """CANVAS11 without a pointer: Space on a deck card, Left to the canvas, Enter; two cards carried so
    land side by side, both visible and apart."""
    from canvas_scene import create_canvas_workshop, teams_at_work
    workshop = create_canvas_workshop(server.url, participants=2)
    teams_at_work(server.url, workshop)
    page = open_board(contexts(**LAPTOP), workshop["participants"][0]["board_url"])
    for card_id in ("f10", "f11"):
        body = page.locator(f'#deck-list [data-card="{card_id}"] .card-body')
        body.focus()
        body.press("Space")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(f'.canvas-area[data-zone="{CANVAS}"]')).to_have_class(re.compile(r"\bdrop-target\b"))
        page.keyboard.press("Enter")
        expect(page.locator(f'.canvas-area [data-card="{card_id}"]')).to_be_visible()
    wait_until(page, "window.atelier.connection.pending.size === 0")
    first, second = (page.locator(f'.canvas-area [data-card="{c}"]').bounding_box() for c in ("f10", "f11"))
    assert not overlap({"left": first["x"], "top": first["y"], "right": first["x"] + first["width"], "bottom": first["y"] + first["height"]},
                       {"left": second["x"], "top": second["y"], "right": second["x"] + second["width"], "bottom": second["y"] + second["height"]})


def test_a_finger_pressing_and_holding_a_card_carries_it_into_a_family(server, contexts):
    """CANVAS12 on a tablet: a press-and-hold lifts the card, the finger takes it into the family, and the
    other participant's laptop shows it there."""
    from canvas_scene import create_canvas_workshop, teams_at_work
    from test_browser_touch import Finger, middle  # one finger (DevTools touch events) for every touch test
    workshop = create_canvas_workshop(server.url, participants=4)
    teams_at_work(server.url, workshop)
    first, second = workshop["participants"][0], workshop["participants"][2]
    client = BoardClient(server.url, first["token"])
    try:
        assert client.command("create_zone", {"zone_id": "fam", "area_id": CANVAS, "label": "Climat", "x": 0.3, "y": 0.05})["ok"]
        assert client.command("move_card", {"card_id": "f20", "zone_id": CANVAS, "x": 0.05, "y": 0.05})["ok"]
    finally:
        client.close()
    page = open_board(contexts(viewport={"width": 1024, "height": 768}, has_touch=True), first["board_url"])
    other = open_board(contexts(**LAPTOP), second["board_url"])
    source = page.locator('[data-card="f20"] .card-body')
    expect(source).to_be_visible()
    x, y = middle(source)
    x1, y1 = middle(page.locator('.family[data-zone="fam"] .family-cards'))
    Finger(page).hold_and_drag(x, y, x1, y1,
                               check_lifted=lambda: expect(page.locator(".card.floating.held")).to_be_visible())
    expect(other.locator('.family[data-zone="fam"] [data-card="f20"]')).to_be_visible()
    expect(page.locator('.family[data-zone="fam"] [data-card="f20"]')).to_be_visible()
