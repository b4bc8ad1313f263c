"""The projector at full scale, as the room sees it at 1920×1080: read from the back, nothing cut or hidden.

On the full-scale scene (tests/fullscale.py: 62 deck cards and 10 new cards placed by 4 teams), measured in
chromium: the rendered size of every card title (CSS zoom included), the cards' boxes, the row separators,
the results beside the join code; and the facilitator's console driving what the projector shows.
"""
import os
import re
from pathlib import Path

import pytest
from browser import expect, open_board, wait_laid_out
from fullscale import TEAMS, build_full_scene

SCREEN = {"width": 1920, "height": 1080}
CARDS_ON_THE_BOARD = 72  # 62 deck cards and 10 new ones
# Screenshots to look at; with SCREENSHOTS=docs (`make screenshots`) they go to the README's folder.
SHOTS = str(Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "projector-full-{}.png") \
    if os.environ.get("SCREENSHOTS") == "docs" else "/tmp/projector-{}.png"

# Every visible card title, its rendered size two ways: the computed font size times the zoom of the
# element and all its ancestors, and the height of its first line box; plus every visible card's box.
RENDERED = """const zoomOf = (node) => { let z = 1; for (let n = node; n && n.nodeType === 1; n = n.parentElement)
    z *= parseFloat(getComputedStyle(n).zoom) || 1; return z; };
  const rendered = (node) => parseFloat(getComputedStyle(node).fontSize) * zoomOf(node);"""
MEASURE = """() => {
  """ + RENDERED + """
  const shown = [...document.querySelectorAll('.card')].filter((c) => c.checkVisibility());
  const titles = shown.map((c) => c.querySelector('.card-text'));
  return {
    ids: shown.map((c) => c.dataset.card),
    fonts: titles.map(rendered),
    lines: titles.map((t) => t.getClientRects()[0]?.height ?? 0),
    cut: shown.filter((c) => { const l = c.querySelector('.card-line') || c.querySelector('.card-body');
                               return l.scrollHeight > l.clientHeight + 1; })
              .map((c) => c.dataset.card),
    boxes: shown.map((c) => { const r = c.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }),
    screen: [innerWidth, innerHeight],
  };
}"""

# The same measure on a known case: 20 px type inside an element zoomed to one half renders at 10 px.
KNOWN_CASE = """() => {
  const outer = document.createElement('div');
  outer.style.zoom = '0.5';
  outer.innerHTML = '<div class="card" data-card="known"><p class="card-line"><span class="card-text">Texte témoin'
    + '</span></p></div>';
  outer.querySelector('.card-text').style.fontSize = '20px'; // through the CSSOM: the page's CSP drops style=""
  document.body.append(outer);
  return outer;
}"""


def measure(page):
    return page.evaluate(MEASURE)


def assert_the_measure_sees_zoom(page):
    """The font measure used below, checked on a case whose answer is known (zoom 0.5 × 20 px = 10 px)."""
    handle = page.evaluate_handle(KNOWN_CASE)
    try:
        known = measure(page)
        index = known["ids"].index("known")
        assert known["fonts"][index] == pytest.approx(10)
        assert 9 <= known["lines"][index] <= 14  # the line box is drawn at the zoomed size too
    finally:
        handle.evaluate("node => node.remove()")


def assert_inside_and_apart(seen):
    """Every card's box inside the screen, and no two cards' boxes overlapping."""
    width, height = seen["screen"]
    for card, (left, top, right, bottom) in zip(seen["ids"], seen["boxes"]):
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, (card, left, top, right, bottom)
    boxes = sorted(zip(seen["boxes"], seen["ids"]))
    for i, ((left, top, right, bottom), card) in enumerate(boxes):
        for (other_left, other_top, other_right, other_bottom), other in boxes[i + 1:]:
            if other_left >= right:
                break  # sorted by left edge: no later box can reach back over this one
            overlap = min(right, other_right) - max(left, other_left), min(bottom, other_bottom) - max(top, other_top)
            assert overlap[0] <= 0.5 or overlap[1] <= 0.5, f"{card} and {other} overlap"


def projector(contexts, scene):
    page = open_board(contexts(viewport=SCREEN), scene["projector_url"])
    wait_laid_out(page)
    return page



def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


