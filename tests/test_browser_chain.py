"""The console's "carry on" dialog in a real chromium at 1366×768 (spec CHAIN1-CHAIN3), at full scale.

The flagship's afternoon is finished (tests/fullscale.py, stage "revealed": 72 cards, the ranking
revealed). The facilitator opens "Poursuivre dans un nouvel atelier": the top 10 must-haves are ticked,
every choice is readable and within reach; they swap one card by hand and create the board. Its console
opens in a new tab with those cards as its deck, and a participant of the new board reads on a card,
and in its details, where it came from. The dialog's screenshot is docs/screenshots/chain.png
(`SCREENSHOTS=docs`), else in a temporary folder; the participant's is /tmp/chain-participant.png.
"""
import re

import requests

from browser import expect, font_px, on_top, open_board, shoot
from conftest import join
from fullscale import as_facilitator, build_full_scene

LAPTOP = {"width": 1366, "height": 768}
DETAILS = {"title": "Atelier Compétences", "date": "2026-05-12", "place": "Tours"}


def snapshot(base_url, token):
    return requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()


def in_view(locator, touch=False):
    """Visible, inside the window, not covered; with `touch`, at least 44 px each way."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= LAPTOP["width"] and box["y"] + box["height"] <= LAPTOP["height"], box
    assert on_top(locator), "covered"
    if touch:
        assert box["height"] >= 44 and box["width"] >= 44, box


def test_the_facilitator_carries_the_must_haves_into_a_new_board_whose_participants_see_their_origin(
        server, contexts, shots):
    scene = build_full_scene(server.url, "revealed")
    as_facilitator(server.url, scene, ("describe_workshop", DETAILS))
    source = snapshot(server.url, scene["admin_token"])
    ranking = [entry["card_id"] for entry in source["vote"]["results"]["overall"]]
    texts = {card["id"]: card["text"] for card in source["cards"]}
    teams = {team["id"]: team["name"] for team in source["teams"]}
    team_of = {card["id"]: teams.get(card["team"]) for card in source["cards"]}

    context = contexts(viewport=LAPTOP)
    console = open_board(context, scene["facilitator_url"])
    opener = console.locator("#chain-open")
    opener.scroll_into_view_if_needed()
    in_view(opener, touch=True)
    console.screenshot(path="/tmp/chain-console-section.png")
    opener.click()
    dialog = console.locator("dialog.chain-dialog")
    expect(dialog).to_be_visible()
    in_view(dialog.locator("#chain-dialog-title"))

    # It starts from the top 10 must-haves: those ten ticked, in rank order at the top of the list.
    expect(dialog.locator("#chain-preset")).to_have_value("must_haves:10")
    expect(dialog.locator(".chain-count")).to_have_text("Cartes choisies : 10 sur 72")
    ticked = dialog.locator(".chain-cards input:checked")
    expect(ticked).to_have_count(10)
    assert [box.get_attribute("value") for box in ticked.all()] == ranking[:10]
    # Every choice readable and within reach: the settings, the buttons, each line of the list.
    for control in ("#chain-preset", "#chain-format", "#chain-new-title", "#chain-clear", "#chain-cancel", "#chain-create"):
        in_view(dialog.locator(control), touch=True)
        assert font_px(dialog.locator(control)) >= 15, control
    expect(dialog.locator("#chain-create")).to_have_text("Créer le tableau (10 cartes)")
    expect(dialog.locator("#chain-format option:checked")).to_have_text("Atelier Compétences")
    first = dialog.locator(".chain-card").first
    in_view(first, touch=True)
    assert font_px(first.locator("strong")) >= 16 and font_px(first.locator(".chain-card-meta")) >= 14
    expect(first).to_contain_text(texts[ranking[0]])
    expect(first.locator(".chain-card-meta")).to_contain_text(f"équipe {team_of[ranking[0]]}")
    expect(first.locator(".chain-card-meta")).to_contain_text("n°1")
    # The preset's choices say what they tick.
    options = [text.strip() for text in dialog.locator("#chain-preset option").all_inner_texts()]
    assert "Incontournables du vote — Les 10 premiers" in options
    assert "Une zone — Maintenance — Techniques Métiers" in options
    shoot(console, "chain", shots)
    console.screenshot(path="/tmp/chain-dialog.png")

    # By hand: the tenth goes, a card further down the list comes in; the preset no longer claims the choice.
    swapped_out, swapped_in = ranking[9], ranking[15]
    dialog.locator(f'.chain-card:has(input[value="{swapped_out}"])').click()
    line = dialog.locator(f'.chain-card:has(input[value="{swapped_in}"])')
    line.scroll_into_view_if_needed()
    in_view(line, touch=True)
    line.click()
    expect(dialog.locator("#chain-preset")).to_have_value("")
    expect(dialog.locator(".chain-count")).to_have_text("Cartes choisies : 10 sur 72")
    chosen = ranking[:9] + [swapped_in]
    dialog.locator("#chain-new-title").fill("Atelier Compétences — Lyon")

    with context.expect_page() as opened:
        dialog.locator("#chain-create").click()
    new_console = opened.value
    new_console.wait_for_load_state()
    expect(new_console.locator('body[data-connection="online"]')).to_be_attached()
    expect(new_console.locator("#workshop-name")).to_have_text("Atelier Compétences — Lyon")
    expect(new_console.locator("#deck-import-status")).to_have_text("Le paquet compte 10 cartes, dont 0 déjà placées.")
    expect(console.locator("#chain-note")).to_contain_text("« Atelier Compétences — Lyon » créé avec 10 cartes")
    expect(dialog).to_have_count(0)
    new_token = new_console.url.rsplit("/", 1)[1]
    board = snapshot(server.url, new_token)
    deck = sorted(board["cards"], key=lambda card: card["z"])
    assert [card["text"] for card in deck] == [texts[card_id] for card_id in chosen]
    assert [card["origin"]["card"] for card in deck] == chosen
    assert snapshot(server.url, scene["admin_token"]) == source  # the finished board is as it was

    # A participant of the new board reads on each card where it came from, and more in its details.
    newcomer = join(server.url, board_join_code(new_console), "Zoé Nouvelle")
    participant = open_board(contexts(viewport=LAPTOP), f"{server.url}/p/{newcomer['token']}")
    first_card = participant.locator(f'#deck-list [data-card="{deck[0]["id"]}"]')
    origin = first_card.locator(".card-origin")
    first_card.scroll_into_view_if_needed()
    in_view(origin)
    expect(origin).to_have_text(f"de : Atelier Compétences — Tours, équipe {team_of[chosen[0]]}")
    assert font_px(origin) >= 11
    participant.screenshot(path="/tmp/chain-participant.png")
    first_card.locator(".card-body").click()
    details = participant.locator("#card-details")
    expect(details).to_be_visible()
    expect(details.locator(".details-facts")).to_contain_text("Vient de")
    expect(details.locator(".details-facts")).to_contain_text("Atelier Compétences — Tours, 12 mai 2026")
    expect(details.locator(".details-facts")).to_contain_text(team_of[chosen[0]])
    votes = source["vote"]["results"]["totals"][chosen[0]]
    expect(details.locator(".details-facts")).to_contain_text(f"Gommettes à l’origine{votes} ●")
    participant.screenshot(path="/tmp/chain-participant-details.png")


def board_join_code(page):
    return page.locator("#join-code").inner_text().strip()


def test_on_a_running_board_nothing_is_ticked_until_the_facilitator_chooses(server, contexts, full_scene):
    """CHAIN1, CHAIN7: before the reveal there is no must-have preset; the dialog starts with nothing
    ticked and the create button off; a zone's preset ticks exactly that zone's cards."""
    scene = full_scene("placed")
    source = snapshot(server.url, scene["admin_token"])
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    # Before the reveal the panel is folded with the others of after the workshop: one click opens it.
    expect(console.locator(".chain-control")).to_have_class(re.compile(r"\bfolded\b"))
    console.locator(".chain-control .fold-toggle").click()
    console.locator("#chain-open").scroll_into_view_if_needed()
    console.locator("#chain-open").click()
    dialog = console.locator("dialog.chain-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#chain-preset")).to_have_value("")
    expect(dialog.locator(".chain-cards input:checked")).to_have_count(0)
    expect(dialog.locator("#chain-create")).to_be_disabled()
    expect(dialog.locator('#chain-preset option[value^="must_haves:"]')).to_have_count(0)
    dialog.locator("#chain-preset").select_option("zone:maintenance/techniques")
    in_maintenance = {card["id"] for card in source["cards"] if card["zone"] == "maintenance/techniques"}
    ticked = dialog.locator(".chain-cards input:checked")
    expect(ticked).to_have_count(len(in_maintenance))
    assert {box.get_attribute("value") for box in ticked.all()} == in_maintenance
    expect(dialog.locator("#chain-create")).to_have_text(f"Créer le tableau ({len(in_maintenance)} cartes)")
    dialog.locator("#chain-cancel").click()
    expect(dialog).to_have_count(0)
    assert snapshot(server.url, scene["admin_token"])["version"] == source["version"]
