"""The console's progress panel, on the full-scale scene (tests/fullscale.py: 20 people in 4 teams, 62
deck cards placed, 10 new cards) at 1366×768: per team the cards placed and written, the dots used
and who is done; per person the dots, done and offline; the figures those of the server's snapshot,
on screen, readable, beside the other panels, and live. Screenshots go to /tmp/progress-*.png.
"""
import pytest

from browser import expect, open_board
from fullscale import NAMES, VOTE, as_facilitator, build_full_scene
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}
SHOT = "/tmp/progress-{}.png"
OFFLINE = (2, 7, 13)  # people (NAMES order) whose clients are closed
DONE = (0, 5)  # people who said done in the vote sequence


def snapshot_of(base_url, token):
    """The board as the server sends it to this token (the welcome's snapshot)."""
    client = BoardClient(base_url, token)
    try:
        return next(payload for name, payload in client.received if name == "welcome")["state"]
    finally:
        client.close()


def expected_figures(snapshot):
    """Per team (id -> (placed, written, dots)) and per person (id -> dots), counted from the snapshot:
    deck cards of the team outside the deck, written cards of the team, dots of its members."""
    deck_zones = {zone["id"] for zone in snapshot["zones"] if zone["kind"] == "deck"}
    dots = {pid: sum(cards.values()) for pid, cards in snapshot["vote"]["dots"].items()}
    people = {p["id"]: dots.get(p["id"], 0) for p in snapshot["participants"] if p["role"] == "participant"}
    teams = {}
    for team in snapshot["teams"]:
        members = [p["id"] for p in snapshot["participants"] if p["team"] == team["id"]]
        placed = sum(1 for c in snapshot["cards"] if c["kind"] == "deck" and c["team"] == team["id"]
                     and c["zone"] not in deck_zones)
        written = sum(1 for c in snapshot["cards"] if c["kind"] != "deck" and c["team"] == team["id"])
        teams[team["id"]] = (placed, written, sum(people[m] for m in members))
    return teams, people


@pytest.fixture(scope="module")
def voting_room(server):
    """The vote under way, 17 of the 20 connected (three closed their page), two said done."""
    scene = build_full_scene(server.url, "voting")
    clients = [BoardClient(server.url, person["token"]) for person in scene["people"]]
    try:
        for index in DONE:
            assert clients[index].command("set_done", {"done": True})["ok"]
        for index in OFFLINE:
            clients[index].close()
        yield scene
    finally:
        for client in clients:
            client.close()


def panel_of(contexts, scene):
    page = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    panel = page.locator("section.progress")
    expect(panel.locator(".progress-person")).to_have_count(20)
    panel.scroll_into_view_if_needed()
    return page, panel


def test_the_figures_per_team_and_per_person_are_the_server_s(contexts, voting_room, server):
    page, panel = panel_of(contexts, voting_room)
    teams, people = expected_figures(snapshot_of(server.url, voting_room["admin_token"]))
    assert sum(placed for placed, _, _ in teams.values()) == 62  # the scene: every deck card is placed
    assert sum(written for _, written, _ in teams.values()) == 10
    for team_id, (placed, written, dots) in teams.items():
        block = panel.locator(f'.progress-team[data-team="{team_id}"]')
        expect(block.locator('[data-fact="placed"]')).to_have_text(f"{placed} cartes placées")
        expect(block.locator('[data-fact="written"]')).to_have_text(f"{written} écrites")
        expect(block.locator('[data-fact="dots"]')).to_have_text(f"{dots}/25 gommettes")  # five people, five dots each
        expect(block.locator(".progress-person")).to_have_count(5)
    for person_id, dots in people.items():
        expect(panel.locator(f'[data-person="{person_id}"] .person-dots')).to_have_text(f"{dots}/5")
    assert any(dots for dots in people.values())  # a real vote under way, not zeros everywhere
    page.screenshot(path=SHOT.format("voting"))


