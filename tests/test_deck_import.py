"""The deck import over HTTP on the real server (spec DECK1-DECK10, docs/http.md): files saved by
LibreOffice in French and English locales (tests/data/decks/make_decks.sh), an XLSX, a JSON file, a
pasted list and a file with a bad line of every kind; malformed files; a 500-card deck that every
participant's real socket.io client receives."""
import io
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import create_workshop

DECKS = Path(__file__).resolve().parent / "data" / "decks"
# What the French deck (source/deck-fr.csv) holds, as the board must import it: text, description,
# domain id, category id.
FRENCH_DECK = [
    ("Souder des canalisations en polyéthylène", "Réaliser une soudure bout à bout\nconforme au mode opératoire.",
     "maintenance", "techniques"),
    ("Conduire une réunion d’équipe", "Préparer l’ordre du jour ; animer ; conclure.", "management", "capacites"),
    ("Lire un schéma électrique", "", "automatismes", "techniques"),
    ("Écouter un client mécontent", "Accueillir la réclamation, reformuler, proposer.", "marketing", "capacites"),
    ("Coder une requête SQL", "Écrire « SELECT … » sans erreur", "donnees_si", None),
    ("Apprendre en continu", "", None, None),
]
ENGLISH_DECK = [
    ("Weld polyethylene pipes", "Butt-fusion weld\nfollowing the procedure.", "maintenance", "techniques"),
    ("Lead a team meeting", "Agenda, chair, conclude.", "management", "capacites"),
    ("Read an electrical diagram", "", "automatismes", None),
    ("Calm an unhappy customer", 'Listen, rephrase, "propose".', "marketing", "capacites"),
    ("Keep learning", "", None, None),
]
JSON_DECK = [
    ("Piloter un projet de rénovation", "Budget, délais, qualité.", "ingenierie", "techniques"),
    ("Négocier avec un fournisseur", "", "marketing", "capacites"),
    ("Accueillir un nouvel arrivant", "", None, None),
    ("Partager ses savoirs", "", None, None),
]
PASTED_DECK = [
    ("Diagnostiquer une panne", "Chercher la cause avant de remplacer la pièce.", None, None),
    ("Travailler en hauteur", "Harnais, ligne de vie, balisage.", None, None),
    ("Rendre compte à sa hiérarchie", "", None, None),
]


def post(server, workshop, route, **kwargs):
    return requests.post(f"{server.url}/f/{workshop['admin_token']}/deck/{route}", timeout=30, **kwargs)


def send_file(server, workshop, route, name, data=None, mode="replace", **fields):
    data = (DECKS / name).read_bytes() if data is None else data
    return post(server, workshop, route, files={"file": (name, data)}, data={"mode": mode, **fields})


