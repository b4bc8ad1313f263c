"""Effects only on key factors over the real server (NOTE14): a participant's effect on a factor the
facilitator did not keep comes back refused with its reason and reaches nobody; once the factor is kept
the same effect is written, and another team's participant receives it."""
from canvas_scene import create_canvas_workshop, teams_at_work
from links_scene import factors_map_format, sequence_index
from realtime import BoardClient


def test_an_effect_is_refused_on_a_factor_not_kept_then_written_once_it_is_kept(server):
    workshop = create_canvas_workshop(server.url, participants=2, fmt=factors_map_format())
    teams_at_work(server.url, workshop)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    writer, reader = (BoardClient(server.url, person["token"]) for person in workshop["participants"])
    try:
        assert facilitator.command("move_card", {"card_id": "f07", "zone_id": "carte", "x": 0.3, "y": 0.3})["ok"]
        assert facilitator.command("set_sequence", {"index": sequence_index("effets")})["ok"]
        effect = {"kind": "postit", "text": "Former à la maintenance des batteries", "zone_id": "carte", "x": 0, "y": 0,
                  "parent": "f07", "note_kind": "nouvelle-competence", "card_id": "effect-1"}
        before = facilitator.replica.version
        refused = writer.command("create_card", effect)
        assert not refused["ok"] and refused["code"] == "forbidden"
        assert "nouvelle-competence" in refused["message"] and facilitator.replica.cards["f07"].text in refused["message"]
        assert facilitator.command("keep_card", {"card_id": "f07", "kept": True})["ok"]
        reader.wait_version(before + 1)
        assert "effect-1" not in reader.replica.cards  # the refusal wrote nothing
        written = writer.command("create_card", effect)
        assert written["ok"], written
        reader.wait_version(written["version"])
        note = reader.replica.cards["effect-1"]
        assert (note.parent, note.note_kind, note.text) == ("f07", "nouvelle-competence", effect["text"])
    finally:
        for client in (facilitator, writer, reader):
            client.close()
