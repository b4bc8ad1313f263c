"""The factors map's last sequence at full scale on a real server, for the links tests: the packaged
format (board/formats/cartographie-facteurs.json) made into a board through the template route, 20
participants in 4 teams, its 50 factors in 8 families (two left ungrouped), then in *Thèmes* the seed's
11 themes (tests/data/factors-themes.json) written under their 3 headings, each linked to 3 to 6 factors."""
import copy
import json
from pathlib import Path

from board.domain import read_format
from canvas_scene import CANVAS, FAMILY_NAMES, create_canvas_workshop, teams_at_work
from realtime import BoardClient

THEMES = json.loads((Path(__file__).parent / "data" / "factors-themes.json").read_text(encoding="utf-8"))["headings"]
FORMAT = "cartographie-facteurs"


def factors_map_format():
    """A private copy of the packaged factors map format, its deck of 50 factors included."""
    return copy.deepcopy(read_format(FORMAT).document)


def sequence_index(sequence_id):
    return [s["id"] for s in factors_map_format()["sequences"]].index(sequence_id)


def factors_of(number):
    """The factors theme number `number` (0-10) stands on: 3 to 6 of them, spread over the deck."""
    deck = [card["id"] for card in factors_map_format()["deck"]]
    return [deck[(number * 5 + k * 9) % len(deck)] for k in range(3 + number % 4)]


def build_themes_scene(base_url, participants=20, link=True):
    """The scene; returns (workshop, themes: [{id, area, text, factors, token}]). With `link` false the
    themes are written but not linked yet. Theme number n is written by participant n (teams dealt in turn)."""
    workshop = create_canvas_workshop(base_url, participants=participants, fmt=factors_map_format())
    teams_at_work(base_url, workshop, teams=("Rouge", "Bleu", "Vert", "Violet"))
    facilitator = BoardClient(base_url, workshop["admin_token"])
    writers = {}
    try:
        deck = [card["id"] for card in factors_map_format()["deck"]]
        for n, name in enumerate(FAMILY_NAMES):
            column, row = n % 4, n // 4
            answer = facilitator.command("create_zone", {
                "zone_id": f"fam-{n + 1}", "area_id": CANVAS, "label": name,
                "x": round(0.005 + column * 0.248, 3), "y": round(0.015 + row * 0.41, 3), "card_ids": deck[n * 6:n * 6 + 6]})
            assert answer["ok"], answer
        for i, card_id in enumerate(deck[48:]):
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": CANVAS, "x": 0.05 + i * 0.15, "y": 0.86})["ok"]
        assert facilitator.command("set_sequence", {"index": sequence_index("themes")})["ok"]
        themes, number = [], 0
        for area, texts in THEMES.items():
            for text in texts:
                person = workshop["participants"][number]
                writer = writers.setdefault(person["token"], BoardClient(base_url, person["token"]))
                card_id = f"theme-{number + 1}"
                answer = writer.command("create_card", {"kind": "postit", "text": text, "zone_id": area, "x": 0.5,
                                                        "y": round(0.1 + 0.2 * len([t for t in themes if t["area"] == area]), 2),
                                                        "card_id": card_id})
                assert answer["ok"], answer
                factors = factors_of(number)
                if link:
                    for factor in factors:
                        answer = writer.command("link_card", {"card_id": card_id, "target_id": factor, "on": True})
                        assert answer["ok"], answer
                themes.append({"id": card_id, "area": area, "text": text, "factors": factors, "token": person["token"]})
                number += 1
        return workshop, themes
    finally:
        facilitator.close()
        for writer in writers.values():
            writer.close()
