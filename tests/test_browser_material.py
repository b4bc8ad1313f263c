"""The material in real browsers, on the full-scale scene (MAT1, MAT4, MAT6, MAT7).

The facilitator adds a text, a quote and a link from the console's own section while the workshop
is in sequence 2 (Placement). Two participants are on the board all along, on a laptop (1366x768)
and on a phone (390x844): no "Ressources" button and no item on their pages then. The facilitator
moves on to sequence 3 from the console: the button appears on both without a reload; each opens the
panel and reads the three items, in order, visible, in type of 14 px or more, inside the screen,
with nothing drawn over them, every control a finger's size; the link shows its address, opens in a
new tab without telling the site where it came from, and the panel says links need the venue's
internet. The panel closes and the board is there again. In sequence 4 the button goes.
"""
import pytest
from playwright.sync_api import expect

from browser import font_px, on_top, open_board, shoot, unfold, wait_until
from fullscale import as_facilitator, build_full_scene
from test_browser_a11y import audit

LAPTOP = {"viewport": {"width": 1366, "height": 768}, "bypass_csp": True}  # bypass_csp: for the axe audit
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
TEXT = ("Le métier demain", "Trois tendances à garder en tête : l’électrification, la donnée, la sobriété.")
QUOTE = ("Le secret de l’action, c’est de commencer.", "Alain")
LINK = ("Fiches métiers de la branche", "https://www.example.org/fiches-metiers")


def add_from_console(console, kind, **fields):
    """Fill the console's material form as a facilitator does, and add the item."""
    unfold(console, ".material-control")  # folded below the people until opened
    form = console.locator("#material-form")
    form.scroll_into_view_if_needed()
    console.select_option("#material-kind", kind)
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    count = console.locator("#material-admin-list li").count()
    console.locator("#material-submit").click()
    expect(console.locator("#material-admin-list li")).to_have_count(count + 1)


def inside_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5 \
        and box["y"] + box["height"] <= size["height"] + 0.5


def check_readable(page, locator, what):
    """Visible, inside the screen once scrolled to, on top, in type of 14 px or more."""
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_visible()
    assert inside_viewport(page, locator), f"{what} is outside the screen: {locator.bounding_box()}"
    assert on_top(locator), f"something is drawn over {what}"
    assert font_px(locator) >= 14, f"{what} is in type of {font_px(locator)} px"


def check_touch_target(locator, what):
    box = locator.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, f"{what} is {box['width']}x{box['height']} px"


