"""Ratings on two axes, the matrix and kept cards: the domain rules (docs/spec.md FMT23, RATE1-RATE10).

Boards are built in memory through parse_command, decide and evolve (tests/domain_helpers.py), on a
small format with the factors map's two axes switched on.
"""
import copy

import pytest

from board.domain import FormatError, load_format
from board.domain.documents import DocumentError, board_document, check_document
from board.domain.evolve import replay
from board.domain.ratings import matrix, position
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, minimal_document

AXES = [{"id": "capacite_agir", "label": {"fr": "Capacité d'agir", "en": "Capacity to act"}, "min": 1, "max": 4},
        {"id": "criticite", "label": {"fr": "Criticité", "en": "Criticality"}, "min": 1, "max": 4,
         "low": {"fr": "Peu critique", "en": "Not critical"}, "high": {"fr": "Très critique", "en": "Very critical"}}]
X, Y = "capacite_agir", "criticite"


def rated_document():
    """The minimal format with two axes; sequence s2 opens rating, s1 does not."""
    document = minimal_document()
    document["axes"] = copy.deepcopy(AXES)
    document["sequences"][1]["allows"].append("rate_card")
    return document


@pytest.fixture
def workshop():
    """A board with two teams (a1, a2 in team A; b1 in team B), a teamless participant, in the rating sequence."""
    w = Workshop(rated_document())
    team_a, team_b = w.team("A"), w.team("B")
    for pid, team in (("a1", team_a), ("a2", team_a), ("b1", team_b)):
        w.join(pid)
        w.put_in_team(pid, team)
    w.join("solo")
    w.accept(FACILITATOR_ID, "set_sequence", index=1)
    w.team_a, w.team_b = team_a, team_b
    return w


def fault(document):
    with pytest.raises(FormatError) as caught:
        load_format(document)
    return caught.value.path


# -- the format's axes (FMT23)

def test_a_format_with_two_good_axes_loads_and_one_without_rates_nothing():
    """FMT23: axes are optional; with them the document keeps them as given."""
    assert load_format(rated_document()).document["axes"][1]["id"] == Y
    w = Workshop(minimal_document())
    assert w.refuse(FACILITATOR_ID, "rate_card", card_id="k1", axis=X, value=2).code == "bad_request"


@pytest.mark.parametrize("change, path", [
    (lambda d: d.update(axes=d["axes"][:1]), "axes"),
    (lambda d: d.update(axes=d["axes"] * 2), "axes"),
    (lambda d: d.update(axes={"x": 1}), "axes"),
    (lambda d: d["axes"][1].update(id="capacite_agir"), "axes"),
    (lambda d: d["axes"][0].update(id="Capacité"), "axes[0].id"),
    (lambda d: d["axes"][1]["label"].pop("fr"), "axes[1].label.fr"),
    (lambda d: d["axes"][0].update(min=1.5), "axes[0].min"),
    (lambda d: d["axes"][0].update(min=True), "axes[0].min"),
    (lambda d: d["axes"][1].update(max=11), "axes[1].max"),
    (lambda d: d["axes"][1].update(min=4, max=4), "axes[1].max"),
    (lambda d: d["axes"][1].update(min=0, max=9), "axes[1].max"),
    (lambda d: d["axes"][1]["low"].pop("en"), "axes[1].low.en"),
    (lambda d: d["axes"][0].update(high="haut"), "axes[0].high"),
])
def test_a_bad_axis_is_refused_at_its_field(change, path):
    """FMT23: the exact field at fault."""
    document = rated_document()
    change(document)
    assert fault(document) == path


# -- rating (RATE1-RATE6)

def test_a_team_rates_a_card_and_a_new_value_replaces_its_former_one(workshop):
    """RATE1, RATE3: the rating is the team's, whichever member sends it."""
    event = workshop.accept("a1", "rate_card", card_id="k1", axis=X, value=3)
    assert event.type == "card_rated"
    assert event.data == {"card_id": "k1", "axis": X, "rater": workshop.team_a, "value": 3}
    workshop.accept("a2", "rate_card", card_id="k1", axis=X, value=1)
    assert workshop.board.cards["k1"].ratings == {X: {workshop.team_a: 1}}


def test_each_team_and_each_teamless_person_has_one_rating_per_card_and_axis(workshop):
    """RATE3: two teams, a person without a team and the facilitator are four raters."""
    workshop.accept("a1", "rate_card", card_id="k1", axis=Y, value=4)
    workshop.accept("b1", "rate_card", card_id="k1", axis=Y, value=2)
    workshop.accept("solo", "rate_card", card_id="k1", axis=Y, value=1)
    workshop.accept(FACILITATOR_ID, "rate_card", card_id="k1", axis=Y, value=3)
    workshop.accept("a2", "rate_card", card_id="k1", axis=X, value=2)
    assert workshop.board.cards["k1"].ratings == {
        Y: {workshop.team_a: 4, workshop.team_b: 2, "solo": 1, FACILITATOR_ID: 3}, X: {workshop.team_a: 2}}


