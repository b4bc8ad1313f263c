"""The Troc's exchange and the prospective's quotes in a real browser, at full scale (spec MARK, DISPLAY8).

The Troc: 10 participants, 40 competences of the seed in its families, each marking offers and wants
(tests/exchange_scene.py build_troc). What the page lists as who helps whom is compared with the same
list worked out in the test from the facilitator's state alone.
"""
import os
from pathlib import Path

from browser import expect, open_board, wait_until
from exchange_scene import TROC_NAMES, build_troc, create_from_format, expected_pairs, prospective_document
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}
SCREEN = {"width": 1920, "height": 1080}
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SHOTS = DOCS if os.environ.get("SCREENSHOTS") == "docs" else Path("/tmp")

# Every line of the who-helps-whom list as shown, with its family, its rendered font size and box.
EXCHANGE_LINES = """(root) => [...root.querySelectorAll('.exchange-pair')].map((line) => {
  const r = line.getBoundingClientRect();
  const names = line.querySelectorAll('strong');
  return {family: line.closest('.exchange-family').dataset.family, helper: names[0].textContent,
          learner: names[1].textContent, card: line.querySelector('.exchange-card').textContent.replace(/^« | »$/g, ''),
          font: parseFloat(getComputedStyle(line).fontSize), visible: line.checkVisibility(),
          box: [r.left, r.top, r.right, r.bottom]};
})"""


def pairs_from(lines):
    return [(line["family"], line["card"], line["helper"], line["learner"]) for line in lines]


def facilitator_snapshot(server, troc):
    client = BoardClient(server.url, troc["admin_token"])
    try:
        return client.state()
    finally:
        client.close()


def test_who_helps_whom_on_a_laptop_lists_every_pair_readable_and_in_order(server, contexts):
    """MARK6, MARK8: 10 people, 40 competences; the board's "Qui aide qui ?" is the independent list,
    each line at least 14 px, and every card shows its author's name."""
    troc = build_troc(server.url)
    expected = expected_pairs(facilitator_snapshot(server, troc))
    assert len(expected) > 20  # enough to be worth reading
    page = open_board(contexts(viewport=LAPTOP), troc["people"][0]["board_url"])
    # The author's name is on the post-it (show_authors), not only on hover.
    first = page.locator('[data-card="troc-1"] .card-author')
    expect(first).to_be_visible()
    expect(first).to_have_text("par Anaïs Roth")
    page.screenshot(path="/tmp/exchange-troc-board.png")
    button = page.locator("#exchange-open")
    expect(button).to_be_visible()
    button.click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    lines = dialog.locator("#exchange-list").evaluate(EXCHANGE_LINES)
    assert pairs_from(lines) == expected
    assert min(line["font"] for line in lines) >= 14
    # Readable in turn: scrolling the list brings each line into the dialog, one under the other.
    tops = [line["box"][1] for line in lines]
    assert tops == sorted(tops)
    first_line = dialog.locator(".exchange-pair").first
    expect(first_line).to_contain_text(f"{expected[0][2]} peut aider {expected[0][3]} sur « {expected[0][1]} »")
    page.screenshot(path=str(SHOTS / "troc-exchange.png"))
    if SHOTS != DOCS:
        page.screenshot(path="/tmp/exchange-troc-dialog.png")


def test_marking_on_the_board_changes_the_list_for_everyone(server, contexts):
    """MARK2, MARK3, MARK6: a participant presses "Je veux apprendre" on a card; the toggle shows it
    pressed, and another participant's list gains the pairs, live."""
    troc = build_troc(server.url, marks_per_person=(1, 0))
    snapshot = facilitator_snapshot(server, troc)
    offered = next(c for c in snapshot["cards"] if c.get("marks", {}).get("offre"))
    learner = troc["people"][-1]
    helper_ids = offered["marks"]["offre"]
    learner_page = open_board(contexts(viewport=LAPTOP), learner["board_url"])
    other_page = open_board(contexts(viewport=LAPTOP), troc["people"][1]["board_url"])
    other_page.locator("#exchange-open").click()
    expect(other_page.locator("#exchange-list .exchange-pair")).to_have_count(0)
    toggle = learner_page.locator(f'[data-card="{offered["id"]}"] .mark-toggle[data-mark="envie"]')
    toggle.scroll_into_view_if_needed()
    box = toggle.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    wanted = [line for line in expected_pairs(facilitator_snapshot(server, troc)) if line[1] == offered["text"]]
    assert len(wanted) == len([h for h in helper_ids if h != learner["participant_id"]]) >= 1
    lines = other_page.locator("#exchange-list .exchange-pair")
    expect(lines).to_have_count(len(wanted))
    expect(lines.first).to_contain_text(f"peut aider {TROC_NAMES[-1]} sur « {offered['text']} »")


