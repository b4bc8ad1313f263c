"""Home, join, console and projector in a real chromium: the facilitator's and the room's side."""
import re

import requests

from browser import MAINTENANCE, card, cell, expect, open_board, server_version, wait_online, wait_version
from conftest import create_workshop
from realtime import BoardClient


def snapshot(server, token):
    return requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()


def test_a_facilitator_creates_a_workshop_and_a_participant_joins_with_the_code(server, contexts):
    facilitator = contexts().new_page()
    facilitator.goto(server.url + "/")
    facilitator.get_by_role("link", name="Préparer un atelier").click()
    facilitator.get_by_role("button", name="Créer l’atelier").click()
    wait_online(facilitator)
    code = facilitator.locator("#join-code").inner_text().strip()
    assert len(code) == 6
    assert facilitator.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
    person = contexts().new_page()
    person.goto(server.url + "/")
    person.get_by_label("Code").fill(code.lower())
    person.get_by_label("Votre nom").fill("Inès")
    person.get_by_role("button", name="Rejoindre").click()
    wait_online(person)
    expect(facilitator.locator("#participant-list")).to_contain_text("Inès")
    expect(facilitator.locator("#participant-list")).to_contain_text("en ligne")


def test_coming_back_to_the_join_link_offers_the_same_identity(server, contexts):
    workshop = create_workshop(server.url)
    context = contexts()
    page = context.new_page()
    page.goto(workshop["join_url"])
    page.get_by_label("Votre nom").fill("Marc")
    page.get_by_role("button", name="Rejoindre").click()
    wait_online(page)
    me = page.evaluate("window.atelier.connection.you.id")
    page.goto(workshop["join_url"])  # the laptop slept, the tab was closed: back to the link on the projector
    page.get_by_role("link", name="Continuer en tant que Marc").click()
    wait_online(page)
    assert page.evaluate("window.atelier.connection.you.id") == me
    people = [p for p in snapshot(server, workshop["admin_token"])["participants"] if p["role"] == "participant"]
    assert [p["name"] for p in people] == ["Marc"]


