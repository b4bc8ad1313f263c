"""Boards of a campaign played by scripted clients on a real server, with known placements and votes.

`play_board(base_url, plan)` creates an Atelier Compétences board, has its facilitator place the plan's
deck cards and write its new cards, opens the vote, lets each voter put the plan's dots through their
own socket, closes the vote and returns the board's JSON export (GET /f/<token>/export.json), as a
campaign receives it. The plans below are the campaign the comparison tests read.
"""
import copy
import json
from pathlib import Path

import requests

from conftest import create_workshop, join
from realtime import BoardClient

FORMAT_FILE = Path(__file__).resolve().parent.parent / "board" / "formats" / "atelier-competences.json"
# The campaign's questionnaire (docs/formats.md, `evaluation`): three scales and a free text.
EVALUATION = {"scales": [{"id": "utile", "label": {"fr": "Utilité pour mon travail", "en": "Useful for my work"}},
                         {"id": "rythme", "label": {"fr": "Rythme de l’atelier", "en": "Pace of the workshop"}},
                         {"id": "langage", "label": {"fr": "Un langage commun", "en": "A shared language"}}],
              "question": {"fr": "Que retenez-vous pour la suite ?", "en": "What do you take away?"}}

VOTE_SEQUENCE = 3  # Incontournables, in atelier-competences.json
WRITE_SEQUENCE = 2  # Compléter

# Per territory: deck cards placed (card id -> cell), new cards written (id -> (text, cell)), each voter's
# dots (one dict per participant who votes), and how many more joined but put no dot.
TOURS = {"territory": "Tours", "date": "2026-05-12",
         "placed": {"d01": "socle/techniques", "d02": "socle/techniques", "d05": "socle/capacites",
                    "d06": "socle/capacites", "d03": "socle/techniques"},
         "written": {"n-hydro": ("Lire un schéma hydraulique", "maintenance/techniques")},
         "votes": [{"d01": 2, "d02": 1, "n-hydro": 2}, {"d01": 2, "d05": 2, "d02": 1},
                   {"d01": 1, "n-hydro": 2, "d06": 2}, {"d02": 2, "d05": 2, "d03": 1}],
         "idle": 1}
GIEN = {"territory": "Gien", "date": "2026-05-19",
        "placed": {"d01": "socle/techniques", "d02": "socle/capacites", "d06": "socle/capacites"},
        "written": {"n-schemas": ("Schémas hydrauliques", "maintenance/techniques"),
                    "n-client": ("Parler aux clients", "marketing/capacites")},
        "votes": [{"d06": 2, "n-schemas": 2, "d01": 1}, {"d06": 2, "n-schemas": 1, "n-client": 2}],
        "idle": 0}
VIERZON = {"territory": "Vierzon", "date": "2026-06-02",
           "placed": {"d01": "socle/techniques", "d02": "socle/techniques", "d06": "socle/capacites",
                      "d07": "socle/capacites"},
           "written": {"n-robot": ("Programmer un robot", "automatismes/techniques")},
           "votes": [{"d07": 2, "d01": 2, "d02": 1}, {"d07": 2, "n-robot": 2, "d01": 1},
                     {"d01": 2, "d02": 2, "d06": 1}],
           "idle": 0}
CHATEAUROUX = {"territory": "Châteauroux", "date": "2026-06-16",
               "placed": {"d01": "socle/techniques", "d05": "socle/capacites", "d06": "socle/capacites",
                          "d02": "socle/techniques"},
               "written": {"n-hydraulique": ("Lire les plans hydrauliques", "maintenance/techniques"),
                           "n-securite": ("Sécurité des interventions en hauteur", "maintenance/capacites")},
               "votes": [{"d01": 2, "n-hydraulique": 2, "d05": 1}, {"n-securite": 2, "d06": 2, "d01": 1},
                         {"d05": 2, "n-hydraulique": 2, "d02": 1}, {"d01": 2, "d06": 1, "n-securite": 2},
                         {"d02": 2, "d01": 2, "d05": 1}, {"n-hydraulique": 2, "d06": 2, "d01": 1}],
               "idle": 1}
