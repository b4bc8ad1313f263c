"""'View as' as the facilitator sees it, in chromium on the full-scale scene (tests/fullscale.py: 20
participants in 4 teams, 72 cards) with private cards on (docs/spec.md VIEWAS1-VIEWAS3): from the
console, "Voir comme…" on a participant opens their board in a new tab under a band saying whose eyes
and "lecture seule"; it shows that participant's team's private card and not another team's, the same
cards as the participant's own page, and a card dragged there does not move.
Screenshots go to /tmp/viewas-*.png."""
import pytest

from browser import card, drag_with_mouse, expect, font_px, on_top, open_board, wait_online
from fullscale import as_facilitator, build_full_scene
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}
SHOT = "/tmp/viewas-{}.png"
SECRET_A = "Idée privée de l’équipe Production"
SECRET_B = "Idée privée de l’équipe Ingénierie"


@pytest.fixture
def scene(server):
    """A full-scale scene of its own with private cards on, and one private card written by a member
    of the first team (Production) and one by a member of the second (Ingénierie)."""
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("configure", {"private_cards": True}))
    for person, text, zone, card_id in ((scene["people"][4], SECRET_A, "socle/techniques", "secret-a"),
                                        (scene["people"][1], SECRET_B, "ingenierie/techniques", "secret-b")):
        writer = BoardClient(server.url, person["token"])
        try:
            assert writer.command("create_card", {"kind": "new", "text": text, "zone_id": zone, "x": 0.5, "y": 1,
                                                  "card_id": card_id})["ok"]
        finally:
            writer.close()
    return scene


def panorama_cards(page):
    """Each card of the Panorama as the page draws it: id -> (zone, text shown, face down or not)."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#panorama [data-card]')].map((n) =>
        [n.dataset.card, [n.closest('[data-zone]')?.dataset.zone ?? null, n.querySelector('.card-body')?.innerText ?? '',
                          n.classList.contains('hidden') || n.dataset.hidden === 'true']]))""")


def test_the_console_opens_a_participant_s_board_read_only_with_their_private_cards(scene, contexts):
    """VIEWAS1-3 as the facilitator sees them: the link on Camille's row opens her board in a new tab;
    the band names her and her team and says read-only, readable and on top; her team's private card
    shows, the other team's is face down, and the Panorama is what her own page draws; a drag of one of
    her team's cards leaves it where it was and says why."""
    camille = scene["people"][0]  # Camille Martin, team Production (the first team)
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    row = console.locator(f'#participant-list li[data-person="{camille["participant_id"]}"]')
    link = row.locator(".view-as-link")
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    expect(link).to_have_accessible_name("Voir comme… Camille Martin (lecture seule, nouvel onglet)")
    # What the eye reads is "Voir comme…": the rest of the name is for screen readers only.
    assert link.evaluate("(a) => a.firstChild.textContent") == "Voir comme…"
    assert link.locator(".view-as-whom").bounding_box()["width"] <= 1
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44 and on_top(link)
    console.screenshot(path=SHOT.format("console"))
    with console.context.expect_page() as opened:
        link.click()
    seeing = opened.value
    wait_online(seeing)
    assert f"/as/{camille['participant_id']}" in seeing.url

    band = seeing.locator("#view-as-banner")
    expect(band).to_be_visible()
    expect(band).to_have_text("Vous voyez le tableau comme Camille Martin (équipe Production) — lecture seule")
    band_box = band.bounding_box()
    assert band_box["y"] >= 0 and band_box["y"] + band_box["height"] <= LAPTOP["height"] and on_top(band)
    assert font_px(band.locator(".view-as-text")) >= 16

    # Her team's private card with its words; the other team's face down, its words never sent.
    expect(card(seeing, "secret-a")).to_contain_text(SECRET_A)
    card(seeing, "secret-a").scroll_into_view_if_needed()
    expect(card(seeing, "secret-a")).to_be_visible()
    expect(seeing.locator('[data-card="secret-b"]')).to_be_attached()
    assert SECRET_B not in seeing.content()
    # Exactly what Camille's own page draws.
    own = open_board(contexts(viewport=LAPTOP), camille["board_url"])
    assert panorama_cards(seeing) == panorama_cards(own)
    # The sequence's gates are hers: her buttons are those of a participant in Compléter.
    for button in ("#new-postit", "#new-card"):
        assert seeing.locator(button).is_enabled() == own.locator(button).is_enabled()
    seeing.screenshot(path=SHOT.format("board"))

    # A drag of one of her team's cards: nothing moves, on the page or on the server.
    version = seeing.evaluate("window.atelier.connection.confirmed.version")
    mine = next(c for c in seeing.evaluate("[...window.atelier.connection.confirmed.cards.values()]")
                if c["team"] == scene["team_of"][camille["participant_id"]] and c["zone"] == "socle/techniques")
    expect(seeing.locator(f'[data-card="{mine["id"]}"]')).not_to_have_attribute("data-locked", "team")  # hers to move
    target = seeing.locator('#panorama [data-zone="exploitation/capacites"]')  # on the same screen
    release = drag_with_mouse(seeing, card(seeing, mine["id"]), target)
    release()
    seeing.wait_for_timeout(400)
    expect(seeing.locator("#toast")).to_be_visible()
    expect(seeing.locator("#toast")).to_contain_text("Lecture seule : vous voyez le tableau comme Camille Martin")
    assert seeing.evaluate(f"window.atelier.connection.view().cards.get('{mine['id']}').zone") == mine["zone"]
    expect(seeing.locator(f'#panorama [data-zone="{mine["zone"]}"] [data-card="{mine["id"]}"]')).to_be_attached()
    assert own.evaluate("window.atelier.connection.confirmed.version") == version
    assert own.evaluate(f"window.atelier.connection.confirmed.cards.get('{mine['id']}').zone") == mine["zone"]
    seeing.screenshot(path=SHOT.format("drag-refused"))
