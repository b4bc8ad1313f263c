"""The comparison of a campaign's boards (CAMP1-CAMP7), on the JSON exports of real boards.

Three Atelier Compétences boards (Tours: 4 voters and one who put no dot, Gien: 2, Vierzon: 3) are
played by scripted clients on the real server with known placements and dots, and exported as a
campaign receives them. What `compare` says is checked against the test's own computation from the
plans (exact fractions, ranks counted as 1 + the number of cards scoring more), not from the exports.
"""
from fractions import Fraction
import io

import pytest
import requests

from campaign_scene import BLOIS_NO_VOTE, GIEN, TOURS, VIERZON, play_board, result_of
from conftest import create_workshop
from realtime import BoardClient

from openpyxl import load_workbook

from board.campaign_view import campaign_csv, campaign_xlsx, page_view
from board.domain.campaign_compare import ComparisonError, compare, next_deck

PLANS = (TOURS, GIEN, VIERZON)
HYDRAULICS = {"merge_id": "m1", "label": "Lire des schémas hydrauliques",
              "members": [{"territory": "Tours", "card_id": "n-hydro"}, {"territory": "Gien", "card_id": "n-schemas"}]}


@pytest.fixture(scope="module")
def exports(server):
    """Each plan's board played and exported once for the module: territory -> JSON export."""
    return {plan["territory"]: play_board(server.url, plan)[0] for plan in PLANS + (BLOIS_NO_VOTE,)}


def results_for(exports, plans):
    return [result_of(plan, exports[plan["territory"]]) for plan in plans]


# -- the test's own computation, from the plans

def identity(plan, card_id, merges):
    """What the test calls a card: a deck card by its id (the same in every territory), a written card
    by the set of (territory, id) it stands for (two when merged)."""
    if not card_id.startswith("n-"):
        return card_id
    for merge in merges:
        members = frozenset((m["territory"], m["card_id"]) for m in merge["members"])
        if (plan["territory"], card_id) in members:
            return members
    return frozenset({(plan["territory"], card_id)})


def expected(plans, merges=()):
    placed_by, shares_by, cells = {}, {}, {}
    for plan in plans:
        name = plan["territory"]
        where = {**plan["placed"], **{card_id: zone for card_id, (_, zone) in plan["written"].items()}}
        placed_by[name] = {identity(plan, card_id, merges) for card_id in where}
        for card_id, zone in where.items():
            cells.setdefault(zone, {}).setdefault(name, set()).add(identity(plan, card_id, merges))
        voters = [dots for dots in plan["votes"] if sum(dots.values())]
        totals = {}
        for dots in voters:
            for card_id, count in dots.items():
                key = identity(plan, card_id, merges)
                totals[key] = totals.get(key, 0) + count
        shares_by[name] = {key: Fraction(total, len(voters)) for key, total in totals.items()}
    voted = [name for name in shares_by if shares_by[name]]
    every_card = set().union(*(shares_by[name] for name in voted))
    overall = {key: sum(shares_by[name].get(key, Fraction(0)) for name in voted) / len(voted) for key in every_card}
    names = set(placed_by)
    in_how_many = lambda key, book: {name for name in book if key in book[name]}  # noqa: E731
    all_placed = set().union(*placed_by.values())
    all_chosen = set().union(*(set(s) for s in shares_by.values()))
    return {
        "overall": {key: (score, 1 + sum(1 for other in overall.values() if other > score))
                    for key, score in overall.items()},
        "shares": shares_by, "cells": cells,
        "common_placed": {k for k in all_placed if in_how_many(k, placed_by) == names},
        "common_chosen": {k for k in all_chosen if in_how_many(k, shares_by) == names},
        "specific_placed": {name: {k for k in all_placed if in_how_many(k, placed_by) == {name}} for name in names},
        "specific_chosen": {name: {k for k in all_chosen if in_how_many(k, shares_by) == {name}} for name in names},
    }


def seen_as(comparison, key):
    """A comparison's card key in the test's terms (see `identity`)."""
    card = comparison["cards"][key]
    if key.startswith("deck:"):
        ids = {original["card_id"] for original in card["originals"]}
        assert len(ids) == 1, card  # the same deck card in every territory
        return ids.pop()
    return frozenset((original["territory"], original["card_id"]) for original in card["originals"])


