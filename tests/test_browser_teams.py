"""Teams and identity in a real chromium at 1366×768, on the full-scale scene (tests/fullscale.py):
each participant's header names their team and its domain; a split asks before overriding chosen
teams and its result reaches open pages at once; a taken name is refused at the door with a free one
offered in one click; the console merges an offline duplicate; a team mate edits the team's new card."""
import requests

from browser import expect, open_board, wait_online, wait_until
from conftest import create_workshop, join
from fullscale import NAMES, TEAMS, build_full_scene
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}


def laptop(contexts):
    return contexts(viewport=LAPTOP)


def snapshot(base_url, token):
    return requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()


def inside_viewport(page, locator):
    """The element's box lies wholly inside the window, and the element is what is drawn at its centre."""
    box = locator.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, box
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= LAPTOP["width"] and box["y"] + box["height"] <= LAPTOP["height"], box
    return box


def not_covered(page, selector):
    """Nothing else is drawn over the element's centre (a dialog, a banner, another panel)."""
    return page.eval_on_selector(selector, """(node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return node === top || node.contains(top);
    }""")


def badge_colour(page):
    return page.eval_on_selector("#my-team-badge .team-swatch", "(n) => getComputedStyle(n).backgroundColor")


def rgb(hex_colour):
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_every_participant_sees_their_team_and_its_domain_in_the_header(server, full_scene, contexts):
    """The header of a participant of the full scene: team name, its colour, its working domain; visible
    and inside a 1366×768 window; the other teams' members see their own."""
    scene = full_scene("placed")
    state = snapshot(server.url, scene["admin_token"])
    teams = {t["id"]: t for t in state["teams"]}
    context = laptop(contexts)
    for index in (0, 1):  # Camille (Production, socle) and Karim (Ingénierie, ingenierie)
        person = scene["people"][index]
        page = open_board(context, person["board_url"])
        team = teams[scene["team_of"][person["participant_id"]]]
        badge = page.locator("#my-team-badge")
        expect(badge).to_be_visible()
        expect(badge).to_contain_text(team["name"])
        expect(badge).to_contain_text("Domaine")
        inside_viewport(page, badge)
        assert not_covered(page, "#my-team-badge .team-badge-name")
        assert badge_colour(page) == rgb(team["colour"])
        size = page.eval_on_selector("#my-team-badge .team-badge-name", "(n) => parseFloat(getComputedStyle(n).fontSize)")
        assert size >= 14
        if index == 0:
            expect(badge).to_contain_text("Socle commun")
            page.screenshot(path="/tmp/teams-header.png")
        else:
            expect(badge).to_contain_text("Ingénierie")
        page.close()