@pytest.mark.parametrize("value", [0, 5, 10])
def test_a_value_outside_the_axis_scale_is_refused_naming_the_range(workshop, value):
    """RATE2."""
    refusal = workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=value)
    assert refusal.code == "bad_request" and "1 to 4" in refusal.message


@pytest.mark.parametrize("value", [2.5, True, "3", -1, 11, [3]])
def test_a_value_that_is_no_whole_number_is_refused_when_read(workshop, value):
    """RATE2."""
    assert workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=value).code == "bad_request"


def test_the_value_must_be_said_even_to_withdraw(workshop):
    """RATE2: a missing value is not a withdrawal."""
    refusal = workshop.refuse("a1", "rate_card", card_id="k1", axis=X)
    assert refusal.code == "bad_request" and "value" in refusal.message


def test_null_withdraws_the_team_rating_and_only_that(workshop):
    """RATE2: withdrawing leaves the other team's rating; nothing left to withdraw is a conflict."""
    workshop.accept("a1", "rate_card", card_id="k1", axis=X, value=3)
    workshop.accept("b1", "rate_card", card_id="k1", axis=X, value=4)
    event = workshop.accept("a2", "rate_card", card_id="k1", axis=X, value=None)
    assert event.data["value"] is None and event.data["rater"] == workshop.team_a
    assert workshop.board.cards["k1"].ratings == {X: {workshop.team_b: 4}}
    assert workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=None).code == "conflict"
    workshop.accept("b1", "rate_card", card_id="k1", axis=X, value=None)
    assert workshop.board.cards["k1"].ratings == {}


def test_giving_the_same_value_again_is_a_conflict(workshop):
    """RATE2."""
    workshop.accept("a1", "rate_card", card_id="k1", axis=X, value=3)
    assert workshop.refuse("a2", "rate_card", card_id="k1", axis=X, value=3).code == "conflict"


def test_an_unknown_axis_or_card_is_not_found(workshop):
    """RATE4: the message names the axes."""
    refusal = workshop.refuse("a1", "rate_card", card_id="k1", axis="urgence", value=2)
    assert refusal.code == "not_found" and X in refusal.message and Y in refusal.message
    assert workshop.refuse("a1", "rate_card", card_id="nope", axis=X, value=2).code == "not_found"


def test_another_teams_face_down_card_cannot_be_rated(workshop):
    """RATE4: a private card of team B is not there for team A; its own team and the facilitator rate it."""
    workshop.accept(FACILITATOR_ID, "configure", private_cards=True)
    hidden = workshop.accept("b1", "create_card", kind="postit", text="Caché", zone_id="free", x=0.2, y=0.2)
    assert hidden.data["private"] is True
    hidden_id = hidden.data["id"]
    assert workshop.refuse("a1", "rate_card", card_id=hidden_id, axis=X, value=2).code == "not_found"
    workshop.accept("b1", "rate_card", card_id=hidden_id, axis=X, value=2)
    workshop.accept(FACILITATOR_ID, "rate_card", card_id=hidden_id, axis=X, value=3)


def test_a_note_attached_to_a_card_is_not_rated(workshop):
    """RATE4: a card with a parent (a keyword, a savoir: the notes' capability sets it) is refused."""
    workshop.board.cards["k2"].parent = "k1"  # as a note would be; no command of this module sets it
    assert workshop.refuse("a1", "rate_card", card_id="k2", axis=X, value=2).code == "forbidden"


def test_rating_is_gated_by_the_sequence_for_participants_not_the_facilitator(workshop):
    """RATE5: in s1 (no rate_card) a participant gets sequence_closed; the facilitator rates anyway."""
    workshop.accept(FACILITATOR_ID, "set_sequence", index=0)
    assert workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=2).code == "sequence_closed"
    workshop.accept(FACILITATOR_ID, "rate_card", card_id="k1", axis=X, value=2)


def test_the_lock_stops_rating_and_the_projector_never_rates(workshop):
    """RATE5."""
    assert workshop.refuse(PROJECTOR_ID, "rate_card", card_id="k1", axis=X, value=2).code == "forbidden"
    workshop.accept(FACILITATOR_ID, "lock_board")
    assert workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=2).code == "locked"


def test_a_timer_run_out_that_freezes_the_board_stops_rating(workshop):
    """RATE5 (TIME7): rate_card is one of the sequence's commands a frozen timer stops."""
    workshop.accept(FACILITATOR_ID, "start_timer", seconds=1, freeze=True)
    workshop.accept(FACILITATOR_ID, "keep_card", card_id="k2", kept=True)  # the clock moves on a second
    workshop.accept(FACILITATOR_ID, "keep_card", card_id="k2", kept=False)
    assert workshop.refuse("a1", "rate_card", card_id="k1", axis=X, value=2).code == "time_up"
    workshop.accept(FACILITATOR_ID, "rate_card", card_id="k1", axis=X, value=2)  # the facilitator is never frozen


