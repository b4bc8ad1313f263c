"""The published synthesis "Découvrez le panorama" (docs/spec.md SYN1-SYN9): publishing on the one
write path, its link, what the page and its PDF show, against the real server on the full-scale scene.

The ranking and the heatmap are computed here again, independently, from the dots the facilitator's
real socket.io client holds (not from board/domain/vote.py), and compared with what the page shows.
"""
import html
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from board.domain import Rejection
from board.synthesis_view import synthesis
from board.tokens import synthesis_token_for
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop
from fullscale import NAMES, build_full_scene
from realtime import BoardClient

ROOT = Path(__file__).resolve().parent.parent


# -- the domain: who publishes, and the editions that make links (SYN1, SYN2)

def test_only_the_facilitator_publishes_and_unpublishes_and_each_publication_after_an_unpublish_is_a_new_edition():
    """SYN1, SYN2."""
    workshop = Workshop()
    workshop.send("system", "join", participant_id="p1", name="Ana", role="participant")
    assert workshop.send("p1", "publish_synthesis", include_names=False).code == "forbidden"
    assert workshop.send(PROJECTOR_ID, "publish_synthesis", include_names=False).code == "forbidden"
    assert workshop.send(FACILITATOR_ID, "unpublish_synthesis").code == "conflict"
    first = workshop.send(FACILITATOR_ID, "publish_synthesis", include_names=False)
    assert (first.type, first.data) == ("synthesis_published", {"edition": 1, "include_names": False})
    assert workshop.send(FACILITATOR_ID, "publish_synthesis", include_names=False).code == "conflict"
    # Names on while published: the same edition, so the same link.
    named = workshop.send(FACILITATOR_ID, "publish_synthesis", include_names=True)
    assert named.data == {"edition": 1, "include_names": True}
    assert workshop.send("p1", "unpublish_synthesis").code == "forbidden"
    assert workshop.send(FACILITATOR_ID, "unpublish_synthesis").type == "synthesis_unpublished"
    assert workshop.board.publication == {"published": False, "include_names": True, "edition": 1}
    again = workshop.send(FACILITATOR_ID, "publish_synthesis", include_names=False)
    assert again.data == {"edition": 2, "include_names": False}
    assert workshop.board.to_dict()["publication"] == {"published": True, "include_names": False, "edition": 2}
    assert isinstance(workshop.send(FACILITATOR_ID, "publish_synthesis", include_names="yes"), Rejection)


def test_the_page_reads_the_boards_own_labels_not_the_packaged_format():
    """SYN4: a label renamed on the board (the `labels` capability changes the board's document) is
    the one the synthesis shows."""
    workshop = Workshop()
    workshop.board.format.document["panorama"]["rows"][3]["label"] = {"fr": "Maintenance 4.0", "en": "Maintenance 4.0"}
    view = synthesis(workshop.board, "fr")
    assert [row["label"] for row in view["heatmap"]][3] == "Maintenance 4.0"
    assert view["title"] == "Atelier Compétences" and view["participants"] == 0
    assert [d["term"] for d in view["definitions"]] == ["Compétence", "Macro-compétence"]


def test_the_workshops_details_give_the_title_the_date_and_the_place():
    """SYN4: `board.details` (the `desk` capability's), read defensively; the date as people write it."""
    workshop = Workshop()
    workshop.board.details = {"title": "Atelier GRDF Lyon", "date": "2026-11-28", "place": "Lyon, salle Rhône"}
    french, english = synthesis(workshop.board, "fr"), synthesis(workshop.board, "en")
    assert (french["title"], french["date"], french["place"]) == ("Atelier GRDF Lyon", "28 novembre 2026",
                                                                 "Lyon, salle Rhône")
    assert english["date"] == "28 November 2026" and english["format_name"] == "Competences workshop"


# -- against the real server

