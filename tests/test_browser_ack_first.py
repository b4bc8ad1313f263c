"""A page applies the `events` frames of group commits (issue 13), in a real chromium.

Ten people drop cards at once, in bursts: their moves share commits, and the page receives them
as `events` frames. It must show every card where its last move put it, as if each had come alone.
"""
import json
import threading

from browser import MAINTENANCE, cell, expect, wait_online, wait_version
from conftest import in_placement
from rawsocket import RawSocket, ack_of

from board import protocol as p

SENDERS = 10
MOVES = 6


def final_x(n):
    return round(0.1 + (MOVES - 1) / 10, 2) if n % 2 == 0 else round(0.15 + (MOVES - 1) / 10, 2)


def burst(base_url, token, card_id, n, answers, go):
    """One person: connects, then sends MOVES moves of a card without waiting; their answers."""
    sock = RawSocket(base_url)
    try:
        assert sock.connect({"token": token}).startswith("0")
        go.wait()
        for m in range(MOVES):
            x = round((0.1 if n % 2 == 0 else 0.15) + m / 10, 2)
            sock.send_packet(f"2{m + 1}" + json.dumps([p.CLIENT_COMMAND, {
                "id": f"b{n}-{m}", "type": "move_card", "data": {"card_id": card_id, "zone_id": MAINTENANCE,
                                                                 "x": x, "y": 0.4}}]))
        for _ in range(MOVES):
            answers.append(ack_of(sock.next_packet(lambda packet: ack_of(packet) is not None))[1])
    finally:
        sock.close()


def test_a_page_shows_every_card_of_a_burst_of_group_commits(server, contexts):
    workshop = in_placement(server.url, participants=SENDERS + 1)
    page = contexts().new_page()
    frames = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    page.goto(workshop["participants"][0]["board_url"])
    wait_online(page)
    answers, go = [], threading.Barrier(SENDERS)
    threads = [threading.Thread(target=burst, args=(server.url, person["token"], f"d{n + 1:02d}", n, answers, go))
               for n, person in enumerate(workshop["participants"][1:])]
    [t.start() for t in threads]
    [t.join(20) for t in threads]
    assert len(answers) == SENDERS * MOVES and all(a["ok"] for a in answers)
    wait_version(page, max(a["version"] for a in answers), timeout=10)
    # The page received changes committed together as one frame, and applied each of them.
    assert any(isinstance(f, str) and f.startswith(f'42["{p.SERVER_EVENT_BATCH}"') for f in frames)
    for n in range(SENDERS):
        card_id = f"d{n + 1:02d}"
        expect(cell(page, MAINTENANCE).locator(f'[data-card="{card_id}"]')).to_be_visible()
        assert page.evaluate(f"window.atelier.connection.confirmed.cards.get('{card_id}').x") == final_x(n)
    expect(cell(page, "deck").locator('[data-card="d01"]')).to_have_count(0)
    page.screenshot(path="/tmp/ack-first-burst.png", full_page=True)
