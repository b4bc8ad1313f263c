"""Before and after the workshop, the whole story in real browsers (issue 12): a facilitator prepares
a workshop from their own spreadsheet, runs it with twelve people, and hands over the synthesis the
same evening to someone who was not in the room.

The spreadsheet is tests/data/decks/story-fr.csv, saved by LibreOffice as French Excel's plain CSV
(Windows-1252, ';'), 23 lines of which 3 are bad. What the page shows is checked against what this
test itself sent: the cards it imported, the dots it put, the cell each card went to.
"""
import re
import shutil
import subprocess

import pytest
import requests

from browser import expect, font_px, shoot, wait_until
from conftest import join
from fullscale import ok
from realtime import BoardClient
from test_browser_deck_import import LAPTOP, within_reach

STORY_CSV = "tests/data/decks/story-fr.csv"
TITLE, DATE, PLACE = "Atelier Compétences — Tours", "2026-12-03", "Tours, salle 204"
# The bad lines of the file, as the preview must name them (line numbers as a spreadsheet shows them).
BAD_LINES = {21: "titre vide", 22: "domaine inconnu « Maintenence »", 23: "doublon de la ligne 9"}
GOOD_CARDS = 20  # 23 lines of cards, 3 of them bad ("Marketing" is the id of its row: recognised, DECK4)
PEOPLE = [f"Participant {i + 1}" for i in range(12)]


def run_the_workshop(base_url, admin_token, join_code):
    """Twelve people in two teams place every imported card in its cell, one team writes a card, and
    everyone votes by a plan known in advance; returns (dots per card id, cell per card id, texts)."""
    people = [join(base_url, join_code, name) for name in PEOPLE]
    facilitator = BoardClient(base_url, admin_token)
    clients = [BoardClient(base_url, person["token"]) for person in people]
    try:
        snapshot = facilitator.state()
        rows = {row["id"] for row in snapshot["format"]["panorama"]["rows"]}
        deck = sorted((c for c in snapshot["cards"] if c["kind"] == "deck"), key=lambda c: c["z"])
        assert len(deck) == GOOD_CARDS and all(c["domain"] in rows and c["category"] for c in deck)
        teams = [ok(facilitator.command("create_team", {"name": name, "colour": colour}))["version"]
                 for name, colour in (("Bleus", "#1f5fbf"), ("Oranges", "#c4520e"))]
        for index, person in enumerate(people):
            ok(facilitator.command("join_team", {"team_id": f"t{teams[index % 2]}",
                                                 "participant_id": person["participant_id"]}))
        ok(facilitator.command("set_sequence", {"index": 1}))
        cell_of = {}
        for index, card in enumerate(deck):
            cell_of[card["id"]] = f"{card['domain']}/{card['category']}"
            ok(clients[index % len(clients)].command("move_card", {
                "card_id": card["id"], "zone_id": cell_of[card["id"]], "x": 0.5, "y": round(index / 20, 2)}))
        ok(facilitator.command("set_sequence", {"index": 2}))
        ok(clients[0].command("create_card", {"kind": "new", "text": "Coordonner une intervention avec le réseau voisin",
                                              "zone_id": "exploitation/capacites", "x": 0.5, "y": 0.9,
                                              "card_id": "new-story"}))
        cell_of["new-story"] = "exploitation/capacites"
        ok(facilitator.command("set_sequence", {"index": 3}))
        ok(facilitator.command("open_vote", {}))
        # A plan with clear leaders: everyone puts 2 dots on the first card, 2 on one of two others and
        # 1 on a card of their own choosing, so that totals fall 24, then 12 and 12 or so, then ones.
        plan = [deck[0]["id"], deck[5]["id"], deck[9]["id"], "new-story"]
        dots = {}
        for index, client in enumerate(clients):
            choice = [(plan[0], 2), (plan[1 + index % 2], 2), (plan[3] if index < 5 else deck[10 + index % 8]["id"], 1)]
            for card_id, count in choice:
                for _ in range(count):
                    ok(client.command("vote", {"card_id": card_id, "delta": 1}))
                dots[card_id] = dots.get(card_id, 0) + count
        ok(facilitator.command("close_vote", {}))
        ok(facilitator.command("reveal_results", {}))
        texts = {card["id"]: card["text"] for card in deck}
        texts["new-story"] = "Coordonner une intervention avec le réseau voisin"
        return dots, cell_of, texts
    finally:
        for client in clients:
            client.close()
        facilitator.close()


