"""The factors matrix and the rating buttons in a real browser, at full scale (RATE1, RATE7, RATE8).

The scene (tests/ratings_scene.py): the ratings test format's 50 factors, 25 of them rated by 4 teams
on both axes, 6 kept by the facilitator. What is checked is what a person sees: every rated factor's
label visible, inside the plot and readable (>= 12 px on a laptop, >= 18 px on the 1920x1080
projector), the points on screen in the order of the means the test computes itself, the kept ones
marked, and the rating buttons at least 44 px on a tablet. Screenshots go to /tmp (and the matrix to
docs/screenshots/factors-matrix.png with SCREENSHOTS=docs).
"""
import os
from pathlib import Path

import pytest

from browser import expect, open_board, shoot, wait_until
from ratings_scene import rate_scene
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
TABLET = {"width": 1024, "height": 768}
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path("/tmp/ratings-shots")


@pytest.fixture(scope="module")
def scene(server):
    """One rated board for the tests that only look at it."""
    return rate_scene(server.url, rated=25, kept=6)


def means(scene):
    """Each rated card's mean per axis, computed here from the ratings the scene sent."""
    x_axis, y_axis = (axis["id"] for axis in scene["axes"])
    mean = lambda values: sum(values.values()) / len(values)  # noqa: E731
    return {card: (mean(by_axis[x_axis]), mean(by_axis[y_axis])) for card, by_axis in scene["sent"].items()}


def geometry(page, holder):
    """The plot's box, and per card its point's centre and its label's box, as drawn in `holder`."""
    return page.evaluate("""(holder) => {
        const root = document.querySelector(holder);
        const plot = root.querySelector('.matrix-plot').getBoundingClientRect();
        const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height });
        const cards = {};
        for (const point of root.querySelectorAll('[data-point]')) {
            const p = point.getBoundingClientRect();
            const name = root.querySelector(`[data-label="${point.dataset.point}"]`);
            cards[point.dataset.point] = { x: p.left + p.width / 2, y: p.top + p.height / 2,
                label: box(name.getBoundingClientRect()), kept: name.classList.contains('kept'),
                star: Boolean(name.querySelector('.matrix-star')),
                font: parseFloat(getComputedStyle(name).fontSize), text: name.textContent };
        }
        return { plot: box(plot), cards };
    }""", holder)


def check_matrix(page, holder, scene, min_font):
    """Every rated card drawn once, readable, inside the plot, in the order of its means; kept ones marked."""
    drawn = geometry(page, holder)
    plot, cards = drawn["plot"], drawn["cards"]
    expected = means(scene)
    assert set(cards) == set(expected), "every rated card, and only those, is on the matrix"
    for card_id, seen in cards.items():
        label = seen["label"]
        assert seen["font"] >= min_font, (card_id, seen["font"])
        assert plot["left"] <= label["left"] and label["right"] <= plot["right"] + 0.5, (card_id, label, plot)
        assert plot["top"] <= label["top"] and label["bottom"] <= plot["bottom"] + 0.5, (card_id, label, plot)
        assert plot["left"] < seen["x"] < plot["right"] and plot["top"] < seen["y"] < plot["bottom"]
        assert seen["kept"] is seen["star"] is (card_id in scene["kept"])
        assert scene["texts"][card_id] in seen["text"]
    # On screen as the means are: a higher mean across is further right, a higher mean up is higher.
    ids = sorted(cards)
    for a in ids:
        for b in ids:
            (ax, ay), (bx, by) = expected[a], expected[b]
            if ax < bx - 1e-9:
                assert cards[a]["x"] < cards[b]["x"], (a, b)
            if abs(ax - bx) < 1e-9:
                assert abs(cards[a]["x"] - cards[b]["x"]) < 1
            if ay < by - 1e-9:
                assert cards[a]["y"] > cards[b]["y"], (a, b)
            if abs(ay - by) < 1e-9:
                assert abs(cards[a]["y"] - cards[b]["y"]) < 1
    # The labels do not hide one another: at most a sliver of overlap between any two.
    boxes = [seen["label"] for seen in cards.values()]
    clashes = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[i + 1:], start=i + 1)
               if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 2
               and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 2]
    assert len(clashes) <= 2, f"{len(clashes)} labels overlap"
    return drawn


def test_the_board_shows_the_matrix_of_the_teams_ratings_readable_and_in_order(scene, contexts):
    """On a laptop, a participant opens the matrix next to the board: 25 factors where their means are."""
    person = scene["members"][scene["team_ids"][0]][0]
    page = open_board(contexts(viewport=LAPTOP), f"{scene['join_url'].rsplit('/j/', 1)[0]}/p/{person['token']}")
    toggle = page.locator("#matrix-toggle")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(page.locator("#matrix-view .matrix-plot")).to_be_visible()
    expect(page.locator("#panorama")).to_be_hidden()
    wait_until(page, "document.querySelectorAll('#matrix-view [data-point]').length === 25")
    check_matrix(page, "#matrix-view", scene, 12)
    shoot(page, "board-matrix", SHOTS)
    toggle.click()
    expect(page.locator("#panorama")).to_be_visible()


