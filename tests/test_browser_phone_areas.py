"""The phone's area picker for a format without a Panorama (static/js/phone-areas.js), in a real browser.

On the full-scale factors map (tests/canvas_scene.py build_uneven_families_scene: 50 factors, 8 families
of 3 to 12), a participant on a 390x844 touch phone picks what to show in the phone's bar (the canvas's
own cards, or one of its families), sees it as a list that fits the screen, and places a deck card there
with two taps (the card's dialog offers the place shown); a participant on a laptop sees the card there.
The packaged Rencontre prospective (free areas only) gets the same picker over its themes.
Screenshots: /tmp/fam-phone-*.png.
"""
import pytest

from browser import expect, open_board, wait_until
from canvas_scene import CANVAS, build_uneven_families_scene
from realtime import BoardClient

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SCREEN = {"x": 0, "y": 0, "width": 390, "height": 844}


@pytest.fixture
def scene(server):
    """The uneven factors map, two of Rouge's factors (f01, f02) taken back to the deck by the facilitator."""
    workshop, families, ungrouped = build_uneven_families_scene(server.url)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        for card_id in ("f01", "f02"):
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": "deck", "x": 0.5, "y": 1})["ok"]
    finally:
        facilitator.close()
    return workshop, families


def on_screen(box, slack=1):
    """The whole box inside the phone's screen."""
    return (box["x"] >= -slack and box["y"] >= -slack and box["x"] + box["width"] <= SCREEN["width"] + slack
            and box["y"] + box["height"] <= SCREEN["height"] + slack)


