"""The campaign's comparison page in chromium (CAMP8): five territories side by side on a laptop, one
column on a phone, and on paper; built from the JSON exports of real boards played on the real server.

The page is served by a test-only app (tests/campaign_app.py) until the campaign's routes serve it;
its screenshot goes to docs/screenshots/campaign-comparison.png with `make screenshots`.
"""
import io

import pytest
import requests
from openpyxl import load_workbook

from browser import expect, font_px, on_top, shoot
from campaign_app import CampaignApp
from campaign_scene import BLOIS_NO_VOTE, CHATEAUROUX, GIEN, TOURS, VIERZON, play_board, result_of

from board.domain.campaign_compare import compare
from test_browser_a11y import audit

PLANS = (TOURS, GIEN, VIERZON, CHATEAUROUX, BLOIS_NO_VOTE)
MERGE = {"merge_id": "hydraulique", "label": "Lire des schémas hydrauliques",
         "members": [{"territory": "Tours", "card_id": "n-hydro"}, {"territory": "Gien", "card_id": "n-schemas"},
                     {"territory": "Châteauroux", "card_id": "n-hydraulique"}]}


# Each territory's evaluation (Blois answered nothing): one {scores, text} per participant who answered.
ANSWERS = {
    "Tours": [{"scores": {"utile": 5, "rythme": 3, "langage": 4}, "text": "Enfin un vocabulaire commun entre services."},
              {"scores": {"utile": 4, "rythme": 2, "langage": 5}, "text": ""},
              {"scores": {"utile": 4, "rythme": 3, "langage": 4}, "text": "Trop court pour tout placer."}],
    "Gien": [{"scores": {"utile": 3, "rythme": 4, "langage": 3}, "text": "Des exemples de nos entreprises."}],
    "Vierzon": [{"scores": {"utile": 4, "rythme": 4, "langage": 4}, "text": ""},
                {"scores": {"utile": 5, "rythme": 5, "langage": 4}, "text": "À refaire avec les RH."}],
    "Châteauroux": [{"scores": {"utile": 4, "rythme": 3, "langage": 5}, "text": "Le Panorama parle à tout le monde."},
                    {"scores": {"utile": 3, "rythme": 2, "langage": 4}, "text": ""},
                    {"scores": {"utile": 5, "rythme": 3, "langage": 5}, "text": ""}],
}


@pytest.fixture(scope="module")
def campaign(server):
    results = [result_of(plan, play_board(server.url, plan, ANSWERS.get(plan["territory"], ()))[0]) for plan in PLANS]
    comparison = compare(results, [MERGE])
    with CampaignApp(comparison, "Campagne Centre-Val de Loire 2026") as app:
        app.documents = [result["document"] for result in results]
        yield app, comparison


