"""The facilitator's console on a laptop (1366×768), in a real chromium, on the full-scale scene.

What a facilitator sees of the vote: each control only where it can act, a confirmation before the
close, a vote that reopens, the progress frozen at the close, the results one rank a line; and of
private mode: that it is still on, how many cards it hides, and an offer to reveal them before the
results. Screenshots go to /tmp/rules-console-*.png.
"""
import re
import time

import pytest
import requests

from browser import expect, open_board, wait_version
from fullscale import COMPLETE, VOTE, as_facilitator, build_full_scene
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}
SHOTS = "/tmp/rules-console-{}.png"


def snapshot(server, token):
    """The board as the member with this token sees it, from the server."""
    return requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()


def console(contexts, scene):
    """The facilitator's console of `scene` on a laptop screen."""
    return open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])


def assert_fits_the_screen(page):
    """No horizontal scrollbar: the document is no wider than the window."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the console is {scroll} px wide on a {client} px screen"


def vote_buttons(page):
    """Which of the four vote actions a person can see."""
    return {name: page.locator(f"#vote-{name}").is_visible() for name in ("open", "close", "reopen", "reveal")}


@pytest.fixture
def voting(server):
    """A full-scale scene of this test's own, in the vote sequence with the vote open (VOTE19)."""
    return build_full_scene(server.url, "voting")


def test_outside_the_vote_sequence_the_console_says_where_the_vote_opens_and_offers_settings_only(
        server, contexts, full_scene):
    scene = full_scene("placed")  # sequence 3, Compléter
    page = console(contexts, scene)
    expect(page.locator("#vote-where")).to_be_visible()
    expect(page.locator("#vote-where")).to_contain_text("séquence 4 « Incontournables »")
    assert vote_buttons(page) == {"open": False, "close": False, "reopen": False, "reveal": False}
    expect(page.get_by_label("Gommettes par votant")).to_be_visible()
    expect(page.get_by_label("Gommettes par votant")).to_be_editable()
    expect(page.get_by_label("Qui vote")).to_be_editable()
    # The proxy form is really hidden (hidden beat display:flex before), and nothing widens the page.
    assert not page.locator("#proxy-form").is_visible()
    assert page.locator("#proxy-form").evaluate("form => getComputedStyle(form).display") == "none"
    assert_fits_the_screen(page)
    page.screenshot(path=SHOTS.format("1-outside-the-vote"), full_page=True)


