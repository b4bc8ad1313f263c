"""Random command streams from several actors: the log always rebuilds the live board.

A property test (hypothesis, shrinking to a small failing stream) and a
seeded plain-random run share one generator. Each step sends one command,
valid or not, through parse_command and decide; accepted events are applied
with evolve and kept. Rules: docs/spec.md REPLAY1-REPLAY6, and the card and
team invariants of CARD2, CARD3, CARD4 and TEAM6 after every step.
"""
import json
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.domain import (EVENT_TYPES, ERROR_CODES, SERVER_ONLY, SYSTEM, InvalidCommand, Rejection, decide, evolve,
                          parse_command, replay)
from board.domain.decide import Event
from board.domain.model import board_from_snapshot
from domain_helpers import FACILITATOR_ID, NOW, PROJECTOR_ID, create_board_command, minimal_document

# Weighted by repetition: people act more than the server, strangers rarely.
ACTORS = (SYSTEM, FACILITATOR_ID, FACILITATOR_ID, FACILITATOR_ID, PROJECTOR_ID,
          "p1", "p1", "p1", "p2", "p2", "p3", "p3", "p4", "p5", "stranger")
# Server-only commands mostly come from the server, as they do in real life.
SERVER_ACTORS = (SYSTEM, SYSTEM, SYSTEM, FACILITATOR_ID, "p1")
LEADER_ACTORS = (FACILITATOR_ID, FACILITATOR_ID, FACILITATOR_ID, "p2", PROJECTOR_ID, SYSTEM)
LEADER_ONLY = ("create_team", "set_sequence", "set_projector")
KINDS = ("join", "join", "create_team", "join_team", "join_team", "move_card", "move_card", "move_card", "move_card",
         "create_card", "create_card", "create_card", "edit_card", "edit_card", "delete_card",
         "set_sequence", "set_sequence", "set_projector", "create_board")
TEXTS = ("Idée", "  Agilité  ", "Créativité", "Sobriété numérique")
BAD_TEXTS = ("", "   ", "x" * 281, 7, None)
POSITIONS = (0, 0.25, 0.5, 1, 1.0)
BAD_POSITIONS = (-0.1, 1.5, True, "0.5")
MAX_STEPS, BYTES_PER_STEP = 120, 20  # a step reads up to 18 choices (a create_card)
FEW_DECK_CARDS = ("d01", "d02", "d03", "d04", "d05", "d62")  # a few, so the same cards meet often


def either(pick, good, bad):
    """Mostly one of `good`, one time in ten one of `bad`."""
    return pick.choice(bad if pick.choice(range(10)) == 0 else good)