def test_a_participant_without_a_team_is_told_so_in_the_header(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    page = open_board(laptop(contexts), workshop["participants"][0]["board_url"])
    badge = page.locator("#my-team-badge")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("Pas encore d’équipe")
    inside_viewport(page, badge)
    page.screenshot(path="/tmp/teams-no-team.png")


def open_people_panel(page):
    page.click("#people-toggle")
    expect(page.locator("#my-team")).to_be_visible()


def test_a_split_asks_before_overriding_chosen_teams_and_open_pages_show_the_result(server, contexts):
    """Camille chose Données herself; Zoé has no team. The console asks: dealing only Zoé leaves Camille
    where she chose; dealing everyone moves Camille, and her header and picker show it at once."""
    scene = build_full_scene(server.url, "placed")
    teams = scene["teams"]  # Production, Ingénierie, Données, Pilotage
    newcomer = join(server.url, scene["join_code"], "Zoé Nouvelle")
    camille = open_board(laptop(contexts), scene["people"][0]["board_url"])
    zoe = open_board(laptop(contexts), newcomer["board_url"])
    expect(zoe.locator("#my-team-badge")).to_contain_text("Pas encore d’équipe")
    expect(zoe.locator("#team-prompt")).to_be_visible()  # she may choose one herself, beside the badge
    open_people_panel(camille)
    camille.select_option("#my-team", teams[2])
    camille.focus("#my-team")  # the picker keeps the focus after a choice, as with a real click
    expect(camille.locator("#my-team-badge")).to_contain_text("Données")
    console = open_board(laptop(contexts), scene["facilitator_url"])
    expect(console.locator("#participant-list [data-presence='online']")).to_have_count(2)
    # 1. Only those without a team: Zoé joins the smallest team (Production lost Camille).
    console.fill("#split-form input[name=count]", "4")
    console.click("#split-form button[type=submit]")
    dialog = console.locator("dialog.choice")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 des 2 présents")
    console.screenshot(path="/tmp/teams-split-dialog.png")
    dialog.get_by_role("button", name="Ne répartir que les personnes sans équipe (1)").click()
    expect(zoe.locator("#my-team-badge")).to_contain_text("Production")
    expect(zoe.locator("#my-team-badge")).to_contain_text("Socle commun")
    expect(camille.locator("#my-team-badge")).to_contain_text("Données")
    expect(camille.locator("#my-team")).to_have_value(teams[2])
    # 2. Everyone again: in name order Camille gets the first team, Zoé the second.
    console.click("#split-form button[type=submit]")
    expect(dialog).to_contain_text("2 des 2 présents")
    assert dialog.get_by_role("button", name="Ne répartir que").count() == 0
    dialog.get_by_role("button", name="Tout redistribuer (2 personnes)").click()
    expect(camille.locator("#my-team-badge")).to_contain_text("Production")
    expect(camille.locator("#my-team")).to_have_value(teams[0])
    expect(zoe.locator("#my-team-badge")).to_contain_text("Ingénierie")
    members = {m["id"]: m["team"] for m in snapshot(server.url, scene["admin_token"])["participants"]}
    assert members[scene["people"][0]["participant_id"]] == teams[0]
    assert members[newcomer["participant_id"]] == teams[1]
    # Cancelling sends nothing: the board keeps its version.
    before = snapshot(server.url, scene["admin_token"])
    console.click("#split-form button[type=submit]")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_have_count(0)
    console.wait_for_timeout(300)
    assert snapshot(server.url, scene["admin_token"])["version"] == before["version"]


def test_the_join_page_refuses_a_taken_name_and_its_suggestion_joins_in_one_click(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = laptop(contexts).new_page()
    page.goto(scene["join_url"])
    page.fill("input[name=name]", "  bruno GARNIER ")
    page.click(".join-form button[type=submit]")
    alert = page.locator(".name-taken")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Quelqu’un s’appelle déjà")
    expect(page.locator(".join-form input[name=code]")).to_have_value(scene["join_code"])
    offer = page.locator("#join-as-suggestion")
    # Offered from the name as the member there wrote it, not in the case typed here.
    expect(offer).to_have_text("Rejoindre en tant que « Bruno Garnier 2 »")
    inside_viewport(page, offer)
    assert offer.bounding_box()["height"] >= 44
    page.screenshot(path="/tmp/teams-join-taken.png")
    offer.click()
    wait_online(page)
    expect(page.locator("#my-team-badge")).to_contain_text("Pas encore d’équipe")
    names = [m["name"] for m in snapshot(server.url, scene["admin_token"])["participants"]]
    assert names.count("Bruno Garnier 2") == 1 and len(names) == len(NAMES) + 3  # facilitator, projector


def test_the_console_merges_an_offline_duplicate_and_still_voting_no_longer_counts_them(server, contexts):
    """A second device made "Bruno G." who never came back: merged into Bruno Garnier, they leave the vote."""
    scene = build_full_scene(server.url, "voting")
    duplicate = join(server.url, scene["join_code"], "Bruno G.")
    bruno = scene["people"][NAMES.index("Bruno Garnier")]
    someone = open_board(laptop(contexts), scene["people"][0]["board_url"])  # online: offered nothing
    console = open_board(laptop(contexts), scene["facilitator_url"])
    progress = console.locator("#vote-progress")
    still = console.locator("#vote-still")  # the names, apart from the live count
    expect(progress).to_contain_text("sur 21 votent encore")
    expect(still).to_contain_text("Bruno G.")
    online_row = console.locator(f"#participant-list [data-person='{scene['people'][0]['participant_id']}']")
    expect(online_row.locator(".person-fix")).to_be_hidden()
    row = console.locator(f"#participant-list [data-person='{duplicate['participant_id']}']")
    row.scroll_into_view_if_needed()
    expect(row.locator(".person-fix")).to_be_visible()
    row.locator(".person-fix summary").click()
    # The likely original comes first in the list, already chosen.
    expect(row.locator("select.merge-into")).to_have_value(bruno["participant_id"])
    merge = row.get_by_role("button", name="Fusionner Bruno G. dans la personne choisie")
    assert merge.bounding_box()["height"] >= 44
    console.screenshot(path="/tmp/teams-console-people.png")
    merge.click()
    dialog = console.locator("dialog.confirm")
    expect(dialog).to_contain_text("Fusionner Bruno G. dans Bruno Garnier ?")
    dialog.locator(".confirm-yes").click()
    expect(row).to_have_count(0)
    expect(progress).to_contain_text("sur 20 votent encore")
    expect(still).not_to_contain_text("Bruno G.")
    assert duplicate["participant_id"] not in {m["id"] for m in snapshot(server.url, scene["admin_token"])["participants"]}
    assert requests.get(duplicate["board_url"], timeout=5).status_code == 404
    # An open participant page forgets the duplicate too.
    assert someone.evaluate(f"window.atelier.connection.confirmed.participants.has('{duplicate['participant_id']}')") is False


def test_the_console_teams_panel_renames_recolours_changes_domain_and_deletes_an_empty_team(server, contexts):
    scene = build_full_scene(server.url, "placed")
    facilitator = BoardClient(server.url, scene["admin_token"])
    empty = facilitator.command("create_team", {"name": "Réserve", "colour": "#6a3d9a"})
    facilitator.close()
    camille = open_board(laptop(contexts), scene["people"][0]["board_url"])
    console = open_board(laptop(contexts), scene["facilitator_url"])
    production = console.locator(f"#team-list [data-team='{scene['teams'][0]}']")
    production.scroll_into_view_if_needed()
    # A team with members cannot go, and says why.
    expect(production.locator(".team-delete")).to_be_disabled()
    assert "seule une équipe vide" in production.locator(".team-delete").get_attribute("title")
    production.locator(".team-name-input").fill("Production & Exploitation")
    production.locator(".team-name-input").press("Enter")
    production.locator(".team-domain-select").select_option("exploitation")
    expect(camille.locator("#my-team-badge")).to_contain_text("Production & Exploitation")
    expect(camille.locator("#my-team-badge")).to_contain_text("Exploitation des ouvrages")
    console.locator("#teams-title").scroll_into_view_if_needed()
    console.screenshot(path="/tmp/teams-console-panel.png")
    spare = console.locator(f"#team-list [data-team='t{empty['version']}']")
    spare.locator(".team-delete").click()
    console.locator("dialog.confirm .confirm-yes").click()
    expect(spare).to_have_count(0)
    state = snapshot(server.url, scene["admin_token"])
    assert [t["name"] for t in state["teams"]] == ["Production & Exploitation", *(name for name, _ in TEAMS[1:])]


def test_a_team_mate_edits_the_team_s_new_card_from_their_browser(server, contexts):
    scene = build_full_scene(server.url, "placed")
    state = snapshot(server.url, scene["admin_token"])
    card = next(c for c in state["cards"] if c["id"] == "new-1")
    mate = next(p for p in scene["people"]
                if scene["team_of"][p["participant_id"]] == card["team"] and p["participant_id"] != card["author"])
    stranger = next(p for p in scene["people"] if scene["team_of"][p["participant_id"]] != card["team"])
    other = open_board(laptop(contexts), stranger["board_url"])
    expect(other.locator('[data-card="new-1"] .card-edit')).to_be_hidden()
    page = open_board(laptop(contexts), mate["board_url"])
    edit = page.locator('[data-card="new-1"] .card-edit')
    edit.scroll_into_view_if_needed()
    expect(edit).to_be_visible()
    edit.click()
    page.fill("#card-form textarea[name=text]", "Piloter un jumeau numérique, revu par l’équipe")
    page.click("#card-save")
    expect(other.locator('[data-card="new-1"] .card-text')).to_have_text("Piloter un jumeau numérique, revu par l’équipe")
    after = next(c for c in snapshot(server.url, scene["admin_token"])["cards"] if c["id"] == "new-1")
    assert after["text"] == "Piloter un jumeau numérique, revu par l’équipe" and after["author"] == card["author"]


def test_a_participant_removed_while_their_page_is_open_is_told_why(server, contexts):
    """TEAM16: the removed person's open board says so, and keeps saying so once the socket is closed."""
    workshop = create_workshop(server.url, participants=2)
    page = open_board(laptop(contexts), workshop["participants"][1]["board_url"])
    remembered = "Object.keys(localStorage).filter((key) => key.startsWith('atelier.member.')).length"
    wait_until(page, f"{remembered} === 1")  # this browser remembers who it is here
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        assert facilitator.command("remove_participant",
                                   {"participant_id": workshop["participants"][1]["participant_id"]})["ok"]
    finally:
        facilitator.close()
    banner = page.locator("#banner")
    expect(banner).to_contain_text("L’animation vous a retiré de cet atelier")
    expect(page.locator("#toast")).to_have_text("Vous ne faites pas partie de cet atelier.")  # French, as the page
    expect(page.locator("body[data-connection='offline']")).to_be_attached()  # the server closed the socket
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("L’animation vous a retiré de cet atelier")
    inside_viewport(page, banner)
    assert page.evaluate(remembered) == 0  # the join page will not offer to continue as a removed person
    page.screenshot(path="/tmp/teams-removed.png")
