"""The facilitator's console, a removed participant's page and the teams panel, as a person sees them
at full scale (tests/fullscale.py) on the laptops of the room (1280×800, 1366×768) and at 1920×1080.

What is checked is what shows on screen: the sections in the afternoon's order, the vote panel on the
first screen in the vote sequence, its settings before the Open button, fields in a readable size, the
participants side by side, a removed participant's board greyed and inert with the reason said, and
why a team cannot be deleted said in words a click away. Screenshots go to /tmp/qa-room-*.png.
"""
import re

import pytest

from browser import expect, open_board, wait_laid_out
from fullscale import VOTE, as_facilitator, build_full_scene
from realtime import BoardClient

SIZES = [{"width": 1280, "height": 800}, {"width": 1366, "height": 768}, {"width": 1920, "height": 1080}]
SHOT = "/tmp/qa-room-{}.png"


def size_id(size):
    return f"{size['width']}x{size['height']}"


def inside_viewport(page, locator):
    """The element's box lies wholly inside the window (no scrolling needed to see it)."""
    box = locator.bounding_box()
    view = page.viewport_size
    assert box and box["width"] > 0 and box["height"] > 0, box
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= view["width"] and box["y"] + box["height"] <= view["height"], (box, view)
    return box


def on_top(page, locator):
    """Nothing else is drawn over the element's centre."""
    return locator.evaluate("""(node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return node === top || node.contains(top);
    }""")


@pytest.fixture(scope="module")
def vote_sequence_idle(server):
    """The full-scale scene moved on to the vote sequence, the vote not yet open (looked at only)."""
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}))
    return scene


def section_titles(page):
    """The console's section titles in reading order: by row on screen, then left to right (a panel
    hidden at this moment, like the deck import after the first sequence, is not read)."""
    boxes = page.eval_on_selector_all(".console > section > h2", """(titles) => titles.filter((h) => h.offsetParent).map((h) => {
        const r = h.getBoundingClientRect();
        return [Math.round(r.top), Math.round(r.left), h.textContent.trim()];
    })""")
    return [text for _, _, text in sorted(boxes)]


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_console_reads_in_the_afternoon_s_order_and_shows_the_vote_on_the_first_screen(
        contexts, vote_sequence_idle, size):
    page = open_board(contexts(viewport=size), vote_sequence_idle["facilitator_url"])
    titles = section_titles(page)
    order = ["Code pour rejoindre", "Séquence", "Équipes", "Vote des incontournables", "Projecteur"]
    assert [next(t for t in titles if t.startswith(name)) for name in order] == [
        t for t in titles if any(t.startswith(name) for name in order)], titles
    # Then the people; the panels of before and after the workshop, folded (its details, labels, material,
    # files, the synthesis); and last the personal data (forget someone, delete the workshop: the end).
    people = next(i for i, title in enumerate(titles) if title.startswith("Participants"))
    assert people > titles.index(next(t for t in titles if t.startswith("Projecteur"))), titles
    assert titles[-1].startswith("Données personnelles"), titles
    folded = page.locator(".console > section.folded")
    # With "Suggérer des familles" (open by itself only beside a canvas area) and "Poursuivre dans un
    # nouvel atelier" (open by itself once the results are revealed).
    expect(folded).to_have_count(7)
    for panel in folded.all():  # below the people, each a title and one line
        assert panel.bounding_box()["y"] > page.locator("section.participants").bounding_box()["y"]
        assert panel.bounding_box()["height"] < 160, panel.bounding_box()
    # In the vote sequence, the vote panel and its Open button are on the first screen, not under the teams.
    inside_viewport(page, page.locator("#vote-title"))
    expect(page.locator("#vote-open")).to_be_visible()
    inside_viewport(page, page.locator("#vote-open"))
    assert on_top(page, page.locator("#vote-open"))
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the console is {scroll} px wide on a {client} px screen"
    # The first row of panels fills the width: no empty column at its end.
    first_row = page.eval_on_selector_all(".console > section", """(sections) => {
        const top = sections[0].getBoundingClientRect().top;
        return Math.max(...sections.filter((s) => s.getBoundingClientRect().top === top).map((s) => s.getBoundingClientRect().right));
    }""")
    edge = page.eval_on_selector(".console > section.participants", "(n) => n.getBoundingClientRect().right")
    assert first_row >= edge - 1, f"the first row ends at {first_row} px, the page at {edge} px"
    # No field or button sticks out of its panel into the next one.
    outside = page.eval_on_selector_all(".console > section", """(sections) => sections.flatMap((section) => {
        const edge = section.getBoundingClientRect();
        return [...section.querySelectorAll("select, input, button, a")].filter((n) => n.offsetParent)
            .filter((n) => { const r = n.getBoundingClientRect(); return r.right > edge.right + 0.5 || r.left < edge.left - 0.5; })
            .map((n) => n.id || n.name || n.className || n.textContent.trim());
    })""")
    assert not outside, f"sticking out of their panel: {outside}"
    page.screenshot(path=SHOT.format(f"console-vote-idle-{size_id(size)}"))


