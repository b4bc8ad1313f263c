"""Boards that feed each other (CHAIN1-CHAIN7), through the real server at full scale.

The flagship's whole afternoon (tests/fullscale.py: 20 participants in 4 teams, 62 deck cards placed,
10 new cards, every dot spent, results revealed) is carried on: its top 10 must-haves become the deck of
a new board, each card with its origin, and nothing else of the first board goes with them.
"""
import copy
import io
import json

import openpyxl
import pytest
import requests

from conftest import join
from fullscale import NAMES, as_facilitator, build_full_scene
from realtime import BoardClient
from domain_helpers import FACILITATOR_ID, Workshop, minimal_document

from board.domain import chain
from board.domain.documents import DocumentError, check_document
from board.domain.visibility import Viewer, snapshot_for

DETAILS = {"title": "Atelier Compétences", "date": "2026-05-12", "place": "Tours"}


def snapshot(base_url, token):
    answer = requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def boards(base_url):
    return requests.get(base_url + "/healthz", timeout=5).json()["boards"]


def offer(base_url, token):
    answer = requests.get(f"{base_url}/f/{token}/chain", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def carry(base_url, token, card_ids, fmt="atelier-competences", **extra):
    return requests.post(f"{base_url}/f/{token}/chain", json={"card_ids": card_ids, "format": fmt, **extra},
                         timeout=20)


def token_of(links):
    return links["facilitator_url"].rsplit("/", 1)[1]


def revealed_scene(server):
    scene = build_full_scene(server.url, "revealed")
    as_facilitator(server.url, scene, ("describe_workshop", DETAILS))
    return scene


def expected_origin(source, card_id):
    """The origin the test computes from the source board's own snapshot: its details, the card's team
    by name, its dots in the revealed totals."""
    card = next(c for c in source["cards"] if c["id"] == card_id)
    teams = {team["id"]: team["name"] for team in source["teams"]}
    return {"board": DETAILS["title"], "place": DETAILS["place"], "date": DETAILS["date"], "card": card_id,
            "team": teams.get(card["team"]), "speaker": None, "votes": source["vote"]["results"]["totals"][card_id]}


def secrets_of(scene):
    """Every secret and name of the source board that must not reach the new one."""
    return [*NAMES, scene["admin_token"], scene["projector_token"], *(p["token"] for p in scene["people"]),
            *(p["participant_id"] for p in scene["people"])]


def assert_holds_none(text, secrets, where):
    for secret in secrets:
        assert secret not in text, f"{where} holds {secret!r}"


def test_the_top_ten_must_haves_become_the_deck_of_a_new_board_with_their_origin(server):
    """CHAIN1-CHAIN5: the preset ticks the ranking's first ten; the new deck holds exactly those texts,
    in rank order, each with its origin (source, team, dots) as computed here; the old board is unchanged;
    the new board's snapshots and exports hold no participant name, token, hidden card or dot."""
    scene = revealed_scene(server)
    source = snapshot(server.url, scene["admin_token"])
    top_ten = [entry["card_id"] for entry in source["vote"]["results"]["overall"][:10]]

    offered = offer(server.url, scene["admin_token"])
    must_haves = next(p for p in offered["presets"] if p["id"] == "must_haves")
    assert next(c for c in must_haves["choices"] if c["value"] == "10")["card_ids"] == top_ten
    assert [c["id"] for c in offered["cards"]][:10] == top_ten  # the list shows the ranking first
    assert {f["id"] for f in offered["formats"]} >= {"atelier-competences"}
    assert_holds_none(json.dumps(offered, ensure_ascii=False), secrets_of(scene), "the dialog's offer")

    before = boards(server.url)
    answer = carry(server.url, scene["admin_token"], top_ten, title="Atelier Compétences — suite")
    assert answer.status_code == 201, answer.text
    links = answer.json()
    assert boards(server.url) == before + 1
    new_token = token_of(links)
    board = snapshot(server.url, new_token)

    deck = sorted((c for c in board["cards"] if c["zone"] == "deck"), key=lambda c: c["z"])
    assert len(board["cards"]) == 10 and len(deck) == 10
    texts = {c["id"]: c["text"] for c in source["cards"]}
    assert [c["text"] for c in deck] == [texts[card_id] for card_id in top_ten]
    assert [c["origin"] for c in deck] == [expected_origin(source, card_id) for card_id in top_ten]
    assert all(c["origin"]["team"] in {"Production", "Ingénierie", "Données", "Pilotage"} for c in deck)
    assert board["details"]["title"] == "Atelier Compétences — suite" and board["details"]["date"] is None
    # Nobody and nothing of the first board: no participant, no team, no dot, no result.
    assert [p["role"] for p in board["participants"]] == ["facilitator", "projector"]
    assert board["teams"] == [] and board["vote"]["dots"] == {} and board["vote"]["results"] is None
    assert board["sequence"] == 0 and board["vote"]["status"] == "idle"

    # The source board is as it was.
    assert snapshot(server.url, scene["admin_token"]) == source

    # A participant of the new board reads the origins; they place three cards; the exports say where each came from.
    newcomer = join(server.url, links["join_code"], "Zoé Nouvelle")
    seen = snapshot(server.url, newcomer["token"])
    assert [c["origin"] for c in sorted(seen["cards"], key=lambda c: c["z"])] == [c["origin"] for c in deck]
    as_facilitator(server.url, {"admin_token": new_token}, ("set_sequence", {"index": 1}))
    client = BoardClient(server.url, newcomer["token"])
    try:
        for card in deck[:3]:
            zone = f"{card['domain']}/{card['category']}"
            assert client.command("move_card", {"card_id": card["id"], "zone_id": zone, "x": 0.5, "y": 0.5})["ok"]
    finally:
        client.close()

    # Edited, a carried card keeps where it came from (CHAIN3).
    as_facilitator(server.url, {"admin_token": new_token}, ("edit_card", {"card_id": deck[3]["id"], "text": "Reformulée"}))
    edited = next(c for c in snapshot(server.url, new_token)["cards"] if c["id"] == deck[3]["id"])
    assert edited["text"] == "Reformulée" and edited["origin"] == deck[3]["origin"]

    secrets = secrets_of(scene)
    english = requests.get(f"{server.url}/f/{new_token}/export.csv?lang=en", timeout=10).content.decode("utf-8-sig")
    assert english.split("\r\n")[0].endswith("Source workshop;Source team or speaker;Source dots")
    csv_text = requests.get(f"{server.url}/f/{new_token}/export.csv", timeout=10).content.decode("utf-8-sig")
    lines = [line.split(";") for line in csv_text.strip().split("\r\n")]
    header = lines[0]
    assert header[-3:] == ["Atelier d’origine", "Équipe ou intervenant d’origine", "Gommettes d’origine"]
    by_text = {line[2].lstrip("\u2060"): line for line in lines[1:]}
    assert len(by_text) == 3
    for card in deck[:3]:
        origin = card["origin"]
        line = by_text[card["text"]]
        assert line[-3].lstrip("\u2060") == "Atelier Compétences — Tours, 2026-05-12"
        assert line[-2] == f"équipe {origin['team']}" and int(line[-1]) == origin["votes"]
    assert_holds_none(csv_text, secrets, "the CSV export")

    workbook = openpyxl.load_workbook(io.BytesIO(requests.get(f"{server.url}/f/{new_token}/export.xlsx", timeout=10).content))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Atelier d’origine" in cells and "Gommettes d’origine" in cells
    assert_holds_none("\n".join(cells), secrets, "the XLSX export")

    document = requests.get(f"{server.url}/f/{new_token}/export.json", timeout=10).json()
    carried = sorted((c for c in document["cards"] if c["zone"] == "deck" or c["id"] in {d["id"] for d in deck}),
                     key=lambda c: c["z"] if c["zone"] == "deck" else -1)
    assert {c["id"]: c["origin"] for c in carried} == {c["id"]: c["origin"] for c in deck}
    assert document["vote"]["dots"] == {}
    template = requests.get(f"{server.url}/f/{new_token}/template.json", timeout=10).json()
    assert {c["id"]: c["origin"] for c in template["deck"]} == {c["id"]: c["origin"] for c in deck}
    # The new board's file opens again as a workshop whose cards keep their origin (DOC4).
    again = requests.post(server.url + "/workshops/document", json=document, timeout=20)
    assert again.status_code == 201, again.text
    reopened = snapshot(server.url, token_of(again.json()))
    assert {c["id"]: c.get("origin") for c in reopened["cards"]} == {c["id"]: c.get("origin") for c in document["cards"]}
    for name, text in (("the new board's snapshot", json.dumps(board, ensure_ascii=False)),
                       ("the participant's snapshot", json.dumps(seen, ensure_ascii=False)),
                       ("the JSON export", json.dumps(document, ensure_ascii=False)),
                       ("the template", json.dumps(template, ensure_ascii=False))):
        assert_holds_none(text, secrets, name)


def test_a_card_still_hidden_is_neither_offered_nor_carried(server):
    """CHAIN4: a card written in private mode and not revealed is not listed, and asking for it by hand
    is refused, naming it, with no board created."""
    scene = build_full_scene(server.url, "placed")
    as_facilitator(server.url, scene, ("configure", {"private_cards": True}))
    writer = BoardClient(server.url, scene["people"][0]["token"])
    try:
        assert writer.command("create_card", {"kind": "new", "text": "Idée encore secrète", "zone_id": "socle/techniques",
                                              "x": 0.5, "y": 0.5, "card_id": "secret-1"})["ok"]
    finally:
        writer.close()
    offered = offer(server.url, scene["admin_token"])
    assert "secret-1" not in [c["id"] for c in offered["cards"]]
    assert all("secret-1" not in choice["card_ids"] for p in offered["presets"] for choice in p["choices"])
    assert "Idée encore secrète" not in json.dumps(offered, ensure_ascii=False)
    before = boards(server.url)
    answer = carry(server.url, scene["admin_token"], ["d01", "secret-1"])
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("card_ids[1]: the card 'secret-1' is still hidden")
    assert boards(server.url) == before
    # Revealed, it may go: the written-cards preset now ticks it with the ten others.
    as_facilitator(server.url, scene, ("reveal_cards", {}))
    written = next(p for p in offer(server.url, scene["admin_token"])["presets"] if p["id"] == "written")
    assert set(written["choices"][0]["card_ids"]) == {*scene["new_cards"], "secret-1"}
    answer = carry(server.url, scene["admin_token"], written["choices"][0]["card_ids"])
    assert answer.status_code == 201, answer.text
    board = snapshot(server.url, token_of(answer.json()))
    assert sorted(c["origin"]["card"] for c in board["cards"]) == sorted([*scene["new_cards"], "secret-1"])
    # Before any vote the origin has no dots; the team is the writer's team, by name.
    assert all(c["origin"]["votes"] is None and c["origin"]["team"] for c in board["cards"])


def test_a_wrong_token_or_a_bad_choice_creates_nothing(server, full_scene):
    """CHAIN6: only the facilitator's token opens the routes (another is 404); a bad format, an empty,
    unknown or repeated choice is 400 with the field named; none creates a board."""
    scene = full_scene("placed")  # every request here is refused: the shared scene is not changed
    before = boards(server.url)
    for token in ("not-a-token", scene["people"][0]["token"], scene["projector_token"]):
        assert requests.get(f"{server.url}/f/{token}/chain", timeout=5).status_code == 404
        assert carry(server.url, token, ["d01"]).status_code == 404
    for card_ids, fmt, field in (([], "atelier-competences", "card_ids"),
                                 (["d01"], "no-such-format", "format"),
                                 (["d01", "nope"], "atelier-competences", "card_ids[1]"),
                                 (["d01", "d01"], "atelier-competences", "card_ids[1]"),
                                 ("d01", "atelier-competences", "card_ids")):
        answer = carry(server.url, scene["admin_token"], card_ids, fmt)
        assert answer.status_code == 400, (card_ids, fmt, answer.text)
        assert answer.json()["message"].startswith(f"{field}:"), answer.json()
    answer = carry(server.url, scene["admin_token"], ["d01"], title="x" * 121)
    assert answer.status_code == 400 and answer.json()["message"].startswith("details")
    assert boards(server.url) == before


def test_the_presets_tick_a_zone_and_a_kind_as_the_board_holds_them(server, full_scene):
    """CHAIN1: a zone's preset ticks exactly that zone's cards, a kind's exactly that kind's."""
    scene = full_scene("placed")  # the offer only reads the board
    source = snapshot(server.url, scene["admin_token"])
    offered = {p["id"]: p for p in offer(server.url, scene["admin_token"])["presets"]}
    assert "must_haves" not in offered  # no ranking before the reveal
    for choice in offered["zone"]["choices"]:
        assert set(choice["card_ids"]) == {c["id"] for c in source["cards"] if c["zone"] == choice["value"]}
    cell = next(c for c in offered["zone"]["choices"] if c["value"] == "maintenance/techniques")
    assert cell["label"]["fr"] == "Maintenance — Techniques Métiers"
    kinds = {choice["value"]: set(choice["card_ids"]) for choice in offered["kind"]["choices"]}
    assert kinds == {"deck": {c["id"] for c in source["cards"] if c["kind"] == "deck"}, "new": set(scene["new_cards"])}


# -- the domain alone: the new deck, its checks, and presets as data

def finished_mini_board():
    """A small board in memory (two rows r1, r2; one column c1): card k1 placed in r2/c1 by team Bleus."""
    workshop = Workshop(minimal_document())
    team = workshop.team("Bleus")
    workshop.put_in_team(workshop.join("p1", name="Camille Martin"), team)
    workshop.accept(FACILITATOR_ID, "set_sequence", index=1)
    workshop.accept("p1", "move_card", card_id="k1", zone_id="r2/c1", x=0.5, y=0.5)
    workshop.accept(FACILITATOR_ID, "describe_workshop", title="Cartographie", place="Lyon", date="2026-01-20")
    return workshop.board


def test_the_new_deck_takes_the_cell_a_card_stood_in_when_the_new_format_has_it():
    """CHAIN2, CHAIN3: the row and column the room put the card in become its suggestion where the new
    format has them (else none); its origin names the team, never the participant."""
    board = finished_mini_board()
    same = chain.deck_template(board, ["k1", "k2"], minimal_document())
    assert [(c["text"], c["domain"], c["category"]) for c in same["deck"]] == [("Premier", "r2", "c1"), ("Second", None, None)]
    assert same["deck"][0]["origin"] == {"board": "Cartographie", "place": "Lyon", "date": "2026-01-20", "card": "k1",
                                         "team": "Bleus", "speaker": None, "votes": None}
    assert "Camille" not in json.dumps(same) and "p1" not in json.dumps(same["deck"])
    other = minimal_document()
    other["panorama"]["rows"] = [{"id": "autre", "label": {"fr": "Autre", "en": "Other"}}]
    moved = chain.deck_template(board, ["k1"], other)
    assert (moved["deck"][0]["domain"], moved["deck"][0]["category"]) == (None, "c1")
    checked = check_document(moved)  # what Workshops.create_from_document checks before creating anything
    assert checked.content["cards"][0]["origin"]["team"] == "Bleus"


@pytest.mark.parametrize("field, value, message", [
    ("author", "Camille Martin", "deck[0].origin.author: is not a field of a card's origin"),
    ("date", "2026-02-30", "deck[0].origin.date:"),
    ("votes", -1, "deck[0].origin.votes: must be a whole number"),
    ("card", "a b", "deck[0].origin.card: must be an id"),
    ("board", "", "deck[0].origin.board: must be a non-empty text"),
])
def test_a_document_whose_origin_holds_anything_but_provenance_is_refused(field, value, message):
    """CHAIN3: an origin is checked like the rest of a document; a name slipped into it is refused."""
    document = copy.deepcopy(chain.deck_template(finished_mini_board(), ["k1"], minimal_document()))
    document["deck"][0]["origin"][field] = value
    with pytest.raises(DocumentError) as refused:
        check_document(document)
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_preset_is_one_entry(monkeypatch):
    """CHAIN1: a preset added to chain.PRESETS is offered with its choices and the cards they tick."""
    board = finished_mini_board()
    extra = chain.Preset("first", {"fr": "La première", "en": "The first"},
                         lambda b: [("one", {"fr": "une", "en": "one"})], lambda b, value: ["k2"])
    monkeypatch.setattr(chain, "PRESETS", chain.PRESETS + (extra,))
    offered = {p["id"]: p for p in chain.presets(board)}
    assert offered["first"]["choices"] == [{"value": "one", "label": {"fr": "une", "en": "one"}, "card_ids": ["k2"]}]
    assert offered["zone"]["choices"][0] == {"value": "r2/c1", "label": {"fr": "Ligne 2 — Colonne", "en": "Row 2 — Column"},
                                              "card_ids": ["k1"]}


def test_a_face_down_card_does_not_tell_where_it_came_from():
    """CHAIN4, PRIV: a private card another team sees face down shows no origin either."""
    board = finished_mini_board()
    card = board.cards["k1"]
    card.private, card.origin = True, {"board": "Cartographie", "place": "", "date": None, "card": "x1",
                                       "team": "Verts", "speaker": None, "votes": 3}
    other = Viewer("p2", "participant", None)
    own = Viewer("p1", "participant", card.team)
    seen = {c["id"]: c for c in snapshot_for(board, other)["cards"]}
    assert seen["k1"]["hidden"] and seen["k1"]["origin"] is None and "Cartographie" not in json.dumps(seen["k1"])
    assert {c["id"]: c for c in snapshot_for(board, own)["cards"]}["k1"]["origin"]["team"] == "Verts"


def test_the_key_factors_and_the_new_competences_noted_on_them_become_a_deck():
    """CHAIN1 with RATE7 and NOTE1: on the factors map, the kept cards are one preset and the notes of one
    kind another, so the *nouvelles compétences* written as effects become the next workshop's deck."""
    from board.domain.formats import read_format
    w = Workshop(read_format("cartographie-facteurs").document)
    for card_id, x in (("f01", 0.2), ("f02", 0.6)):
        w.accept(FACILITATOR_ID, "move_card", card_id=card_id, zone_id="carte", x=x, y=0.5)
    w.accept(FACILITATOR_ID, "keep_card", card_id="f02", kept=True)
    noted = {}
    for text, kind in (("Piloter des boucles locales d'énergie", "nouvelle-competence"),
                       ("Lire des données de consommation", "nouvelle-competence"), ("Et si le réseau cède ?", "risque")):
        noted[text] = w.accept(FACILITATOR_ID, "create_card", kind="postit", text=text, zone_id="carte", x=0, y=0,
                               parent="f02", note_kind=kind).data["id"]
    offered = {p["id"]: p for p in chain.presets(w.board)}
    assert offered["kept"]["choices"][0]["card_ids"] == ["f02"]
    kinds = {choice["value"]: choice["card_ids"] for choice in offered["note_kind"]["choices"]}
    assert set(kinds) == {"nouvelle-competence", "risque"}  # only the kinds written
    competences = kinds["nouvelle-competence"]
    assert sorted(competences) == sorted(noted[t] for t in noted if t != "Et si le réseau cède ?")
    template = chain.deck_template(w.board, competences, read_format("atelier-competences").document)
    assert sorted(card["text"] for card in template["deck"]) == ["Lire des données de consommation",
                                                                  "Piloter des boucles locales d'énergie"]
    check_document(template)  # a template the new board is made from, origin and all
