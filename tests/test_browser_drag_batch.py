"""Several team mates dragging at once, their positions arriving as lists (one message per board
tick, CARD19): on a participant's full-scale board each drag shows as its own label, naming its
dragger, where that drag is; each label goes when its drag ends."""
from browser import expect, open_board
from realtime import BoardClient

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
GHOST_CENTRES = """() => [...document.querySelectorAll("#panorama .ghost")].map((ghost) => {
  const box = ghost.parentElement.getBoundingClientRect(), own = ghost.getBoundingClientRect();
  return {card: ghost.dataset.card, by: ghost.querySelector(".ghost-by").textContent,
          x: (own.left + own.width / 2 - box.left) / box.width, y: (own.top + own.height / 2 - box.top) / box.height};
})"""


def test_three_team_mates_dragging_at_once_show_three_labels_each_where_its_drag_is(full_scene, server, contexts):
    scene = full_scene("placed")  # Compléter: moves are open; drags are never stored
    team_of = scene["team_of"]
    viewer = scene["people"][0]
    ours = team_of[viewer["participant_id"]]
    mates = [p for p in scene["people"][1:] if team_of[p["participant_id"]] == ours][:3]
    page = open_board(contexts(**LAPTOP), viewer["board_url"])
    expect(page.locator("#panorama .card")).to_have_count(72)
    page.evaluate("""() => { window.dragFrames = [];
        window.atelier.connection.socket.on("dragging", (frame) => window.dragFrames.push(frame)); }""")
    friends = [BoardClient(server.url, mate["token"]) for mate in mates]
    try:
        cards = [c for c in friends[0].state()["cards"] if c["team"] == ours and c["zone"] != "deck"][:3]
        names = {m["id"]: m["name"] for m in friends[0].state()["participants"]}
        spots = [(0.25, 0.12), (0.5, 0.25), (0.75, 0.38)]  # on a laptop's first screen
        for step in range(10):  # the three move together, each towards its own spot
            for friend, card, (x, y) in zip(friends, cards, spots):
                friend.emit("drag", {"card_id": card["id"], "zone_id": card["zone"], "x": round(x - 0.01 * (9 - step), 3),
                                     "y": y, "active": True})
        page.wait_for_function(f"""() => {{ const spots = {[list(s) for s in spots]};
            const ghosts = ({GHOST_CENTRES})();
            return ghosts.length === 3 && spots.every(([x, y]) =>
                ghosts.some((g) => Math.abs(g.x - x) < 0.01 && Math.abs(g.y - y) < 0.01)); }}""")
        ghosts = page.locator("#panorama .ghost")
        viewport = page.viewport_size
        for index in range(3):  # each readable where the person looks, without scrolling
            expect(ghosts.nth(index)).to_be_visible()
            box = ghosts.nth(index).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
        seen = {g["card"]: g for g in page.evaluate(GHOST_CENTRES)}
        for mate, card, (x, y) in zip(mates, cards, spots):
            assert seen[card["id"]]["by"] == names[mate["participant_id"]]  # each label names its dragger
            assert abs(seen[card["id"]]["x"] - x) < 0.01 and abs(seen[card["id"]]["y"] - y) < 0.01
        # What the page received were lists of positions, never one message per position each.
        frames = page.evaluate("window.dragFrames")
        assert frames and all(isinstance(frame, list) and frame for frame in frames)
        page.screenshot(path="/tmp/batch-three-ghosts.png")
        for friend, card, (x, y) in zip(friends, cards, spots):  # each ends its drag: its label goes
            friend.emit("drag", {"card_id": card["id"], "zone_id": card["zone"], "x": x, "y": y, "active": False})
        expect(ghosts).to_have_count(0)
    finally:
        for friend in friends:
            friend.close()
