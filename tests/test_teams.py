"""Teams and identity (docs/spec.md TEAM10-TEAM18, CARD17): renaming and deleting teams, a split
that does not override chosen teams unless told to, names people can tell apart, and removing or
merging a participant. Boards are built in memory with decide and evolve (domain_helpers.py)."""
import pytest

from board.domain import InvalidCommand, parse_command, replay
from board.domain.teams import free_name, name_key
from board.domain.visibility import snapshot_for, viewer_of
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

CELL, PARKING = "maintenance/techniques", "parking"
PLACEMENT, COMPLETING, MUST_HAVES = "placement", "completer", "incontournables"


@pytest.fixture
def ws():
    """p1 (Bruno) and p2 in Rouge, p3 in Bleu, p4 and p5 in no team."""
    w = Workshop()
    for pid, name in (("p1", "Bruno Garnier"), ("p2", "Alice"), ("p3", "Chloé"), ("p4", "Yann"), ("p5", "Aline")):
        w.join(pid, name=name)
    w.rouge = w.team("Rouge", "#aa0000")
    w.bleu = w.team("Bleu", "#0000aa", domain="maintenance")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    return w


def team(w, team_id):
    return next((t for t in w.board.to_dict()["teams"] if t["id"] == team_id), None)


# ---------------------------------------------------------------- splitting (TEAM10, TEAM12)

def test_a_split_deals_only_those_without_a_team_and_keeps_chosen_teams(ws):
    """TEAM12: p4 and p5 have no team; p1-p3 chose theirs and keep them."""
    event = ws.accept(FACILITATOR_ID, "split_teams", count=2, participant_ids=["p1", "p2", "p3", "p4", "p5"])
    assert event.data["teams"] == []
    # Bleu has one member, Rouge two: Aline (first by name) goes to Bleu, then the two are equal: Rouge first.
    assert event.data["assignments"] == {"p5": ws.bleu, "p4": ws.rouge}
    assert [ws.member(pid)["team"] for pid in ("p1", "p2", "p3")] == [ws.rouge, ws.rouge, ws.bleu]


def test_a_split_where_everyone_has_a_team_is_refused_unless_everyone_is_dealt_again(ws):
    """TEAM12, TEAM10: nothing to deal without `everyone`; with it, p3 leaves Bleu."""
    assert ws.refuse(FACILITATOR_ID, "split_teams", count=2, participant_ids=["p1", "p3"]).code == "conflict"
    event = ws.accept(FACILITATOR_ID, "split_teams", count=1, participant_ids=["p1", "p3"], everyone=True)
    assert event.data["assignments"] == {"p1": ws.rouge, "p3": ws.rouge}


def test_a_split_into_new_teams_fills_the_empty_ones_first():
    """TEAM12: people without a team go to the smallest team, a new one being empty."""
    w = Workshop()
    for pid, name in (("a", "Anna"), ("b", "Basile"), ("c", "Céline"), ("d", "Denis")):
        w.join(pid, name=name)
    first = w.team("Première")
    w.put_in_team("a", first)
    event = w.accept(FACILITATOR_ID, "split_teams", count=2, participant_ids=["a", "b", "c", "d"])
    new = event.data["teams"][0]["id"]
    assert event.data["assignments"] == {"b": new, "c": first, "d": new}


@pytest.mark.parametrize("value", [1, "true", "yes"])
def test_everyone_is_true_or_false(value):
    """CMD14."""
    with pytest.raises(InvalidCommand) as caught:
        parse_command("split_teams", {"count": 2, "participant_ids": ["p1"], "everyone": value})
    assert caught.value.rejection.code == "bad_request"


# ---------------------------------------------------------------- changing a team (TEAM13)

def test_a_team_is_renamed_recoloured_and_given_a_domain_and_only_changes_are_sent(ws):
    """TEAM13."""
    event = ws.accept(FACILITATOR_ID, "set_team", team_id=ws.rouge, name="Les Rouges", domain="socle",
                      colour="#AA0000")
    assert event.type == "team_changed"
    assert event.data == {"team_id": ws.rouge, "name": "Les Rouges", "domain": "socle"}
    assert team(ws, ws.rouge) == {"id": ws.rouge, "name": "Les Rouges", "colour": "#aa0000", "domain": "socle"}
    ws.accept(FACILITATOR_ID, "set_team", team_id=ws.bleu, domain="")
    assert team(ws, ws.bleu)["domain"] is None


def test_a_recoloured_team_s_cards_take_the_new_colour_unless_their_writer_chose_one(ws):
    """TEAM13."""
    ws.go_to(COMPLETING)
    ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    plain = ws.accept("p1", "create_card", kind="new", text="Idée", zone_id=CELL, x=0, y=0).data["id"]
    chosen = ws.accept("p2", "create_card", kind="postit", text="Note", zone_id=CELL, x=0, y=0,
                       colour="#ffee00").data["id"]
    ws.accept(FACILITATOR_ID, "set_team", team_id=ws.rouge, colour="#123456")
    assert [ws.card(c)["colour"] for c in ("d01", plain, chosen)] == ["#123456", "#123456", "#ffee00"]


