"""The drag relay's pacing: a fast drag is coalesced, never drifts, and its last position and its
end always reach every other member; a drag at a person's pace is relayed whole. (Several drags at
once, one frame per tick: tests/test_drag_batch.py.)"""
import time

from board import protocol as p
from conftest import in_placement
from board.batching import GATHER
from test_drag_batch import simulate

MAINTENANCE = "maintenance/techniques"


def run_stream(arrivals, hz=30):
    """One stream's positions at `arrivals` (seconds) through a board's batch on a fake clock,
    flushed as the socket layer does: ([(position, when it went)], how many flushes started)."""
    frames, flushes = simulate([(at, "drag", index) for index, at in enumerate(arrivals)], hz=hz)
    return [(position, when) for when, frame in frames for position in frame], flushes


def test_a_sender_at_exactly_30_hz_with_network_jitter_is_relayed_whole_and_at_once():
    # Counted from each actual send, a position 2 ms early waited and dragged the next ones late.
    jitter = [0.0, 0.006, -0.007, 0.003, -0.004, 0.008, -0.008, 0.001] * 40
    arrivals = [1 + i / 30 + j for i, j in enumerate(jitter)]
    relayed, _ = run_stream(arrivals)
    assert [position for position, _ in relayed] == list(range(len(arrivals)))
    # Alone on the board, each went as it came: after the board's short gathering, never a tick later.
    assert all(when - arrivals[position] <= GATHER + 1e-9 for position, when in relayed)


def test_a_sender_far_faster_than_30_hz_gets_30_a_second_its_last_position_and_one_flush_per_drag():
    arrivals = [1 + i / 200 for i in range(400)]  # two seconds at 200 Hz
    relayed, flushes = run_stream(arrivals)
    relayed = [position for position, _ in relayed]
    assert relayed[-1] == 399  # the last position is never lost
    assert relayed == sorted(relayed)
    assert 55 <= len(relayed) <= 62  # ~30 a second over two seconds, not 400
    assert flushes == 1  # one flush carried the whole drag, not one per position


def test_after_a_pause_the_first_position_goes_at_once():
    relayed, flushes = run_stream([1.0, 1.01, 3.0])
    assert [position for position, _ in relayed] == [0, 1, 2]
    assert relayed[2][1] == 3.0 + GATHER  # 1.01 waited for its stream's tick; 3.0 for nothing
    assert flushes == 2  # one for the drag, one after the pause


# -- on a real server, with real clients

def positions(watcher, card_id):
    return [d for d in watcher.positions(p.SERVER_DRAG) if d["card_id"] == card_id]


def burst(sender, card_id, xs, **extra):
    for x in xs:
        sender.emit(p.CLIENT_DRAG, {"card_id": card_id, "zone_id": MAINTENANCE, "x": x, "y": 0.5, **extra})


def test_a_burst_faster_than_30_hz_reaches_every_other_member_coalesced_with_its_last_position_and_end(
        server, clients):
    workshop = in_placement(server.url, participants=3)
    dragger, *others = (clients(person["token"]) for person in workshop["participants"])
    others += [clients(workshop["admin_token"]), clients(workshop["projector_token"])]
    xs = [round(0.2 + i / 200, 3) for i in range(80)]  # as fast as the client can send: far over 30 Hz
    burst(dragger, "d01", xs)
    for watcher in others:
        watcher.wait_for(lambda: any(d["x"] == xs[-1] for d in positions(watcher, "d01")))
        seen = [d["x"] for d in positions(watcher, "d01")]
        assert seen[-1] == xs[-1]  # the last position of the burst arrived
        assert len(seen) < len(xs)  # intermediate ones were coalesced
        assert seen == sorted(seen)  # in the order sent, never back
    dragger.emit(p.CLIENT_DRAG, {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.7, "y": 0.6, "active": False})
    for watcher in others:
        watcher.wait_for(lambda: not positions(watcher, "d01")[-1]["active"])
        end = positions(watcher, "d01")[-1]
        assert (end["x"], end["y"], end["by"]) == (0.7, 0.6, dragger.me["id"])
    assert positions(dragger, "d01") == []  # never echoed to the sender


def test_the_end_of_one_card_s_drag_is_not_replaced_by_the_next_card_s_drag(server, clients):
    workshop = in_placement(server.url, participants=2)
    dragger, watcher = (clients(person["token"]) for person in workshop["participants"])
    burst(dragger, "d01", [0.1, 0.2, 0.3])
    burst(dragger, "d01", [0.35], active=False)
    burst(dragger, "d02", [0.4, 0.5, 0.6])  # at once: within the same 1/30 s as d01's end
    burst(dragger, "d02", [0.65], active=False)
    watcher.wait_for(lambda: positions(watcher, "d01") and positions(watcher, "d02")
                     and not positions(watcher, "d01")[-1]["active"] and not positions(watcher, "d02")[-1]["active"])
    assert positions(watcher, "d01")[-1]["x"] == 0.35
    assert positions(watcher, "d02")[-1]["x"] == 0.65


def test_a_flood_beyond_the_rate_limit_still_delivers_the_end_of_the_drag(server, clients):
    workshop = in_placement(server.url, participants=2)
    dragger, watcher = (clients(person["token"]) for person in workshop["participants"])
    burst(dragger, "d03", [round(i / 400, 4) for i in range(400)])  # over the 120 a second a client may send
    burst(dragger, "d03", [0.9], active=False)
    watcher.wait_for(lambda: positions(watcher, "d03") and not positions(watcher, "d03")[-1]["active"])
    assert positions(watcher, "d03")[-1]["x"] == 0.9
    assert len(positions(watcher, "d03")) < 100


def test_a_refused_drag_burst_reaches_nobody_and_the_same_burst_once_allowed_ends_where_it_ended(server, clients):
    workshop = in_placement(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    dragger, watcher = (clients(person["token"]) for person in workshop["participants"])
    assert facilitator.command("set_sequence", {"index": 0})["ok"]  # Découverte: nothing moves
    watcher.wait_version(facilitator.replica.version)
    xs = [round(0.1 + i / 100, 2) for i in range(40)]
    burst(dragger, "d01", xs)
    burst(dragger, "d01", [0.8], active=False)
    dragger.emit(p.CLIENT_CURSOR, {"x": 0.5, "y": 0.5})  # after the drags, from the same socket
    watcher.wait_for(lambda: watcher.messages(p.SERVER_CURSOR))
    assert positions(watcher, "d01") == [] and positions(facilitator, "d01") == []
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    watcher.wait_version(facilitator.replica.version)
    burst(dragger, "d01", xs)
    burst(dragger, "d01", [0.8], active=False)
    watcher.wait_for(lambda: positions(watcher, "d01") and not positions(watcher, "d01")[-1]["active"])
    assert positions(watcher, "d01")[-1]["x"] == 0.8


def test_a_drag_at_20_a_second_reaches_the_others_whole_and_in_order(server, clients):
    workshop = in_placement(server.url, participants=3)
    dragger, *watchers = (clients(person["token"]) for person in workshop["participants"])
    xs = [round(0.1 + i / 50, 2) for i in range(20)]
    for x in xs:  # a person's pace: one position every 50 ms
        burst(dragger, "d04", [x])
        time.sleep(0.05)
    for watcher in watchers:
        watcher.wait_for(lambda: len(positions(watcher, "d04")) >= len(xs) or
                         any(d["x"] == xs[-1] for d in positions(watcher, "d04")))
        assert [d["x"] for d in positions(watcher, "d04")] == xs
