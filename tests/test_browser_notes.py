"""Notes in the browser at full scale (NOTE2, NOTE4, NOTE7): the flagship's full scene (20 people in 4
teams, 62 cards placed, 10 new cards) on the notes test format, with 60 keywords written by the teams.
A participant's laptop (1366x768) shows each card's notes as chips under it, readable, not over other
cards; the card's dialog lists them by kind and adds one by keyboard alone, which another participant
and the projector see; the projector shows the notes of a domain in the room's type."""
from collections import Counter
from pathlib import Path

import pytest
from browser import expect, font_px, open_full_board, wait_laid_out
from notes_scene import build_notes_scene

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def scene(server):
    return build_notes_scene(server.url, notes=60)


def _boxes(page, selector):
    return page.locator(selector).evaluate_all(
        "(nodes) => nodes.map((n) => { const r = n.getBoundingClientRect();"
        " return {id: n.dataset.card || n.dataset.note || '', x: r.x, y: r.y, w: r.width, h: r.height,"
        " visible: r.width > 0 && r.height > 0}; })")


def _overlap(a, b):
    return a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1 and a["y"] < b["y"] + b["h"] - 1 \
        and b["y"] < a["y"] + a["h"] - 1


def test_notes_show_under_their_card_readable_and_over_no_other_card(scene, contexts):
    """NOTE4: every note is a chip inside its own card's element (never a card of its own in its zone),
    at 12 px or more; no card of the Panorama overlaps another, chips included; the count is on the card."""
    page = open_full_board(contexts(**LAPTOP), scene["people"][0]["board_url"])
    per_card = Counter(card for card, _, _ in scene["notes"].values())
    busiest = per_card.most_common(1)[0][0]
    expect(page.locator(f'#panorama [data-card="{busiest}"] .note-chip').first).to_be_visible()
    # No note is drawn as a card of its own.
    assert page.locator('#panorama [data-card^="note-"]').count() == 0
    for card_id, count in per_card.items():
        chips = page.locator(f'#panorama [data-card="{card_id}"] > .card-notes > .note-chip')
        shown = chips.count()
        assert shown == min(count, 6), (card_id, count, shown)
        expect(page.locator(f'#panorama [data-card="{card_id}"] .card-note-count')).to_have_text(
            "1 note" if count == 1 else f"{count} notes")
    chip = page.locator(f'#panorama [data-card="{busiest}"] .note-chip .note-text').first
    chip.scroll_into_view_if_needed()
    zoom = page.evaluate("parseFloat(getComputedStyle(document.getElementById('panorama')).zoom || '1')")
    assert font_px(chip) * zoom >= 12
    cards = [box for box in _boxes(page, "#panorama li.card") if box["visible"]]
    assert len(cards) == 72
    clashes = [(a["id"], b["id"]) for i, a in enumerate(cards) for b in cards[i + 1:] if _overlap(a, b)]
    assert not clashes, clashes[:5]
    # Each chip lies inside its card's box.
    card_box = next(box for box in cards if box["id"] == busiest)
    for box in _boxes(page, f'#panorama [data-card="{busiest}"] .note-chip'):
        assert card_box["y"] <= box["y"] and box["y"] + box["h"] <= card_box["y"] + card_box["h"] + 1
    page.locator(f'#panorama [data-card="{busiest}"]').scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "notes-participant-laptop.png"))


def test_a_note_added_by_keyboard_in_the_dialog_reaches_another_participant_and_the_projector(scene, contexts):
    """NOTE2, NOTE8: Enter opens the card, Tab reaches the field of a kind, typing and Enter adds the
    note; the dialog lists it under its kind; another participant's board and the projector show it."""
    projector = open_full_board(contexts(**PROJECTOR), scene["projector_url"])
    writer = open_full_board(contexts(**LAPTOP), scene["people"][1]["board_url"])
    reader = open_full_board(contexts(**LAPTOP), scene["people"][2]["board_url"])
    card_id = "new-1"
    writer.locator(f'#panorama [data-card="{card_id}"] .card-body').focus()
    writer.keyboard.press("Enter")
    dialog = writer.locator("#card-details")
    expect(dialog).to_be_visible()
    field = dialog.locator('[data-kind="question"] input')
    for _ in range(40):
        if writer.evaluate("document.activeElement?.closest('[data-kind]')?.dataset.kind") == "question":
            break
        writer.keyboard.press("Tab")
    expect(field).to_be_focused()
    writer.keyboard.type("Quel jumeau pour quel réseau ?")
    writer.keyboard.press("Enter")
    line = dialog.locator('[data-kind="question"] .note-line')
    expect(line.locator(".note-text")).to_have_text("Quel jumeau pour quel réseau ?")
    expect(line.locator(".note-author")).to_have_text("par Karim Benali")
    expect(line.get_by_role("button", name="Supprimer la note « Quel jumeau pour quel réseau ? »")).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    writer.screenshot(path=str(SHOTS / "notes-dialog.png"))
    chip = reader.locator(f'#panorama [data-card="{card_id}"] .note-chip')
    expect(chip).to_have_text("QQuel jumeau pour quel réseau ?")
    expect(chip).to_be_visible()
    writer.keyboard.press("Escape")
    expect(projector.locator(f'[data-card="{card_id}"] .note-chip')).to_contain_text("Quel jumeau")