@pytest.mark.parametrize("payload, code", [
    ({"team_id": "t999", "name": "X"}, "not_found"),
    ({"name": "bleu"}, "conflict"),
    ({"domain": "astronomie"}, "not_found"),
    ({"name": "Rouge"}, "bad_request"),
    ({"domain": ""}, "bad_request"),
    ({}, "bad_request"),
])
def test_a_team_change_that_cannot_be_made_is_refused(ws, payload, code):
    """TEAM13: unknown team or domain, another team's name (any case), nothing that changes."""
    assert ws.refuse(FACILITATOR_ID, "set_team", **{"team_id": ws.rouge, **payload}).code == code


def test_only_the_facilitator_changes_or_deletes_a_team(ws):
    """ROLE4."""
    assert ws.refuse("p1", "set_team", team_id=ws.rouge, name="À nous").code == "forbidden"
    assert ws.refuse("p1", "delete_team", team_id=ws.rouge).code == "forbidden"
    assert ws.refuse("p1", "remove_participant", participant_id="p2").code == "forbidden"
    assert ws.refuse(PROJECTOR_ID, "set_team", team_id=ws.rouge, name="Écran").code == "forbidden"


# ---------------------------------------------------------------- deleting a team (TEAM15)

def test_an_empty_team_is_deleted_and_its_name_is_free_again(ws):
    """TEAM15."""
    empty = ws.team("Vert")
    event = ws.accept(FACILITATOR_ID, "delete_team", team_id=empty)
    assert (event.type, event.data) == ("team_deleted", {"team_id": empty})
    assert team(ws, empty) is None
    ws.team("Vert")


def test_a_team_with_members_cards_or_dots_stays(ws):
    """TEAM15: members, then a card, then team dots each keep it; the refusal says why."""
    refusal = ws.refuse(FACILITATOR_ID, "delete_team", team_id=ws.bleu)
    assert refusal.code == "conflict" and "member" in refusal.message
    ws.go_to(PLACEMENT)
    ws.accept("p3", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.put_in_team("p3", None)
    refusal = ws.refuse(FACILITATOR_ID, "delete_team", team_id=ws.bleu)
    assert refusal.code == "conflict" and "card" in refusal.message
    assert ws.refuse(FACILITATOR_ID, "delete_team", team_id="t999").code == "not_found"


def test_a_team_holding_dots_in_a_team_vote_stays():
    """TEAM15."""
    w = Workshop()
    w.join("p1", name="Anna")
    vert = w.team("Vert")
    w.go_to(MUST_HAVES)
    w.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    w.accept(FACILITATOR_ID, "configure_vote", mode="team")
    w.accept(FACILITATOR_ID, "open_vote")
    w.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter=vert)
    assert "dots" in w.refuse(FACILITATOR_ID, "delete_team", team_id=vert).message


# ---------------------------------------------------------------- names (TEAM14)

@pytest.mark.parametrize("name", ["Bruno Garnier", "bruno garnier", "  BRUNO   GARNIER ", "Brunô Garniér"])
def test_a_name_someone_has_is_refused_with_a_free_one_suggested(ws, name):
    """TEAM14: case, accents and spaces do not tell two names apart; the suggestion is made from the
    name as its owner wrote it, not from the case or accents typed at the door."""
    refusal = ws.refuse("system", "join", participant_id="p9", name=name, role="participant")
    assert refusal.code == "conflict"
    assert refusal.suggestion == "Bruno Garnier 2"
    assert refusal.to_dict()["suggestion"] == refusal.suggestion
    ws.accept("system", "join", participant_id="p9", name=refusal.suggestion, role="participant")


def test_the_suggestion_skips_the_numbers_already_taken(ws):
    """TEAM14."""
    ws.join("p6", name="Alice 2")
    ws.join("p7", name="alice 3")
    assert ws.refuse("system", "join", participant_id="p9", name="Alice", role="participant").suggestion == "Alice 4"
    assert len(free_name(ws.board, "x" * 60)) == 60


def test_the_facilitator_s_name_is_taken_too_but_not_the_projector_s(ws):
    """TEAM14: the facilitator is Camille; the projector's screen is no person."""
    assert ws.refuse("system", "join", participant_id="p9", name="Camille", role="participant").code == "conflict"
    ws.join("p9", name="Projecteur")
    assert name_key(" Élodie  MOREL ") == name_key("elodie morel")


# ---------------------------------------------------------------- removing and merging (TEAM16-TEAM18)

def test_a_removed_participant_is_no_member_and_can_send_nothing_more(ws):
    """TEAM16."""
    event = ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p4")
    assert (event.type, event.data) == ("participant_removed", {"participant_id": "p4", "merge_into": None})
    assert ws.member("p4") is None
    ws.go_to(PLACEMENT)
    assert ws.refuse("p4", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5).code == "unauthorized"
    assert ws.refuse(FACILITATOR_ID, "remove_participant", participant_id="p4").code == "not_found"


