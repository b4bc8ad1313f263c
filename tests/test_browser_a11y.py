"""Accessibility of the three pages, audited by axe-core in a real chromium, and keyboard reachability.

axe-core comes from npm (node_modules/axe-core). The pages' CSP forbids inline scripts, so the contexts
that inject it are opened with bypass_csp=True; every other test keeps the real CSP.
"""
from pathlib import Path

import pytest

from browser import card, expect, open_board, wait_online
from scenes import COMPLETE, build_scene

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# Text must reach 4.5:1 whatever its size: a projector washes colours out (WCAG asks only 3:1 of large text).
RUN_AXE = """async () => {
  axe.configure({ checks: [{ id: "color-contrast",
    options: { contrastRatio: { normal: { expected: 4.5 }, large: { expected: 4.5 } } } }] });
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""


def audit(page, where):
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    assert AXE.exists(), "axe-core is missing: `make install` (npm ci) brings it"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = []
    for v in blocking:
        report.append(f"[{where}] {v['impact']} {v['id']}: {v['help']} ({v['count']} nodes) {v['url']}")
        for node in v["nodes"]:
            report.append(f"    {node['target']}")
            report.extend(f"        {line.strip()}" for line in node["summary"].splitlines())
    if report:
        print("\n".join(report))
    assert not blocking, "\n".join(report)
    return violations


@pytest.fixture
def scene(server):
    return build_scene(server.url)


def test_the_participant_board_has_no_serious_accessibility_violation(scene, contexts):
    page = open_board(contexts(bypass_csp=True), scene["people"][0]["board_url"])
    expect(page.locator('#panorama [data-card="postit-1"]')).to_be_visible()
    audit(page, "participant board")
    # Open states too: the people panel, a focused card (its author shows), the search narrowing the deck.
    page.click("#people-toggle")
    expect(page.locator("#people-list li")).not_to_have_count(0)
    card(page, "d01").focus()
    page.fill("#deck-search", "numérique")
    audit(page, "participant board, people panel open, card focused, deck searched")


def test_the_card_dialogs_have_no_serious_accessibility_violation(server, contexts):
    scene = build_scene(server.url, sequence=COMPLETE)
    page = open_board(contexts(bypass_csp=True), scene["people"][1]["board_url"])  # the author of postit-1
    page.click("#new-postit")
    expect(page.locator("#card-dialog")).to_be_visible()
    audit(page, "new post-it dialog")
    page.click("#card-cancel")
    page.locator('[data-card="postit-1"] .card-edit').click()
    expect(page.locator("#card-delete")).to_be_visible()
    audit(page, "edit dialog")


def test_the_facilitator_console_has_no_serious_accessibility_violation(scene, contexts):
    page = open_board(contexts(bypass_csp=True), scene["facilitator_url"])
    expect(page.locator("#participant-list li")).to_have_count(4)
    expect(page.locator("#team-list li")).to_have_count(2)
    audit(page, "facilitator console")


def test_the_projector_has_no_serious_accessibility_violation(scene, contexts):
    page = contexts(bypass_csp=True).new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})  # a projector, not a laptop
    page.goto(scene["projector_url"])
    wait_online(page)
    expect(page.locator("#join-corner")).to_be_visible()
    expect(page.locator('#panorama [data-card="new-1"]')).to_be_visible()
    audit(page, "projector")


# What the keyboard must reach on the participant board, by the element's id (cards by their data-card).
TOOLBAR = ["new-postit", "new-card", "zoom-out", "zoom-in", "zoom-fit", "people-toggle", "lang-switch"]
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  // The outline must not be cut by a scrolling ancestor (the deck list): check left and right.
  const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset || 0);
  let box = el.parentElement;
  while (box && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
  const r = el.getBoundingClientRect(), b = box ? box.getBoundingClientRect() : null;
  const clipped = Boolean(b) && (r.left - ring < b.left - 0.5 || r.right + ring > b.left + box.clientWidth + 0.5);
  return { id: el.id, card: el.closest("[data-card]")?.dataset.card ?? null, className: el.className, clipped,
           inPanorama: Boolean(el.closest("#panorama")), inDeck: Boolean(el.closest("#deck-list")),
           focusVisible: el.matches(":focus-visible"), outline: style.outlineStyle, width: style.outlineWidth };
}"""


def test_the_toolbar_the_deck_search_and_the_cards_are_reached_by_tab_with_a_visible_outline(server, contexts):
    scene = build_scene(server.url, sequence=COMPLETE)  # creating cards is open: no toolbar button is disabled
    page = open_board(contexts(), scene["people"][0]["board_url"])  # the real CSP
    expect(page.locator('#panorama [data-card="d01"]')).to_be_visible()
    assert page.locator(".tools button:disabled").count() == 0
    page.locator("body").focus()
    reached, invisible = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused)
        if not focused["focusVisible"] or focused["outline"] == "none" or focused["width"] == "0px" \
                or focused["clipped"]:
            invisible.append(focused)
        if focused["inDeck"]:
            break  # past the board and the search: the first card of the deck
    ids = [f["id"] or f["card"] or f["className"] for f in reached]
    print("Tab order:", ids)
    # The shortcuts come first (the deck search, the domains), shown and outlined like the rest.
    assert reached[0]["className"] == "shortcut-search", ids
    assert [i for i in ids if i in TOOLBAR] == TOOLBAR, ids
    assert "deck-search" in ids, ids
    assert any(f["card"] == "d01" and f["inPanorama"] for f in reached), ids
    assert any(f["card"] and f["inDeck"] for f in reached), "no deck card reached by Tab"
    assert not invisible, f"focused without a visible outline: {invisible}"


def test_the_vote_and_its_results_have_no_serious_accessibility_violation(server, contexts):
    from realtime import BoardClient
    scene = build_scene(server.url)
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": 3})["ok"]
        assert facilitator.command("open_vote")["ok"]
        page = open_board(contexts(bypass_csp=True), scene["people"][0]["board_url"])
        console = open_board(contexts(bypass_csp=True), scene["facilitator_url"])
        projector = open_board(contexts(bypass_csp=True, viewport={"width": 1920, "height": 1080}),
                               scene["projector_url"])
        page.locator('[data-card="d01"] .dot-more').click()
        expect(page.locator("#vote-budget")).to_contain_text("4")
        audit(page, "participant board while voting")
        audit(console, "console while voting")
        assert facilitator.command("close_vote")["ok"]
        assert facilitator.command("reveal_results")["ok"]
        expect(projector.locator("#results li")).to_have_count(1)
        audit(projector, "projector with the results")
        audit(page, "participant board with the results")
    finally:
        facilitator.close()


def test_the_home_join_and_error_pages_have_no_serious_accessibility_violation(server, contexts):
    page = contexts(bypass_csp=True).new_page()
    page.goto(server.url + "/")
    expect(page.get_by_role("button", name="Rejoindre")).to_be_visible()
    audit(page, "home page")
    page.goto(server.url + "/animer")
    audit(page, "facilitators' entry")
    page.goto(server.url + "/j/ABCDEF")
    audit(page, "join page")
    page.get_by_label("Votre nom").fill("Ana")
    page.get_by_role("button", name="Rejoindre").click()
    expect(page.get_by_role("alert")).to_contain_text("Aucun atelier n’a ce code")
    audit(page, "error page")
