"""Screenshots of the full-scale workshop (tests/fullscale.py: 20 people in 4 teams, 62 cards placed,
10 new cards) on each kind of screen, for the README; each also checks what it shows is on screen.

The images go to a temporary folder, or to docs/screenshots/ with `make screenshots` (SCREENSHOTS=docs).
The projector's own pictures come from tests/test_browser_projector.py.
"""
from browser import expect, open_board, shoot

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def on_screen(page, locator):
    """The element is visible and wholly inside the window (waiting for the page to settle)."""
    expect(locator).to_be_visible()
    expect(locator).to_be_in_viewport(ratio=1)


def no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


def test_screenshot_of_a_participant_laptop_while_teams_complete_the_panorama(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator('#panorama [data-card="new-1"]')).to_be_attached()
    on_screen(page, page.locator("#sequence-name"))
    on_screen(page, page.locator("#my-team-badge"))
    expect(page.locator("#my-team-badge")).to_contain_text("Production")
    no_sideways_scroll(page)
    shoot(page, "full-participant-laptop", shots, settle_ms=300)


def test_screenshot_of_a_participant_voting(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("voting")["people"][1]["board_url"])
    on_screen(page, page.locator("#vote-budget"))
    expect(page.locator("#vote-budget")).to_contain_text("sur 5")
    expect(page.locator("#panorama .dot-more").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "full-participant-vote", shots, settle_ms=300)


def test_screenshot_of_a_tablet(full_scene, contexts, shots):
    page = open_board(contexts(**TABLET), full_scene("placed")["people"][2]["board_url"])
    expect(page.locator('#panorama [data-card="d01"]')).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "full-tablet", shots, settle_ms=300)


def test_screenshot_of_a_phone_voting_and_reading_a_card(full_scene, contexts, shots):
    scene = full_scene("voting")
    page = open_board(contexts(**PHONE), scene["people"][3]["board_url"])
    more = page.locator("#panorama .dot-more").filter(visible=True).first
    on_screen(page, more)
    no_sideways_scroll(page)
    shoot(page, "full-phone-vote", shots, settle_ms=300)
    page.locator("#panorama .card-body").filter(visible=True).first.tap()
    dialog = page.locator("#card-details")
    on_screen(page, dialog)
    shoot(page, "full-phone-card", shots, settle_ms=300)


def test_screenshot_of_the_console_during_the_vote(full_scene, contexts, shots):
    page = open_board(contexts(**LAPTOP), full_scene("voting")["facilitator_url"])
    expect(page.locator("#participant-list li")).to_have_count(20)
    page.locator("#vote-progress").scroll_into_view_if_needed()
    on_screen(page, page.locator("#vote-progress"))
    no_sideways_scroll(page)
    shoot(page, "full-console-vote", shots, settle_ms=300)


def test_screenshot_of_the_results_for_a_participant_and_the_console(full_scene, contexts, shots):
    scene = full_scene("revealed")
    page = open_board(contexts(**LAPTOP), scene["people"][4]["board_url"])
    expect(page.locator("#panorama .card.top").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "full-results-participant", shots, settle_ms=300)
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    results = console.locator("#console-results li")
    expect(results.first).to_be_visible()
    console.locator("#console-results").scroll_into_view_if_needed()
    no_sideways_scroll(console)
    shoot(console, "full-results-console", shots, settle_ms=300)


def test_screenshot_of_the_console_and_the_projector_with_the_timer_and_who_is_done(server, contexts, shots):
    # A scene of its own: the timer runs (freezing at zero) and two of the four teams said they are done.
    from fullscale import as_facilitator, build_full_scene
    from realtime import BoardClient
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("start_timer", {"seconds": 20 * 60, "freeze": True}))
    for person in (scene["people"][0], scene["people"][1]):
        client = BoardClient(server.url, person["token"])
        try:
            assert client.command("set_done", {"done": True})["ok"]
        finally:
            client.close()
    console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
    expect(console.locator("#done-count")).to_have_text("Équipes ayant terminé : 2 sur 4")
    console.locator("#pace-title").evaluate("(node) => node.scrollIntoView({ block: 'start' })")
    on_screen(console, console.locator("#console-timer"))
    on_screen(console, console.get_by_role("button", name="Ajouter une minute"))
    on_screen(console, console.locator("#done-names"))
    no_sideways_scroll(console)
    shoot(console, "full-console-timer", shots, settle_ms=300)
    projector = open_board(contexts(viewport={"width": 1920, "height": 1080}), scene["projector_url"])
    on_screen(projector, projector.locator("#projector-timer"))
    expect(projector.locator("#projector-done")).to_have_text("Équipes ayant terminé : 2 sur 4")
    shoot(projector, "projector-full-timer", shots, settle_ms=500)


def test_screenshot_of_the_console_s_progress_with_the_timer_running(server, contexts, shots):
    # A scene of its own: the vote under way with its timer running, 17 of the 20 connected, two done.
    from fullscale import as_facilitator, build_full_scene
    from realtime import BoardClient
    scene = build_full_scene(server.url, "voting")
    as_facilitator(server.url, scene, ("start_timer", {"seconds": 10 * 60}))
    clients = [BoardClient(server.url, person["token"]) for person in scene["people"]]
    try:
        for client in clients[:2]:
            assert client.command("set_done", {"done": True})["ok"]
        for client in clients[-3:]:
            client.close()
        console = open_board(contexts(**LAPTOP), scene["facilitator_url"])
        panel = console.locator("section.progress")
        expect(panel.locator(".progress-person")).to_have_count(20)
        expect(panel.locator("#progress-summary")).to_have_text("Terminé : 2 sur 20 · 17 en ligne sur 20")
        expect(panel.locator('.progress-person[data-presence="offline"]')).to_have_count(3)
        panel.evaluate("(node) => node.scrollIntoView({ block: 'center' })")
        on_screen(console, panel)
        on_screen(console, console.locator("#progress-timer"))
        expect(console.locator("#progress-timer")).to_contain_text(":")
        no_sideways_scroll(console)
        shoot(console, "full-console-progress", shots, settle_ms=300)
    finally:
        for client in clients:
            client.close()