def assert_matches(comparison, plans, merges=()):
    want = expected(plans, merges)
    got_overall = {seen_as(comparison, item["card"]): (item["score"], item["rank"])
                   for item in comparison["must_haves"]["overall"]}
    assert set(got_overall) == set(want["overall"])
    for key, (score, rank) in want["overall"].items():
        assert got_overall[key][0] == pytest.approx(float(score)), key
        assert got_overall[key][1] == rank, key
    ranks = [item["rank"] for item in comparison["must_haves"]["overall"]]
    assert ranks == sorted(ranks)  # best first
    for name, shares in want["shares"].items():
        got = {seen_as(comparison, item["card"]): item["share"] for item in comparison["must_haves"]["by_territory"][name]}
        assert got == pytest.approx({key: float(share) for key, share in shares.items()})
    as_test = lambda keys: {seen_as(comparison, key) for key in keys}  # noqa: E731
    assert as_test(comparison["common"]["placed"]) == want["common_placed"]
    assert as_test(comparison["common"]["chosen"]) == want["common_chosen"]
    for name in want["specific_placed"]:
        assert as_test(comparison["specific"][name]["placed"]) == want["specific_placed"][name]
        assert as_test(comparison["specific"][name]["chosen"]) == want["specific_chosen"][name]
    for place in comparison["places"]:
        for name, keys in place["by_territory"].items():
            assert as_test(keys) == want["cells"].get(place["id"], {}).get(name, set()), (place["id"], name)


# -- the tests

def test_three_territories_compare_as_the_independent_computation_says(exports):
    """CAMP2-CAMP4: per cell, normalised ranking, common and specific, on three real boards' exports."""
    comparison = compare(results_for(exports, PLANS), [])
    assert_matches(comparison, PLANS)
    assert [t["territory"] for t in comparison["territories"]] == ["Tours", "Gien", "Vierzon"]
    assert {t["territory"]: t["voters"] for t in comparison["territories"]} == {"Tours": 4, "Gien": 2, "Vierzon": 3}
    # The Panorama's 16 cells, row by row, then the parking area, each with a column per territory.
    assert [place["kind"] for place in comparison["places"]] == ["cell"] * 16 + ["free"]
    assert comparison["places"][0]["id"] == "socle/techniques" and comparison["places"][-1]["id"] == "parking"
    # A large room does not outweigh a small one: Gien's 2 voters put 4 dots on d06, Tours' 4 put 2.
    # In raw dots both weigh 4 ... but per voter Gien's choice is twice as strong.
    tours = {seen_as(comparison, i["card"]): i for i in comparison["must_haves"]["by_territory"]["Tours"]}
    gien = {seen_as(comparison, i["card"]): i for i in comparison["must_haves"]["by_territory"]["Gien"]}
    assert (tours["d06"]["dots"], gien["d06"]["dots"]) == (2, 4)
    assert (tours["d06"]["share"], gien["d06"]["share"]) == (0.5, 2.0)
    top = comparison["must_haves"]["overall"][0]
    assert seen_as(comparison, top["card"]) == "d01" and top["rank"] == 1


def test_merged_new_cards_count_as_one_card_and_keep_their_originals(exports):
    """CAMP5: two territories' hydraulics cards merged: one card with both originals, chosen in two
    territories (so specific to none), its share the mean of the two; unmerged, two specific cards."""
    results = results_for(exports, PLANS)
    merged = compare(results, [HYDRAULICS])
    assert_matches(merged, PLANS, [HYDRAULICS])
    card = merged["cards"]["merge:m1"]
    assert card["text"] == "Lire des schémas hydrauliques" and card["kind"] == "merged"
    assert {(o["territory"], o["text"]) for o in card["originals"]} == {
        ("Tours", "Lire un schéma hydraulique"), ("Gien", "Schémas hydrauliques")}
    item = next(i for i in merged["must_haves"]["overall"] if i["card"] == "merge:m1")
    assert item["territories"] == ["Tours", "Gien"]
    assert item["score"] == pytest.approx((Fraction(4, 4) + Fraction(3, 2)) / 3)
    assert "merge:m1" not in merged["specific"]["Tours"]["placed"] + merged["specific"]["Gien"]["placed"]
    # Undone (no merge given), the originals are back, each its territory's own.
    apart = compare(results, [])
    assert "merge:m1" not in apart["cards"]
    assert {seen_as(apart, key) for key in apart["specific"]["Tours"]["placed"]} >= {frozenset({("Tours", "n-hydro")})}
    assert {seen_as(apart, key) for key in apart["specific"]["Gien"]["placed"]} >= {frozenset({("Gien", "n-schemas")})}