def page_text(markup):
    """What a reader reads on the page: the markup without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def expected_results(state):
    """Totals, the overall ranking and each row's, computed here from the dots: competition ranking
    (equal dots share a rank, the next rank skips), ties in the order of the card's text."""
    totals = {}
    for cards in state["vote"]["dots"].values():
        for card_id, dots in cards.items():
            totals[card_id] = totals.get(card_id, 0) + dots
    cards = {card["id"]: card for card in state["cards"]}
    zones = {zone["id"]: zone for zone in state["zones"]}

    def ranked(ids):
        ordered = sorted((i for i in ids if totals.get(i)), key=lambda i: (-totals[i], cards[i]["text"].casefold(), i))
        return [(i, 1 + sum(1 for j in ordered if totals[j] > totals[i]), totals[i]) for i in ordered]

    by_row = {}
    for card_id in totals:
        by_row.setdefault(zones[cards[card_id]["zone"]]["row"], []).append(card_id)
    return totals, ranked(list(totals)), {row: ranked(ids) for row, ids in by_row.items()}


def shown_ranking(markup, start, end):
    """(card id, rank, dots) of the rows between two markers of the page, in the page's order."""
    part = markup[markup.index(start):markup.index(end, markup.index(start))]
    return [(c, int(r), int(d)) for c, r, d in
            re.findall(r'<(?:tr|li) data-card="([^"]+)" data-rank="(\d+)" data-dots="(\d+)"', part)]


def heat_cells(markup):
    """Each heatmap cell as the page draws it: zone, the number written, the shade's opacity."""
    cells = {}
    for block in markup.split('<div class="heat-cell')[1:]:
        zone = re.search(r'data-zone="([^"]+)"', block).group(1)
        opacity = float(re.search(r'fill-opacity="([0-9.]+)"', block).group(1))
        written = int(re.search(r'<span class="heat-dots"[^>]*>(\d+)</span>', block).group(1))
        cells[zone] = {"written": written, "opacity": opacity}
    return cells


@pytest.fixture
def published(server):
    """A full-scale workshop, results revealed, its synthesis published by the facilitator's socket."""
    scene = build_full_scene(server.url, "revealed")
    facilitator = BoardClient(server.url, scene["admin_token"])
    yield scene, facilitator
    facilitator.close()


@pytest.fixture(scope="module")
def revealed_scene(server):
    """One full-scale workshop, results revealed, for the tests that only publish it and read it."""
    return build_full_scene(server.url, "revealed")


@pytest.fixture
def republished(server, revealed_scene):
    """The module's revealed workshop, its synthesis not published (taken back if a test before
    published it: each test publishes it itself), and its facilitator's socket."""
    facilitator = BoardClient(server.url, revealed_scene["admin_token"])
    if facilitator.state()["publication"]["published"]:
        assert facilitator.command("unpublish_synthesis", {})["ok"]
    yield revealed_scene, facilitator
    facilitator.close()


def link_of(server, scene):
    answer = requests.get(f"{server.url}/f/{scene['admin_token']}/synthesis", timeout=5).json()
    return answer


def test_no_link_opens_the_synthesis_before_it_is_published_and_the_facilitator_gets_one_when_it_is(server, published):
    """SYN2: before publishing, not even the link it will have opens; after, the console's link does."""
    scene, facilitator = published
    key = bytes.fromhex(Path(server.db_path + ".key").read_text().strip())
    future = synthesis_token_for(key, scene["board_id"], 1)
    assert requests.get(f"{server.url}/r/{future}", timeout=5).status_code == 404
    assert link_of(server, scene)["url"] is None
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    answer = link_of(server, scene)
    # The link carries the board's id (a proxy routes on it); the bare secret still opens it on a laptop.
    assert answer["published"] is True and answer["url"] == f"{server.url}/r/{scene['board_id']}.{future}"
    assert requests.get(f"{server.url}/r/{future}", timeout=5).status_code == 200
    page = requests.get(answer["url"], timeout=5)
    assert page.status_code == 200 and "Découvrez le panorama" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    # The participants' snapshot says it is published, and carries no link.
    assert future not in str(facilitator.state())


