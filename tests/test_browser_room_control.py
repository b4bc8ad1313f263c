"""The facilitator's hold on the room as people see it, in chromium on the full-scale scene
(tests/fullscale.py: 20 participants, 72 cards): the console locks the board and every screen says so,
the console leads everyone to one domain and a participant's board goes there (and they look elsewhere
and come back in one click), the door closed from the console shows on the join page, and the console's
controls are visible, reachable and large enough, in French and in English.
Screenshots go to /tmp/room-control-*.png."""
import pytest

from browser import card, drag_with_mouse, expect, font_px, on_top, open_board, wait_laid_out, wait_until
from fullscale import build_full_scene

LAPTOP = {"width": 1366, "height": 768}
WIDE = {"width": 1920, "height": 1080}
SHOT = "/tmp/room-control-{}.png"
LAST_ROW = "management"  # the last domain: far below the first screen of a laptop


def inside_viewport(page, locator):
    """The element's box lies wholly inside the window (no scrolling needed to see it)."""
    box = locator.bounding_box()
    view = page.viewport_size
    assert box and box["width"] > 0 and box["height"] > 0, box
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= view["width"] \
        and box["y"] + box["height"] <= view["height"], (box, view)
    return box


def row_in_sight(page, row_id):
    """Whether the first cell of a domain shows inside the board's scrolling viewport."""
    return page.evaluate("""(rowId) => {
        const cell = document.querySelector(`#panorama .cell[data-zone^="${rowId}/"]`);
        const frame = document.getElementById('viewport').getBoundingClientRect();
        const r = cell.getBoundingClientRect();
        return r.top >= frame.top - 1 && r.top + 40 <= frame.bottom && r.left < frame.right;
    }""", row_id)


@pytest.fixture
def scene(server):
    """A full-scale scene of its own: these tests lock, lead and close its door."""
    return build_full_scene(server.url, "placed")


def test_the_console_locks_the_board_and_every_screen_shows_it(scene, contexts):
    """LOCK2 as people see it: a band on the participant's laptop, the projector and the console;
    a card no longer lifts under the mouse; unlocking takes the bands away."""
    person = scene["people"][0]
    participant = open_board(contexts(viewport=LAPTOP), person["board_url"])
    projector = open_board(contexts(viewport=WIDE), scene["projector_url"])
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    lock = console.locator("#room-lock")
    lock.scroll_into_view_if_needed()
    expect(lock).to_have_text("Verrouiller le tableau")
    lock.click()
    expect(lock).to_have_text("Déverrouiller le tableau")
    expect(console.locator("#room-lock-status")).to_have_text("Tableau verrouillé : les participants ne peuvent rien changer.")
    for page, text in ((participant, "Tableau verrouillé par l’animation"), (projector, "Tableau verrouillé par l’animation"),
                       (console, "Tableau verrouillé : les participants")):
        band = page.locator("#lock-banner")
        expect(band).to_be_visible()
        expect(band).to_contain_text(text)
        page.evaluate("window.scrollTo(0, 0)")
        inside_viewport(page, band)
        assert font_px(band) >= 16
    assert font_px(projector.locator("#lock-banner")) >= 24  # read from the back of the room
    wait_laid_out(projector)
    # The projector still shows its whole board under the band: nothing pushed off the screen.
    stage = projector.locator("#stage").bounding_box()
    assert stage["y"] + stage["height"] <= WIDE["height"] + 1
    participant.screenshot(path=SHOT.format("participant-locked"))
    projector.screenshot(path=SHOT.format("projector-locked"))
    console.screenshot(path=SHOT.format("console-locked"))
    # The participant's own card of their team does not lift: dropped elsewhere, it stays where it was.
    mine = next(c for c in participant.evaluate("[...window.atelier.connection.confirmed.cards.values()]")
                if c["team"] == scene["team_of"][person["participant_id"]] and c["zone"] != "deck")
    expect(participant.locator(f'[data-card="{mine["id"]}"]')).to_have_attribute("data-locked", "locked")
    target = "parking"
    release = drag_with_mouse(participant, card(participant, mine["id"]), participant.locator(f'#panorama [data-zone="{target}"]'))
    release()
    participant.wait_for_timeout(300)
    assert participant.evaluate(f"window.atelier.connection.view().cards.get('{mine['id']}').zone") == mine["zone"]
    lock.click()
    for page in (participant, projector, console):
        expect(page.locator("#lock-banner")).to_be_hidden()
    expect(participant.locator(f'[data-card="{mine["id"]}"]')).not_to_have_attribute("data-locked", "locked")


