"""Commands that reach an idle board in the same instant share one commit and one broadcast
(issue 13, drop latency): the first is not written alone, so the others do not wait for its commit
and for its broadcast to every socket before theirs. Seen frame by frame on a real server; no
timing is asserted."""
import json

import websocket

from board import protocol as p
from rawsocket import MESSAGE, ack_of, event_payload
from test_ack_first import MAINTENANCE, Member, events_in, placement


def move_frame(ack_id, command_id, card_id, x):
    """One websocket frame (masked, as a client sends it) carrying a move with an acknowledgement id."""
    packet = MESSAGE + f"2{ack_id}" + json.dumps([p.CLIENT_COMMAND, {
        "id": command_id, "type": "move_card", "data": {"card_id": card_id, "zone_id": MAINTENANCE, "x": x, "y": 0.5}}])
    return websocket.ABNF.create_frame(packet, websocket.ABNF.OPCODE_TEXT).format()


def test_five_moves_arriving_together_reach_the_room_in_one_frame_each_acknowledged(server):
    workshop, _ = placement(server.url, 2)
    mover = Member(server.url, workshop["participants"][0]["token"])
    watcher = Member(server.url, workshop["participants"][1]["token"])
    cards = [f"d{n:02d}" for n in range(1, 6)]
    # Five drops in one write: the server reads them in one go, as it does when people drop together.
    frames = b"".join(move_frame(n + 1, f"together-{n}", card, 0.1 + n / 10) for n, card in enumerate(cards))
    with mover.sock._send_lock:
        mover.sock.ws.sock.sendall(frames)

    watcher.read_until(lambda: len(watcher.events()) >= 5)
    carrying = [packet for packet in watcher.packets if events_in(packet)]
    assert len(carrying) == 1, "the five moves came in several frames: the first was committed alone"
    assert event_payload(carrying[0])[0] == p.SERVER_EVENT_BATCH
    moved = [event["data"]["card_id"] for event in events_in(carrying[0])]
    assert sorted(moved) == cards

    mover.read_until(lambda: len(mover.acks()) == 5)
    answers = [answer for _, answer in sorted((ack_id, answer) for ack_id, (_, answer) in mover.acks().items())]
    assert all(answer["ok"] for answer in answers), answers
    versions = sorted(answer["version"] for answer in answers)
    assert versions == list(range(versions[0], versions[0] + 5))  # five durable changes, none lost
    assert [event["version"] for event in events_in(carrying[0])] == versions
    assert all(ack_of(packet) is None for packet in watcher.packets)  # the watcher is answered nothing
    mover.sock.close()
    watcher.sock.close()