@pytest.mark.parametrize("stage", ["placed", "revealed"])
def test_the_overview_of_a_full_board_fills_the_screen_and_every_title_reads_at_16_px_or_more(full_scene, contexts,
                                                                                              stage):
    scene = full_scene(stage)
    page = projector(contexts, scene)
    expect(page.locator("#join-corner")).to_be_visible()  # shown by default: the board leaves room for it
    assert_the_measure_sees_zoom(page)
    seen = measure(page)
    assert len(seen["ids"]) == CARDS_ON_THE_BOARD
    assert min(seen["fonts"]) >= 16, sorted(seen["fonts"])[:5]
    assert min(seen["lines"]) >= 16
    assert_inside_and_apart(seen)
    # The whole screen under the header: no third left empty under the grid.
    header_bottom = page.locator(".topbar").bounding_box()
    below = SCREEN["height"] - (header_bottom["y"] + header_bottom["height"])
    grid = page.locator("#panorama .grid").bounding_box()
    assert grid["height"] >= 0.9 * below, (grid["height"], below)
    assert grid["y"] + grid["height"] <= SCREEN["height"]
    page.screenshot(path=SHOTS.format(f"overview-{stage}"))


def test_every_row_of_the_panorama_stays_visibly_apart_from_the_next(full_scene, contexts):
    page = projector(contexts, full_scene("placed"))
    rows = page.evaluate("""() => [...document.querySelectorAll('#panorama .grid-row:not(.head)')].map((row) => {
      const cells = [...row.querySelectorAll('.cell')].map((c) => c.getBoundingClientRect());
      return {top: Math.min(...cells.map((r) => r.top)), bottom: Math.max(...cells.map((r) => r.bottom)),
              cell: getComputedStyle(row.querySelector('.cell')).backgroundColor}; })""")
    assert len(rows) == 8
    separator = rgb(page.locator("#panorama .grid").evaluate("g => getComputedStyle(g).backgroundColor"))
    for upper, lower in zip(rows, rows[1:]):
        assert lower["top"] - upper["bottom"] >= 2  # a line between them, at least 2 px thick...
        assert contrast(separator, rgb(upper["cell"])) >= 3  # ...that stands out against the cells
        assert contrast(separator, rgb(lower["cell"])) >= 3


def test_teams_are_told_apart_by_a_readable_name_or_tag_not_by_colour_alone(full_scene, contexts):
    page = projector(contexts, full_scene("placed"))
    cues = page.evaluate("""() => { """ + RENDERED + """
      return [...document.querySelectorAll('#panorama .card.has-team')].map((card) => {
      const cue = [...card.querySelectorAll('.card-team, .card-tag')].find((e) => e.checkVisibility());
      const state = window.atelier.connection.confirmed;
      const style = cue && getComputedStyle(cue);
      return cue && {card: card.dataset.card, team: state.teams.get(state.cards.get(card.dataset.card).team).name,
                     tag: cue.classList.contains('card-tag'), text: cue.textContent, font: rendered(cue),
                     ink: style.color, fill: style.backgroundColor}; }); }""")
    assert len(cues) == CARDS_ON_THE_BOARD and all(cues)
    legend = {}
    if any(cue["tag"] for cue in cues):
        # A crowded board shows short tags: the legend beside the grid names each one, as large.
        expect(page.locator("#team-legend")).to_be_visible()
        for name, _ in TEAMS:
            entry = page.locator("#team-legend li", has_text=name)
            expect(entry).to_be_visible()
            assert entry.evaluate("e => { " + RENDERED + " return rendered(e); }") >= 16
            legend[entry.locator(".card-tag").inner_text()] = name
        assert len(legend) == len(TEAMS)  # one tag per team, never two teams under one tag
    for cue in cues:
        assert cue["font"] >= 16, cue
        assert contrast(rgb(cue["ink"]), rgb(cue["fill"])) >= 4.5, cue
        assert (legend[cue["text"]] if cue["tag"] else cue["text"]) == cue["team"], cue


