"""Ratings over the real server: the matrix from several teams' ratings, and concurrent raters converging.

Real eventlet server (the `server` fixture), real python-socketio clients, a board made from the
ratings test format through the template route (tests/ratings_scene.py). RATE1, RATE3, RATE8.
"""
import threading
from fractions import Fraction

import requests

from board.domain.model import board_from_snapshot
from board.domain.ratings import matrix
from ratings_scene import create_ratings_board, rate_scene
from realtime import BoardClient


def board_seen_by(base_url, token):
    """The snapshot the server gives this member now."""
    return requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()


def test_the_matrix_places_each_card_at_the_mean_of_what_the_teams_sent(server):
    """RATE8: 25 factors rated by 4 teams; each card's position and spread equal the test's own computation."""
    scene = rate_scene(server.url, rated=25, kept=6)
    snapshot = board_seen_by(server.url, scene["admin_token"])
    entries = {entry["card_id"]: entry for entry in matrix(board_from_snapshot(snapshot))}
    x_axis, y_axis = (axis["id"] for axis in scene["axes"])
    assert set(entries) == set(scene["sent"]) and len(entries) == 25
    for card_id, by_axis in scene["sent"].items():
        for side, axis in (("x", x_axis), ("y", y_axis)):
            values = list(by_axis[axis].values())
            assert len(values) == 4  # one rating per team
            expected_mean = Fraction(sum(values), len(values))
            placed = entries[card_id][side]
            assert Fraction(placed["mean"]).limit_denominator(100) == expected_mean, (card_id, axis)
            assert (placed["min"], placed["max"], placed["count"]) == (min(values), max(values), 4)
        assert entries[card_id]["kept"] is (card_id in scene["kept"])
    # The participants and the projector read the same ratings (nothing in them is secret).
    for token in (scene["projector_token"], scene["members"][scene["team_ids"][0]][0]["token"]):
        seen = {card["id"]: card["ratings"] for card in board_seen_by(server.url, token)["cards"]}
        assert all(seen[card_id] == by_axis for card_id, by_axis in scene["sent"].items())


def test_members_of_every_team_rating_at_once_converge_to_one_rating_per_team(server):
    """RATE1, RATE3: 8 people in 4 teams rate the same cards at the same time, each with their own
    values; every peer ends with what the server holds, and each team's rating is the last of its
    members' accepted ones, in the order of the log."""
    scene = create_ratings_board(server.url, teams=4, per_team=2)
    people = [person for members in scene["members"].values() for person in members]
    peers = [BoardClient(server.url, person["token"]) for person in people]
    facilitator = BoardClient(server.url, scene["admin_token"])
    cards, axes = ("f01", "f02", "f03"), ("capacite_agir", "criticite")
    start = threading.Barrier(len(peers))
    failures = []

    def rate(peer, n):
        try:
            start.wait()
            for round_ in range(6):
                for card in cards:
                    for axis in axes:
                        value = None if (n + round_) % 5 == 4 else 1 + (n + round_ + len(card)) % 4
                        answer = peer.command("rate_card", {"card_id": card, "axis": axis, "value": value},
                                              settle=False)
                        # Another member of the team may have just given this value, or withdrawn it.
                        if not answer["ok"] and answer["code"] != "conflict":
                            failures.append(answer)
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's peer
            failures.append(repr(error))

    threads = [threading.Thread(target=rate, args=(peer, n)) for n, peer in enumerate(peers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures[:3]
    truth = board_seen_by(server.url, scene["admin_token"])
    everyone = peers + [facilitator]
    for peer in everyone:
        peer.catch_up()
        peer.wait_version(truth["version"])
    expected = {}
    rated = [event for event in facilitator.messages("event") if event["type"] == "card_rated"]
    assert len(rated) > 20
    for event in sorted(rated, key=lambda e: e["version"]):
        data = event["data"]
        expected.setdefault(data["card_id"], {}).setdefault(data["axis"], {})[data["rater"]] = data["value"]
    truth_ratings = {card["id"]: card["ratings"] for card in truth["cards"] if card["id"] in cards}
    for card, by_axis in expected.items():
        wanted = {axis: {rater: v for rater, v in values.items() if v is not None} for axis, values in by_axis.items()}
        assert truth_ratings[card] == {axis: values for axis, values in wanted.items() if values}
        assert set(rater for values in truth_ratings[card].values() for rater in values) <= set(scene["team_ids"])
    for peer in everyone:
        assert {card["id"]: card["ratings"] for card in peer.state()["cards"]} == \
            {card["id"]: card["ratings"] for card in truth["cards"]}
    for peer in everyone:
        peer.close()


def test_the_exports_carry_each_raters_value_the_mean_and_the_kept_cards(server):
    """RATE10: CSV (French Excel), XLSX and JSON of a board whose 25 factors 4 teams rated."""
    import csv
    import io

    from openpyxl import load_workbook

    scene = rate_scene(server.url, rated=25, kept=6)
    base = f"{server.url}/f/{scene['admin_token']}"
    x_axis, y_axis = (axis["id"] for axis in scene["axes"])
    team_names = dict(zip(scene["team_ids"], ("Réseaux", "Clients", "Talents", "Territoires")))

    def expected(card_id, axis):
        values = scene["sent"][card_id][axis]
        by_team = "; ".join(f"{who}: {value}" for who, value in sorted((team_names[t], v) for t, v in values.items()))
        return round(sum(values.values()) / len(values), 2), by_team

    text = requests.get(base + "/export.csv", timeout=10).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[-5:] == ["Capacité d'agir (moyenne)", "Capacité d'agir (par équipe)", "Criticité (moyenne)",
                           "Criticité (par équipe)", "Facteur-clé"]
    by_text = {row[2]: row for row in rows[1:]}
    assert len(by_text) == 25  # the rated factors, though still in the deck
    for card_id in scene["sent"]:
        row = by_text[scene["texts"][card_id]]
        for offset, axis in ((-5, x_axis), (-3, y_axis)):
            mean, by_team = expected(card_id, axis)
            assert float(row[offset].replace(",", ".")) == mean and row[offset + 1].lstrip("\u2060") == by_team
        assert row[-1] == ("oui" if card_id in scene["kept"] else "")

    book = load_workbook(io.BytesIO(requests.get(base + "/export.xlsx", timeout=10).content))
    sheet = book["Matrice"]
    lines = {line[0]: line for line in sheet.iter_rows(min_row=2, values_only=True)}
    for card_id in scene["sent"]:
        line = lines[scene["texts"][card_id]]
        assert (line[1], line[2]) == expected(card_id, x_axis) and (line[3], line[4]) == expected(card_id, y_axis)
        assert line[5] == ("oui" if card_id in scene["kept"] else None)

    document = requests.get(base + "/export.json", timeout=10).json()
    cards = {card["id"]: card for card in document["cards"]}
    for card_id, by_axis in scene["sent"].items():
        assert cards[card_id]["ratings"] == by_axis and cards[card_id]["kept"] is (card_id in scene["kept"])
    means = {entry["card_id"]: entry for entry in document["matrix"]}
    assert all(round(means[card_id]["x"]["mean"], 2) == expected(card_id, x_axis)[0] for card_id in scene["sent"])