def test_idle_the_vote_settings_come_before_the_open_button_and_after_it_once_open(server, contexts):
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("set_sequence", {"index": VOTE}))
    page = open_board(contexts(viewport=SIZES[1]), scene["facilitator_url"])
    budget = page.get_by_label("Gommettes par votant")
    opener = page.locator("#vote-open")
    expect(budget).to_be_visible()
    expect(opener).to_be_visible()
    # One sets the vote up, then opens it: the settings read first, the button under them.
    assert budget.bounding_box()["y"] + budget.bounding_box()["height"] <= opener.bounding_box()["y"]
    opener.click()
    closer = page.locator("#vote-close")
    expect(closer).to_be_visible()
    # Running, the action of the moment comes first and the folded settings after it.
    summary = page.locator("#vote-settings summary")
    assert closer.bounding_box()["y"] + closer.bounding_box()["height"] <= summary.bounding_box()["y"]


@pytest.mark.parametrize("size", SIZES[1:], ids=size_id)
def test_every_field_of_the_console_is_in_a_readable_size(contexts, full_scene, size):
    page = open_board(contexts(viewport=size), full_scene("voting")["facilitator_url"])
    sizes = page.eval_on_selector_all(".console select, .console input:not([type=checkbox]):not([type=color])",
                                      """(fields) => fields.filter((f) => f.offsetParent)
                                          .map((f) => [f.id || f.name || f.className, parseFloat(getComputedStyle(f).fontSize)])""")
    assert len(sizes) >= 20  # the projector's, the teams', the proxy's and every participant's fields
    small = [(name, px) for name, px in sizes if px < 16]
    assert not small, f"fields under 16 px: {small}"


def test_twenty_participants_sit_side_by_side_and_the_last_is_two_screens_down_at_most(contexts, full_scene):
    page = open_board(contexts(viewport=SIZES[1]), full_scene("placed")["facilitator_url"])
    people = page.locator("#participant-list > li")
    expect(people).to_have_count(20)
    lefts = {round(people.nth(i).bounding_box()["x"]) for i in range(20)}
    assert len(lefts) >= 3, f"the participants stand in {len(lefts)} column(s)"
    last = people.nth(19)
    last.scroll_into_view_if_needed()
    expect(last).to_be_visible()
    # The last person is at most two screens below the first one (the folded panels of before and
    # after the workshop and the personal data come after the people).
    bottom = page.evaluate("document.querySelector('#participant-list > li:last-child').getBoundingClientRect().bottom"
                           " + window.scrollY")
    assert bottom <= 3 * SIZES[1]["height"], bottom
    # Each row's team reads whole in its select ("sans équipe" was cut to "sans équip" beside the
    # "Voir comme…" link): the chosen option's text, in the select's own font, fits inside it with
    # its padding and the arrow.
    cut = page.eval_on_selector_all("#participant-list > li > select", """(selects) => {
        const ruler = document.createElement("canvas").getContext("2d");
        return selects.filter((s) => s.offsetParent).map((s) => {
          const style = getComputedStyle(s);
          ruler.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const text = s.options[s.selectedIndex]?.text ?? "";
          const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
          return [text, Math.round(ruler.measureText(text).width), Math.round(room)];
        }).filter(([, width, room]) => width > room);
      }""")
    page.screenshot(path=SHOT.format("console-participants"), full_page=True)
    assert not cut, f"team selects too narrow for their text (text, width, room): {cut[:3]}"


def test_a_removed_participant_s_board_is_greyed_and_inert_under_a_banner_that_says_why(server, contexts):
    scene = build_full_scene(server.url, "placed")
    person = scene["people"][3]
    page = open_board(contexts(viewport=SIZES[1]), person["board_url"])
    card = page.locator(".panorama [data-card] .card-body").first
    expect(card).to_be_visible()
    as_facilitator(server.url, scene, ("remove_participant", {"participant_id": person["participant_id"]}))
    banner = page.locator("#banner")
    expect(banner).to_contain_text("L’animation vous a retiré de cet atelier")
    expect(banner).to_contain_text("n’est plus mis à jour")
    inside_viewport(page, banner)
    assert on_top(page, banner)
    # The board under it is greyed: a glance says it is not live any more.
    workspace = page.locator(".workspace")
    assert float(workspace.evaluate("(n) => getComputedStyle(n).opacity")) <= 0.5
    assert "grayscale" in workspace.evaluate("(n) => getComputedStyle(n).filter")
    # And inert: no card takes the focus, no button of the toolbar answers, Tab never lands on the board.
    assert workspace.evaluate("(n) => n.inert") and page.locator(".topbar .tools").evaluate("(n) => n.inert")
    card.click(force=True)
    assert not card.evaluate("(n) => n.contains(document.activeElement)")
    page.locator("#new-postit").click(force=True)
    assert not page.locator("#card-form").is_visible()
    for _ in range(6):
        page.keyboard.press("Tab")
        assert not page.evaluate("document.activeElement?.closest?.('.workspace, .tools') != null")
    page.screenshot(path=SHOT.format("removed"))


