"""The facilitator's suggested groupings over HTTP (GROUP4): proposals for one zone's cards, read only,
from the real server with cards written by a real socket client."""
import requests

from conftest import create_workshop
from grouping_score import troc_cards
from realtime import BoardClient

COMPLETE = 2  # the Atelier Compétences' sequence that opens writing cards


def troc_board(base_url, zone="parking"):
    """A workshop whose free area holds the Troc's 51 competences as post-its; (links, facilitator,
    seed family of each card id)."""
    workshop = create_workshop(base_url)
    facilitator = BoardClient(base_url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": COMPLETE})["ok"]
    cards, truth = troc_cards()
    for index, card in enumerate(cards):
        answer = facilitator.command("create_card", {"kind": "postit", "text": card["text"], "zone_id": zone,
                                                     "x": (index % 8) / 8, "y": (index // 8) / 8,
                                                     "card_id": card["id"]})
        assert answer["ok"], answer
    return workshop, facilitator, truth


def suggestion_url(base_url, workshop, zone="parking"):
    return f"{base_url}/f/{workshop['admin_token']}/zones/{zone}/grouping"


def test_the_facilitator_gets_families_for_a_zone_and_nothing_changes(server):
    workshop, facilitator, truth = troc_board(server.url)
    try:
        version = facilitator.state()["version"]
        response = requests.get(suggestion_url(server.url, workshop), params={"groups": "9"}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers["Cache-Control"] == "no-store"
        answer = response.json()
        assert answer["ok"] and answer["zone_id"] == "parking" and answer["groups"] == 9 and answer["cards"] == 51
        assert 2 <= len(answer["families"]) <= 9
        proposed = [card_id for family in answer["families"] for card_id in family["card_ids"]]
        assert sorted(proposed + answer["ungrouped"]) == sorted(truth)
        negotiation = next(f for f in answer["families"] if f["label"].startswith("Négocier"))
        assert {truth[card_id] for card_id in negotiation["card_ids"]} == {"Négociation"}
        # Reading a suggestion is no change: the board's version is where it was.
        assert requests.get(suggestion_url(server.url, workshop), timeout=30).status_code == 200
        assert facilitator.command("set_sequence", {"index": COMPLETE - 1})["version"] == version + 1
    finally:
        facilitator.close()


def test_the_automatic_suggestion_leaves_the_unrelated_cards_ungrouped(server):
    workshop, facilitator, truth = troc_board(server.url)
    facilitator.close()
    answer = requests.get(suggestion_url(server.url, workshop), params={"groups": "auto"}, timeout=30).json()
    assert answer["groups"] is None
    loners = {card_id for card_id, family in truth.items() if family is None}
    assert loners <= set(answer["ungrouped"])
    assert all(len(family["card_ids"]) >= 2 and family["label"] for family in answer["families"])


def test_an_empty_zone_has_nothing_to_propose(server):
    workshop = create_workshop(server.url)
    answer = requests.get(suggestion_url(server.url, workshop), timeout=30).json()
    assert answer == {"ok": True, "zone_id": "parking", "groups": None, "cards": 0, "families": [], "ungrouped": []}


def test_bad_requests_are_refused_with_the_reason(server):
    workshop = create_workshop(server.url, participants=1)
    for groups in ("0", "51", "two", "-3"):
        response = requests.get(suggestion_url(server.url, workshop), params={"groups": groups}, timeout=5)
        assert response.status_code == 400
        assert response.json()["code"] == "bad_request" and "groups" in response.json()["message"]
    response = requests.get(suggestion_url(server.url, workshop, zone="nowhere"), timeout=5)
    assert response.status_code == 404 and "zone_id" in response.json()["message"]
    # Only the facilitator's link opens it: a participant's token or the projector's is an unknown page.
    participant = workshop["participants"][0]["token"]
    for token in (participant, workshop["projector_token"]):
        response = requests.get(f"{server.url}/f/{token}/zones/parking/grouping", timeout=5)
        assert response.status_code == 404
