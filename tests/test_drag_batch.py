"""Several people dragging at once: each board sends one frame per tick carrying every position that
moved, instead of one frame per position per socket; the last position and the end of every drag
still reach everyone, and nobody is sent their own positions (CARD18, CARD19)."""
import math
import threading

from board import protocol as p
from board.batching import GATHER, SENDS_PER_SECOND, TICK, Batch, tick_for
from conftest import in_placement
from test_view_as import ViewAsClient

MAINTENANCE = "maintenance/techniques"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def simulate(arrivals, tick=TICK, hz=30):
    """Feed a board's Batch `arrivals` [(seconds, stream, position)] on a fake clock, running its one
    flush as the socket layer does: ([(when, frame)], how many flushes started)."""
    clock = FakeClock()
    batch = Batch(tick, hz, clock)
    frames, flushes, wake = [], 0, None

    def flush_until(limit):
        nonlocal wake
        while wake is not None and wake <= limit:
            clock.now = wake
            frame, wait = batch.due_frame()
            if frame:
                frames.append((clock.now, frame))
            wake = None if wait is None else clock.now + wait

    for at, stream, position in sorted(arrivals, key=lambda a: a[0]):
        flush_until(at)
        clock.now = at
        frame, wait = batch.offer(stream, position)
        if frame:
            frames.append((at, frame))
        if wait is not None:
            assert wake is None, "a second flush for one board"
            flushes += 1
            wake = at + wait
    flush_until(math.inf)
    return frames, flushes


def drags(people, seconds, hz=30, start=1.0):
    """`people` dragging a card each at `hz`, their phases spread; each ends its drag."""
    arrivals = []
    for who in range(people):
        count = int(seconds * hz)
        for n in range(count):
            arrivals.append((start + who / (people * hz) + n / hz, who, (who, n)))
        arrivals.append((start + who / (people * hz) + count / hz, who, (who, "end")))
    return arrivals


def test_ten_people_dragging_at_30_hz_make_one_frame_per_tick_not_one_per_position():
    frames, _ = simulate(drags(10, seconds=2))
    positions = [position for _, frame in frames for position in frame]
    assert len(positions) == 10 * 61  # every position went out (a 30 Hz drag is not thinned)...
    assert len(frames) < len(positions) / 2  # ...in far fewer frames than one per position
    sent_at = [when for when, _ in frames]
    assert len(frames) <= round((sent_at[-1] - sent_at[0]) / TICK) + 1  # one per tick at most, however many drag
    assert all(later - earlier >= TICK - 1e-9 for earlier, later in zip(sent_at, sent_at[1:]))
    assert max(len(frame) for _, frame in frames) > 1  # a frame carries several people's positions


def test_the_end_of_every_drag_is_the_last_thing_its_stream_sends():
    frames, _ = simulate(drags(10, seconds=1, hz=200))  # far too fast: coalesced
    for who in range(10):
        mine = [position for _, frame in frames for position in frame if position[0] == who]
        assert mine[-1] == (who, "end")
        assert [n for _, n in mine[:-1]] == sorted(n for _, n in mine[:-1])  # never back in time
        assert len(mine) <= 32  # ~30 a second for each stream, not 200


def test_a_lone_drag_at_30_hz_goes_whole_each_position_after_the_short_gathering_only():
    arrivals = drags(1, seconds=1)
    frames, _ = simulate(arrivals)
    assert [frame for _, frame in frames] == [[(0, n)] for n in range(30)] + [[(0, "end")]]
    assert [when for when, _ in frames] == [at + GATHER for at, _, _ in arrivals]