def the_deck(server, workshop):
    """(text, description, domain, category) of the cards in the deck, in the deck's order."""
    snapshot = requests.get(f"{server.url}/api/board", timeout=5,
                            headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()
    cards = sorted((c for c in snapshot["cards"] if c["zone"] == "deck"), key=lambda c: c["z"])
    return [(c["text"], c["description"], c["domain"], c["category"]) for c in cards]


@pytest.mark.parametrize("name, expected", [
    ("fr-utf8-bom-semicolon.csv", FRENCH_DECK),
    ("fr-cp1252-semicolon.csv", FRENCH_DECK),
    ("en-utf8-comma.csv", ENGLISH_DECK),
    ("deck-fr.xlsx", FRENCH_DECK),
    ("deck.json", JSON_DECK),
])
def test_a_deck_file_saved_by_a_spreadsheet_imports_exactly(server, name, expected):
    """DECK2-DECK6: French (BOM, ';', Windows-1252) and English (',') CSV, XLSX and JSON: the preview
    lists every card with its line, and the import puts exactly those cards in the deck."""
    workshop = create_workshop(server.url)
    preview = send_file(server, workshop, "preview", name)
    assert preview.status_code == 200, preview.text
    answer = preview.json()
    assert answer["problems"] == [] and answer["refusal"] is None
    assert [(c["text"], c["description"], c["domain"], c["category"]) for c in answer["cards"]] == expected
    first_line = 1 if name.endswith(".json") else 2
    assert [c["line"] for c in answer["cards"]] == list(range(first_line, first_line + len(expected)))
    assert len(the_deck(server, workshop)) == 62  # the preview changed nothing
    imported = send_file(server, workshop, "import", name)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == len(expected) and imported.json()["removed"] == 62
    assert the_deck(server, workshop) == expected


def test_a_pasted_list_imports_a_title_and_a_description_after_a_tab_or_a_dash(server):
    workshop = create_workshop(server.url)
    text = (DECKS / "pasted.txt").read_text(encoding="utf-8")
    preview = post(server, workshop, "preview", data={"text": text, "mode": "add"}).json()
    assert [c["line"] for c in preview["cards"]] == [1, 2, 4] and preview["source"] is None
    answer = post(server, workshop, "import", data={"text": text, "mode": "add"}).json()
    assert answer["imported"] == 3 and answer["removed"] == 0
    assert the_deck(server, workshop)[-3:] == PASTED_DECK and len(the_deck(server, workshop)) == 65


def test_the_preview_names_each_bad_line_and_its_reason_and_the_good_lines_import_exactly(server):
    """DECK3, DECK4: a French file with a line of every kind of fault, saved by LibreOffice."""
    workshop = create_workshop(server.url)
    answer = send_file(server, workshop, "preview", "bad-lines-fr.csv", mode="add").json()
    problems = {p["line"]: p for p in answer["problems"]}
    assert {line: p["code"] for line, p in problems.items()} == {
        3: "empty_title", 4: "title_too_long", 5: "unknown_domain", 6: "unknown_category",
        7: "duplicate_in_file", 8: "duplicate_in_deck", 10: "description_too_long"}
    assert problems[5]["value"] == "Maintenence" and problems[5]["suggestion"]["id"] == "maintenance"
    assert problems[6]["value"] == "Technique métier" and problems[6]["suggestion"]["id"] == "techniques"
    assert problems[7]["first_line"] == 2
    good = [("Planifier une intervention", "Préparer les pièces et les consignations.", "maintenance", "techniques"),
            ("Rédiger un compte rendu", "Clair, court,\nsur deux lignes.", "ingenierie", "capacites")]
    assert [(c["text"], c["description"], c["domain"], c["category"]) for c in answer["cards"]] == good
    assert [c["line"] for c in answer["cards"]] == [2, 9]
    # Replacing, the demo deck's card is not a duplicate any more: it leaves with the deck (DECK5).
    replacing = send_file(server, workshop, "preview", "bad-lines-fr.csv", mode="replace").json()
    assert 8 not in {p["line"] for p in replacing["problems"]} and len(replacing["cards"]) == 3
    imported = send_file(server, workshop, "import", "bad-lines-fr.csv", mode="add").json()
    assert imported["imported"] == 2 and imported["skipped"] == 7
    assert the_deck(server, workshop)[-2:] == good


@pytest.mark.parametrize("name, data, words, reason", [
    ("junk.csv", bytes(range(256)) * 8, "not text", "not_text"),
    ("deck.xlsx", b"PK\x03\x04" + b"\x00" * 200, "XLSX", "not_xlsx"),
    ("photos.zip", (lambda: (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "bonjour"), b.getvalue())[1])(io.BytesIO()))(),
     "not an XLSX", "not_xlsx"),
    ("latin.csv", "titre\nCafé\n".encode("cp1252").replace(b"\xe9", b"\x81"), "neither UTF-8 nor Windows-1252", "encoding"),
    ("empty.csv", b"", "empty", "empty"),
    ("blank.csv", b" \n\n ", "empty", "empty"),
    ("names.csv", "nom_complet;âge\nCamille;30\n".encode(), "No title column", "no_title"),
    ("deck.json", b'{"cartes": 3}', "list of cards", "json_shape"),
    ("broken.json", b'[{"titre": "a"', "JSON", "json"),
])
def test_a_malformed_file_gets_a_clear_message_never_a_server_error(server, name, data, words, reason):
    workshop = create_workshop(server.url)
    for route in ("preview", "import"):
        answer = send_file(server, workshop, route, name, data=data)
        assert answer.status_code == 400, (route, answer.status_code, answer.text)
        assert answer.json()["ok"] is False and words in answer.json()["message"], answer.json()
        assert answer.json()["reason"] == reason  # the console says it in its own language
    assert len(the_deck(server, workshop)) == 62


def test_a_file_too_large_or_with_too_many_cards_is_refused_with_its_size(server):
    workshop = create_workshop(server.url)
    huge = b"titre\n" + b"x" * (5 * 1024 * 1024)
    answer = send_file(server, workshop, "preview", "huge.csv", data=huge)
    assert answer.status_code == 413 and "4 MB" in answer.json()["message"]
    many = ("titre\n" + "".join(f"Carte {n}\n" for n in range(1001))).encode()
    answer = send_file(server, workshop, "import", "many.csv", data=many)
    assert answer.status_code == 413 and "1000" in answer.json()["message"]
    assert len(the_deck(server, workshop)) == 62


def test_importing_is_refused_after_the_first_sequence_and_only_the_facilitator_may(server, clients):
    """DECK1 over HTTP: 409 sequence_closed once the workshop moved on; a participant's token opens nothing."""
    workshop = create_workshop(server.url, participants=1)
    participant = {"admin_token": workshop["participants"][0]["token"]}
    assert send_file(server, participant, "preview", "deck.json").status_code == 404
    assert clients(workshop["admin_token"]).command("set_sequence", {"index": 1})["ok"]
    preview = send_file(server, workshop, "preview", "deck.json").json()
    assert preview["refusal"]["code"] == "sequence_closed" and len(preview["cards"]) == 4
    answer = send_file(server, workshop, "import", "deck.json")
    assert answer.status_code == 409 and answer.json()["code"] == "sequence_closed"
    assert "sequence 1" in answer.json()["message"]
    assert len(the_deck(server, workshop)) == 62


