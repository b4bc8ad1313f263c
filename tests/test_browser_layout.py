"""The board's layout at full scale (issue 9, points 7, 11, 13 and 14), measured in a real chromium:
how much a 1366×768 laptop shows, fit and zoom that keep text readable, new cards where their author
looks, others' drag labels, and the phone."""
import math

import requests

from browser import card, expect, open_board, server_version, wait_version
from fullscale import as_facilitator, build_full_scene, deck
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
ZOOMED_200 = {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2}  # 1366×768 at 200 %
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
STALL_MS, MAX_GHOSTS = 1500, 8  # static/js/ghosts.js


def rendered_px(page, selector):
    """Font sizes as drawn on screen (CSS px), the Panorama's zoom included, of the visible matches."""
    return page.locator(selector).evaluate_all(
        "nodes => nodes.filter((n) => n.getClientRects().length)"
        ".map((n) => parseFloat(getComputedStyle(n).fontSize) * n.currentCSSZoom)")


def panorama_zoom(page):
    return float(page.evaluate("getComputedStyle(document.getElementById('panorama')).zoom"))


def inside(box, frame, slack=0.5):
    return (box["x"] >= frame["x"] - slack and box["y"] >= frame["y"] - slack
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + slack
            and box["y"] + box["height"] <= frame["y"] + frame["height"] + slack)


def viewport_box(page):
    """The part of the board area on screen: the scrolling viewport, cut by the window."""
    return page.evaluate("""(() => { const v = document.getElementById('viewport').getBoundingClientRect();
      return {x: v.left, y: v.top, width: Math.min(v.right, innerWidth) - v.left,
              height: Math.min(v.bottom, innerHeight) - v.top}; })()""")


