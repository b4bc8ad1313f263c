"""Marks and speakers over the real server (spec MARK): ten participants of a Troc mark offers and wants
with real Socket.IO clients; every member's board agrees, who helps whom follows, and the exports list
the marks (CSV for French Excel, XLSX, the JSON document)."""
import csv
import io

import openpyxl
import requests

from board.domain.marks import who_helps_whom
from board.domain.model import board_from_snapshot
from board.export import TEXT_MARKER
from exchange_scene import TROC_NAMES, TROC_POSTITS, build_troc, create_from_format, expected_pairs, prospective_document
from realtime import BoardClient


def test_ten_participants_mark_and_every_board_agrees_on_who_helps_whom(server):
    """MARK2, MARK3, MARK6 on the real server: 10 people, 40 post-its, 70 marks; the facilitator's,
    a participant's and the projector's boards hold the same marks, and the pairs computed apart from
    marks.py equal the domain's from any of them."""
    troc = build_troc(server.url)
    states = []
    for token in (troc["admin_token"], troc["people"][3]["token"], troc["projector_token"]):
        client = BoardClient(server.url, token)
        try:
            states.append(client.state())
        finally:
            client.close()
    marks = [{c["id"]: c.get("marks", {}) for c in state["cards"]} for state in states]
    assert marks[0] == marks[1] == marks[2]
    assert sum(len(ids) for card in marks[0].values() for ids in card.values()) == 70
    assert len([c for c in states[0]["cards"] if c["kind"] == "postit"]) == len(TROC_POSTITS) == 40
    expected = expected_pairs(states[0])
    assert expected
    board = board_from_snapshot(states[0])
    names = {p.id: p.name for p in board.participants.values()}
    domain = [(g["zone"], c["text"], names[h], names[l]) for g in who_helps_whom(board) for c in g["cards"]
              for h, l in c["pairs"]]
    assert domain == expected


def test_a_participant_cannot_mark_for_someone_else_nor_outside_the_exchange(server):
    """MARK2, MARK4 over the wire: refused with its code, nothing changes for anyone."""
    troc = build_troc(server.url, marks_per_person=(0, 0))
    me = BoardClient(server.url, troc["people"][0]["token"])
    facilitator = BoardClient(server.url, troc["admin_token"])
    try:
        version = facilitator.state()["version"]
        answer = me.command("mark_card", {"card_id": "troc-2", "mark": "offre", "on": True,
                                          "participant_id": troc["people"][1]["participant_id"]})
        assert answer["code"] == "bad_request"
        assert me.command("mark_card", {"card_id": "troc-2", "mark": "bof", "on": True})["code"] == "not_found"
        assert facilitator.command("mark_card", {"card_id": "troc-2", "mark": "offre", "on": True})["code"] == "forbidden"
        assert facilitator.command("set_sequence", {"index": 0})["ok"]
        assert me.command("mark_card", {"card_id": "troc-2", "mark": "offre", "on": True})["code"] == "sequence_closed"
        assert not any(c.get("marks") for c in facilitator.state()["cards"])
        assert facilitator.state()["version"] == version + 1  # only the sequence changed
    finally:
        me.close()
        facilitator.close()


def test_a_locked_board_refuses_marking_until_it_is_unlocked(server):
    """LOCK2 for mark_card: refused with `locked`, accepted once the facilitator unlocks."""
    troc = build_troc(server.url, marks_per_person=(0, 0))
    me = BoardClient(server.url, troc["people"][0]["token"])
    facilitator = BoardClient(server.url, troc["admin_token"])
    try:
        locked = facilitator.command("lock_board")
        assert locked["ok"]
        me.wait_version(locked["version"])
        mark = {"card_id": "troc-2", "mark": "offre", "on": True}
        assert me.command("mark_card", mark)["code"] == "locked"
        assert facilitator.command("unlock_board")["ok"]
        assert me.command("mark_card", mark)["ok"]
    finally:
        me.close()
        facilitator.close()


def exports(base_url, admin_token, **query):
    url = f"{base_url}/f/{admin_token}"
    raw = requests.get(f"{url}/export.csv", params=query, timeout=10).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    book = openpyxl.load_workbook(io.BytesIO(requests.get(f"{url}/export.xlsx", params=query, timeout=10).content))
    document = requests.get(f"{url}/export.json", timeout=10)
    return rows, book, document


def test_the_exports_list_who_marked_each_card(server):
    """MARK7: the CSV and the XLSX have a column per mark with the names of who marked each card, in
    the order they marked it; the board document keeps each card's marks."""
    troc = build_troc(server.url)
    facilitator = BoardClient(server.url, troc["admin_token"])
    try:
        state = facilitator.state()
    finally:
        facilitator.close()
    names = {p["id"]: p["name"] for p in state["participants"]}
    wanted = {c["text"]: [", ".join(names[pid] for pid in c.get("marks", {}).get(mark, [])) for mark in ("offre", "envie")]
              for c in state["cards"]}
    rows, book, document = exports(server.url, troc["admin_token"])
    header = rows[0]
    assert header[-2:] == ["Je peux aider", "Je veux apprendre"]
    card_column = header.index("Carte")
    got = {row[card_column].removeprefix(TEXT_MARKER): row[-2:] for row in rows[1:]}
    assert got == wanted
    assert any(offers for offers, _ in wanted.values()) and any(wants for _, wants in wanted.values())
    sheet = book["Marques et intervenants"]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert lines[0] == ["Zone", "Carte", "Je peux aider", "Je veux apprendre"]
    assert {line[1]: [value or "" for value in line[2:]] for line in lines[1:]} == wanted
    assert document.status_code == 200  # the whole board as a document (DOC1)
    cards = {c["text"]: c.get("marks", {}) for c in document.json()["cards"]}
    assert cards == {c["text"]: c.get("marks", {}) for c in state["cards"]}


def test_the_exports_name_the_speaker_of_each_quote(server):
    """MARK7, MARK11: a Speaker column where the format takes quotes, "Un participant" for theirs."""
    board = create_from_format(server.url, prospective_document())
    facilitator = BoardClient(server.url, board["admin_token"])
    try:
        for text, speaker in (("Le collaboratif, ça s'apprend", "Animatrice"), ("Anticipons", "participant")):
            assert facilitator.command("create_card", {"kind": "quote", "text": text, "zone_id": "agile/citations",
                                                       "x": 0.5, "y": 1, "speaker": speaker})["ok"]
    finally:
        facilitator.close()
    rows, book, _ = exports(server.url, board["admin_token"])
    assert rows[0][-1] == "Intervenant"
    assert {row[2]: (row[3], row[-1]) for row in rows[1:]} == {
        "Le collaboratif, ça s'apprend": ("Citation", "Animatrice"), "Anticipons": ("Citation", "Un participant")}
    sheet = book["Marques et intervenants"]
    assert [cell.value for cell in sheet[1]] == ["Zone", "Carte", "Intervenant"]
