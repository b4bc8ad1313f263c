"""Acknowledge as soon as durable, then broadcast (issue 13): seen on real sockets, frame by frame.

The sender's answer comes before the broadcast of its change on its own socket, also when its
command shared a group commit with others'; everyone receives the changes strictly in version
order, with no gap, while many people send at once; what was acknowledged survives a kill -9.
No timing is asserted: only the order of the frames and what the board holds.
"""
import json
import threading

from board import protocol as p
from conftest import create_workshop
from rawsocket import RawSocket, ack_of, event_payload
from realtime import BoardClient

MAINTENANCE = "maintenance/techniques"


def events_in(packet):
    """The board events a Socket.IO packet carries: one `event`, a batch of them, or none."""
    named = event_payload(packet)
    if named is None:
        return []
    name, payload = named
    if name == p.SERVER_EVENT:
        return [payload]
    if name == p.SERVER_EVENT_BATCH:
        return list(payload)
    return []


def placement(base_url, people):
    """A board in its Placement sequence with `people` participants; (workshop, version now)."""
    workshop = create_workshop(base_url, participants=people)
    facilitator = BoardClient(base_url, workshop["admin_token"])
    answer = facilitator.command("set_sequence", {"index": 1})
    assert answer["ok"]
    facilitator.close()
    return workshop, answer["version"]


class Member:
    """A participant's raw socket: sends numbered commands and keeps every packet in arrival order."""

    def __init__(self, base_url, token):
        self.sock = RawSocket(base_url)
        assert self.sock.connect({"token": token}).startswith("0")
        welcome = self.sock.next_packet(lambda packet: (event_payload(packet) or ("",))[0] == p.SERVER_WELCOME)
        self.version = event_payload(welcome)[1]["version"]
        self.packets = []
        self.sent = {}  # ack id -> command id

    def move(self, ack_id, command_id, card_id, x):
        self.sent[ack_id] = command_id
        self.sock.send_packet(f"2{ack_id}" + json.dumps([p.CLIENT_COMMAND, {
            "id": command_id, "type": "move_card", "data": {"card_id": card_id, "zone_id": MAINTENANCE,
                                                            "x": x, "y": 0.5}}]))

    def read_until(self, done, limit=400):
        """Read packets (in order) until `done()` holds; at most `limit` packets, each within the timeout."""
        for _ in range(limit):
            if done():
                return
            self.packets.append(self.sock.frames.get(timeout=10))
        assert done(), "the expected packets did not all come"

    def acks(self):
        """{ack id: (position in the stream, answer)}."""
        return {ack[0]: (i, ack[1]) for i, ack in ((i, ack_of(pk)) for i, pk in enumerate(self.packets)) if ack}

    def events(self):
        """[(position in the stream, event)] of every board event received, in arrival order."""
        return [(i, event) for i, packet in enumerate(self.packets) for event in events_in(packet)]

    def last_version(self):
        events = self.events()
        return events[-1][1]["version"] if events else self.version


def test_each_sender_hears_its_answer_before_the_broadcast_of_its_change(server):
    workshop, _ = placement(server.url, 6)
    members = [Member(server.url, person["token"]) for person in workshop["participants"]]
    try:
        # Everyone sends a burst at once, without waiting: the moves share group commits.
        for m, member in enumerate(members):
            for n in range(8):
                member.move(n + 1, f"first-{m}-{n}", f"d{m + 1:02d}", round(0.1 + n / 10, 2))
        for member in members:
            member.read_until(lambda member=member: len(member.acks()) == 8)
        final = max(answer["version"] for member in members for _, answer in member.acks().values())
        for member in members:
            member.read_until(lambda member=member: member.last_version() >= final)
            acks = member.acks()
            assert all(answer["ok"] for _, answer in acks.values())
            assert sum(1 for packet in member.packets if ack_of(packet)) == 8  # each answered once, never twice
            arrived = {event["command_id"]: i for i, event in member.events()}
            for ack_id, command_id in member.sent.items():
                position, answer = acks[ack_id]
                assert command_id in arrived, f"{command_id} never came back to its sender"
                # The answer is in the stream before the frame that carries the change itself.
                assert position < arrived[command_id], (command_id, position, arrived[command_id])
    finally:
        for member in members:
            member.sock.close()