def test_a_1366_laptop_shows_four_domains_at_100_percent_with_cards_several_to_a_line(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    page.wait_for_timeout(200)  # the first fit
    assert panorama_zoom(page) == 1
    frame = viewport_box(page)
    heads = page.locator("#panorama .row-head")
    whole = [heads.nth(i).inner_text() for i in range(heads.count()) if inside(heads.nth(i).bounding_box(), frame)]
    assert len(whole) >= 4, whole
    # Several cards to a line: in the first domain, some cells hold cards side by side.
    tops = page.locator('#panorama [data-zone="socle/capacites"] .card').evaluate_all(
        "nodes => nodes.map((n) => Math.round(n.getBoundingClientRect().top))")
    assert len(tops) > len(set(tops)), tops
    assert min(rendered_px(page, "#panorama .card-text")) >= 12
    # Titles are clamped to keep cards small; a focused card shows its whole title.
    clamped = page.locator("#panorama .card-text").evaluate_all(
        "nodes => nodes.filter((n) => n.scrollHeight > n.clientHeight + 1).map((n) => n.closest('[data-card]').dataset.card)")
    assert clamped
    card(page, clamped[0]).focus()
    text = page.locator(f'#panorama [data-card="{clamped[0]}"] .card-text')
    assert text.evaluate("n => n.scrollHeight <= n.clientHeight + 1")
    assert text.is_visible()


def test_the_panoramas_headers_stay_in_view_while_it_scrolls(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator("#panorama .card").first).to_be_visible()
    for _ in range(4):
        page.get_by_role("button", name="Zoomer", exact=True).click()  # wider than the screen: both ways
    page.locator("#viewport").evaluate("v => { v.scrollTop = 900; v.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    frame = viewport_box(page)
    for head in (page.locator(".column-head").first, page.locator(".column-head").last):
        box = head.bounding_box()
        assert abs(box["y"] - frame["y"]) < 2 and box["height"] > 10  # stuck to the top
    shown = [h for h in page.locator(".row-head").all() if inside(h.bounding_box(), {**frame, "height": 10_000})]
    assert shown and all(abs(h.bounding_box()["x"] - frame["x"]) < 2 for h in shown)  # stuck to the left
    # And nothing covers them: the header is what is drawn at its own middle.
    assert page.evaluate("""(() => { const h = document.querySelector('.column-head'); const b = h.getBoundingClientRect();
      return h.contains(document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)); })()""")


def test_fit_to_screen_keeps_card_text_readable(full_scene, contexts):
    page = open_board(contexts(**LAPTOP), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    page.get_by_role("button", name="Ajuster à l’écran").click()
    assert panorama_zoom(page) < 1  # it did shrink the board...
    assert min(rendered_px(page, "#panorama .card-text")) >= 12  # ...but not below readable text


def test_at_200_percent_browser_zoom_the_fit_never_makes_the_panorama_smaller_than_at_100(full_scene, contexts):
    url = full_scene("placed")["people"][0]["board_url"]
    normal = open_board(contexts(**LAPTOP), url)
    zoomed = open_board(contexts(**ZOOMED_200), url)
    for page in (normal, zoomed):
        expect(page.locator("#panorama .card")).to_have_count(72)
        page.wait_for_timeout(200)
    at_100 = min(rendered_px(normal, "#panorama .card-text"))
    ratio = zoomed.evaluate("devicePixelRatio")
    assert ratio == 2
    # Device pixels: what the eye sees. The automatic fit, then the fit button.
    assert min(rendered_px(zoomed, "#panorama .card-text")) * ratio >= at_100
    assert panorama_zoom(zoomed) * ratio >= 1
    if zoomed.locator("#menu-toggle").is_visible():  # 683 px wide: the narrow layout, tools in its menu
        zoomed.locator("#menu-toggle").click()
    zoomed.get_by_role("button", name="Ajuster à l’écran").click()
    assert min(rendered_px(zoomed, "#panorama .card-text")) * ratio >= at_100
    assert panorama_zoom(zoomed) * ratio >= 1


def test_ctrl_wheel_and_pinch_zoom_in_proportion_to_the_gesture(full_scene, contexts):
    url = full_scene("placed")["people"][0]["board_url"]
    page = open_board(contexts(**LAPTOP), url)
    expect(page.locator("#panorama .card").first).to_be_visible()
    page.mouse.move(500, 400)
    page.keyboard.down("Control")
    start = panorama_zoom(page)
    page.mouse.wheel(0, -10)  # a small trackpad pinch
    page.wait_for_timeout(100)
    small = panorama_zoom(page)
    page.mouse.wheel(0, -100)  # a whole wheel notch
    page.wait_for_timeout(100)
    big = panorama_zoom(page)
    page.keyboard.up("Control")
    assert 1 < small / start < 1.05  # a small gesture, a small step (not 10 %)
    assert 1.05 < big / small < 1.3
    # Two fingers on a tablet: the board follows the distance between them.
    tablet = open_board(contexts(**TABLET), url)
    expect(tablet.locator("#panorama .card").first).to_be_visible()
    cdp = tablet.context.new_cdp_session(tablet)
    before = panorama_zoom(tablet)
    cx, cy = 350, 450
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": cx - 50, "y": cy, "id": 1},
                                                                              {"x": cx + 50, "y": cy, "id": 2}]})
    seen = []
    for step in range(1, 11):
        half = 50 + 5 * step  # the fingers spread from 100 px to 200 px apart
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": cx - half, "y": cy, "id": 1},
                                                                                 {"x": cx + half, "y": cy, "id": 2}]})
        seen.append(panorama_zoom(tablet))
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert math.isclose(seen[-1] / before, 2, rel_tol=0.08), seen
    steps = [b / a for a, b in zip([before, *seen], seen)]
    assert all(1 < s < 1.15 for s in steps), steps  # smooth: every move a small step up