def test_a_facilitator_prepares_from_a_spreadsheet_runs_the_workshop_and_publishes_the_synthesis(
        server, contexts, shots, tmp_path):
    # 1. Prepare: name, date and place the workshop at /animer; it opens on the console.
    facilitator_context = contexts(viewport=LAPTOP)
    page = facilitator_context.new_page()
    page.goto(f"{server.url}/animer")
    page.fill('form.create-form input[name="title"]', TITLE)
    page.fill('form.create-form input[name="date"]', DATE)
    page.fill('form.create-form input[name="place"]', PLACE)
    page.locator('form.create-form button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/f/[^/]+$"))
    console_url = page.url

    # "Mes ateliers" lists it with its name, date and state, and opens its console again.
    page.goto(f"{server.url}/bureau")
    listed = page.locator(".desk-workshop", has_text=TITLE)
    expect(listed).to_have_count(1)
    expect(listed.locator(".desk-state")).to_have_text("En préparation")
    expect(listed.locator(".desk-place")).to_have_text(PLACE)
    assert font_px(listed.locator(".desk-workshop-title")) >= 18
    shoot(page, "story-my-workshops", shots)
    listed.locator(".desk-open").click()
    page.wait_for_url(console_url)
    console = page
    expect(console.locator('body[data-connection="online"]')).to_be_attached()

    # 2. The deck from the spreadsheet, through the preview: each bad line named with its reason.
    console.locator("section.deck-import").scroll_into_view_if_needed()
    console.set_input_files("#deck-import-file", STORY_CSV)
    dialog = console.locator("dialog.deck-import-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Remplacer le paquet").check()
    # Choosing asks the server for the preview again and draws a new dialog: read the lines of that one.
    expect(dialog.locator(".deck-import-effect")).to_contain_text("encore dans le paquet sont retirées")
    expect(dialog.locator(".deck-import-summary")).to_have_text(
        f"{GOOD_CARDS} cartes à importer, {len(BAD_LINES)} lignes ignorées.")
    problems = dialog.locator(".deck-import-problems li")
    expect(problems).to_have_count(len(BAD_LINES))
    for item, (line, reason) in zip(problems.all(), BAD_LINES.items()):
        item.scroll_into_view_if_needed()
        expect(item.locator(".line-number")).to_have_text(f"Ligne {line}")
        expect(item.locator(".problem-reason")).to_contain_text(reason)
        assert font_px(item.locator(".problem-reason")) >= 14
    expect(problems.nth(1)).to_contain_text("Vouliez-vous dire « Maintenance » ?")
    # A title with a line break inside its quoted cell came through whole.
    expect(dialog.locator(".deck-import-cards")).to_contain_text("Rédiger un mode opératoire")
    within_reach(console, console.locator("#deck-import-confirm"))
    shoot(console, "story-import-preview", shots)
    console.locator("#deck-import-confirm").click()
    expect(dialog).to_have_count(0)
    expect(console.locator("#deck-import-status")).to_have_text(
        f"Le paquet compte {GOOD_CARDS} cartes, dont 0 déjà placées.")

    # 3. Run it: twelve people over real sockets, from joining to the results.
    admin_token = console_url.rsplit("/", 1)[1]
    join_code = console.locator("#join-code").inner_text().strip()
    dots, cell_of, texts = run_the_workshop(server.url, admin_token, join_code)

    # 4. Publish the synthesis from the console, without names.
    section = console.locator(".synthesis-control")
    section.scroll_into_view_if_needed()
    console.locator("#synthesis-publish").click()
    expect(console.locator("#synthesis-status")).to_have_text("Publiée, sans aucun nom de participant.")
    wait_until(console, "document.getElementById('synthesis-link').value.includes('/r/')")
    url = console.locator("#synthesis-link").input_value()

    # 5. Someone who was not in the room opens the link in their own browser.
    reader = contexts(viewport=LAPTOP).new_page()
    reader.goto(url)
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator(".syn-kicker")).to_have_text("Découvrez le panorama")
    expect(reader.locator("#syn-participants")).to_have_text(f"{len(PEOPLE)} participants")
    header = reader.locator("header, .syn-head").first.inner_text()
    assert PLACE in header and "2026" in header, header
    # The ranking: the test's own tally, best first; ties share a rank, so compare totals in order.
    expected = sorted(dots.values(), reverse=True)
    rows = reader.locator("#ranking-overall tbody tr")
    expect(rows).to_have_count(len(dots))
    shown = [int(row.get_attribute("data-dots")) for row in rows.all()]
    assert shown == expected, (shown, expected)
    leader = max(dots, key=dots.get)
    expect(rows.first).to_contain_text(texts[leader])
    # The heatmap: each cell's number is the sum of its cards' dots, and the busiest cell is darkest.
    per_cell = {}
    for card_id, count in dots.items():
        per_cell[cell_of[card_id]] = per_cell.get(cell_of[card_id], 0) + count
    for cell in reader.locator(".heat-cell").all():
        assert int(cell.get_attribute("data-dots")) == per_cell.get(cell.get_attribute("data-zone"), 0)
    busiest = max(per_cell, key=per_cell.get)
    shades = {c.get_attribute("data-zone"): float(c.get_attribute("data-shade")) for c in reader.locator(".heat-cell").all()}
    assert max(shades, key=shades.get) == busiest
    # The team's new card is there; nobody's name is.
    expect(reader.locator("#new-cards")).to_contain_text(texts["new-story"])
    body = reader.locator("body").inner_text()
    assert not [name for name in PEOPLE if re.search(rf"\b{name}\b", body)]
    shoot(reader, "story-synthesis", shots)

    # 6. The PDF made on the server: its first page is A4 landscape and not blank.
    response = requests.get(f"{url}/synthese.pdf", timeout=120)
    assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is missing: `make test` installs it")
    pdf = tmp_path / "synthese.pdf"
    pdf.write_bytes(response.content)
    target = shots / "story-synthesis-pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)],
                   check=True, timeout=60)
    from PIL import Image  # WeasyPrint's own dependency
    with Image.open(f"{target}.png") as image:
        width, height = image.size
        assert width > height and abs(width / height - 297 / 210) < 0.02, image.size
        colours = image.convert("L").getextrema()
        assert colours[0] < 100, colours  # ink on the page, not a white sheet
