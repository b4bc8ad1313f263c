"""Campaigns in real browsers (COORD1-COORD3, COORD9, GLOSS2).

The coordinator creates a campaign in chromium from /campagnes, adds a board per territory from the
campaign's page and reads it: every territory's join code and console link visible, readable and in
reach, nothing drawn over them. Then a board of the campaign at full scale (tests/fullscale.py: 20
participants, 62 deck cards placed, 10 new cards, the vote under way): the glossary opens from the top bar
on a participant's laptop, a phone, the console and the projector, each term and definition readable,
inside the screen and on top of the board; closed, the board is there again.
"""
import re

import pytest
import requests
from playwright.sync_api import expect

import fullscale
from browser import font_px, on_top, open_board, shoot
from conftest import join
from test_browser_a11y import audit

LAPTOP = {"viewport": {"width": 1366, "height": 768}, "bypass_csp": True}  # bypass_csp: for the axe audit
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
GLOSSARY = [("Compétence", "Savoir mobiliser ses ressources (savoirs, savoir-faire, savoir-être) pour agir en situation."),
            ("Macro-compétence", "Un ensemble de compétences proches qu'un métier mobilise ensemble."),
            ("Savoir", "Une connaissance : ce que l'on sait."),
            ("Savoir-faire", "Une pratique : ce que l'on sait faire."),
            ("Savoir-être", "Une attitude : une manière d'être au travail, avec les autres.")]
TERRITORIES = (("Châteauroux", "2026-05-12"), ("Gien", "2026-05-19"), ("Tours", "2026-05-26"), ("Vierzon", "2026-06-02"),
               ("Blois", "2026-06-09"))


def inside(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box and box["x"] >= -0.5 and box["y"] >= -0.5 and box["x"] + box["width"] <= size["width"] + 0.5 \
        and box["y"] + box["height"] <= size["height"] + 0.5


def readable(page, locator, what, smallest=14):
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_visible()
    assert inside(page, locator), f"{what} is outside the screen: {locator.bounding_box()}"
    assert on_top(locator), f"something is drawn over {what}"
    assert font_px(locator) >= smallest, f"{what} is in type of {font_px(locator)} px"


def reachable(locator, what):
    box = locator.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, f"{what} is {box['width']}x{box['height']} px"


def test_the_coordinator_creates_a_campaign_and_reads_its_boards_on_its_page(server, contexts, shots):
    """COORD1-COORD3: the form, then five territories added from the page, each listed with its date, its join
    code and its console link, readable and in reach; the console link opens that territory's board."""
    page = contexts(**LAPTOP).new_page()
    page.goto(server.url + "/campagnes")
    page.fill('input[name="name"]', "Ateliers Compétences — Centre-Val de Loire 2026")
    page.fill('textarea[name="glossary"]', "\n".join(f"{term} : {text}" for term, text in GLOSSARY))
    page.screenshot(path="/tmp/campaign-new.png", full_page=True)
    readable(page, page.locator('.campaign-form button[type="submit"]'), "the form's button")
    page.click('.campaign-form button[type="submit"]')
    expect(page.locator("#campaign-name")).to_have_text("Ateliers Compétences — Centre-Val de Loire 2026")
    assert re.search(r"/c/[A-Za-z0-9_-]{32}$", page.url)
    for territory, date in TERRITORIES:
        page.fill('#campaign-add input[name="territory"]', territory)
        page.fill('#campaign-add input[name="date"]', date)
        page.click('#campaign-add button[type="submit"]')
        expect(page.locator(".campaign-board")).to_have_count(TERRITORIES.index((territory, date)) + 1)
    boards = page.locator(".campaign-board")
    assert [boards.nth(i).locator(".campaign-territory").inner_text() for i in range(5)] == [t for t, _ in TERRITORIES]
    codes = set()
    for i, (territory, date) in enumerate(TERRITORIES):
        board = boards.nth(i)
        readable(page, board.locator(".campaign-territory"), f"{territory}'s name", smallest=18)
        readable(page, board.locator(f'time[datetime="{date}"]'), f"{territory}'s date")
        code = board.locator(".campaign-join-code")
        readable(page, code, f"{territory}'s join code", smallest=18)
        codes.add(code.inner_text())
        console = board.locator(".campaign-console")
        readable(page, console, f"{territory}'s console link")
        assert console.bounding_box()["height"] >= 44
    assert len(codes) == 5
    for selector in ("#campaign-handout", "#campaign-compare", '#campaign-add button[type="submit"]',
                     '#campaign-import button[type="submit"]'):
        readable(page, page.locator(selector), selector)
        reachable(page.locator(selector), selector)
    readable(page, page.locator("#campaign-glossary dt").first, "the glossary's first term")
    audit(page, "the coordinator's page")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "campaign-coordinator", shots)
    page.screenshot(path="/tmp/campaign-coordinator-full.png", full_page=True)
    # The comparison opens from the page, every territory in it, in the campaign's order.
    campaign_url = page.url
    with page.expect_navigation():
        page.click("#campaign-compare")
    expect(page.locator("#cmp-title")).to_have_text("Ateliers Compétences — Centre-Val de Loire 2026")
    rows = page.locator("#cmp-territories tbody tr")
    assert [rows.nth(i).locator("th").inner_text() for i in range(rows.count())] == [t for t, _ in TERRITORIES]
    readable(page, rows.nth(4).locator("th"), "the last territory of the comparison")
    page.goto(campaign_url)
    with page.expect_navigation():
        page.locator(".campaign-board").nth(2).locator(".campaign-console").click()
    expect(page.locator("#workshop-name")).to_contain_text("Tours")