@pytest.mark.parametrize("payload, code", [
    ({"participant_id": FACILITATOR_ID}, "forbidden"),
    ({"participant_id": PROJECTOR_ID}, "forbidden"),
    ({"participant_id": "ghost"}, "not_found"),
    ({"participant_id": "p4", "merge_into": "p4"}, "bad_request"),
    ({"participant_id": "p4", "merge_into": "ghost"}, "not_found"),
    ({"participant_id": "p4", "merge_into": FACILITATOR_ID}, "forbidden"),
])
def test_only_a_participant_is_removed_or_merged_into_another(ws, payload, code):
    """TEAM16."""
    assert ws.refuse(FACILITATOR_ID, "remove_participant", **payload).code == code


def test_a_merged_duplicate_s_cards_go_to_the_one_who_stays(ws):
    """TEAM17: p2 is a second device of Bruno (p1); its card becomes Bruno's and stays Rouge's."""
    ws.go_to(COMPLETING)
    card = ws.accept("p2", "create_card", kind="new", text="Mesurer", zone_id=CELL, x=0, y=0).data["id"]
    other = ws.accept("p4", "create_card", kind="postit", text="Hors équipe", zone_id=PARKING, x=0, y=0).data["id"]
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p2", merge_into="p1")
    assert (ws.card(card)["author"], ws.card(card)["team"]) == ("p1", ws.rouge)
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p4")
    assert ws.card(other)["author"] is None and ws.card(other)["text"] == "Hors équipe"
    assert replay(ws.events).to_dict() == ws.board.to_dict()


def test_a_removed_participant_s_dots_go_back_and_they_leave_the_progress(ws):
    """TEAM18, VOTE16."""
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p4", "vote", card_id="d01", delta=1)
    ws.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p4")
    progress = snapshot_for(ws.board, viewer_of(ws.board, FACILITATOR_ID))["vote"]["progress"]
    assert progress["voters"] == 5 and "p4" in progress["still"]
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p4")
    vote = snapshot_for(ws.board, viewer_of(ws.board, FACILITATOR_ID))["vote"]
    assert "p4" not in vote["dots"] and "p4" not in vote["proxy"] and ws.board.vote.totals() == {}
    assert vote["progress"]["voters"] == 4 and "p4" not in vote["progress"]["still"]
    # (a merge hands the dots to the one who stays: TEAM19, tests/test_door.py)


def test_a_closed_vote_keeps_a_removed_participant_s_dots(ws):
    """TEAM18."""
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p4", "vote", card_id="d01", delta=1)
    ws.accept(FACILITATOR_ID, "close_vote")
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p4")
    assert ws.board.vote.totals() == {"d01": 1}


# ---------------------------------------------------------------- a team's written cards (CARD17)

@pytest.mark.parametrize("kind", ["new", "postit"])
def test_a_team_mate_edits_and_deletes_the_team_s_written_card(ws, kind):
    """CARD17: p2 is in Rouge with the author p1."""
    ws.go_to(COMPLETING)
    card = ws.accept("p1", "create_card", kind=kind, text="Idée", zone_id=CELL, x=0, y=0).data["id"]
    ws.accept("p2", "edit_card", card_id=card, text="Idée revue")
    assert ws.card(card)["text"] == "Idée revue"
    ws.accept("p2", "delete_card", card_id=card)
    assert ws.card(card) is None


def test_another_team_or_no_team_may_not_change_a_team_s_card_nor_a_team_mate_a_deck_card(ws):
    """CARD17."""
    ws.go_to(COMPLETING)
    card = ws.accept("p1", "create_card", kind="new", text="Idée", zone_id=CELL, x=0, y=0).data["id"]
    for other in ("p3", "p4"):
        assert ws.refuse(other, "edit_card", card_id=card, text="À nous").code == "forbidden"
        assert ws.refuse(other, "delete_card", card_id=card).code == "forbidden"
    ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert ws.refuse("p2", "edit_card", card_id="d01", text="Autre").code == "forbidden"


def test_a_card_written_with_no_team_stays_its_author_s(ws):
    """CARD17: p4 and p5 have no team; that does not make them team mates."""
    ws.go_to(COMPLETING)
    card = ws.accept("p4", "create_card", kind="postit", text="Seul", zone_id=PARKING, x=0, y=0).data["id"]
    assert ws.refuse("p5", "edit_card", card_id=card, text="Moi aussi").code == "forbidden"
    ws.accept("p4", "edit_card", card_id=card, text="Seul encore")


def test_team_changes_replay_to_the_same_board(ws):
    """REPLAY5 over the new events."""
    ws.accept(FACILITATOR_ID, "set_team", team_id=ws.rouge, colour="#010203", name="R")
    ws.accept(FACILITATOR_ID, "delete_team", team_id=ws.team("Vide"))
    ws.accept(FACILITATOR_ID, "split_teams", count=3, participant_ids=["p4", "p5"])
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p5", merge_into="p4")
    assert replay(ws.events).to_dict() == ws.board.to_dict()
