"""Where and when the vote may open, reopen and show its results (issue 9, point 1 and point 10).

Domain tests build boards in memory (domain_helpers.Workshop); the last ones go through the real
server with python-socketio clients. Each test names the rule of docs/spec.md it checks.
"""
import pytest
from realtime import BoardClient

from conftest import create_workshop
from domain_helpers import FACILITATOR_ID, Workshop, minimal_document

DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES = "decouverte", "placement", "completer", "incontournables"
CELL, OTHER_CELL = "maintenance/techniques", "socle/capacites"


@pytest.fixture
def ws():
    """The packaged workshop: p1, p2 in Rouge, p3 in Bleu; d01 and d02 on the Panorama."""
    w = Workshop()
    for pid in ("p1", "p2", "p3"):
        w.join(pid)
    w.rouge, w.bleu = w.team("Rouge", "#aa0000"), w.team("Bleu", "#0000aa")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    for card, zone in (("d01", CELL), ("d02", OTHER_CELL)):
        w.accept(FACILITATOR_ID, "move_card", card_id=card, zone_id=zone, x=0.5, y=0.5)
    return w


def closed_vote(ws, dots=(("p1", "d01"), ("p1", "d01"), ("p2", "d02"))):
    """Open the vote in the must-haves, put `dots`, close it."""
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    for voter, card in dots:
        ws.accept(voter, "vote", card_id=card, delta=1)
    ws.accept(FACILITATOR_ID, "close_vote")
    return ws


# ---------------------------------------------------------------- VOTE19: the vote's sequence

@pytest.mark.parametrize("sequence, name", [(DISCOVERY, "Discovery"), (PLACEMENT, "Placement"),
                                            (COMPLETING, "Complete")])
def test_the_vote_cannot_open_outside_the_sequence_the_format_gives_it(ws, sequence, name):
    """VOTE19: refused with sequence_closed, saying where the vote opens and where we are."""
    ws.go_to(sequence)
    rejection = ws.refuse(FACILITATOR_ID, "open_vote")
    assert rejection.code == "sequence_closed"
    assert "sequence 4 (Must-haves)" in rejection.message and f"({name})" in rejection.message
    assert ws.board.vote.status == "idle"


def test_the_vote_opens_in_the_must_haves(ws):
    """VOTE19, ATC3: the packaged format's fourth sequence is the vote's."""
    ws.go_to(MUST_HAVES)
    assert ws.accept(FACILITATOR_ID, "open_vote").type == "vote_opened"
    assert ws.board.vote.status == "open"


def test_the_vote_sequence_is_the_formats_data_not_a_name_in_the_code():
    """VOTE19: a format that votes in its first sequence opens the vote there and nowhere else."""
    document = minimal_document()
    document["sequences"][0]["allows"] = ["vote"]  # "Read" is where this format votes
    w = Workshop(document)
    w.accept(FACILITATOR_ID, "set_sequence", index=1)
    rejection = w.refuse(FACILITATOR_ID, "open_vote")
    assert rejection.code == "sequence_closed" and "sequence 1 (Read)" in rejection.message
    assert "(Act)" in rejection.message
    w.accept(FACILITATOR_ID, "set_sequence", index=0)
    assert w.accept(FACILITATOR_ID, "open_vote").type == "vote_opened"


def test_a_format_without_a_vote_sequence_never_opens_a_vote():
    """VOTE19: the refusal says there is no such sequence, in every sequence."""
    w = Workshop(minimal_document())
    for index in (0, 1):
        if w.board.sequence != index:
            w.accept(FACILITATOR_ID, "set_sequence", index=index)
        rejection = w.refuse(FACILITATOR_ID, "open_vote")
        assert rejection.code == "sequence_closed" and "No sequence" in rejection.message


def test_an_open_vote_stays_open_in_another_sequence_and_can_be_closed_there(ws):
    """VOTE19, VOTE5: moving on does not lose the vote; closing is accepted wherever the workshop is."""
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p1", "vote", card_id="d01", delta=1)
    ws.go_to(COMPLETING)
    assert ws.board.vote.status == "open"
    assert ws.accept(FACILITATOR_ID, "close_vote").type == "vote_closed"
    assert ws.board.vote.dots == {"p1": {"d01": 1}}


# ---------------------------------------------------------------- VOTE20: reopening a closed vote

def test_a_closed_vote_reopens_with_its_dots_and_voters_go_on(ws):
    """VOTE20: vote_reopened {}, the dots stay, a voter spends what was left of their budget."""
    closed_vote(ws)
    event = ws.accept(FACILITATOR_ID, "reopen_vote")
    assert (event.type, event.data) == ("vote_reopened", {})
    assert ws.board.vote.status == "open"
    assert ws.board.vote.dots == {"p1": {"d01": 2}, "p2": {"d02": 1}}
    ws.accept("p1", "vote", card_id="d02", delta=1)  # 3 of 5
    ws.accept("p1", "vote", card_id="d02", delta=1)  # 4 of 5
    ws.accept("p1", "vote", card_id="d01", delta=-1)  # taking back works again too
    assert ws.board.vote.dots["p1"] == {"d01": 1, "d02": 2}
    ws.accept(FACILITATOR_ID, "close_vote")
    results = ws.accept(FACILITATOR_ID, "reveal_results").data
    assert results["totals"] == {"d01": 1, "d02": 3}


def test_a_reopened_vote_keeps_its_settings_rules(ws):
    """VOTE20, VOTE3: once reopened, only the budget may change, and only upwards."""
    closed_vote(ws)
    ws.accept(FACILITATOR_ID, "reopen_vote")
    assert ws.refuse(FACILITATOR_ID, "configure_vote", per_card=3).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "configure_vote", budget=4).code == "conflict"
    assert ws.accept(FACILITATOR_ID, "configure_vote", budget=6).data == {"budget": 6}


