"""The home page is the participants' way in; facilitators have an entry of their own (issue 9, point 13)."""
import re

import pytest

from browser import expect

SIZES = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_home_page_offers_joining_and_no_workshop_creation(server, contexts, size):
    page = contexts(viewport=size).new_page()
    page.goto(server.url + "/")
    join = page.get_by_role("button", name="Rejoindre")
    expect(join).to_be_visible()
    expect(page.get_by_role("button", name="Créer l’atelier")).to_have_count(0)
    # Styled for a hand on a phone: the code field and the button are big enough and on screen.
    for control in (page.get_by_label("Code"), page.get_by_label("Votre nom"), join):
        box = control.bounding_box()
        assert box["height"] >= 44, box
        assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"], box
        assert box["y"] + box["height"] <= size["height"], box
    code_size = page.get_by_label("Code").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert code_size >= 20


def test_facilitators_create_a_workshop_from_their_own_entry(server, contexts):
    page = contexts().new_page()
    page.goto(server.url + "/")
    entry = page.get_by_role("link", name="Préparer un atelier")
    expect(entry).to_be_visible()
    expect(page.get_by_text("Vous animez un atelier ?")).to_be_visible()
    entry.click()
    expect(page).to_have_url(server.url + "/animer")
    # Every packaged format is a choice of its own (issue 14); the flagship is the one made by default.
    expect(page.get_by_role("radio", name="Atelier Compétences")).to_be_checked()
    page.get_by_role("button", name="Créer l’atelier").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^\s*[A-Z0-9]{6}\s*$"))
    assert "/f/" in page.url


def test_a_wrong_code_keeps_the_form_filled_and_says_what_to_fix(server, contexts):
    """A typo in the code brings the same form back, code and name kept, the code field focused."""
    from conftest import create_workshop
    workshop = create_workshop(server.url)
    page = contexts(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.url + "/")
    wrong = "ZZ" + workshop["join_code"][2:]
    page.get_by_label("Code").fill(wrong)
    page.get_by_label("Votre nom").fill("Inès")
    page.get_by_role("button", name="Rejoindre").click()
    message = page.get_by_role("alert")
    expect(message).to_contain_text("Aucun atelier n’a ce code")
    expect(message).to_be_visible()
    code = page.get_by_label("Code")
    expect(code).to_have_value(wrong)
    expect(code).to_be_focused()
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Votre nom")).to_have_value("Inès")
    code.fill(workshop["join_code"])
    page.get_by_role("button", name="Rejoindre").click()
    expect(page).to_have_url(re.compile(r"/p/"))
    expect(page.locator('body[data-connection="online"]')).to_be_attached()