def test_five_territories_read_side_by_side_on_a_laptop(campaign, contexts, shots):
    """Each Panorama cell is one line of five territory columns, in the campaign's order, inside the
    laptop's width; the ranking's first line is the campaign's best card; text is readable."""
    app, comparison = campaign
    page = contexts(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(app.url + "/campaign")
    expect(page.locator("#cmp-title")).to_have_text("Campagne Centre-Val de Loire 2026")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no sideways scrolling
    heads = page.locator(".cmp-head-cell")
    assert heads.all_inner_texts() == ["Tours", "Gien", "Vierzon", "Châteauroux", "Blois"]
    cells = page.locator('.cmp-cell[data-place="socle/techniques"]')
    boxes = [cells.nth(i).bounding_box() for i in range(5)]
    assert len({round(box["y"]) for box in boxes}) == 1  # one line
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    assert boxes[-1]["x"] + boxes[-1]["width"] <= 1366
    assert all(box["width"] >= 150 for box in boxes)  # room for a card's text
    # Tours chose d01 (5 dots, 4 voters): bold, with its share 1,25 dot per voter.
    tours_d01 = page.locator('.cmp-cell[data-place="socle/techniques"][data-territory="Tours"] li.chosen').first
    expect(tours_d01).to_contain_text("1,25")
    assert font_px(tours_d01) >= 12
    best = comparison["must_haves"]["overall"][0]
    first = page.locator("#cmp-overall tbody tr").first
    expect(first).to_have_attribute("data-card", best["card"])
    expect(first.locator("td.rank")).to_have_text("1")
    # The merged hydraulics card: one line of the ranking, tagged, with a share in three territories.
    merged = page.locator('#cmp-overall tr[data-card="merge:hydraulique"]')
    expect(merged).to_have_count(1)
    expect(merged).to_contain_text("fusionnée")
    assert [merged.locator(f'td[data-territory="{n}"]').inner_text().strip() != "" for n in
            ("Tours", "Gien", "Vierzon", "Châteauroux")] == [True, True, False, True]
    expect(page.locator("#cmp-without-votes")).to_contain_text("Blois")
    expect(page.locator("#cmp-overall thead th").last).to_have_text("Blois (sans vote)")
    expect(page.locator("#cmp-formula")).to_contain_text("nombre de votants")
    expect(page.locator("#cmp-count")).to_have_text("5 territoires")
    expect(page.locator('#cmp-merges li[data-merge="hydraulique"]')).to_contain_text("Lire les plans hydrauliques")
    # The evaluation per territory: answers out of participants, each scale's mean (Tours: utile 13/3).
    tours = page.locator('#cmp-evaluation tr[data-territory="Tours"]')
    expect(tours.locator("td.num")).to_have_text("3 sur 5")
    expect(tours.locator('td[data-scale="utile"]')).to_contain_text("4,33")
    expect(page.locator('#cmp-evaluation-texts [data-territory="Vierzon"]')).to_contain_text("À refaire avec les RH.")
    expect(page.locator('#cmp-evaluation tr[data-territory="Blois"] td.num')).to_have_text("0 sur 2")
    assert on_top(page.locator("#cmp-print"))
    assert page.locator("#cmp-print").bounding_box()["height"] >= 44
    shoot(page, "campaign-comparison", shots)
    page.locator("#cmp-grid").scroll_into_view_if_needed()
    shoot(page, "campaign-comparison-panorama", shots)
    page.locator("#cmp-evaluation").scroll_into_view_if_needed()
    shoot(page, "campaign-comparison-evaluation", shots)


def test_the_page_reads_in_english_on_request_and_in_one_column_on_a_phone(campaign, contexts, shots):
    app, _ = campaign
    page = contexts(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    page.goto(app.url + "/campaign")
    page.locator("#cmp-lang").click()
    expect(page.locator("#cmp-formula")).to_contain_text("number of voters")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cells = page.locator('.cmp-cell[data-place="socle/techniques"]')
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # one under the other
    expect(cells.nth(1).locator(".cmp-cell-name")).to_be_visible()
    expect(cells.nth(1).locator(".cmp-cell-name")).to_have_text("Gien")
    assert font_px(cells.nth(0).locator("li").first) >= 12
    shoot(page, "campaign-comparison-phone", shots)


def test_the_page_has_no_serious_accessibility_violation(campaign, contexts):
    app, _ = campaign
    page = contexts(viewport={"width": 1366, "height": 768}, bypass_csp=True).new_page()
    page.goto(app.url + "/campaign")
    expect(page.locator("#cmp-grid")).to_be_visible()
    audit(page, "campaign comparison")


def test_printed_the_page_hides_its_buttons_and_keeps_every_territory(campaign, contexts):
    app, _ = campaign
    page = contexts(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(app.url + "/campaign")
    page.emulate_media(media="print")
    expect(page.locator("#cmp-print")).to_be_hidden()
    expect(page.locator(".cmp-head-cell")).to_have_count(5)
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_synthesis_files_hold_the_ranking_per_territory(campaign):
    """CAMP9: the CSV for French Excel, the XLSX with a column per territory, the JSON as compare gives it."""
    app, comparison = campaign
    csv_text = requests.get(app.url + "/campaign.csv", timeout=10).content.decode("utf-8-sig")
    lines = csv_text.split("\r\n")
    assert lines[0].startswith("Section;Territoire;Lieu;Carte")
    best = comparison["cards"][comparison["must_haves"]["overall"][0]["card"]]["text"]
    assert lines[1].startswith(f"Classement;;;{best};")
    assert any(line.startswith("Territoire;Gien;") for line in lines)
    book = load_workbook(io.BytesIO(requests.get(app.url + "/campaign.xlsx", timeout=10).content))
    ranking = book["Classement"]
    assert [cell.value for cell in ranking[1]][:4] == ["Rang", "Carte", "Score", "Tours (part)"]
    assert ranking["B2"].value == best and isinstance(ranking["C2"].value, float)
    assert [cell.value for cell in book["Panorama"][1]] == [None, "Tours", "Gien", "Vierzon", "Châteauroux", "Blois"]
    assert requests.get(app.url + "/campaign.json", timeout=10).json()["must_haves"]["overall"][0]["card"] == \
        comparison["must_haves"]["overall"][0]["card"]


def test_eight_sessions_keep_a_readable_column_each_and_scroll_inside_the_grid(campaign, contexts, shots):
    """Past six territories each column keeps 160 px at least: the grid scrolls sideways, the page does not."""
    app, comparison = campaign
    results = [result_of({**plan, "territory": f"{plan['territory']} ({session})"}, document)
               for session in ("matin", "soir") for plan, document in zip(PLANS[:4], app.documents[:4])]
    with CampaignApp(compare(results, []), "Huit sessions") as wide:
        page = contexts(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(wide.url + "/campaign")
        expect(page.locator(".cmp-head-cell")).to_have_count(8)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        cells = page.locator('.cmp-cell[data-place="socle/techniques"]')
        boxes = [cells.nth(i).bounding_box() for i in range(8)]
        assert len({round(box["y"]) for box in boxes}) == 1 and all(box["width"] >= 159 for box in boxes)
        grid = page.locator("#cmp-grid")
        assert grid.evaluate("(node) => node.scrollWidth > node.clientWidth")  # the rest is a scroll away
        cells.nth(0).scroll_into_view_if_needed()
        expect(cells.nth(7)).not_to_be_in_viewport()
        grid.evaluate("(node) => { node.scrollLeft = node.scrollWidth; }")
        expect(cells.nth(7)).to_be_in_viewport()
        place = page.locator('.cmp-place[data-place="socle/techniques"]')
        assert place.bounding_box()["x"] >= 0 and on_top(place)  # the place's name stays in sight
        shoot(page, "campaign-eight-sessions", shots)
