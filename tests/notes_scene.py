"""Boards with notes on a real server: the test format tests/data/formats/notes.json (the Atelier
Compétences with the factors map's keywords and the Troc's savoirs as note kinds, add_note opened in
Compléter) made into a board through the template route, and the full-scale scene with ~60 notes."""
import json
import random
from pathlib import Path

import requests
from conftest import join
from fullscale import COMPLETE, NAMES, NEW_CARDS, TEAMS, ok
from realtime import BoardClient

from board.domain.decide import TEAM_COLOURS

NOTES_FORMAT = Path(__file__).resolve().parent / "data" / "formats" / "notes.json"
# Keywords the factors map's teams could write (seed 002: what a factor means, implies, asks, risks).
KEYWORDS = {
    "signification": ["Sobriété", "Pilotage fin", "Données partagées", "Proximité client", "Sécurité d’abord",
                      "Transition", "Autonomie"],
    "implication": ["Former les équipes", "Nouveaux outils", "Revoir les process", "Moins de papier",
                    "Travail en réseau"],
    "question": ["Qui décide ?", "Quel coût ?", "Pour quand ?", "Avec qui ?"],
    "risque": ["Perte de savoir-faire", "Dépendance", "Surcharge", "Cyberattaque"],
}


def format_document():
    """The notes test format, as a dict."""
    return json.loads(NOTES_FORMAT.read_text(encoding="utf-8"))


def create_notes_workshop(base_url, participants=0, document=None):
    """A board made from the notes format (or `document`) through POST /workshops/document, with
    `participants` people joined; the links and tokens, like conftest.create_workshop."""
    document = document or format_document()
    template = {"atelier": "template", "version": 1, "format": {**document, "deck": []}, "deck": document["deck"]}
    response = requests.post(base_url + "/workshops/document", json=template, timeout=20)
    assert response.status_code == 201, response.text
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
    links["participants"] = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(participants)]
    return links


def build_notes_scene(base_url, notes=60, seed=14):
    """The full-scale scene of tests/fullscale.py (20 participants in 4 teams, the 62 deck cards placed,
    10 new cards, sequence Compléter) on the notes format, plus `notes` keywords written by the teams on
    the cards of their rows (one to four per annotated card). Returns the links, `people`, `teams`,
    `team_of`, `notes` {note id: (card id, kind, text)}."""
    rng = random.Random(seed)
    document = format_document()
    workshop = create_notes_workshop(base_url, document=document)
    people = [join(base_url, workshop["join_code"], name) for name in NAMES]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    clients = {}
    written = {}
    try:
        teams = []
        for index, (name, rows) in enumerate(TEAMS):
            ack = ok(facilitator.command("create_team", {"name": name, "colour": TEAM_COLOURS[index], "domain": rows[0]}))
            teams.append(f"t{ack['version']}")
        team_of = {}
        for index, person in enumerate(people):
            team_of[person["participant_id"]] = teams[index % len(teams)]
            ok(facilitator.command("join_team", {"team_id": teams[index % len(teams)],
                                                 "participant_id": person["participant_id"]}))
        ok(facilitator.command("set_sequence", {"index": COMPLETE}))

        def client(person):
            if person["participant_id"] not in clients:
                clients[person["participant_id"]] = BoardClient(base_url, person["token"])
            return clients[person["participant_id"]]

        members = {team: [p for p in people if team_of[p["participant_id"]] == team] for team in teams}
        row_team = {row: teams[i] for i, (_, rows) in enumerate(TEAMS) for row in rows}
        for index, card in enumerate(document["deck"]):
            mover = rng.choice(members[row_team[card["domain"]]])
            ok(client(mover).command("move_card", {"card_id": card["id"], "zone_id": f"{card['domain']}/{card['category']}",
                                                   "x": round(rng.random(), 3), "y": round(index / 62, 3)}))
        for index, (text, zone) in enumerate(NEW_CARDS):
            author = rng.choice(members[row_team[zone.split("/")[0]]])
            ok(client(author).command("create_card", {"kind": "new", "text": text, "zone_id": zone, "x": 0.5, "y": 1,
                                                      "card_id": f"new-{index + 1}"}))
        annotated = rng.sample(document["deck"], 24)
        while len(written) < notes:
            card = annotated[len(written) % len(annotated)]
            kind = rng.choice(sorted(KEYWORDS))
            text = rng.choice(KEYWORDS[kind])
            writer = rng.choice(members[row_team[card["domain"]]])
            note_id = f"note-{len(written) + 1}"
            ok(client(writer).command("create_card", {
                "kind": "postit", "text": text, "zone_id": f"{card['domain']}/{card['category']}", "x": 0, "y": 0,
                "card_id": note_id, "parent": card["id"], "note_kind": kind}))
            written[note_id] = (card["id"], kind, text)
    finally:
        for c in clients.values():
            c.close()
        facilitator.close()
    return {**workshop, "people": people, "teams": teams, "team_of": team_of, "notes": written}
