"""The full-scale workshop scene: 20 participants in 4 teams, all 62 deck cards placed, 10 new cards.

Built through the real protocol (python-socketio clients), as a real afternoon would build it: the
facilitator creates four teams (each with a working domain) and shares those present out among them;
members of each team place the deck cards of their two domains in the cells the cards suggest, then
write new cards; in the vote everyone spends their dots. Stages:

- "placed":   sequence 3 (Compléter), the 62 cards and 10 new cards on the Panorama;
- "voting":   sequence 4, the vote open, every participant has put some of their dots;
- "revealed": sequence 4, every dot spent, the vote closed and its results revealed.

Tests that only look at a scene share one per stage (the `full_scene` fixture in conftest.py);
tests that change it build their own with `build_full_scene`, which takes a second or two.
"""
import json
import random
from pathlib import Path

from conftest import create_workshop, join
from realtime import BoardClient

from board.domain.decide import TEAM_COLOURS

FORMAT = Path(__file__).resolve().parent.parent / "board" / "formats" / "atelier-competences.json"
PLACEMENT, COMPLETE, VOTE = 1, 2, 3  # sequence indexes in the Atelier Compétences format
STAGES = ("placed", "voting", "revealed")

NAMES = ["Camille Martin", "Karim Benali", "Sophie Leroy", "Julien Moreau", "Nadia Haddad",
         "Thomas Petit", "Léa Fontaine", "Mehdi Amrani", "Claire Dubois", "Bruno Garnier",
         "Inès Lambert", "Hugo Rousseau", "Chloé Mercier", "Antoine Girard", "Yasmine Chevalier",
         "Pierre Lefèvre", "Manon Bonnet", "Rachid Ould", "Élodie Morel", "Vincent Faure"]
# Four teams, each working on two rows of the Panorama (the first is the team's domain).
TEAMS = [("Production", ("socle", "exploitation")), ("Ingénierie", ("ingenierie", "maintenance")),
         ("Données", ("donnees_si", "marketing")), ("Pilotage", ("automatismes", "management"))]
NEW_CARDS = [
    ("Piloter un jumeau numérique d’installation", "maintenance/techniques"),
    ("Animer une communauté d’utilisateurs", "marketing/capacites"),
    ("Lire un contrat de flexibilité réseau", "exploitation/techniques"),
    ("Sécuriser les accès distants aux automates", "automatismes/techniques"),
    ("Expliquer une donnée à un non-spécialiste", "donnees_si/capacites"),
    ("Conduire un retour d’expérience sans blâme", "management/capacites"),
    ("Évaluer l’empreinte carbone d’un chantier", "ingenierie/techniques"),
    ("Accueillir un alternant dans l’équipe", "socle/capacites"),
    ("Qualifier un jeu de données capteurs", "donnees_si/techniques"),
    ("Négocier avec un fournisseur local", "marketing/techniques"),
]


def deck():
    """The 62 deck cards of the format, as the format file gives them."""
    return json.loads(FORMAT.read_text(encoding="utf-8"))["deck"]


def ok(ack):
    assert ack["ok"], ack
    return ack


def as_facilitator(base_url, scene, *commands):
    """Send `commands` ((type, data) pairs, data optional) as the scene's facilitator, each one
    accepted, then disconnect: how a test moves a scene on before it looks."""
    facilitator = BoardClient(base_url, scene["admin_token"])
    try:
        for kind, *data in commands:
            ok(facilitator.command(kind, *data))
    finally:
        facilitator.close()


def build_full_scene(base_url, stage="placed", seed=9, on_start=None):
    """Build the scene up to `stage`; returns create_workshop's links plus `people` (join answers in
    NAMES order), `teams` (ids), `team_of` (participant id -> team id), `new_cards` (ids).
    `on_start(workshop, people)`, if given, runs once everyone has joined, before anything else."""
    assert stage in STAGES, stage
    rng = random.Random(seed)
    workshop = create_workshop(base_url)
    people = [join(base_url, workshop["join_code"], name) for name in NAMES]
    if on_start is not None:
        on_start(workshop, people)
    facilitator = BoardClient(base_url, workshop["admin_token"])
    clients = {}
    try:
        teams = []
        for index, (name, rows) in enumerate(TEAMS):
            ack = ok(facilitator.command("create_team", {"name": name, "colour": TEAM_COLOURS[index],
                                                         "domain": rows[0]}))
            teams.append(f"t{ack['version']}")
        # Round-robin in NAMES order: five per team.
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
        for index, card in enumerate(deck()):
            mover = rng.choice(members[row_team[card["domain"]]])
            ok(client(mover).command("move_card", {
                "card_id": card["id"], "zone_id": f"{card['domain']}/{card['category']}",
                "x": round(rng.random(), 3), "y": round(index / 62, 3)}))
        new_cards = []
        for index, (text, zone) in enumerate(NEW_CARDS):
            author = rng.choice(members[row_team[zone.split("/")[0]]])
            card_id = f"new-{index + 1}"
            ok(client(author).command("create_card", {
                "kind": "new", "text": text, "zone_id": zone, "x": 0.5, "y": 1,
                "description": "Carte écrite par l’équipe pendant la séquence 3.", "card_id": card_id}))
            new_cards.append(card_id)
        if stage != "placed":
            ok(facilitator.command("set_sequence", {"index": VOTE}))
            ok(facilitator.command("open_vote", {}))
            _vote(people, client, rng, full=stage == "revealed", cards=[c["id"] for c in deck()] + new_cards)
        if stage == "revealed":
            ok(facilitator.command("close_vote", {}))
            ok(facilitator.command("reveal_results", {}))
    finally:
        for c in clients.values():
            c.close()
        facilitator.close()
    return {**workshop, "people": people, "teams": teams, "team_of": team_of, "new_cards": new_cards,
            "stage": stage}


def _vote(people, client, rng, full, cards):
    """Everyone puts dots: five each when `full`, else two or three (the vote is under way).
    A few favourite cards draw most dots, so the ranking has clear leaders and some ties."""
    favourites = cards[::7]
    for person in people:
        dots = 5 if full else rng.choice((2, 3))
        placed = {}
        while sum(placed.values()) < dots:
            card = rng.choice(favourites if rng.random() < 0.6 else cards)
            if placed.get(card, 0) >= 2:
                continue
            ok(client(person).command("vote", {"card_id": card, "delta": 1}))
            placed[card] = placed.get(card, 0) + 1