def test_a_team_that_cannot_be_deleted_says_why_in_words_on_click_or_enter(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = open_board(contexts(viewport=SIZES[1]), scene["facilitator_url"])
    production = page.locator(f"#team-list [data-team='{scene['teams'][0]}']")
    delete = production.locator(".team-delete")
    reason = production.locator(".team-delete-reason")
    expect(delete).to_be_visible()
    expect(reason).to_be_hidden()
    # A mouse click on the greyed ✕ (a hover tooltip is no answer on a tablet, nor to a keyboard).
    box = delete.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(reason).to_be_visible()
    expect(reason).to_have_text(re.compile(r"^« Production » a encore 5 membre\(s\) et \d+ carte\(s\) : "
                                           r"seule une équipe vide peut être supprimée\.$"))
    inside_viewport(page, reason)
    assert float(reason.evaluate("(n) => getComputedStyle(n).fontSize").removesuffix("px")) >= 14
    expect(page.locator("dialog.confirm")).to_have_count(0)  # nothing asked, nothing deleted
    expect(production).to_be_visible()
    page.screenshot(path=SHOT.format("team-delete-why"))
    # The keyboard reaches the same ✕ and hears why with it (described by the same words).
    other = page.locator(f"#team-list [data-team='{scene['teams'][1]}']")
    other.locator(".team-domain-select").focus()
    page.keyboard.press("Tab")
    assert other.locator(".team-delete").evaluate("(n) => n === document.activeElement")
    page.keyboard.press("Enter")
    expect(other.locator(".team-delete-reason")).to_be_visible()
    assert other.locator(".team-delete").get_attribute("aria-describedby") == \
        other.locator(".team-delete-reason").get_attribute("id")


PROJECTOR = {"width": 1920, "height": 1080}



def test_on_the_projector_a_team_s_mark_stays_with_its_name_and_the_code_is_never_cut(server, contexts):
    scene = build_full_scene(server.url, "revealed")  # the dots beside the badges, the results beside the grid
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:  # one domain, the code shown: the narrow second column, where a badge broke in two
        assert facilitator.command("set_projector", {"show_join": True, "focus": {"kind": "row", "id": "maintenance"}})["ok"]
    finally:
        facilitator.close()
    page = open_board(contexts(viewport=PROJECTOR), scene["projector_url"])
    wait_laid_out(page)
    # A team badge's first word ("▲ Ingénierie") is on one line: its mark never alone at a line's end.
    broken = page.eval_on_selector_all("#panorama .card .card-team", """(labels) => labels
        .filter((label) => label.checkVisibility()).filter((label) => {
            const text = label.firstChild;
            const gap = text.textContent.search(/[\\s\\u00a0]/);
            const top = (from) => { const r = document.createRange(); r.setStart(text, from); r.setEnd(text, from + 1);
                                   return r.getBoundingClientRect().top; };
            return Math.abs(top(0) - top(gap + 1)) > 2;  // the mark and the name's first letter on two lines
        }).map((label) => label.textContent)""")
    assert page.locator("#panorama .card .card-team").count() >= 8
    assert broken == [], f"team badges split over two lines: {broken}"
    # The join address breaks after its host if it must, never inside the code people copy.
    path = page.locator("#join-corner .url-path")
    expect(path).to_have_text(f"/j/{scene['join_code']}")
    inside_viewport(page, path)
    assert path.evaluate("(n) => n.getClientRects().length") == 1
    page.screenshot(path=SHOT.format("projector-row-code"))


@pytest.mark.parametrize("path", ["/p/no-such-token", "/f/no-such-token", "/s/no-such-token", "/nowhere"])
def test_a_dead_link_gets_the_site_s_page_in_french_with_the_way_to_join(server, contexts, path):
    page = contexts(viewport=SIZES[1]).new_page()
    answer = page.goto(server.url + path)
    assert answer.status == 404
    expect(page.locator(".page-head .brand")).to_be_visible()  # the site's own page, not the framework's
    expect(page.locator("h1")).to_have_text("Impossible")
    message = page.get_by_role("alert")
    expect(message).to_contain_text("Ce lien n’ouvre aucun atelier ici")
    assert "Not Found" not in page.content()
    way = page.get_by_role("link", name="Rejoindre un atelier avec un code")
    inside_viewport(page, way)
    page.screenshot(path=SHOT.format("dead-link"))
    way.click()
    expect(page.locator(".join-form input[name=code]")).to_be_visible()