def test_an_offline_person_and_a_done_person_are_marked(contexts, voting_room):
    page, panel = panel_of(contexts, voting_room)
    people = voting_room["people"]
    for index, person in enumerate(people):
        row = panel.locator(f'[data-person="{person["participant_id"]}"]')
        expect(row).to_contain_text(NAMES[index])
        expect(row).to_have_attribute("data-presence", "offline" if index in OFFLINE else "online")
        expect(row.locator(".presence-mark")).to_have_text("○" if index in OFFLINE else "●")
        expect(row.locator(".done-mark")).to_have_text("✓" if index in DONE else "")
        # The marks are told in words too (read out, and on hover).
        assert ("hors ligne" in row.get_attribute("title")) == (index in OFFLINE)
        assert ("a terminé" in row.get_attribute("title")) == (index in DONE)
    expect(panel.locator("#progress-summary")).to_have_text("Terminé : 2 sur 20 · 17 en ligne sur 20")
    # The team of person 0 (Production): one of its five said done.
    block = panel.locator(f'.progress-team[data-team="{voting_room["team_of"][people[0]["participant_id"]]}"]')
    expect(block.locator('[data-fact="done"]')).to_have_text("✓ 1/5")


def test_the_panel_is_on_screen_readable_and_beside_the_other_panels(contexts, voting_room):
    page, panel = panel_of(contexts, voting_room)
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], box
    # At a glance: the whole panel fits in the window's height, so nothing in it is scrolled past.
    assert box["height"] <= LAPTOP["height"], box
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")[0] <= LAPTOP["width"]
    # Nothing inside it scrolls or overflows its box: every person's row is within the panel.
    rows = panel.locator(".progress-person")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_be_visible()
        r = rows.nth(i).bounding_box()
        assert box["x"] <= r["x"] and r["x"] + r["width"] <= box["x"] + box["width"] + 0.5, (i, r, box)
        assert box["y"] <= r["y"] and r["y"] + r["height"] <= box["y"] + box["height"] + 0.5, (i, r, box)
    # Readable: every piece of text in the panel is 14 px or more.
    sizes = panel.evaluate("""(node) => [...node.querySelectorAll('*')].filter((n) => n.offsetParent && [...n.childNodes]
        .some((c) => c.nodeType === 3 && c.textContent.trim())).map((n) => [n.className, parseFloat(getComputedStyle(n).fontSize)])""")
    assert len(sizes) > 40, sizes
    small = [s for s in sizes if s[1] < 14]
    assert not small, small
    # No other panel overlaps it.
    overlaps = page.eval_on_selector_all(".console > section", """(sections) => {
        const me = document.querySelector('section.progress').getBoundingClientRect();
        return sections.filter((s) => !s.classList.contains('progress')).filter((s) => {
            const r = s.getBoundingClientRect();
            return r.left < me.right && me.left < r.right && r.top < me.bottom && me.top < r.bottom;
        }).map((s) => s.className);
    }""")
    assert not overlaps, overlaps
    # A long name ends in "…" inside its row; the names are people's, not cut into the next column.
    page.screenshot(path=SHOT.format("panel"))


