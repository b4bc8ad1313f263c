"""The Panorama's labels as people see them, in chromium on the full-scale scene (tests/fullscale.py:
20 participants, 72 cards placed in every domain): from the console's Panorama section the facilitator
renames the first domain with a long name, adds a domain and a third category; a participant's laptop,
the facilitator's own board and the projector redraw their grid at once, without a reload, with the new
names visible, readable and in order, and the cards where they were; removing a domain that holds cards
is refused with its reason on the console, and removing the empty new one takes it off every screen
(spec PANO2, PANO4, PANO5, PANO12). Screenshots: docs/screenshots/panorama-labels.png, /tmp/labels-*.png."""
import re

import pytest

from browser import expect, font_px, on_top, open_board, shoot, unfold, wait_laid_out, wait_until

LAPTOP = {"width": 1366, "height": 768}
WIDE = {"width": 1920, "height": 1080}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LONG_NAME = "Socle commun d’accès à l’emploi et compétences transverses de la branche"
NEW_DOMAIN, NEW_CATEGORY = "Sûreté nucléaire", "Savoirs fondamentaux"
NEW_DOMAIN_ID, NEW_CATEGORY_ID = "surete-nucleaire", "savoirs-fondamentaux"  # the ids the board picks (PANO4)
ROW_NAMES = [LONG_NAME, "Exploitation des ouvrages et production", "Ingénierie et R&D", "Maintenance",
             "Traitement des données et SI", "Marketing, Commercial, Clientèle",
             "Automatismes et systèmes industriels", "Management et organisation", NEW_DOMAIN]
COLUMN_NAMES = ["Techniques Métiers", "Capacités d’évolution et d’interaction", NEW_CATEGORY]


@pytest.fixture
def scene(server):
    """A full-scale scene of its own: this test changes its labels."""
    from fullscale import build_full_scene
    return build_full_scene(server.url, "placed")


def rendered_px(locator):
    """The font size as drawn (CSS px), the board's zoom included."""
    return locator.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize) * node.currentCSSZoom")