def test_the_server_refusal_of_a_vote_opened_in_placement_is_shown_in_words(server, contexts):
    scene = build_full_scene(server.url, "placed")
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # back to Placement
    finally:
        facilitator.close()
    page = console(contexts, scene)
    expect(page.locator("#sequence-name")).to_contain_text("Placement")
    assert not page.locator("#vote-open").is_visible()
    # A console that has not caught up (a second tab, a click racing a sequence change) still sends it:
    # the server refuses, and the facilitator reads why and where the vote opens.
    page.evaluate("window.atelier.connection.send('open_vote', {})")
    toast = page.locator("#toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("il s’ouvre à la séquence 4 « Incontournables »")
    assert snapshot(server, scene["admin_token"])["vote"]["status"] == "idle"
    expect(page.locator("#vote-status")).to_have_text("Vote pas encore ouvert")


def test_in_the_vote_sequence_open_shows_then_close_asks_first_and_cancel_keeps_the_vote_open(server, contexts):
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}))
    page = console(contexts, scene)
    assert vote_buttons(page) == {"open": True, "close": False, "reopen": False, "reveal": False}
    assert not page.locator("#vote-where").is_visible()
    page.screenshot(path=SHOTS.format("2-ready-to-open"))
    page.get_by_role("button", name="Ouvrir le vote").click()
    expect(page.locator("#vote-status")).to_have_text("Vote ouvert")
    expect(page.get_by_role("button", name="Clore le vote")).to_be_focused()
    assert vote_buttons(page) == {"open": False, "close": True, "reopen": False, "reveal": False}
    expect(page.locator("#proxy-form")).to_be_visible()
    assert_fits_the_screen(page)  # the proxy form's long card texts stay inside the column
    page.get_by_role("button", name="Clore le vote").click()
    dialog = page.get_by_role("dialog", name="Clore le vote ?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("20 sur 20 votent encore")
    page.screenshot(path=SHOTS.format("3-close-asks"))
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#vote-status")).to_have_text("Vote ouvert")
    assert snapshot(server, scene["admin_token"])["vote"]["status"] == "open"
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_role("dialog").get_by_role("button", name="Clore le vote").click()
    expect(page.locator("#vote-status")).to_have_text("Vote clos")
    assert snapshot(server, scene["admin_token"])["vote"]["status"] == "closed"
    # The button pressed is gone: the focus is on what comes next, not lost to the page.
    expect(page.get_by_role("button", name="Révéler les résultats")).to_be_focused()


def test_a_closed_vote_reopens_from_the_console_and_participants_vote_again(server, contexts, voting):
    page = console(contexts, voting)
    person = open_board(contexts(viewport=LAPTOP), voting["people"][0]["board_url"])
    card = voting["new_cards"][0]
    more = person.locator(f'[data-card="{card}"] .dot-more')
    more.scroll_into_view_if_needed()
    expect(more).to_be_visible()
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_role("dialog").get_by_role("button", name="Clore le vote").click()
    expect(page.locator("#vote-status")).to_have_text("Vote clos")
    expect(more).to_be_hidden()  # the participant's dots are frozen
    # Closed: reopen or reveal; nothing else, and no proxy dots into a frozen vote.
    assert vote_buttons(page) == {"open": False, "close": False, "reopen": True, "reveal": True}
    assert not page.locator("#proxy-form").is_visible()
    page.screenshot(path=SHOTS.format("4b-closed-reopen-or-reveal"))
    page.get_by_role("button", name="Rouvrir le vote").click()
    expect(page.locator("#vote-status")).to_have_text("Vote ouvert")
    assert vote_buttons(page) == {"open": False, "close": True, "reopen": False, "reveal": False}
    # The participant votes again, with the dots they had placed before the close still theirs.
    me = voting["people"][0]
    my_dots = lambda: snapshot(server, me["token"])["vote"]["dots"].get(me["participant_id"], {})  # noqa: E731
    before = my_dots()
    expect(more).to_be_visible()
    count = person.locator(f'[data-card="{card}"] .dot-count')
    shown = count.inner_text()
    more.click()
    expect(count).not_to_have_text(shown)
    expect(person.locator("#vote-budget")).to_contain_text(f"{sum(before.values()) + 1} gommette")
    deadline = time.monotonic() + 5  # the dot shows at once; the server takes it a moment later
    while sum(my_dots().values()) != sum(before.values()) + 1:
        assert time.monotonic() < deadline, my_dots()
        time.sleep(0.05)


def test_an_open_vote_left_behind_in_another_sequence_says_where_participants_vote(server, contexts, voting):
    as_facilitator(server.url, voting, ("set_sequence", {"index": COMPLETE}))
    page = console(contexts, voting)
    expect(page.locator("#vote-where")).to_be_visible()
    expect(page.locator("#vote-where")).to_contain_text("ne votent qu’à la séquence 4 « Incontournables »")
    # It can still be closed from here; it cannot be opened twice.
    assert vote_buttons(page) == {"open": False, "close": True, "reopen": False, "reveal": False}


def test_after_the_close_the_progress_is_frozen_and_says_so(server, contexts, voting):
    page = console(contexts, voting)
    expect(page.locator("#vote-progress")).to_have_text("20 sur 20 votent encore.")
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_role("dialog").get_by_role("button", name="Clore le vote").click()
    progress = snapshot(server, voting["admin_token"])["vote"]["progress"]
    done = progress["voters"] - progress["still_voting"]
    frozen = f"Vote clos : {done} sur 20 ont placé toutes leurs gommettes."
    expect(page.locator("#vote-progress")).to_have_text(frozen)
    expect(page.locator("#vote-still")).to_contain_text("N’ont pas placé toutes leurs gommettes")
    # A dot tried after the close is refused and changes nothing on the console.
    person = BoardClient(server.url, voting["people"][1]["token"])
    try:
        assert person.command("vote", {"card_id": voting["new_cards"][1], "delta": 1})["code"] == "sequence_closed"
    finally:
        person.close()
    facilitator = BoardClient(server.url, voting["admin_token"])
    try:
        moved = facilitator.command("set_sequence", {"index": COMPLETE})  # an event that is not a dot
        wait_version(page, moved["version"])
    finally:
        facilitator.close()
    expect(page.locator("#vote-progress")).to_have_text(frozen)
    assert "votent encore" not in page.locator("#vote-progress").inner_text()
    page.screenshot(path=SHOTS.format("4-closed-frozen"))


def test_the_live_progress_line_changes_only_when_its_text_does_and_never_reads_the_names(
        server, contexts, voting):
    page = console(contexts, voting)
    progress = page.locator("#vote-progress")
    expect(progress).to_have_text("20 sur 20 votent encore.")
    assert progress.get_attribute("role") == "status"
    # The 20 names are on the screen, in a line that is not a live region.
    expect(page.locator("#vote-still")).to_be_visible()
    expect(page.locator("#vote-still")).to_contain_text("Camille Martin")
    assert page.locator("#vote-still").evaluate(
        "node => !node.closest('[role=status], [role=alert], [aria-live]')")
    for name in ("Camille Martin", "Vincent Faure"):
        assert name not in progress.inner_text()
    page.evaluate("""() => {
        window.progressWrites = 0;
        new MutationObserver((records) => { window.progressWrites += records.length; })
          .observe(document.getElementById('vote-progress'), {childList: true, characterData: true, subtree: true});
    }""")
    person = BoardClient(server.url, voting["people"][0]["token"])
    try:
        mine = person.replica.vote.dots.get(person.me["id"], {})
        used = sum(mine.values())
        cards = [c for c in voting["new_cards"] if mine.get(c, 0) == 0]
        # Dots that leave this person with dots to place: the count stays, the live line is not touched.
        last = person.command("vote", {"card_id": cards[0], "delta": 1})
        assert last["ok"]
        wait_version(page, last["version"])
        assert page.evaluate("window.progressWrites") == 0
        # Their last dots: one voter fewer, one change.
        for index in range(5 - used - 1):
            last = person.command("vote", {"card_id": cards[1 + index // 2], "delta": 1})
            assert last["ok"], last
        wait_version(page, last["version"])
    finally:
        person.close()
    expect(progress).to_have_text("19 sur 20 votent encore.")
    assert page.evaluate("window.progressWrites") == 1


def test_the_results_show_one_rank_a_line_ties_sharing_a_rank(server, contexts, full_scene):
    scene = full_scene("revealed")
    page = console(contexts, scene)
    results = snapshot(server, scene["admin_token"])["vote"]["results"]["overall"][:10]
    lines = page.locator("#console-results li")
    expect(lines).to_have_count(len(results))
    expect(page.get_by_role("heading", name="Les incontournables")).to_be_visible()
    page.locator("#console-results").scroll_into_view_if_needed()
    previous_bottom = 0
    for line, entry in zip(lines.all(), results):
        assert line.is_visible()
        rank, dots = line.locator(".rank"), line.locator(".dots")
        assert rank.inner_text() == f"n°{entry['rank']}"
        assert dots.locator("[aria-hidden=true]").inner_text() == f"{entry['dots']} ●"
        assert dots.locator(".visually-hidden").text_content() == f"{entry['dots']} gommettes"  # read out
        box, rank_box, dots_box = line.bounding_box(), rank.bounding_box(), dots.bounding_box()
        # One rank a line: each entry below the previous one, its rank and dots on its first line.
        assert box["y"] >= previous_bottom - 0.5
        assert abs(rank_box["y"] - dots_box["y"]) < 4
        previous_bottom = box["y"] + box["height"]
        assert float(line.evaluate("li => parseFloat(getComputedStyle(li).fontSize)")) >= 14
    ranks = [entry["rank"] for entry in results]
    assert len(set(ranks)) < len(ranks), "the revealed scene should have ties, which share a rank"
    assert not page.locator("#vote-still").is_visible()  # names are no use once the results are out
    assert_fits_the_screen(page)
    page.screenshot(path=SHOTS.format("5-results"), full_page=True)
    page.locator("section.vote").screenshot(path=SHOTS.format("5-results-panel"))


def private_scene(server):
    """The placed scene with private mode on and two cards written by the Production team."""
    scene = build_full_scene(server.url, "placed")
    facilitator = BoardClient(server.url, scene["admin_token"])
    author = BoardClient(server.url, scene["people"][0]["token"])  # Camille Martin, Production
    try:
        assert facilitator.command("configure", {"private_cards": True})["ok"]
        for text in ("Carte secrète de Production", "Autre idée de Production"):
            assert author.command("create_card", {"kind": "new", "text": text, "zone_id": "socle/techniques",
                                                  "x": .5, "y": .5})["ok"]
    finally:
        facilitator.close()
        author.close()
    return scene


def test_the_author_and_their_team_see_their_private_card_labelled_hidden_from_the_other_teams(server, contexts):
    scene = private_scene(server)
    team_of = scene["team_of"]
    author, teammate = scene["people"][0], scene["people"][4]  # both in Production
    other = scene["people"][1]  # Ingénierie
    assert team_of[author["participant_id"]] == team_of[teammate["participant_id"]] != team_of[other["participant_id"]]
    note = "Masquée aux autres équipes jusqu’à la révélation"
    for person in (author, teammate):
        page = open_board(contexts(viewport=LAPTOP), person["board_url"])
        written = page.locator(".card", has_text="Carte secrète de Production")
        written.scroll_into_view_if_needed()
        expect(written.locator(".card-private")).to_be_visible()
        expect(written.locator(".card-private")).to_have_text(note)
        assert float(written.locator(".card-private").evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 11
    page.screenshot(path=SHOTS.format("6-participant-private-card"))
    outsider = open_board(contexts(viewport=LAPTOP), other["board_url"])
    expect(outsider.locator(".card.hidden-card").first).to_be_attached()
    assert outsider.locator(".card-private").count() == 0
    assert "Carte secrète" not in outsider.content()


def test_after_revealing_the_hidden_cards_the_console_says_private_mode_is_still_on(server, contexts):
    scene = private_scene(server)
    page = console(contexts, scene)
    status = page.locator("#private-status")
    expect(status).to_be_visible()
    # Before any reveal the mode is simply on: "still on" would suggest something was revealed.
    expect(status).to_contain_text("Le mode privé est actif")
    expect(status).not_to_contain_text("toujours")
    expect(status).to_contain_text("Cartes masquées maintenant : 2.")
    page.get_by_role("button", name="Révéler les cartes masquées").click()
    expect(status).to_contain_text("Cartes masquées maintenant : 0.")
    expect(status).to_contain_text("Le mode privé est toujours actif")
    # The board remembers the reveal: a reloaded console still says "still on".
    page.reload()
    expect(status).to_contain_text("Le mode privé est toujours actif")
    expect(page.get_by_role("button", name="Révéler les cartes masquées")).to_be_disabled()
    page.screenshot(path=SHOTS.format("7-private-still-on"))
    author = BoardClient(server.url, scene["people"][0]["token"])
    try:
        late = author.command("create_card", {"kind": "postit", "text": "Post-it écrit après", "zone_id": "parking",
                                              "x": .5, "y": .5})
        assert late["ok"]
    finally:
        author.close()
    expect(status).to_contain_text("Cartes masquées maintenant : 1.")


def test_before_the_results_the_console_offers_to_reveal_the_hidden_cards_first(server, contexts):
    scene = private_scene(server)
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        for command, data in (("set_sequence", {"index": VOTE}), ("open_vote", {}), ("close_vote", {})):
            assert facilitator.command(command, data)["ok"]
    finally:
        facilitator.close()
    page = console(contexts, scene)
    warning = page.locator("#vote-hidden-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Cartes encore masquées aux autres équipes : 2")
    # Sent as it is (another tab, say), the server refuses, and the console says why.
    page.evaluate("window.atelier.connection.send('reveal_results', {})")
    expect(page.locator("#toast")).to_contain_text("Cartes encore masquées aux autres équipes : 2")
    assert not snapshot(server, scene["admin_token"])["vote"]["revealed"]
    page.get_by_role("button", name="Révéler les résultats").click()
    dialog = page.get_by_role("dialog", name="Des cartes sont encore masquées")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Cartes masquées aux autres équipes : 2")
    page.screenshot(path=SHOTS.format("8-reveal-first"))
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    state = snapshot(server, scene["admin_token"])
    assert not state["vote"]["revealed"] and sum(card["private"] for card in state["cards"]) == 2
    page.get_by_role("button", name="Révéler les résultats").click()
    page.get_by_role("dialog").get_by_role("button", name="Révéler les cartes, puis les résultats").click()
    expect(page.locator("#vote-status")).to_have_text("Vote clos — résultats révélés")
    state = snapshot(server, scene["admin_token"])
    assert state["vote"]["revealed"] and not any(card["private"] for card in state["cards"])
    expect(warning).to_be_hidden()
    page.screenshot(path=SHOTS.format("9-revealed-after-cards"))


def test_open_the_board_opens_a_new_tab_and_the_console_stays(server, contexts, full_scene):
    scene = full_scene("placed")
    context = contexts(viewport=LAPTOP)
    page = open_board(context, scene["facilitator_url"])
    with context.expect_page() as opened:
        page.get_by_role("link", name="Ouvrir le tableau").click()
    board = opened.value
    board.wait_for_load_state()
    assert re.search(r"/p/[^/]+$", board.url), board.url  # the facilitator's own board
    expect(board.locator('body[data-connection="online"]')).to_be_attached()
    expect(board.locator("#panorama")).to_be_visible()
    assert page.url == scene["facilitator_url"]
    expect(page.locator("#join-code")).to_be_visible()