def test_the_projector_shows_the_matrix_from_the_back_of_the_room(scene, contexts):
    """At 1920x1080, in the sequence that opens rating, the projector shows the matrix in >= 18 px type."""
    page = open_board(contexts(viewport=PROJECTOR), f"{scene['join_url'].rsplit('/j/', 1)[0]}/s/{scene['projector_token']}")
    expect(page.locator("#projector-matrix .matrix-plot")).to_be_visible()
    expect(page.locator("#stage")).to_be_hidden()
    wait_until(page, "document.querySelectorAll('#projector-matrix [data-point]').length === 25")
    drawn = check_matrix(page, "#projector-matrix", scene, 18)
    assert drawn["plot"]["bottom"] <= PROJECTOR["height"] and drawn["plot"]["right"] <= PROJECTOR["width"]
    shoot(page, "projector-matrix", SHOTS)
    if os.environ.get("SCREENSHOTS") == "docs":  # the README's picture (make screenshots)
        shoot(page, "factors-matrix", ROOT / "docs" / "screenshots")


def test_the_console_keeps_and_lets_go_a_card_from_the_matrix_and_counts_them(server, contexts):
    """The facilitator clicks a factor on the console's matrix: it is kept (★, counted), and again let go."""
    scene = rate_scene(server.url, rated=12, kept=2, seed=3)
    page = open_board(contexts(viewport={"width": 1440, "height": 900}), scene["facilitator_url"])
    count = page.locator("#matrix-kept-count")
    expect(count).to_have_text("2 facteurs-clés")
    check_matrix(page, "#matrix-panel", scene, 12)
    target = next(card for card in scene["sent"] if card not in scene["kept"])
    name = page.locator(f'#matrix-panel [data-label="{target}"]')
    name.click()
    expect(count).to_have_text("3 facteurs-clés")
    expect(page.locator(f'#matrix-panel [data-label="{target}"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'#matrix-panel [data-label="{target}"] .matrix-star')).to_be_visible()
    shoot(page, "console-matrix", SHOTS)
    watcher = BoardClient(server.url, scene["admin_token"])
    watcher.wait_for(lambda: watcher.replica.cards[target].kept is True)  # kept on the server, not only on screen
    page.locator(f'#matrix-panel [data-label="{target}"]').click()
    expect(count).to_have_text("2 facteurs-clés")
    watcher.wait_for(lambda: watcher.replica.cards[target].kept is False)
    watcher.close()


def test_a_team_rates_from_the_list_and_the_card_details_with_buttons_a_finger_can_press(server, contexts):
    """On a tablet: the "to rate" list's buttons and the details dialog's are >= 44 px; a press rates for
    the team (the other member's page shows it), pressing it again withdraws it."""
    scene = rate_scene(server.url, rated=3, kept=0, seed=5)
    first, second = scene["members"][scene["team_ids"][1]]
    base = scene["join_url"].rsplit("/j/", 1)[0]
    tablet = open_board(contexts(viewport=TABLET, has_touch=True, is_mobile=False), f"{base}/p/{first['token']}")
    tablet.locator("#matrix-toggle").click()
    unrated = "f10"  # not among the 3 rated: the list puts it first, with the others not yet rated
    item = tablet.locator(f'.rating-list [data-rate-card="{unrated}"]')
    expect(item).to_be_visible()
    buttons = tablet.locator(".rating-list .rating-value")
    assert buttons.count() == 50 * 8
    for index in (0, 1, 7, 100, 399):
        box = buttons.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    press = item.locator('[data-axis="criticite"][data-value="3"]')
    press.tap()
    expect(press).to_have_attribute("aria-pressed", "true")
    other = BoardClient(server.url, second["token"])
    other.wait_for(lambda: other.replica.cards[unrated].ratings.get("criticite") == {scene["team_ids"][1]: 3})
    shoot(tablet, "tablet-rating-list", SHOTS)
    # The card's details dialog offers the same scales, showing the team's rating.
    tablet.locator("#matrix-toggle").click()
    tablet.locator(f'#deck-list [data-card="{unrated}"] .card-body, #deck-list [data-placed-card="{unrated}"] .entry-open').first.click()
    dialog = tablet.locator("#card-details")
    expect(dialog).to_be_visible()
    pressed = dialog.locator('[data-axis="criticite"][data-value="3"]')
    expect(pressed).to_have_attribute("aria-pressed", "true")
    box = dialog.locator('[data-axis="capacite_agir"][data-value="4"]').bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    shoot(tablet, "tablet-card-details-rating", SHOTS)
    pressed.tap()  # pressed again: the team's rating is withdrawn
    other.wait_for(lambda: "criticite" not in other.replica.cards[unrated].ratings)
    expect(pressed).to_have_attribute("aria-pressed", "false")
    other.close()