def test_a_deleted_card_takes_its_ratings_and_a_replay_gives_the_same_ratings(workshop):
    """RATE6."""
    note = workshop.accept("a1", "create_card", kind="postit", text="À noter", zone_id="free", x=0.1, y=0.1)
    workshop.accept("a1", "rate_card", card_id=note.data["id"], axis=X, value=4)
    workshop.accept("b1", "rate_card", card_id="k2", axis=Y, value=1)
    workshop.accept(FACILITATOR_ID, "keep_card", card_id="k2", kept=True)
    workshop.accept("a2", "delete_card", card_id=note.data["id"])
    assert note.data["id"] not in workshop.board.cards
    assert replay(workshop.events).to_dict() == workshop.board.to_dict()


def test_ratings_and_kept_cards_reach_every_member_as_they_are(workshop):
    """RATE1, RATE7: nothing in them is hidden; every member (projector included) receives the same event."""
    workshop.watch("a1", "b1", "solo", PROJECTOR_ID, FACILITATOR_ID)
    rated = workshop.accept("b1", "rate_card", card_id="k1", axis=Y, value=4)
    kept = workshop.accept(FACILITATOR_ID, "keep_card", card_id="k1", kept=True)
    for member, inbox in workshop.inbox.items():
        assert inbox == [rated.to_dict(), kept.to_dict()], member


# -- keeping (RATE7)

def test_the_facilitator_keeps_a_card_and_lets_it_go(workshop):
    """RATE7."""
    event = workshop.accept(FACILITATOR_ID, "keep_card", card_id="k1", kept=True)
    assert (event.type, event.data) == ("card_kept", {"card_id": "k1", "kept": True})
    assert workshop.board.cards["k1"].kept is True and workshop.sees("a1")["cards"][0]["kept"] is True
    assert workshop.refuse(FACILITATOR_ID, "keep_card", card_id="k1", kept=True).code == "conflict"
    workshop.accept(FACILITATOR_ID, "keep_card", card_id="k1", kept=False)
    assert workshop.board.cards["k1"].kept is False
    assert workshop.refuse(FACILITATOR_ID, "keep_card", card_id="k1", kept=False).code == "conflict"


def test_only_the_facilitator_keeps_cards(workshop):
    """RATE7: a participant (in the rating sequence) and the projector are forbidden."""
    assert workshop.refuse("a1", "keep_card", card_id="k1", kept=True).code == "forbidden"
    assert workshop.refuse(PROJECTOR_ID, "keep_card", card_id="k1", kept=True).code == "forbidden"


def test_keeping_an_unknown_card_or_with_a_bad_flag_is_refused(workshop):
    """RATE7."""
    assert workshop.refuse(FACILITATOR_ID, "keep_card", card_id="nope", kept=True).code == "not_found"
    assert workshop.refuse(FACILITATOR_ID, "keep_card", card_id="k1", kept=1).code == "bad_request"


# -- the matrix (RATE8)

def test_the_matrix_places_a_card_at_the_mean_of_its_raters_with_its_spread(workshop):
    """RATE8: k1 rated by three raters on x and two on y; k2 only on x is not on the matrix."""
    for actor, x, y in (("a1", 4, 3), ("b1", 1, None), ("solo", 2, 1)):
        workshop.accept(actor, "rate_card", card_id="k1", axis=X, value=x)
        if y is not None:
            workshop.accept(actor, "rate_card", card_id="k1", axis=Y, value=y)
    workshop.accept("a1", "rate_card", card_id="k2", axis=X, value=2)
    entries = matrix(workshop.board)
    assert [entry["card_id"] for entry in entries] == ["k1"]
    assert entries[0]["x"] == {"mean": 7 / 3, "min": 1, "max": 4, "count": 3}
    assert entries[0]["y"] == {"mean": 2.0, "min": 1, "max": 3, "count": 2}


def test_position_of_no_rating_is_none_per_axis():
    """RATE8."""
    assert position({}, (X, Y)) == {X: None, Y: None}


# -- documents (RATE9)

def test_a_board_document_keeps_ratings_and_kept_and_refuses_bad_ones(workshop):
    """RATE9."""
    workshop.accept("a1", "rate_card", card_id="k1", axis=X, value=3)
    workshop.accept(FACILITATOR_ID, "keep_card", card_id="k1", kept=True)
    document = board_document(workshop.board)
    content = check_document(document).content
    card = next(c for c in content["cards"] if c["id"] == "k1")
    assert card["ratings"] == {X: {workshop.team_a: 3}} and card["kept"] is True
    for bad, path in (({X: {workshop.team_a: 2.5}}, "ratings"), ({X: 3}, "ratings"), ("oui", "kept")):
        broken = copy.deepcopy(document)
        target = next(c for c in broken["cards"] if c["id"] == "k1")
        target["ratings" if path == "ratings" else "kept"] = bad
        with pytest.raises(DocumentError) as caught:
            check_document(broken)
        assert caught.value.path.endswith(f".{path}")
