"""A whole campaign end to end (issue 16's test; COORD3, COORD5-COORD9 and the comparison, CAMP).

Three boards of one campaign are played by scripted clients with known placements and votes: two on the
coordinator's server (the session's run.py), one on a facilitator's laptop, a SECOND run.py with its own
database, made there from the campaign's handout and brought back as its JSON export through the
coordinator's import. The coordinator merges two new cards written in two territories. The comparison the
server gives (GET /c/<token>/synthesis.json) must equal what this test computes on its own from the plans:
the cards common to all territories, those specific to one, and the must-haves per territory and overall,
normalised by each board's number of voters.
"""
import json
from pathlib import Path

import pytest
import requests

from campaign_scene import play_workshop
from conftest import join

ROOT = Path(__file__).resolve().parent.parent
DECK = {card["id"]: card for card in json.loads((ROOT / "board/formats/atelier-competences.json").read_text("utf-8"))["deck"]}

# Per territory: deck cards placed (id -> cell), new cards written (id -> text, cell), each voter's dots.
TOURS = {"territory": "Tours", "date": "2026-05-12",
         "placed": {"d01": "socle/techniques", "d02": "socle/techniques", "d03": "socle/techniques",
                    "d05": "socle/capacites"},
         "written": {"n-hydro": ("Lire un schéma hydraulique", "maintenance/techniques"),
                     "n-tours": ("Animer une réunion de chantier", "management/capacites")},
         "votes": [{"d01": 2, "d02": 1}, {"d01": 2, "d03": 1}, {"d01": 1, "d02": 2}, {"d02": 2, "n-hydro": 1},
                   {"d01": 2, "d05": 1}, {"d03": 2, "d01": 1}]}
GIEN = {"territory": "Gien", "date": "2026-05-19",
        "placed": {"d01": "socle/techniques", "d02": "socle/techniques", "d06": "socle/capacites"},
        "written": {"n-schemas": ("Schémas hydrauliques", "maintenance/techniques")},
        "votes": [{"d06": 2, "n-schemas": 2, "d01": 1}, {"d06": 2, "n-schemas": 1}, {}]}  # the third puts no dot
VIERZON = {"territory": "Vierzon", "date": "2026-06-02",
           "placed": {"d01": "socle/techniques", "d02": "socle/techniques", "d06": "socle/capacites",
                      "d07": "socle/capacites"},
           "written": {"n-robot": ("Programmer un robot", "automatismes/techniques")},
           "votes": [{"d07": 2, "d01": 1}, {"d07": 2, "n-robot": 2}, {"d01": 2, "d02": 1}]}
# Each territory's answers to the campaign's evaluation (one per participant who answers).
EVALUATION = {"scales": [{"id": "s1", "label": {"fr": "L'atelier m'a été utile", "en": "Useful"}},
                         {"id": "s2", "label": {"fr": "Les consignes étaient claires", "en": "Clear"}}],
              "question": {"fr": "Que retenez-vous de l'atelier ?", "en": "What do you keep?"}}
TOURS["answers"] = [{"scores": {"s1": 5, "s2": 4}, "text": "Un langage commun"}, {"scores": {"s1": 4, "s2": 2}, "text": ""},
                    {"scores": {"s1": 3, "s2": 3}, "text": "Trop court"}]
GIEN["answers"] = [{"scores": {"s1": 2, "s2": 5}, "text": ""}]
VIERZON["answers"] = [{"scores": {"s1": 5, "s2": 5}, "text": "À refaire"}, {"scores": {"s1": 4, "s2": 4}, "text": ""}]
MERGE = {("Tours", "n-hydro"), ("Gien", "n-schemas")}
MERGED_LABEL = "Lire les schémas hydrauliques"


def play(base_url, admin_token, join_code, plan):
    """Play `plan` on a campaign's board: each voter joins by its code, then campaign_scene.play_workshop
    places and writes the cards, has each voter put their dots, closes the vote and has them answer the
    evaluation."""
    voters = [join(base_url, join_code, f"Votant {number}") for number in range(1, len(plan["votes"]) + 1)]
    play_workshop(base_url, {"admin_token": admin_token, "participants": voters}, plan, plan["answers"])


# -- the independent computation, from the plans alone

def card_key(territory, card_id, plan):
    """What one card is across the campaign: a deck card by its text, a merged card by its label, a new card its own."""
    if (territory, card_id) in MERGE:
        return MERGED_LABEL
    if card_id in DECK:
        return DECK[card_id]["text"]
    return plan["written"][card_id][0]


def expected(plans):
    placed_in, shares, dots_of = {}, {}, {}
    for plan in plans:
        name = plan["territory"]
        for card_id in [*plan["placed"], *plan["written"]]:
            placed_in.setdefault(card_key(name, card_id, plan), set()).add(name)
        voters = [v for v in plan["votes"] if any(v.values())]
        totals = {}
        for dots in voters:
            for card_id, count in dots.items():
                key = card_key(name, card_id, plan)
                totals[key] = totals.get(key, 0) + count
        dots_of[name] = totals
        shares[name] = {key: count / len(voters) for key, count in totals.items()}
    everyone = {plan["territory"] for plan in plans}
    keys = {key for per in shares.values() for key in per}
    score = {key: sum(per.get(key, 0) for per in shares.values()) / len(plans) for key in keys}
    return {"common": sorted(k for k, ts in placed_in.items() if ts == everyone),
            "specific": {name: sorted(k for k, ts in placed_in.items() if ts == {name}) for name in everyone},
            "dots": dots_of, "shares": shares, "score": score}


