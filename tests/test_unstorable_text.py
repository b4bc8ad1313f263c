"""One participant's text cannot fail other people's moves.

Text that cannot be stored (a lone surrogate such as "\\ud800", which JSON carries) is refused as
`bad_request` at the boundary, in every text field; and a command whose write fails takes nobody
else's command down with it, even when they shared its commit.
"""
import sqlite3
from contextlib import closing
import threading

import pytest
import requests

from board.domain import InvalidCommand, parse_command
from board.domain.commands import MoveCard, SetSequence
from board.store import Store, StoreError
from board.workshops import Workshops
from conftest import create_workshop
from domain_helpers import create_board_command, packaged_document
from realtime import BoardClient

LONE = "\ud800"  # half of a surrogate pair: valid in JSON, not in UTF-8
MAINTENANCE = "maintenance/techniques"

# Every text field a command carries: (command type, payload, the field holding the bad text).
TEXT_FIELDS = [
    ("join", {"participant_id": "p9", "name": f"Zo{LONE}é", "role": "participant"}, "name"),
    ("create_team", {"name": f"Équipe {LONE}", "colour": "#1a2b3c"}, "name"),
    ("set_team", {"team_id": "t1", "name": f"Les {LONE}bleus"}, "name"),
    ("create_card", {"kind": "new", "text": f"Souder {LONE}", "zone_id": MAINTENANCE, "x": 0.5, "y": 0.5}, "text"),
    ("create_card", {"kind": "postit", "text": "Souder", "description": f"à l'arc {LONE}", "zone_id": MAINTENANCE,
                     "x": 0.5, "y": 0.5}, "description"),
    ("edit_card", {"card_id": "c1", "text": f"{LONE}x"}, "text"),
    ("edit_card", {"card_id": "c1", "description": f"x{LONE}"}, "description"),
]


@pytest.mark.parametrize("kind, payload, field", TEXT_FIELDS, ids=[f"{k}.{f}" for k, _, f in TEXT_FIELDS])
def test_text_with_a_lone_surrogate_is_refused_as_bad_request_in_every_text_field(kind, payload, field):
    with pytest.raises(InvalidCommand) as refused:
        parse_command(kind, payload)
    assert refused.value.rejection.code == "bad_request"
    assert f"'{field}'" in refused.value.rejection.message
    # The same text without the lone half is accepted: only the unstorable character is refused.
    assert parse_command(kind, {**payload, field: payload[field].replace(LONE, "")})


def test_a_facilitator_name_with_a_lone_surrogate_is_refused_too():
    with pytest.raises(InvalidCommand) as refused:
        parse_command("create_board", {"board_id": "b2", "format": packaged_document(), "facilitator_id": "f2",
                                       "facilitator_name": f"Alex{LONE}", "projector_id": "s2"})
    assert refused.value.rejection.code == "bad_request"
    assert create_board_command().facilitator_name == "Camille"


def test_accents_emoji_and_paired_surrogates_still_go_through():
    # "\ud83d\ude00" is how JSON writes 😀; decoded, it is one character and stores fine.
    command = parse_command("create_card", {"kind": "new", "text": "Écouter 😀 ça", "zone_id": MAINTENANCE,
                                            "x": 0.1, "y": 0.1})
    assert command.text == "Écouter 😀 ça"


def test_joining_with_a_lone_surrogate_in_the_name_answers_bad_request_and_admits_nobody(server):
    workshop = create_workshop(server.url)
    # requests writes the name as the JSON escape "\ud800", the way a browser's fetch would.
    answer = requests.post(server.url + "/join", json={"code": workshop["join_code"], "name": f"Zoé{LONE}"},
                           timeout=5)
    assert answer.status_code == 400 and answer.json()["code"] == "bad_request"
    # A join code holding one is simply unknown, not a server error.
    answer = requests.post(server.url + "/join", json={"code": f"AB{LONE}", "name": "Zoé"}, timeout=5)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        assert [p["name"] for p in facilitator.state()["participants"] if p["role"] == "participant"] == []
    finally:
        facilitator.close()


