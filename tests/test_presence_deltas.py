"""Presence as changes (docs/spec.md PRES1-PRES3), through the real server and real sockets.

The welcome brings the whole online list; afterwards a socket is told only who came online and who
went offline, gathered per presence tick, so what a room filling up sends each socket grows with the
number of joins, not with the number of joins times the size of the room (issue 13: 200 joins used to
cost 20,045 whole lists). What a watcher ends up believing is checked against the server's own list.
"""
import json
import subprocess
from pathlib import Path

from board import protocol as p
from board.presence import Roster
from conftest import create_workshop, join
from presence_sockets import close_all, open_present
from realtime import BoardClient, apply_presence


def ok(ack):
    assert ack["ok"], ack
    return ack


def presence_since(client, mark):
    """The `presence` payloads `client` received after its `mark`-th message."""
    with client.lock:
        return [payload for name, payload in client.received[mark:] if name == p.SERVER_PRESENCE]


def ids(members):
    return {member["id"] for member in members}


def mentioned(payloads):
    """Every member id a list of presence changes names, arrived or left."""
    return {m["id"] for change in payloads for m in change.get("arrived", [])} | \
        {pid for change in payloads for pid in change.get("left", [])}


def joined(server, workshop, count, prefix):
    """`count` new participants of the workshop (joined over HTTP, no socket open yet)."""
    return [join(server.url, workshop["join_code"], f"{prefix} {n + 1}") for n in range(count)]


def truth(server, workshop):
    """Who the server says is online: the `online` of a fresh welcome (a facilitator's extra tab,
    which changes nothing since the facilitator is online already)."""
    tab = BoardClient(server.url, workshop["admin_token"])
    try:
        return ids(tab.online)
    finally:
        tab.close()


def test_each_join_sends_the_room_a_change_whose_size_does_not_grow_with_the_room(server):
    """PRES2: ten people joining an empty room and ten joining a room of fifty cost a watcher about
    the same bytes, each arrival listed once, no whole list; ten joins cost it less than one whole
    list of the room would (before, each join sent everyone the whole list)."""
    workshop = create_workshop(server.url)
    watcher = BoardClient(server.url, workshop["admin_token"])
    first, crowd, last = (joined(server, workshop, n, prefix) for n, prefix in
                          ((10, "Première"), (40, "Foule"), (10, "Dernière")))
    sockets = []
    try:
        def join_and_measure(people):
            mark = len(watcher.received)
            sockets.extend(open_present(server.url, [person["token"] for person in people]))
            wanted = {person["participant_id"] for person in people}
            watcher.wait_for(lambda: wanted <= ids(watcher.online), 30)
            changes = presence_since(watcher, mark)
            return changes, sum(len(json.dumps([p.SERVER_PRESENCE, change])) for change in changes)

        early, early_bytes = join_and_measure(first)
        join_and_measure(crowd)
        late, late_bytes = join_and_measure(last)

        for changes, people in ((early, first), (late, last)):
            assert all("online" not in change for change in changes), "a whole list was sent for a join"
            arrivals = [m["id"] for change in changes for m in change["arrived"]]
            assert sorted(arrivals) == sorted(person["participant_id"] for person in people)  # each once
            assert 1 <= len(changes) <= len(people)  # one frame per tick at most, never more than joins
        assert len(watcher.online) == 61  # the facilitator and sixty participants
        # The same ten joins, in a room five times fuller: about the same cost (names differ a little).
        assert late_bytes <= 1.5 * early_bytes, (early_bytes, late_bytes)
        whole_list = len(json.dumps([p.SERVER_PRESENCE, {"online": watcher.online}]))
        assert late_bytes < whole_list, (late_bytes, whole_list)
    finally:
        close_all(sockets)
        watcher.close()


