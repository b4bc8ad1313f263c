"""Voting on a participant's board at full scale (72 cards, 20 voters), as a person sees it at 1366×768:
"+●" turns off at the card's limit and when no dot is left, and says why; the count of my dots is right
and named for screen readers; taking a dot back keeps the focus on the card's controls; someone else's
dot rewrites nothing on my screen."""
import re

from fullscale import as_facilitator, build_full_scene
from realtime import BoardClient

from browser import expect, open_board, wait_version
from test_browser_a11y import AXE, BLOCKING

LAPTOP = {"width": 1366, "height": 768}
BUDGET, PER_CARD = 5, 2  # the Atelier Compétences format's vote
FIRST_ROW = ("socle/techniques", "socle/capacites")


def voting_board(server, contexts, person=0, **context):
    """A fresh full-scale scene in the vote; one of its participants' boards at 1366×768, and a replica
    of the board as that participant sees it (their own dots only)."""
    scene = build_full_scene(server.url, "voting")
    me = scene["people"][person]
    replica = BoardClient(server.url, me["token"])
    page = open_board(contexts(viewport=LAPTOP, **context), me["board_url"])
    return scene, me, replica, page


def audit_vote(page):
    """axe-core's serious or critical violations in the Panorama and the top bar (the vote's controls
    and the budget line), as `rule: targets`."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run({ include: [['#viewport'], ['.topbar']] },
        { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))""")
    return [f"{v['id']}: {v['targets']}" for v in violations if v["impact"] in BLOCKING]


def my_dots(replica, me):
    return dict(replica.replica.vote.dots.get(me["participant_id"], {}))


def cards_without_my_dots(replica, me, zones=FIRST_ROW):
    mine = my_dots(replica, me)
    return [c.id for c in sorted(replica.replica.cards.values(), key=lambda c: c.id)
            if c.zone in zones and not mine.get(c.id)]


def controls(page, card_id):
    return page.locator(f'#panorama [data-card="{card_id}"]')


def spent_line(used):
    left = BUDGET - used
    placed = f"{used} gommette placée sur {BUDGET}" if used <= 1 else f"{used} gommettes placées sur {BUDGET}"
    return f"{placed} — " + (f"il vous en reste {left}" if left else "il ne vous en reste plus")


def test_at_the_per_card_limit_plus_is_off_and_says_why_on_the_card(server, contexts):
    scene, me, replica, page = voting_board(server, contexts)
    try:
        used = sum(my_dots(replica, me).values())
        target = cards_without_my_dots(replica, me)[0]
        card = controls(page, target)
        more = card.locator(".dot-more")
        for _ in range(PER_CARD):
            more.click()
        expect(more).to_be_disabled()
        expect(more).to_be_visible()
        # The reason shows on the card, readable, inside the screen, and is the button's description.
        reason = card.locator(".dot-reason")
        expect(reason).to_be_visible()
        expect(reason).to_have_text("2 gommettes maximum par carte")
        expect(more).to_have_accessible_description("2 gommettes maximum par carte")
        box = reason.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= LAPTOP["width"], box
        assert 0 <= box["y"] and box["y"] + box["height"] <= LAPTOP["height"], box
        frame = card.bounding_box()  # on its own card, spilling onto no neighbour
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"], (box, frame)
        size = float(reason.evaluate("n => getComputedStyle(n).fontSize").rstrip("px"))
        assert size >= 11, size
        # My dots on the card: shown, and named with their number for assistive technology.
        count = card.get_by_role("img", name="2 de vos gommettes")
        expect(count).to_be_visible()
        expect(count).to_have_text("●●")
        # The budget line counts what the server holds.
        replica.wait_for(lambda: my_dots(replica, me).get(target) == PER_CARD)
        assert sum(my_dots(replica, me).values()) == used + PER_CARD
        expect(page.locator("#vote-budget")).to_be_visible()
        expect(page.locator("#vote-budget")).to_have_text(spent_line(used + PER_CARD))
        page.screenshot(path="/tmp/vote-limit.png")
        # Pressing it anyway says why and sends nothing.
        version = replica.replica.version
        more.click(force=True)
        expect(page.locator("#toast")).to_have_text("2 gommettes maximum par carte")
        page.wait_for_timeout(300)
        assert replica.replica.version == version
        assert my_dots(replica, me)[target] == PER_CARD
        # Another card is still open to a dot.
        other = controls(page, cards_without_my_dots(replica, me)[0]).locator(".dot-more")
        expect(other).to_be_enabled()
        expect(other).to_have_accessible_description("")
    finally:
        replica.close()