def test_one_client_sending_unstorable_texts_fails_none_of_six_others_moves(server, tmp_path):
    """Six people move cards while a seventh writes texts with lone surrogates, all at once, so
    their commands share commits: every move is acknowledged and durable, every bad text refused."""
    workshop = create_workshop(server.url, participants=7)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]  # Compléter: moves and new cards
    offender, *movers = [BoardClient(server.url, p["token"]) for p in workshop["participants"]]
    own_card = offender.command("create_card", {"kind": "postit", "text": "Mon texte", "zone_id": "parking",
                                                "x": 0.5, "y": 0.5})
    assert own_card["ok"]
    facilitator.wait_version(own_card["version"])
    card_id = next(c["id"] for c in facilitator.state()["cards"] if c["text"] == "Mon texte")
    moves_each, acks, refusals = 25, {}, []

    def move(i, client):
        for n in range(moves_each):
            command_id = f"m{i}-{n}"
            acks[command_id] = client.command("move_card", {
                "card_id": f"d{(i * moves_each + n) % 62 + 1:02d}", "zone_id": MAINTENANCE,
                "x": round((n + 1) / (moves_each + 1), 3), "y": round((i + 1) / 7, 3)},
                command_id=command_id, timeout=20)

    def write_bad_texts():
        for n in range(moves_each):
            bad = [("create_card", {"kind": "postit", "text": f"Texte {n} {LONE}", "zone_id": "parking",
                                    "x": 0.2, "y": 0.2}),
                   ("edit_card", {"card_id": card_id, "description": f"{LONE} {n}"}),
                   ("create_card", {"kind": "new", "text": "ok", "description": LONE, "zone_id": "parking",
                                    "x": 0.3, "y": 0.3})][n % 3]
            refusals.append(offender.command(*bad, timeout=20))

    threads = [threading.Thread(target=move, args=(i, c)) for i, c in enumerate(movers)]
    threads.append(threading.Thread(target=write_bad_texts))
    try:
        [t.start() for t in threads]
        [t.join(60) for t in threads]
        assert not any(t.is_alive() for t in threads)
        assert len(acks) == 6 * moves_each and all(a["ok"] for a in acks.values()), \
            [a for a in acks.values() if not a["ok"]][:3]
        assert len(refusals) == moves_each and {r["code"] for r in refusals} == {"bad_request"}
        # Durable: the file itself holds each acknowledged move at its acknowledged version.
        with closing(sqlite3.connect(server.db_path)) as db:
            stored = dict(db.execute("SELECT command_id, version FROM events WHERE board_id = ? AND type = ?",
                                     [workshop["board_id"], "card_moved"]).fetchall())
        assert {cid: a["version"] for cid, a in acks.items()} == {cid: stored[cid] for cid in acks}
        # And nobody's board shows a bad text.
        assert all("\ud800" not in c["text"] + (c.get("description") or "") for c in facilitator.state()["cards"])
    finally:
        for client in (facilitator, offender, *movers):
            client.close()


class OneEventFails(Store):
    """A real store whose disk refuses any commit holding one particular event (a bad sector, say):
    the fault belongs to one command, as a lone surrogate's did. Its disk can be held, so that
    commands queue up behind a commit and share the next one."""

    def __init__(self, path, fails):
        self.fails, self.commits = fails, []
        self.free, self.reached = threading.Event(), threading.Event()
        self.free.set()
        super().__init__(path, run_blocking=self._disk)

    def _disk(self, write):
        self.reached.set()
        self.free.wait(20)
        return write()

    def append(self, board_id, events, credentials=(), rewrites=()):
        self.commits.append([(e.type, e.data.get("card_id")) for e in events])
        if any(self.fails(e) for e in events):
            raise StoreError("disk I/O error", "the server could not write to its disk")
        return super().append(board_id, events, credentials, rewrites)