def test_ten_people_sending_bursts_at_once_are_seen_by_everyone_in_version_order(server):
    workshop, version = placement(server.url, 13)
    members = [Member(server.url, person["token"]) for person in workshop["participants"]]
    senders, watchers = members[:10], members[10:]
    try:
        go = threading.Barrier(len(senders))

        def burst(m, member):
            go.wait()
            for n in range(15):
                member.move(n + 1, f"burst-{m}-{n}", f"d{m + 1:02d}", round(0.05 + n / 20, 2))
        threads = [threading.Thread(target=burst, args=(m, member)) for m, member in enumerate(senders)]
        [t.start() for t in threads]
        [t.join(10) for t in threads]
        for member in senders:
            member.read_until(lambda member=member: len(member.acks()) == 15)
        answers = [answer for member in senders for _, answer in member.acks().values()]
        assert all(answer["ok"] for answer in answers)
        final = max(answer["version"] for answer in answers)
        assert final == version + 150  # every move of the bursts was accepted, once
        for member in members:  # the watchers, and each sender as a recipient of the others' moves
            member.read_until(lambda member=member: member.last_version() >= final, limit=1000)
            versions = [event["version"] for _, event in member.events()]
            # Strictly increasing, one after the other: no gap, no repeat, never out of order.
            assert versions == list(range(member.version + 1, final + 1))
            moved = [event for _, event in member.events() if event["type"] == "card_moved"]
            assert len(moved) == 150
        for member in watchers:  # moves that shared a commit came as one frame, in version order inside it
            batches = [events_in(packet) for packet in member.packets
                       if (event_payload(packet) or ("",))[0] == p.SERVER_EVENT_BATCH]
            assert batches and all(len(batch) > 1 for batch in batches)
    finally:
        for member in members:
            member.sock.close()


def test_acknowledged_moves_survive_a_kill_and_a_restart(fresh_server):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop, _ = placement(server.url, 5)
    members = [Member(server.url, person["token"]) for person in workshop["participants"]]
    for m, member in enumerate(members):
        for n in range(10):
            member.move(n + 1, f"kept-{m}-{n}", f"d{m + 1:02d}", round(0.1 + n / 20, 2))
    for member in members:
        member.read_until(lambda member=member: len(member.acks()) == 10)
    server.stop(kill=True)  # SIGKILL the moment the last answer is in: no clean shutdown
    for member in members:
        member.sock.close()
    restarted = fresh_server(port=server.port, extra_args=["--no-demo", "--join-rate", "100"])
    facilitator = BoardClient(restarted.url, workshop["admin_token"])
    try:
        board = facilitator.replica
        final = max(answer["version"] for member in members for _, answer in member.acks().values())
        assert board.version >= final
        for m in range(len(members)):  # each card where its sender's last acknowledged move put it
            card = board.cards[f"d{m + 1:02d}"]
            assert (card.zone, card.x) == (MAINTENANCE, round(0.1 + 9 / 20, 2))
    finally:
        facilitator.close()


