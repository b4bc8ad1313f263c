"""Campaigns over HTTP on the real server (board/http_campaign.py; spec COORD; docs/campaigns.md).

A coordinator creates a campaign, its boards and hands it out; a laptop (a second run.py with its own
database) opens the handout, and its export comes home through the coordinator's page.
"""
import json
import re

import requests

from conftest import join
from realtime import BoardClient

GLOSSARY = "Compétence : savoir agir en situation\nSavoir-être : une manière d'être au travail"


def create_campaign(base_url, name="Centre-Val de Loire 2026", **extra):
    answer = requests.post(base_url + "/campaigns", json={"name": name, "format": "atelier-competences",
                                                          "glossary": GLOSSARY, **extra}, timeout=10)
    assert answer.status_code == 201, answer.text
    url = answer.json()["coordinator_url"]
    return {"id": answer.json()["campaign_id"], "path": "/c/" + url.rsplit("/c/", 1)[1], "url": url}


def add_board(base_url, campaign, territory, date=""):
    answer = requests.post(base_url + campaign["path"] + "/boards", json={"territory": territory, "date": date},
                           timeout=10)
    assert answer.status_code == 201, answer.text
    links = answer.json()
    return {**links, "admin_token": links["facilitator_url"].rsplit("/", 1)[1]}


