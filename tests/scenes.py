"""Realistic boards for the accessibility audit and the screenshots, built through the real protocol.

Everything goes through python-socketio clients, as browsers would send it: the facilitator forms the
teams and moves the sequences on, each participant places deck cards and writes post-its as themselves.
"""
from conftest import create_workshop, join
from realtime import BoardClient

PLACEMENT, COMPLETE = 1, 2  # sequence indexes in the Atelier Compétences format

TEAMS = [("Exploitation", "#1f4e9c"), ("Ingénierie", "#c2410c")]
PEOPLE = [("Camille Martin", 0), ("Karim Benali", 0), ("Sophie Leroy", 1), ("Julien Moreau", 1)]
# (person index, deck card, zone): several cells of the Panorama, filled by different people.
PLACEMENTS = [
    (0, "d01", "socle/techniques"),
    (2, "d02", "socle/techniques"),
    (1, "d03", "socle/capacites"),
    (0, "d12", "exploitation/techniques"),
    (3, "d20", "ingenierie/techniques"),
    (2, "d25", "ingenierie/capacites"),
    (1, "d30", "maintenance/techniques"),
    (3, "d40", "donnees_si/techniques"),
]
POSTITS = [
    (1, "Et la cybersécurité des postes de conduite ?", "parking"),
    (2, "À rapprocher de la formation 4.0", "ingenierie/capacites"),
]
NEW_CARDS = [
    (3, "Piloter un jumeau numérique d’installation",
     "Exploiter un modèle numérique vivant d’un ouvrage pour anticiper pannes et réglages.",
     "maintenance/techniques"),
]


def ok(ack):
    assert ack["ok"], ack
    return ack


def build_scene(base_url, sequence=PLACEMENT):
    """A workshop with two coloured teams, deck cards placed by four people, two post-its and one new
    card; left in `sequence`. Returns create_workshop's links plus `people` (join answers) and `teams`."""
    workshop = create_workshop(base_url)
    people = [join(base_url, workshop["join_code"], name) for name, _ in PEOPLE]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    clients = []
    try:
        teams = []
        for name, colour in TEAMS:
            ack = ok(facilitator.command("create_team", {"name": name, "colour": colour}))
            teams.append(f"t{ack['version']}")
        for person, (_, team) in zip(people, PEOPLE):
            ok(facilitator.command("join_team", {"team_id": teams[team], "participant_id": person["participant_id"]}))
        ok(facilitator.command("set_sequence", {"index": COMPLETE}))
        clients = [BoardClient(base_url, person["token"]) for person in people]
        for index, (who, card, zone) in enumerate(PLACEMENTS):
            x, y = 0.2 + 0.1 * (index % 3), 0.3 + 0.1 * (index % 2)
            ok(clients[who].command("move_card", {"card_id": card, "zone_id": zone, "x": x, "y": y}))
        for index, (who, text, zone) in enumerate(POSTITS):
            ok(clients[who].command("create_card", {"kind": "postit", "text": text, "zone_id": zone,
                                                    "x": 0.5, "y": 0.9, "card_id": f"postit-{index + 1}"}))
        for index, (who, text, description, zone) in enumerate(NEW_CARDS):
            ok(clients[who].command("create_card", {"kind": "new", "text": text, "description": description,
                                                    "zone_id": zone, "x": 0.5, "y": 0.95,
                                                    "card_id": f"new-{index + 1}"}))
        if sequence != COMPLETE:
            ok(facilitator.command("set_sequence", {"index": sequence}))
    finally:
        for client in clients:
            client.close()
        facilitator.close()
    return {**workshop, "people": people, "teams": teams}
