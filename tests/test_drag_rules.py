"""The drag channel keeps the rules of moves: a drag is shown to the others only when the move it
announces could be accepted (the domain's one rule, `move_refusal`, which `move_card` applies too).
"""
import itertools

from board import protocol as p
from board.domain import FACILITATOR, PARTICIPANT, Rejection, move_refusal
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, minimal_document

MAINTENANCE = "maintenance/techniques"


# -- the rule, in the domain: the drag gate and move_card never disagree

def test_the_drag_gate_says_what_move_card_would_say_for_every_member_card_and_sequence():
    ws = Workshop(minimal_document())
    for pid in ("ann", "bob", "cyd"):
        ws.join(pid)
    red, blue = ws.team("Rouges"), ws.team("Bleus")
    ws.put_in_team("ann", red)
    ws.put_in_team("bob", blue)  # cyd has no team
    ws.go_to("s2")
    ws.accept("ann", "move_card", card_id="k1", zone_id="r1/c1", x=0.2, y=0.2)  # k1 is the Rouges' now
    ws.accept("bob", "create_card", kind="postit", text="Bleu", zone_id="free", x=0.5, y=0.5)
    cards = [*ws.board.cards, "ghost"]
    checked = 0
    for sequence, actor, card_id in itertools.product(("s1", "s2"), ("ann", "bob", "cyd", FACILITATOR_ID,
                                                                      PROJECTOR_ID, "stranger"), cards):
        if ws.board.current_sequence.id != sequence:
            ws.go_to(sequence)
        gate = move_refusal(ws.board, actor, card_id)
        outcome = ws.send(actor, "move_card", card_id=card_id, zone_id="free", x=0.5, y=0.5)
        if isinstance(outcome, Rejection):
            # The move was refused: the drag is refused for the same reason, unless only the
            # destination was wrong (the drag has none yet) - never the case towards `free`.
            assert gate is not None and gate.code == outcome.code, (sequence, actor, card_id, gate, outcome)
        else:
            assert gate is None, (sequence, actor, card_id, gate)
        checked += 1
    assert checked == 2 * 6 * len(cards)


def test_the_drag_gate_refuses_another_team_s_card_and_a_closed_sequence_but_not_the_facilitator():
    ws = Workshop(minimal_document())
    ws.join("ann")
    ws.join("bob")
    red, blue = ws.team("Rouges"), ws.team("Bleus")
    ws.put_in_team("ann", red)
    ws.put_in_team("bob", blue)
    ws.go_to("s2")
    ws.accept("ann", "move_card", card_id="k1", zone_id="r1/c1", x=0.2, y=0.2)
    assert move_refusal(ws.board, "ann", "k1") is None
    assert move_refusal(ws.board, "bob", "k1").code == "forbidden"
    assert move_refusal(ws.board, FACILITATOR_ID, "k1") is None
    assert move_refusal(ws.board, "bob", "k2") is None  # still in the deck: anyone's to take
    ws.go_to("s1")
    assert move_refusal(ws.board, "ann", "k1").code == "sequence_closed"
    assert move_refusal(ws.board, FACILITATOR_ID, "k1") is None
    assert ws.board.participants[FACILITATOR_ID].role == FACILITATOR
    assert ws.board.participants["ann"].role == PARTICIPANT


# -- on a real server, with real clients

def drags_seen_after(watcher, sender, drags):
    """The `dragging` messages `watcher` receives for `drags` sent by `sender`, followed by a cursor
    move: relays from one sender leave in the order sent, so once the pointer arrived any drag
    relayed before it has arrived too."""
    before = len(watcher.positions(p.SERVER_DRAG))
    pointers = len(watcher.messages(p.SERVER_CURSOR))
    for drag in drags:
        sender.emit(p.CLIENT_DRAG, drag)
    sender.emit(p.CLIENT_CURSOR, {"x": 0.5, "y": 0.5})
    watcher.wait_for(lambda: len(watcher.messages(p.SERVER_CURSOR)) > pointers)
    return watcher.positions(p.SERVER_DRAG)[before:]


def test_a_drag_in_a_sequence_that_forbids_moving_reaches_nobody(workshop, clients):
    facilitator = clients(workshop["admin_token"])  # the board starts in Découverte: nothing moves
    dragger, watcher = (clients(person["token"]) for person in workshop["participants"][:2])
    drag = {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.3, "active": True}
    assert drags_seen_after(watcher, dragger, [drag]) == []
    assert dragger.messages(p.SERVER_ERROR) == []  # refused quietly: the drop's move_card says why
    answer = dragger.call(p.CLIENT_DRAG, drag)  # a sender who asks is told
    assert answer["code"] == "sequence_closed"
    watcher.wait_version(facilitator.command("set_sequence", {"index": 1})["version"])
    seen = drags_seen_after(watcher, dragger, [{**drag, "x": 0.4}])
    assert [(d["card_id"], d["x"], d["by"]) for d in seen] == [("d01", 0.4, dragger.me["id"])]


def test_a_drag_of_another_team_s_card_reaches_nobody_and_one_s_own_still_does(workshop, clients):
    facilitator = clients(workshop["admin_token"])
    red, blue = (facilitator.command("create_team", {"name": name, "colour": colour})
                 for name, colour in (("Rouges", "#aa0000"), ("Bleus", "#0000aa")))
    people = workshop["participants"]
    for person, team in zip(people, (red, blue, blue)):
        assert facilitator.command("join_team", {"team_id": f"t{team['version']}",
                                                 "participant_id": person["participant_id"]})["ok"]
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    rouge, bleu, watcher = (clients(person["token"]) for person in people)
    assert rouge.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.2, "y": 0.2})["ok"]
    watcher.wait_version(rouge.replica.version)
    theirs = {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.6, "y": 0.6, "active": True}
    assert drags_seen_after(watcher, bleu, [theirs, {**theirs, "active": False}]) == []
    assert bleu.call(p.CLIENT_DRAG, theirs)["code"] == "forbidden"
    move = {k: theirs[k] for k in ("card_id", "zone_id", "x", "y")}
    assert bleu.command("move_card", move)["code"] == "forbidden"  # the same rule as the drop
    deck_card = {"card_id": "d02", "x": 0.1, "y": 0.9, "active": True}  # still in the deck: anyone's
    assert [d["card_id"] for d in drags_seen_after(watcher, bleu, [deck_card])] == ["d02"]
    assert [d["card_id"] for d in drags_seen_after(watcher, rouge, [theirs])] == ["d01"]  # its own team's
    assert [d["card_id"] for d in drags_seen_after(watcher, facilitator, [theirs])] == ["d01"]  # never gated
