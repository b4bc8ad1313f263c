"""The packaged formats without a Panorama at full scale on a real server, for the projector's tests:
the Troc de compétences (board/formats/troc-competences.json) with the seed's competences on its wall
grouped into families, and the Rencontre prospective (board/formats/rencontre-prospective.json) with
quotes and competences filed under its four themes. The factors map's scene is tests/links_scene.py."""
import copy

from board.domain import read_format
from conftest import join
from exchange_scene import TROC_NAMES, TROC_POSTITS, create_from_format
from realtime import BoardClient

WALL = "mur"
# The seed's ten families, four a line on the wall: the third line is pushed down and the wall grows
# under it (CANVAS15), so all ten fit with no frame over another.
TROC_FAMILIES = {"evenements": "Évènements", "outils-com": "Outils de communication", "gestion": "Gestion",
                 "perso": "Compétences personnelles", "coordination": "Coordination et réseau",
                 "financements": "Financements", "negociation": "Négociation", "business": "Développement",
                 "plan-com": "Plan d’action communication / marketing",
                 "strategie-com": "Stratégie de communication / marketing"}


def packaged(format_id):
    """A private copy of a packaged format's document."""
    return copy.deepcopy(read_format(format_id).document)


def sequence_of(document, sequence_id):
    return [sequence["id"] for sequence in document["sequences"]].index(sequence_id)