def test_follow_brings_a_participant_to_the_domain_and_they_leave_and_come_back_in_one_click(scene, contexts):
    """FOLLOW1, FOLLOW3 as people see it: the console leads everyone to the last domain; the laptop's
    board scrolls there and outlines it, the projector shows it; "Regarder ailleurs" and a scroll leave
    it, "Revenir à la vue de l’animation" comes back; letting go takes the bar away."""
    participant = open_board(contexts(viewport=LAPTOP), scene["people"][5]["board_url"])
    projector = open_board(contexts(viewport=WIDE), scene["projector_url"])
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    assert not row_in_sight(participant, LAST_ROW)
    choice = console.locator("#room-follow-focus")
    choice.scroll_into_view_if_needed()
    choice.select_option(f"row:{LAST_ROW}")
    console.locator("#room-follow").click()
    expect(console.locator("#room-follow-status")).to_contain_text("Tout le monde suit : Domaine 8 / 8")
    bar = participant.locator("#follow-bar")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("L’animation vous montre : Domaine 8 / 8")
    inside_viewport(participant, bar)
    wait_until(participant, f"(() => {{ const c = document.querySelector('#panorama .cell[data-zone^=\"{LAST_ROW}/\"]');"
                            " const f = document.getElementById('viewport').getBoundingClientRect();"
                            " const r = c.getBoundingClientRect(); return r.top >= f.top - 1 && r.top + 40 <= f.bottom; })()")
    followed = participant.locator(f'#panorama .cell.followed[data-zone^="{LAST_ROW}/"]')
    expect(followed).to_have_count(2)
    expect(projector.locator("#focus-name")).to_contain_text("Domaine 8 / 8")
    participant.screenshot(path=SHOT.format("participant-following"))
    projector.screenshot(path=SHOT.format("projector-following"))
    # Leaving with the button: the bar stays, offering the way back; nothing moved the board.
    leave = participant.locator("#follow-leave")
    assert leave.bounding_box()["height"] >= 44 and on_top(leave)
    leave.click()
    back = participant.locator("#follow-back")
    expect(back).to_be_visible()
    expect(bar).to_contain_text("L’animation montre : Domaine 8 / 8")
    # Scrolling back to the top oneself: the domain is out of sight.
    participant.locator("#viewport").evaluate("(v) => { v.scrollTop = 0; }")
    assert not row_in_sight(participant, LAST_ROW)
    assert back.bounding_box()["height"] >= 44 and on_top(back)
    participant.screenshot(path=SHOT.format("participant-left-follow"))
    back.click()
    wait_until(participant, f"(() => {{ const c = document.querySelector('#panorama .cell[data-zone^=\"{LAST_ROW}/\"]');"
                            " const f = document.getElementById('viewport').getBoundingClientRect();"
                            " const r = c.getBoundingClientRect(); return r.top >= f.top - 1 && r.top + 40 <= f.bottom; })()")
    expect(leave).to_be_visible()
    # A wheel on the board is looking elsewhere too.
    participant.locator("#viewport").hover()
    participant.mouse.wheel(0, -400)
    expect(back).to_be_visible()
    # Let go from the console: the bar goes, the projector keeps the domain.
    console.locator("#room-follow-release").click()
    expect(bar).to_be_hidden()
    expect(participant.locator("#panorama .followed")).to_have_count(0)
    expect(console.locator("#room-follow-status")).to_have_text("Chacun regarde où il veut.")
    expect(projector.locator("#focus-name")).to_contain_text("Domaine 8 / 8")


def test_a_participant_who_opens_the_board_while_led_goes_there(scene, contexts):
    """FOLLOW1: a late page (a reload, a reconnect) is led too, from the snapshot."""
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    console.locator("#room-follow-focus").select_option(f"zone:{LAST_ROW}/capacites")
    console.locator("#room-follow").click()
    expect(console.locator("#room-follow-status")).to_contain_text("Tout le monde suit")
    participant = open_board(contexts(viewport=LAPTOP), scene["people"][7]["board_url"])
    expect(participant.locator("#follow-bar")).to_be_visible()
    expect(participant.locator(f'#panorama .cell.followed[data-zone="{LAST_ROW}/capacites"]')).to_be_visible()
    wait_until(participant, f"(() => {{ const c = document.querySelector('#panorama [data-zone=\"{LAST_ROW}/capacites\"]');"
                            " const f = document.getElementById('viewport').getBoundingClientRect();"
                            " const r = c.getBoundingClientRect(); return r.top >= f.top - 1 && r.top + 40 <= f.bottom"
                            " && r.left >= f.left - 1 && r.left < f.right; })()")