@pytest.fixture
def campaign_scene(server, monkeypatch):
    """The full-scale scene (fullscale.build_full_scene, voting stage) on a board of a campaign with a glossary."""
    made = requests.post(server.url + "/campaigns", json={
        "name": "Centre-Val de Loire 2026", "format": "atelier-competences",
        "glossary": [{"term": term, "definition": text} for term, text in GLOSSARY]}, timeout=10).json()
    path = "/c/" + made["coordinator_url"].rsplit("/c/", 1)[1]

    def campaign_board(base_url, participants=0):
        links = requests.post(base_url + path + "/boards", json={"territory": "Tours", "date": "2026-05-26"},
                              timeout=10).json()
        links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
        links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
        links["participants"] = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(participants)]
        return links
    monkeypatch.setattr(fullscale, "create_workshop", campaign_board)
    return fullscale.build_full_scene(server.url, "voting")


def read_glossary(page, what, smallest):
    toggle = page.locator("#glossary-toggle")
    readable(page, toggle, f"{what}: the Glossaire button")
    reachable(toggle, f"{what}: the Glossaire button")
    toggle.click()
    panel = page.locator("#glossary-panel")
    expect(panel).to_be_visible()
    terms, definitions = panel.locator(".glossary-term"), panel.locator(".glossary-definition")
    expect(terms).to_have_count(len(GLOSSARY))
    for i, (term, text) in enumerate(GLOSSARY):
        assert terms.nth(i).inner_text() == term and definitions.nth(i).inner_text() == text
        readable(page, terms.nth(i), f"{what}: the term {term}", smallest)
        readable(page, definitions.nth(i), f"{what}: the definition of {term}", smallest)
        assert terms.nth(i).bounding_box()["y"] < definitions.nth(i).bounding_box()["y"]  # the term, then its meaning
    # The top bar stays in view above the panel: its buttons are still there to press.
    assert panel.bounding_box()["y"] >= page.locator(".topbar").bounding_box()["y"] + page.locator(".topbar").bounding_box()["height"] - 1 \
        or page.viewport_size["width"] <= 700
    reachable(page.locator("#glossary-close"), f"{what}: the close button")


def close_glossary(page, how):
    if how == "escape":
        page.keyboard.press("Escape")
    else:
        page.locator("#glossary-close").click()
    expect(page.locator("#glossary-panel")).to_be_hidden()


def test_the_glossary_is_readable_on_every_page_of_a_campaign_board_at_full_scale(server, contexts, campaign_scene,
                                                                                   shots):
    """GLOSS2 at full scale: a participant on a laptop and on a phone, the console and the projector each open the
    glossary from their top bar and read every term and definition; closed, the board is there again."""
    scene = campaign_scene
    laptop = open_board(contexts(**LAPTOP), f"{server.url}/p/{scene['people'][0]['token']}")
    read_glossary(laptop, "laptop", 16)
    audit(laptop, "the board with its glossary open")
    shoot(laptop, "campaign-glossary-participant", shots)
    laptop.screenshot(path="/tmp/campaign-glossary-participant.png")
    close_glossary(laptop, "escape")
    expect(laptop.locator("#glossary-toggle")).to_be_focused()  # back where the reader was
    expect(laptop.locator('[data-card="new-1"]').first).to_be_visible()

    phone = open_board(contexts(**PHONE), f"{server.url}/p/{scene['people'][1]['token']}")
    read_glossary(phone, "phone", 16)
    phone.screenshot(path="/tmp/campaign-glossary-phone.png")
    close_glossary(phone, "button")

    console = open_board(contexts(**LAPTOP), f"{server.url}/f/{scene['admin_token']}")
    read_glossary(console, "console", 16)
    console.screenshot(path="/tmp/campaign-glossary-console.png")
    close_glossary(console, "button")

    projector = open_board(contexts(**PROJECTOR), f"{server.url}/s/{scene['projector_token']}")
    read_glossary(projector, "projector", 24)  # read from the back of the room
    projector.screenshot(path="/tmp/campaign-glossary-projector.png")
    close_glossary(projector, "button")