def test_the_ranking_and_the_heatmap_on_the_page_are_those_of_the_dots(server, republished):
    """SYN5, SYN6: every rank, overall and per domain, and each cell's dots and shade, computed here."""
    scene, facilitator = republished
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    facilitator.wait_for(lambda: facilitator.replica.publication["published"])
    state = facilitator.state()
    totals, overall, by_row = expected_results(state)
    assert len(overall) > 20 and len({rank for _, rank, _ in overall}) < len(overall), "the scene has ties"
    markup = requests.get(link_of(server, scene)["url"], timeout=5).text

    assert shown_ranking(markup, 'id="ranking-overall"', "</table>") == overall
    for row, ranked in by_row.items():
        assert shown_ranking(markup, f'<section class="syn-row" data-row="{row}"', "</section>") == ranked, row
    # The chart: the first ten, each bar's length its dots over the first's.
    bars = re.findall(r'data-card="([^"]+)" data-dots="(\d+)" data-rank="(\d+)">.*?<rect x="0" y="\d+" width="([0-9.]+)%"',
                      markup, re.S)
    assert [(c, int(r), int(d)) for c, d, r, _ in bars] == overall[:10]
    assert [float(w) for *_, w in bars] == pytest.approx([100 * d / overall[0][2] for _, _, d in overall[:10]], abs=0.01)

    cards_in = {}
    for card in state["cards"]:
        cards_in.setdefault(card["zone"], []).append(card["id"])
    cell_dots = {zone["id"]: sum(totals.get(c, 0) for c in cards_in.get(zone["id"], []))
                 for zone in state["zones"] if zone["kind"] == "cell"}
    busiest = max(cell_dots.values())
    cells = heat_cells(markup)
    assert set(cells) == set(cell_dots) and len(cells) == 16
    for zone, dots in cell_dots.items():
        assert cells[zone]["written"] == dots, zone
        assert cells[zone]["opacity"] == pytest.approx(dots / busiest, abs=1e-4), zone
    assert max(cell["opacity"] for cell in cells.values()) == 1.0