@pytest.mark.parametrize("size", [LAPTOP, WIDE], ids=["1366x768", "1920x1080"])
def test_the_console_s_room_controls_are_visible_reachable_and_large_in_french_and_english(full_scene, contexts, size):
    """The lock, the door and follow: each control on screen once its section is scrolled to, not
    covered, at least 44 px high, its state said in words; the same in English."""
    scene = full_scene("placed")  # only looked at (the language is the page's own): the shared scene serves
    context = contexts(viewport=size)
    page = open_board(context, scene["facilitator_url"])
    controls = {"#room-lock": "Verrouiller le tableau", "#room-door": "Fermer les entrées",
                "#room-follow": "Amener tout le monde ici", "#room-follow-release": "Laisser chacun libre"}
    page.locator("#room-title").scroll_into_view_if_needed()
    expect(page.locator("#room-title")).to_have_text("La salle")
    for selector, text in controls.items():
        control = page.locator(selector)
        control.scroll_into_view_if_needed()
        expect(control).to_have_text(text)
        inside_viewport(page, control)
        assert control.bounding_box()["height"] >= 44, selector
        assert on_top(control), selector
    select = page.locator("#room-follow-focus")
    assert select.bounding_box()["height"] >= 44 and font_px(select) >= 16
    expect(page.locator("#room-door-status")).to_have_text("Entrées ouvertes : on rejoint avec le code.")
    expect(page.locator("#room-follow-status")).to_have_text("Chacun regarde où il veut.")
    page.locator("#room-title").scroll_into_view_if_needed()
    page.screenshot(path=SHOT.format(f"console-fr-{size['width']}"))
    page.locator("#lang-switch").click()
    page.wait_for_load_state()
    expect(page.locator('body[data-connection="online"]')).to_be_attached()
    english = {"#room-lock": "Lock the board", "#room-door": "Close joining", "#room-follow": "Bring everyone here",
               "#room-follow-release": "Let everyone roam"}
    for selector, text in english.items():
        expect(page.locator(selector)).to_have_text(text)
        assert page.locator(selector).bounding_box()["height"] >= 44
    expect(page.locator("#room-title")).to_have_text("The room")
    expect(page.locator("#room-door-status")).to_have_text("Joining open: people join with the code.")
    page.locator("#room-title").scroll_into_view_if_needed()
    page.screenshot(path=SHOT.format(f"console-en-{size['width']}"))
    page.evaluate("localStorage.removeItem('atelier.lang')")


def test_the_door_closed_from_the_console_shows_on_the_join_page(scene, contexts, server):
    """DOOR2 as people see it: the console says the door is closed; a late arrival's join page says so
    before they type, and again, with their name kept, when they try; reopened, they get in."""
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    door = console.locator("#room-door")
    door.scroll_into_view_if_needed()
    door.click()
    expect(door).to_have_text("Rouvrir les entrées")
    expect(console.locator("#room-door-status")).to_have_text("Entrées fermées : personne de nouveau ne peut rejoindre.")
    console.screenshot(path=SHOT.format("console-door-closed"))
    late = contexts(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    late.goto(f"{server.url}/j/{scene['join_code']}")
    message = late.locator("#door-closed-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("L’animation a fermé les entrées de cet atelier")
    inside_viewport(late, message)
    assert font_px(message) >= 16
    late.get_by_label("Votre nom").fill("Tardif")
    late.get_by_role("button", name="Rejoindre").click()
    expect(late.locator("#door-closed-message")).to_be_visible()
    expect(late.get_by_label("Votre nom")).to_have_value("Tardif")
    late.screenshot(path=SHOT.format("join-door-closed-phone"))
    door.click()
    expect(console.locator("#room-door-status")).to_have_text("Entrées ouvertes : on rejoint avec le code.")
    late.get_by_role("button", name="Rejoindre").click()
    expect(late.locator('body[data-connection="online"]')).to_be_attached()