class RandomPick:
    """Choices from a seeded random.Random."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def choice(self, options):
        """One of `options`."""
        return self.rng.choice(options)


class BytesPick:
    """Choices read from bytes hypothesis draws (cheap to draw, quick to shrink: 0 is the first option)."""

    def __init__(self, choices):
        self.choices = iter(choices)

    def choice(self, options):
        """One of `options`; the first once the bytes run out."""
        return options[next(self.choices, 0) % len(options)]


def random_step(pick, board):
    """One (actor, command type, payload), often valid, sometimes not, drawn against `board`."""
    cards = FEW_DECK_CARDS + tuple(sorted(c for c in board.cards if board.cards[c].kind != "deck"))
    zones = ("deck", "parking", "maintenance/techniques", "maintenance/capacites", "socle/techniques")
    teams = tuple(sorted(board.teams))
    kind = pick.choice(KINDS)
    position = lambda: either(pick, POSITIONS, BAD_POSITIONS)  # noqa: E731
    payload = {
        "join": lambda: {"participant_id": either(pick, ("p4", "p5"), ("p1", FACILITATOR_ID, "bad id")),
                         "name": either(pick, ("Zoé", " Léa "), ("", "n" * 61)),
                         "role": either(pick, ("participant", "participant", "facilitator", "projector"),
                                        ("chef",))},
        "create_team": lambda: {"name": either(pick, ("Rouge", "Bleu", "rouge", "Vert"), ("",)),
                                "colour": either(pick, ("#aa0000", "#00AAff"), ("red",)),
                                "domain": either(pick, (None, "maintenance", "socle"), ("astronomie",))},
        "join_team": lambda: {"team_id": either(pick, teams + (None,), ("t999",)),
                              "participant_id": pick.choice((None, None, "p1", "p2", "p3", FACILITATOR_ID))},
        "move_card": lambda: {"card_id": either(pick, cards, ("ghost",)), "zone_id": either(pick, zones, ("nowhere",)),
                              "x": position(), "y": position()},
        "create_card": lambda: {"kind": either(pick, ("new", "postit"), ("deck",)),
                                "text": either(pick, TEXTS, BAD_TEXTS),
                                "zone_id": either(pick, zones, ("nowhere",)), "x": position(), "y": position(),
                                "card_id": pick.choice((None, None, None, "mine", "d01", f"c{board.version + 1}")),
                                "colour": either(pick, (None, None, "#12AB9f"), ("blue",)),
                                "description": either(pick, (None, "", " Pourquoi "), ("d" * 1001,))},
        "edit_card": lambda: {"card_id": either(pick, cards, ("ghost",)),
                              "text": either(pick, (None,) + TEXTS, BAD_TEXTS[:-1]),
                              "description": pick.choice((None, None, "Revue", ""))},
        "delete_card": lambda: {"card_id": either(pick, cards, ("ghost",))},
        "set_sequence": lambda: {"index": either(pick, (0, 1, 2, 2, 3), (4, -1))},
        "set_projector": lambda: {"show_join": either(pick, (True, False), (1, "no"))},
        "create_board": lambda: {"board_id": "b1", "format": minimal_document(), "facilitator_id": "f2",
                                 "facilitator_name": "Autre", "projector_id": "s2"},
    }[kind]()
    if pick.choice(range(20)) == 0:
        payload["unexpected"] = True
    actors = SERVER_ACTORS if kind in SERVER_ONLY else LEADER_ACTORS if kind in LEADER_ONLY else ACTORS
    return pick.choice(actors), kind, payload


def check_invariants(board):
    """What must hold after any step, whatever came before (CARD2, CARD3, CARD4, TEAM6)."""
    deck = board.format.deck_zone
    stacks = Counter((card.zone, card.z) for card in board.cards.values())
    assert all(count == 1 for count in stacks.values()), "two cards share a z in one zone"
    for card in board.cards.values():
        assert card.zone in board.zones
        if card.zone == deck:
            assert card.kind == "deck", f"{card.id} is a written card in the deck"
            assert (card.team, card.colour) == (None, None), f"{card.id} has a team in the deck"
        elif card.kind == "deck" and card.team is not None:
            assert card.colour == board.teams[card.team].colour
    for member in board.participants.values():
        assert member.team is None or (member.role == "participant" and member.team in board.teams)
    assert 0 <= board.sequence < len(board.format.sequences)


def setup(board, events, actor, kind, /, **payload):
    """Apply one command that must be accepted, keeping its event."""
    event = decide(board, actor, parse_command(kind, payload), NOW)
    assert isinstance(event, Event), event
    events.append(event)
    return evolve(board, event)


def run(pick, steps):
    """Send `steps` random commands; return the live board, its accepted events and its past snapshots."""
    first = decide(None, SYSTEM, create_board_command(), NOW)
    board, events = evolve(None, first), [first]
    # A room with people and two teams in it; p4 and p5 may join, and more teams appear, at random.
    for pid in ("p1", "p2", "p3"):
        board = setup(board, events, SYSTEM, "join", participant_id=pid, name=pid, role="participant")
    for name, colour, members in (("Rouge", "#aa0000", ("p1", "p2")), ("Bleu", "#0000aa", ("p3",))):
        board = setup(board, events, FACILITATOR_ID, "create_team", name=name, colour=colour)
        team = events[-1].data["id"]
        for pid in members:
            board = setup(board, events, FACILITATOR_ID, "join_team", participant_id=pid, team_id=team)
    history = {board.version: board.to_dict()}
    for step in range(steps):
        actor, kind, payload = random_step(pick, board)
        before = board.to_dict()
        try:
            outcome = decide(board, actor, parse_command(kind, payload), NOW + step, command_id=f"{actor}-{step}")
        except InvalidCommand as error:
            outcome = error.rejection
        if isinstance(outcome, Event):
            # REPLAY1: one event, one version higher.
            assert outcome.version == board.version + 1
            assert outcome.type in EVENT_TYPES
            board = evolve(board, outcome)
            assert board.version == outcome.version
            events.append(outcome)
            history[board.version] = board.to_dict()
        else:
            # REPLAY2: a refusal changes nothing.
            assert isinstance(outcome, Rejection) and outcome.code in ERROR_CODES
            assert board.to_dict() == before, (actor, kind, payload, outcome)
        check_invariants(board)
    return board, events, history


def check_rebuilds(board, events, history):
    """REPLAY5 and REPLAY6: the log and the snapshot both give back the live board, and a prefix the past."""
    live = board.to_dict()
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    assert board.version == len(events)
    assert replay(events).to_dict() == live
    stored = [Event(**json.loads(json.dumps(e.to_dict()))) for e in events]
    assert replay(stored).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    for version in sorted(history)[::7]:
        assert replay(events[:version]).to_dict() == history[version], f"at version {version}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(min_value=0, max_value=MAX_STEPS),
       choices=st.binary(min_size=BYTES_PER_STEP * MAX_STEPS, max_size=BYTES_PER_STEP * MAX_STEPS))
def test_any_stream_of_commands_replays_to_the_live_board(steps, choices):
    """REPLAY1, REPLAY2, REPLAY5, REPLAY6, for any stream hypothesis can find."""
    check_rebuilds(*run(BytesPick(choices), steps))


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2017])
def test_a_seeded_random_workshop_replays_to_the_live_board(seed):
    """REPLAY1, REPLAY2, REPLAY5, REPLAY6 over a long seeded run; a failing seed is pinned here."""
    board, events, history = run(RandomPick(seed), 400)
    check_rebuilds(board, events, history)
    # The generator must reach every kind of change, or this test proves little.
    assert {e.type for e in events} == set(EVENT_TYPES), f"seed {seed}"
    assert len(events) > 40, f"seed {seed}: only {len(events)} accepted"