def test_an_import_retried_with_its_command_id_is_applied_once(server):
    workshop = create_workshop(server.url)
    first = send_file(server, workshop, "import", "deck.json", mode="add", command_id="deck-1").json()
    again = send_file(server, workshop, "import", "deck.json", mode="add", command_id="deck-1").json()
    assert first["ok"] and again["version"] == first["version"]
    assert len(the_deck(server, workshop)) == 66


def deck_of(count):
    lines = ["Titre;Description;Domaine;Catégorie"]
    domains = ["Maintenance", "Ingénierie et R&D", "Socle commun", "Management et organisation"]
    for n in range(1, count + 1):
        lines.append(f"Compétence n°{n} de l’atelier;Description de la compétence {n}, assez longue pour "
                     f"ressembler à une vraie : savoir-faire, contexte et exemples.;{domains[n % 4]};Techniques Métiers")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_a_500_card_deck_imports_and_every_participants_socket_receives_it(server, clients):
    """The 500-card deck goes over HTTP (a socket command is limited to 8 KB), is one event, and
    every connected member (20 participants, the projector, the facilitator) holds all 500 cards."""
    workshop = create_workshop(server.url, participants=20)
    sockets = [clients(p["token"]) for p in workshop["participants"]]
    sockets += [clients(workshop["projector_token"]), clients(workshop["admin_token"])]
    answer = send_file(server, workshop, "import", "deck-500.csv", data=deck_of(500))
    assert answer.status_code == 200, answer.text
    assert answer.json()["imported"] == 500
    version = answer.json()["version"]
    for client in sockets:
        client.wait_version(version, timeout=20)
        deck = sorted((c for c in client.state()["cards"] if c["zone"] == "deck"), key=lambda c: c["z"])
        assert len(deck) == 500
        assert deck[0]["text"] == "Compétence n°1 de l’atelier" and deck[-1]["text"] == "Compétence n°500 de l’atelier"
        assert deck[0]["domain"] == "ingenierie" and deck[0]["category"] == "techniques"
        events = [m for m in client.messages("event") if m["type"] == "deck_imported"]
        assert len(events) == 1 and len(events[0]["data"]["cards"]) == 500
    late = clients(workshop["participants"][0]["token"])  # a page opened after: its welcome holds them
    assert sum(1 for c in late.state()["cards"] if c["zone"] == "deck") == 500


def test_an_acknowledged_import_survives_a_crash_of_the_server(fresh_server):
    """Durable before acknowledged: the 500 cards are in the deck after a kill -9 and a restart."""
    first = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(first.url)
    answer = requests.post(f"{first.url}/f/{workshop['admin_token']}/deck/import", timeout=30,
                           files={"file": ("deck.csv", deck_of(500))}, data={"mode": "replace"})
    assert answer.json()["imported"] == 500
    first.stop(kill=True)
    second = fresh_server(port=first.port, extra_args=["--no-demo", "--join-rate", "100"])
    deck = the_deck(second, workshop)
    assert len(deck) == 500 and deck[0][0] == "Compétence n°1 de l’atelier"


def test_the_server_checks_every_row_again_whatever_the_client_sends(server):
    """The import trusts no preview: rows posted straight to the import route are judged again."""
    workshop = create_workshop(server.url)
    cards = [{"titre": "Souder", "domaine": "Maintenance"}, {"titre": "Voler", "domaine": "Astronomie"},
             {"titre": "souder"}, {"titre": "x" * 281}]
    answer = post(server, workshop, "import", json={"mode": "add", "cards": cards}).json()
    assert answer["imported"] == 1 and answer["skipped"] == 3
    assert the_deck(server, workshop)[-1] == ("Souder", "", "maintenance", None)


def test_a_small_import_may_also_go_as_a_socket_command_and_reaches_every_socket(server, clients):
    """import_deck is an ordinary command on the write path: sent over the socket (within 8 KB) it is
    acknowledged once durable and broadcast as one deck_imported; a participant may not send it."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    people = [clients(p["token"]) for p in workshop["participants"]]
    refused = people[0].command("import_deck", {"mode": "add", "cards": [{"line": 1, "text": "Souder"}]})
    assert refused["code"] == "forbidden"
    ack = facilitator.command("import_deck", {"mode": "replace", "cards": [
        {"line": 1, "text": "Souder", "domain": "Maintenance", "category": "Trade techniques"},
        {"line": 2, "text": "", "description": "sans titre"}]})
    assert ack["ok"], ack
    for client in [facilitator, *people]:
        client.wait_version(ack["version"])
        deck = [c for c in client.state()["cards"] if c["zone"] == "deck"]
        assert [(c["text"], c["domain"], c["category"]) for c in deck] == [("Souder", "maintenance", "techniques")]
    too_big = facilitator.command("import_deck", {"mode": "add", "cards": [
        {"line": n, "text": f"Une compétence assez longue numéro {n}"} for n in range(1, 300)]})
    assert too_big["code"] == "too_large"