def test_a_plenary_of_500_ticks_slower_so_that_its_frames_stay_within_what_one_core_sends():
    clock = FakeClock()
    batch = Batch(TICK, 30, clock)
    sent_at = []
    for n in range(600):  # 20 people dragging at 30 Hz, their phases spread, for one second
        clock.now = 1.0 + n / 600
        frame, _ = batch.offer(n % 20, n, sockets=500)
        if frame:
            sent_at.append(clock.now)
        while batch.flushing and clock.now + 1e-9 >= batch.due:  # the flush, when its time has come
            frame, _ = batch.due_frame()
            if frame:
                sent_at.append(clock.now)
    assert tick_for(500) == 500 / SENDS_PER_SECOND > TICK and tick_for(200) == TICK
    gaps = [later - earlier for earlier, later in zip(sent_at, sent_at[1:])]
    assert min(gaps) >= tick_for(500) - 1e-9  # 40 frames a second to each of 500, not 100
    assert len(sent_at) <= 1 / tick_for(500) + 1


def test_positions_arriving_together_share_one_frame_and_later_ones_wait_for_the_next_tick():
    # Three people's positions come within the gathering; then a fourth person's.
    arrivals = [(1.0, "a", "a1"), (1.001, "b", "b1"), (1.0015, "c", "c1"), (1.005, "d", "d1")]
    frames, flushes = simulate(arrivals)
    assert frames == [(1.0 + GATHER, ["a1", "b1", "c1"]), (1.0 + GATHER + TICK, ["d1"])]
    assert flushes == 1  # one flush carried both frames


def test_two_cards_dragged_by_one_person_keep_each_its_own_end():
    arrivals = [(1.0, ("s1", "d01"), "d01 at 0.3"), (1.001, ("s1", "d01"), "d01 ends"),
                (1.002, ("s1", "d02"), "d02 at 0.4"), (1.003, ("s1", "d02"), "d02 ends")]
    frames, _ = simulate(arrivals)
    sent = [position for _, frame in frames for position in frame]
    assert [s for s in sent if s.startswith("d01")][-1] == "d01 ends"
    assert [s for s in sent if s.startswith("d02")][-1] == "d02 ends"


def test_a_stream_idle_for_a_while_is_forgotten():
    clock = FakeClock()
    batch = Batch(TICK, 30, clock)
    for n in range(100):  # a long session: a hundred cards dragged one after another
        clock.now += 1
        assert batch.offer(("s1", f"card{n}"), n) == ([], GATHER)
        clock.now += GATHER
        assert batch.due_frame() == ([n], TICK)
        clock.now += TICK
        assert batch.due_frame() == ([], None)
    assert len(batch.streams) <= 2 and batch.held() == 0


# -- on a real server, with real clients

def frames_of(client):
    with client.lock:
        return [frame for name, frame in client.received if name == p.SERVER_DRAG]


def test_five_people_dragging_at_once_reach_each_watcher_in_fewer_frames_with_every_end(server, clients):
    workshop = in_placement(server.url, participants=7)
    people = [clients(person["token"]) for person in workshop["participants"]]
    draggers, watchers = people[:5], people[5:] + [clients(workshop["admin_token"]),
                                                   clients(workshop["projector_token"])]
    cards = ["d01", "d02", "d03", "d04", "d05"]
    xs = [round(0.1 + i / 100, 2) for i in range(60)]
    go = threading.Barrier(len(draggers))

    def drag(client, card):
        go.wait()
        for x in xs:  # as fast as the socket allows: far over 30 a second, all five at once
            client.emit(p.CLIENT_DRAG, {"card_id": card, "zone_id": MAINTENANCE, "x": x, "y": 0.5})
        client.emit(p.CLIENT_DRAG, {"card_id": card, "zone_id": MAINTENANCE, "x": 0.9, "y": 0.4, "active": False})

    threads = [threading.Thread(target=drag, args=(client, card)) for client, card in zip(draggers, cards)]
    [t.start() for t in threads]
    [t.join(10) for t in threads]
    ended = lambda client, card: any(d["card_id"] == card and not d["active"] for d in client.positions(p.SERVER_DRAG))
    for watcher in watchers:
        watcher.wait_for(lambda w=watcher: all(ended(w, card) for card in cards))
        for card, dragger in zip(cards, draggers):
            seen = [d for d in watcher.positions(p.SERVER_DRAG) if d["card_id"] == card]
            assert (seen[-1]["x"], seen[-1]["y"], seen[-1]["active"]) == (0.9, 0.4, False)  # where it ended
            assert seen[-1]["by"] == dragger.me["id"]
            assert [d["x"] for d in seen[:-1]] == sorted(d["x"] for d in seen[:-1])  # never back
        # One frame carried several positions: fewer frames than positions, at least one of them
        # with more than one dragger's position in it.
        frames = frames_of(watcher)
        assert len(frames) < len(watcher.positions(p.SERVER_DRAG)) < 5 * len(xs)
        assert any(len({d["card_id"] for d in frame}) > 1 for frame in frames)
    for dragger, card in zip(draggers, cards):  # each dragger sees the four others end, never itself
        dragger.wait_for(lambda d=dragger, c=card: all(ended(d, other) for other in cards if other != c))
        assert all(d["by"] != dragger.me["id"] for d in dragger.positions(p.SERVER_DRAG))


