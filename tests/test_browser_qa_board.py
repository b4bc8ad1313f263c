"""The participant board after the merge of its parallel branches (issue 9), in a real chromium on
the full-scale scene: what a person sees at a glance on a laptop, a tablet and a phone. Each test
here was a fault seen on a screenshot or left over: a lock on all 72 cards during the vote, a
keyboard move into a folded deck, the shortcuts bar over the header, Space lifting a locked card,
a post-it asking for a description, two ways to close the phone's deck sheet."""
import requests

from browser import card, cell, expect, open_board, server_version
from conftest import create_workshop, in_placement
from fullscale import deck
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LOCK_DRAWN = """el => { const s = getComputedStyle(el, '::after');
  return s.content !== 'none' && s.backgroundImage.includes('svg') && Number(s.opacity) > 0; }"""


def zone_in_state(server, admin_token, card_id):
    state = requests.get(server.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {admin_token}"}).json()
    return next(c["zone"] for c in state["cards"] if c["id"] == card_id)


def inside_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return (box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


def overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def theirs_and_mine():
    """A card team Ingénierie placed, and one of team Production (the first person's)."""
    pick = lambda row: next(c["id"] for c in deck() if c["domain"] == row and c["category"] == "techniques")
    return pick("ingenierie"), pick("socle")


def test_in_the_vote_no_card_draws_a_lock_and_the_top_bar_says_once_that_cards_stay_put(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("voting")["people"][0]["board_url"])
    expect(page.locator("#panorama .dot-more").first).to_be_visible()
    cards = page.locator("#panorama .card")
    assert cards.count() == 72
    drawn = sum(cards.nth(i).evaluate(LOCK_DRAWN) for i in range(cards.count()))
    assert drawn == 0, f"{drawn} of 72 cards draw a lock during the vote"
    cue = page.locator("#moves-locked")
    expect(cue).to_be_visible()
    expect(cue).to_have_text("Cartes fixes pendant cette séquence")
    assert inside_viewport(page, cue)
    assert float(cue.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 12
    # Still locked underneath: a drag lifts nothing and says why.
    version = server_version(page)
    body = card(page, theirs_and_mine()[1])
    box = body.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 160, steps=6)
    expect(page.locator(".card.floating")).to_have_count(0)
    page.mouse.up()
    expect(page.locator("#toast")).to_contain_text("ne permet pas de déplacer")
    page.wait_for_timeout(200)
    assert server_version(page) == version
    page.screenshot(path="/tmp/qa-board-vote-no-locks.png")


def test_while_moving_is_open_only_other_teams_cards_draw_a_lock_and_no_board_cue(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    theirs, mine = theirs_and_mine()
    expect(page.locator("#moves-locked")).to_be_hidden()
    assert page.locator(f'#panorama [data-card="{theirs}"]').evaluate(LOCK_DRAWN)
    assert not page.locator(f'#panorama [data-card="{mine}"]').evaluate(LOCK_DRAWN)


def test_a_keyboard_move_never_drops_a_card_into_the_folded_deck(server, contexts):
    workshop = in_placement(server.url, participants=1)
    person = workshop["participants"][0]
    mover = BoardClient(server.url, person["token"])
    try:
        assert mover.command("move_card", {"card_id": "d01", "zone_id": "socle/capacites", "x": 0.5, "y": 0.5})["ok"]
    finally:
        mover.close()
    page = open_board(contexts(**LAPTOP), person["board_url"])
    body = card(page, "d01")
    # Unfolded, Right from the last column reaches the deck ...
    body.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#deck-list.drop-target")).to_have_count(1)
    page.keyboard.press("Escape")
    # ... folded, it stays on the Panorama, and Enter leaves the card in sight.
    page.locator("#deck-fold").click()
    expect(page.locator("#deck-list")).to_be_hidden()
    body.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#deck-list.drop-target")).to_have_count(0)
    expect(page.locator('#panorama .drop-target[data-zone="socle/capacites"]')).to_have_count(1)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    expect(cell(page, "socle/capacites").locator('[data-card="d01"]')).to_be_visible()
    assert zone_in_state(server, workshop["admin_token"], "d01") == "socle/capacites"


def test_the_shortcuts_bar_pushes_the_top_bar_down_instead_of_covering_it(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    page.keyboard.press("Tab")  # the first Tab stop of the page: the shortcuts appear
    bar = page.locator("#shortcuts")
    expect(page.locator("#shortcuts .shortcut-search")).to_be_focused()
    expect(bar).to_be_visible()
    page.screenshot(path="/tmp/qa-board-shortcuts.png")
    bar_box = bar.bounding_box()
    for part in ("#workshop-name", "#sequence-name", "#my-team-badge", "#people-toggle"):
        box = page.locator(part).bounding_box()
        assert not overlap(bar_box, box), (part, bar_box, box)
        assert inside_viewport(page, page.locator(part)), part


def test_space_on_a_locked_card_says_why_and_carries_nothing(full_scene, server, contexts):
    scene = full_scene("placed")  # nothing moves, so the shared scene is safe
    page = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])  # team Production
    theirs, _ = theirs_and_mine()
    version = server_version(page)
    body = card(page, theirs)
    body.focus()
    page.keyboard.press("Space")
    expect(page.locator("#toast")).to_be_visible()
    expect(page.locator("#toast")).to_contain_text("Ingénierie")
    expect(body).not_to_have_attribute("aria-pressed", "true")
    expect(page.locator(".drop-target")).to_have_count(0)
    expect(page.locator("#key-hint")).not_to_contain_text("poser ici")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # opens the card (its own click), moves nothing
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert server_version(page) == version
    assert zone_in_state(server, scene["admin_token"], theirs) == "ingenierie/techniques"


def test_a_post_it_asks_for_its_text_only_a_new_card_also_for_a_description(server, contexts):
    workshop = create_workshop(server.url, participants=1)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": 2})["ok"]  # Compléter: cards are written
    finally:
        facilitator.close()
    page = open_board(contexts(**LAPTOP), workshop["participants"][0]["board_url"])
    description = page.get_by_text("Description (facultatif)")
    page.locator("#new-postit").click()
    expect(page.locator("#card-dialog")).to_be_visible()
    expect(page.locator('#card-form textarea[name="text"]')).to_be_visible()
    expect(description).to_be_hidden()
    expect(page.locator('#card-form textarea[name="description"]')).to_be_hidden()
    page.locator("#card-cancel").click()
    page.locator("#new-card").click()
    expect(description).to_be_visible()


def test_the_phone_s_deck_sheet_has_one_way_to_close_and_opens_even_if_folded_elsewhere(full_scene, contexts):
    context = contexts(**PHONE)
    page = open_board(context, full_scene("placed")["people"][0]["board_url"])
    page.evaluate("localStorage.setItem('atelier.deck.folded', '1')")  # folded on a wider screen before
    page.reload()
    expect(page.locator('body[data-connection="online"]')).to_be_attached()
    page.locator("#deck-open").click()
    expect(page.locator("#deck-search")).to_be_visible()
    assert inside_viewport(page, page.locator("#deck-search"))
    expect(page.locator("#deck-close")).to_be_visible()
    expect(page.locator("#deck-fold")).to_be_hidden()
    page.screenshot(path="/tmp/qa-board-phone-deck.png")


def test_a_refusal_on_the_phone_is_a_short_wide_message_clear_of_the_keyboard_hint(full_scene, contexts):
    page = open_board(contexts(**PHONE), full_scene("placed")["people"][1]["board_url"])  # team Ingénierie
    page.locator("#domain-picker").select_option("0")  # the first domain, Socle commun
    body = page.locator("#panorama .card-body").filter(visible=True).first  # Socle commun: team Production's
    body.focus()
    page.keyboard.press("Space")
    toast, hint = page.locator("#toast"), page.locator("#key-hint")
    expect(toast).to_contain_text("Production")
    expect(hint).to_be_visible()
    page.screenshot(path="/tmp/qa-board-phone-toast.png")
    assert inside_viewport(page, toast) and inside_viewport(page, hint)
    assert not overlap(toast.bounding_box(), hint.bounding_box())
    # As wide as the screen allows, so that a sentence takes two or three lines, not five.
    assert toast.bounding_box()["width"] >= 0.8 * 390, toast.bounding_box()
    assert toast.bounding_box()["height"] <= 4 * 24 + 24, toast.bounding_box()  # four lines at most


FILTER_TEXT_CUT = """(select) => {
  const style = getComputedStyle(select);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18; // the arrow
  return [...select.options].filter((o) => pen.measureText(o.text).width > room).map((o) => o.text);
}"""


def test_the_deck_filters_show_their_choices_whole_on_a_laptop_and_a_tablet(full_scene, contexts):
    for device in (LAPTOP, {"viewport": {"width": 1024, "height": 768}, "has_touch": True}):
        page = open_board(contexts(**device), full_scene("placed")["people"][0]["board_url"])
        for select in ("#deck-domain", "#deck-category"):
            expect(page.locator(select)).to_be_visible()
            assert page.locator(select).evaluate(FILTER_TEXT_CUT) == [], (device["viewport"], select)


def test_in_the_vote_the_keyboard_hint_offers_no_space_and_stays_clear_of_the_refusal_on_a_phone(full_scene, contexts):
    page = open_board(contexts(**PHONE), full_scene("voting")["people"][0]["board_url"])
    body = page.locator("#panorama .card-body").filter(visible=True).first
    body.focus()
    hint, toast = page.locator("#key-hint"), page.locator("#toast")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Entrée : lire la carte")
    expect(hint).not_to_contain_text("Espace : prendre")
    page.keyboard.press("Space")  # a person who tries anyway is told why (the longest refusal)
    expect(toast).to_contain_text("ne permet pas de déplacer")
    page.screenshot(path="/tmp/qa-board-phone-vote-hint.png")
    assert inside_viewport(page, toast) and inside_viewport(page, hint)
    above, below = hint.bounding_box(), toast.bounding_box()
    # Two dark boxes that touch read as one: a clear gap between them.
    assert above["y"] + above["height"] + 8 <= below["y"], (above, below)


NUMBER_ON_ITS_OWN_LINE = """(node) => {
  // The line boxes of the budget's text: is the last one nothing but the number of dots left?
  const range = document.createRange();
  range.selectNodeContents(node);
  const tops = [...new Set([...range.getClientRects()].map((r) => Math.round(r.top)))];
  const text = node.textContent.trim();
  const number = text.match(/(\\d+)$/);
  if (!number || tops.length < 2) return false;
  const last = document.createRange();
  const textNode = [...node.childNodes].filter((n) => n.nodeType === 3).pop();
  const at = textNode.textContent.lastIndexOf(number[1]);
  last.setStart(textNode, at); last.setEnd(textNode, at + number[1].length);
  const before = document.createRange();
  before.setStart(textNode, Math.max(0, at - 6)); before.setEnd(textNode, Math.max(0, at - 2));
  return Math.round(last.getBoundingClientRect().top) !== Math.round(before.getBoundingClientRect().top);
}"""


def test_the_dot_budget_never_leaves_its_number_alone_on_a_line(full_scene, contexts):
    for device in (LAPTOP, {"viewport": {"width": 1024, "height": 768}, "has_touch": True}, PHONE):
        page = open_board(contexts(**device), full_scene("voting")["people"][0]["board_url"])
        budget = page.locator("#vote-budget")
        expect(budget).to_contain_text("il vous en reste")
        assert inside_viewport(page, budget)
        assert not budget.evaluate(NUMBER_ON_ITS_OWN_LINE), (device["viewport"], budget.inner_text())


def test_a_written_card_offers_no_edit_once_the_sequence_no_longer_lets_anyone_edit(full_scene, contexts):
    """After the reveal the author's ✎ is gone (the server would refuse it); the card still opens to be read."""
    scene = full_scene("revealed")
    state = requests.get(scene["join_url"].split("/j/")[0] + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {scene['admin_token']}"}).json()
    written = next(c for c in state["cards"] if c["id"] == "new-1")
    author = next(p for p in scene["people"] if p["participant_id"] == written["author"])
    page = open_board(contexts(**LAPTOP), author["board_url"])
    node = page.locator('#panorama [data-card="new-1"]')
    expect(node).to_be_attached()
    expect(node.locator(".card-edit")).to_be_hidden()
    node.locator(".card-body").click()
    dialog = page.locator("#card-details")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Modifier")).to_be_hidden()


def test_the_phones_domain_picker_uses_the_short_name_of_a_domain(full_scene, contexts):
    """The picker uses a domain's short name where the format has one ("Socle commun"), so it is not cut."""
    page = open_board(contexts(**PHONE), full_scene("placed")["people"][0]["board_url"])
    picker = page.locator("#domain-picker")
    expect(picker).to_be_visible()
    names = picker.locator("option").all_inner_texts()
    assert names[0] == "Socle commun", names
    # Each name fits the picker's box: measured with the picker's own font.
    widths = picker.evaluate("""(select) => {
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.style.position = 'absolute'; probe.style.whiteSpace = 'nowrap';
      document.body.append(probe);
      const sizes = [...select.options].map((o) => { probe.textContent = o.textContent; return probe.offsetWidth; });
      probe.remove();
      return { text: sizes, box: select.clientWidth };
    }""")
    assert widths["text"][0] <= widths["box"] - 24, widths  # the arrow takes ~24 px