def test_a_new_postit_appears_where_its_author_is_looking_with_the_focus(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    other = BoardClient(server.url, scene["people"][1]["token"])
    try:
        expect(page.locator("#panorama .card")).to_have_count(72)
        page.locator('[data-zone="maintenance/techniques"]').scroll_into_view_if_needed()
        page.get_by_role("button", name="+ Post-it").click()
        zone = page.locator("#card-form select[name=zone]").input_value()
        assert zone != "parking"
        zone_box = page.locator(f'#panorama [data-zone="{zone}"]').bounding_box()
        assert inside({**zone_box, "height": 1}, viewport_box(page))  # a zone on screen
        page.locator("#card-form textarea[name=text]").fill("Penser aux astreintes du week-end")
        page.get_by_role("button", name="Enregistrer").click()
        created = page.locator("#panorama .card").filter(has_text="Penser aux astreintes du week-end")
        expect(created).to_be_visible()
        expect(created.locator(".card-body")).to_be_focused()
        assert inside(created.bounding_box(), viewport_box(page))
        assert created.evaluate("n => n.closest('[data-zone]').dataset.zone") == zone
        other.wait_for(lambda: any(c.text == "Penser aux astreintes du week-end" and c.zone == zone
                                   for c in other.replica.cards.values()))
    finally:
        other.close()


def test_others_drag_labels_stay_inside_the_board_and_go_when_drags_stall(full_scene, server, contexts):
    scene = full_scene("placed")  # drags are never stored: the shared scene is not changed
    page = open_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    draggers = [BoardClient(server.url, person["token"]) for person in scene["people"][1:13]]
    # Each drags one of its own team's cards: another team's would not be relayed (the move rule).
    own = {team: [c["id"] for c in draggers[0].state()["cards"] if c["team"] == team] for team in scene["teams"]}
    cards = [own[scene["team_of"][person["participant_id"]]].pop() for person in scene["people"][1:13]]
    try:
        corners = [(0, 0), (1, 0), (0, 1), (1, 1), (0.5, 1), (1, 0.5)]
        for round_ in range(6):
            for i, dragger in enumerate(draggers):
                x, y = corners[(i + round_) % len(corners)]
                dragger.emit("drag", {"card_id": cards[i], "zone_id": None, "x": x, "y": y, "active": True})
            page.wait_for_timeout(40)
        ghosts = page.locator("#panorama .ghost")
        expect(ghosts.first).to_be_visible()
        page.wait_for_timeout(150)
        assert 1 <= ghosts.count() <= MAX_GHOSTS
        board = page.locator("#panorama").bounding_box()
        for box in ghosts.evaluate_all("nodes => nodes.map((n) => { const b = n.getBoundingClientRect();"
                                       " return {x: b.left, y: b.top, width: b.width, height: b.height}; })"):
            assert inside(box, board), (box, board)
        # Nobody sends "drag ended" (lost under load): the labels go once the drags stall.
        expect(ghosts).to_have_count(0, timeout=STALL_MS + 2000)
        # A drag that ends says so: its label goes at once.
        draggers[0].emit("drag", {"card_id": cards[0], "x": 0.5, "y": 0.5, "active": True})
        expect(ghosts).to_have_count(1)
        draggers[0].emit("drag", {"card_id": cards[0], "x": 0.5, "y": 0.5, "active": False})
        expect(ghosts).to_have_count(0, timeout=STALL_MS - 500)
    finally:
        for dragger in draggers:
            dragger.close()


# -- the phone --------------------------------------------------------------------------------------

def visible_cells(page):
    return [c for c in page.locator("#panorama .cell").all() if c.is_visible()]


def test_the_phone_shows_one_domain_at_a_time_under_a_compact_toolbar(full_scene, contexts):
    page = open_board(contexts(**PHONE), full_scene("placed")["people"][0]["board_url"])
    expect(page.locator("#panorama .card").first).to_be_visible()
    assert page.locator(".topbar").bounding_box()["height"] <= 0.15 * 844
    expect(page.get_by_role("button", name="+ Post-it")).to_be_hidden()  # behind the menu
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="+ Post-it")).to_be_visible()
    expect(page.locator(".menu-instruction")).to_contain_text("Complétez le Panorama")  # what to do now
    page.get_by_role("button", name="Menu").click()
    # One domain: its two cells, one under the other, at full width; text large enough to read.
    cells = visible_cells(page)
    assert [c.get_attribute("data-zone") for c in cells] == ["socle/techniques", "socle/capacites"]
    first, second = cells[0].bounding_box(), cells[1].bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1 and first["width"] > 330
    picker = page.locator("#domain-picker")
    expect(picker).to_be_visible()
    assert min(rendered_px(page, "#domain-picker")) >= 14
    assert min(rendered_px(page, "#panorama .card-text")) >= 14
    assert page.locator("#panorama .cell").first.evaluate(
        "n => parseFloat(getComputedStyle(n, '::before').fontSize) * n.currentCSSZoom") >= 14
    assert page.locator(".domain-bar").bounding_box()["width"] <= 390
    # Next domain.
    page.get_by_role("button", name="Domaine suivant").click()
    assert [c.get_attribute("data-zone") for c in visible_cells(page)] == ["exploitation/techniques",
                                                                          "exploitation/capacites"]
    expect(picker).to_have_value("1")
    # The deck: a sheet opened by a button, closed again.
    deck_panel = page.locator("#deck-panel")
    expect(deck_panel).to_be_hidden()
    page.get_by_role("button", name="Cartes", exact=True).click()
    expect(deck_panel).to_be_visible()
    assert inside(deck_panel.bounding_box(), {"x": 0, "y": 0, "width": 390, "height": 844})
    expect(page.locator("#deck-search")).to_be_focused()
    page.locator("#deck-close").click()
    expect(deck_panel).to_be_hidden()