def test_a_territory_without_votes_is_shown_and_does_not_dilute_the_ranking(exports):
    """CAMP3: Blois placed cards but nobody voted: listed without votes, its cards in their cells, and
    the overall ranking is the mean over the territories that voted (the same scores as without it)."""
    with_blois = compare(results_for(exports, PLANS + (BLOIS_NO_VOTE,)), [])
    assert_matches(with_blois, PLANS + (BLOIS_NO_VOTE,))
    assert with_blois["must_haves"]["without_votes"] == ["Blois"]
    assert with_blois["must_haves"]["by_territory"]["Blois"] == []
    without = compare(results_for(exports, PLANS), [])
    assert [(i["card"], i["score"]) for i in with_blois["must_haves"]["overall"]] == \
        [(i["card"], i["score"]) for i in without["must_haves"]["overall"]]
    # d01 was placed in all four: still common; d02 no longer is (Blois did not place it).
    assert "d01" in {seen_as(with_blois, k) for k in with_blois["common"]["placed"]}
    assert "d02" not in {seen_as(with_blois, k) for k in with_blois["common"]["placed"]}


def test_a_board_of_another_format_is_refused_with_a_clear_message(server, exports):
    """CAMP1: a Troc de compétences board in an Atelier Compétences campaign names itself and both formats."""
    links = requests.post(server.url + "/workshops", json={"format": "troc-competences"}, timeout=5).json()
    token = links["facilitator_url"].rsplit("/", 1)[1]
    troc = requests.get(f"{server.url}/f/{token}/export.json", timeout=10).json()
    results = results_for(exports, PLANS) + [{"territory": "Châteauroux", "date": "2026-06-16", "board_id": None,
                                               "source": "imported", "document": troc}]
    with pytest.raises(ComparisonError) as refused:
        compare(results, [])
    assert "Châteauroux" in str(refused.value)
    assert "'troc-competences'" in str(refused.value) and "'atelier-competences'" in str(refused.value)
    # A template file (not a finished board) and a territory given twice are refused by name too.
    template = requests.get(f"{server.url}/f/{token}/template.json", timeout=10).json()
    with pytest.raises(ComparisonError, match="Vierzon: this is not a board's export"):
        compare(results_for(exports, (TOURS,)) + [{**result_of(VIERZON, template)}], [])
    with pytest.raises(ComparisonError, match="Tours: two boards carry this territory"):
        compare(results_for(exports, (TOURS, TOURS)), [])