def queued_together(room, store, first, rest):
    """Send `first` and hold its commit at the disk; queue every one of `rest` behind it, in order;
    then free the disk, so that `rest` share the next commit. Each item is a function to run."""
    store.free.clear()
    store.reached.clear()
    threads = [threading.Thread(target=first)]
    threads[0].start()
    assert store.reached.wait(10)
    for send in rest:
        queued = len(room._queue)
        threads.append(threading.Thread(target=send))
        threads[-1].start()
        for _ in range(1000):  # bounded: until this one is queued (it is, within microseconds)
            if len(room._queue) > queued:
                break
            threading.Event().wait(0.005)
    store.free.set()
    for thread in threads:
        thread.join(20)


def placement_board(store):
    """A board in Placement with one participant: (workshops, room, facilitator id, participant id)."""
    workshops = Workshops(store)
    info = workshops.create("atelier-competences")
    alice = workshops.join(info["join_code"], "Alice")["participant_id"]
    room = workshops.room(info["board_id"])
    assert room.submit(info["facilitator_id"], SetSequence(index=1))["ok"]
    return workshops, room, info["facilitator_id"], alice


def move(card, x=0.5):
    return MoveCard(card_id=card, zone_id=MAINTENANCE, x=x, y=0.5)


def test_a_command_whose_write_fails_takes_none_of_its_batch_mates_down(tmp_path, caplog):
    path = tmp_path / "board.db"
    store = OneEventFails(path, fails=lambda event: event.data.get("card_id") == "d07")
    _, room, _, alice = placement_board(store)
    store.commits.clear()
    answers = {}

    def sender(n):
        return lambda: answers.__setitem__(n, room.submit(alice, move(f"d{n:02d}", n / 20), f"k{n}"))
    queued_together(room, store, sender(1), [sender(n) for n in range(2, 16)])
    # The failing move shared one commit with the 13 others queued with it: the case being tested.
    assert [len(batch) for batch in store.commits[:2]] == [1, 14] and ("card_moved", "d07") in store.commits[1]
    assert answers[7]["ok"] is False and answers[7]["code"] == "unavailable"
    assert "could not write to its disk" in answers[7]["message"]
    others = {n: a for n, a in answers.items() if n != 7}
    assert all(a["ok"] for a in others.values()), others
    assert [others[n]["version"] for n in sorted(others)] == list(range(4, 18))  # in order, no hole
    # What readers see is exactly what the file holds, and the failed move is nowhere.
    reloaded = Workshops(Store(path)).room(room.board_id)
    assert reloaded.snapshot() == room.snapshot()
    assert next(c for c in room.snapshot()["cards"] if c["id"] == "d07")["zone"] == "deck"
    # One line for the one refused command, and no traceback for a known store failure.
    refused = [r for r in caplog.records if "not stored" in r.getMessage()]
    assert len(refused) == 1 and refused[0].exc_info is None
    assert room.submit(alice, move("d20"))["version"] == 18


def test_a_refusal_that_depended_on_an_unstored_change_is_not_kept(tmp_path):
    """In one batch the facilitator goes back to Découverte (that write fails) and Alice's move is
    refused for it; stored one at a time, the move is judged on the durable board, in Placement."""
    store = OneEventFails(tmp_path / "board.db",
                          fails=lambda event: event.type == "sequence_changed" and event.data["index"] == 0)
    _, room, facilitator, alice = placement_board(store)
    answers = {}

    def sender(name, actor, command, command_id):
        return lambda: answers.__setitem__(name, room.submit(actor, command, command_id))
    queued_together(room, store, sender("opener", alice, move("d01"), "o1"),
                    [sender("back", facilitator, SetSequence(index=0), "s0"),
                     sender("move", alice, move("d02"), "m2")])
    # The batch's one event failed to store; then each command on its own: the sequence change again
    # (failing again), then the move, which the batch had refused and which is now accepted.
    assert store.commits[-3:] == [[("sequence_changed", None)], [("sequence_changed", None)],
                                  [("card_moved", "d02")]], store.commits
    assert answers["back"]["code"] == "unavailable"
    assert answers["opener"]["ok"] and answers["move"]["ok"], answers
    assert room.board.sequence == 1
    assert room.submit(alice, move("d02", 0.9), "m2") == answers["move"]  # resent: the same answer
