"""Undo on a participant's board at full scale (62 cards placed, 10 written, 20 people): my last move,
card written, edit or deletion taken back with the button or Ctrl+Z, seen by the others; refused, with a
message, when someone changed the card since; a deletion asks first."""
from fullscale import build_full_scene
from realtime import BoardClient

from browser import card, cell, drag_with_mouse, expect, open_board, wait_version

LAPTOP = {"width": 1366, "height": 768}
SOURCE, TARGET = "socle/techniques", "socle/capacites"  # the first row: both cells on screen at once


def placed_board(server, contexts):
    """A fresh full-scale scene in sequence 3 (cards may be moved and written); the board of a
    member of team Production (rows socle and exploitation) at 1366×768, and a replica of the board
    held by a teammate's python client."""
    scene = build_full_scene(server.url, "placed")
    me, mate = scene["people"][0], scene["people"][4]
    assert scene["team_of"][me["participant_id"]] == scene["team_of"][mate["participant_id"]]
    teammate = BoardClient(server.url, mate["token"])
    page = open_board(contexts(viewport=LAPTOP), me["board_url"])
    return scene, me, teammate, page


def team_cards_in(replica, zone, team):
    return sorted((c for c in replica.replica.cards.values() if c.zone == zone and c.team == team and c.kind == "deck"),
                  key=lambda c: c.id)


def seen(teammate, predicate):
    """Wait until the teammate's replica of the board satisfies `predicate(board)`."""
    teammate.wait_for(lambda: predicate(teammate.replica))


