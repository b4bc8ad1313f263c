"""The test formats of the exchange capability (marks, speakers) and small scenes built on them.

tests/data/formats/exchange.json is a Troc de compétences (marks offer / want, authors on cards);
tests/data/formats/prospective.json a Rencontre prospective (speakers, quotes filed under themes).
"""
import copy
import json
from pathlib import Path

FORMATS = Path(__file__).resolve().parent / "data" / "formats"


def exchange_document():
    """A fresh copy of the Troc test format (marks `offre` = offer, `envie` = want)."""
    return json.loads((FORMATS / "exchange.json").read_text(encoding="utf-8"))


def prospective_document():
    """A fresh copy of the prospective test format (speakers, themes as Panorama rows)."""
    return json.loads((FORMATS / "prospective.json").read_text(encoding="utf-8"))


def expected_pairs(snapshot, offer="offre", want="envie"):
    """Who helps whom, computed here from a snapshot alone, apart from board/domain/marks.py and
    static/js/exchange.js: [(zone id, card text, helper name, learner name)] in reading order."""
    people = {p["id"]: p["name"] for p in snapshot["participants"] if p["role"] == "participant"}
    zone_order = [z["id"] for z in snapshot["zones"] if z["kind"] != "deck"]
    rows = []
    for zone in zone_order:
        cards = sorted((c for c in snapshot["cards"] if c["zone"] == zone), key=lambda c: (c["y"], c["x"], c["z"]))
        for card in cards:
            marks = card.get("marks", {})
            helpers = sorted((p for p in marks.get(offer, []) if p in people), key=lambda p: (people[p].casefold(), p))
            learners = sorted((p for p in marks.get(want, []) if p in people), key=lambda p: (people[p].casefold(), p))
            rows += [(zone, card["text"], people[h], people[l]) for h in helpers for l in learners if h != l]
    return rows


def with_sequences_allowing(document, *kinds):
    """The document with one more sequence that opens `kinds` (for tests of the gate)."""
    document = copy.deepcopy(document)
    document["sequences"].append({"id": "tout", "name": {"fr": "Tout", "en": "All"},
                                  "instruction": {"fr": "Tout.", "en": "All."}, "allows": list(kinds)})
    return document


def exchange_story_types():
    """The event types a Troc board gives when a participant marks a card and the facilitator adds a
    speaker (the flagship's story has neither)."""
    from domain_helpers import FACILITATOR_ID, Workshop
    w = Workshop(with_sequences_allowing(exchange_document(), "create_card", "mark_card"))
    w.join("p1")
    w.go_to("tout")
    card = w.accept("p1", "create_card", kind="postit", text="Chanter", zone_id="perso/competences", x=0, y=0).data["id"]
    plenary = Workshop(prospective_document())
    return {w.accept("p1", "mark_card", card_id=card, mark="offre", on=True).type,
            plenary.accept(FACILITATOR_ID, "add_speaker", name="Nadia").type}


# -- boards on the real server

# Ten people of a small collective (the seed's "dizaine de participants") and their post-its: the
# seed's own examples of competences, each filed in the seed's family (Panorama rows of exchange.json).
TROC_NAMES = ["Anaïs Roth", "Bastien Klein", "Céline Weber", "David Meyer", "Émilie Schmitt",
              "Farid Benhamou", "Gaëlle Muller", "Hélène Fischer", "Igor Wolff", "Julie Bauer"]
TROC_POSTITS = [
    ("Organiser un colloque", "evenements"), ("Organiser des cafés à projets", "evenements"),
    ("Chercher des salles de concert", "evenements"), ("Organiser et animer des réunions", "evenements"),
    ("Concevoir un voyage culturel", "evenements"), ("Remplir un dossier FSE", "financements"),
    ("Chercher des subventions", "financements"), ("Gérer un dispositif ACCRE/NACRE", "financements"),
    ("Négocier un découvert autorisé", "negociation"), ("Négocier un contrat", "negociation"),
    ("Négocier une rupture conventionnelle", "negociation"), ("Coordonner des projets de communication", "coordination"),
    ("Animer un réseau", "coordination"), ("Mettre en relation des professionnels", "coordination"),
    ("Accueillir des porteurs de projets", "coordination"), ("Répondre à des appels d’offre", "business"),
    ("Rentabiliser un évènement", "business"), ("Nouer des partenariats", "business"),
    ("Élaborer un plan de communication", "strategie-com"), ("Structurer une démarche marketing", "strategie-com"),
    ("Gérer les relations publiques", "plan-com"), ("Rédiger un dossier de presse", "plan-com"),
    ("Communiquer sur un évènement", "plan-com"), ("Utiliser MailChimp", "outils-com"),
    ("Utiliser Google Drive", "outils-com"), ("Maîtriser Wordpress", "outils-com"),
    ("Concevoir un site internet", "outils-com"), ("Réaliser une plaquette de communication", "outils-com"),
    ("Faire un rétro-planning", "gestion"), ("Monter un budget prévisionnel", "gestion"),
    ("Gérer une association", "gestion"), ("Créer une SCOP", "gestion"), ("Faire un prévisionnel", "gestion"),
    ("Rédiger un programme de formation", "gestion"), ("Chanter", "perso"), ("Faire de la sangria", "perso"),
    ("Faire du yoga", "perso"), ("Parler espagnol", "perso"), ("Faire une mousse au chocolat", "perso"),
    ("Rédiger un plan de financement", None),  # left ungrouped, in "Sans famille"
]


def create_from_format(base_url, document):
    """A board made on the real server from a format document, through the template route (DOC2):
    the JSON answer's links plus `admin_token` and `projector_token`."""
    import requests

    from board.domain import SYSTEM, decide, evolve
    from board.domain.documents import template_document
    from domain_helpers import NOW, create_board_command
    board = evolve(None, decide(None, SYSTEM, create_board_command(document), NOW))
    response = requests.post(base_url + "/workshops/document", json=template_document(board), timeout=10)
    assert response.status_code == 201, response.text
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
    return links


def build_troc(base_url, seed=14, marks_per_person=(4, 3)):
    """The Troc at full scale on the real server: 10 participants each write 4 post-its (40 competences,
    in the seed's families, one left ungrouped), then in the exchange each marks `marks_per_person`
    (offers, wants) at random. Returns the links, `people` (join answers) and `cards` (ids in order)."""
    import random

    from conftest import join
    from realtime import BoardClient
    rng = random.Random(seed)
    workshop = create_from_format(base_url, exchange_document())
    people = [join(base_url, workshop["join_code"], name) for name in TROC_NAMES]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    clients = [BoardClient(base_url, person["token"]) for person in people]
    cards = []
    try:
        for index, (text, family) in enumerate(TROC_POSTITS):
            zone = f"{family}/competences" if family else "sans-famille"
            card_id = f"troc-{index + 1}"
            ack = clients[index % len(clients)].command("create_card", {
                "kind": "postit", "text": text, "zone_id": zone, "x": 0.5, "y": round(index / 40, 3), "card_id": card_id})
            assert ack["ok"], ack
            cards.append(card_id)
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        offers, wants = marks_per_person
        for client in clients:
            chosen = rng.sample(cards, offers + wants)
            for position, card_id in enumerate(chosen):
                mark = "offre" if position < offers else "envie"
                ack = client.command("mark_card", {"card_id": card_id, "mark": mark, "on": True})
                assert ack["ok"], ack
    finally:
        for client in clients:
            client.close()
        facilitator.close()
    return {**workshop, "people": people, "cards": cards}