def test_the_figures_follow_a_move_a_new_card_a_team_done_and_a_page_closed(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page, panel = panel_of(contexts, scene)
    person = scene["people"][0]
    team = scene["team_of"][person["participant_id"]]
    block = panel.locator(f'.progress-team[data-team="{team}"]')
    teams, _ = expected_figures(snapshot_of(server.url, scene["admin_token"]))
    placed, written, _ = teams[team]
    expect(block.locator('[data-fact="placed"]')).to_have_text(f"{placed} cartes placées")
    expect(block.locator('[data-fact="done"]')).to_have_text("pas terminé")
    row = panel.locator(f'[data-person="{person["participant_id"]}"]')
    expect(row).to_have_attribute("data-presence", "offline")
    client = BoardClient(server.url, person["token"])
    try:
        expect(row).to_have_attribute("data-presence", "online")
        card = next(c for c in client.replica.cards.values() if c.kind == "deck" and c.team == team)
        cell = card.zone
        assert client.command("move_card", {"card_id": card.id, "zone_id": "deck", "x": 0, "y": 0})["ok"]
        expect(block.locator('[data-fact="placed"]')).to_have_text(f"{placed - 1} cartes placées")
        assert client.command("create_card", {"kind": "postit", "text": "Une idée de plus",
                                              "zone_id": cell, "x": 0.2, "y": 0.2})["ok"]
        expect(block.locator('[data-fact="written"]')).to_have_text(f"{written + 1} écrites")
        assert client.command("set_done", {"done": True})["ok"]  # sequence 3 is team work: the team is done
        expect(block.locator('[data-fact="done"]')).to_have_text("✓ terminé")
        expect(panel.locator("#progress-summary")).to_contain_text("Équipes ayant terminé : 1 sur 4")
    finally:
        client.close()
    expect(row).to_have_attribute("data-presence", "offline")
    page.screenshot(path=SHOT.format("live"))


def test_in_an_anonymous_vote_no_one_s_dots_show_and_the_panel_says_why(server, contexts):
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}), ("configure_vote", {"anonymous": True}),
                   ("open_vote", {}))
    voter = BoardClient(server.url, scene["people"][0]["token"])
    try:
        card = next(c.id for c in voter.replica.cards.values() if c.zone != "deck")
        assert voter.command("vote", {"card_id": card, "delta": 1})["ok"]
    finally:
        voter.close()
    page, panel = panel_of(contexts, scene)
    # The console is sent counts, not who (vote.py): no person's or team's dots are made up.
    expect(panel.locator(".person-dots")).to_have_count(0)
    expect(panel.locator('[data-fact="dots"]')).to_have_count(0)
    expect(panel.locator("#progress-legend")).to_contain_text("vote anonyme")
    expect(panel.locator('[data-fact="placed"]')).to_have_count(4)


def test_in_a_team_vote_the_team_s_dots_are_counted_against_its_budget(server, contexts):
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}),
                   ("configure_vote", {"mode": "team", "budget": 6}), ("open_vote", {}))
    person = scene["people"][1]
    voter = BoardClient(server.url, person["token"])
    try:
        cards = [c.id for c in voter.replica.cards.values() if c.zone != "deck"][:2]
        for card in cards:
            assert voter.command("vote", {"card_id": card, "delta": 1})["ok"]
    finally:
        voter.close()
    page, panel = panel_of(contexts, scene)
    team = scene["team_of"][person["participant_id"]]
    expect(panel.locator(f'.progress-team[data-team="{team}"] [data-fact="dots"]')).to_have_text("2/6 gommettes")
    expect(panel.locator('[data-fact="dots"]').filter(has_text="0/6 gommettes")).to_have_count(3)
    expect(panel.locator(".person-dots")).to_have_count(0)  # the team votes as one: no one's own dots


def test_in_an_anonymous_sequence_the_people_are_numbered_not_named(contexts, voting_room):
    # The anonymity setting comes with issue 11's anonymity work (the board's `anonymous` sequences);
    # here the console's own copy of the board is told the vote sequence is anonymous, as that state will.
    page, panel = panel_of(contexts, voting_room)
    expect(panel).to_contain_text(NAMES[0])
    page.evaluate("""() => { const c = window.atelier.connection;
        c.confirmed.anonymous = [c.confirmed.sequence]; c.dispatchEvent(new Event("change")); }""")
    expect(panel.locator(".progress-person").first).to_contain_text("Participant ")
    text = panel.inner_text()
    assert not [name for name in NAMES if name in text], text
    labels = panel.locator(".person-name").all_inner_texts()
    assert sorted(labels) == sorted(f"Participant {n}" for n in range(1, 21)), labels
    expect(panel.locator("#progress-legend")).to_contain_text("les noms sont masqués")
    # The figures stay: offline and done are still marked.
    expect(panel.locator('.progress-person[data-presence="offline"]')).to_have_count(len(OFFLINE))
    expect(panel.locator(".done-mark").filter(has_text="✓")).to_have_count(len(DONE))