def test_names_appear_only_when_the_facilitator_includes_them_in_the_page_and_in_the_pdf(server, published, tmp_path):
    """SYN3: no participant's name unless chosen, and the authors of new cards when chosen (same link)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is missing: `make test` installs it")
    scene, facilitator = published
    authors = {c["author"] for c in facilitator.state()["cards"] if c["kind"] == "new"}
    author_names = {p["name"] for p in facilitator.state()["participants"] if p["id"] in authors}
    assert author_names and author_names <= set(NAMES)

    def texts(url):
        page = page_text(requests.get(url, timeout=5).text)
        pdf = tmp_path / "s.pdf"
        pdf.write_bytes(requests.get(f"{url}/synthese.pdf", timeout=60).content)
        read = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        # A name may wrap in its table cell: read as one line, as a person does.
        return " ".join(page.split()), " ".join(read.split())

    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    url = link_of(server, scene)["url"]
    for text in texts(url):
        assert "Piloter un jumeau numérique" in text  # a new card is there, without its author
        present = [name for name in NAMES + ["Animateur"] if name in text]
        assert not present, present
    assert facilitator.command("publish_synthesis", {"include_names": True})["ok"]
    assert link_of(server, scene)["url"] == url
    for text in texts(url):
        assert author_names <= {name for name in NAMES if name in text}


def test_unpublished_its_link_answers_404_like_any_unknown_link_and_a_new_publication_has_a_new_link(server, published):
    """SYN2."""
    scene, facilitator = published
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    first = link_of(server, scene)["url"]
    assert requests.get(first, timeout=5).status_code == 200
    assert facilitator.command("unpublish_synthesis", {})["ok"]
    unknown = requests.get(f"{server.url}/r/{'x' * 32}", timeout=5)
    for url in (first, f"{first}/synthese.pdf"):
        gone = requests.get(url, timeout=5)
        assert (gone.status_code, gone.text) == (404, unknown.text)
    assert link_of(server, scene) == {"ok": True, "published": False, "include_names": False, "url": None,
                                      "pdf_url": None}
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    second = link_of(server, scene)["url"]
    assert second != first
    assert requests.get(first, timeout=5).status_code == 404
    assert requests.get(second, timeout=5).status_code == 200


def test_the_facilitator_previews_the_synthesis_before_publishing_it_and_nobody_else_can(server, published):
    """SYN10: the preview, names only when asked; a participant's token opens no preview."""
    scene, facilitator = published
    preview = f"{server.url}/f/{scene['admin_token']}/synthesis/preview"
    plain = requests.get(preview, timeout=5)
    assert plain.status_code == 200 and "personne d’autre ne la voit" in plain.text
    assert [name for name in NAMES if name in page_text(plain.text)] == []
    assert f'href="/f/{scene["admin_token"]}/synthesis/preview/synthese.pdf?lang=fr"' in plain.text
    named = page_text(requests.get(preview + "?names=1", timeout=5).text)
    assert any(name in named for name in NAMES)
    participant = scene["people"][0]["token"]
    assert requests.get(f"{server.url}/f/{participant}/synthesis/preview", timeout=5).status_code == 404
    pdf = requests.get(preview + "/synthese.pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert link_of(server, scene)["published"] is False  # previewing published nothing


def test_the_page_in_english_uses_the_boards_english_labels(server, republished):
    """SYN4: ?lang=en."""
    scene, facilitator = republished
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    text = page_text(requests.get(link_of(server, scene)["url"] + "?lang=en", timeout=5).text)
    for words in ("Discover the panorama", "The final Panorama", "Operation of facilities and production",
                  "Trade techniques", "Macro-competence", "20 participants", "Overall ranking"):
        assert words in text, words
    assert "Le Panorama final" not in text


def test_the_pdf_is_a4_landscape_and_its_first_page_shows_the_heatmap(server, republished, shots):
    """SYN8, SYN9: the PDF's first page turned into an image is A4 landscape and not blank."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is missing: `make test` installs it")
    from PIL import Image
    scene, facilitator = republished
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    answer = requests.get(link_of(server, scene)["pdf_url"], timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    pdf = shots / "synthesis.pdf"
    shots.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(answer.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([0-9.]+) x ([0-9.]+) pts", info).groups())
    assert (round(width), round(height)) == (842, 595), info  # A4 landscape, in points
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(shots / "synthesis-pdf")], check=True)
    pdf.unlink()
    image = Image.open(shots / "synthesis-pdf.png").convert("RGB")
    assert image.width > image.height and abs(image.width / image.height - 297 / 210) < 0.01
    # Not blank: ink on a good part of the page, and the heatmap's darkest shade among it.
    pixels = list(zip(*[iter(image.tobytes())] * 3))  # (r, g, b) per pixel
    inked = sum(1 for p in pixels if sum(p) < 600) / len(pixels)
    assert inked > 0.15, inked
    assert any(r > 150 and g < 90 and b < 40 for r, g, b in pixels[::7]), "no fully shaded cell on page 1"
    # The whole heatmap on page 1: its last row's name is on it.
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", "-", "-"], input=answer.content,
                                capture_output=True, check=True).stdout.decode()
    assert "Le Panorama final" in first_page and "Management et" in first_page


def test_the_link_survives_a_restart_and_a_replacement_of_the_facilitators_links_but_not_an_unpublish(fresh_server):
    """SYN2: the link is derived again at start (nothing secret stored), and is the synthesis's own."""
    first = fresh_server(extra_args=["--no-demo"])
    created = requests.post(first.url + "/workshops", json={"format": "atelier-competences"}, timeout=5).json()
    token = created["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(first.url, token)
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    facilitator.close()
    path = requests.get(f"{first.url}/f/{token}/synthesis", timeout=5).json()["url"].split("/", 3)[3]
    first.stop()
    second = fresh_server(extra_args=["--no-demo"])
    assert requests.get(f"{second.url}/{path}", timeout=5).status_code == 200
    replaced = requests.post(f"{second.url}/f/{token}/links", headers={"Accept": "application/json"}, timeout=5).json()
    token = replaced["facilitator_url"].rsplit("/", 1)[1]
    assert requests.get(f"{second.url}/f/{token}/synthesis", timeout=5).json()["url"].endswith(path)
    assert requests.get(f"{second.url}/{path}", timeout=5).status_code == 200
    facilitator = BoardClient(second.url, token)
    assert facilitator.command("unpublish_synthesis", {})["ok"]
    facilitator.close()
    second.stop()
    third = fresh_server(extra_args=["--no-demo"])
    assert requests.get(f"{third.url}/{path}", timeout=5).status_code == 404


def test_deleting_the_workshop_closes_its_synthesis_link(server):
    """SYN2: a deleted workshop's published synthesis opens nothing."""
    created = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=5).json()
    token = created["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(server.url, token)
    assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    facilitator.close()
    url = requests.get(f"{server.url}/f/{token}/synthesis", timeout=5).json()["url"]
    assert requests.get(url, timeout=5).status_code == 200
    assert requests.post(f"{server.url}/f/{token}/delete", json={"delete": True}, timeout=5).json()["ok"]
    assert requests.get(url, timeout=5).status_code == 404


def test_a_crowded_cell_taller_than_a_page_still_gives_a_pdf(server):
    """SYN8, SYN9: the heatmap is kept on one page when it fits; when one cell holds the whole deck it
    cannot, and the PDF lets it run on rather than fail."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is missing: `make test` installs it")
    response = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=5).json()
    token = response["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(server.url, token)
    try:
        deck = [card for card in facilitator.state()["cards"] if card["kind"] == "deck"]
        for index, card in enumerate(deck):
            ack = facilitator.command("move_card", {"card_id": card["id"], "zone_id": "socle/techniques",
                                                    "x": 0.5, "y": round(index / len(deck), 3)})
            assert ack["ok"], ack
            time.sleep(0.06)  # one person's pace: the server allows 20 commands a second (protocol.py)
        assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    finally:
        facilitator.close()
    link = requests.get(f"{server.url}/f/{token}/synthesis", timeout=5).json()
    answer = requests.get(link["pdf_url"], timeout=120)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    # In drawing order, spaces left out: a card's text may wrap at any space or hyphen.
    text = "".join(subprocess.run(["pdftotext", "-raw", "-", "-"], input=answer.content, capture_output=True,
                                  check=True).stdout.decode().split())
    missing = [card["text"] for card in deck if "".join(card["text"].split()) not in text]
    assert not missing, missing


def test_a_server_that_cannot_load_weasyprint_answers_503_for_the_pdf_and_still_serves_the_page(fresh_server, tmp_path,
                                                                                                  monkeypatch):
    """SYN9: pango missing is what WeasyPrint says with an OSError at import; a stand-in module that
    raises that error, first on the server's path, plays the machine without the libraries."""
    shadow = tmp_path / "no-pango"
    (shadow / "weasyprint").mkdir(parents=True)
    (shadow / "weasyprint" / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file\")\n")
    monkeypatch.setenv("PYTHONPATH", str(shadow))
    server = fresh_server(extra_args=["--no-demo"])
    response = requests.post(server.url + "/workshops", json={"format": "atelier-competences"}, timeout=5).json()
    token = response["facilitator_url"].rsplit("/", 1)[1]
    facilitator = BoardClient(server.url, token)
    try:
        assert facilitator.command("publish_synthesis", {"include_names": False})["ok"]
    finally:
        facilitator.close()
    link = requests.get(f"{server.url}/f/{token}/synthesis", timeout=5).json()
    assert requests.get(link["url"], timeout=5).status_code == 200
    refused = requests.get(link["pdf_url"], timeout=5, headers={"Accept": "application/json"})
    assert refused.status_code == 503
    assert refused.json()["code"] == "unavailable" and "Imprimer" in refused.json()["message"]
    page = requests.get(link["pdf_url"], timeout=5)
    assert page.status_code == 503 and "page.pdf_unavailable" in page.text
    assert "libpango" in server.output()  # said once in the log, with the reason
