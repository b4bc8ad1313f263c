"""Screenshots of a realistic workshop for the README, and checks that nothing in them overlaps or is cut.

The scene (tests/scenes.py): the Placement sequence, two coloured teams, eight deck cards placed in several
cells of the Panorama by four people, two post-its and one new card. The images go to a temporary folder,
or to docs/screenshots/ with `make screenshots` (SCREENSHOTS=docs), so a test run leaves the tree clean.
"""
import re

import pytest

from browser import expect, open_board, shoot, wait_online
from realtime import BoardClient
from scenes import NEW_CARDS, PLACEMENTS, POSTITS, build_scene

CARD_IDS = [card for _, card, _ in PLACEMENTS] + [f"postit-{i + 1}" for i in range(len(POSTITS))] \
    + [f"new-{i + 1}" for i in range(len(NEW_CARDS))]

# Boxes of the elements that must neither be cut (text wider or taller than its box) nor overlap.
LAYOUT = """(selectors) => {
  const boxes = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.getClientRects().length) continue;
      const r = el.getBoundingClientRect();
      boxes.push({ selector, text: el.textContent.trim().slice(0, 40), left: r.left, top: r.top, right: r.right,
                   bottom: r.bottom, cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 });
    }
  }
  return boxes;
}"""


def layout(page, *selectors):
    return page.evaluate(LAYOUT, list(selectors))


def overlap(a, b):
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 \
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1


def assert_tidy(page, selectors, apart=()):
    """No element of `selectors` has its text cut; no two of `apart` overlap."""
    boxes = layout(page, *selectors)
    cut = [b for b in boxes if b["cut"]]
    assert not cut, f"text cut: {cut}"
    placed = layout(page, *apart)
    clashes = [(a["text"], b["text"]) for i, a in enumerate(placed) for b in placed[i + 1:] if overlap(a, b)]
    assert not clashes, f"overlapping: {clashes}"


@pytest.fixture
def scene(server, clients):
    """The scene, with three of the four people still online (the first one is the browser, or offline)."""
    built = build_scene(server.url)
    for person in built["people"][1:]:
        clients(person["token"])
    return built


def wait_cards(page, board="#panorama"):
    for card_id in CARD_IDS:
        expect(page.locator(f'{board} [data-card="{card_id}"]')).to_be_visible()
    page.wait_for_timeout(300)  # the first fit to the screen and the web fonts


def test_screenshot_of_the_participant_board(scene, contexts, shots):
    page = open_board(contexts(), scene["people"][0]["board_url"])
    wait_cards(page)
    expect(page.locator("#people-count")).to_have_text("4")
    # Card titles are clamped to a few lines on purpose (whole on focus, tests/test_browser_layout.py).
    assert_tidy(page, [".tools button", ".column-head", ".row-head", "#sequence-name"],
                apart=[".tools button", ".title", "#panorama .card"])
    shoot(page, "participant", shots)


def test_screenshot_of_the_facilitator_console(scene, contexts, shots):
    page = open_board(contexts(), scene["facilitator_url"])
    expect(page.locator("#participant-list li")).to_have_count(len(scene["people"]))
    expect(page.locator("#team-list li")).to_have_count(len(scene["teams"]))
    expect(page.locator("#participant-list .presence.online")).to_have_count(3)
    page.wait_for_timeout(300)
    assert_tidy(page, ["button", ".join-code", "#participant-list li", "#team-list li"],
                apart=[".console section"])
    shoot(page, "console", shots)


def test_screenshot_of_the_projector(scene, contexts, shots):
    page = contexts().new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(scene["projector_url"])
    wait_online(page)
    wait_cards(page, board="#stage")  # the projector's free areas are beside the Panorama
    expect(page.locator("#join-corner")).to_be_visible()
    # The whole Panorama, Parking included, is on the screen: nothing cut at the bottom or the side.
    assert page.evaluate("(v => v.scrollHeight <= v.clientHeight && v.scrollWidth <= v.clientWidth)"
                         "(document.getElementById('viewport'))")
    assert_tidy(page, [".column-head", ".row-head", ".card-text", ".join-corner .code"],
                apart=["#panorama .cell", ".free-area", "#join-corner"])
    shoot(page, "projector", shots)


def test_screenshots_of_each_sequence_for_a_participant_and_the_projector(server, contexts, shots):
    """Sequences 1 to 4 as a participant and the projector sees them; the last with the revealed results."""
    from scenes import TEAMS  # noqa: F401  (the same scene as above)
    built = build_scene(server.url, sequence=0)
    facilitator = BoardClient(server.url, built["admin_token"])
    people = [BoardClient(server.url, person["token"]) for person in built["people"][1:]]
    participant = open_board(contexts(), built["people"][0]["board_url"])
    projector = open_board(contexts(viewport={"width": 1920, "height": 1080}), built["projector_url"])
    try:
        assert facilitator.command("set_projector", {"show_join": False})["ok"]
        for index in range(4):
            if index:
                assert facilitator.command("set_sequence", {"index": index})["ok"]
            if index == 3:
                assert facilitator.command("open_vote")["ok"]
                for n, person in enumerate(people):
                    for card_id in ("d01", "d30", "new-1", "d20")[n:n + 3]:
                        assert person.command("vote", {"card_id": card_id, "delta": 1})["ok"]
            expect(participant.locator("#sequence-name")).to_contain_text(str(index + 1))
            expect(projector.locator("#sequence-name")).to_contain_text(str(index + 1))
            if index == 3:
                twin = "Piloter un jumeau numérique d’installation"
                more = participant.get_by_role("button", name=f"Ajouter une gommette à « {twin} »")
                more.click()
                more.click()
                expect(participant.locator("#vote-budget")).to_contain_text("2 gommettes placées sur 5 — il vous en reste 3")
            participant.wait_for_timeout(200)
            shoot(participant, f"sequence-{index + 1}-participant", shots)
            shoot(projector, f"sequence-{index + 1}-projector", shots)
        assert facilitator.command("close_vote")["ok"]
        assert facilitator.command("reveal_results")["ok"]
        expect(projector.locator("#results li")).not_to_have_count(0)
        expect(projector.locator("#results li").first).to_contain_text("Piloter un jumeau numérique")
        expect(projector.locator('#panorama [data-card="new-1"]')).to_have_class(re.compile(r"\btop\b"))
        assert_tidy(projector, ["#results li", ".card-text"], apart=["#results", "#panorama .cell"])
        shoot(projector, "results-projector", shots)
        shoot(participant, "results-participant", shots)
    finally:
        facilitator.close()
        for person in people:
            person.close()