BLOIS_NO_VOTE = {"territory": "Blois", "date": "2026-06-09",
                 "placed": {"d01": "socle/techniques", "d08": "socle/capacites"}, "written": {}, "votes": [], "idle": 2}


def evaluated_template():
    """The campaign's handout as a template document: the Atelier Compétences with the questionnaire."""
    document = json.loads(FORMAT_FILE.read_text(encoding="utf-8"))
    deck = document.pop("deck")
    return {"atelier": "template", "version": 1, "format": {**document, "evaluation": copy.deepcopy(EVALUATION), "deck": []},
            "deck": deck, "vote": {key: document["vote"][key] for key in ("budget", "per_card")}}


def create_evaluated_workshop(base_url, participants=0):
    """A board made from the campaign's template (with its evaluation), and `participants` people joined."""
    response = requests.post(base_url + "/workshops/document", json=evaluated_template(), timeout=20)
    assert response.status_code == 201, response.text
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["participants"] = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(participants)]
    return links


def play_board(base_url, plan, evaluation_answers=()):
    """Play `plan` on a new board of the server at `base_url`; its JSON export and its links.
    `evaluation_answers` (one {scores, text} per participant, in order) are given after the vote, in an
    evaluation the facilitator opens, on a board made from the campaign's template that has one."""
    people = len(plan["votes"]) + plan["idle"]
    workshop = create_evaluated_workshop(base_url, people) if evaluation_answers else create_workshop(base_url, people)
    play_workshop(base_url, workshop, plan, evaluation_answers)
    response = requests.get(f"{base_url}/f/{workshop['admin_token']}/export.json", timeout=10)
    assert response.status_code == 200, response.text
    return response.json(), workshop


def play_workshop(base_url, workshop, plan, evaluation_answers=()):
    """Play `plan` on a board that exists ({admin_token, participants}): its facilitator places the plan's
    deck cards and writes its new cards, each participant puts their dots through their own socket, the
    vote is closed; then, with `evaluation_answers`, the evaluation is opened, answered and closed."""
    facilitator = BoardClient(base_url, workshop["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": WRITE_SEQUENCE})["ok"]
        for number, (card_id, zone) in enumerate(plan["placed"].items()):
            answer = facilitator.command("move_card", {"card_id": card_id, "zone_id": zone,
                                                       "x": 0.1 + 0.1 * (number % 8), "y": 0.5})
            assert answer["ok"], answer
        for card_id, (text, zone) in plan["written"].items():
            answer = facilitator.command("create_card", {"kind": "new", "text": text, "zone_id": zone,
                                                         "x": 0.5, "y": 0.3, "card_id": card_id})
            assert answer["ok"], answer
        assert facilitator.command("set_sequence", {"index": VOTE_SEQUENCE})["ok"]
        assert facilitator.command("open_vote")["ok"]
        for person, dots in zip(workshop["participants"], plan["votes"]):
            voter = BoardClient(base_url, person["token"])
            try:
                for card_id, count in dots.items():
                    for _ in range(count):
                        answer = voter.command("vote", {"card_id": card_id, "delta": 1})
                        assert answer["ok"], answer
            finally:
                voter.close()
        assert facilitator.command("close_vote")["ok"]
        if evaluation_answers:
            assert facilitator.command("open_evaluation")["ok"]
            for person, answer in zip(workshop["participants"], evaluation_answers):
                respondent = BoardClient(base_url, person["token"])
                try:
                    given = respondent.command("answer_evaluation", answer)
                    assert given["ok"], given
                finally:
                    respondent.close()
            assert facilitator.command("close_evaluation")["ok"]
    finally:
        facilitator.close()


def result_of(plan, document, board_id=None, source="server"):
    """One entry of campaign_results, as the campaign gives it."""
    return {"territory": plan["territory"], "date": plan["date"], "board_id": board_id, "source": source,
            "document": document}