def test_the_console_moves_the_sequence_on_and_back_for_everyone(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    console = open_board(contexts(), workshop["facilitator_url"])
    board = open_board(contexts(), workshop["participants"][0]["board_url"])
    expect(board.locator("#sequence-name")).to_contain_text("Découverte")
    console.get_by_role("button", name="Séquence suivante").click()
    expect(board.locator("#sequence-name")).to_contain_text("Placement")
    expect(console.locator('#sequence-steps [aria-current="step"]')).to_have_text("Placement")
    console.get_by_role("button", name="Séquence précédente").click()
    expect(board.locator("#sequence-name")).to_contain_text("Découverte")
    assert snapshot(server, workshop["admin_token"])["sequence"] == 0


def test_the_console_creates_teams_and_places_participants_in_them(server, contexts):
    workshop = create_workshop(server.url, participants=2)
    console = open_board(contexts(), workshop["facilitator_url"])
    console.get_by_label("Nom de l’équipe").fill("Les Verts")
    console.get_by_role("button", name="Créer l’équipe").click()
    expect(console.locator("#team-list .team-name-input")).to_have_value("Les Verts")  # renamed in place
    console.get_by_label("Équipe de Personne 2").select_option(label="Les Verts")
    board = open_board(contexts(), workshop["participants"][1]["board_url"])
    board.click("#people-toggle")
    expect(board.locator("#people-list")).to_contain_text("Les Verts")
    state = snapshot(server, workshop["admin_token"])
    person = next(p for p in state["participants"] if p["id"] == workshop["participants"][1]["participant_id"])
    assert state["teams"][0]["name"] == "Les Verts" and person["team"] == state["teams"][0]["id"]


def test_the_projector_is_live_read_only_and_hides_the_join_code_on_request(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    projector = open_board(contexts(viewport={"width": 1920, "height": 1080}), workshop["projector_url"])
    expect(projector.locator("#join-corner")).to_be_visible()
    expect(projector.locator("#join-corner")).to_contain_text(workshop["join_code"])
    assert projector.locator("button, input, select, textarea").count() == 0
    # The whole Panorama fits on the screen.
    fits = projector.evaluate("(() => { const r = document.querySelector('#panorama .grid').getBoundingClientRect();"
                              " return r.bottom <= innerHeight && r.right <= innerWidth; })()")
    assert fits
    facilitator = BoardClient(server.url, workshop["admin_token"])
    facilitator.command("set_sequence", {"index": 1})
    ack = facilitator.command("move_card", {"card_id": "d02", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5})
    expect(cell(projector, MAINTENANCE).locator('[data-card="d02"]')).to_be_visible()
    console = open_board(contexts(), workshop["facilitator_url"])
    console.get_by_role("button", name="Masquer le code sur le projecteur").click()
    expect(projector.locator("#join-corner")).to_be_hidden()
    wait_version(projector, ack["version"] + 1)
    facilitator.close()


def test_a_participant_writes_edits_and_deletes_a_post_it_in_place(server, contexts):
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    team = facilitator.command("create_team", {"name": "Les Bleus", "colour": "#1f4e9c"})
    facilitator.command("join_team", {"team_id": f"t{team['version']}",
                                      "participant_id": workshop["participants"][0]["participant_id"]})
    facilitator.command("set_sequence", {"index": 2})  # Compléter: writing is open
    facilitator.close()
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    other = open_board(contexts(), workshop["participants"][1]["board_url"])
    page.get_by_role("button", name="+ Post-it").click()
    page.get_by_label("Texte").fill("Diagnostic vibratoire")
    page.get_by_label("Où la placer").select_option(label="Maintenance × Techniques Métiers")
    page.get_by_role("button", name="Enregistrer").click()
    written = cell(other, MAINTENANCE).locator(".card.kind-postit")
    expect(written).to_contain_text("Diagnostic vibratoire")
    expect(written).to_contain_text("Les Bleus")  # the team by name, not only by colour
    colour = written.evaluate("node => getComputedStyle(node).borderLeftColor")
    assert colour == "rgb(31, 78, 156)"
    written.locator(".card-body").focus()
    expect(written.locator(".card-author")).to_have_text("par Personne 1")
    mine = cell(page, MAINTENANCE).locator(".card.kind-postit")
    mine.get_by_role("button", name="Modifier « Diagnostic vibratoire »").click()
    page.get_by_label("Texte").fill("Diagnostic vibratoire des machines")
    page.get_by_role("button", name="Enregistrer").click()
    expect(written).to_contain_text("des machines")
    expect(other.locator('.card-edit:visible')).to_have_count(0)  # not Bob's card to edit
    mine.get_by_role("button", name="Modifier « Diagnostic vibratoire des machines »").click()
    page.get_by_role("button", name="Supprimer").click()
    page.locator("dialog.confirm").get_by_role("button", name="Supprimer").click()  # deleting asks first
    expect(cell(other, MAINTENANCE).locator(".card")).to_have_count(0)


def test_zoom_buttons_and_fit_to_screen(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    page = open_board(contexts(viewport={"width": 1024, "height": 700}), workshop["participants"][0]["board_url"])
    zoom = lambda: float(page.evaluate("getComputedStyle(document.getElementById('panorama')).zoom"))  # noqa: E731
    start = zoom()
    page.get_by_role("button", name="Zoomer", exact=True).click()
    assert zoom() > start
    page.get_by_role("button", name="Ajuster à l’écran").click()
    whole = page.evaluate("(() => { const v = document.getElementById('viewport').getBoundingClientRect();"
                          " const p = document.getElementById('panorama').getBoundingClientRect();"
                          " return p.height <= v.height && p.width <= v.width; })()")
    assert whole
    assert server_version(page) >= 1
    assert card(page, "d01").is_visible()


def test_a_participant_chooses_a_team_unless_the_facilitator_forms_them(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    facilitator.command("create_team", {"name": "Les Verts", "colour": "#2e7d32", "domain": "maintenance"})
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    page.get_by_role("button", name="Choisir mon équipe").click()
    page.get_by_label("Mon équipe").select_option(label="Les Verts")
    expect(page.get_by_role("button", name="Choisir mon équipe")).to_be_hidden()
    me = workshop["participants"][0]["participant_id"]
    # The page hides the button as it sends the choice; the server's event may come a moment later.
    facilitator.wait_for(lambda: facilitator.replica.participants[me].team is not None)
    state = snapshot(server, workshop["admin_token"])
    assert next(p for p in state["participants"] if p["id"] == me)["team"] == state["teams"][0]["id"]
    ack = facilitator.command("configure", {"team_choice": False})
    wait_version(page, ack["version"])
    page.click("#people-toggle")
    expect(page.locator("#my-team-box")).to_be_hidden()
    facilitator.close()


def test_the_projector_shows_the_ranking_overall_and_the_first_of_each_domain(server, contexts):
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    people = [BoardClient(server.url, p["token"]) for p in workshop["participants"]]
    try:
        facilitator.command("set_sequence", {"index": 1})
        for card_id, zone in (("d01", "socle/techniques"), ("d02", "socle/techniques"), ("d03", MAINTENANCE)):
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": zone, "x": .5, "y": .5})["ok"]
        facilitator.command("set_sequence", {"index": 3})
        facilitator.command("open_vote")
        for person, picks in zip(people, (("d01", "d01", "d03"), ("d02", "d03", "d03"))):
            for card_id in picks:
                assert person.command("vote", {"card_id": card_id, "delta": 1})["ok"]
        facilitator.command("close_vote")
        projector = open_board(contexts(viewport={"width": 1920, "height": 1080}), workshop["projector_url"])
        expect(projector.locator("#results")).to_be_hidden()
        facilitator.command("reveal_results")
        items = projector.locator("#results-list li")
        expect(items).to_have_count(3)
        texts = {c.id: c.text for c in facilitator.replica.cards.values()}
        expect(items.nth(0)).to_contain_text(texts["d03"])  # 3 dots
        expect(items.nth(0)).to_contain_text("n°1")
        expect(items.nth(1)).to_contain_text("n°2")  # d01 with 2 dots
        expect(projector.locator("#results-rows")).to_contain_text(texts["d01"])  # first of the socle row
        expect(projector.locator("#results-rows")).to_contain_text(texts["d03"])  # first of Maintenance
        expect(projector.locator('#panorama [data-card="d03"]')).to_have_class(re.compile(r"\btop\b"))
    finally:
        facilitator.close()
        for person in people:
            person.close()


def test_the_board_greys_out_what_the_sequence_does_not_allow(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    expect(page.get_by_role("button", name="+ Post-it")).to_be_disabled()  # Découverte: read only
    facilitator = BoardClient(server.url, workshop["admin_token"])
    facilitator.command("set_sequence", {"index": 2})
    expect(page.get_by_role("button", name="+ Post-it")).to_be_enabled()  # Compléter: writing is open
    expect(page.locator("#sequence-instruction")).to_contain_text("Complétez le Panorama")
    facilitator.command("set_sequence", {"index": 3})
    expect(page.get_by_role("button", name="+ Post-it")).to_be_disabled()
    facilitator.close()


def test_the_console_shows_who_still_votes_by_name_unless_the_vote_is_anonymous(server, contexts):
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    person = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        facilitator.command("set_sequence", {"index": 1})
        facilitator.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": .5, "y": .5})
        facilitator.command("set_sequence", {"index": 3})
        console = open_board(contexts(), workshop["facilitator_url"])
        console.get_by_role("button", name="Ouvrir le vote").click()
        expect(console.locator("#vote-progress")).to_contain_text("2 sur 2 votent encore")
        for _ in range(2):
            assert person.command("vote", {"card_id": "d01", "delta": 1})["ok"]
        assert facilitator.command("configure_vote", {"budget": 2})["code"] == "conflict"  # never downwards
        person.command("vote", {"card_id": "d01", "delta": -1})
        person.command("vote", {"card_id": "d01", "delta": 1})
        # The names are on screen beside the live count, not in it (issue 9).
        expect(console.locator("#vote-still")).to_contain_text("Personne 2")
        expect(console.locator("#vote-still")).to_contain_text("Personne 1")  # 2 of 5 dots: still voting
        console.get_by_role("button", name="Clore le vote").click()
        console.get_by_role("dialog").get_by_role("button", name="Clore le vote").click()  # it asks first
        expect(console.get_by_role("button", name="Révéler les résultats")).to_be_enabled()

        other = create_workshop(server.url, participants=1)
        other_facilitator = BoardClient(server.url, other["admin_token"])
        assert other_facilitator.command("set_sequence", {"index": 3})["ok"]  # where the vote opens (VOTE19)
        other_facilitator.close()
        secret_console = open_board(contexts(), other["facilitator_url"])
        secret_console.get_by_label("Vote anonyme").check()
        secret_console.get_by_role("button", name="Ouvrir le vote").click()
        expect(secret_console.locator("#vote-progress")).to_have_text("1 sur 1 votent encore.")
    finally:
        facilitator.close()
        person.close()