def build_troc_scene(base_url):
    """Ten people each write their competences on the wall (40 post-its, tests/exchange_scene.py), then
    make the seed's ten families holding 39 of them; one stays ungrouped under the families. Returns the
    links with `families` [(zone id, name, card ids)]."""
    document = packaged("troc-competences")
    workshop = create_from_format(base_url, document)
    people = [join(base_url, workshop["join_code"], name) for name in TROC_NAMES]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    writers = [BoardClient(base_url, person["token"]) for person in people]
    try:
        by_family, ungrouped = {}, []
        for index, (text, family) in enumerate(TROC_POSTITS):
            card_id = f"troc-{index + 1}"
            answer = writers[index % len(writers)].command("create_card", {
                "kind": "postit", "text": text, "zone_id": WALL, "card_id": card_id,
                "x": round(0.02 + (index % 8) * 0.12, 3), "y": round(0.05 + (index // 8) * 0.1, 3)})
            assert answer["ok"], answer
            (by_family.setdefault(family, []) if family in TROC_FAMILIES else ungrouped).append(card_id)
        assert facilitator.command("set_sequence", {"index": sequence_of(document, "familles")})["ok"]
        families = []
        for n, (key, name) in enumerate(TROC_FAMILIES.items()):
            column, row = n % 4, n // 4
            answer = writers[n].command("create_zone", {
                "zone_id": f"fam-{key}", "area_id": WALL, "label": name, "card_ids": by_family[key],
                "x": round(0.005 + column * 0.248, 3), "y": round(0.015 + row * 0.41, 3)})
            assert answer["ok"], answer
            families.append((f"fam-{key}", name, by_family[key]))
        for i, card_id in enumerate(ungrouped):
            answer = writers[i].command("move_card", {"card_id": card_id, "zone_id": WALL,
                                                      "x": round(0.02 + i * 0.12, 3), "y": 0.87})
            assert answer["ok"], answer
        return {**workshop, "families": families}
    finally:
        facilitator.close()
        for writer in writers:
            writer.close()


# What a plenary of about fifty says and names under each of the seed's four themes (written for this
# test from the themes of the seed's "Rencontre prospective"): a few quotes, then competences.
PROSPECTIVE = {
    "salarie-acteur": (
        ["Dans une entreprise apprenante, chacun enseigne ce qu’il sait à son voisin.",
         "Les salariés veulent comprendre le sens de ce qu’on leur demande.",
         "L’agilité, ce n’est pas aller plus vite, c’est décider plus près du terrain."],
        ["Apprendre en continu", "Transmettre son savoir-faire", "Travailler en autonomie",
         "Animer une communauté de pratique", "Accompagner le changement", "Donner et recevoir du feedback",
         "Conduire un projet intergénérationnel", "Faciliter un atelier collaboratif"]),
    "digital": (
        ["La donnée devient une matière première, encore faut-il savoir la lire.",
         "L’intelligence artificielle ne remplace pas l’expertise, elle la questionne.",
         "Nos techniciens sont déjà des informaticiens qui s’ignorent."],
        ["Lire et exploiter des données", "Utiliser un jumeau numérique", "Sécuriser les objets connectés",
         "Piloter une maintenance prédictive", "Dialoguer avec les informaticiens",
         "Évaluer une solution d’intelligence artificielle", "Automatiser une tâche répétitive",
         "Comprendre la cybersécurité industrielle"]),
    "boucles-courtes": (
        ["Le client ne veut plus un produit, il veut un service qui lui ressemble.",
         "Les territoires attendent des entreprises qu’elles s’engagent localement.",
         "Co-construire, c’est accepter de ne pas avoir la réponse avant le client."],
        ["Co-construire une offre avec les clients", "Coopérer avec les acteurs d’un territoire",
         "Personnaliser une offre de service", "Conduire une démarche d’économie circulaire",
         "Négocier avec les collectivités", "Écouter les usagers", "Mesurer la satisfaction client",
         "Monter un partenariat local"]),
    "villes-intelligentes": (
        ["La ville intelligente sera d’abord une ville sobre.",
         "L’énergie se produit désormais partout, il faut apprendre à la partager.",
         "Les macro-déterminants de la transition énergétique changent nos métiers."],
        ["Intégrer les énergies renouvelables au réseau", "Piloter la performance énergétique",
         "Conduire une installation de stockage d’énergie", "Analyser les flux d’un bâtiment connecté",
         "Accompagner l’autoconsommation collective", "Comprendre la réglementation environnementale",
         "Concevoir un réseau de chaleur", "Diagnostiquer une installation photovoltaïque"]),
}


def build_prospective_scene(base_url, participants=10):
    """The plenary: `participants` people and the facilitator capture 44 cards in all, 11 under each of
    the four themes (3 quotes, each attributed to the theme's speaker, and 8 competences)."""
    document = packaged("rencontre-prospective")
    workshop = create_from_format(base_url, document)
    people = [join(base_url, workshop["join_code"], f"Participant {i + 1}") for i in range(participants)]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    writers = [BoardClient(base_url, person["token"]) for person in people]
    try:
        assert facilitator.command("set_sequence", {"index": sequence_of(document, "captation")})["ok"]
        number = 0
        for theme, (speaker, (quotes, competences)) in zip(PROSPECTIVE, zip(document["speakers"], PROSPECTIVE.values())):
            for text in quotes:
                answer = facilitator.command("create_card", {"kind": "quote", "text": text, "zone_id": theme,
                                                             "speaker": speaker, "x": 0.5, "y": 0.5})
                assert answer["ok"], answer
            for text in competences:
                answer = writers[number % len(writers)].command("create_card", {
                    "kind": "postit", "text": text, "zone_id": theme, "x": 0.5, "y": round(number / 50, 3)})
                assert answer["ok"], answer
                number += 1
        return workshop
    finally:
        facilitator.close()
        for writer in writers:
            writer.close()


# Keywords the teams write on the factors of the first family (what it means, what it implies, a
# question, a risk: the format's note kinds), written for this test.
KEYWORDS = [("sens", "données partagées"), ("implication", "nouveaux métiers"), ("question", "qui finance ?"),
            ("risque", "fracture territoriale"), ("sens", "proximité"), ("implication", "coopérations locales")]


def build_factor_families_scene(base_url):
    """The factors map in its *Mots-clés* sequence at full scale: 20 people in 4 teams, the 50 factors in
    the 8 families of tests/canvas_scene.py (two ungrouped), and on each factor of the first family one
    keyword written by a member of its team. Returns the links with `families` [(zone id, name, card ids)]."""
    from canvas_scene import CANVAS, FAMILY_NAMES, create_canvas_workshop, teams_at_work
    document = packaged("cartographie-facteurs")
    workshop = create_canvas_workshop(base_url, participants=20, fmt=document)
    teams_at_work(base_url, workshop, teams=("Rouge", "Bleu", "Vert", "Violet"))
    facilitator = BoardClient(base_url, workshop["admin_token"])
    writer = BoardClient(base_url, workshop["participants"][0]["token"])
    try:
        deck = [card["id"] for card in document["deck"]]
        families = []
        for n, name in enumerate(FAMILY_NAMES):
            cards = deck[n * 6:n * 6 + 6]
            answer = facilitator.command("create_zone", {
                "zone_id": f"fam-{n + 1}", "area_id": CANVAS, "label": name, "card_ids": cards,
                "x": round(0.005 + (n % 4) * 0.248, 3), "y": round(0.015 + (n // 4) * 0.41, 3)})
            assert answer["ok"], answer
            families.append((f"fam-{n + 1}", name, cards))
        for i, card_id in enumerate(deck[48:]):
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": CANVAS, "x": 0.05 + i * 0.15, "y": 0.86})["ok"]
        assert facilitator.command("set_sequence", {"index": sequence_of(document, "mots-cles")})["ok"]
        for n, (card_id, (kind, text)) in enumerate(zip(families[0][2], KEYWORDS)):
            answer = writer.command("create_card", {"kind": "postit", "text": text, "zone_id": families[0][0], "x": 0,
                                                    "y": 0, "card_id": f"kw-{n + 1}", "parent": card_id, "note_kind": kind})
            assert answer["ok"], answer
        return {**workshop, "families": families}
    finally:
        facilitator.close()
        writer.close()