def test_a_board_outside_any_campaign_shows_no_glossary_button(server, contexts, full_scene):
    """GLOSS2: the button and its panel come with a glossary only; a board without one has neither, not
    even hidden (its projector keeps no control at all, test_browser_pages)."""
    scene = full_scene("placed")
    page = open_board(contexts(**LAPTOP), f"{server.url}/p/{scene['people'][0]['token']}")
    expect(page.locator("#glossary-toggle")).to_have_count(0)
    expect(page.locator("#glossary-panel")).to_have_count(0)


def test_the_coordinator_merges_new_cards_of_two_territories_and_undoes_it(server, contexts, shots):
    """COORD9, COORD10 in chromium: the new cards of the campaign's boards are listed with their territory, two
    ticked are merged under a label of one's own, listed as one with both originals; undone, they are back."""
    from realtime import BoardClient
    made = requests.post(server.url + "/campaigns", json={"name": "Campagne à fusionner",
                                                          "format": "atelier-competences"}, timeout=10).json()
    path = "/c/" + made["coordinator_url"].rsplit("/c/", 1)[1]
    written = {"Tours": ["Lire un schéma hydraulique", "Animer une réunion de chantier"],
               "Gien": ["Schémas hydrauliques"], "Vierzon": ["Programmer un robot"]}
    for territory, texts in written.items():
        links = requests.post(server.url + path + "/boards", json={"territory": territory}, timeout=10).json()
        client = BoardClient(server.url, links["facilitator_url"].rsplit("/", 1)[1])
        try:
            assert client.command("set_sequence", {"index": 2})["ok"]
            for text in texts:
                assert client.command("create_card", {"kind": "new", "text": text, "zone_id": "maintenance/techniques",
                                                      "x": 0.5, "y": 0.5})["ok"]
        finally:
            client.close()
    page = contexts(**LAPTOP).new_page()
    page.goto(server.url + path + "#merges")
    cards = page.locator(".campaign-new-card")
    expect(cards).to_have_count(4)
    lines = [" ".join(cards.nth(i).inner_text().split()) for i in range(4)]
    assert lines == ["Tours — Lire un schéma hydraulique", "Tours — Animer une réunion de chantier",
                     "Gien — Schémas hydrauliques", "Vierzon — Programmer un robot"]
    for i in range(4):
        readable(page, cards.nth(i), f"the new card {lines[i]}")
        reachable(cards.nth(i), f"the new card {lines[i]}")  # the whole line ticks its box
        box, text = cards.nth(i).locator("input").bounding_box(), cards.nth(i).locator(".campaign-card-line").bounding_box()
        # The box, then its card on the same line, at the left of the form (not centred under one another).
        assert box["x"] + box["width"] <= text["x"] and abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) < 6
        assert box["x"] - page.locator("#campaign-merge-form").bounding_box()["x"] < 20
    cards.nth(0).click()
    cards.nth(2).click()
    page.fill('#campaign-merge-form input[name="label"]', "Lire les schémas hydrauliques")
    page.click('#campaign-merge-form button[type="submit"]')
    merge = page.locator(".campaign-merge")
    expect(merge).to_have_count(1)
    expect(merge.locator(".campaign-merge-label")).to_have_text("Lire les schémas hydrauliques")
    assert [" ".join(li.split()) for li in merge.locator("li").all_inner_texts()] == [
        "Tours — Lire un schéma hydraulique", "Gien — Schémas hydrauliques"]
    expect(page.locator(".campaign-new-card")).to_have_count(2)  # the merged ones are no longer offered
    readable(page, merge.locator(".campaign-merge-label"), "the merged card's label")
    undo = merge.locator("button")
    readable(page, undo, "the undo button")
    reachable(undo, "the undo button")
    merge.scroll_into_view_if_needed()
    shoot(page, "campaign-merge", shots)
    page.screenshot(path="/tmp/campaign-merge.png")
    undo.click()
    expect(page.locator(".campaign-merge")).to_have_count(0)
    expect(page.locator(".campaign-new-card")).to_have_count(4)
    # A single card ticked is refused with the reason on the page, and nothing is merged.
    page.locator(".campaign-new-card").nth(3).click()
    page.click('#campaign-merge-form button[type="submit"]')
    expect(page.locator("#campaign-error")).to_contain_text("au moins deux")  # French, as the page
    expect(page.locator(".campaign-merge")).to_have_count(0)