def test_a_watcher_knows_who_is_online_through_second_tabs_leaves_and_reconnects(server):
    """PRES1, PRES2: a second tab and closing one of two tabs send nothing; closing the last one
    sends `left`; someone who reconnects, or leaves and comes straight back, is online; at the end
    the watcher's list is the server's."""
    workshop = create_workshop(server.url, participants=5)
    a, b, c, d, e = workshop["participants"]
    watcher = BoardClient(server.url, workshop["admin_token"])
    opened = []

    def open_client(person):
        client = BoardClient(server.url, person["token"])
        opened.append(client)
        return client

    try:
        tab_a, tab_b, tab_c = open_client(a), open_client(b), open_client(c)
        watcher.wait_for(lambda: {a["participant_id"], b["participant_id"], c["participant_id"]} <= ids(watcher.online))

        # A second tab of A sends nothing: D's arrival, opened after it, comes and A is never named.
        mark = len(watcher.received)
        second_a = open_client(a)
        open_client(d)
        watcher.wait_for(lambda: d["participant_id"] in ids(watcher.online))
        assert a["participant_id"] not in mentioned(presence_since(watcher, mark))

        # Closing one of A's two tabs sends nothing either: A is still there.
        mark = len(watcher.received)
        second_a.close()
        open_client(e)
        watcher.wait_for(lambda: e["participant_id"] in ids(watcher.online))
        assert a["participant_id"] not in mentioned(presence_since(watcher, mark))
        assert a["participant_id"] in ids(watcher.online)

        # Closing the last one: A went offline, told as a change naming A alone.
        mark = len(watcher.received)
        tab_a.close()
        watcher.wait_for(lambda: a["participant_id"] not in ids(watcher.online))
        assert presence_since(watcher, mark)[-1] == {"arrived": [], "left": [a["participant_id"]]}

        # B comes back with the version it holds, C leaves and comes straight back: both online.
        tab_b.close()
        tab_b.connect(resume=True)
        tab_c.close()
        tab_c.connect()
        expected = {watcher.me["id"], b["participant_id"], c["participant_id"], d["participant_id"],
                    e["participant_id"]}
        watcher.wait_for(lambda: ids(watcher.online) == expected)
        assert truth(server, workshop) == expected
        assert ids(tab_b.online) == expected  # the one who reconnected knows the room too
    finally:
        for client in opened:
            client.close()
        watcher.close()


def test_while_anonymous_a_change_names_nobody_but_the_reader_and_the_facilitator_reads_every_name(server):
    """PRES2 with ANON2, ANON3, PRES3: a participant, the projector and a view-as socket learn that
    someone came, not their name; the facilitator reads it; the one who arrived reads their own; when
    anonymity turns off the whole list comes again, with the names."""
    workshop = create_workshop(server.url, participants=2)
    first, newcomer = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    ok(facilitator.command("set_anonymity", {"on": True}))
    readers = [BoardClient(server.url, first["token"]), BoardClient(server.url, workshop["projector_token"]),
               ViewAs(server.url, workshop["admin_token"], first["participant_id"])]
    arriving = None
    try:
        marks = [len(reader.received) for reader in readers]
        arriving = BoardClient(server.url, newcomer["token"])
        for reader in [facilitator, *readers]:
            reader.wait_for(lambda reader=reader: newcomer["participant_id"] in ids(reader.online))
        for reader, mark in zip(readers, marks):
            entry = next(m for m in reader.online if m["id"] == newcomer["participant_id"])
            assert entry["name"] == "" and entry["role"] == "participant"
            assert "Personne 2" not in json.dumps(presence_since(reader, mark), ensure_ascii=False)
        named = {m["id"]: m["name"] for m in facilitator.online}
        assert named[newcomer["participant_id"]] == "Personne 2"
        assert {m["id"]: m["name"] for m in arriving.online}[newcomer["participant_id"]] == "Personne 2"

        # Names back: every socket gets the whole list again, names in it.
        mark = len(readers[0].received)
        ok(facilitator.command("set_anonymity", {"on": False}))
        readers[0].wait_for(lambda: any("online" in change for change in presence_since(readers[0], mark)))
        assert {m["id"]: m["name"] for m in readers[0].online}[newcomer["participant_id"]] == "Personne 2"
    finally:
        for client in [facilitator, *readers, *([arriving] if arriving else [])]:
            client.close()