def test_while_names_are_withheld_a_shared_frame_names_nobody_and_the_facilitator_gets_names(server, clients):
    workshop = in_placement(server.url, participants=3)
    facilitator = clients(workshop["admin_token"])
    assert facilitator.command("set_anonymity", {"on": True})["ok"]
    first, second, watcher = (clients(person["token"]) for person in workshop["participants"])
    for client, card in ((first, "d01"), (second, "d02")):
        for x in (0.2, 0.3, 0.4):
            client.emit(p.CLIENT_DRAG, {"card_id": card, "zone_id": MAINTENANCE, "x": x, "y": 0.5})
        client.emit(p.CLIENT_DRAG, {"card_id": card, "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5, "active": False})
    ended = lambda client, card: any(d["card_id"] == card and not d["active"] for d in client.positions(p.SERVER_DRAG))
    for client in (watcher, facilitator):
        client.wait_for(lambda c=client: ended(c, "d01") and ended(c, "d02"))
    first.wait_for(lambda: ended(first, "d02"))
    second.wait_for(lambda: ended(second, "d01"))
    ids = {first.me["id"], second.me["id"]}
    by = lambda client, card: {d["by"] for d in client.positions(p.SERVER_DRAG) if d["card_id"] == card}
    assert by(facilitator, "d01") == {first.me["id"]} and by(facilitator, "d02") == {second.me["id"]}
    aliases = by(watcher, "d01") | by(watcher, "d02")
    assert len(aliases) == 2 and not aliases & ids and all(a.startswith("anon-") for a in aliases)
    assert by(first, "d02") == by(watcher, "d02") and by(second, "d01") == by(watcher, "d01")
    assert by(first, "d01") == set() and by(second, "d02") == set()  # nobody is sent their own drag


def test_seeing_the_board_as_a_participant_while_names_are_withheld_shows_drags_without_names(server, clients):
    """VIEWAS1 with ANON2: the facilitator's view-as socket gets what the participant gets, an alias."""
    workshop = in_placement(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    assert facilitator.command("set_anonymity", {"on": True})["ok"]
    dragger, watcher = workshop["participants"]
    seeing = ViewAsClient(server.url, workshop["admin_token"], watcher["participant_id"])
    try:
        sender = clients(dragger["token"])
        sender.emit(p.CLIENT_DRAG, {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.5, "active": False})
        for client in (seeing, facilitator):
            client.wait_for(lambda c=client: c.positions(p.SERVER_DRAG))
        assert facilitator.positions(p.SERVER_DRAG)[-1]["by"] == dragger["participant_id"]
        assert seeing.positions(p.SERVER_DRAG)[-1]["by"].startswith("anon-")
    finally:
        seeing.close()