def test_the_projector_shows_who_helps_whom_at_full_scale(server, contexts):
    """DISPLAY8, MARK6: the same list on the projector at 1920x1080, whole, in order, large."""
    troc = build_troc(server.url)
    expected = expected_pairs(facilitator_snapshot(server, troc))
    facilitator = BoardClient(server.url, troc["admin_token"])
    try:
        assert facilitator.command("set_projector", {"focus": {"kind": "exchange"}, "show_join": False})["ok"]
        version = facilitator.state()["version"]
    finally:
        facilitator.close()
    page = open_board(contexts(viewport=SCREEN), troc["projector_url"])
    wait_until(page, f"document.getElementById('mode-view')?.dataset.version >= '{version}'")
    view = page.locator("#mode-view")
    expect(view).to_be_visible()
    expect(page.locator("#viewport")).to_be_hidden()
    lines = view.evaluate(EXCHANGE_LINES)
    assert pairs_from(lines) == expected
    assert all(line["visible"] for line in lines)
    for line in lines:  # all on the screen, none cut off
        left, top, right, bottom = line["box"]
        assert 0 <= left and right <= SCREEN["width"] + 1 and 0 <= top and bottom <= SCREEN["height"] + 1, line
    assert min(line["font"] for line in lines) >= 16
    page.screenshot(path="/tmp/exchange-projector.png")
    # Back to the board: the post-its carry their authors' names there too (show_authors, MARK8).
    facilitator = BoardClient(server.url, troc["admin_token"])
    try:
        assert facilitator.command("set_projector", {"focus": {"kind": "overview"}})["ok"]
    finally:
        facilitator.close()
    expect(view).to_be_hidden()
    author = page.locator('[data-card="troc-2"] .card-author')
    expect(author).to_be_visible()
    expect(author).to_have_text("par Bastien Klein")


