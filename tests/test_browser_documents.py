"""A workshop created from a file on /animer, in a real browser (DOC2, DOC3, DOC6).

A facilitator who received a template file (their own deck, renamed labels, two teams) picks it on
/animer: a bad file is refused with its problem named in view; the template opens the new console,
whose "Fichiers de l'atelier" downloads the template again, and whose board shows the imported deck.
"""
import json

import requests
from playwright.sync_api import expect

from browser import open_board, unfold
from conftest import create_workshop

OWN_DECK = ["Souder à l’arc électrique", "Lire un plan hydraulique", "Régler un variateur de vitesse",
            "Tenir un registre de sécurité", "Former un collègue au poste"]


def a_template(base_url):
    """A template file as another facilitator would send it: made by the server, then given their own
    deck (five cards) and a renamed first domain, two teams."""
    workshop = create_workshop(base_url)
    template = requests.get(f"{base_url}/f/{workshop['admin_token']}/template.json", timeout=10).json()
    template["deck"] = [{"text": text, "description": f"Carte du jeu de l’atelier n° {i + 1}.", "domain": "socle",
                         "category": "techniques"} for i, text in enumerate(OWN_DECK)]
    template["teams"] = [{"name": "Atelier A", "colour": "#001848", "domain": "socle"},
                         {"name": "Atelier B", "colour": "#2a9d70", "domain": None}]
    first_row = template["format"]["panorama"]["rows"][0]
    first_row["label"] = first_row["short"] = {"fr": "Socle de l’usine", "en": "Plant base"}
    return template


def test_a_facilitator_creates_a_workshop_from_a_file_at_animer(server, contexts, tmp_path):
    template = a_template(server.url)
    good = tmp_path / "modele-atelier.json"
    good.write_text(json.dumps(template, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "coupe.json"
    bad.write_bytes(good.read_bytes()[:700])
    boards_before = requests.get(server.url + "/healthz", timeout=5).json()["boards"]

    context = contexts(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(server.url + "/animer")
    section = page.locator(".document-upload")
    expect(section.get_by_role("heading", name="Créer depuis un fichier")).to_be_visible()
    # A cut file: the same page again, the problem named in view, and no workshop made.
    page.get_by_label("Fichier (.json)").set_input_files(str(bad))
    page.get_by_role("button", name="Créer depuis ce fichier").click()
    error = page.locator("#document-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("rien n’a été créé")
    expect(error).to_contain_text("file: is not complete JSON (line")
    box = error.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 768, box
    assert page.url == server.url + "/workshops/document"
    page.screenshot(path="/tmp/documents-animer-error.png", full_page=True)
    assert requests.get(server.url + "/healthz", timeout=5).json()["boards"] == boards_before

    # The template: the new workshop's console opens.
    button = page.get_by_role("button", name="Créer depuis ce fichier")
    assert button.bounding_box()["height"] >= 44
    page.get_by_label("Fichier (.json)").set_input_files(str(good))
    button.click()
    expect(page.locator("#join-code")).to_be_visible()
    assert "/f/" in page.url
    files = unfold(page, "section.documents")  # folded below the people until opened
    files.scroll_into_view_if_needed()
    expect(files.get_by_role("heading", name="Fichiers de l’atelier")).to_be_visible()
    for name in ("Télécharger l’atelier (JSON)", "Télécharger le modèle (JSON)"):
        expect(files.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("#document-export-names")).to_be_hidden()  # nobody is anonymous here
    files.screenshot(path="/tmp/documents-console.png")
    page.screenshot(path="/tmp/documents-console-full.png", full_page=True)
    with page.expect_download() as download:
        files.get_by_role("link", name="Télécharger le modèle (JSON)").click()
    again = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert [card["text"] for card in again["deck"]] == OWN_DECK
    assert again["teams"] == template["teams"]
    assert again["format"]["panorama"]["rows"][0]["label"]["fr"] == "Socle de l’usine"

    # Its board shows the imported deck, in its order, and the renamed domain.
    board = open_board(context, page.url.replace("/f/", "/p/"))
    deck = board.locator("#deck-list")
    for text in OWN_DECK:
        expect(deck.get_by_text(text, exact=True)).to_be_visible()
    assert deck.locator("[data-card] .card-text").all_inner_texts() == OWN_DECK
    expect(board.locator("#panorama")).to_contain_text("Socle de l’usine")
    board.screenshot(path="/tmp/documents-board.png")


def test_the_console_offers_the_file_with_names_only_when_names_are_withheld(server, contexts):
    """DOC5 in the console: with a sequence anonymous, a third link downloads the file with the names;
    the plain one names nobody."""
    from realtime import BoardClient
    from conftest import join
    workshop = create_workshop(server.url)
    join(server.url, workshop["join_code"], "Inès Lambert")
    page = contexts(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(workshop["facilitator_url"])
    files = unfold(page, "section.documents")  # folded below the people until opened
    expect(files.get_by_role("link", name="Télécharger l’atelier (JSON)")).to_be_visible()
    expect(page.locator("#document-export-names")).to_be_hidden()
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        assert facilitator.command("set_anonymity", {"on": True})["ok"]
    finally:
        facilitator.close()
    named = files.get_by_role("link", name="Télécharger l’atelier avec les noms (JSON)")
    expect(named).to_be_visible()
    for link in (files.get_by_role("link", name="Télécharger l’atelier (JSON)"), named):
        box = link.bounding_box()
        assert box["height"] >= 44, box
    with page.expect_download() as plain:
        files.get_by_role("link", name="Télécharger l’atelier (JSON)").click()
    assert "Inès Lambert" not in open(plain.value.path(), encoding="utf-8").read()
    with page.expect_download() as with_names:
        named.click()
    assert "Inès Lambert" in open(with_names.value.path(), encoding="utf-8").read()
    files.screenshot(path="/tmp/documents-console-anonymous.png")
