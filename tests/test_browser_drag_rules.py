"""What a participant sees of others' drags keeps the rules of moves: a team mate's drag shows as a
moving label on the board, another team's drag of a card that is not theirs never does."""
from browser import expect, open_board
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def test_a_participant_sees_a_team_mate_s_drag_but_never_another_team_dragging_their_card(
        full_scene, server, contexts, shots):
    scene = full_scene("placed")  # Compléter: moves are open; drags are never stored
    team_of = scene["team_of"]
    viewer = scene["people"][0]
    ours = team_of[viewer["participant_id"]]
    mate = next(p for p in scene["people"][1:] if team_of[p["participant_id"]] == ours)
    outsider = next(p for p in scene["people"] if team_of[p["participant_id"]] != ours)
    page = open_board(contexts(**LAPTOP), viewer["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    intruder, friend = BoardClient(server.url, outsider["token"]), BoardClient(server.url, mate["token"])
    try:
        our_cards = [c for c in friend.state()["cards"] if c["team"] == ours and c["zone"] != "deck"]
        taken, moved = our_cards[0], our_cards[1]
        # Another team's member drags one of our cards: refused (the ack says so), relayed to nobody.
        for x in (0.2, 0.4, 0.6):
            answer = intruder.call("drag", {"card_id": taken["id"], "zone_id": taken["zone"], "x": x, "y": 0.5,
                                            "active": True})
            assert answer["code"] == "forbidden"
        # A team mate drags another of our cards: the label follows it on our board.
        friend.emit("drag", {"card_id": moved["id"], "zone_id": moved["zone"], "x": 0.5, "y": 0.5, "active": True})
        ghosts = page.locator("#panorama .ghost")
        expect(ghosts).to_have_count(1)
        ghost = ghosts.first
        expect(ghost).to_be_visible()
        mate_name = next(m["name"] for m in friend.state()["participants"] if m["id"] == mate["participant_id"])
        expect(ghost.locator(".ghost-by")).to_have_text(mate_name)
        assert ghost.get_attribute("data-card") == moved["id"]
        assert page.locator(f'#panorama .ghost[data-card="{taken["id"]}"]').count() == 0
        page.screenshot(path=str(shots / "drag-rules-team-mate-only.png"))
        page.screenshot(path="/tmp/sockets-drag-rules.png")
    finally:
        intruder.close()
        friend.close()