def test_with_every_dot_spent_no_plus_is_on_and_the_budget_line_says_so(server, contexts):
    scene, me, replica, page = voting_board(server, contexts, person=3, bypass_csp=True)  # for axe
    try:
        used = sum(my_dots(replica, me).values())
        candidates = cards_without_my_dots(replica, me)
        for card_id in candidates[:BUDGET - used]:
            controls(page, card_id).locator(".dot-more").click()
        expect(page.locator("#vote-budget")).to_have_text(spent_line(BUDGET))
        replica.wait_for(lambda: sum(my_dots(replica, me).values()) == BUDGET)
        on_board = [c for c in replica.replica.cards.values() if c.zone != "deck"]
        assert len(on_board) == 72
        expect(page.locator("#panorama .dot-more")).to_have_count(72)
        expect(page.locator('#panorama .dot-more[aria-disabled="true"]')).to_have_count(72)
        assert page.get_by_role("button", name=re.compile("^Ajouter une gommette")).evaluate_all(
            "buttons => buttons.filter((b) => b.getAttribute('aria-disabled') !== 'true').length") == 0
        first_free = controls(page, cards_without_my_dots(replica, me)[0]).locator(".dot-more")
        expect(first_free).to_be_disabled()
        expect(first_free).to_have_accessible_description("Plus de gommettes à placer")
        page.screenshot(path="/tmp/vote-spent.png")
        assert audit_vote(page) == []  # 72 buttons off, each with its reason, and 72 counts named
        # The "−" of a card with my dot still takes one back: then "+●" comes back everywhere.
        controls(page, candidates[0]).locator(".dot-less").click()
        expect(page.locator("#vote-budget")).to_have_text(spent_line(BUDGET - 1))
        expect(first_free).to_be_enabled()
    finally:
        replica.close()


def test_taking_a_dot_back_by_keyboard_keeps_the_focus_on_the_cards_dot_buttons(server, contexts):
    scene, me, replica, page = voting_board(server, contexts, person=5)
    try:
        target = cards_without_my_dots(replica, me)[0]
        card = controls(page, target)
        more, less = card.locator(".dot-more"), card.locator(".dot-less")
        more.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # the second dot: "+●" turns off under the focus
        expect(card.locator(".dot-count")).to_have_text("●●")
        expect(more).to_be_focused()
        less.focus()
        for remaining in ("●", "○"):
            page.keyboard.press("Enter")
            expect(card.locator(".dot-count")).to_have_text(remaining)
        replica.wait_for(lambda: not my_dots(replica, me).get(target))
        wait_version(page, replica.replica.version)
        page.wait_for_timeout(200)  # the acknowledgement and the confirmed event re-render the card
        focused = page.evaluate("""() => ({ cls: document.activeElement.className,
            card: document.activeElement.closest('[data-card]')?.dataset.card })""")
        assert focused["card"] == target, focused
        assert focused["cls"] in ("dot-less", "dot-more"), focused
        expect(less).to_be_disabled()
        expect(card.get_by_role("img", name="Aucune de vos gommettes")).to_be_visible()
        # Enter again on the "−" that is off: nothing is sent, the reason is said, the focus stays.
        version = replica.replica.version
        page.keyboard.press("Enter")
        expect(page.locator("#toast")).to_have_text("Aucune de vos gommettes sur cette carte")
        assert replica.replica.version == version
        expect(less).to_be_focused()
        # The facilitator moves the card to another cell meanwhile: the focus moves with it, on "−".
        facilitator = BoardClient(server.url, scene["admin_token"])
        try:
            ack = facilitator.command("move_card", {"card_id": target, "zone_id": "socle/capacites", "x": 0, "y": 0})
            assert ack["ok"], ack
            expect(page.locator(f'#panorama [data-zone="socle/capacites"] [data-card="{target}"]')).to_be_visible()
            expect(less).to_be_focused()
        finally:
            facilitator.close()
        # The vote closes under the focus: the controls go, the focus stays on their card.
        as_facilitator(server.url, scene, ("close_vote",))
        expect(card.locator(".card-dots")).to_be_hidden()
        expect(card.locator(".card-body")).to_be_focused()
    finally:
        replica.close()


def test_someone_elses_dot_rewrites_neither_my_budget_line_nor_my_counts(server, contexts):
    scene, me, replica, page = voting_board(server, contexts, person=7)
    other = BoardClient(server.url, scene["people"][8]["token"])
    try:
        expect(page.locator("#vote-budget")).to_be_visible()
        before = page.locator("#vote-budget").text_content()
        page.evaluate("""() => {
          window.rewrites = [];
          const watch = new MutationObserver((records) => window.rewrites.push(...records.map((r) =>
            `${r.type} ${r.attributeName || ''} ${r.target.nodeName} ${r.target.className || ''}`)));
          watch.observe(document.getElementById('vote-budget'),
            { childList: true, characterData: true, subtree: true, attributes: true });
          for (const dots of document.querySelectorAll('#panorama .card-dots'))
            watch.observe(dots, { childList: true, characterData: true, subtree: true, attributes: true });
        }""")
        # Another participant puts two dots and takes one back: three events reach my page.
        theirs = cards_without_my_dots(replica, me)[:2]
        last = None
        for card_id, delta in ((theirs[0], 1), (theirs[1], 1), (theirs[0], -1)):
            ack = other.command("vote", {"card_id": card_id, "delta": delta})
            assert ack["ok"], ack
            last = ack["version"]
        wait_version(page, last)
        page.wait_for_timeout(200)
        assert page.evaluate("window.rewrites") == []
        assert page.locator("#vote-budget").text_content() == before
    finally:
        other.close()
        replica.close()