def test_a_rooms_broadcast_waits_for_every_answer_of_its_commit_and_keeps_version_order(tmp_path):
    """The room alone, with threads and a slow disk (so commands share commits): no event is
    broadcast before its sender holds the answer, each exactly once, in version order."""
    from board.domain.commands import MoveCard, SetSequence
    from board.store import Store
    from board.workshops import Workshops

    answered, published, frames, early = set(), [], [], []
    pending = threading.local()  # each sender's "your answer has gone out" call, run after it holds it

    def slow_disk(write):
        threading.Event().wait(0.01)  # a slow fsync, so that others queue meanwhile
        return write()

    def publish(_board_id, events):
        frames.append(len(events))
        for event in events:
            if event.version not in answered:
                early.append(event.version)
            published.append(event.version)

    def after_answer(fn):  # the joins below are answered at once; `submit` holds its call back
        if getattr(pending, "hold", False):
            pending.fn = fn
        else:
            fn()

    workshops = Workshops(Store(tmp_path / "board.db", run_blocking=slow_disk), publish=publish,
                          after_answer=after_answer)
    info = workshops.create("atelier-competences")
    people = [workshops.join(info["join_code"], f"P{n}")["participant_id"] for n in range(12)]
    room = workshops.room(info["board_id"])

    def submit(actor, command):
        pending.hold = True
        answer = room.submit(actor, command)
        answered.add(answer.get("version"))
        pending.fn()  # the answer is out: only now may its broadcast go
        return answer

    first = submit(info["facilitator_id"], SetSequence(index=1))["version"]
    go = threading.Barrier(len(people))

    def sender(n, actor):
        go.wait()
        for m in range(6):
            assert submit(actor, MoveCard(card_id=f"d{n + 1:02d}", zone_id=MAINTENANCE, x=m / 10, y=0.5))["ok"]
    threads = [threading.Thread(target=sender, args=(n, actor)) for n, actor in enumerate(people)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert [version for version in early if version >= first] == []  # the joins were answered at once
    assert published[published.index(first):] == list(range(first, first + 1 + 12 * 6))
    assert max(frames) > 1  # commands shared commits, and each commit was broadcast as one call


def test_commands_that_come_during_a_commit_are_answered_once_and_go_out_in_its_broadcast(tmp_path):
    """People dropping together whose frames are read a moment apart: the commands that arrive while
    the first is being written are answered (each sender once, before any broadcast of its change)
    and go out in the same broadcast, in version order, rather than in a second one after it."""
    from board.domain.commands import MoveCard, SetSequence
    from board.store import Store
    from board.workshops import Workshops

    told = []  # ("answer", actor, version) and ("broadcast", versions), in the order they happened
    watching, writing = threading.Event(), threading.Event()
    rooms = {}

    def slow_disk(write):
        if watching.is_set() and not writing.is_set():  # the first move's commit: the others come meanwhile
            writing.set()
            for _ in range(500):  # (at most 5 s) until all five wait for the room
                if len(rooms["room"]._queue) == 5:
                    break
                threading.Event().wait(0.01)
        return write()

    workshops = Workshops(Store(tmp_path / "board.db", run_blocking=slow_disk),
                          publish=lambda _board_id, events: told.append(("broadcast", [e.version for e in events])))
    info = workshops.create("atelier-competences")
    people = [workshops.join(info["join_code"], f"P{n}")["participant_id"] for n in range(6)]
    room = rooms["room"] = workshops.room(info["board_id"])
    start = room.submit(info["facilitator_id"], SetSequence(index=1))["version"]
    told.clear()

    def drop(n):
        answer = room.submit(people[n], MoveCard(card_id=f"d{n + 1:02d}", zone_id=MAINTENANCE, x=0.5, y=0.5),
                             reply=lambda answer: told.append(("answer", people[n], answer["version"])))
        assert answer["ok"]
    watching.set()
    first = threading.Thread(target=drop, args=(0,))
    first.start()
    assert writing.wait(5)  # its commit is under way
    late = [threading.Thread(target=drop, args=(n,)) for n in range(1, 6)]
    [t.start() for t in late]
    [t.join(10) for t in [first, *late]]
    answers = [entry for entry in told if entry[0] == "answer"]
    assert sorted(actor for _, actor, _ in answers) == sorted(people)  # each sender answered once
    assert told[-1] == ("broadcast", list(range(start + 1, start + 7)))  # one broadcast, in version order
    assert [entry[0] for entry in told] == ["answer"] * 6 + ["broadcast"]