def test_a_participant_writes_a_postit_and_puts_a_dot_from_the_phone(server, contexts):
    scene = build_full_scene(server.url, "placed")
    me = scene["people"][0]
    page = open_board(contexts(**PHONE), me["board_url"])
    expect(page.locator("#panorama .card").first).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="+ Post-it").click()
    dialog = page.locator("#card-dialog")
    expect(dialog).to_be_visible()
    assert inside(dialog.bounding_box(), {"x": 0, "y": 0, "width": 390, "height": 844})
    page.locator("#card-form textarea[name=text]").fill("Former les nouveaux au tableau")
    page.get_by_role("button", name="Enregistrer").click()
    created = page.locator("#panorama .card").filter(has_text="Former les nouveaux au tableau")
    expect(created).to_be_visible()
    expect(created.locator(".card-body")).to_be_focused()
    zone = created.evaluate("n => n.closest('[data-zone]').dataset.zone")
    assert zone.startswith("socle/")  # the domain shown on the phone
    state = requests.get(server.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {scene['admin_token']}"}).json()
    assert any(c["text"] == "Former les nouveaux au tableau" and c["zone"] == zone for c in state["cards"])
    # The vote opens: a dot from the phone, with a button a finger can hit.
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": 3})["ok"]
        assert facilitator.command("open_vote", {})["ok"]
        version = facilitator.replica.version
    finally:
        facilitator.close()
    wait_version(page, version)
    target = deck()[0]["id"]
    more = page.locator(f'#panorama [data-card="{target}"] .dot-more')
    expect(more).to_be_visible()
    box = more.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert inside(box, {"x": 0, "y": 0, "width": 390, "height": 844}) or more.scroll_into_view_if_needed() is None
    before = server_version(page)
    more.tap()
    expect(page.locator(f'#panorama [data-card="{target}"] .dot-count')).to_have_text("●")
    wait_version(page, before + 1)
    state = requests.get(server.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {scene['admin_token']}"}).json()
    assert state["vote"]["dots"][me["participant_id"]] == {target: 1}
    assert card(page, target).is_visible()


def test_the_phone_places_a_card_from_the_deck_sheet_through_the_cards_dialog(server, contexts):
    scene = build_full_scene(server.url, "placed")
    back = deck()[0]["id"]
    as_facilitator(server.url, scene, ("move_card", {"card_id": back, "zone_id": "deck", "x": 0.5, "y": 1}))
    page = open_board(contexts(**PHONE), scene["people"][0]["board_url"])
    page.get_by_role("button", name="Cartes", exact=True).click()
    sheet = page.locator("#deck-panel")
    expect(sheet.locator(f'[data-card="{back}"]')).to_be_visible()
    # Placing from the phone: a tap opens the card whole, "Placer dans…" offers its suggested cell first.
    sheet.locator(f'[data-card="{back}"] .card-body').tap()
    dialog = page.locator("#card-details")
    expect(dialog).to_be_visible()
    assert inside(dialog.bounding_box(), {"x": 0, "y": 0, "width": 390, "height": 844}), dialog.bounding_box()
    suggested = f"{deck()[0]['domain']}/{deck()[0]['category']}"
    expect(dialog.locator("#card-details-zone")).to_have_value(suggested)
    place = dialog.get_by_role("button", name="Placer", exact=True)
    assert place.bounding_box()["height"] >= 44
    place.tap()
    expect(dialog).to_be_hidden()
    expect(sheet).to_be_hidden()
    expect(page.locator(f'#panorama [data-card="{back}"]')).to_be_visible()
    state = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {scene['admin_token']}"},
                         timeout=5).json()
    assert next(c for c in state["cards"] if c["id"] == back)["zone"] == suggested