def test_a_cell_sums_its_cards_notes_up_in_its_tooltip(scene, contexts):
    """NOTE4 (notesOf): a Panorama cell's tooltip names its cards' notes, the most repeated first."""
    page = open_full_board(contexts(**LAPTOP), scene["people"][3]["board_url"])
    by_zone = {}
    for card_id, _, text in scene["notes"].values():
        by_zone.setdefault(card_id, []).append(text)
    card_id = max(by_zone, key=lambda c: len(by_zone[c]))
    zone = page.locator(f'#panorama [data-card="{card_id}"]').evaluate("(n) => n.closest('[data-zone]').dataset.zone")
    cell = page.locator(f'#panorama [data-zone="{zone}"]')
    title = cell.get_attribute("title")
    assert title.splitlines()[1].startswith("Notes : ")
    for text in by_zone[card_id]:
        assert text in title


def test_the_projector_shows_a_domains_notes_in_the_rooms_type(server, scene, contexts):
    """NOTE7: on the projector led to one domain, every note of its cards is a chip of 18 px or more,
    inside its card, and no card overlaps another."""
    from fullscale import as_facilitator
    per_card = Counter(card for card, _, _ in scene["notes"].values())
    busiest = per_card.most_common(1)[0][0]
    projector = open_full_board(contexts(**PROJECTOR), scene["projector_url"])
    row = projector.locator(f'[data-card="{busiest}"]').evaluate("(n) => n.closest('[data-zone]').dataset.zone.split('/')[0]")
    as_facilitator(server.url, scene, ("set_projector", {"focus": {"kind": "row", "id": row}}))
    wait_laid_out(projector)
    projector.wait_for_timeout(300)
    chip = projector.locator(f'[data-card="{busiest}"] .note-chip .note-text').first
    expect(chip).to_be_visible()
    assert font_px(chip) >= 18
    cards = [box for box in _boxes(projector, "#stage li.card") if box["visible"]]
    clashes = [(a["id"], b["id"]) for i, a in enumerate(cards) for b in cards[i + 1:] if _overlap(a, b)]
    assert not clashes, clashes[:5]
    projector.screenshot(path=str(SHOTS / "notes-projector-domain.png"))


def test_undoing_a_deletion_brings_the_card_back_with_its_notes(server, contexts):
    """NOTE10: deleting my card takes its notes; ↶ Annuler writes the card and each note again, with
    their ids and kinds, for everyone."""
    from notes_scene import create_notes_workshop
    from realtime import BoardClient
    workshop = create_notes_workshop(server.url, participants=2)
    me, other = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    mine = BoardClient(server.url, me["token"])
    watcher = BoardClient(server.url, other["token"])
    try:
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        zone = "maintenance/techniques"
        assert mine.command("create_card", {"kind": "postit", "text": "Faire un prévisionnel", "zone_id": zone,
                                            "x": 0.5, "y": 0.5, "card_id": "troc-1"})["ok"]
        for n, (kind, text) in enumerate((("savoir", "Calculer des amortissements"), ("risque", "Trop optimiste"))):
            assert mine.command("create_card", {"kind": "postit", "text": text, "zone_id": zone, "x": 0, "y": 0,
                                                "card_id": f"troc-1-n{n}", "parent": "troc-1", "note_kind": kind})["ok"]
        page = open_full_board(contexts(**LAPTOP), me["board_url"])
        expect(page.locator('#panorama [data-card="troc-1"] .note-chip')).to_have_count(2)
        page.locator('#panorama [data-card="troc-1"] .card-edit').click()
        page.click("#card-delete")
        page.locator("dialog.confirm .confirm-yes").click()
        watcher.wait_for(lambda: "troc-1" not in watcher.replica.cards)
        assert not any(c.parent == "troc-1" for c in watcher.replica.cards.values())
        page.locator("#undo").click()
        watcher.wait_for(lambda: {"troc-1-n0", "troc-1-n1"} <= set(watcher.replica.cards))
        back = watcher.replica.cards
        assert (back["troc-1-n0"].parent, back["troc-1-n0"].note_kind, back["troc-1-n0"].text) == \
            ("troc-1", "savoir", "Calculer des amortissements")
        assert (back["troc-1-n1"].note_kind, back["troc-1"].zone) == ("risque", zone)
        expect(page.locator('#panorama [data-card="troc-1"] .note-chip')).to_have_count(2)
    finally:
        for client in (facilitator, mine, watcher):
            client.close()
