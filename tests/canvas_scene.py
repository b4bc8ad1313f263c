"""A factors map on a real server, for the canvas tests: a board made from tests/data/formats/canvas.json
through the template route (POST /workshops/document, DOC2), people joined, teams formed, and the
families sequence open; and the full-scale scene of 50 factors in 8 families."""
import copy
import json
from pathlib import Path

import requests

from conftest import join
from realtime import BoardClient

FORMAT_PATH = Path(__file__).parent / "data" / "formats" / "canvas.json"
CANVAS = "carte"
FAMILIES_SEQUENCE = 1
# Eight families as the seed ends with, named after its themes; ~6 factors each (50 in all: two stay out).
FAMILY_NAMES = ("Écosystème et territoires", "Demande et clients", "Technologies de rupture", "Énergie et climat",
                "Management et organisation", "Compétences et formation", "Expérience collaborateur",
                "Risques et résilience")


def canvas_format():
    """A private copy of the test's canvas format."""
    return json.loads(FORMAT_PATH.read_text(encoding="utf-8"))


def template_of(fmt):
    """The template document of a format: what a facilitator imports at /animer to start a board."""
    return {"atelier": "template", "version": 1, "format": {**copy.deepcopy(fmt), "deck": []},
            "deck": copy.deepcopy(fmt["deck"])}


def create_canvas_workshop(base_url, participants=0, fmt=None):
    """A canvas board made from its template over HTTP, with `participants` people joined; its links."""
    response = requests.post(base_url + "/workshops/document", json=template_of(fmt or canvas_format()), timeout=20)
    assert response.status_code == 201, response.text
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
    links["participants"] = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(participants)]
    return links


def teams_at_work(base_url, workshop, teams=("Rouge", "Bleu")):
    """Form the teams, deal the participants round them, open the families sequence; the team ids."""
    facilitator = BoardClient(base_url, workshop["admin_token"])
    try:
        ids = []
        for name, colour in zip(teams, ("#aa2222", "#2244aa", "#2a9d70", "#7643e4")):
            assert facilitator.command("create_team", {"name": name, "colour": colour})["ok"]
            ids.append(next(team.id for team in facilitator.replica.teams.values() if team.name == name))
        for n, person in enumerate(workshop["participants"]):
            assert facilitator.command("join_team", {"team_id": ids[n % len(ids)],
                                                     "participant_id": person["participant_id"]})["ok"]
        assert facilitator.command("set_sequence", {"index": FAMILIES_SEQUENCE})["ok"]
        return ids
    finally:
        facilitator.close()


def build_families_scene(base_url, participants=4):
    """The factors map at full scale: 50 factors, 8 families of about 6 (two factors ungrouped on the
    canvas), made in turn by a participant of each team, as a room would (each family's factors are its
    maker's team's). Returns (workshop, families: [(zone id, name, cards)])."""
    workshop = create_canvas_workshop(base_url, participants=participants)
    teams_at_work(base_url, workshop)
    makers = [BoardClient(base_url, person["token"]) for person in workshop["participants"][:2]]  # Rouge, Bleu
    try:
        deck = [card["id"] for card in canvas_format()["deck"]]
        families, start = [], 0
        for n, name in enumerate(FAMILY_NAMES):
            size = 6
            cards = deck[start:start + size]
            start += size
            column, row = n % 4, n // 4
            zone_id = f"fam-{n + 1}"
            answer = makers[n % 2].command("create_zone", {"zone_id": zone_id, "area_id": CANVAS, "label": name,
                                                         "x": round(0.005 + column * 0.248, 3), "y": round(0.015 + row * 0.41, 3),
                                                         "card_ids": cards})
            assert answer["ok"], answer
            families.append((zone_id, name, cards))
        for i, card_id in enumerate(deck[start:]):  # the last factors stay ungrouped, low on the canvas
            assert makers[i % 2].command("move_card", {"card_id": card_id, "zone_id": CANVAS,
                                                     "x": round(0.05 + i * 0.15, 3), "y": 0.86})["ok"]
        return workshop, families
    finally:
        for maker in makers:
            maker.close()


# The factors map as a room leaves it: 8 families of 3 to 12 factors (48 in all), two factors ungrouped low
# on the canvas, each family put where the teams first put them, four a line (spec CANVAS15).
UNEVEN_SIZES = (12, 3, 9, 5, 8, 4, 4, 3)


def build_uneven_families_scene(base_url, participants=4):
    """The factors map at full scale with families of uneven sizes: a family of 12 above one of 8, one of 9
    above one of 4, so a frame sized to its cards reaches down where the family under it was put, and
    the two ungrouped factors lie where grown families reach. Returns (workshop, families: [(zone id,
    name, cards)], ungrouped card ids)."""
    workshop = create_canvas_workshop(base_url, participants=participants)
    teams_at_work(base_url, workshop)
    makers = [BoardClient(base_url, person["token"]) for person in workshop["participants"][:2]]  # Rouge, Bleu
    try:
        deck = [card["id"] for card in canvas_format()["deck"]]
        families, start = [], 0
        for n, (name, size) in enumerate(zip(FAMILY_NAMES, UNEVEN_SIZES)):
            cards = deck[start:start + size]
            start += size
            zone_id = f"fam-{n + 1}"
            answer = makers[n % 2].command("create_zone", {
                "zone_id": zone_id, "area_id": CANVAS, "label": name, "x": round(0.005 + (n % 4) * 0.248, 3),
                "y": round(0.015 + (n // 4) * 0.41, 3), "card_ids": cards})
            assert answer["ok"], answer
            families.append((zone_id, name, cards))
        ungrouped = deck[start:]
        for i, card_id in enumerate(ungrouped):
            assert makers[i % 2].command("move_card", {"card_id": card_id, "zone_id": CANVAS,
                                                     "x": round(0.05 + i * 0.5, 3), "y": 0.86})["ok"]
        return workshop, families, ungrouped
    finally:
        for maker in makers:
            maker.close()