def test_the_projector_quote_feed_shows_quotes_arriving_newest_first(server, contexts):
    """DISPLAY8, MARK10-MARK12: at 1920x1080, each quote at least 28 px, its speaker under it, the newest
    at the top; a quote written now appears there live; a speaker added on the spot is named."""
    board = create_from_format(server.url, prospective_document())
    facilitator = BoardClient(server.url, board["admin_token"])
    quotes = [
        ("Il faut passer d’une offre de produit à une offre d’usage, élaborée en co-construction avec les clients",
         "boucles/citations", "Intervenant industrie"),
        ("Le collaboratif et la co-construction, ça s'apprend", "agile/citations", "Animatrice"),
        ("L’industrie du futur est 1/déconcentrée, 2/digitalisée et 3/décarbonnée", "digital/citations",
         "Intervenante énergie"),
        ("Les compétences clés de demain : agilité, curiosité, adaptabilité, créativité, bienveillance, polyvalence...",
         "agile/citations", "participant"),
    ]
    try:
        for index, (text, zone, speaker) in enumerate(quotes):
            assert facilitator.command("create_card", {"kind": "quote", "text": text, "zone_id": zone, "x": 0.5,
                                                       "y": 1, "speaker": speaker, "card_id": f"q{index}"})["ok"]
        assert facilitator.command("set_projector", {"focus": {"kind": "quotes"}})["ok"]
        page = open_board(contexts(viewport=SCREEN), board["projector_url"])
        feed = page.locator("#mode-view .quote")
        expect(feed).to_have_count(4)
        expect(feed.first).to_contain_text("Les compétences clés de demain")
        expect(feed.first.locator(".quote-speaker")).to_have_text("— Un participant")
        # Live: a speaker added on the spot, a quote of theirs arrives on top.
        assert facilitator.command("add_speaker", {"name": "Nadia Haddad"})["ok"]
        late = "Anticipons pour éviter une fracture entre ceux qui auront les codes, et les autres"
        ack = facilitator.command("create_card", {"kind": "quote", "text": late, "zone_id": "smart/citations",
                                                  "x": 0.5, "y": 1, "speaker": "nadia haddad", "card_id": "q-late"})
        assert ack["ok"]
        wait_until(page, f"document.getElementById('mode-view').dataset.version >= '{ack['version']}'")
    finally:
        facilitator.close()
    expect(feed).to_have_count(5)
    texts = feed.locator("blockquote").all_text_contents()
    assert texts == [late] + [text for text, _, _ in reversed(quotes)]
    expect(feed.first.locator(".quote-speaker")).to_have_text("— Nadia Haddad")
    sizes = feed.locator("blockquote").evaluate_all("(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
    assert min(sizes) >= 28
    speakers = feed.locator(".quote-speaker").evaluate_all("(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
    assert min(speakers) >= 28
    boxes = feed.evaluate_all("(nodes) => nodes.map((n) => { const r = n.getBoundingClientRect(); return [r.top, r.bottom, n.checkVisibility()]; })")
    assert all(visible and bottom <= SCREEN["height"] + 1 for _, bottom, visible in boxes)
    assert [top for top, _, _ in boxes] == sorted(top for top, _, _ in boxes)
    page.screenshot(path=str(SHOTS / "prospective-quotes.png"))
    if SHOTS != DOCS:
        page.screenshot(path="/tmp/exchange-quotes.png")


def test_a_participant_writes_a_quote_with_its_speaker_from_the_board(server, contexts):
    """MARK10, MARK11: "+ Citation" on the board, a speaker chosen, the quote filed under its theme shows
    its speaker on the card."""
    from conftest import join
    board = create_from_format(server.url, prospective_document())
    me = join(server.url, board["join_code"], "Léa Fontaine")
    page = open_board(contexts(viewport=LAPTOP), me["board_url"])
    page.locator("#new-quote").click()
    dialog = page.locator("#quote-dialog")
    dialog.locator("textarea").fill("Le collaboratif, ça s'apprend")
    dialog.locator('select[name="speaker"]').select_option("Animatrice")
    dialog.locator('select[name="zone"]').select_option("agile/citations")
    dialog.locator('button[type="submit"]').click()
    quote = page.locator('#panorama [data-zone="agile/citations"] .card.kind-quote')
    expect(quote).to_have_count(1)
    expect(quote.locator(".card-speaker")).to_have_text("— Animatrice")
    expect(dialog.locator(".quote-add-speaker")).to_be_hidden()  # only the facilitator adds speakers


def test_the_facilitator_adds_a_speaker_writes_their_quote_and_puts_the_feed_on_the_projector(server, contexts):
    """MARK12, DISPLAY8 from the facilitator's pages: the board's quote dialog adds a speaker on the spot;
    the console's projector choice offers the quote feed, and the projector shows the quote there."""
    board = create_from_format(server.url, prospective_document())
    console = open_board(contexts(viewport=LAPTOP), board["facilitator_url"])
    choice = console.locator("#projector-focus")
    expect(choice.locator('option[value="quotes"]')).to_have_text("Citations en direct")
    expect(choice.locator('option[value="exchange"]')).to_have_count(0)  # no marks in this format
    choice.select_option("quotes")
    projector = open_board(contexts(viewport=SCREEN), board["projector_url"])
    expect(projector.locator("#mode-view .quote-empty")).to_be_visible()
    # The console's "Ouvrir le tableau": the facilitator's own board page.
    page = open_board(contexts(viewport=LAPTOP), console.locator('a[data-i18n="console.open_board"]').get_attribute("href"))
    page.locator("#new-quote").click()
    dialog = page.locator("#quote-dialog")
    dialog.locator('input[name="new_speaker"]').fill("Karim Benali")
    dialog.locator(".quote-add-speaker button").click()
    expect(dialog.locator('select[name="speaker"]')).to_have_value("Karim Benali")
    dialog.locator("textarea").fill("Comment faire prendre conscience que les transformations sont déjà là ?")
    dialog.locator('select[name="zone"]').select_option("digital/citations")
    dialog.locator('button[type="submit"]').click()
    quote = projector.locator("#mode-view .quote").first
    expect(quote.locator("blockquote")).to_have_text("Comment faire prendre conscience que les transformations sont déjà là ?")
    expect(quote.locator(".quote-speaker")).to_have_text("— Karim Benali")
    projector.screenshot(path="/tmp/exchange-quotes-live.png")