def texts(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def check_grid(page, *, min_px):
    """The board shows the new names in order, each visible and readable, the long one wrapped inside its
    head (no text cut or spilling), the three column heads side by side, and every card still there."""
    expect(page.locator("#panorama .column-head")).to_have_count(3)
    assert texts(page, "#panorama .row-head") == ROW_NAMES
    assert texts(page, "#panorama .column-head") == COLUMN_NAMES
    heads = page.locator("#panorama .column-head")
    tops = set()
    for index in range(3):
        head = heads.nth(index)
        head.scroll_into_view_if_needed()
        expect(head).to_be_visible()
        assert rendered_px(head) >= min_px, (index, rendered_px(head))
        tops.add(round(head.bounding_box()["y"]))
    assert len(tops) == 1, tops  # one line of headers: the third column sits beside the others
    # The columns fill the grid's width: a new empty column leaves no unused band beside them.
    gap = heads.nth(2).evaluate("(n) => n.closest('.grid').getBoundingClientRect().right - n.getBoundingClientRect().right")
    assert gap <= 6, gap
    long_head = page.locator("#panorama .row-head").first
    long_head.scroll_into_view_if_needed()
    expect(long_head).to_be_visible()
    assert rendered_px(long_head) >= min_px
    fits = long_head.evaluate("(n) => n.scrollWidth <= n.clientWidth + 1 && n.scrollHeight <= n.clientHeight + 1")
    assert fits, "the long domain name spills out of its head"
    line_height = long_head.evaluate("(n) => parseFloat(getComputedStyle(n).fontSize) * 1.6")
    assert long_head.evaluate("(n) => n.clientHeight") > line_height  # wrapped on several lines, not cut
    expect(page.locator("#panorama .card")).to_have_count(72)
    # The new cells are there, empty, one per row in the new column and per column in the new row.
    expect(page.locator(f'#panorama .cell[data-zone$="/{NEW_CATEGORY_ID}"]')).to_have_count(9)
    expect(page.locator(f'#panorama .cell[data-zone^="{NEW_DOMAIN_ID}/"]')).to_have_count(3)


def test_the_console_renames_and_adds_and_every_screen_redraws_its_grid_at_once(scene, contexts, shots):
    participant = open_board(contexts(viewport=LAPTOP), scene["people"][0]["board_url"])
    own_board = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"].replace("/f/", "/p/"))
    projector = open_board(contexts(viewport=WIDE), scene["projector_url"])
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    phone = open_board(contexts(**PHONE), scene["people"][1]["board_url"])
    screens = (participant, own_board, projector, phone)
    for page in screens:
        page.evaluate("window.beforeTheChange = true")  # gone if the page reloads
    participant.locator("#deck-domain").select_option("maintenance")  # a filter chosen before the change

    section = unfold(console, "#panorama-labels")  # folded below the people until opened
    section.scroll_into_view_if_needed()
    expect(section.get_by_role("heading", name="Libellés du Panorama")).to_be_visible()
    first = section.locator('form[data-line="socle"]')
    expect(first.locator('input[name="label"]')).to_have_value("Socle commun d’accès à l’emploi au sein des IEG")
    expect(first.locator('input[name="short"]')).to_have_value("Socle commun")
    first.locator('input[name="label"]').fill(LONG_NAME)
    first.locator('input[name="short"]').fill("")  # the grid shows the whole new name
    rename = first.get_by_role("button", name="Renommer")
    assert rename.bounding_box()["height"] >= 44 and on_top(rename)
    rename.click()
    section.get_by_label("Nouveau domaine").fill(NEW_DOMAIN)
    section.get_by_role("button", name="Ajouter le domaine").click()
    section.get_by_label("Nouvelle catégorie").fill(NEW_CATEGORY)
    section.get_by_role("button", name="Ajouter la catégorie").click()
    wait_until(console, "window.atelier.connection.confirmed.format.panorama.columns.length === 3"
                        " && window.atelier.connection.confirmed.format.panorama.rows.length === 9"
                        " && window.atelier.connection.pending.size === 0")
    expect(section.locator('form[data-line="socle"] input[name="label"]')).to_have_value(LONG_NAME)
    expect(section.locator(f'form[data-line="{NEW_DOMAIN_ID}"]')).to_be_visible()
    expect(section.locator(f'li[data-line="{NEW_CATEGORY_ID}"] .panorama-count')).to_have_text("vide")
    # Each line is told apart by its place, also by a screen reader: "Domaine 4", "Retirer : Domaine 9".
    expect(section.get_by_label("Domaine 4", exact=True)).to_have_value("Maintenance")
    expect(section.get_by_role("button", name="Retirer : Domaine 9")).to_be_visible()
    expect(section.get_by_label("Catégorie 3", exact=True)).to_have_value(NEW_CATEGORY)
    # The console's other lists of domains follow: the projector's and the room's focus, a team's domain.
    for select in ("#projector-focus", "#room-follow-focus", "#team-domain"):
        expect(console.locator(f"{select} option", has_text=re.compile(f"^{NEW_DOMAIN}$"))).to_have_count(1)
    expect(console.locator("#projector-focus option", has_text=f"{NEW_DOMAIN} × {NEW_CATEGORY}")).to_have_count(1)

    check_grid(participant, min_px=12)
    check_grid(own_board, min_px=12)
    wait_laid_out(projector)
    check_grid(projector, min_px=16)
    # A phone shows one domain at a time: its picker offers the new one, whose cells name their category.
    picker = phone.locator("#domain-picker")
    expect(picker.locator("option")).to_have_count(9)
    expect(picker.locator("option").last).to_have_text(NEW_DOMAIN)
    picker.select_option(label=NEW_DOMAIN)
    new_cell = phone.locator(f'#panorama .cell[data-zone="{NEW_DOMAIN_ID}/{NEW_CATEGORY_ID}"]')
    expect(new_cell).to_be_visible()
    expect(new_cell).to_have_attribute("data-column", NEW_CATEGORY)
    phone.screenshot(path="/tmp/labels-phone.png")
    for page in screens:
        assert page.evaluate("window.beforeTheChange === true"), "the page reloaded"
    # The deck's filters and the participant's shortcuts name the new domain too.
    expect(participant.locator("#deck-domain option", has_text=NEW_DOMAIN)).to_have_count(1)
    expect(participant.locator("#deck-category option", has_text=NEW_CATEGORY)).to_have_count(1)
    expect(participant.locator("#deck-domain")).to_have_value("maintenance")  # kept through the change

    participant.evaluate("document.getElementById('viewport').scrollTo(0, 0)")
    participant.wait_for_timeout(300)
    shoot(participant, "panorama-labels", shots)
    participant.screenshot(path="/tmp/labels-participant.png")
    projector.screenshot(path="/tmp/labels-projector.png")
    section.screenshot(path="/tmp/labels-console.png")

    # A domain with cards in it: the console says why it stays, and no screen changes.
    version = console.evaluate("window.atelier.connection.confirmed.version")
    section.locator('form[data-line="exploitation"]').get_by_role("button", name="Retirer").click()
    status = console.locator("#panorama-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Impossible de retirer le domaine « Exploitation des ouvrages et production »")
    expect(status).to_contain_text("Déplacez-les d’abord")
    assert font_px(status) >= 14 and on_top(status)
    console.screenshot(path="/tmp/labels-console-refused.png")
    assert console.evaluate("window.atelier.connection.confirmed.version") == version
    assert texts(participant, "#panorama .row-head") == ROW_NAMES

    # The empty new domain goes, after the console asks.
    section.locator(f'form[data-line="{NEW_DOMAIN_ID}"]').get_by_role("button", name="Retirer").click()
    dialog = console.get_by_role("dialog")
    expect(dialog).to_contain_text(NEW_DOMAIN)
    dialog.get_by_role("button", name="Retirer").click()
    expect(status).to_be_hidden()
    for page in screens:
        expect(page.locator("#panorama .row-head")).to_have_count(8)
        assert NEW_DOMAIN not in texts(page, "#panorama .row-head")
        expect(page.locator("#panorama .card")).to_have_count(72)
    expect(console.locator("#projector-focus option", has_text=NEW_DOMAIN)).to_have_count(0)


def english(contexts, viewport):
    """A browser whose pages open in English (the language switch remembers it the same way)."""
    context = contexts(viewport=viewport)
    context.add_init_script("localStorage.setItem('atelier.lang', 'en')")
    return context


def test_a_name_typed_in_english_is_the_translation_and_french_screens_keep_theirs(server, contexts):
    """PANO3 as people see it: the console in English renames a category; an English participant reads the
    new name at once, a French one keeps the French name; a category added in English reads the same in
    both until translated. The section speaks English, its buttons at touch size."""
    from conftest import create_workshop, join
    workshop = create_workshop(server.url)
    people = [join(server.url, workshop["join_code"], name) for name in ("Ana", "Ben")]
    console = open_board(english(contexts, LAPTOP), workshop["facilitator_url"])
    french = open_board(contexts(viewport=LAPTOP), people[0]["board_url"])
    in_english = open_board(english(contexts, LAPTOP), people[1]["board_url"])
    section = unfold(console, "#panorama-labels")  # folded below the people until opened
    section.scroll_into_view_if_needed()
    expect(section.get_by_role("heading", name="Panorama labels")).to_be_visible()
    line = section.locator('form[data-line="techniques"]')
    expect(line.locator('input[name="label"]')).to_have_value("Trade techniques")
    line.locator('input[name="label"]').fill("Job know-how")
    button = line.get_by_role("button", name="Rename")
    assert button.bounding_box()["height"] >= 44
    button.click()
    section.get_by_label("New category").fill("Knowledge")
    section.get_by_role("button", name="Add the category").click()
    expect(in_english.locator("#panorama .column-head")).to_have_text(
        ["Job know-how", "Capacities to evolve and interact", "Knowledge"])
    expect(french.locator("#panorama .column-head")).to_have_text(
        ["Techniques Métiers", "Capacités d’évolution et d’interaction", "Knowledge"])
    for page in (french, in_english):
        for index in range(3):
            head = page.locator("#panorama .column-head").nth(index)
            expect(head).to_be_visible()
            assert rendered_px(head) >= 12
    # Removing the only column with cards left would leave none: the last one stays, said in English.
    section.locator('form[data-line="knowledge"]').get_by_role("button", name="Remove").click()
    console.get_by_role("dialog").get_by_role("button", name="Remove").click()
    section.locator('form[data-line="capacites"]').get_by_role("button", name="Remove").click()
    console.get_by_role("dialog").get_by_role("button", name="Remove").click()
    expect(french.locator("#panorama .column-head")).to_have_count(1)
    section.locator('form[data-line="techniques"]').get_by_role("button", name="Remove").click()
    console.get_by_role("dialog").get_by_role("button", name="Remove").click()
    expect(console.locator("#panorama-status")).to_have_text("The Panorama keeps at least one category.")
    assert on_top(console.locator("#panorama-status"))  # beside the line, on screen: not above, out of sight
    # The console's toast says the same, not a generic "someone changed this".
    expect(console.locator("#toast")).to_have_text("The Panorama keeps at least one category.")
    expect(in_english.locator("#panorama .column-head")).to_have_text(["Job know-how"])
    console.screenshot(path="/tmp/labels-console-english.png")