@pytest.mark.parametrize("status", ["idle", "open"])
def test_only_a_closed_vote_can_be_reopened(ws, status):
    """VOTE20: conflict for an idle or an open vote."""
    ws.go_to(MUST_HAVES)
    if status == "open":
        ws.accept(FACILITATOR_ID, "open_vote")
    rejection = ws.refuse(FACILITATOR_ID, "reopen_vote")
    assert rejection.code == "conflict" and "closed" in rejection.message


def test_a_vote_whose_results_are_revealed_never_reopens(ws):
    """VOTE20: after the reveal, the results stand."""
    closed_vote(ws)
    ws.accept(FACILITATOR_ID, "reveal_results")
    rejection = ws.refuse(FACILITATOR_ID, "reopen_vote")
    assert rejection.code == "conflict" and "revealed" in rejection.message


def test_a_vote_reopens_only_in_its_sequence(ws):
    """VOTE20, VOTE19: closed and then moved away from, it reopens only back in the must-haves."""
    closed_vote(ws)
    ws.go_to(COMPLETING)
    rejection = ws.refuse(FACILITATOR_ID, "reopen_vote")
    assert rejection.code == "sequence_closed" and "sequence 4 (Must-haves)" in rejection.message
    ws.go_to(MUST_HAVES)
    assert ws.accept(FACILITATOR_ID, "reopen_vote").type == "vote_reopened"


def test_only_the_facilitator_reopens_the_vote(ws):
    """VOTE20, ROLE4: a participant gets forbidden, the projector too."""
    closed_vote(ws)
    assert ws.refuse("p1", "reopen_vote").code == "forbidden"
    assert ws.refuse("proj", "reopen_vote").code == "forbidden"


def test_a_reopened_vote_replays_to_the_same_board(ws):
    """VOTE20, REPLAY5: the log with vote_reopened rebuilds the live board."""
    from board.domain import replay
    closed_vote(ws)
    ws.accept(FACILITATOR_ID, "reopen_vote")
    ws.accept("p3", "vote", card_id="d01", delta=1)
    assert replay(ws.events).to_dict() == ws.board.to_dict()


# ---------------------------------------------------------------- VOTE21: nothing hidden into the results

def private_cards(ws, count):
    """In private mode, Bleu (p3) writes `count` cards in the Compléter sequence; their ids."""
    ws.go_to(COMPLETING)
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    return [ws.accept("p3", "create_card", kind="new", text=f"Secret {n}", zone_id=CELL, x=0.5, y=0.5).data["id"]
            for n in range(count)]


@pytest.mark.parametrize("count, words", [(1, "1 card is"), (2, "2 cards are")])
def test_results_are_refused_while_cards_are_hidden_and_say_how_many(ws, count, words):
    """VOTE21: conflict, the number of hidden cards in the message, the board unchanged."""
    private_cards(ws, count)
    closed_vote(ws)
    rejection = ws.refuse(FACILITATOR_ID, "reveal_results")
    assert rejection.code == "conflict"
    assert words in rejection.message and "hidden" in rejection.message
    assert not ws.board.vote.revealed


def test_results_come_once_the_hidden_cards_are_revealed_even_with_private_mode_still_on(ws):
    """VOTE21, PRIV4: reveal the cards, then the results; private mode itself may stay on."""
    hidden = private_cards(ws, 2)
    closed_vote(ws, dots=(("p3", hidden[0]), ("p1", "d01")))
    ws.accept(FACILITATOR_ID, "reveal_cards")
    assert ws.board.options["private_cards"] is True
    results = ws.accept(FACILITATOR_ID, "reveal_results").data
    assert results["totals"] == {hidden[0]: 1, "d01": 1}


def test_a_card_written_after_the_reveal_blocks_the_results_again(ws):
    """VOTE21: the late post-it of issue 9 cannot stay face down into the results unnoticed."""
    private_cards(ws, 1)
    ws.accept(FACILITATOR_ID, "reveal_cards")
    ws.accept("p1", "create_card", kind="postit", text="Écrit après", zone_id=CELL, x=0.2, y=0.2)
    closed_vote(ws)
    assert "1 card is" in ws.refuse(FACILITATOR_ID, "reveal_results").message


# ---------------------------------------------------------------- through the real server

def test_the_server_refuses_the_vote_in_placement_and_reopens_it_for_everyone(server):
    """VOTE19, VOTE20 over the protocol: the refusal reaches the facilitator; the reopen every replica."""
    workshop = create_workshop(server.url, participants=1)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    person = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        assert facilitator.command("set_sequence", {"index": 1})["ok"]
        refused = facilitator.command("open_vote")
        assert (refused["ok"], refused["code"]) == (False, "sequence_closed")
        assert "sequence 4 (Must-haves)" in refused["message"]
        assert facilitator.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": .5, "y": .5})["ok"]
        assert facilitator.command("set_sequence", {"index": 3})["ok"]
        assert facilitator.command("open_vote")["ok"]
        assert person.command("vote", {"card_id": "d01", "delta": 1})["ok"]
        assert facilitator.command("close_vote")["ok"]
        assert person.command("vote", {"card_id": "d01", "delta": 1})["code"] == "sequence_closed"
        reopened = facilitator.command("reopen_vote")
        assert reopened["ok"]
        person.wait_version(reopened["version"])
        assert person.replica.vote.status == "open"
        assert person.command("vote", {"card_id": "d01", "delta": 1})["ok"]
    finally:
        facilitator.close()
        person.close()
