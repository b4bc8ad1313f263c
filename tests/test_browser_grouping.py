"""The console's "Suggérer des familles" in a real chromium on a laptop (1366×768) (GROUP5): on a
full-scale board whose free area holds the Troc's 51 competences as post-its, the facilitator asks,
reads the proposed families, renames one, moves cards between proposals (select and drag), discards
one; accepting sends `create_zone` once the canvas capability has it. Screenshots go to
/tmp/grouping-*.png."""
import re

import pytest
import requests

from browser import expect, open_board
from fullscale import as_facilitator, build_full_scene
from grouping_score import troc_cards

LAPTOP = {"width": 1366, "height": 768}
SHOTS = "/tmp/grouping-{}.png"


def snapshot(server, token):
    return requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()


@pytest.fixture
def troc_scene(server):
    """The full-scale scene (62 deck cards placed, 10 new cards) with the Troc's competences as
    post-its in its free area, "Parking"."""
    scene = build_full_scene(server.url, "placed")
    cards, truth = troc_cards()
    # "placed" is already in the sequence that opens writing cards.
    as_facilitator(server.url, scene, *(
        ("create_card", {"kind": "postit", "text": card["text"], "zone_id": "parking", "x": (i % 8) / 8,
                         "y": (i // 8) / 8, "card_id": card["id"]}) for i, card in enumerate(cards)))
    scene["truth"] = truth
    return scene


def unfold(page):
    """Open the panel, folded below the people on a board without a canvas area."""
    panel = page.locator(".grouping-control")
    panel.scroll_into_view_if_needed()
    if "folded" in panel.get_attribute("class"):
        panel.locator(".fold-toggle").click()
    return panel


def ask(page, zone="parking", count="auto"):
    panel = unfold(page)
    page.select_option("#grouping-zone", zone)
    page.select_option("#grouping-count", count)
    page.click("#grouping-ask")
    expect(page.locator("#grouping-status")).to_contain_text("familles proposées", timeout=30_000)
    return panel


def proposal(page, key):
    return page.locator(f'.grouping-proposal[data-proposal="{key}"]')


def card_texts(box):
    return box.locator(".grouping-card-text").all_text_contents()


def font_px(locator):
    return float(locator.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)"))


def test_the_facilitator_reads_proposed_families_and_edits_them_before_anything_is_sent(server, contexts, troc_scene):
    page = open_board(contexts(viewport=LAPTOP), troc_scene["facilitator_url"])
    version = page.evaluate("window.atelier.connection.confirmed.version")
    # Folded below the people, its line says what it could group.
    expect(page.locator(".grouping-control .fold-summary")).to_contain_text("zones tiennent des cartes à regrouper")
    page.locator(".grouping-control").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("folded"))
    options = page.locator("#grouping-zone option").all_text_contents()
    assert any(text.startswith("Parking (51 cartes)") for text in options), options
    ask(page)
    boxes = page.locator(".grouping-proposal:not(.grouping-ungrouped)")
    count = boxes.count()
    assert 5 <= count <= 17
    # Every competence is listed once, in a proposal or without a family.
    listed = page.locator(".grouping-card-text").all_text_contents()
    cards, _ = troc_cards()
    assert sorted(listed) == sorted(card["text"] for card in cards)

    # Readable on the laptop: the first proposals whole in the window, their text at least 14 px.
    first = boxes.first
    first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("proposals"))
    for box in (first, boxes.nth(1), boxes.nth(2)):
        expect(box).to_be_visible()
        bounds = box.bounding_box()
        assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= LAPTOP["width"], bounds
    for text in (first.locator(".grouping-label"), first.locator(".grouping-card-text").first,
                 first.locator(".grouping-move").first, first.locator(".grouping-accept")):
        assert font_px(text) >= 14, text
    assert first.locator(".grouping-accept").bounding_box()["height"] >= 44
    labels = [boxes.nth(i).locator(".grouping-label").input_value() for i in range(count)]
    assert all(labels) and any(label.startswith("Négocier") for label in labels), labels
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client

    # Rename the negotiation proposal; the other proposals' selects call it by its new name.
    negotiation = next(boxes.nth(i) for i in range(count) if labels[i].startswith("Négocier"))
    key = negotiation.get_attribute("data-proposal")
    negotiation.locator(".grouping-label").fill("Savoir négocier")
    other = boxes.nth(0) if boxes.nth(0).get_attribute("data-proposal") != key else boxes.nth(1)
    assert "Savoir négocier" in other.locator(".grouping-move").first.locator(f'option[value="{key}"]').text_content()

    # Move a card in with its select, keyboard-style: it joins the renamed proposal, the label stays.
    moved = other.locator(".grouping-card-text").first.text_content()
    other.locator(".grouping-move").first.select_option(key)
    assert moved in card_texts(proposal(page, key))
    assert proposal(page, key).locator(".grouping-label").input_value() == "Savoir négocier"
    # And one dragged back with the mouse onto a proposal beside it.
    dragged = proposal(page, key).locator(".grouping-card").first
    dragged_text = dragged.locator(".grouping-card-text").text_content()
    other_key = other.get_attribute("data-proposal")
    dragged.drag_to(proposal(page, other_key).locator(".grouping-count"), source_position={"x": 12, "y": 12})
    assert dragged_text in card_texts(proposal(page, other_key))
    assert dragged_text not in card_texts(proposal(page, key))

    # Discard a proposal: it goes, its cards wait without a family.
    last = boxes.nth(boxes.count() - 1)
    last_key, last_cards = last.get_attribute("data-proposal"), card_texts(last)
    last.locator(".grouping-discard").click()
    expect(proposal(page, last_key)).to_have_count(0)
    assert set(last_cards) <= set(card_texts(proposal(page, "ungrouped")))
    proposal(page, key).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("edited"))

    # Nothing of it reached the board: no command was sent, the parking still holds its 51 cards.
    assert page.evaluate("window.atelier.connection.confirmed.version") == version
    board = snapshot(server, troc_scene["admin_token"])
    assert board["version"] == version
    assert sum(card["zone"] == "parking" for card in board["cards"]) == 51


def test_accepting_sends_one_create_zone_with_the_edited_label_and_the_cards_moved_in(server, contexts, troc_scene):
    """What "Accepter" hands to the write path, read where the console sends commands; an empty name is
    refused in the panel and sends nothing."""
    page = open_board(contexts(viewport=LAPTOP), troc_scene["facilitator_url"])
    ask(page, count="9")
    # Record the commands the console sends, and answer them with a refusal, so the board stays as it is.
    page.evaluate("""() => {
      const connection = window.atelier.connection;
      window.sent = [];
      connection.send = (type, data) => { window.sent.push({ type, data }); return Promise.resolve({ ok: false, code: "conflict" }); };
    }""")
    boxes = page.locator(".grouping-proposal:not(.grouping-ungrouped)")
    first, second = boxes.nth(0), boxes.nth(1)
    first.locator(".grouping-label").fill("   ")
    first.locator(".grouping-accept").click()
    expect(first.locator(".grouping-note")).to_have_text("Donnez un nom à la famille pour l’accepter.")
    assert page.evaluate("window.sent.length") == 0

    key = first.get_attribute("data-proposal")
    moved_id = second.locator(".grouping-card").first.get_attribute("data-card-id")
    second.locator(".grouping-move").first.select_option(key)
    first = proposal(page, key)
    first.locator(".grouping-label").fill("Communiquer")
    expected = [item.get_attribute("data-card-id") for item in first.locator(".grouping-card").all()]
    first.locator(".grouping-accept").click()
    expect(first.locator(".grouping-note")).to_contain_text("Non créée")
    sent = page.evaluate("window.sent")
    assert [command["type"] for command in sent] == ["create_zone"]
    data = sent[0]["data"]
    assert data["label"] == "Communiquer" and data["area_id"] == "parking"
    assert moved_id in data["card_ids"] and data["card_ids"] == expected
    assert 0 <= data["x"] <= 1 and 0 <= data["y"] <= 1 and data["zone_id"]
    # Refused, the proposal stays as edited, to try again.
    assert first.locator(".grouping-label").input_value() == "Communiquer"


def test_the_panel_says_when_no_zone_has_cards_to_group(server, contexts):
    from conftest import create_workshop
    workshop = create_workshop(server.url)
    page = open_board(contexts(viewport=LAPTOP), workshop["facilitator_url"])
    # Folded, its line says so; open, the button cannot ask.
    expect(page.locator(".grouping-control .fold-summary")).to_have_text("Aucune zone ne tient encore deux cartes.")
    unfold(page)
    expect(page.locator("#grouping-status")).to_have_text("Aucune zone ne tient encore deux cartes.")
    expect(page.locator("#grouping-ask")).to_be_disabled()


@pytest.fixture
def canvas_scene(server):
    """A board whose format has a canvas area ("mur", where the group makes families) holding the Troc's
    competences: the flagship's own template with that area added, created through the template route."""
    from conftest import create_workshop
    first = create_workshop(server.url)
    template = requests.get(f"{server.url}/f/{first['admin_token']}/template.json", timeout=5).json()
    template["format"]["areas"].append({"id": "mur", "kind": "canvas", "label": {"fr": "Mur des compétences",
                                                                                 "en": "Competence wall"}})
    response = requests.post(f"{server.url}/workshops/document", json=template, timeout=10)
    assert response.status_code == 201, response.text
    scene = response.json()
    scene["admin_token"] = scene["facilitator_url"].rsplit("/", 1)[1]
    cards, _ = troc_cards()
    as_facilitator(server.url, scene, ("set_sequence", {"index": 2}), *(
        ("create_card", {"kind": "postit", "text": card["text"], "zone_id": "mur", "x": (i % 8) / 8,
                         "y": (i // 8) / 8, "card_id": card["id"]}) for i, card in enumerate(cards)))
    return scene


def test_accepting_a_proposal_makes_a_family_of_its_cards_with_the_edited_label(server, contexts, canvas_scene):
    page = open_board(contexts(viewport=LAPTOP), canvas_scene["facilitator_url"])
    # Beside a canvas area the panel is open by itself, that area chosen first.
    expect(page.locator(".grouping-control")).not_to_have_class(re.compile(r"\bfolded\b"))
    assert page.locator("#grouping-zone").input_value() == "mur"
    ask(page, zone="mur", count="9")
    boxes = page.locator(".grouping-proposal:not(.grouping-ungrouped)")
    labels = [boxes.nth(i).locator(".grouping-label").input_value() for i in range(boxes.count())]
    negotiation = boxes.nth(next(i for i, label in enumerate(labels) if label.startswith("Négocier")))
    key = negotiation.get_attribute("data-proposal")
    texts = card_texts(negotiation)
    negotiation.locator(".grouping-label").fill("Savoir négocier")
    negotiation.locator(".grouping-accept").click()
    expect(proposal(page, key)).to_have_count(0)
    expect(page.locator("#grouping-status")).to_contain_text("Savoir négocier")
    page.screenshot(path=SHOTS.format("accepted"))

    # The family is on the board (the status line above says so only after the acknowledgement).
    board = snapshot(server, canvas_scene["admin_token"])
    named = [zone for zone in board["zones"] if zone["kind"] == "family"
             and "Savoir négocier" in (zone["label"].values() if isinstance(zone["label"], dict) else [zone["label"]])]
    assert len(named) == 1
    inside = sorted(card["text"] for card in board["cards"] if card["zone"] == named[0]["id"])
    assert inside == sorted(texts)
    # The other proposals are still there to decide on.
    assert page.locator(".grouping-proposal:not(.grouping-ungrouped)").count() == len(labels) - 1
