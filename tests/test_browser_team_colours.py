"""Teams are never told apart by colour alone: at full scale every team card shows its team's mark and
name in text, and each team's colour band has a pattern of its own; the console offers distinct colours."""
from board.domain.decide import TEAM_COLOURS
from browser import expect, open_board
from conftest import create_workshop
from fullscale import TEAMS

TEAM_CARDS = """() => [...document.querySelectorAll('#panorama .card.has-team')].map((card) => {
  const label = card.querySelector('.card-team');
  const r = label.getBoundingClientRect();
  const style = getComputedStyle(label);
  return { id: card.dataset.card, text: label.textContent, shown: r.width > 0 && r.height > 0 && style.visibility === 'visible',
           clipped: label.scrollWidth > label.clientWidth + 1, fontSize: parseFloat(style.fontSize),
           band: getComputedStyle(card).borderLeftStyle, colour: getComputedStyle(card).borderLeftColor };
})"""


def test_every_team_card_shows_its_team_in_text_with_a_mark_and_a_band_pattern_per_team(full_scene, contexts):
    scene = full_scene("placed")
    page = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["people"][0]["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    cards = page.evaluate(TEAM_CARDS)
    assert len(cards) == 72  # every card on the board was placed or written by a team
    names = [name for name, _ in TEAMS]
    by_team = {}
    for card in cards:
        mark, _, name = card["text"].partition("\u00a0")  # a no-break space keeps the mark with the name
        assert name in names, card
        assert card["shown"] and not card["clipped"] and card["fontSize"] >= 11, card
        by_team.setdefault(name, set()).add((mark, card["band"]))
    # One mark and one band pattern per team, and no two teams alike.
    assert all(len(looks) == 1 for looks in by_team.values()), by_team
    looks = [next(iter(v)) for v in by_team.values()]
    assert len({mark for mark, _ in looks}) == len({band for _, band in looks}) == 4, by_team
    # The name is visible on screen, not only in the page: the first card of each team, scrolled to.
    for name in names:
        label = page.locator("#panorama .card .card-team", has_text=name).first
        label.scroll_into_view_if_needed()
        expect(label).to_be_visible()
    page.locator("#panorama .card").first.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/keyboard-team-marks.png")


def test_the_console_offers_the_next_distinct_default_colour_for_a_new_team(server, full_scene, contexts):
    scene = full_scene("placed")
    console = open_board(contexts(), scene["facilitator_url"])
    expect(console.locator("#team-list li")).to_have_count(4)
    colour = console.locator('#team-form input[name="colour"]')
    expect(colour).to_have_value(TEAM_COLOURS[4])
    fresh = open_board(contexts(), create_workshop(server.url)["facilitator_url"])
    fresh_colour = fresh.locator('#team-form input[name="colour"]')
    expect(fresh_colour).to_have_value(TEAM_COLOURS[0])
    fresh.get_by_label("Nom de l’équipe").fill("Les Premiers")
    fresh.get_by_role("button", name="Créer l’équipe").click()
    expect(fresh.locator("#team-list li")).to_have_count(1)
    expect(fresh_colour).to_have_value(TEAM_COLOURS[1])  # the next team gets the next colour
