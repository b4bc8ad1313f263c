"""Links in the browser at full scale (LINK10): the factors map's last sequence with its 50 factors in 8
families, 20 people in 4 teams, and the seed's 11 themes under their 3 headings, each linked to 3 to 6
factors (tests/links_scene.py). A participant's laptop (1366x768) reads a theme's linked factors in its
dialog and adds one by keyboard alone, which another participant sees; the projector (1920x1080) shows
under each theme the titles of its factors in the room's type."""
import unicodedata
from pathlib import Path

import pytest
from browser import expect, font_px, open_card_details_by_keyboard, open_full_board, wait_laid_out
from fullscale import as_facilitator
from links_scene import THEMES, build_themes_scene, factors_map_format

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SHOTS = Path("/tmp")
DOCS_SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TITLES = {card["id"]: card["text"] for card in factors_map_format()["deck"]}


@pytest.fixture(scope="module")
def scene(server):
    workshop, themes = build_themes_scene(server.url)
    return {**workshop, "themes": themes}


def _inside(box, width, height):
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 1 and box["y"] + box["height"] <= height + 1


def test_a_themes_dialog_lists_its_factors_readable_with_buttons_a_finger_can_press(scene, contexts):
    """LINK10: the theme's author opens it: "Facteurs liés (n)" then each factor's title in link order,
    14 px or more, inside the 1366x768 window once scrolled to; each remove button, the search field and
    the Lier button 44 px or more. The board shows "↔ n" on the theme."""
    theme = max(scene["themes"], key=lambda t: len(t["factors"]))
    page = open_full_board(contexts(**LAPTOP), scene["participants"][scene["themes"].index(theme)]["board_url"])
    count = page.locator(f'[data-card="{theme["id"]}"] .card-link-count')
    expect(count).to_have_text(f"↔\u00a0{len(theme['factors'])}")
    expect(count).to_be_visible()
    dialog = open_card_details_by_keyboard(page, theme["id"])
    section = dialog.locator(".details-links")
    expect(section.locator(".links-heading")).to_have_text(f"Facteurs liés ({len(theme['factors'])})")
    titles = section.locator(".link-title")
    expect(titles).to_have_text([TITLES[f] for f in theme["factors"]])
    for i in range(titles.count()):
        line = section.locator(".link-line").nth(i)
        line.scroll_into_view_if_needed()
        assert font_px(titles.nth(i)) >= 14
        assert _inside(line.bounding_box(), 1366, 768), line.bounding_box()
        remove = line.get_by_role("button", name=f"Retirer le lien vers « {TITLES[theme['factors'][i]]} »")
        expect(remove).to_be_visible()
        box = remove.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    for control in (section.locator(".link-search"), section.locator(".link-submit")):
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box["height"] >= 44 and _inside(box, 1366, 768), box
    assert font_px(section.locator(".link-search")) >= 14
    section.locator(".links-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "links-dialog.png"))


def _folded(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def test_a_link_added_by_keyboard_shows_for_a_second_participant(scene, contexts):
    """LINK10: a teammate of a theme's author opens it with Enter, Tabs to the search, types part of a
    factor's title without its accents, presses Enter: the dialog lists the factor; another participant
    (another team) sees "↔ n+1" on the theme and the factor in its dialog, without the remove button."""
    themes = scene["themes"]
    theme = themes[4]  # written by participant 4 (team Rouge, as participant 0 and 8)
    writer = open_full_board(contexts(**LAPTOP), scene["participants"][8]["board_url"])
    reader = open_full_board(contexts(**LAPTOP), scene["participants"][1]["board_url"])  # team Bleu
    target = next(f for f in sorted(TITLES) if f not in theme["factors"] and len(TITLES[f].split()[0]) > 4
                  and _folded(TITLES[f]) != TITLES[f].lower())
    words = _folded(TITLES[target])
    matches = [f for f in TITLES if words in _folded(TITLES[f])]
    assert matches == [target], matches  # the whole folded title finds this one factor
    dialog = open_card_details_by_keyboard(writer, theme["id"])
    for _ in range(60):
        if writer.evaluate("document.activeElement?.id") == "link-search":
            break
        writer.keyboard.press("Tab")
    expect(dialog.locator("#link-search")).to_be_focused()
    writer.keyboard.type(words)
    expect(dialog.locator("#link-choices option")).to_have_count(1)
    writer.keyboard.press("Enter")
    titles = dialog.locator(".details-links .link-title")
    expect(titles).to_have_text([TITLES[f] for f in theme["factors"]] + [TITLES[target]])
    expect(dialog.locator("#link-search")).to_be_focused()
    writer.screenshot(path=str(SHOTS / "links-added-by-keyboard.png"))
    count = reader.locator(f'[data-card="{theme["id"]}"] .card-link-count')
    expect(count).to_have_text(f"↔\u00a0{len(theme['factors']) + 1}")
    shown = open_card_details_by_keyboard(reader, theme["id"])
    expect(shown.locator(".details-links .link-title").last).to_have_text(TITLES[target])
    expect(shown.locator(".details-links .link-remove")).to_have_count(0)
    expect(shown.locator(".details-links .link-add")).to_be_hidden()
    reader.screenshot(path=str(SHOTS / "links-reader.png"))
    # Put the scene back as it was for the other tests.
    writer.locator(f'.details-links [data-link="{target}"] .link-remove').click()
    expect(titles).to_have_count(len(theme["factors"]))


@pytest.mark.parametrize("heading", list(THEMES))
def test_the_projector_shows_under_each_theme_its_factors_readable_from_the_back(server, scene, contexts, heading):
    """LINK10: the projector led to one heading shows each of its themes with the titles of its factors
    under it, in link order, 18 px or more, inside the 1920x1080 screen."""
    as_facilitator(server.url, scene, ("set_projector", {"focus": {"kind": "zone", "id": heading}}))
    projector = open_full_board(contexts(**PROJECTOR), scene["projector_url"])
    wait_laid_out(projector)
    projector.wait_for_timeout(300)
    projector.screenshot(path=str(SHOTS / f"links-projector-{heading}.png"))
    themes = [theme for theme in scene["themes"] if theme["area"] == heading]
    assert len(themes) == len(THEMES[heading])
    for theme in themes:
        lines = projector.locator(f'[data-card="{theme["id"]}"] .card-links .card-link')
        expect(lines).to_have_text([TITLES[f] for f in theme["factors"]])
        for i in range(lines.count()):
            expect(lines.nth(i)).to_be_visible()
            assert font_px(lines.nth(i)) >= 18, (theme["id"], font_px(lines.nth(i)))
            assert _inside(lines.nth(i).bounding_box(), 1920, 1080), lines.nth(i).bounding_box()
    if heading == "theme-rh":  # the heading with the most themes: the picture of the docs
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        projector.screenshot(path=str(DOCS_SHOTS / "factors-themes.png"))


def test_the_projector_overview_counts_each_themes_factors_instead_of_listing_them(server, scene, contexts):
    """LINK10: on the overview (the map, its families and the three headings at once) fifty more lines
    would crowd the screen: there each theme shows the count of its factors, the lists are for a heading."""
    as_facilitator(server.url, scene, ("set_projector", {"focus": {"kind": "zone", "id": "theme-demande"}}),
                   ("set_projector", {"focus": {"kind": "overview"}}))
    projector = open_full_board(contexts(**PROJECTOR), scene["projector_url"])
    wait_laid_out(projector)
    projector.wait_for_timeout(300)
    projector.screenshot(path=str(SHOTS / "links-projector-overview.png"))
    assert projector.locator(".card-links").first.is_hidden()
    for theme in scene["themes"]:
        count = projector.locator(f'[data-card="{theme["id"]}"] .card-link-count')
        expect(count).to_be_visible()
        expect(count).to_have_text(f"↔\u00a0{len(theme['factors'])}")
