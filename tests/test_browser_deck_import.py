"""The console's deck import in a real chromium at 1366×768 (spec DECK1-DECK10): the facilitator
chooses a CSV with bad lines, reads the preview (every bad line with its reason, the buttons within
reach), confirms, and the participants' decks show the new cards; a 500-card deck reaches a
participant's page whole. The preview's screenshot is docs/screenshots/import-preview.png
(`SCREENSHOTS=docs`), else /tmp/deck-import-preview.png."""
from pathlib import Path

import requests

from browser import expect, font_px, on_top, open_board, shoot, wait_version
from conftest import create_workshop

LAPTOP = {"width": 1366, "height": 768}
DECKS = Path(__file__).resolve().parent / "data" / "decks"
BAD_LINES = {3: "titre vide", 4: "titre de plus de 280 caractères", 5: "domaine inconnu « Maintenence »",
             6: "catégorie inconnue « Technique métier »", 7: "doublon de la ligne 2", 8: "déjà dans le paquet",
             10: "description de plus de 1000 caractères"}


def within_reach(page, locator):
    """Visible, inside the window, not covered, at least 44 px high and wide (a finger's target)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= LAPTOP["width"] and box["y"] + box["height"] <= LAPTOP["height"], box
    assert box["height"] >= 44 and box["width"] >= 44, box
    assert on_top(locator)


def test_the_facilitator_previews_a_csv_with_bad_lines_confirms_and_the_participants_deck_shows_the_cards(
        server, contexts, shots):
    workshop = create_workshop(server.url, participants=20)
    participant = open_board(contexts(viewport=LAPTOP), f"{server.url}/p/{workshop['participants'][0]['token']}")
    page = open_board(contexts(viewport=LAPTOP), workshop["facilitator_url"])
    section = page.locator("section.deck-import")
    section.scroll_into_view_if_needed()
    expect(page.locator("#deck-import-status")).to_have_text("Le paquet compte 62 cartes, dont 0 déjà placées.")
    within_reach(page, page.locator("#deck-import-preview-button"))
    page.screenshot(path="/tmp/deck-import-console.png", full_page=True)

    page.set_input_files("#deck-import-file", str(DECKS / "bad-lines-fr.csv"))
    dialog = page.locator("dialog.deck-import-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".deck-import-summary")).to_have_text("2 cartes à importer, 7 lignes ignorées.")
    # Each bad line is named by its number, with its reason, readable: what the facilitator fixes.
    items = dialog.locator(".deck-import-problems li")
    expect(items).to_have_count(len(BAD_LINES))
    for item, (line, reason) in zip(items.all(), BAD_LINES.items()):
        item.scroll_into_view_if_needed()
        expect(item).to_be_visible()
        expect(item.locator(".line-number")).to_have_text(f"Ligne {line}")
        expect(item.locator(".problem-reason")).to_contain_text(reason)
        assert font_px(item.locator(".problem-reason")) >= 15
    expect(items.nth(2)).to_contain_text("Vouliez-vous dire « Maintenance » ?")
    expect(items.nth(3)).to_contain_text("Vouliez-vous dire « Techniques Métiers » ?")
    cards = dialog.locator(".deck-import-cards tbody tr")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Planifier une intervention")
    expect(cards.nth(1)).to_contain_text("Rédiger un compte rendu")
    # Replace or add, and the buttons, stay within reach however long the list is.
    dialog.locator(".deck-import-problems li").first.scroll_into_view_if_needed()
    for name in ("Ajouter au paquet", "Remplacer le paquet"):
        within_reach(page, dialog.locator("label.deck-import-mode-option", has_text=name))
    within_reach(page, page.locator("#deck-import-cancel"))
    within_reach(page, page.locator("#deck-import-confirm"))
    expect(page.locator("#deck-import-confirm")).to_have_text("Importer 2 cartes")
    shoot(page, "import-preview", shots)
    page.screenshot(path="/tmp/deck-import-preview.png")

    # Replacing, the demo deck's card leaves with the deck, so line 8 is no duplicate any more.
    dialog.get_by_label("Remplacer le paquet").check()
    expect(page.locator("dialog.deck-import-dialog .deck-import-summary")).to_have_text("3 cartes à importer, 6 lignes ignorées.")
    expect(page.locator("dialog.deck-import-dialog .deck-import-effect")).to_contain_text("Les 62 cartes encore dans le paquet sont retirées")
    page.locator("dialog.deck-import-dialog").get_by_label("Ajouter au paquet").check()
    expect(page.locator("dialog.deck-import-dialog .deck-import-summary")).to_have_text("2 cartes à importer, 7 lignes ignorées.")
    version = page.evaluate("window.atelier.connection.confirmed.version")
    page.locator("#deck-import-confirm").click()
    expect(page.locator("dialog.deck-import-dialog")).to_have_count(0)
    expect(page.locator("#deck-import-note")).to_have_text("2 cartes importées (7 lignes ignorées, 0 retirées du paquet).")
    expect(page.locator("#deck-import-status")).to_have_text("Le paquet compte 64 cartes, dont 0 déjà placées.")

    wait_version(participant, version + 1)
    for text in ("Planifier une intervention", "Rédiger un compte rendu"):
        card = participant.locator("#deck-list .card", has_text=text)
        expect(card).to_have_count(1)
        card.scroll_into_view_if_needed()
        expect(card).to_be_visible()
    expect(participant.locator("#deck-count")).to_have_text("64 cartes affichées sur 64")
    participant.locator("#deck-list .card", has_text="Rédiger un compte rendu").screenshot(path="/tmp/deck-import-participant-card.png")


def deck_of(count):
    lines = ["Titre;Description;Domaine;Catégorie"]
    for n in range(1, count + 1):
        lines.append(f"Compétence n°{n};Ce que la personne sait faire, numéro {n}.;Maintenance;Techniques Métiers")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_a_500_card_deck_shows_whole_in_a_participants_deck(server, contexts):
    workshop = create_workshop(server.url, participants=3)
    pages = [open_board(contexts(viewport=LAPTOP), f"{server.url}/p/{p['token']}") for p in workshop["participants"]]
    screens = [open_board(contexts(viewport=LAPTOP), workshop["facilitator_url"]),
               open_board(contexts(viewport={"width": 1920, "height": 1080}), workshop["projector_url"])]
    answer = requests.post(f"{server.url}/f/{workshop['admin_token']}/deck/import", timeout=30,
                           files={"file": ("deck.csv", deck_of(500))}, data={"mode": "replace"}).json()
    assert answer["imported"] == 500, answer
    for page in pages:
        wait_version(page, answer["version"], timeout=15)
        expect(page.locator("#deck-list .card")).to_have_count(500)
        expect(page.locator("#deck-count")).to_have_text("500 cartes affichées sur 500")
        # In file order: the first is at the top, the 500th at the end, each readable.
        expect(page.locator("#deck-list .card").first).to_contain_text("Compétence n°1")
        last = page.locator("#deck-list .card").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_visible()
        expect(last).to_contain_text("Compétence n°500")
    pages[0].screenshot(path="/tmp/deck-import-500.png")
    # The console and the projector hold the same deck as the server, card for card (state.js's reducer).
    snapshot = requests.get(f"{server.url}/api/board", headers={"Authorization": f"Bearer {workshop['admin_token']}"},
                            timeout=5).json()
    fields = ("id", "kind", "text", "description", "zone", "z", "domain", "category", "team")
    expected = sorted(tuple(c[f] for f in fields) for c in snapshot["cards"])
    for page in [*pages[:1], *screens]:
        wait_version(page, answer["version"], timeout=15)
        held = page.evaluate(f"[...window.atelier.connection.confirmed.cards.values()].map((c) => {list(fields)}.map((f) => c[f]))")
        assert sorted(tuple(card) for card in held) == expected
    expect(screens[0].locator("#deck-import-status")).to_have_text("Le paquet compte 500 cartes, dont 0 déjà placées.")


def test_after_the_first_sequence_the_import_section_gives_its_place_back_and_the_server_refuses(server, contexts):
    """DECK1: the section shows in sequence 1 only (the vote keeps its place on the first screen
    later); an import sent anyway is refused with a sentence saying when cards are imported."""
    workshop = create_workshop(server.url)
    page = open_board(contexts(viewport=LAPTOP), workshop["facilitator_url"])
    expect(page.locator("section.deck-import")).to_be_visible()
    page.locator("#sequence-next").click()
    expect(page.locator("section.deck-import")).to_be_hidden()
    expect(page.locator("section.vote")).to_be_visible()
    assert page.locator("section.vote").bounding_box()["y"] < LAPTOP["height"] / 2
    refused = requests.post(f"{workshop['facilitator_url']}/deck/import", timeout=10,
                            data={"text": "Souder", "mode": "add"})
    assert refused.status_code == 409 and "before or during sequence 1" in refused.json()["message"]
    page.locator("#sequence-previous").click()
    expect(page.locator("section.deck-import")).to_be_visible()


def test_escape_closes_the_preview_and_nothing_changes_and_an_unreadable_file_says_why(server, contexts):
    workshop = create_workshop(server.url)
    page = open_board(contexts(viewport=LAPTOP), workshop["facilitator_url"])
    version = page.evaluate("window.atelier.connection.confirmed.version")
    page.locator("#deck-import-text").fill("Diagnostiquer une panne\tChercher la cause.\nTravailler en hauteur — Harnais.")
    page.locator("#deck-import-preview-button").click()
    dialog = page.locator("dialog.deck-import-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Aperçu de l’import : texte collé")
    expect(dialog.locator(".deck-import-cards tbody tr")).to_have_count(2)
    expect(page.locator("#deck-import-cancel")).to_be_focused()  # Enter by reflex changes nothing
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.atelier.connection.confirmed.version") == version
    # A file that is no deck: the reason in the section, no dialog, no change.
    page.locator("#deck-import-text").fill("")
    page.set_input_files("#deck-import-file", files=[{"name": "photo.xlsx", "mimeType": "application/zip",
                                                      "buffer": b"PK\x03\x04" + bytes(300)}])
    note = page.locator("#deck-import-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Ce fichier ne peut pas être importé")
    expect(note).to_have_text("Ce fichier ne peut pas être importé : ce n’est pas un classeur XLSX lisible : "
                              "enregistrez le paquet en XLSX ou en CSV.")
    expect(page.locator("dialog.deck-import-dialog")).to_have_count(0)
    assert page.evaluate("window.atelier.connection.confirmed.version") == version