def test_a_campaign_of_three_boards_one_played_offline_compares_as_computed_independently(server, laptop):
    made = requests.post(server.url + "/campaigns", json={"name": "Centre-Val de Loire 2026",
                                                          "format": "atelier-competences", "evaluation": EVALUATION},
                         timeout=10).json()
    path = server.url + "/c/" + made["coordinator_url"].rsplit("/c/", 1)[1]
    # Two boards on the coordinator's server, played there.
    for plan in (TOURS, GIEN):
        links = requests.post(path + "/boards", json={"territory": plan["territory"], "date": plan["date"]},
                              timeout=10).json()
        play(server.url, links["facilitator_url"].rsplit("/", 1)[1], links["join_code"], plan)
    # The third on the laptop, made from the handout, played there, and its export brought home.
    handout = requests.get(path + "/handout.json", timeout=10).content
    away = requests.post(laptop.url + "/workshops/document", files={"document": ("campagne.json", handout)},
                         headers={"Accept": "application/json"}, timeout=20).json()
    away_token = away["facilitator_url"].rsplit("/", 1)[1]
    play(laptop.url, away_token, away["join_code"], VIERZON)
    export = requests.get(f"{laptop.url}/f/{away_token}/export.json", timeout=10).content
    imported = requests.post(path + "/import", data={"territory": "Vierzon", "date": VIERZON["date"]},
                             files={"document": ("atelier.json", export)}, headers={"Accept": "application/json"},
                             timeout=20)
    assert imported.status_code == 201, imported.text
    results = requests.get(path + "/results.json", timeout=10).json()["results"]
    assert [(r["territory"], r["source"]) for r in results] == [("Tours", "server"), ("Gien", "server"),
                                                              ("Vierzon", "imported")]
    boards = {r["territory"]: r["document"]["source_board"] for r in results}
    merged = requests.post(path + "/merges", json={"label": MERGED_LABEL, "members": [
        {"source_board": boards[territory], "card_id": card_id} for territory, card_id in sorted(MERGE)]}, timeout=10)
    assert merged.status_code == 201, merged.text

    comparison = requests.get(path + "/synthesis.json", timeout=10).json()
    want = expected([TOURS, GIEN, VIERZON])
    text = lambda key: comparison["cards"][key]["text"]  # noqa: E731
    assert sorted(text(k) for k in comparison["common"]["placed"]) == want["common"]
    for name in ("Tours", "Gien", "Vierzon"):
        assert sorted(text(k) for k in comparison["specific"][name]["placed"]) == want["specific"][name], name
        got = {text(item["card"]): (item["dots"], round(item["share"], 9))
               for item in comparison["must_haves"]["by_territory"][name]}
        assert got == {k: (want["dots"][name][k], round(want["shares"][name][k], 9)) for k in want["dots"][name]}, name
    overall = [(text(item["card"]), round(item["score"], 9)) for item in comparison["must_haves"]["overall"]]
    assert dict(overall) == {k: round(v, 9) for k, v in want["score"].items()}
    assert [score for _, score in overall] == sorted((score for _, score in overall), reverse=True)
    # Normalised, the small room weighs as much as the large one: Gien's two voters put "S'adapter aux
    # changements" (4 dots) above "Appliquer les règles..." (6 dots in all, most of them in Tours' six).
    order = [card for card, _ in overall]
    assert order.index(DECK["d06"]["text"]) < order.index(DECK["d02"]["text"])
    assert order[:2] == [DECK["d01"]["text"], DECK["d06"]["text"]]
    # The merged card counts once, with both originals and their territories kept.
    [merge] = comparison["merges"]
    assert merge["label"] == MERGED_LABEL
    assert sorted((m["territory"], m["text"]) for m in merge["members"]) == [
        ("Gien", "Schémas hydrauliques"), ("Tours", "Lire un schéma hydraulique")]
    assert MERGED_LABEL in order and "Schémas hydrauliques" not in order
    # The evaluation per territory, the offline board's answers come home in its export.
    evaluation = comparison["evaluation"]["by_territory"]
    for plan in (TOURS, GIEN, VIERZON):
        mine = evaluation[plan["territory"]]
        assert mine["answers"] == len(plan["answers"]), plan["territory"]
        for scale in ("s1", "s2"):
            values = [answer["scores"][scale] for answer in plan["answers"]]
            assert mine["scales"][scale]["mean"] == pytest.approx(sum(values) / len(values)), (plan["territory"], scale)
        assert sorted(mine["texts"]) == sorted(a["text"] for a in plan["answers"] if a["text"])