def test_moves_undone_with_the_button_go_back_where_they_were_for_everyone(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    try:
        team = scene["team_of"][me["participant_id"]]
        first, second = team_cards_in(teammate, SOURCE, team)[:2]
        origins = {c.id: (c.zone, c.x, c.y) for c in (first, second)}
        undo = page.locator("#undo")
        expect(undo).to_be_visible()
        expect(undo).to_be_disabled()  # nothing to take back yet
        for moved in (first, second):
            drag_with_mouse(page, card(page, moved.id), cell(page, TARGET))()
            seen(teammate, lambda b, i=moved.id: b.cards[i].zone == TARGET)
        expect(undo).to_be_enabled()
        expect(undo).to_have_attribute("title", f"Annuler le déplacement de « {second.text} » (Ctrl+Z)")
        page.screenshot(path="/tmp/undo-button.png")
        # Newest first: the second card goes back, then the first, each to its very place.
        undo.click()
        seen(teammate, lambda b: (b.cards[second.id].zone, b.cards[second.id].x, b.cards[second.id].y)
             == origins[second.id])
        expect(page.locator("#toast")).to_have_text(f"Annulé : le déplacement de « {second.text} ».")
        assert teammate.replica.cards[first.id].zone == TARGET
        undo.click()
        seen(teammate, lambda b: (b.cards[first.id].zone, b.cards[first.id].x, b.cards[first.id].y)
             == origins[first.id])
        expect(cell(page, SOURCE).locator(f'[data-card="{first.id}"]')).to_be_visible()
        expect(cell(page, SOURCE).locator(f'[data-card="{second.id}"]')).to_be_visible()
        expect(undo).to_be_disabled()
        expect(undo).to_be_focused()  # the button that ran out keeps the focus
        page.keyboard.press("Enter")  # pressed anyway: it says so
        expect(page.locator("#toast")).to_have_text("Rien à annuler.")
    finally:
        teammate.close()


def test_a_keyboard_move_is_undone_with_ctrl_z(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    try:
        team = scene["team_of"][me["participant_id"]]
        moved = team_cards_in(teammate, SOURCE, team)[0]
        body = card(page, moved.id)
        body.focus()
        for key in ("Space", "ArrowRight", "Enter"):  # Space picks up (Enter opens the card)
            page.keyboard.press(key)
        seen(teammate, lambda b: b.cards[moved.id].zone == TARGET)
        page.keyboard.press("Control+z")
        seen(teammate, lambda b: (b.cards[moved.id].zone, b.cards[moved.id].x, b.cards[moved.id].y)
             == (SOURCE, moved.x, moved.y))
        expect(cell(page, SOURCE).locator(f'[data-card="{moved.id}"]')).to_be_visible()
    finally:
        teammate.close()


def focused(page):
    """What has the focus: its class and the zone it is in."""
    return page.evaluate("""() => ({ className: document.activeElement.className,
        zone: document.activeElement.closest('[data-zone]')?.dataset.zone ?? null })""")


def write_card(page, text, description, zone):
    page.click("#new-card")
    form = page.locator("#card-form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("textarea[name=description]").fill(description)
    form.locator("select[name=zone]").select_option(zone)
    page.click("#card-save")


def own_card(teammate, text):
    return next((c for c in teammate.replica.cards.values() if c.text == text), None)


def test_an_edit_then_the_writing_are_undone_with_ctrl_z(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    try:
        write_card(page, "Tenir un tableau de bord d’astreinte", "Première description", SOURCE)
        seen(teammate, lambda b: own_card(teammate, "Tenir un tableau de bord d’astreinte") is not None)
        card_id = own_card(teammate, "Tenir un tableau de bord d’astreinte").id
        page.locator(f'[data-card="{card_id}"] .card-edit').click()
        form = page.locator("#card-form")
        form.locator("textarea[name=text]").fill("Tenir le tableau de bord des astreintes")
        form.locator("textarea[name=description]").fill("Seconde description")
        page.click("#card-save")
        seen(teammate, lambda b: b.cards[card_id].text == "Tenir le tableau de bord des astreintes")
        # Ctrl+Z from the board (the focus on the card, not in a text field).
        card(page, card_id).focus()
        page.keyboard.press("Control+z")
        seen(teammate, lambda b: (b.cards[card_id].text, b.cards[card_id].description)
             == ("Tenir un tableau de bord d’astreinte", "Première description"))
        expect(card(page, card_id)).to_contain_text("Tenir un tableau de bord d’astreinte")
        page.keyboard.press("Control+z")  # the writing itself, with the focus on the card
        seen(teammate, lambda b: card_id not in b.cards)
        expect(page.locator(f'[data-card="{card_id}"]')).to_have_count(0)
        # The focus went to a neighbour in the same cell, not to the page.
        assert focused(page) == {"className": "card-body", "zone": SOURCE}, focused(page)
    finally:
        teammate.close()


def test_a_deletion_asks_first_cancel_keeps_the_card_and_undo_brings_it_back_whole(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    try:
        write_card(page, "Préparer une visite de chantier", "Qui, quand, quels équipements.", TARGET)
        seen(teammate, lambda b: own_card(teammate, "Préparer une visite de chantier") is not None)
        written = own_card(teammate, "Préparer une visite de chantier")
        page.locator(f'[data-card="{written.id}"] .card-edit').click()
        page.click("#card-delete")
        question = page.locator("dialog.confirm")
        expect(question).to_be_visible()
        expect(question).to_contain_text("« Préparer une visite de chantier » sera retirée du tableau")
        page.screenshot(path="/tmp/undo-delete-confirm.png")
        version = teammate.replica.version
        question.locator(".confirm-no").click()
        expect(question).to_have_count(0)
        expect(page.locator("#card-dialog")).to_be_visible()  # back to the card, untouched
        expect(page.locator("#card-delete")).to_be_focused()
        page.click("#card-cancel")
        page.wait_for_timeout(300)
        assert teammate.replica.version == version and written.id in teammate.replica.cards
        expect(page.locator(f'#panorama [data-card="{written.id}"]')).to_be_visible()
        # Now for real, then taken back: the same id, text, description and place for everyone.
        page.locator(f'[data-card="{written.id}"] .card-edit').click()
        page.click("#card-delete")
        page.locator("dialog.confirm .confirm-yes").click()
        seen(teammate, lambda b: written.id not in b.cards)
        expect(page.locator(f'[data-card="{written.id}"]')).to_have_count(0)
        assert focused(page) == {"className": "card-body", "zone": TARGET}, focused(page)
        page.locator("#undo").click()
        seen(teammate, lambda b: written.id in b.cards)
        back = teammate.replica.cards[written.id]
        assert (back.text, back.description, back.zone, back.x, back.y, back.kind) == \
            (written.text, written.description, written.zone, written.x, written.y, written.kind)
        expect(cell(page, TARGET).locator(f'[data-card="{written.id}"]')).to_be_visible()
    finally:
        teammate.close()


def test_undo_is_refused_with_a_message_when_someone_moved_the_card_since(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    try:
        team = scene["team_of"][me["participant_id"]]
        earlier, moved = team_cards_in(teammate, SOURCE, team)[:2]
        drag_with_mouse(page, card(page, earlier.id), cell(page, TARGET))()
        seen(teammate, lambda b: b.cards[earlier.id].zone == TARGET)
        drag_with_mouse(page, card(page, moved.id), cell(page, TARGET))()
        seen(teammate, lambda b: b.cards[moved.id].zone == TARGET)
        # The teammate moves it on to the Parking.
        ack = teammate.command("move_card", {"card_id": moved.id, "zone_id": "parking", "x": 0.2, "y": 0.3})
        assert ack["ok"], ack
        wait_version(page, ack["version"])
        page.locator("#undo").click()
        expect(page.locator("#toast")).to_have_text(
            f"Impossible d’annuler le déplacement de « {moved.text} » : quelqu’un a changé cette carte depuis. "
            "Rien n’a été fait.")
        page.screenshot(path="/tmp/undo-refused.png")
        page.wait_for_timeout(300)
        assert teammate.replica.version == ack["version"]  # nothing was sent
        assert (teammate.replica.cards[moved.id].zone, teammate.replica.cards[moved.id].x) == ("parking", 0.2)
        # The refused step is gone from the stack: the next undo takes back the move before it.
        page.locator("#undo").click()
        seen(teammate, lambda b: b.cards[earlier.id].zone == SOURCE)
        assert teammate.replica.cards[moved.id].zone == "parking"
    finally:
        teammate.close()


def test_undo_refused_by_the_server_says_why_and_leaves_the_card(server, contexts):
    scene, me, teammate, page = placed_board(server, contexts)
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        team = scene["team_of"][me["participant_id"]]
        moved = team_cards_in(teammate, SOURCE, team)[0]
        drag_with_mouse(page, card(page, moved.id), cell(page, TARGET))()
        seen(teammate, lambda b: b.cards[moved.id].zone == TARGET)
        # The facilitator moves on to the vote, where participants may no longer move cards.
        ack = facilitator.command("set_sequence", {"index": 3})
        assert ack["ok"], ack
        wait_version(page, ack["version"])
        page.locator("#undo").click()
        expect(page.locator("#toast")).to_have_text(
            f"Impossible d’annuler le déplacement de « {moved.text} » : "
            "La séquence « Incontournables » ne permet pas cette action.")
        page.wait_for_timeout(300)
        assert teammate.replica.cards[moved.id].zone == TARGET
        expect(cell(page, TARGET).locator(f'[data-card="{moved.id}"]')).to_be_visible()
        expect(page.locator("#undo")).to_be_disabled()  # the refused step is not offered again
    finally:
        facilitator.close()
        teammate.close()
