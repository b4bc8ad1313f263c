"""The board as a JSON file through the real server, at full scale (DOC1-DOC6).

The full-scale scene (tests/fullscale.py: 20 participants in 4 teams, 62 deck cards placed, 10 new
cards, every dot spent and the results revealed) is exported over HTTP, imported over HTTP into a new
workshop, and exported again.
"""
import json
import re

import requests

from fullscale import NAMES, build_full_scene

from board.domain.documents import MAX_DOCUMENT_BYTES

VARIES = ("exported_at", "source_board")


def export(base_url, token, names=False, kind="export"):
    response = requests.get(f"{base_url}/f/{token}/{kind}.json" + ("?names=1" if names else ""), timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    return response


def content(document):
    return {key: value for key, value in document.items() if key not in VARIES}


def import_json(base_url, document):
    return requests.post(base_url + "/workshops/document", json=document, timeout=20)


def board_of(base_url, token):
    return requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()


def boards(base_url):
    return requests.get(base_url + "/healthz", timeout=5).json()["boards"]


def test_a_full_workshop_exported_imports_into_a_new_board_that_exports_the_same(server, full_scene):
    """DOC1, DOC4: export -> import into a new board -> export again: the same content, at full scale."""
    scene = full_scene("revealed")
    first = export(server.url, scene["admin_token"]).json()
    assert first["atelier"] == "board" and first["source_board"] == scene["board_id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["exported_at"])
    created = import_json(server.url, first)
    assert created.status_code == 201, created.text
    links = created.json()
    assert links["board_id"] != scene["board_id"] and links["join_code"] != scene["join_code"]
    token = links["facilitator_url"].rsplit("/", 1)[1]
    second = export(server.url, token).json()
    assert content(second) == content(first)
    # What the new board's facilitator sees: the whole Panorama, the people and the revealed ranking.
    board = board_of(server.url, token)
    placed = [c for c in board["cards"] if c["zone"] != "deck"]
    assert len([c for c in placed if c["kind"] == "deck"]) == 62 and len([c for c in placed if c["kind"] == "new"]) == 10
    assert sorted(p["name"] for p in board["participants"] if p["role"] == "participant") == sorted(NAMES)
    assert board["vote"]["revealed"] and board["vote"]["results"] == board_of(server.url, scene["admin_token"])["vote"]["results"]
    # The people came back as history: someone joining now is a newcomer, on the new code.
    joined = requests.post(server.url + "/join", json={"code": links["join_code"], "name": "Zoé Nouvelle"}, timeout=5)
    assert joined.status_code == 201


def test_a_workshop_made_from_a_template_file_has_its_deck_teams_and_settings_and_no_result(server, full_scene):
    """DOC6 through the form of /animer: the template file uploaded, the new console opened."""
    scene = full_scene("revealed")
    template = export(server.url, scene["admin_token"], kind="template")
    assert template.headers["Content-Disposition"] == 'attachment; filename="modele-atelier.json"'
    for name in NAMES:
        assert name.encode() not in template.content
    answer = requests.post(server.url + "/workshops/document", files={"document": ("modele.json", template.content)},
                           allow_redirects=False, timeout=20)
    assert answer.status_code == 303 and "/f/" in answer.headers["Location"]
    token = answer.headers["Location"].rsplit("/", 1)[1]
    board = board_of(server.url, token)
    source = board_of(server.url, scene["admin_token"])
    assert [c["text"] for c in sorted(board["cards"], key=lambda c: c["z"])] == \
        [c["text"] for c in source["cards"] if c["kind"] == "deck"]
    assert all(c["zone"] == "deck" for c in board["cards"])
    assert [(t["name"], t["colour"], t["domain"]) for t in board["teams"]] == \
        [(t["name"], t["colour"], t["domain"]) for t in source["teams"]]
    assert board["format"]["panorama"] == source["format"]["panorama"]
    assert [p["role"] for p in board["participants"]] == ["facilitator", "projector"]
    assert (board["sequence"], board["vote"]["status"], board["vote"]["results"]) == (0, "idle", None)
    assert content(export(server.url, token, kind="template").json()) == content(template.json())


def test_an_anonymous_workshop_exports_no_name_unless_asked(server):
    """DOC5 at full scale: with a sequence anonymous no participant's name leaves in the file; asked, all do."""
    scene = build_full_scene(server.url, "placed")
    from fullscale import as_facilitator
    as_facilitator(server.url, scene, ("set_anonymity", {"on": True, "sequence": 2}))
    unnamed = export(server.url, scene["admin_token"]).content.decode("utf-8")
    named = export(server.url, scene["admin_token"], names=True).content.decode("utf-8")
    for name in NAMES:
        assert name not in unnamed, name
        assert name in named, name
    assert "Participant 20" in unnamed


def test_bad_files_are_refused_with_their_reason_and_create_nothing(server, full_scene):
    """DOC3 over HTTP: 10 MB refused before it is read (413), a truncated file and an unknown zone (400),
    each named on the /animer page again (a form) or in JSON; no workshop appears."""
    scene = full_scene("revealed")
    good = export(server.url, scene["admin_token"]).content
    before = boards(server.url)
    huge = requests.post(server.url + "/workshops/document", timeout=30,
                         files={"document": ("gros.json", b" " * (10 * 1024 * 1024) + good)})
    assert huge.status_code == 413
    assert "file: is larger than 2 MB" in huge.text and "Créer depuis un fichier" in huge.text
    cut = requests.post(server.url + "/workshops/document", files={"document": ("cut.json", good[:5000])}, timeout=10)
    assert cut.status_code == 400 and "file: is not complete JSON" in cut.text
    assert 'id="document-error"' in cut.text
    spoilt = json.loads(good)
    spoilt["cards"][7]["zone"] = "astronomie/techniques"
    refused = import_json(server.url, spoilt)
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("cards[7].zone: unknown zone 'astronomie/techniques'")
    empty = requests.post(server.url + "/workshops/document", data={}, timeout=10)
    assert empty.status_code == 400 and "choose a .json file" in empty.text
    assert boards(server.url) == before
    assert MAX_DOCUMENT_BYTES < 10 * 1024 * 1024


def test_the_export_needs_the_facilitators_link(server, full_scene):
    """A participant's token or a made-up one opens neither file (404, as any unknown link)."""
    scene = full_scene("revealed")
    for token in (scene["people"][0]["token"], scene["projector_token"], "x" * 32):
        for kind in ("export", "template"):
            assert requests.get(f"{server.url}/f/{token}/{kind}.json", timeout=5).status_code == 404
