"""Anonymity in real browsers, on the full-scale scene (ANON2, ANON3, ANON4).

The facilitator ticks the current sequence in the console's anonymity panel; a participant whose
page is open, with a card's details showing who wrote it, sees the author go at once, and no other
person's name is left anywhere on their page. The console keeps the names.
"""
from playwright.sync_api import expect

from browser import open_board, wait_until
from fullscale import NAMES, build_full_scene


def test_a_participants_card_details_lose_the_author_when_the_facilitator_turns_anonymity_on(server, contexts):
    scene = build_full_scene(server.url, "placed")
    console = open_board(contexts(), scene["facilitator_url"])
    state = console.evaluate("window.atelier.connection.confirmed.cards.get('new-1')")
    author_id = state["author"]
    names = {person["participant_id"]: name for person, name in zip(scene["people"], NAMES)}
    reader = next(p for p in scene["people"] if p["participant_id"] != author_id
                  and scene["team_of"][p["participant_id"]] == scene["team_of"][author_id])
    page = open_board(contexts(), reader["board_url"])
    page.locator('#panorama [data-card="new-1"] .card-body').click()
    dialog = page.locator("#card-details")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(names[author_id])  # before: who wrote it

    settings = console.locator("#anonymity-settings")
    expect(settings.locator("summary")).to_contain_text("aucune séquence")
    settings.locator("summary").click()  # closed until the facilitator opens it
    box = console.locator("#anonymity-2")  # the current sequence, Compléter
    box.scroll_into_view_if_needed()
    expect(box).to_be_visible()
    box.check()
    expect(console.locator("#anonymity-now")).to_be_visible()
    expect(settings.locator("summary")).to_contain_text("séquences 3")
    expect(console.locator("#export-names-link")).to_be_visible()
    console.locator(".sequence-control").screenshot(path="/tmp/anon-console.png")

    # The open dialog follows: no author, and nobody else's name anywhere on the participant's page.
    expect(dialog).not_to_contain_text(names[author_id])
    wait_until(page, "window.atelier.connection.confirmed.anonymous.includes(2)")
    text = page.locator("body").inner_text()
    others = [name for pid, name in names.items() if pid != reader["participant_id"] and name in text]
    assert others == [], others
    expect(dialog).to_be_visible()
    page.screenshot(path="/tmp/anon-participant.png")
    # Who is here stays visible (ANON6), under a neutral label: the facilitator's console is online.
    expect(page.locator("#people-list .person-name")).to_have_count(2)
    listed = page.locator("#people-list .person-name").evaluate_all("(nodes) => nodes.map((n) => n.textContent)")
    assert sorted(listed) == sorted(["Anonyme", names[reader["participant_id"]]]), listed
    # The facilitator's own view keeps the names and the author (ANON3).
    kept = console.evaluate(f"(() => {{ const v = window.atelier.connection.confirmed;"
                            f" return [v.cards.get('new-1').author, v.participants.get('{author_id}').name]; }})()")
    assert kept == [author_id, names[author_id]]