def read_the_panel(page, device):
    """Open the panel with its button and check all three items as a person sees them."""
    toggle = page.locator("#material-toggle")
    expect(toggle).to_be_visible()
    check_touch_target(toggle, f"the Ressources button on the {device}")
    if not on_top(toggle):
        page.screenshot(path=f"/tmp/material-{device}-covered.png")
    assert on_top(toggle), f"something is drawn over the Ressources button on the {device}"
    toggle.click()
    panel = page.locator("#material-panel")
    expect(panel).to_be_visible()
    items = panel.locator(".material-item")
    expect(items).to_have_count(3)
    assert items.evaluate_all("(nodes) => nodes.map((n) => n.dataset.kind)") == ["text", "quote", "link"]
    text, quote, link = items.nth(0), items.nth(1), items.nth(2)
    for index, kind in enumerate(("Texte", "Citation", "Lien")):  # what each item is, said in words
        check_readable(page, items.nth(index).locator(".material-kind"), f"the kind of item {index + 1} ({device})")
        expect(items.nth(index).locator(".material-kind")).to_have_text(kind)
    check_readable(page, text.locator(".material-item-title"), f"the text's title ({device})")
    expect(text.locator(".material-item-title")).to_have_text(TEXT[0])
    check_readable(page, text.locator(".material-body"), f"the text ({device})")
    expect(text.locator(".material-body")).to_have_text(TEXT[1])
    # A quote reads as a quotation: in a blockquote, who said it under it.
    words = quote.locator("blockquote p")
    check_readable(page, words, f"the quote ({device})")
    expect(words).to_have_text(QUOTE[0])
    assert words.evaluate("(n) => getComputedStyle(n.parentElement).fontStyle") == "italic"
    check_readable(page, quote.locator("figcaption"), f"the quote's author ({device})")
    expect(quote.locator("figcaption")).to_contain_text(QUOTE[1])
    # A link shows its address, a finger's height, and opens apart.
    anchor = link.locator("a.material-link")
    check_readable(page, anchor.locator(".material-url"), f"the link's address ({device})")
    expect(anchor.locator(".material-url")).to_have_text(LINK[1])
    assert anchor.get_attribute("href") == LINK[1]
    assert anchor.get_attribute("target") == "_blank"
    assert set(anchor.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    check_touch_target(anchor, f"the link ({device})")
    notice = panel.locator("#material-offline")
    check_readable(page, notice, f"the internet notice ({device})")
    expect(notice).to_have_text("Les liens ne s’ouvrent que si le lieu a accès à internet.")
    close = panel.locator("#material-close")
    check_touch_target(close, f"the panel's close button ({device})")
    return panel


def test_the_facilitator_adds_material_in_the_console_and_participants_read_it_in_sequence_3(server, contexts, shots):
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": 1}))  # back to Placement
    console = open_board(contexts(viewport={"width": 1366, "height": 900}), scene["facilitator_url"])
    laptop = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    phone = open_board(contexts(**PHONE), scene["people"][5]["board_url"])

    # -- the console: sequence 3 ticked by default (the format's), three items added; a bad address refused
    section = unfold(console, ".material-control")
    section.scroll_into_view_if_needed()
    expect(section.locator("h2")).to_have_text("Ressources pour les participants")
    assert [console.locator(f"#material-seq-{i}").is_checked() for i in range(4)] == [False, False, True, False]
    add_from_console(console, "text", title=TEXT[0], body=TEXT[1])
    add_from_console(console, "quote", body=QUOTE[0], author=QUOTE[1])
    console.select_option("#material-kind", "link")
    expect(console.locator('[data-field="author"]')).to_be_hidden()  # a link has no author
    console.locator("#material-title-input").fill(LINK[0])
    console.locator("#material-url").fill("www.example.org")
    console.locator("#material-submit").click()
    expect(console.locator("#material-note")).to_contain_text("http:// ou https://")
    expect(console.locator("#material-admin-list li")).to_have_count(2)
    console.locator("#material-url").fill(LINK[1])
    console.locator("#material-submit").click()
    expect(console.locator("#material-admin-list li")).to_have_count(3)
    expect(console.locator("#material-admin-list")).to_contain_text(LINK[1])
    expect(console.locator("#material-now")).to_have_text(
        "Maintenant (séquence 2) : les participants ne voient pas ces ressources.")
    section.screenshot(path="/tmp/material-console.png")

    # -- sequence 2: nothing on the participants' pages, not even in what their page holds (MAT6)
    version = console.evaluate("window.atelier.connection.confirmed.version")
    for page in (laptop, phone):
        wait_until(page, f"window.atelier.connection.confirmed.version >= {version}")
        expect(page.locator("#material-toggle")).to_be_hidden()
        expect(page.locator("#material-panel")).to_be_hidden()
        assert page.evaluate("window.atelier.connection.confirmed.material.items.length") == 0
        assert TEXT[0] not in page.content()

    # -- the facilitator opens sequence 3 from the console: the button comes, no reload
    console.locator("#sequence-next").click()
    expect(console.locator("#material-now")).to_have_text("Maintenant (séquence 3) : les participants voient ces ressources.")
    for page in (laptop, phone):
        wait_until(page, "window.atelier.connection.confirmed.sequence === 2")
        page.evaluate("window.materialCheck = 'still the same page'")  # a reload would lose it
        page.locator("#sequence-notice .sequence-notice-close").click()  # "Compris", as a person does
        # A screen reader hears that the button came (nothing else on the page would say it).
        expect(page.locator("#announcer")).to_have_text("Des ressources sont à lire : bouton « Ressources ».")
    panel = read_the_panel(laptop, "laptop")
    laptop.screenshot(path="/tmp/material-laptop.png")
    shoot(laptop, "material-panel", shots)
    audit(laptop, "the participant's board with the material panel open")
    laptop.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(laptop.locator("#material-toggle")).to_be_focused()
    assert on_top(laptop.locator("#panorama .cell").first)  # the board is back

    # The phone's button sits beside its deck button, in view without opening the menu.
    expect(phone.locator(".phone-bar #material-toggle")).to_be_visible()
    panel = read_the_panel(phone, "phone")
    phone.screenshot(path="/tmp/material-phone.png")
    shoot(phone, "material-panel-phone", shots)
    phone.locator("#material-close").click()
    expect(panel).to_be_hidden()
    assert on_top(phone.locator("#panorama .grid-row.current .cell").first)  # the board is back
    for page in (laptop, phone):
        assert page.evaluate("window.materialCheck") == "still the same page"

    # -- an open panel goes with the sequence: sequence 4, no button, no panel, no item held
    laptop.locator("#material-toggle").click()
    expect(laptop.locator("#material-panel")).to_be_visible()
    console.locator("#sequence-next").click()
    for page in (laptop, phone):
        wait_until(page, "window.atelier.connection.confirmed.sequence === 3")
        expect(page.locator("#material-toggle")).to_be_hidden()
        expect(page.locator("#material-panel")).to_be_hidden()
        assert page.evaluate("window.atelier.connection.confirmed.material.items.length") == 0


def test_the_console_edits_reorders_and_removes_and_an_open_panel_follows(server, contexts):
    """MAT1, MAT3, MAT5: what the facilitator changes shows on an open panel at once; unticking
    the current sequence takes the panel away, ticking it brings it back."""
    scene = build_full_scene(server.url, "placed")  # in sequence 3
    as_facilitator(server.url, scene,
                   ("add_material", {"kind": "text", "title": TEXT[0], "body": TEXT[1]}),
                   ("add_material", {"kind": "quote", "body": QUOTE[0], "author": QUOTE[1]}))
    console = open_board(contexts(viewport={"width": 1366, "height": 900}), scene["facilitator_url"])
    laptop = open_board(contexts(**LAPTOP), scene["people"][1]["board_url"])
    laptop.locator("#material-toggle").click()
    items = laptop.locator("#material-panel .material-item")
    expect(items).to_have_count(2)

    unfold(console, ".material-control")
    rows = console.locator("#material-admin-list li")
    rows.nth(1).locator(".material-up").click()  # the quote first
    expect(items.first).to_have_attribute("data-kind", "quote")
    rows.nth(1).locator(".material-edit").click()  # the text, now second
    expect(console.locator("#material-kind")).to_be_disabled()  # an item keeps its kind
    console.locator("#material-title-input").fill("Le métier en 2030")
    console.locator("#material-submit").click()
    expect(items.nth(1).locator(".material-item-title")).to_have_text("Le métier en 2030")
    rows.first.locator(".material-remove").click()
    console.locator("dialog.confirm .confirm-yes").click()
    expect(items).to_have_count(1)

    console.locator("#material-seq-2").uncheck()
    expect(laptop.locator("#material-toggle")).to_be_hidden()
    expect(laptop.locator("#material-panel")).to_be_hidden()
    console.locator("#material-seq-2").check()
    expect(laptop.locator("#material-toggle")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 1024, "height": 768}])
def test_on_a_tablet_the_panel_closes_and_leaves_the_board_reachable(server, contexts, viewport):
    """MAT7 on a tablet: the panel covers part of the screen only while open."""
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("add_material", {"kind": "link", "title": LINK[0], "url": LINK[1]}))
    tablet = open_board(contexts(viewport=viewport, has_touch=True), scene["people"][2]["board_url"])
    toggle = tablet.locator("#material-toggle")
    check_touch_target(toggle, "the Ressources button on a tablet")
    toggle.click()
    panel = tablet.locator("#material-panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] <= viewport["width"] * 0.5  # the Panorama stays in view beside it
    check_readable(tablet, panel.locator(".material-url"), "the link's address on a tablet")
    panel.locator("#material-close").click()
    expect(panel).to_be_hidden()
    assert on_top(tablet.locator("#panorama .cell").first)
