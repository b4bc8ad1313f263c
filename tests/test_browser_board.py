"""The browser board with a real chromium against the real server: moves seen everywhere."""
import requests

from browser import (MAINTENANCE, card, cell, drag_with_mouse, expect, open_board, server_version, wait_online,
                     wait_version)
from conftest import create_workshop, in_placement


def snapshot(server, workshop):
    return requests.get(server.url + "/api/board", timeout=5,
                        headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()


def test_a_mouse_drag_is_seen_live_by_the_other_participant_and_the_projector(server, contexts):
    workshop = in_placement(server.url)
    alice = open_board(contexts(), workshop["participants"][0]["board_url"])
    bob = open_board(contexts(), workshop["participants"][1]["board_url"])
    projector = open_board(contexts(), workshop["projector_url"])
    release = drag_with_mouse(alice, card(alice, "d12"), cell(alice, MAINTENANCE), pause_ms=40)
    # While Alice still holds the card, Bob sees it moving with her name on it.
    ghost = bob.locator(".ghost")
    expect(ghost).to_be_visible()
    expect(ghost).to_contain_text("Personne 1")
    expect(ghost).to_contain_text(alice.locator('[data-card="d12"] .card-text').first.inner_text())
    release()
    for page in (alice, bob, projector):
        expect(cell(page, MAINTENANCE).locator('[data-card="d12"]')).to_be_visible()
    expect(bob.locator(".ghost")).to_have_count(0)
    state = snapshot(server, workshop)
    assert next(c for c in state["cards"] if c["id"] == "d12")["zone"] == MAINTENANCE
    assert server_version(bob) == server_version(projector) == state["version"]


def test_card_text_is_shown_as_text_and_never_run(server, contexts):
    workshop = in_placement(server.url, participants=1)
    from realtime import BoardClient
    facilitator = BoardClient(server.url, workshop["admin_token"])
    evil = "<img src=x onerror=alert(1)>"
    ack = facilitator.command("create_card", {"kind": "postit", "text": evil, "zone_id": MAINTENANCE,
                                              "x": 0.5, "y": 0.5, "card_id": "evil"})
    facilitator.close()
    assert ack["ok"]
    context = contexts()
    page = open_board(context, workshop["participants"][0]["board_url"])
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    expect(page.locator('[data-card="evil"] .card-text')).to_have_text(evil)
    assert page.locator("#panorama img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_the_english_switch_shows_english_labels_and_is_remembered(server, contexts):
    workshop = in_placement(server.url, participants=1)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    expect(page.locator("#deck-title")).to_have_text("Cartes Compétences")
    page.click("#lang-switch")
    wait_online(page)
    expect(page.locator("#deck-title")).to_have_text("Competence cards")
    expect(page.locator(".column-head").first).to_have_text("Trade techniques")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.locator("#deck-title")).to_have_text("Competence cards")


def test_a_refresh_keeps_the_participants_identity_and_team(server, contexts):
    workshop = in_placement(server.url, participants=1)
    from realtime import BoardClient
    facilitator = BoardClient(server.url, workshop["admin_token"])
    team = facilitator.command("create_team", {"name": "Les Bleus", "colour": "#1f4e9c"})
    me = workshop["participants"][0]
    assert facilitator.command("join_team", {"team_id": f"t{team['version']}",
                                             "participant_id": me["participant_id"]})["ok"]
    facilitator.close()
    page = open_board(contexts(), me["board_url"])
    page.reload()
    wait_online(page)
    assert page.evaluate("window.atelier.connection.you.id") == me["participant_id"]
    page.click("#people-toggle")
    expect(page.locator("#people-list li").filter(has_text="Personne 1")).to_contain_text("Les Bleus")
    assert len(snapshot(server, workshop)["participants"]) == 3  # facilitator, projector, one participant


def test_a_rejected_move_goes_back_with_its_message(server, contexts):
    workshop = create_workshop(server.url, participants=1)  # still in Discovery: nothing may be placed
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    version = server_version(page)
    drag_with_mouse(page, card(page, "d05"), cell(page, MAINTENANCE))()
    expect(page.locator("#toast")).to_contain_text("Découverte")
    expect(cell(page, "deck").locator('[data-card="d05"]')).to_be_visible()
    expect(cell(page, MAINTENANCE).locator('[data-card="d05"]')).to_have_count(0)
    assert snapshot(server, workshop)["version"] == version
    wait_version(page, version)