def test_the_consolidated_must_haves_become_the_next_campaigns_deck_with_their_territories(server, exports):
    """CAMP7: the next deck, imported as a template on the real server, holds the must-haves in their
    overall order, each card's origin naming the territories that chose it with their dots."""
    results = results_for(exports, PLANS)
    template = next_deck(results, [HYDRAULICS], title="Campagne Centre-Val de Loire 2026")
    comparison = compare(results, [HYDRAULICS])
    assert [card["text"] for card in template["deck"]] == \
        [comparison["cards"][item["card"]]["text"] for item in comparison["must_haves"]["overall"]]
    created = requests.post(server.url + "/workshops/document", json=template, timeout=20)
    assert created.status_code == 201, created.text
    token = created.json()["facilitator_url"].rsplit("/", 1)[1]
    board = requests.get(server.url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    deck = {card["text"]: card for card in board["cards"] if card["zone"] == "deck"}
    hydraulics = deck["Lire des schémas hydrauliques"]["origin"]
    assert hydraulics["board"] == "Campagne Centre-Val de Loire 2026" and hydraulics["place"] == "Tours, Gien"
    assert [(t["territory"], t["date"], t["card"], t["votes"]) for t in hydraulics["territories"]] == [
        ("Tours", "2026-05-12", "n-hydro", 4), ("Gien", "2026-05-19", "n-schemas", 3)]
    assert hydraulics["votes"] == 7
    d01 = next(card for card in deck.values() if card["origin"]["territories"][0]["card"] == "d01")
    assert [t["territory"] for t in d01["origin"]["territories"]] == ["Tours", "Gien", "Vierzon"]


def test_a_hand_edited_origin_with_a_bad_territory_is_refused_by_its_path(server, exports):
    """DOC3 for the campaign's provenance: a territory entry with a field of its own is named."""
    template = next_deck(results_for(exports, PLANS), [], title="Campagne")
    template["deck"][0]["origin"]["territories"][0]["participant"] = "Camille"
    refused = requests.post(server.url + "/workshops/document", json=template, timeout=20)
    assert refused.status_code == 400
    assert "deck[0].origin.territories[0].participant: is not a field of a territory" in refused.text


def test_a_board_in_a_single_territory_with_an_empty_workshop_compares_without_error(server):
    """A campaign whose only board has nothing placed yet: every cell empty, no ranking, nothing common."""
    links = create_workshop(server.url)
    document = requests.get(f"{server.url}/f/{links['admin_token']}/export.json", timeout=10).json()
    comparison = compare([{"territory": "Gien", "date": None, "board_id": None, "source": "server",
                           "document": document}], [])
    assert comparison["must_haves"]["overall"] == [] and comparison["must_haves"]["without_votes"] == ["Gien"]
    assert all(place["by_territory"]["Gien"] == [] for place in comparison["places"])


def test_a_board_played_on_another_servers_laptop_compares_as_one_played_here(server, fresh_server, exports):
    """CAMP2-CAMP4: Vierzon played offline, on a second server process with its own database, and brought
    back as its file: the comparison is the independent computation's, as when it ran here."""
    laptop = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    offline, _ = play_board(laptop.url, VIERZON)
    assert offline["source_board"] != exports["Vierzon"]["source_board"]
    results = results_for(exports, (TOURS, GIEN)) + [result_of(VIERZON, offline, source="imported")]
    comparison = compare(results, [HYDRAULICS])
    assert_matches(comparison, PLANS, [HYDRAULICS])
    here = compare(results_for(exports, PLANS), [HYDRAULICS])
    assert comparison["must_haves"] == here["must_haves"] and comparison["common"] == here["common"]
    assert comparison["territories"][2]["source"] == "imported"


AREA_LABELS = {"carte": "Carte des facteurs", "theme-ecosysteme": "Thèmes : l’écosystème", "theme-demande": "Thèmes : la demande", "theme-rh": "Thèmes : ressources humaines et management"}  # cartographie-facteurs.json's areas, in order


def play_factors_map(base_url, on_map, family, themes):
    """A Cartographie des facteurs board (no Panorama, no vote): deck factors put on the map, some of them
    grouped in a family made there, theme cards written in the theme areas; its JSON export."""
    links = requests.post(base_url + "/workshops", json={"format": "cartographie-facteurs"}, timeout=5).json()
    token = links["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(base_url, token)
    try:
        for number, card_id in enumerate(on_map):
            answer = facilitator.command("move_card", {"card_id": card_id, "zone_id": "carte", "x": 0.1 * number, "y": 0.2})
            assert answer["ok"], answer
        answer = facilitator.command("create_zone", {"zone_id": "fam-1", "area_id": "carte", "label": "Demande",
                                                     "x": 0.6, "y": 0.6, "card_ids": list(family)})
        assert answer["ok"], answer
        for number, (area, text) in enumerate(themes):
            answer = facilitator.command("create_card", {"kind": "new", "text": text, "zone_id": area, "x": 0.5, "y": 0.1 * number})
            assert answer["ok"], answer
    finally:
        facilitator.close()
    return requests.get(f"{base_url}/f/{token}/export.json", timeout=10).json()


def test_a_format_without_panorama_compares_per_area_a_family_counting_as_its_canvas(server):
    """CAMP2 on the factors map: its places are its areas; the factors grouped in a family are on the map;
    with no vote, both territories are without votes and nothing is ranked."""
    blois = play_factors_map(server.url, ["f01", "f02"], ["f03", "f04"], [("theme-ecosysteme", "Attractivité du territoire")])
    gien = play_factors_map(server.url, ["f01", "f05"], ["f03"], [("theme-rh", "Fidéliser les jeunes")])
    comparison = compare([{"territory": "Blois", "date": "2026-09-01", "board_id": None, "source": "server", "document": blois},
                          {"territory": "Gien", "date": "2026-09-08", "board_id": None, "source": "server", "document": gien}], [])
    assert [place["id"] for place in comparison["places"]] == ["carte", "theme-ecosysteme", "theme-demande", "theme-rh"]
    on_map = {name: {comparison["cards"][key]["originals"][0]["card_id"] for key in keys}
              for name, keys in comparison["places"][0]["by_territory"].items()}
    assert on_map == {"Blois": {"f01", "f02", "f03", "f04"}, "Gien": {"f01", "f05", "f03"}}
    assert {comparison["cards"][key]["text"] for key in comparison["places"][1]["by_territory"]["Blois"]} == \
        {"Attractivité du territoire"}
    assert comparison["places"][1]["by_territory"]["Gien"] == []
    common = {comparison["cards"][key]["originals"][0]["card_id"] for key in comparison["common"]["placed"]}
    assert common == {"f01", "f03"}
    assert comparison["must_haves"] == {"by_territory": {"Blois": [], "Gien": []}, "overall": [], "voted": [],
                                        "without_votes": ["Blois", "Gien"]}
    # Its page and files lay out the areas by their names.
    view = page_view(comparison, "fr")
    assert [place["label"] for place in view["places"]][:2] == [AREA_LABELS["carte"], AREA_LABELS["theme-ecosysteme"]]
    assert "Attractivité du territoire" in campaign_csv(comparison).decode("utf-8-sig")
    book = load_workbook(io.BytesIO(campaign_xlsx(comparison)))
    assert [row[0].value for row in book["Panorama"].iter_rows(min_row=2)] == [label for label in AREA_LABELS.values()]