def test_the_console_steps_the_projector_through_one_domain_and_one_cell_in_large_type(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = projector(contexts, scene)
    console = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["facilitator_url"])
    console.get_by_role("button", name="Domaine suivant ▶").click()
    expect(console.locator("#projector-showing")).to_contain_text("Domaine 1 / 8")
    expect(page.locator("#focus-name")).to_contain_text("Domaine 1 / 8 : Socle commun")
    wait_laid_out(page)
    socle = measure(page)
    assert socle["ids"] and all(in_row(page, card, "socle") for card in socle["ids"])
    assert len(socle["ids"]) == 11  # the socle's 10 deck cards and its new one: the rest is off the screen
    assert min(socle["fonts"]) >= 28 and min(socle["lines"]) >= 28
    assert socle["cut"] == []  # whole titles on one domain
    assert_inside_and_apart(socle)
    page.screenshot(path=SHOTS.format("one-domain"))

    console.get_by_role("button", name="Domaine suivant ▶").click()
    expect(page.locator("#focus-name")).to_contain_text("Domaine 2 / 8 : Exploitation")
    wait_laid_out(page)
    exploitation = measure(page)
    assert exploitation["ids"] and all(in_row(page, card, "exploitation") for card in exploitation["ids"])
    assert min(exploitation["fonts"]) >= 28
    console.get_by_role("button", name="◀ Domaine précédent").click()
    expect(page.locator("#focus-name")).to_contain_text("Domaine 1 / 8")

    console.get_by_label("Afficher au projecteur").select_option(label="Traitement des données et SI × Techniques Métiers")
    expect(page.locator("#focus-name")).to_have_text("Traitement des données et SI × Techniques Métiers")
    wait_laid_out(page)
    cell = measure(page)
    assert sorted(cell["ids"]) == sorted(
        page.eval_on_selector_all('[data-zone="donnees_si/techniques"] .card', "cards => cards.map(c => c.dataset.card)"))
    assert len(cell["ids"]) == 8  # the busiest cell
    assert min(cell["fonts"]) >= 28 and min(cell["lines"]) >= 28 and cell["cut"] == []
    assert_inside_and_apart(cell)
    page.screenshot(path=SHOTS.format("one-cell"))

    console.get_by_role("button", name="Vue d’ensemble").click()
    expect(page.locator("#focus-name")).to_be_hidden()
    wait_laid_out(page)
    assert len(measure(page)["ids"]) == CARDS_ON_THE_BOARD
    expect(console.get_by_role("button", name="Vue d’ensemble")).to_be_disabled()
    # One more projector opened now shows what was chosen last: it is the board's, not the page's.
    console.get_by_role("button", name="◀ Domaine précédent").click()  # from the overview: the last domain
    expect(page.locator("#focus-name")).to_contain_text("Domaine 8 / 8")
    late = projector(contexts, scene)
    expect(late.locator("#focus-name")).to_contain_text("Domaine 8 / 8 : Management")


def in_row(page, card_id, row_id):
    return page.locator(f'[data-row="{row_id}"] [data-card="{card_id}"]').count() == 1


def test_the_results_share_the_screen_with_the_join_code_one_rank_a_line(full_scene, contexts):
    scene = full_scene("revealed")
    page = projector(contexts, scene)
    results, corner = page.locator("#results"), page.locator("#join-corner")
    expect(results).to_be_visible()
    expect(corner).to_be_visible()
    panel, join = results.bounding_box(), corner.bounding_box()
    apart = (panel["y"] + panel["height"] <= join["y"] or join["y"] + join["height"] <= panel["y"]
             or panel["x"] + panel["width"] <= join["x"] or join["x"] + join["width"] <= panel["x"])
    assert apart, (panel, join)
    lines = page.evaluate("""() => [...document.querySelectorAll('#results-list li')].map((li) => {
      const r = li.getBoundingClientRect(), p = document.getElementById('results').getBoundingClientRect();
      return {rank: li.querySelector('.rank').textContent, text: li.querySelector('.text').textContent,
              dots: li.querySelector('.dots').textContent, all: li.textContent,
              font: Math.min(...[...li.children].map((c) => parseFloat(getComputedStyle(c).fontSize))),
              box: [r.left, r.top, r.right, r.bottom], panel: [p.left, p.top, p.right, p.bottom]}; })""")
    assert len(lines) >= 8  # of the ten best; a line that cannot show whole is not shown at all
    ranks = []
    for line in lines:
        left, top, right, bottom = line["box"]
        panel_left, panel_top, panel_right, panel_bottom = line["panel"]
        assert 0 <= left and right <= SCREEN["width"] and 0 <= top and bottom <= SCREEN["height"], line
        assert panel_left <= left and right <= panel_right and panel_top <= top and bottom <= panel_bottom, line
        assert line["font"] >= 20, line
        # One rank a line: the rank once, the card's title, its dots once.
        assert re.fullmatch(r"n°\d+", line["rank"]) and re.fullmatch(r"\d+ ●", line["dots"]), line
        assert line["all"].count("n°") == 1 and line["all"].count("●") == 1 and line["text"], line
        ranks.append(int(line["rank"][2:]))
    assert ranks == sorted(ranks) and ranks[0] == 1
    page.screenshot(path=SHOTS.format("results-with-join-code"))