def results(base_url, campaign):
    answer = requests.get(base_url + campaign["path"] + "/results.json", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()




def test_a_coordinator_creates_a_campaign_and_its_boards_from_the_page(server):
    """COORD1-COORD3: the form makes the campaign and sends the coordinator to its secret page; each board added
    there has its own console link and join code, shown on the page, and the campaign is on the browser's desk."""
    session = requests.Session()
    made = session.post(server.url + "/campaigns", data={"name": "Campagne du Centre", "format": "atelier-competences",
                                                         "glossary": GLOSSARY}, allow_redirects=False,
                        timeout=10)
    assert made.status_code == 303, made.text[:500]
    path = made.headers["Location"].split("127.0.0.1:%d" % server.port)[-1]
    assert re.fullmatch(r"/c/[A-Za-z0-9_-]{32}", path)
    for territory, date in (("Châteauroux", "2026-05-12"), ("Tours", "2026-05-19")):
        added = session.post(server.url + path + "/boards", data={"territory": territory, "date": date},
                             allow_redirects=False, timeout=10)
        assert added.status_code == 303, added.text[:500]
    page = session.get(server.url + path, timeout=10)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Campagne du Centre" in page.text and "Châteauroux" in page.text and "2026-05-19" in page.text
    consoles = re.findall(r'class="campaign-console" href="[^"]*/f/([^"]+)"', page.text)
    codes = re.findall(r'class="campaign-join-code">([A-Z0-9]{6})<', page.text)
    assert len(consoles) == 2 and len(set(codes)) == 2
    for token in consoles:
        assert requests.get(f"{server.url}/f/{token}", timeout=10).status_code == 200
    desk = session.get(server.url + "/bureau", timeout=10)
    assert "Campagne du Centre" in desk.text and path in desk.text


def test_a_bad_campaign_form_says_what_is_wrong_and_makes_nothing(server):
    answer = requests.post(server.url + "/campaigns", data={"name": "Campagne", "glossary": "sans définition"},
                           timeout=10)
    assert answer.status_code == 400 and "line 1" in answer.text and 'role="alert"' in answer.text
    answer = requests.post(server.url + "/campaigns", json={"name": ""}, timeout=10)
    assert answer.status_code == 400 and "needs a name" in answer.json()["message"]


def test_a_board_played_on_a_second_server_comes_home_through_the_page(server, laptop):
    """COORD5-COORD8: the handout (a file) opens as a new board on the laptop's server; the finished board's export,
    uploaded on the coordinator's page with a territory and date, is in the results like a board played here.
    A second upload, the handout itself and another campaign's board are refused with their reason on the page."""
    campaign = create_campaign(server.url)
    here = add_board(server.url, campaign, "Tours", "2026-05-12")
    handout = requests.get(server.url + campaign["path"] + "/handout.json", timeout=10)
    assert handout.status_code == 200 and "attachment" in handout.headers["Content-Disposition"]
    assert handout.headers["Cache-Control"] == "no-store"
    assert handout.json()["format"]["campaign"]["id"] == campaign["id"]
    # The laptop: "Créer depuis un fichier" on /animer, the ordinary import of a template.
    opened = requests.post(laptop.url + "/workshops/document", files={"document": ("campagne.json", handout.content)},
                           allow_redirects=False, timeout=20)
    assert opened.status_code == 303, opened.text[:500]
    away_token = opened.headers["Location"].rsplit("/", 1)[1]
    facilitator = BoardClient(laptop.url, away_token)
    try:
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        assert facilitator.command("create_card", {"kind": "new", "text": "Schémas hydrauliques",
                                                   "zone_id": "maintenance/techniques", "x": 0.5, "y": 0.5})["ok"]
    finally:
        facilitator.close()
    export = requests.get(f"{laptop.url}/f/{away_token}/export.json", timeout=10).content
    imported = requests.post(server.url + campaign["path"] + "/import", data={"territory": "Gien", "date": "2026-05-19"},
                             files={"document": ("atelier.json", export)}, allow_redirects=False, timeout=20)
    assert imported.status_code == 303, imported.text[:500]
    page = requests.get(server.url + campaign["path"], timeout=10).text
    assert 'data-source="imported"' in page and "Gien" in page and "Schémas hydrauliques" in page
    body = results(server.url, campaign)
    assert [(r["territory"], r["date"], r["source"], r["board_id"]) for r in body["results"]] == [
        ("Tours", "2026-05-12", "server", here["board_id"]), ("Gien", "2026-05-19", "imported", None)]
    assert all(r["document"]["atelier"] == "board" for r in body["results"])
    # Refusals: the same board again, the handout, another campaign's board, a damaged file.
    other = create_campaign(server.url, name="Bretagne 2026")
    other_handout = requests.get(server.url + other["path"] + "/handout.json", timeout=10).content
    other_board = requests.post(laptop.url + "/workshops/document", json=json.loads(other_handout), timeout=20).json()
    other_export = requests.get(laptop.url + "/f/" + other_board["facilitator_url"].rsplit("/", 1)[1] + "/export.json",
                                timeout=10).content
    # The page says it in French (its text), and in English for a page switched to English (data-label-en).
    for raw, message, french in ((export, "already in the campaign", "déjà dans la campagne"),
                                 (handout.content, "is a handout or a template", "est un kit de campagne ou un modèle"),
                                 (other_export, "belongs to another campaign, “Bretagne 2026”",
                                  "appartient à une autre campagne, « Bretagne 2026 »"),
                                 (export[:300], "damaged and cannot be read", "est abîmé et ne peut pas être lu")):
        refused = requests.post(server.url + campaign["path"] + "/import", data={"territory": "Blois"},
                                files={"document": ("atelier.json", raw)}, timeout=20)
        assert refused.status_code == 400, message
        assert re.search(r'role="alert"[^>]*data-label-en="[^"]*' + re.escape(message), refused.text), message
        assert re.search(r'role="alert"[^>]*>[^<]*' + re.escape(french), refused.text), french
    assert len(results(server.url, campaign)["results"]) == 2  # nothing of the refused files was kept


def test_merges_over_http_keep_the_originals_and_undo(server):
    """COORD9, COORD10 through the page's forms: two new cards merged, listed with their territories, undone."""
    campaign = create_campaign(server.url)
    boards = [add_board(server.url, campaign, territory) for territory in ("Tours", "Vierzon")]
    for board, text in zip(boards, ("Lire un schéma hydraulique", "Schémas hydrauliques")):
        client = BoardClient(server.url, board["admin_token"])
        try:
            assert client.command("set_sequence", {"index": 2})["ok"]
            assert client.command("create_card", {"kind": "new", "text": text, "zone_id": "maintenance/techniques",
                                                  "x": 0.5, "y": 0.5, "card_id": "n1"})["ok"]
        finally:
            client.close()
    page = requests.get(server.url + campaign["path"], timeout=10).text
    values = re.findall(r'name="card" value="([^"]+)"', page)
    assert len(values) == 2
    merged = requests.post(server.url + campaign["path"] + "/merges", data={"card": values, "label": "Lire l'hydraulique"},
                           allow_redirects=False, timeout=10)
    assert merged.status_code == 303
    [merge] = results(server.url, campaign)["merges"]
    assert merge["label"] == "Lire l'hydraulique"
    assert sorted((m["territory"], m["text"]) for m in merge["members"]) == [
        ("Tours", "Lire un schéma hydraulique"), ("Vierzon", "Schémas hydrauliques")]
    texts = [c["text"] for r in results(server.url, campaign)["results"] for c in r["document"]["cards"]
             if c["kind"] == "new"]
    assert texts == ["Lire un schéma hydraulique", "Schémas hydrauliques"]  # the originals stay on their boards
    page = requests.get(server.url + campaign["path"], timeout=10).text
    assert 'name="card"' not in page and "Défaire la fusion" in page
    again = requests.post(server.url + campaign["path"] + "/merges", json={"members": [
        {"source_board": v.split("|")[0], "card_id": v.split("|")[1]} for v in values]}, timeout=10)
    assert again.status_code == 400 and "already in a merge" in again.json()["message"]
    undone = requests.post(f"{server.url}{campaign['path']}/merges/{merge['merge_id']}/undo", json={}, timeout=10)
    assert undone.status_code == 200
    assert results(server.url, campaign)["merges"] == []
    assert len(re.findall(r'name="card"', requests.get(server.url + campaign["path"], timeout=10).text)) == 2


def test_a_coordinator_reads_only_their_campaign_and_a_facilitator_only_their_board(server):
    """COORD11: each secret opens what it names and nothing beside it."""
    first, second = create_campaign(server.url, name="Une"), create_campaign(server.url, name="Deux")
    board_one = add_board(server.url, first, "Tours")
    board_two = add_board(server.url, first, "Gien")
    board_other = add_board(server.url, second, "Blois")
    assert [r["territory"] for r in results(server.url, second)["results"]] == ["Blois"]
    assert [r["territory"] for r in results(server.url, first)["results"]] == ["Tours", "Gien"]
    second_page = requests.get(server.url + second["path"], timeout=10).text
    assert board_one["join_code"] not in second_page and board_one["admin_token"] not in second_page
    # A board's facilitator or projector link, a participant's token, opens no campaign page nor its results.
    participant = join(server.url, board_one["join_code"], "Camille")["token"]
    for token in (board_one["admin_token"], board_one["facilitator_url"].rsplit("/", 1)[1],
                  board_one["projector_url"].rsplit("/", 1)[1], participant, "A" * 32):
        for suffix in ("", "/results.json", "/handout.json"):
            assert requests.get(f"{server.url}/c/{token}{suffix}", timeout=10).status_code == 404
        assert requests.post(f"{server.url}/c/{token}/boards", json={"territory": "X"}, timeout=10).status_code == 404
    # A facilitator's link opens their board only: its export is its own board.
    export = requests.get(f"{server.url}/f/{board_one['admin_token']}/export.json", timeout=10).json()
    assert export["source_board"] == board_one["board_id"]
    assert requests.get(f"{server.url}/f/{participant}/export.json", timeout=10).status_code == 404
    for board in (board_two, board_other):
        client = BoardClient(server.url, board_one["admin_token"])
        try:
            assert client.replica.id == board_one["board_id"] != board["board_id"]
        finally:
            client.close()


def test_the_campaigns_evaluation_from_the_form_travels_in_the_handout_to_every_board(server):
    """COORD1, COORD5: the form's scales (one a line) and open question become the format's evaluation, in the
    handout and in the boards made here; a question without any scale is refused, naming what is missing."""
    session = requests.Session()
    made = session.post(server.url + "/campaigns", data={"name": "Campagne évaluée", "glossary": "",
                                                         "scales": "L'atelier m'a été utile\nJ'ai pu m'exprimer",
                                                         "question": "Que retenez-vous ?"},
                        allow_redirects=False, timeout=10)
    assert made.status_code == 303, made.text[:500]
    path = made.headers["Location"].split(str(server.port), 1)[1]
    evaluation = session.get(server.url + path + "/handout.json", timeout=10).json()["format"]["evaluation"]
    assert [scale["label"]["fr"] for scale in evaluation["scales"]] == ["L'atelier m'a été utile", "J'ai pu m'exprimer"]
    assert evaluation["question"]["fr"] == "Que retenez-vous ?"
    board = session.post(server.url + path + "/boards", json={"territory": "Blois"}, timeout=10).json()
    snapshot = requests.get(server.url + "/api/board", timeout=10, headers={
        "Authorization": "Bearer " + board["facilitator_url"].rsplit("/", 1)[1]}).json()
    assert snapshot["format"]["evaluation"] == evaluation
    refused = requests.post(server.url + "/campaigns", data={"name": "Sans échelle", "question": "Et alors ?"},
                            timeout=10)
    assert refused.status_code == 400 and "at least one 1-5 scale" in refused.text