def target_of(page, locator):
    """A touch target's box, after bringing it on screen; asserted 44 px both ways and inside the screen."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    assert on_screen(box), box
    return box


def place_from_the_deck(page, card_id, zone_id):
    """Open the deck sheet, tap the card, check that "Placer dans…" offers `zone_id`, tap "Placer"."""
    page.get_by_role("button", name="Cartes", exact=True).tap()
    sheet = page.locator("#deck-panel")
    card = sheet.locator(f'[data-card="{card_id}"] .card-body')
    expect(card).to_be_visible()
    card.tap()
    dialog = page.locator("#card-details")
    expect(dialog).to_be_visible()
    assert on_screen(dialog.bounding_box()), dialog.bounding_box()
    expect(dialog.locator("#card-details-zone")).to_have_value(zone_id)  # the place the phone shows
    target_of(page, dialog.get_by_role("button", name="Placer", exact=True))
    dialog.get_by_role("button", name="Placer", exact=True).tap()
    expect(dialog).to_be_hidden()
    expect(sheet).to_be_hidden()


def test_a_phone_shows_one_family_at_a_time_and_places_a_card_in_it_by_touch(scene, contexts):
    """The bar lists the canvas and its eight families; ›, tapped, steps to a family, shown alone as a list
    inside the screen (every card of it visible and whole on screen once scrolled to, the others hidden);
    a deck card tapped and placed lands in that family, for the laptop beside the phone too."""
    workshop, families = scene
    phone = open_board(contexts(**PHONE), workshop["participants"][0]["board_url"])
    laptop = open_board(contexts(**LAPTOP), workshop["participants"][2]["board_url"])
    picker = phone.get_by_role("combobox", name="Zone affichée")
    expect(picker).to_be_visible()
    options = picker.locator("option")
    expect(options).to_have_count(1 + len(families))
    assert options.all_inner_texts() == ["Carte des familles"] + [f"— Famille {name}" for _, name, _ in families]
    for control in (picker, phone.get_by_role("button", name="Zone suivante"), phone.get_by_role("button", name="Zone précédente")):
        assert on_screen(control.bounding_box()) and control.bounding_box()["height"] >= 44
    phone.screenshot(path="/tmp/fam-phone-canvas.png")
    zone_id, name, cards = families[2]  # Technologies de rupture: 9 factors
    step = phone.get_by_role("button", name="Zone suivante")
    for _ in range(3):
        target_of(phone, step)
        step.tap()
    expect(picker).to_have_value(zone_id)
    frame = phone.locator(f'.family[data-zone="{zone_id}"]')
    expect(frame).to_be_visible()
    expect(frame.locator(".family-name")).to_have_text(name)
    for other, _, _ in families:
        if other != zone_id:
            expect(phone.locator(f'.family[data-zone="{other}"]')).to_be_hidden()
    assert frame.bounding_box()["width"] <= SCREEN["width"]
    phone.screenshot(path="/tmp/fam-phone-family.png")
    for card_id in cards:
        card = frame.locator(f'[data-card="{card_id}"]')
        expect(card).to_be_visible()
        card.scroll_into_view_if_needed()
        assert on_screen(card.bounding_box()), (card_id, card.bounding_box())
    target_of(phone, frame.locator(".family-rename"))
    phone.locator("#viewport").evaluate("v => { v.scrollTop = 0; }")
    place_from_the_deck(phone, "f01", zone_id)
    placed = frame.locator('[data-card="f01"]')
    expect(placed).to_be_visible()
    placed.scroll_into_view_if_needed()
    assert on_screen(placed.bounding_box())
    phone.screenshot(path="/tmp/fam-phone-placed-in-family.png")
    expect(laptop.locator(f'.family[data-zone="{zone_id}"] [data-card="f01"]')).to_be_visible()


def test_a_phone_places_a_card_on_the_canvas_itself_by_touch(scene, contexts):
    """The canvas chosen in the bar shows its own (ungrouped) cards as a list and no family; a deck card
    placed from there lands on the canvas, in no family, for the laptop too, where no family covers it."""
    workshop, families = scene
    phone = open_board(contexts(**PHONE), workshop["participants"][0]["board_url"])
    laptop = open_board(contexts(**LAPTOP), workshop["participants"][2]["board_url"])
    picker = phone.get_by_role("combobox", name="Zone affichée")
    expect(picker).to_have_value(CANVAS)  # the canvas itself comes first
    expect(phone.locator(".family").first).to_be_hidden()
    loose = phone.locator(".canvas-area > .canvas-cards > [data-card]")
    expect(loose).to_have_count(2)
    for i in range(2):
        assert on_screen(loose.nth(i).bounding_box()), loose.nth(i).bounding_box()
    place_from_the_deck(phone, "f02", CANVAS)
    expect(phone.locator('.canvas-area > .canvas-cards > [data-card="f02"]')).to_be_visible()
    phone.screenshot(path="/tmp/fam-phone-placed-on-canvas.png")
    expect(loose).to_have_count(3)
    mine = laptop.locator('.canvas-area > .canvas-cards > [data-card="f02"]')
    expect(mine).to_be_visible()
    wait_until(laptop, "window.atelier.connection.confirmed.cards.get('f02').zone === 'carte'")
    card = mine.bounding_box()
    for frame in laptop.locator(".family").all():
        box = frame.bounding_box()
        assert (card["x"] + card["width"] <= box["x"] or box["x"] + box["width"] <= card["x"]
                or card["y"] + card["height"] <= box["y"] or box["y"] + box["height"] <= card["y"])


def test_a_plenary_of_themes_on_a_phone_shows_one_theme_at_a_time_and_takes_a_card_there(server, contexts):
    """The packaged Rencontre prospective has free areas (its themes) and no Panorama: the bar lists the four
    themes; › steps to the third, shown alone inside the screen; a deck card placed from there lands in it,
    for the laptop too."""
    import requests
    from conftest import join
    links = requests.post(server.url + "/workshops", json={"format": "rencontre-prospective"}, timeout=5).json()
    people = [join(server.url, links["join_code"], name) for name in ("Ana", "Karim")]
    facilitator = BoardClient(server.url, links["facilitator_url"].rsplit("/", 1)[1])
    try:
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # captation: cards move
        themes = [zone for zone in facilitator.replica.zones.values() if zone.kind == "free"]
        card_id = sorted((c for c in facilitator.replica.cards.values() if c.zone == "deck"), key=lambda c: c.z)[0].id
    finally:
        facilitator.close()
    phone = open_board(contexts(**PHONE), f"{server.url}/p/{people[0]['token']}")
    laptop = open_board(contexts(**LAPTOP), f"{server.url}/p/{people[1]['token']}")
    picker = phone.get_by_role("combobox", name="Zone affichée")
    expect(picker.locator("option")).to_have_count(4)
    assert picker.locator("option").all_inner_texts() == [zone.label["fr"] for zone in themes]
    step = phone.get_by_role("button", name="Zone suivante")
    for _ in range(2):
        target_of(phone, step)
        step.tap()
    theme = themes[2]
    expect(picker).to_have_value(theme.id)
    area = phone.locator(f'#panorama > .free-area[data-zone="{theme.id}"]')
    expect(area).to_be_visible()
    assert on_screen(area.bounding_box()), area.bounding_box()
    for other in themes:
        if other.id != theme.id:
            expect(phone.locator(f'#panorama > .free-area[data-zone="{other.id}"]')).to_be_hidden()
    place_from_the_deck(phone, card_id, theme.id)
    placed = area.locator(f'[data-card="{card_id}"]')
    expect(placed).to_be_visible()
    assert on_screen(placed.bounding_box())
    phone.screenshot(path="/tmp/fam-phone-theme.png")
    expect(laptop.locator(f'.free-area[data-zone="{theme.id}"] [data-card="{card_id}"]')).to_be_visible()
