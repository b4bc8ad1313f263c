"""A private theme's links over the real server (PRIV7): in private mode a team writes a theme on the
factors map and links it to factors; a participant of another team, connected all along, then another
arriving afterwards, and the projector, receive nothing of those links in any message (welcome, events,
catching up), while the theme's own team follows them."""
import json

from board import protocol as p
from links_scene import build_themes_scene
from realtime import BoardClient

WORK_KEYS = {"links", "marks", "target_id", "axis", "rater", "mark"}


def dicts_naming(value, wanted):
    """Every dict inside a message holding `wanted` as a value, or in a list value."""
    found = []
    if isinstance(value, dict):
        if any(v == wanted or (isinstance(v, list) and wanted in v) for v in value.values()):
            found.append(value)
        for inner in value.values():
            found += dicts_naming(inner, wanted)
    elif isinstance(value, list):
        for inner in value:
            found += dicts_naming(inner, wanted)
    return found


def test_another_team_receives_nothing_of_a_private_theme_s_links(server):
    workshop, themes = build_themes_scene(server.url, link=False)
    people = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    writer, teammate = BoardClient(server.url, people[0]["token"]), BoardClient(server.url, people[4]["token"])
    other = BoardClient(server.url, people[1]["token"])  # another team's participant, there all along
    projector = BoardClient(server.url, workshop["projector_token"])
    try:
        teams = {c["id"]: c["team"] for c in facilitator.state()["participants"]}
        assert teams[writer.me["id"]] == teams[teammate.me["id"]] != teams[other.me["id"]]
        assert facilitator.command("configure", {"private_cards": True})["ok"]
        answer = writer.command("create_card", {"kind": "postit", "text": "Sobriété des villes", "zone_id": "theme-demande",
                                                "x": 0.5, "y": 0.9, "card_id": "theme-secret"})
        assert answer["ok"], answer
        for factor in ("f01", "f02", "f03", "f04"):
            answer = writer.command("link_card", {"card_id": "theme-secret", "target_id": factor, "on": True})
            assert answer["ok"], answer
        assert writer.command("link_card", {"card_id": "theme-secret", "target_id": "f02", "on": False})["ok"]
        last = answer["version"] + 1
        latecomer = BoardClient(server.url, people[2]["token"])  # another team, arriving afterwards
        for client in (teammate, other, projector, latecomer):
            client.wait_version(last)
        other.close()
        other.connect(resume=True)  # catching up from an older version goes through the same filter
        for client in (other, projector, latecomer):
            about = [entry for _, payload in client.received for entry in dicts_naming(payload, "theme-secret")]
            assert about, "the theme reaches them face down"
            for entry in about:
                assert not WORK_KEYS & set(entry), entry
                assert entry.get("text", "") == ""
            seen = next(c for c in client.state()["cards"] if c["id"] == "theme-secret")
            assert seen["private"] and seen["text"] == "" and "links" not in seen
            raw = json.dumps(client.received, ensure_ascii=False)
            assert "Sobriété des villes" not in raw
            # Every link event reached them, emptied, so their versions run on without a gap.
            assert [e["data"] for e in client.messages(p.SERVER_EVENT) if e["type"] == "card_linked"] == [{}] * 5 \
                or client is latecomer
        assert next(c for c in teammate.state()["cards"] if c["id"] == "theme-secret")["links"] == ["f01", "f03", "f04"]
        assert next(c for c in facilitator.state()["cards"] if c["id"] == "theme-secret")["links"] == ["f01", "f03", "f04"]
    finally:
        for client in (facilitator, writer, teammate, other, projector):
            client.close()
