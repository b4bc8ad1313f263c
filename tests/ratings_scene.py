"""A board of the ratings test format (tests/data/formats/ratings.json) built over the real server.

Its factors are illustrative, written from the themes of the factors map seed (002: smart cities,
circular economy, blockchain, territorialisation, clients, HR and management); its axes are the
seed's two criteria.

The format: about fifty factors (illustrative texts written from the themes of the factors map's seed),
two axes, capacité d'agir and criticité, from 1 to 4, and a sequence that opens rating. The scene:
four teams of two participants, each team rating the same ~25 factors on both axes with values drawn
from a seeded random generator, and the facilitator keeping a few. Tests read back `sent`, the ratings
the scene sent, to compute the matrix on their own.
"""
import json
import random
from pathlib import Path

import requests

from conftest import join
from realtime import BoardClient

FORMAT = Path(__file__).resolve().parent / "data" / "formats" / "ratings.json"
RATING_SEQUENCE = 2  # "Facteurs-clés": its `allows` names rate_card
TEAM_NAMES = ("Réseaux", "Clients", "Talents", "Territoires")
COLOURS = ("#001848", "#2a9d70", "#7643e4", "#404000")


def ratings_format():
    """The test format's document (a fresh copy)."""
    return json.loads(FORMAT.read_text(encoding="utf-8"))


def create_ratings_board(base_url, teams=4, per_team=2):
    """A new board of the ratings format from a template document (the /workshops/document route),
    with `teams` teams of `per_team` participants; the links, tokens and who is in which team."""
    document = ratings_format()
    deck = document.pop("deck")
    template = {"atelier": "template", "version": 1, "format": {**document, "deck": []}, "deck": deck,
                "teams": [{"name": TEAM_NAMES[i], "colour": COLOURS[i]} for i in range(teams)]}
    response = requests.post(base_url + "/workshops/document", json=template, timeout=20)
    assert response.status_code == 201, response.text
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(base_url, links["admin_token"])
    team_ids = [team["id"] for team in facilitator.state()["teams"]]
    links["team_ids"] = team_ids
    links["members"] = {team_id: [] for team_id in team_ids}
    for t, team_id in enumerate(team_ids):
        for n in range(per_team):
            person = join(base_url, links["join_code"], f"Membre {t + 1}.{n + 1}")
            assert facilitator.command("join_team", {"participant_id": person["participant_id"],
                                                     "team_id": team_id})["ok"]
            links["members"][team_id].append(person)
    assert facilitator.command("set_sequence", {"index": RATING_SEQUENCE})["ok"]
    facilitator.close()
    return links


def rate_scene(base_url, rated=25, kept=6, seed=14, teams=4, per_team=2):
    """The board above with `rated` factors rated by every team on both axes (each team's ratings sent
    by its members in turn, over sockets) and the first `kept` of them kept by the facilitator.
    `sent` is {card id: {axis: {team id: value}}}: the last value each team gave."""
    links = create_ratings_board(base_url, teams, per_team)
    document = ratings_format()
    axes = document["axes"]
    card_ids = [card["id"] for card in document["deck"]][:rated]
    rng = random.Random(seed)
    # Teams mostly agree, within a point of a value of the card's own (as a room does after talking).
    centre = {(card_id, axis["id"]): rng.randint(axis["min"], axis["max"]) for card_id in card_ids for axis in axes}
    sent = {card_id: {axis["id"]: {} for axis in axes} for card_id in card_ids}
    clients = {}
    try:
        for team_id, members in links["members"].items():
            for person in members:
                clients[person["participant_id"]] = BoardClient(base_url, person["token"])
            for i, card_id in enumerate(card_ids):
                for axis in axes:
                    member = members[(i + len(sent[card_id][axis["id"]])) % len(members)]
                    value = min(axis["max"], max(axis["min"], centre[card_id, axis["id"]] + rng.choice((-1, 0, 0, 1))))
                    answer = clients[member["participant_id"]].command(
                        "rate_card", {"card_id": card_id, "axis": axis["id"], "value": value}, settle=False)
                    assert answer["ok"], answer
                    sent[card_id][axis["id"]][team_id] = value
        facilitator = BoardClient(base_url, links["admin_token"])
        for card_id in card_ids[:kept]:
            assert facilitator.command("keep_card", {"card_id": card_id, "kept": True}, settle=False)["ok"]
        facilitator.close()
    finally:
        for client in clients.values():
            client.close()
    links.update(sent=sent, kept=card_ids[:kept], axes=axes, texts={c["id"]: c["text"] for c in document["deck"]})
    return links
