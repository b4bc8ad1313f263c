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


def test_the_page_sends_where_a_fast_drag_stopped_even_when_the_hand_then_holds_still(full_scene, server, contexts):
    """The page paces its own drag positions (connection.js) on a fixed grid: a burst of moves faster
    than 30 a second is thinned, but the latest is held for the next tick and sent, so a team mate
    sees where the card stopped while the hand holds still, before any drop."""
    scene = full_scene("placed")
    team_of = scene["team_of"]
    dragger = scene["people"][2]
    mate = next(p for p in scene["people"] if p is not dragger and team_of[p["participant_id"]] == team_of[dragger["participant_id"]])
    page = open_board(contexts(**LAPTOP), dragger["board_url"])
    watcher = BoardClient(server.url, mate["token"])
    try:
        card = next(c for c in watcher.state()["cards"] if c["team"] == team_of[dragger["participant_id"]]
                    and c["zone"] != "deck")
        # What the page hands its socket, recorded (the socket still sends it).
        page.evaluate("""() => { const c = window.atelier.connection, emit = c.emitDrag.bind(c);
            window.sentDrags = []; c.emitDrag = (p) => { window.sentDrags.push(p.x); emit(p); }; }""")
        xs = [round(0.2 + i / 100, 2) for i in range(40)]
        page.evaluate("""([cardId, zoneId, xs]) => { for (const x of xs)
            window.atelier.connection.drag({card_id: cardId, zone_id: zoneId, x, y: 0.5, active: true}); }""",
                      [card["id"], card["zone"], xs])
        # The hand holds still: no more moves, no drop. The last position still goes, once.
        page.wait_for_function(f"() => window.sentDrags.length > 0 && window.sentDrags.at(-1) === {xs[-1]}")
        sent = page.evaluate("window.sentDrags")
        assert len(sent) < len(xs), sent  # thinned: 40 moves in one go are not 40 frames
        assert sent[0] == xs[0] and sent.count(xs[-1]) == 1, sent
        watcher.wait_for(lambda: any(m.get("x") == xs[-1] for m in watcher.positions("dragging")), 5)
    finally:
        watcher.close()