class ViewAs(BoardClient):
    """A BoardClient that sees the board as one participant (`auth.view_as`, VIEWAS1)."""

    def __init__(self, url, token, view_as):
        super().__init__(url, token, connect=False)
        plain_connect = self.sio.connect
        self.sio.connect = lambda url, auth, **kwargs: plain_connect(url, auth={**auth, "view_as": view_as}, **kwargs)
        self.connect()


def test_a_removed_participant_goes_offline_for_the_others(server):
    """PRES2: the facilitator removes someone whose board is open: their sockets close and the room
    is told they left; they are no longer in a new welcome's list."""
    workshop = create_workshop(server.url, participants=2)
    stays, removed = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    watcher = BoardClient(server.url, stays["token"])
    gone = BoardClient(server.url, removed["token"])
    try:
        watcher.wait_for(lambda: removed["participant_id"] in ids(watcher.online))
        mark = len(watcher.received)
        ok(facilitator.command("remove_participant", {"participant_id": removed["participant_id"]}))
        watcher.wait_for(lambda: removed["participant_id"] not in ids(watcher.online))
        assert removed["participant_id"] in {pid for change in presence_since(watcher, mark) for pid in change["left"]}
        assert truth(server, workshop) == {facilitator.me["id"], stays["participant_id"]}
    finally:
        for client in (facilitator, watcher, gone):
            client.close()


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_roster_counts_a_member_once_and_gathers_changes_over_a_tick():
    """PRES2, the bookkeeping alone: first and last sockets change who is online, others do not; the
    first change after a quiet tick is due at once, the next ones at the end of the tick, together."""
    clock = Clock()
    roster = Roster(tick=0.15, clock=clock)
    roster.arrive("b1", "anna")
    assert roster.due("b1") == 0.0 and roster.due("b1") is None  # on its way already
    assert roster.take("b1") == (["anna"], [])
    roster.arrive("b1", "anna")  # a second tab
    assert roster.due("b1") is None and roster.take("b1") == ([], [])
    clock.now += 0.05
    roster.arrive("b1", "bruno")
    roster.arrive("b1", "chloe")
    roster.leave("b1", "anna")  # one of two tabs
    assert abs(roster.due("b1") - 0.10) < 1e-9  # the rest of the tick
    assert roster.take("b1") == (["bruno", "chloe"], [])
    roster.leave("b1", "anna")
    roster.leave("b1", "chloe")
    roster.arrive("b1", "chloe")  # gone and back within the tick: told as she is now
    assert roster.take("b1") == (["chloe"], ["anna"])
    assert roster.online("b1") == {"bruno", "chloe"} and roster.online("b2") == set()
    roster.leave("b2", "nobody")  # never arrived: changes nothing
    assert roster.due("b2") is None


def test_the_page_applies_a_change_as_the_test_client_does():
    """static/js/presence.js (run by node) and realtime.apply_presence agree: a whole list replaces
    the page's; a change drops who left, puts who arrived (a member already listed is replaced, not
    doubled) and keeps the list in id order, as the server's whole list is."""
    anna, bruno, chloe = ({"id": pid, "name": name, "role": "participant", "team": None}
                          for pid, name in (("p1", "Anna"), ("p2", "Bruno"), ("p3", "Chloé")))
    steps = [{"online": [anna, chloe]},
             {"arrived": [bruno], "left": []},
             {"arrived": [{**anna, "name": ""}], "left": ["p3"]},
             {"arrived": [], "left": ["p9"]},
             {"online": [chloe]}]
    script = ("import('./static/js/presence.js').then(({ applyPresence }) => {"
              f"let online = []; const seen = []; for (const step of {json.dumps(steps)}) {{"
              "online = applyPresence(online, step); seen.push(online); }"
              "console.log(JSON.stringify(seen)); })")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=root, capture_output=True, text=True,
                         check=True, timeout=30)
    in_page = json.loads(out.stdout)
    online, in_client = [], []
    for step in steps:
        online = apply_presence(online, step)
        in_client.append(online)
    assert in_page == in_client
    assert [[m["id"] for m in seen] for seen in in_page] == [["p1", "p3"], ["p1", "p2", "p3"], ["p1", "p2"],
                                                            ["p1", "p2"], ["p3"]]
    assert in_page[2][0]["name"] == ""  # the latest as the reader may read it
