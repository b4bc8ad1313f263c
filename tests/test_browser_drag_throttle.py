"""What a participant sees of a team mate's fast drag: the label ends where the drag stopped, not
at a position from the middle of the burst, on the full-scale board."""
from browser import expect, open_board
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
GHOST_CENTRE = """() => {
  const ghost = document.querySelector("#panorama .ghost");
  if (!ghost) return null;
  const box = ghost.parentElement.getBoundingClientRect(), own = ghost.getBoundingClientRect();
  return {x: (own.left + own.width / 2 - box.left) / box.width, y: (own.top + own.height / 2 - box.top) / box.height};
}"""


def test_a_team_mate_s_burst_of_positions_shows_its_label_where_the_drag_stopped(full_scene, server, contexts):
    scene = full_scene("placed")  # Compléter: moves are open; drags are never stored
    team_of = scene["team_of"]
    viewer = scene["people"][0]
    mate = next(p for p in scene["people"][1:] if team_of[p["participant_id"]] == team_of[viewer["participant_id"]])
    page = open_board(contexts(**LAPTOP), viewer["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    friend = BoardClient(server.url, mate["token"])
    try:
        card = next(c for c in friend.state()["cards"] if c["team"] == team_of[viewer["participant_id"]]
                    and c["zone"] != "deck")
        xs = [round(0.15 + i / 200, 3) for i in range(90)]  # far faster than 30 a second, left to right
        for x in xs:
            friend.emit("drag", {"card_id": card["id"], "zone_id": card["zone"], "x": x, "y": 0.4, "active": True})
        # The label settles where the drag stopped (x 0.595), wherever the burst was coalesced.
        page.wait_for_function(f"(() => {{ const c = ({GHOST_CENTRE})(); "
                               f"return c && Math.abs(c.x - {xs[-1]}) < 0.01 && Math.abs(c.y - 0.4) < 0.01; }})")
        ghost = page.locator("#panorama .ghost")
        expect(ghost).to_have_count(1)
        expect(ghost).to_be_visible()
        assert ghost.get_attribute("data-card") == card["id"]
        page.screenshot(path="/tmp/throttle-ghost-settled.png")
        friend.emit("drag", {"card_id": card["id"], "zone_id": card["zone"], "x": xs[-1], "y": 0.4, "active": False})
        expect(ghost).to_have_count(0)
    finally:
        friend.close()
