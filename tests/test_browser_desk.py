"""The facilitator's desk in a real browser (Playwright, Debian's chromium), on a laptop and a phone:
DESK1-DESK9. Two workshops named and dated at /animer, listed on "Mes ateliers" with what a
facilitator needs to tell them apart, readable and reachable; a console opened from there; a template
saved from a console starts a new workshop with the same preparation."""
import re

import pytest

from browser import expect, font_px, on_top, shoot, unfold
from conftest import join
from realtime import BoardClient
from test_desk import template_of

LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}


def create_at_animer(page, base_url, title, date, place=""):
    """Fill /animer's form as a facilitator does; return the console's URL."""
    page.goto(base_url + "/animer")
    page.get_by_label("Nom de l’atelier").fill(title)
    page.get_by_label("Date").fill(date)
    if place:
        page.get_by_label("Lieu").fill(place)
    page.get_by_role("button", name="Créer l’atelier").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"[A-Z0-9]{6}"))
    expect(page.locator("#workshop-name")).to_have_text(title)
    return page.url


def assert_reachable(page, locator, size, min_height=44):
    """On screen once scrolled to, not covered, big enough for a finger, inside the page's width."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box["height"] >= min_height, box
    assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"] + 0.5, box
    assert on_top(locator)


def prepare(base_url, console_url):
    """A prepared workshop: its deck edited, two teams, its own vote settings."""
    facilitator = BoardClient(base_url, console_url.rsplit("/", 1)[1])
    try:
        for command, data in (("edit_card", {"card_id": "d01", "text": "Écoute active (revue)"}),
                              ("delete_card", {"card_id": "d02"}),
                              ("create_team", {"name": "Rouge", "colour": "#aa0000"}),
                              ("create_team", {"name": "Bleu", "colour": "#0000aa", "domain": "socle"}),
                              ("configure_vote", {"budget": 7, "per_card": 3})):
            assert facilitator.command(command, data)["ok"], command
    finally:
        facilitator.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_two_workshops_from_animer_are_listed_on_the_desk_and_a_console_opens_from_it(server, contexts, size, shots):
    page = contexts(viewport=size).new_page()
    first = create_at_animer(page, server.url, "Atelier RH — printemps", "2026-03-14", "Salle 204")
    second = create_at_animer(page, server.url, "Séminaire direction", "2026-04-02")
    code = page.locator("#join-code").inner_text().strip()
    for name in ("Alice", "Bruno", "Chloé"):
        join(server.url, code, name)

    page.goto(server.url + "/animer")
    page.screenshot(path=f"/tmp/desk-animer-{size['width']}.png", full_page=True)
    page.get_by_role("link", name="Mes ateliers").click()
    expect(page.get_by_role("heading", name="Mes ateliers", level=1)).to_be_visible()
    items = page.locator(".desk-workshop")
    expect(items).to_have_count(2)
    newest, oldest = items.nth(0), items.nth(1)
    expect(newest.locator("h3")).to_have_text("Séminaire direction")
    expect(newest.locator(".desk-date")).to_have_text("2 avril 2026")
    expect(newest.locator(".desk-participants")).to_have_text("3")
    expect(newest.locator(".desk-state")).to_have_text("En cours")
    expect(oldest.locator("h3")).to_have_text("Atelier RH — printemps")
    expect(oldest.locator(".desk-date")).to_have_text("14 mars 2026")
    expect(oldest.locator(".desk-format")).to_have_text("Atelier Compétences")
    expect(oldest.locator(".desk-participants")).to_have_text("0")
    expect(oldest.locator(".desk-state")).to_have_text("En préparation")
    expect(oldest.locator(".desk-place")).to_have_text("Salle 204")
    # Readable and in order: the title large, every fact at least 14 px, nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    for item in (newest, oldest):
        item.scroll_into_view_if_needed()
        for part in ("h3", ".desk-date", ".desk-format", ".desk-participants", ".desk-state"):
            expect(item.locator(part)).to_be_visible()
            assert font_px(item.locator(part)) >= 14, part
        assert font_px(item.locator("h3")) >= 18
        assert_reachable(page, item.get_by_role("link", name="Ouvrir la console"), size)
    assert newest.bounding_box()["y"] <= oldest.bounding_box()["y"]  # the newest first (beside it on a laptop)
    expect(page.locator("#desk-private-link")).to_have_attribute("href", re.compile(r"/bureau/[A-Za-z0-9_-]{20,}$"))
    page.evaluate("window.scrollTo(0, 0)")
    name = "my-workshops" if size is LAPTOP else "my-workshops-phone"
    shoot(page, name, shots, settle_ms=100)

    oldest.get_by_role("link", name="Ouvrir la console").click()
    expect(page).to_have_url(first)
    expect(page.locator("#workshop-name")).to_have_text("Atelier RH — printemps")
    page.screenshot(path=f"/tmp/desk-console-{size['width']}.png")
    unfold(page, ".workshop-details")  # folded below the people until opened
    form = page.locator("#details-form")
    expect(form.get_by_label("Date")).to_have_value("2026-03-14")
    form.get_by_label("Lieu").fill("Salle 12, 2e étage")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#details-note")).to_have_text("Nom, date et lieu enregistrés.")
    page.locator(".workshop-details").screenshot(path=f"/tmp/desk-console-details-{size['width']}.png")
    page.goto(server.url + "/bureau")
    expect(page.locator(".desk-workshop").nth(1).locator(".desk-place")).to_have_text("Salle 12, 2e étage")
    assert second != first
    # In English too, through the page's own switch.
    page.locator("#lang-switch").click()
    expect(page.get_by_role("heading", name="My workshops", level=1)).to_be_visible()
    expect(page.locator(".desk-workshop").nth(0).locator(".desk-state")).to_have_text("In progress")
    expect(page.locator(".desk-workshop").nth(1).locator(".desk-date")).to_have_text("14 March 2026")
    expect(page.locator(".desk-workshop").nth(1).get_by_role("link", name="Open the console")).to_be_visible()


def test_a_template_saved_in_the_console_starts_a_new_workshop_with_the_same_preparation(server, contexts, shots):
    page = contexts(viewport=LAPTOP).new_page()
    console = create_at_animer(page, server.url, "Atelier type", "2026-03-14", "Lyon")
    prepare(server.url, console)
    unfold(page, ".workshop-details")
    page.get_by_role("button", name="Enregistrer comme modèle").click()
    expect(page.locator("#template-note")).to_have_text("Modèle « Atelier type » enregistré dans Mes ateliers.")
    page.get_by_role("link", name="Mes ateliers").click()
    template = page.locator(".desk-template")
    expect(template).to_have_count(1)
    expect(template.locator("h3")).to_have_text("Atelier type")
    expect(template.locator(".desk-template-cards")).to_have_text("61 cartes")
    expect(template.locator(".desk-template-teams")).to_have_text("2 équipes")
    template.get_by_label("Nom de l’atelier").fill("Atelier type — session 2")
    template.get_by_label("Date").fill("2026-06-20")
    shoot(page, "my-workshops-templates", shots, settle_ms=100)
    template.get_by_role("button", name="Créer un atelier depuis ce modèle").click()
    expect(page.locator("#workshop-name")).to_have_text("Atelier type — session 2")
    started = page.url
    assert started != console
    assert template_of(started) == template_of(console)  # the same deck, labels, teams and settings
    unfold(page, ".workshop-details")
    expect(page.locator("#details-form").get_by_label("Lieu")).to_have_value("Lyon")

    page.get_by_role("link", name="Mes ateliers").click()
    expect(page.locator(".desk-workshop h3")).to_have_text(["Atelier type — session 2", "Atelier type"])
    page.get_by_role("button", name="Supprimer le modèle…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Atelier type")
    dialog.get_by_role("button", name="Supprimer le modèle").click()
    expect(page.locator(".desk-template")).to_have_count(0)
    expect(page.locator("#desk-no-templates")).to_be_visible()
    expect(page.locator(".desk-workshop")).to_have_count(2)  # its workshops stay


def test_the_home_page_offers_no_creation_and_a_separate_facilitator_entry(server, contexts):
    """The participants' way in stays theirs; the facilitators' entry is one clearly named link."""
    page = contexts(viewport=PHONE).new_page()
    page.goto(server.url + "/")
    expect(page.locator("form[action='/workshops']")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Créer"))).to_have_count(0)
    entry = page.get_by_role("link", name="Préparer un atelier")
    expect(entry).to_be_visible()
    assert_reachable(page, entry, PHONE)
    entry.click()
    expect(page).to_have_url(server.url + "/animer")
    expect(page.get_by_label("Nom de l’atelier")).to_be_visible()
