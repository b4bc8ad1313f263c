"""The four formats in a real browser (Playwright, Debian's chromium) at 1366x768: /animer shows each one
readable (name, summary, size), and creating each opens a console, a projector and a participant's
board that work (no script error, the cards visible), even for a format without a Panorama (FMT16,
FMT18, FMT22). A bad format file at /animer is refused with its field named, in view (FMT21)."""
import json
import re

import pytest

from board.domain import read_format
from browser import expect, font_px, on_top, wait_online
from conftest import join
from realtime import BoardClient
from test_format_files import PACKAGED, example

LAPTOP = {"width": 1366, "height": 768}


def watch_errors(page):
    """Every uncaught script error and console error of the page, as they come."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_animer_shows_the_four_formats_readable_with_their_summary_and_size(server, contexts, shots):
    page = contexts(viewport=LAPTOP).new_page()
    errors = watch_errors(page)
    page.goto(server.url + "/animer")
    choices = page.locator(".format-choice")
    expect(choices).to_have_count(len(PACKAGED))
    names = [choices.nth(i).locator(".format-name").inner_text() for i in range(len(PACKAGED))]
    assert names == ["Atelier Compétences", "Cartographie des facteurs", "Rencontre prospective", "Troc de compétences"]
    # The flagship stays the choice made for whoever just types a name and creates.
    expect(page.get_by_role("radio", name="Atelier Compétences")).to_be_checked()
    for i in range(len(PACKAGED)):
        choice = choices.nth(i)
        choice.scroll_into_view_if_needed()
        box = choice.bounding_box()
        assert box["height"] >= 44 and 0 <= box["x"] and box["x"] + box["width"] <= LAPTOP["width"], box
        assert on_top(choice.locator(".format-name"))
        assert font_px(choice.locator(".format-name")) >= 16
        assert font_px(choice.locator(".format-summary")) >= 15
        expect(choice.locator(".format-summary")).not_to_be_empty()
        assert font_px(choice.locator(".format-facts")) >= 14
    expect(choices.nth(1).locator(".format-facts")).to_have_text("6 séquences · 50 cartes")
    expect(choices.nth(3).locator(".format-facts")).to_have_text("4 séquences · pas de cartes : chacun écrit les siennes")
    page.screenshot(path="/tmp/formats-animer.png", full_page=True)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "formats-animer.png"), full_page=True)  # docs/screenshots with SCREENSHOTS=docs
    assert errors == []


def _some_cards_on_the_board(base_url, links, token):
    """As the workshop would have them after a while: the facilitator lays deck cards out on the format's
    places, a participant writes two cards of their own (in a sequence that lets them write)."""
    facilitator = BoardClient(base_url, links["facilitator_url"].rsplit("/", 1)[1])
    participant = BoardClient(base_url, token)
    try:
        board = facilitator.replica
        places = [zone.id for zone in board.zones.values() if zone.kind != "deck"]
        deck = sorted((card for card in board.cards.values() if card.zone == "deck"), key=lambda card: card.z)
        for i, card in enumerate(deck[:12]):
            assert facilitator.command("move_card", {"card_id": card.id, "zone_id": places[i % len(places)],
                                                     "x": 0.5, "y": 0.5})["ok"]
        writing = next(i for i, s in enumerate(board.format.sequences) if "create_card" in s.allows)
        if writing != board.sequence:
            assert facilitator.command("set_sequence", {"index": writing})["ok"]
        written = []
        for i, text in enumerate(("Animer une réunion à distance", "Faire un budget prévisionnel")):
            answer = participant.command("create_card", {"kind": "postit", "text": text, "zone_id": places[i % len(places)],
                                                         "x": 0.3, "y": 0.3})
            assert answer["ok"], answer
            written.append(text)
        return [card.text for card in deck[:12]] + written
    finally:
        participant.close()
        facilitator.close()


@pytest.mark.parametrize("name", PACKAGED)
def test_each_format_created_at_animer_opens_a_working_console_projector_and_board(server, contexts, name):
    context = contexts(viewport=LAPTOP)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(server.url + "/animer")
    page.get_by_role("radio", name=re.compile(r".")).first.wait_for()
    page.locator(f'input[name="format"][value="{name}"]').check()
    page.get_by_label("Nom de l’atelier").fill(f"Essai {name}")
    page.get_by_role("button", name="Créer l’atelier").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"[A-Z0-9]{6}"))
    wait_online(page)
    # The console's Panorama-only controls (its labels, stepping the projector through domains) only where
    # the format has a Panorama.
    has_panorama = "panorama" in read_format(name).document
    for control in (page.locator(".console > .panorama-labels"), page.locator("#projector-next")):
        (expect(control).to_be_visible if has_panorama else expect(control).to_be_hidden)()
    code = page.locator("#join-code").inner_text().strip()
    links = {"facilitator_url": page.url, "join_code": code}
    person = join(server.url, code, "Ana")
    texts = _some_cards_on_the_board(server.url, links, person["token"])

    board = contexts(viewport=LAPTOP).new_page()
    board_errors = watch_errors(board)
    board.goto(f"{server.url}/p/{person['token']}")
    wait_online(board)
    expect(board.locator("#workshop-name")).not_to_have_text("Atelier")
    for text in texts[:3] + texts[-2:]:  # deck cards laid out, and the participant's own
        shown = board.locator("#panorama .card-text", has_text=text).first
        expect(shown).to_be_visible()
        assert font_px(shown) >= 12
    board.wait_for_timeout(300)
    board.screenshot(path=f"/tmp/formats-{name}.png")

    projector_url = page.locator("a[href*='/s/']").first.get_attribute("href")
    projector = contexts(viewport=LAPTOP).new_page()
    projector_errors = watch_errors(projector)
    projector.goto(projector_url)
    wait_online(projector)
    expect(projector.locator("#stage .card-text", has_text=texts[-1]).first).to_be_visible()
    projector.wait_for_timeout(300)
    projector.screenshot(path=f"/tmp/formats-{name}-projector.png")
    assert errors == [] and board_errors == [] and projector_errors == []


def test_a_bad_format_file_at_animer_is_refused_with_its_field_in_view(server, contexts, tmp_path):
    page = contexts(viewport=LAPTOP).new_page()
    bad = example()
    bad["sequences"][0]["timer_minutes"] = 500
    path = tmp_path / "mon-format.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    page.goto(server.url + "/animer")
    page.set_input_files("#format-file", str(path))
    page.locator("#format-submit").click()
    error = page.locator("#format-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("sequences[0].timer_minutes: must be a whole number of minutes from 1 to 240")
    box = error.bounding_box()
    assert box["y"] + box["height"] <= LAPTOP["height"], box  # first thing the facilitator sees, no scrolling
    page.screenshot(path="/tmp/formats-animer-error.png")
    good = tmp_path / "bon-format.json"
    good.write_text(json.dumps(example(), ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#format-file", str(good))
    page.locator("#format-submit").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"[A-Z0-9]{6}"))
    expect(page.locator("#workshop-name")).to_have_text("Tri d’idées")
