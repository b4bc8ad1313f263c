"""The domain core's rules, one test (or a few) per rule of docs/spec.md.

Boards are built in memory with decide and evolve only (see domain_helpers.py).
Each test's docstring cites the rule it checks.
"""
import copy
import json
import math

import pytest

from board.domain import (COMMANDS, ERROR_CODES, EVENT_TYPES, SERVER_ONLY, SYSTEM, FormatError, InvalidCommand,
                          Rejection, decide, evolve, parse_command, replay, sequence_allows)
from board.domain.decide import Event
from board.domain.model import board_from_snapshot
from board.domain import material
from board.domain.visibility import SENSITIVE_EVENTS, event_for, viewer_of
from domain_helpers import (FACILITATOR_ID, NOW, PROJECTOR_ID, Workshop, create_board_command,
                            minimal_document, packaged_document)
from exchange_scene import exchange_story_types

DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES = "decouverte", "placement", "completer", "incontournables"
CELL, OTHER_CELL, PARKING, DECK = "maintenance/techniques", "socle/capacites", "parking", "deck"
GATED = ("join_team", "move_card", "create_card", "edit_card", "delete_card", "vote", "rate_card",
         "create_zone", "rename_zone", "delete_zone", "move_zone",  # these four: families (tests/test_canvas.py)
         "link_card")  # links between cards (tests/test_links.py)
FACILITATOR_ONLY = ("create_team", "set_sequence", "set_projector", "configure", "split_teams", "reveal_cards",
                    "configure_vote", "open_vote", "close_vote", "reopen_vote", "reveal_results", "set_team",
                    "delete_team", "remove_participant", "forget_participant", "lock_board", "unlock_board", "follow",
                    "close_door", "open_door", "start_timer", "pause_timer",
                    "resume_timer", "adjust_timer", "stop_timer", "set_anonymity",
                    "add_material", "edit_material", "remove_material", "move_material", "set_material_sequences",
                    "rename_domain", "add_domain", "remove_domain", "rename_category", "add_category", "remove_category", "import_deck", "publish_synthesis", "unpublish_synthesis", "describe_workshop",
                    "keep_card")
# The policy table of docs/spec.md section 4: who may send each command.
MAY_SEND = {
    "create_board": {"system"}, "join": {"system"}, "restore_board": {"system"},
    **{kind: {"facilitator"} for kind in FACILITATOR_ONLY},
    **{kind: {"facilitator", "participant"} for kind in GATED},
    "set_done": {"participant"},
    "mark_card": {"participant"}, "add_speaker": {"facilitator"},  # marks.py: a participant marks for themself
    # evaluation.py (tests/test_evaluation.py): participants answer, the facilitator opens and closes.
    "answer_evaluation": {"participant"}, "open_evaluation": {"facilitator"}, "close_evaluation": {"facilitator"},
}
ACTOR_OF_ROLE = {"system": SYSTEM, "facilitator": FACILITATOR_ID, "participant": "p1", "projector": PROJECTOR_ID}


def valid_payloads():
    """A well-formed payload for every command type (content may still be refused by a board)."""
    return {
        "create_board": {"board_id": "b2", "format": minimal_document(), "facilitator_id": "f2",
                         "facilitator_name": "Alex", "projector_id": "s2"},
        "join": {"participant_id": "p9", "name": "Zoé", "role": "participant"},
        "restore_board": {"content": {}},
        "create_team": {"name": "Vert", "colour": "#00aa00"},
        "join_team": {"team_id": None},
        "move_card": {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5},
        "create_card": {"kind": "new", "text": "Une idée", "zone_id": PARKING, "x": 0.1, "y": 0.2},
        "edit_card": {"card_id": "d01", "text": "Autre"},
        "delete_card": {"card_id": "d02"},
        "set_sequence": {"index": 1},
        "set_projector": {"show_join": False},
        "configure": {"private_cards": True},
        "split_teams": {"count": 2, "participant_ids": ["p1"]},
        "reveal_cards": {},
        "configure_vote": {"budget": 6},
        "open_vote": {},
        "close_vote": {},
        "reopen_vote": {},
        "reveal_results": {},
        "vote": {"card_id": "d01", "delta": 1},
        "set_team": {"team_id": "t1", "name": "Vert"},
        "delete_team": {"team_id": "t1"},
        "remove_participant": {"participant_id": "p1"},
        "forget_participant": {"participant_id": "p1", "texts": "keep"},
        "lock_board": {}, "unlock_board": {}, "close_door": {}, "open_door": {},
        "follow": {"focus": {"kind": "row", "id": "socle"}},
        "start_timer": {"seconds": 600},
        "pause_timer": {},
        "resume_timer": {},
        "adjust_timer": {"minutes": 1},
        "stop_timer": {},
        "set_done": {"done": True},
        "set_anonymity": {"on": True, "sequence": 0},
        "add_material": {"kind": "text", "title": "Un texte", "body": "À lire."},
        "edit_material": {"material_id": "m1", "title": "Autre"},
        "remove_material": {"material_id": "m1"},
        "move_material": {"material_id": "m1", "position": 0},
        "set_material_sequences": {"sequences": [2]},
        "rename_domain": {"domain_id": "socle", "label": "Socle"}, "add_domain": {"label": "Sûreté"},
        "remove_domain": {"domain_id": "management"}, "rename_category": {"category_id": "techniques", "label": "Métiers"},
        "add_category": {"label": "Savoirs"}, "remove_category": {"category_id": "capacites"},
        "import_deck": {"mode": "add", "cards": [{"line": 2, "text": "Souder"}]},
        "publish_synthesis": {"include_names": False},
        "unpublish_synthesis": {},
        "describe_workshop": {"title": "Atelier RH"},
        "rate_card": {"card_id": "d01", "axis": "criticite", "value": 2},
        "keep_card": {"card_id": "d01", "kept": True},
        "create_zone": {"zone_id": "fam1", "area_id": "parking", "label": "Énergie", "x": 0.2, "y": 0.3},
        "rename_zone": {"zone_id": "fam1", "label": "Énergies"}, "delete_zone": {"zone_id": "fam1"},
        "move_zone": {"zone_id": "fam1", "x": 0.5, "y": 0.6},
        "mark_card": {"card_id": "d01", "mark": "offer", "on": True}, "add_speaker": {"name": "Nadia"},
        "link_card": {"card_id": "d01", "target_id": "d02", "on": True},
        "answer_evaluation": {"scores": {"utile": 4}, "text": ""}, "open_evaluation": {}, "close_evaluation": {},
    }


REQUIRED = {
    "create_board": ("board_id", "format", "facilitator_id", "facilitator_name", "projector_id"),
    "join": ("participant_id", "name", "role"),
    "restore_board": ("content",),
    "create_team": ("name", "colour"),
    "join_team": (),
    "move_card": ("card_id", "zone_id", "x", "y"),
    "create_card": ("kind", "text", "zone_id", "x", "y"),
    "edit_card": ("card_id",),
    "delete_card": ("card_id",),
    "set_sequence": ("index",),
    "set_projector": (),
    "configure": (),
    "split_teams": ("count", "participant_ids"),
    "reveal_cards": (),
    "configure_vote": (),
    "open_vote": (),
    "close_vote": (),
    "reopen_vote": (),
    "reveal_results": (),
    "vote": ("card_id", "delta"),
    "set_team": ("team_id",),
    "delete_team": ("team_id",),
    "remove_participant": ("participant_id",),
    "forget_participant": ("participant_id", "texts"),
    "lock_board": (), "unlock_board": (), "follow": (), "close_door": (), "open_door": (),
    "start_timer": ("seconds",),
    "pause_timer": (),
    "resume_timer": (),
    "adjust_timer": ("minutes",),
    "stop_timer": (),
    "set_done": ("done",),
    "set_anonymity": ("on",),
    "add_material": ("kind",),
    "edit_material": ("material_id",),
    "remove_material": ("material_id",),
    "move_material": ("material_id", "position"),
    "set_material_sequences": ("sequences",),
    "rename_domain": ("domain_id", "label"), "add_domain": ("label",), "remove_domain": ("domain_id",),
    "rename_category": ("category_id", "label"), "add_category": ("label",), "remove_category": ("category_id",),
    "import_deck": ("mode", "cards"),
    "publish_synthesis": ("include_names",), "unpublish_synthesis": (),
    "describe_workshop": (),
    "rate_card": ("card_id", "axis", "value"), "keep_card": ("card_id", "kept"),
    "create_zone": ("zone_id", "area_id", "label", "x", "y"), "rename_zone": ("zone_id", "label"),
    "delete_zone": ("zone_id",), "move_zone": ("zone_id", "x", "y"),
    "mark_card": ("card_id", "mark", "on"), "add_speaker": ("name",),
    "link_card": ("card_id", "target_id", "on"),
    "answer_evaluation": ("scores", "text"), "open_evaluation": (), "close_evaluation": (),
}
OPTIONAL = {
    "create_team": ("domain",), "join_team": ("team_id", "participant_id"),
    "create_card": ("description", "colour", "card_id", "speaker"), "edit_card": ("text", "description", "speaker"),
    "configure": ("team_choice", "private_cards"),
    "configure_vote": ("mode", "budget", "per_card", "facilitator_votes", "anonymous"),
    "vote": ("voter",),
    "split_teams": ("everyone",), "set_team": ("name", "colour", "domain"), "remove_participant": ("merge_into",),
    "follow": ("focus",),
    "start_timer": ("freeze",),
    "add_material": ("title", "body", "author", "url"), "edit_material": ("title", "body", "author", "url"),
    "rename_domain": ("short", "language"), "add_domain": ("short", "language"),
    "rename_category": ("language",), "add_category": ("language",),
    "create_board": ("details",), "describe_workshop": ("title", "date", "place"),
    "create_zone": ("card_ids",),
}


@pytest.fixture
def ws():
    """The packaged workshop with four participants: p1, p2 in Rouge, p3 in Bleu, p4 in no team."""
    w = Workshop()
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid)
    w.rouge = w.team("Rouge", "#aa0000")
    w.bleu = w.team("Bleu", "#0000AA", domain="maintenance")
    for pid, team in (("p1", w.rouge), ("p2", w.rouge), ("p3", w.bleu)):
        w.put_in_team(pid, team)
    return w


def refused_at_parse(kind, payload):
    """Parse a payload that must be refused; return the Rejection."""
    with pytest.raises(InvalidCommand) as caught:
        parse_command(kind, payload)
    rejection = caught.value.rejection
    assert isinstance(rejection, Rejection) and rejection.code in ERROR_CODES and rejection.message
    return rejection


def with_field(kind, name, value):
    """A valid payload of `kind` with one field set."""
    return {**valid_payloads()[kind], name: value}


# ---------------------------------------------------------------- 3. Commands (CMD)

def test_every_command_type_has_a_test_payload_that_parses():
    """CMD1-CMD16: the tables of this file cover every command the core knows, and the policy table too."""
    assert set(valid_payloads()) == set(COMMANDS) == set(REQUIRED) == set(MAY_SEND)
    assert set(OPTIONAL) <= set(COMMANDS)
    for kind, payload in valid_payloads().items():
        assert parse_command(kind, payload).type == kind


@pytest.mark.parametrize("kind", ["fly", "", "MOVE_CARD", "cast", "Vote", None, 3])
def test_an_unknown_command_type_is_a_bad_request(kind):
    """CMD1."""
    assert refused_at_parse(kind, {}).code == "bad_request"


@pytest.mark.parametrize("payload", [None, [], "move", ["card_id", "d01"]])
def test_a_payload_that_is_not_an_object_is_a_bad_request(payload):
    """CMD1."""
    assert refused_at_parse("move_card", payload).code == "bad_request"


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_an_unknown_field_is_a_bad_request_naming_it(kind):
    """CMD2."""
    rejection = refused_at_parse(kind, with_field(kind, "zzz_extra", 1))
    assert rejection.code == "bad_request"
    assert "zzz_extra" in rejection.message


def test_a_field_of_another_command_is_an_unknown_field():
    """CMD2: a move carries no colour."""
    rejection = refused_at_parse("move_card", with_field("move_card", "colour", "#ffffff"))
    assert (rejection.code, "colour" in rejection.message) == ("bad_request", True)


@pytest.mark.parametrize("kind, name", [(k, n) for k, names in REQUIRED.items() for n in names])
def test_a_missing_required_field_is_a_bad_request_naming_it(kind, name):
    """CMD3."""
    payload = valid_payloads()[kind]
    del payload[name]
    rejection = refused_at_parse(kind, payload)
    assert rejection.code == "bad_request"
    assert f"'{name}'" in rejection.message


@pytest.mark.parametrize("kind, name", [(k, n) for k, names in OPTIONAL.items() for n in names])
def test_an_optional_field_may_be_absent_or_null(kind, name):
    """CMD3."""
    payload = valid_payloads()[kind]
    payload.pop(name, None)
    assert getattr(parse_command(kind, payload), name) is None
    assert getattr(parse_command(kind, {**payload, name: None}), name) is None


@pytest.mark.parametrize("kind", ["create_card", "edit_card"])
def test_a_card_text_is_trimmed_and_may_be_280_characters(kind):
    """CMD4."""
    assert parse_command(kind, with_field(kind, "text", "  Agilité \n")).text == "Agilité"
    assert parse_command(kind, with_field(kind, "text", " " + "é" * 280 + "\t")).text == "é" * 280
    assert parse_command(kind, with_field(kind, "text", "x")).text == "x"


@pytest.mark.parametrize("kind", ["create_card", "edit_card"])
@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_card_text_is_a_bad_request(kind, text):
    """CMD4."""
    assert refused_at_parse(kind, with_field(kind, "text", text)).code == "bad_request"


@pytest.mark.parametrize("kind", ["create_card", "edit_card"])
def test_a_card_text_over_280_characters_is_too_large(kind):
    """CMD4."""
    rejection = refused_at_parse(kind, with_field(kind, "text", "x" * 281))
    assert rejection.code == "too_large"
    assert "280" in rejection.message


@pytest.mark.parametrize("text", [12, ["a"], {"fr": "a"}, True])
def test_a_card_text_that_is_not_text_is_a_bad_request(text):
    """CMD4."""
    assert refused_at_parse("create_card", with_field("create_card", "text", text)).code == "bad_request"


def test_a_create_card_with_a_null_text_is_a_bad_request():
    """CMD4: the text is required to write a card, null is not a text."""
    assert refused_at_parse("create_card", with_field("create_card", "text", None)).code == "bad_request"


@pytest.mark.parametrize("kind", ["create_card", "edit_card"])
def test_a_card_description_is_trimmed_may_be_empty_and_at_most_1000_characters(kind):
    """CMD5."""
    assert parse_command(kind, with_field(kind, "description", "   ")).description == ""
    assert parse_command(kind, with_field(kind, "description", " Pourquoi. ")).description == "Pourquoi."
    assert parse_command(kind, with_field(kind, "description", "d" * 1000)).description == "d" * 1000
    assert refused_at_parse(kind, with_field(kind, "description", "d" * 1001)).code == "too_large"
    assert refused_at_parse(kind, with_field(kind, "description", 5)).code == "bad_request"


@pytest.mark.parametrize("kind, name", [("join", "name"), ("create_team", "name"),
                                        ("create_board", "facilitator_name")])
def test_a_name_is_trimmed_and_1_to_60_characters(kind, name):
    """CMD6."""
    assert getattr(parse_command(kind, with_field(kind, name, "  Équipe A  ")), name) == "Équipe A"
    assert getattr(parse_command(kind, with_field(kind, name, "n" * 60)), name) == "n" * 60
    assert refused_at_parse(kind, with_field(kind, name, "   ")).code == "bad_request"
    assert refused_at_parse(kind, with_field(kind, name, "n" * 61)).code == "too_large"
    assert refused_at_parse(kind, with_field(kind, name, 60)).code == "bad_request"


@pytest.mark.parametrize("value", ["d01", "p-1", "a:b/c.d_e", "A" * 64, "7"])
def test_an_id_of_letters_digits_and_separators_is_accepted(value):
    """CMD7."""
    assert parse_command("move_card", with_field("move_card", "card_id", value)).card_id == value
    assert parse_command("move_card", with_field("move_card", "zone_id", value)).zone_id == value


@pytest.mark.parametrize("value", ["", " d01", "d 01", "-d01", ".d01", "carte-é", "A" * 65, 12, None, ["d01"]])
@pytest.mark.parametrize("kind, name", [("move_card", "card_id"), ("move_card", "zone_id"),
                                        ("delete_card", "card_id"), ("join", "participant_id"),
                                        ("create_board", "board_id")])
def test_a_bad_id_is_a_bad_request(kind, name, value):
    """CMD7."""
    assert refused_at_parse(kind, with_field(kind, name, value)).code == "bad_request"


@pytest.mark.parametrize("kind, name", [("move_card", "card_id"), ("join", "participant_id"),
                                        ("create_board", "board_id"), ("create_card", "card_id")])
def test_an_id_ending_in_a_newline_is_a_bad_request(kind, name):
    """CMD7: the whole value must be an id; a trailing line break is not let through."""
    assert refused_at_parse(kind, with_field(kind, name, "d01\n")).code == "bad_request"


@pytest.mark.parametrize("kind, name", [("create_card", "card_id"), ("join_team", "team_id"),
                                        ("join_team", "participant_id"), ("create_team", "domain")])
def test_an_optional_id_must_still_be_an_id(kind, name):
    """CMD7."""
    assert refused_at_parse(kind, with_field(kind, name, "not an id")).code == "bad_request"


@pytest.mark.parametrize("value, expected", [(0, 0.0), (1, 1.0), (0.5, 0.5), (0.0, 0.0), (1.0, 1.0)])
def test_a_position_from_0_to_1_is_accepted_as_a_float(value, expected):
    """CMD8."""
    for kind in ("move_card", "create_card"):
        command = parse_command(kind, {**valid_payloads()[kind], "x": value, "y": value})
        assert (command.x, command.y) == (expected, expected)
        assert type(command.x) is float and type(command.y) is float


@pytest.mark.parametrize("value", [-0.001, 1.001, -1, 2, math.nan, math.inf, -math.inf, True, False,
                                   "0.5", None, [0.5]])
@pytest.mark.parametrize("kind, axis", [("move_card", "x"), ("move_card", "y"),
                                        ("create_card", "x"), ("create_card", "y")])
def test_a_position_outside_0_to_1_or_not_a_number_is_a_bad_request(kind, axis, value):
    """CMD8."""
    assert refused_at_parse(kind, with_field(kind, axis, value)).code == "bad_request"


@pytest.mark.parametrize("kind", ["create_team", "create_card"])
def test_a_colour_is_kept_in_lowercase(kind):
    """CMD9."""
    assert parse_command(kind, with_field(kind, "colour", "#A1b2C3")).colour == "#a1b2c3"


@pytest.mark.parametrize("value", ["#abc", "red", "a1b2c3", "#gggggg", "#a1b2c3d", "# a1b2c", 0xA1B2C3, ""])
@pytest.mark.parametrize("kind", ["create_team", "create_card"])
def test_a_colour_that_is_not_six_hex_digits_is_a_bad_request(kind, value):
    """CMD9."""
    assert refused_at_parse(kind, with_field(kind, "colour", value)).code == "bad_request"


@pytest.mark.parametrize("kind", ["create_team", "create_card"])
def test_a_colour_ending_in_a_newline_is_a_bad_request(kind):
    """CMD9: the whole value must be a colour; a trailing line break is not let through."""
    assert refused_at_parse(kind, with_field(kind, "colour", "#aabbcc\n")).code == "bad_request"


def test_a_written_card_is_new_or_a_postit_never_a_deck_card():
    """CMD10."""
    for kind in ("new", "postit"):
        assert parse_command("create_card", with_field("create_card", "kind", kind)).kind == kind
    for kind in ("deck", "", "card", None):
        assert refused_at_parse("create_card", with_field("create_card", "kind", kind)).code == "bad_request"


def test_a_sequence_index_is_a_whole_number_from_0_to_99():
    """CMD11."""
    for index in (0, 99):
        assert parse_command("set_sequence", {"index": index}).index == index
    for index in (-1, 100, True, 1.0, "1", None):
        assert refused_at_parse("set_sequence", {"index": index}).code == "bad_request"


def test_a_role_is_facilitator_participant_or_projector():
    """CMD11."""
    for role in ("facilitator", "participant", "projector"):
        assert parse_command("join", with_field("join", "role", role)).role == role
    for role in ("system", "admin", "Participant", "", None):
        assert refused_at_parse("join", with_field("join", "role", role)).code == "bad_request"


@pytest.mark.parametrize("value", [0, 1, "true", "false", [True]])  # null is "absent" (DISPLAY6)
def test_show_join_is_true_or_false(value):
    """CMD12."""
    for flag in (True, False):
        assert parse_command("set_projector", {"show_join": flag}).show_join is flag
    assert refused_at_parse("set_projector", {"show_join": value}).code == "bad_request"


@pytest.mark.parametrize("kind, name", [("configure", "team_choice"), ("configure", "private_cards"),
                                        ("configure_vote", "facilitator_votes"), ("configure_vote", "anonymous")])
def test_an_option_flag_is_true_false_or_absent(kind, name):
    """CMD13."""
    for flag in (True, False, None):
        assert getattr(parse_command(kind, {name: flag}), name) is flag
    for value in (0, 1, "true", "false", [True]):
        assert refused_at_parse(kind, {name: value}).code == "bad_request"


def test_split_teams_takes_a_count_from_1_to_20_and_a_list_of_distinct_ids():
    """CMD14."""
    command = parse_command("split_teams", {"count": 20, "participant_ids": ["p1", "p-2"]})
    assert (command.count, command.participant_ids) == (20, ("p1", "p-2"))
    assert parse_command("split_teams", {"count": 1, "participant_ids": [f"p{i}" for i in range(500)]}).count == 1
    for count in (0, 21, True, 2.0, "2", None):
        assert refused_at_parse("split_teams", {"count": count, "participant_ids": ["p1"]}).code == "bad_request"
    for ids in (["p1", "p1"], ["bad id"], "p1", {"p1": 1}, None, [f"p{i}" for i in range(501)], [None]):
        assert refused_at_parse("split_teams", {"count": 2, "participant_ids": ids}).code == "bad_request"


def test_vote_settings_are_a_mode_a_budget_from_1_to_50_and_dots_per_card_from_1_to_10():
    """CMD15."""
    command = parse_command("configure_vote", {"mode": "team", "budget": 50, "per_card": 10})
    assert (command.mode, command.budget, command.per_card) == ("team", 50, 10)
    assert parse_command("configure_vote", {"mode": "participant", "budget": 1, "per_card": 1}).budget == 1
    for name, value in (("mode", "everyone"), ("mode", "Team"), ("budget", 0), ("budget", 51), ("budget", True),
                        ("budget", 5.0), ("budget", "5"), ("per_card", 0), ("per_card", 11), ("per_card", 2.0)):
        assert refused_at_parse("configure_vote", {name: value}).code == "bad_request", (name, value)


def test_a_dot_is_put_with_1_and_taken_back_with_minus_1():
    """CMD16: a whole 1 or -1, nothing that merely compares equal to one."""
    for delta in (1, -1):
        command = parse_command("vote", {"card_id": "d01", "delta": delta})
        assert command.delta == delta and type(command.delta) is int
    for delta in (0, 2, -2, True, False, 1.0, -1.0, "1", None):
        assert refused_at_parse("vote", {"card_id": "d01", "delta": delta}).code == "bad_request", delta
    assert parse_command("vote", {"card_id": "d01", "delta": 1, "voter": "t5"}).voter == "t5"
    assert refused_at_parse("vote", {"card_id": "d01", "delta": 1, "voter": "not an id"}).code == "bad_request"


def test_building_a_command_directly_runs_the_same_checks():
    """CMD4, CMD8: the checks live in the command, not only in parse_command."""
    with pytest.raises(InvalidCommand) as caught:
        COMMANDS["create_card"](kind="new", text="x" * 281, zone_id=PARKING, x=0, y=0)
    assert caught.value.rejection.code == "too_large"
    with pytest.raises(InvalidCommand):
        COMMANDS["move_card"](card_id="d01", zone_id=CELL, x=1.5, y=0)


# ---------------------------------------------------------------- 4. Roles (ROLE)

@pytest.mark.parametrize("kind", sorted(set(COMMANDS) - SERVER_ONLY))
def test_an_outsider_is_unauthorized(ws, kind):
    """ROLE1."""
    ws.go_to(COMPLETING)
    assert ws.refuse("stranger", kind, **valid_payloads()[kind]).code == "unauthorized"


@pytest.mark.parametrize("kind", sorted(COMMANDS))
@pytest.mark.parametrize("sequence", [DISCOVERY, COMPLETING])
def test_the_projector_never_changes_anything(ws, kind, sequence):
    """ROLE2."""
    ws.go_to(sequence)
    assert ws.refuse(PROJECTOR_ID, kind, **valid_payloads()[kind]).code == "forbidden"


def test_server_only_commands_are_create_board_and_join():
    """ROLE3."""
    assert SERVER_ONLY == {"create_board", "join", "restore_board"}


@pytest.mark.parametrize("kind", ["create_board", "join", "restore_board"])
@pytest.mark.parametrize("actor", [FACILITATOR_ID, "p1"])
def test_a_person_cannot_send_a_server_only_command(ws, kind, actor):
    """ROLE3."""
    ws.go_to(COMPLETING)
    assert ws.refuse(actor, kind, **valid_payloads()[kind]).code == "forbidden"


@pytest.mark.parametrize("kind", FACILITATOR_ONLY)
@pytest.mark.parametrize("sequence", [DISCOVERY, COMPLETING, MUST_HAVES])
def test_a_participant_cannot_send_a_facilitator_only_command(ws, kind, sequence):
    """ROLE4."""
    ws.go_to(sequence)
    assert ws.refuse("p1", kind, **valid_payloads()[kind]).code == "forbidden"


def test_the_facilitator_creates_teams_and_changes_sequence(ws):
    """ROLE4."""
    assert ws.accept(FACILITATOR_ID, "create_team", name="Vert", colour="#00aa00").type == "team_created"
    assert ws.accept(FACILITATOR_ID, "set_sequence", index=2).type == "sequence_changed"


@pytest.mark.parametrize("kind", sorted(set(COMMANDS) - SERVER_ONLY))
def test_the_server_may_only_create_boards_and_admit_members(ws, kind):
    """ROLE5."""
    ws.go_to(COMPLETING)
    assert ws.refuse(SYSTEM, kind, **valid_payloads()[kind]).code == "forbidden"


def test_the_role_is_checked_before_the_content(ws):
    """ROLE6: an unknown card or a clashing name does not change the answer."""
    ws.go_to(COMPLETING)
    ghost = {"card_id": "ghost", "zone_id": "nowhere", "x": 0, "y": 0}
    assert ws.refuse(PROJECTOR_ID, "move_card", **ghost).code == "forbidden"
    assert ws.refuse("stranger", "move_card", **ghost).code == "unauthorized"
    assert ws.refuse("p1", "create_team", name="Rouge", colour="#000000").code == "forbidden"
    assert ws.refuse("p1", "set_sequence", index=42).code == "forbidden"


@pytest.mark.parametrize("kind, role", [(kind, role) for kind in sorted(COMMANDS) for role in sorted(ACTOR_OF_ROLE)
                                        if role not in MAY_SEND[kind]])
def test_every_role_not_in_the_policy_table_is_forbidden(ws, kind, role):
    """ROLE2-ROLE5: the table of the spec, cell by cell, for the refusals."""
    ws.go_to(COMPLETING)
    assert ws.refuse(ACTOR_OF_ROLE[role], kind, **valid_payloads()[kind]).code == "forbidden"


# ---------------------------------------------------------------- 5. Sequences (SEQ)

def test_a_new_board_is_in_its_first_sequence():
    """SEQ1."""
    w = Workshop()
    assert w.board.sequence == 0 and w.board.to_dict()["sequence"] == 0
    assert w.board.current_sequence.id == DISCOVERY


def gated_payload(ws, kind, sequence):
    """Move to `sequence` and give a p1 payload for `kind` that the board would accept on its content."""
    ws.go_to(COMPLETING)  # where p1 may write the card it will edit or delete
    own = ws.accept("p1", "create_card", kind="postit", text="À moi", zone_id=PARKING, x=0, y=0).data["id"]
    ws.accept(FACILITATOR_ID, "move_card", card_id="d05", zone_id=OTHER_CELL, x=0.5, y=0.5)  # a card to vote on
    ws.go_to(MUST_HAVES)  # the vote opens in its own sequence (VOTE19), and stays open elsewhere
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.go_to(sequence)
    return {
        "join_team": {"team_id": ws.bleu},
        "move_card": {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5},
        "create_card": {"kind": "new", "text": "Idée", "zone_id": PARKING, "x": 0.5, "y": 0.5},
        "edit_card": {"card_id": own, "text": "Retouche"},
        "delete_card": {"card_id": own},
        "vote": {"card_id": "d05", "delta": 1},
        "rate_card": {"card_id": "d05", "axis": "criticite", "value": 2},  # no sequence of this format rates
    }.get(kind) or valid_payloads()[kind]  # families: no sequence of this format opens them (test_canvas.py)


@pytest.mark.parametrize("kind", GATED)
@pytest.mark.parametrize("sequence", [DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES])
def test_a_participant_needs_the_current_sequence_to_allow_a_gated_command(ws, kind, sequence):
    """SEQ2, SEQ7: sequence_closed exactly when `allows` does not name the command."""
    payload = gated_payload(ws, kind, sequence)
    allowed = kind in ws.board.current_sequence.allows
    assert sequence_allows(ws.board, "participant", kind) is allowed
    if allowed:
        ws.accept("p1", kind, **payload)
    else:
        assert ws.refuse("p1", kind, **payload).code == "sequence_closed"


def test_a_participant_cannot_place_a_card_during_discovery(ws):
    """SEQ2, SEQ9: the refusal names the sequence."""
    rejection = ws.refuse("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert rejection.code == "sequence_closed"
    assert "Discovery" in rejection.message


def test_a_participant_can_place_a_card_during_placement(ws):
    """SEQ2."""
    ws.go_to(PLACEMENT)
    assert ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5).type == "card_moved"


def test_a_participant_cannot_write_a_card_during_placement(ws):
    """SEQ2."""
    ws.go_to(PLACEMENT)
    assert ws.refuse("p1", "create_card", kind="new", text="Idée", zone_id=CELL, x=0, y=0).code \
        == "sequence_closed"


def test_a_participant_can_write_a_card_while_completing(ws):
    """SEQ2."""
    ws.go_to(COMPLETING)
    assert ws.accept("p1", "create_card", kind="new", text="Idée", zone_id=CELL, x=0, y=0).type == "card_created"


def test_a_participant_cannot_move_cards_during_the_must_haves(ws):
    """SEQ2."""
    ws.go_to(MUST_HAVES)
    assert ws.refuse("p1", "move_card", card_id="d01", zone_id=CELL, x=0, y=0).code == "sequence_closed"


def test_a_participant_can_change_team_until_the_must_haves(ws):
    """SEQ2, ATC3: the first three sequences allow join_team; during the vote teams stay as they are."""
    for sequence, team in ((DISCOVERY, ws.bleu), (PLACEMENT, ws.rouge), (COMPLETING, ws.bleu)):
        ws.go_to(sequence)
        assert ws.accept("p1", "join_team", team_id=team).data["team_id"] == team
    ws.go_to(MUST_HAVES)
    assert ws.refuse("p1", "join_team", team_id=None).code == "sequence_closed"
    ws.accept(FACILITATOR_ID, "join_team", participant_id="p1", team_id=ws.rouge)


def test_the_must_haves_open_only_the_vote_to_participants(ws):
    """SEQ2, ATC3: in sequence 4 a participant votes, and does nothing else."""
    ws.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    assert {kind for kind in GATED if sequence_allows(ws.board, "participant", kind)} == {"vote"}
    ws.accept("p1", "vote", card_id="d01", delta=1)
    for kind, payload in (("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0, "y": 0}),
                          ("create_card", {"kind": "new", "text": "Tard", "zone_id": CELL, "x": 0, "y": 0}),
                          ("join_team", {"team_id": ws.bleu})):
        assert ws.refuse("p1", kind, **payload).code == "sequence_closed"


def test_a_sequence_that_allows_nothing_closes_even_join_team():
    """SEQ2: the gate is read from the format, not from a list in the code."""
    w = Workshop(minimal_document())
    w.join("p1")
    team = w.team("Rouge")
    assert w.refuse("p1", "join_team", team_id=team).code == "sequence_closed"
    w.accept(FACILITATOR_ID, "set_sequence", index=1)
    w.accept("p1", "join_team", team_id=team)


def test_the_facilitator_is_never_gated(ws):
    """SEQ3: in discovery, the facilitator moves, writes, edits, deletes and places people."""
    assert ws.board.current_sequence.id == DISCOVERY
    ws.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    card = ws.accept(FACILITATOR_ID, "create_card", kind="new", text="Idée", zone_id=CELL, x=0, y=0).data["id"]
    ws.accept(FACILITATOR_ID, "edit_card", card_id=card, text="Idée revue")
    ws.accept(FACILITATOR_ID, "delete_card", card_id=card)
    ws.accept(FACILITATOR_ID, "join_team", participant_id="p4", team_id=ws.bleu)


def test_the_facilitator_is_still_bound_by_the_card_rules(ws):
    """SEQ3: not gated, but judged on content."""
    assert ws.refuse(FACILITATOR_ID, "create_card", kind="new", text="Idée", zone_id=DECK, x=0, y=0).code \
        == "forbidden"
    assert ws.refuse(FACILITATOR_ID, "move_card", card_id="ghost", zone_id=CELL, x=0, y=0).code == "not_found"


def test_the_sequence_is_checked_before_the_content(ws):
    """SEQ4."""
    assert ws.refuse("p1", "move_card", card_id="ghost", zone_id="nowhere", x=0, y=0).code == "sequence_closed"
    assert ws.refuse("p1", "delete_card", card_id="ghost").code == "sequence_closed"


def test_the_facilitator_moves_the_workshop_forwards_and_backwards(ws):
    """SEQ5."""
    event = ws.accept(FACILITATOR_ID, "set_sequence", index=2)
    assert (event.type, event.data) == ("sequence_changed", {"index": 2, "from": 0})
    assert ws.board.current_sequence.id == COMPLETING
    event = ws.accept(FACILITATOR_ID, "set_sequence", index=0)
    assert event.data == {"index": 0, "from": 2}
    assert ws.board.to_dict()["sequence"] == 0


def test_going_back_to_discovery_closes_placing_again(ws):
    """SEQ5, SEQ2."""
    ws.go_to(PLACEMENT)
    ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to(DISCOVERY)
    assert ws.refuse("p1", "move_card", card_id="d02", zone_id=CELL, x=0.5, y=0.5).code == "sequence_closed"


def test_setting_the_current_sequence_is_a_conflict(ws):
    """SEQ6."""
    assert ws.refuse(FACILITATOR_ID, "set_sequence", index=0).code == "conflict"


@pytest.mark.parametrize("index", [4, 5, 99])
def test_setting_a_sequence_past_the_last_is_not_found(ws, index):
    """SEQ6: the packaged format has four sequences, 0 to 3."""
    assert ws.refuse(FACILITATOR_ID, "set_sequence", index=index).code == "not_found"
    ws.accept(FACILITATOR_ID, "set_sequence", index=3)


@pytest.mark.parametrize("sequence", [DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES])
def test_sequence_allows_follows_the_policy_table_and_the_gate(ws, sequence):
    """SEQ7."""
    ws.go_to(sequence)
    allows = ws.board.current_sequence.allows
    for kind in COMMANDS:
        for role in ACTOR_OF_ROLE:
            expected = role in MAY_SEND[kind] and (kind not in GATED + ("mark_card",) or role == "facilitator" or kind in allows)
            assert sequence_allows(ws.board, role, kind) is expected, (kind, role)


def test_going_back_a_sequence_keeps_what_was_done(ws):
    """SEQ8: cards, teams, options and the vote stay; only the sequence changes."""
    ws.go_to(PLACEMENT)
    ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to(COMPLETING)
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.accept("p3", "create_card", kind="new", text="Bleue", zone_id=OTHER_CELL, x=0, y=0)
    ws.go_to(MUST_HAVES)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p1", "vote", card_id="d01", delta=1)
    for sequence in (COMPLETING, DISCOVERY, MUST_HAVES, PLACEMENT):
        before = ws.board.to_dict()
        event = ws.accept(FACILITATOR_ID, "set_sequence",
                          index=[q.id for q in ws.board.format.sequences].index(sequence))
        after = ws.board.to_dict()
        assert set(event.data) == {"index", "from"}
        assert {k: v for k, v in after.items() if k not in ("sequence", "version")} == \
            {k: v for k, v in before.items() if k not in ("sequence", "version")}


@pytest.mark.parametrize("sequence, name", [(DISCOVERY, "Discovery"), (PLACEMENT, "Placement"),
                                            (COMPLETING, "Complete"), (MUST_HAVES, "Must-haves")])
def test_a_closed_sequence_says_which_sequence_it_is(ws, sequence, name):
    """SEQ9: whatever the command, the message names where the workshop is."""
    ws.go_to(sequence)
    closed = [kind for kind in GATED if kind not in ws.board.current_sequence.allows]
    assert closed
    for kind in closed:
        rejection = ws.refuse("p1", kind, **valid_payloads()[kind])
        assert rejection.code == "sequence_closed" and name in rejection.message, kind


# ---------------------------------------------------------------- 6. Boards and members (BOARD)

def test_the_server_creates_a_board_at_version_1():
    """BOARD1."""
    command = create_board_command(minimal_document(), board_id="b-42")
    event = decide(None, SYSTEM, command, NOW)
    assert isinstance(event, Event)
    assert (event.version, event.type, event.actor) == (1, "board_created", SYSTEM)
    assert event.data == {"board_id": "b-42", "format": minimal_document(),
                          "facilitator": {"id": FACILITATOR_ID, "name": "Camille"},
                          "projector": {"id": PROJECTOR_ID}}
    board = evolve(None, event)
    assert (board.id, board.version) == ("b-42", 1)


def test_nobody_but_the_server_creates_a_board():
    """BOARD1, ROLE1."""
    assert decide(None, FACILITATOR_ID, create_board_command(), NOW).code == "unauthorized"


def test_a_new_board_has_the_facilitator_and_the_projector_and_no_teams():
    """BOARD2: and the default options, participants choose their team, new cards are public."""
    snapshot = Workshop().board.to_dict()
    assert snapshot["options"] == {"team_choice": True, "private_cards": False}
    assert snapshot["participants"] == [
        {"id": FACILITATOR_ID, "name": "Camille", "role": "facilitator", "team": None},
        {"id": PROJECTOR_ID, "name": "Projecteur", "role": "projector", "team": None}]
    assert snapshot["teams"] == []


def test_a_new_board_has_the_formats_zones():
    """BOARD2, FMT3."""
    w = Workshop()
    ids = [z["id"] for z in w.board.to_dict()["zones"]]
    assert ids == [z.id for z in w.board.format.zones]
    assert {CELL, OTHER_CELL, PARKING, DECK} <= set(ids)
    assert len(ids) == 8 * 2 + 2


def test_a_new_board_holds_the_whole_deck_in_the_deck_zone_in_order():
    """BOARD3."""
    document = packaged_document()
    cards = Workshop(document).board.to_dict()["cards"]
    assert [c["id"] for c in cards] == [c["id"] for c in document["deck"]]
    for order, (card, source) in enumerate(zip(cards, document["deck"]), start=1):
        assert card == {"id": source["id"], "kind": "deck", "text": source["text"].strip(),
                        "description": source["description"].strip(), "zone": DECK, "x": 0.0, "y": 0.0,
                        "z": order, "author": None, "team": None, "colour": None,
                        "domain": source["domain"], "category": source["category"], "placed_by": None,
                        "parent": None, "ratings": {}, "kept": False, "private": False}


def test_creating_a_board_twice_is_a_conflict(ws):
    """BOARD4."""
    assert ws.refuse(SYSTEM, "create_board", **valid_payloads()["create_board"]).code == "conflict"


def test_a_create_board_with_a_broken_format_is_a_bad_request_naming_the_field():
    """BOARD5: a Rejection carrying the FormatError's message, not an exception."""
    document = minimal_document()
    document["deck"][0]["domain"] = "r9"
    with pytest.raises(FormatError) as caught:
        evolve(None, Event(1, "board_created", {"format": document}, SYSTEM, NOW))
    outcome = decide(None, SYSTEM, create_board_command(document), NOW)
    assert outcome == Rejection("bad_request", str(caught.value))
    assert outcome.message.startswith("deck[0].domain: ")


@pytest.mark.parametrize("kind", sorted(set(COMMANDS) - {"create_board"}))
@pytest.mark.parametrize("actor", [SYSTEM, FACILITATOR_ID])
def test_a_command_on_no_board_is_not_found(kind, actor):
    """BOARD9: only create_board can be decided before the board exists."""
    command = parse_command(kind, valid_payloads()[kind])
    assert decide(None, actor, command, NOW) == Rejection("not_found", "No such board.")


def test_a_board_whose_facilitator_and_projector_share_an_id_is_a_bad_request():
    """BOARD10: the projector would otherwise replace the facilitator."""
    command = parse_command("create_board", {**valid_payloads()["create_board"], "projector_id": "f2"})
    assert decide(None, SYSTEM, command, NOW).code == "bad_request"


@pytest.mark.parametrize("name", ["facilitator_id", "projector_id"])
def test_a_board_member_cannot_take_the_servers_id(name):
    """BOARD11: a member called "system" would act as the server."""
    command = parse_command("create_board", {**valid_payloads()["create_board"], name: SYSTEM})
    assert decide(None, SYSTEM, command, NOW).code == "bad_request"


@pytest.mark.parametrize("role", ["participant", "facilitator", "projector"])
def test_nobody_joins_under_the_servers_id(ws, role):
    """BOARD11."""
    rejection = ws.refuse(SYSTEM, "join", participant_id=SYSTEM, name="Pirate", role=role)
    assert rejection.code == "bad_request" and "reserved" in rejection.message


def test_joining_admits_a_member_with_a_trimmed_name_and_no_team(ws):
    """BOARD6."""
    event = ws.accept(SYSTEM, "join", participant_id="p9", name="  Zoé  ", role="participant")
    assert (event.type, event.data) == ("participant_joined", {"id": "p9", "name": "Zoé", "role": "participant"})
    assert ws.member("p9") == {"id": "p9", "name": "Zoé", "role": "participant", "team": None}


def test_a_second_facilitator_can_be_admitted_and_leads_too(ws):
    """BOARD6, ROLE4: the role given at join is the one decide uses."""
    ws.join("co", role="facilitator")
    assert ws.accept("co", "set_sequence", index=1).data == {"index": 1, "from": 0}


def test_joining_with_a_members_id_is_a_conflict(ws):
    """BOARD7."""
    for pid in ("p1", FACILITATOR_ID, PROJECTOR_ID):
        assert ws.refuse(SYSTEM, "join", participant_id=pid, name="Autre", role="participant").code == "conflict"


def test_a_new_board_has_an_idle_vote_with_no_dots():
    """BOARD8."""
    vote = Workshop().board.to_dict()["vote"]
    assert (vote["status"], vote["dots"], vote["revealed"]) == ("idle", {}, False)


# ---------------------------------------------------------------- 7. Teams (TEAM)

def test_a_team_gets_an_id_from_the_version_of_its_event():
    """TEAM1."""
    w = Workshop()
    w.join("p1")
    event = w.accept(FACILITATOR_ID, "create_team", name="  Rouge ", colour="#AA0000", domain="maintenance")
    assert event.version == 3
    assert (event.type, event.data) == ("team_created", {"id": "t3", "name": "Rouge", "colour": "#aa0000",
                                                         "domain": "maintenance"})
    assert w.board.to_dict()["teams"] == [event.data]


def test_two_teams_cannot_share_a_name_ignoring_case(ws):
    """TEAM2."""
    assert ws.refuse(FACILITATOR_ID, "create_team", name=" ROUGE ", colour="#123456").code == "conflict"


@pytest.mark.parametrize("domain", ["astronomie", "techniques", "deck", "maintenance/techniques"])
def test_a_team_domain_must_be_a_panorama_row(ws, domain):
    """TEAM3: a column, an area or a cell is not a domain."""
    assert ws.refuse(FACILITATOR_ID, "create_team", name="Vert", colour="#00aa00", domain=domain).code \
        == "not_found"


def test_a_participant_joins_changes_and_leaves_a_team(ws):
    """TEAM4."""
    event = ws.accept("p4", "join_team", team_id=ws.rouge)
    assert (event.type, event.data) == ("team_joined", {"participant_id": "p4", "team_id": ws.rouge})
    assert ws.member("p4")["team"] == ws.rouge
    ws.accept("p4", "join_team", team_id=ws.bleu, participant_id="p4")
    assert ws.member("p4")["team"] == ws.bleu
    ws.accept("p4", "join_team", team_id=None)
    assert ws.member("p4")["team"] is None


def test_a_participant_cannot_put_someone_else_in_a_team(ws):
    """TEAM5."""
    assert ws.refuse("p1", "join_team", participant_id="p4", team_id=ws.rouge).code == "forbidden"
    assert ws.refuse("p1", "join_team", participant_id="p3", team_id=None).code == "forbidden"


def test_the_facilitator_puts_a_participant_in_a_team(ws):
    """TEAM5."""
    event = ws.accept(FACILITATOR_ID, "join_team", participant_id="p4", team_id=ws.bleu)
    assert event.data == {"participant_id": "p4", "team_id": ws.bleu}


@pytest.mark.parametrize("member", [FACILITATOR_ID, PROJECTOR_ID])
def test_only_participants_can_be_in_a_team(ws, member):
    """TEAM6: a member with another role is forbidden, and told why."""
    rejection = ws.refuse(FACILITATOR_ID, "join_team", participant_id=member, team_id=ws.rouge)
    assert rejection.code == "forbidden"
    assert "Only participants join teams" in rejection.message


def test_putting_an_unknown_id_in_a_team_is_not_found(ws):
    """TEAM6."""
    assert ws.refuse(FACILITATOR_ID, "join_team", participant_id="ghost", team_id=ws.rouge).code == "not_found"


def test_the_facilitator_cannot_join_a_team_themself(ws):
    """TEAM6."""
    rejection = ws.refuse(FACILITATOR_ID, "join_team", team_id=ws.rouge)
    assert rejection.code == "forbidden"
    assert "Only participants join teams" in rejection.message


def test_joining_an_unknown_team_is_not_found(ws):
    """TEAM7."""
    assert ws.refuse("p1", "join_team", team_id="t999").code == "not_found"


def test_participants_choose_their_team_unless_the_facilitator_forms_them(ws):
    """TEAM8: team_choice is on by default; configure changes only what it names."""
    assert ws.board.to_dict()["options"]["team_choice"] is True
    event = ws.accept(FACILITATOR_ID, "configure", team_choice=False, private_cards=False)
    assert (event.type, event.data) == ("options_configured", {"team_choice": False})
    assert ws.board.to_dict()["options"] == {"team_choice": False, "private_cards": False}
    assert ws.accept(FACILITATOR_ID, "configure", private_cards=True).data == {"private_cards": True}
    assert ws.board.to_dict()["options"] == {"team_choice": False, "private_cards": True}


@pytest.mark.parametrize("payload", [{}, {"team_choice": True}, {"private_cards": False},
                                     {"team_choice": True, "private_cards": None}])
def test_a_configure_that_changes_nothing_is_a_bad_request(ws, payload):
    """TEAM8."""
    assert ws.refuse(FACILITATOR_ID, "configure", **payload).code == "bad_request"


@pytest.mark.parametrize("sequence", [DISCOVERY, PLACEMENT, COMPLETING])
def test_a_participant_cannot_choose_a_team_when_the_facilitator_forms_them(ws, sequence):
    """TEAM9: neither join, change nor leave."""
    ws.accept(FACILITATOR_ID, "configure", team_choice=False)
    ws.go_to(sequence)
    for member, team in (("p4", ws.rouge), ("p1", ws.bleu), ("p1", None)):
        rejection = ws.refuse(member, "join_team", team_id=team)
        assert rejection.code == "forbidden" and "facilitator" in rejection.message
    ws.accept(FACILITATOR_ID, "configure", team_choice=True)
    ws.accept("p4", "join_team", team_id=ws.rouge)


def test_the_facilitator_still_forms_teams_when_participants_do_not_choose(ws):
    """TEAM9."""
    ws.accept(FACILITATOR_ID, "configure", team_choice=False)
    ws.accept(FACILITATOR_ID, "join_team", participant_id="p4", team_id=ws.bleu)
    ws.accept(FACILITATOR_ID, "join_team", participant_id="p1", team_id=None)
    assert (ws.member("p4")["team"], ws.member("p1")["team"]) == (ws.bleu, None)


def test_split_teams_deals_the_present_participants_round_k_teams():
    """TEAM10: seven people into three new teams, in name order: 3, 2 and 2."""
    w = Workshop()
    names = {"a": "Zoé", "b": "Yann", "c": "Xavier", "d": "Basile", "e": "Aline", "f": "Céline", "g": "Denis",
             "absent": "Anna"}
    for pid, name in names.items():
        w.join(pid, name=name)
    present = ["a", "b", "c", "d", "e", "f", "g"]
    event = w.accept(FACILITATOR_ID, "split_teams", count=3, participant_ids=present)
    assert event.type == "teams_split"
    teams = event.data["teams"]
    assert [t["id"] for t in teams] == [f"t{event.version}-1", f"t{event.version}-2", f"t{event.version}-3"]
    assert [t["name"] for t in teams] == ["Équipe 1", "Équipe 2", "Équipe 3"]
    assert len({t["colour"] for t in teams}) == 3 and all(t["domain"] is None for t in teams)
    in_name_order = sorted(present, key=lambda pid: names[pid])  # Aline, Basile, Céline, Denis, Xavier...
    assert event.data["assignments"] == {pid: teams[i % 3]["id"] for i, pid in enumerate(in_name_order)}
    assert w.board.to_dict()["teams"] == teams
    sizes = sorted(sum(1 for pid in present if w.member(pid)["team"] == t["id"]) for t in teams)
    assert sizes == [2, 2, 3]
    assert w.member("absent")["team"] is None  # not listed, not moved


def test_split_teams_fills_the_existing_teams_first_and_names_new_ones_freely(ws):
    """TEAM10: the board's first `count` teams, then "Équipe <n>" with a number no team has."""
    ws.team("Équipe 1", "#123456")
    event = ws.accept(FACILITATOR_ID, "split_teams", count=4, participant_ids=["p1", "p2", "p3", "p4"],
                      everyone=True)
    new = event.data["teams"]
    assert [t["name"] for t in new] == ["Équipe 2"]
    order = [ws.rouge, ws.bleu, ws.board.to_dict()["teams"][2]["id"], new[0]["id"]]
    assert event.data["assignments"] == dict(zip(["p1", "p2", "p3", "p4"], order))
    assert len(ws.board.to_dict()["teams"]) == 4


def test_split_teams_into_fewer_teams_uses_the_first_ones_and_moves_people_out_of_others(ws):
    """TEAM10: one team at a time; p3 leaves Bleu for Rouge."""
    event = ws.accept(FACILITATOR_ID, "split_teams", count=1, participant_ids=["p3", "p4"], everyone=True)
    assert event.data == {"teams": [], "assignments": {"p3": ws.rouge, "p4": ws.rouge}}
    assert {ws.member(pid)["team"] for pid in ("p1", "p2", "p3", "p4")} == {ws.rouge}
    assert len(ws.board.to_dict()["teams"]) == 2


@pytest.mark.parametrize("ids, code", [([], "bad_request"), (["p1", "ghost"], "not_found"),
                                       (["p1", FACILITATOR_ID], "not_found"), ([PROJECTOR_ID], "not_found")])
def test_split_teams_needs_participants_of_the_board(ws, ids, code):
    """TEAM11."""
    assert ws.refuse(FACILITATOR_ID, "split_teams", count=2, participant_ids=ids).code == code


def test_split_teams_replays_to_the_same_teams(ws):
    """TEAM10, REPLAY5: the event carries the ids and colours the board chose."""
    ws.accept(FACILITATOR_ID, "split_teams", count=5, participant_ids=["p1", "p2", "p3", "p4"], everyone=True)
    assert replay(ws.events).to_dict() == ws.board.to_dict()


# ---------------------------------------------------------------- 8. Cards (CARD)

@pytest.fixture
def placing(ws):
    """The workshop in the placement sequence."""
    ws.go_to(PLACEMENT)
    return ws


@pytest.fixture
def writing(ws):
    """The workshop in the completing sequence, where participants write cards."""
    ws.go_to(COMPLETING)
    return ws


def test_moving_an_unknown_card_or_into_an_unknown_zone_is_not_found(placing):
    """CARD1."""
    assert placing.refuse("p1", "move_card", card_id="d99", zone_id=CELL, x=0, y=0).code == "not_found"
    assert placing.refuse("p1", "move_card", card_id="d01", zone_id="nowhere/techniques", x=0, y=0).code \
        == "not_found"


def test_a_moved_card_lands_at_its_position_on_top_of_the_zone(placing):
    """CARD2."""
    first = placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.25, y=0.75)
    assert first.type == "card_moved"
    assert first.data == {"card_id": "d01", "zone_id": CELL, "x": 0.25, "y": 0.75, "z": 1, "team": placing.rouge,
                          "colour": "#aa0000", "placed_by": "p1"}
    second = placing.accept("p3", "move_card", card_id="d02", zone_id=CELL, x=0.5, y=0.5)
    assert second.data["z"] == 2
    card = placing.card("d01")
    assert (card["zone"], card["x"], card["y"], card["z"]) == (CELL, 0.25, 0.75, 1)


def test_a_card_moved_within_its_zone_comes_to_the_top(placing):
    """CARD2."""
    for card in ("d01", "d02", "d03"):
        placing.accept("p1", "move_card", card_id=card, zone_id=CELL, x=0.5, y=0.5)
    assert placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.1, y=0.1).data["z"] == 4
    assert sorted(c["z"] for c in placing.cards_in(CELL)) == [2, 3, 4]


def test_a_card_already_on_top_keeps_its_z(placing):
    """CARD2."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    placing.accept("p1", "move_card", card_id="d02", zone_id=CELL, x=0.5, y=0.5)
    assert placing.accept("p1", "move_card", card_id="d02", zone_id=CELL, x=0.9, y=0.9).data["z"] == 2
    top_of_deck = max(placing.cards_in(DECK), key=lambda c: c["z"])
    event = placing.accept(FACILITATOR_ID, "move_card", card_id=top_of_deck["id"], zone_id=DECK, x=0.3, y=0.3)
    assert event.data["z"] == top_of_deck["z"]


def test_a_card_from_the_deck_goes_back_on_top_of_the_deck(placing):
    """CARD2, CARD3."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    top = max(c["z"] for c in placing.cards_in(DECK))
    assert placing.accept("p1", "move_card", card_id="d01", zone_id=DECK, x=0, y=0).data["z"] == top + 1
    assert placing.card("d01")["zone"] == DECK


@pytest.mark.parametrize("kind", ["new", "postit"])
def test_a_written_card_cannot_go_to_the_deck(writing, kind):
    """CARD3."""
    card = writing.accept("p1", "create_card", kind=kind, text="Idée", zone_id=PARKING, x=0, y=0).data["id"]
    assert writing.refuse("p1", "move_card", card_id=card, zone_id=DECK, x=0, y=0).code == "forbidden"
    assert writing.refuse(FACILITATOR_ID, "move_card", card_id=card, zone_id=DECK, x=0, y=0).code == "forbidden"


def test_a_deck_card_taken_from_the_deck_belongs_to_the_movers_team_and_takes_its_colour(placing):
    """CARD4."""
    event = placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert (event.data["team"], event.data["colour"]) == (placing.rouge, "#aa0000")
    assert (placing.card("d01")["team"], placing.card("d01")["colour"]) == (placing.rouge, "#aa0000")
    placing.accept("p3", "move_card", card_id="d02", zone_id=PARKING, x=0.5, y=0.5)
    assert (placing.card("d02")["team"], placing.card("d02")["colour"]) == (placing.bleu, "#0000aa")


@pytest.mark.parametrize("mover", ["p1", "p2", FACILITATOR_ID])
@pytest.mark.parametrize("target", [CELL, OTHER_CELL, PARKING])
def test_a_placed_deck_card_keeps_its_team_and_colour_whoever_moves_it(placing, mover, target):
    """CARD14: within a zone, between cells, to a free area; by the placer, a team mate, the facilitator."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    event = placing.accept(mover, "move_card", card_id="d01", zone_id=target, x=0.1, y=0.9)
    assert (event.data["team"], event.data["colour"]) == (placing.rouge, "#aa0000")
    assert (placing.card("d01")["team"], placing.card("d01")["colour"]) == (placing.rouge, "#aa0000")


def test_a_deck_card_back_in_the_deck_belongs_to_no_team(placing):
    """CARD4."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    event = placing.accept("p1", "move_card", card_id="d01", zone_id=DECK, x=0.5, y=0.5)
    assert (event.data["team"], event.data["colour"]) == (None, None)
    assert (placing.card("d01")["team"], placing.card("d01")["colour"]) == (None, None)


@pytest.mark.parametrize("mover", ["p4", FACILITATOR_ID])
def test_a_deck_card_taken_by_someone_with_no_team_belongs_to_no_team(placing, mover):
    """CARD4, CARD14: and a team moving it later does not claim it."""
    event = placing.accept(mover, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert (event.data["team"], event.data["colour"]) == (None, None)
    assert (placing.card("d01")["team"], placing.card("d01")["colour"]) == (None, None)
    placing.accept("p1", "move_card", card_id="d01", zone_id=OTHER_CELL, x=0.5, y=0.5)
    assert (placing.card("d01")["team"], placing.card("d01")["colour"]) == (None, None)


def test_a_deck_card_put_back_and_taken_again_belongs_to_the_new_movers_team(placing):
    """CARD4: back in the deck it is no one's, so the next team to take it claims it."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    placing.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=DECK, x=0.5, y=0.5)
    event = placing.accept("p3", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert (event.data["team"], event.data["colour"]) == (placing.bleu, "#0000aa")


def test_moving_a_written_card_keeps_its_author_team_and_colour(writing):
    """CARD5."""
    card = writing.accept("p1", "create_card", kind="new", text="Idée", zone_id=PARKING, x=0, y=0).data["id"]
    before = writing.card(card)
    event = writing.accept("p2", "move_card", card_id=card, zone_id=CELL, x=0.4, y=0.6)
    assert (event.data["team"], event.data["colour"]) == (writing.rouge, "#aa0000")
    after = writing.card(card)
    assert (after["author"], after["team"], after["colour"]) == ("p1", writing.rouge, "#aa0000")
    assert {k: v for k, v in after.items() if k not in ("zone", "x", "y", "z")} == \
        {k: v for k, v in before.items() if k not in ("zone", "x", "y", "z")}


def test_a_team_mate_moves_another_authors_card_of_the_team(writing):
    """CARD15: the card is the team's, not only its author's or its placer's."""
    writing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    writing.accept("p2", "move_card", card_id="d01", zone_id=OTHER_CELL, x=0.5, y=0.5)
    card = writing.accept("p1", "create_card", kind="postit", text="Note", zone_id=CELL, x=0, y=0).data["id"]
    writing.accept("p2", "move_card", card_id=card, zone_id=OTHER_CELL, x=0.5, y=0.5)
    assert writing.card(card)["zone"] == OTHER_CELL and writing.card("d01")["zone"] == OTHER_CELL


@pytest.mark.parametrize("mover", ["p3", "p4"])
@pytest.mark.parametrize("target", [OTHER_CELL, CELL, PARKING, DECK])
def test_a_team_cannot_move_another_teams_card_in_placement(placing, mover, target):
    """CARD15: Rouge's card stays where Rouge put it, for Bleu and for a participant with no team."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    rejection = placing.refuse(mover, "move_card", card_id="d01", zone_id=target, x=0.1, y=0.1)
    assert rejection.code == "forbidden"
    assert "Rouge" in rejection.message


def test_a_team_cannot_move_another_teams_written_card(writing):
    """CARD15: a new card written by a team is that team's too."""
    card = writing.accept("p3", "create_card", kind="new", text="Bleue", zone_id=CELL, x=0, y=0).data["id"]
    assert writing.refuse("p1", "move_card", card_id=card, zone_id=OTHER_CELL, x=0, y=0).code == "forbidden"
    writing.accept("p3", "move_card", card_id=card, zone_id=OTHER_CELL, x=0, y=0)


def test_a_team_sends_its_own_card_back_to_the_deck(placing):
    """CARD15: only that team (or the facilitator) puts it back."""
    placing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    placing.accept("p2", "move_card", card_id="d01", zone_id=DECK, x=0, y=0)
    assert placing.card("d01")["zone"] == DECK


@pytest.mark.parametrize("target", [OTHER_CELL, DECK])
def test_the_facilitator_can_move_any_teams_card(placing, target):
    """CARD15: in any sequence, and the card stays its team's (CARD14)."""
    placing.accept("p3", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    placing.go_to(DISCOVERY)
    placing.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=target, x=0.2, y=0.2)
    assert placing.card("d01")["zone"] == target


def test_a_card_of_no_team_can_be_moved_by_anyone_let_through(writing):
    """CARD15: a card the facilitator (who has no team) placed or wrote belongs to no team."""
    writing.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    card = writing.accept(FACILITATOR_ID, "create_card", kind="new", text="Commune", zone_id=CELL, x=0,
                          y=0).data["id"]
    for mover in ("p1", "p3", "p4"):
        writing.accept(mover, "move_card", card_id="d01", zone_id=OTHER_CELL, x=0.5, y=0.5)
        writing.accept(mover, "move_card", card_id=card, zone_id=PARKING, x=0.5, y=0.5)


def test_a_team_cannot_move_another_teams_card_in_any_sequence(writing):
    """CARD15: the ownership holds in the completing sequence too, not only in placement."""
    writing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    assert writing.refuse("p3", "move_card", card_id="d01", zone_id=CELL, x=0.9, y=0.9).code == "forbidden"


def test_a_written_card_is_created_with_its_author_and_team_on_top_of_the_zone(writing):
    """CARD7."""
    writing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    version = writing.board.version
    event = writing.accept("p1", "create_card", kind="new", text="  Curiosité  ", zone_id=CELL, x=0.2, y=0.3)
    assert (event.type, event.data) == ("card_created", {
        "id": f"c{version + 1}", "kind": "new", "text": "Curiosité", "description": "", "zone_id": CELL,
        "x": 0.2, "y": 0.3, "z": 2, "author": "p1", "team": writing.rouge, "colour": "#aa0000",
        "private": False})
    card = writing.card(event.data["id"])
    assert (card["kind"], card["zone"], card["z"], card["domain"]) == ("new", CELL, 2, None)


def test_a_written_card_keeps_its_description(writing):
    """CARD7."""
    event = writing.accept("p3", "create_card", kind="postit", text="Bienveillance", description=" Écouter. ",
                           zone_id=PARKING, x=0, y=0)
    assert writing.card(event.data["id"])["description"] == "Écouter."


def test_a_written_cards_colour_is_the_given_one_else_the_teams_else_none(writing):
    """CARD8."""
    given = writing.accept("p1", "create_card", kind="new", text="A", colour="#00FF00", zone_id=CELL, x=0, y=0)
    assert writing.card(given.data["id"])["colour"] == "#00ff00"
    team = writing.accept("p3", "create_card", kind="new", text="B", zone_id=CELL, x=0, y=0)
    assert writing.card(team.data["id"])["colour"] == "#0000aa"
    none = writing.accept("p4", "create_card", kind="new", text="C", zone_id=CELL, x=0, y=0)
    assert writing.card(none.data["id"])["colour"] is None and none.data["team"] is None


def test_a_card_cannot_be_written_into_the_deck_or_nowhere(writing):
    """CARD9."""
    assert writing.refuse("p1", "create_card", kind="new", text="A", zone_id=DECK, x=0, y=0).code == "forbidden"
    assert writing.refuse("p1", "create_card", kind="new", text="A", zone_id="nowhere", x=0, y=0).code \
        == "not_found"


def test_a_client_chooses_a_new_cards_id(writing):
    """CARD10."""
    event = writing.accept("p1", "create_card", kind="new", text="A", card_id="p1:card/1", zone_id=CELL, x=0, y=0)
    assert event.data["id"] == "p1:card/1" and writing.card("p1:card/1")["text"] == "A"


@pytest.mark.parametrize("taken", ["p1:card/1", "d01"])
def test_a_client_chosen_id_that_a_card_has_is_a_conflict(writing, taken):
    """CARD10: a written card's id or a deck card's id."""
    writing.accept("p1", "create_card", kind="new", text="A", card_id="p1:card/1", zone_id=CELL, x=0, y=0)
    assert writing.refuse("p3", "create_card", kind="new", text="B", card_id=taken, zone_id=CELL, x=0, y=0).code \
        == "conflict"


def test_the_id_of_a_deleted_card_can_be_chosen_again(writing):
    """CARD10: only the ids of cards on the board are taken."""
    writing.accept("p1", "create_card", kind="new", text="A", card_id="mine", zone_id=CELL, x=0, y=0)
    writing.accept("p1", "delete_card", card_id="mine")
    writing.accept("p1", "create_card", kind="new", text="B", card_id="mine", zone_id=CELL, x=0, y=0)
    assert writing.card("mine")["text"] == "B"


def test_the_board_picks_a_free_id_when_a_client_took_the_next_one(writing):
    """CARD10."""
    ahead = f"c{writing.board.version + 2}"
    writing.accept("p1", "create_card", kind="new", text="A", card_id=ahead, zone_id=CELL, x=0, y=0)
    event = writing.accept("p1", "create_card", kind="new", text="B", zone_id=CELL, x=0, y=0)
    assert f"c{event.version}" == ahead
    assert event.data["id"] == f"{ahead}-1"


def test_the_board_counts_up_until_an_id_is_free(writing):
    """CARD10."""
    ahead = f"c{writing.board.version + 3}"
    for card_id in (ahead, f"{ahead}-1"):
        writing.accept("p1", "create_card", kind="new", text=card_id, card_id=card_id, zone_id=CELL, x=0, y=0)
    assert writing.accept("p1", "create_card", kind="new", text="C", zone_id=CELL, x=0, y=0).data["id"] \
        == f"{ahead}-2"


def test_the_board_picks_c_and_the_version_when_free(writing):
    """CARD10."""
    event = writing.accept("p1", "create_card", kind="new", text="A", zone_id=CELL, x=0, y=0)
    assert event.data["id"] == f"c{event.version}"


def test_editing_changes_only_what_it_names(writing):
    """CARD11."""
    card = writing.accept("p1", "create_card", kind="new", text="A", description="Pourquoi",
                          zone_id=CELL, x=0, y=0).data["id"]
    routing = {"team": writing.rouge, "private": False}  # for each viewer's copy (PRIV3), not changes
    event = writing.accept("p1", "edit_card", card_id=card, text=" A bis ")
    assert (event.type, event.data) == ("card_edited", {"card_id": card, "text": "A bis", **routing})
    assert (writing.card(card)["text"], writing.card(card)["description"]) == ("A bis", "Pourquoi")
    event = writing.accept("p1", "edit_card", card_id=card, description="  ")
    assert event.data == {"card_id": card, "description": "", **routing}
    assert (writing.card(card)["text"], writing.card(card)["description"]) == ("A bis", "")
    event = writing.accept("p1", "edit_card", card_id=card, text="A ter", description="Enfin")
    assert event.data == {"card_id": card, "text": "A ter", "description": "Enfin", **routing}
    assert (writing.card(card)["team"], writing.card(card)["private"]) == (writing.rouge, False)


def test_an_edit_with_neither_text_nor_description_is_a_bad_request(writing):
    """CARD11: the command itself is empty, the board is not in the way."""
    card = writing.accept("p1", "create_card", kind="new", text="A", zone_id=CELL, x=0, y=0).data["id"]
    assert writing.refuse("p1", "edit_card", card_id=card).code == "bad_request"
    assert writing.refuse("p1", "edit_card", card_id=card, text=None, description=None).code == "bad_request"


@pytest.mark.parametrize("kind, payload", [("edit_card", {"text": "Pris"}), ("delete_card", {})])
def test_only_the_author_or_the_facilitator_may_edit_or_delete_a_card(writing, kind, payload):
    """CARD17: another team or no team is refused (a team mate may: tests/test_teams.py)."""
    card = writing.accept("p1", "create_card", kind="new", text="A", zone_id=CELL, x=0, y=0).data["id"]
    for other in ("p3", "p4"):
        assert writing.refuse(other, kind, card_id=card, **payload).code == "forbidden"
    writing.accept(FACILITATOR_ID, kind, card_id=card, **payload)


def test_the_author_edits_and_deletes_their_card(writing):
    """CARD17."""
    card = writing.accept("p2", "create_card", kind="postit", text="A", zone_id=CELL, x=0, y=0).data["id"]
    writing.accept("p2", "edit_card", card_id=card, text="B")
    writing.accept("p2", "delete_card", card_id=card)


def test_only_the_facilitator_edits_or_deletes_a_deck_card(writing):
    """CARD17."""
    writing.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)  # placed by Rouge
    assert writing.refuse("p1", "edit_card", card_id="d01", text="Autre").code == "forbidden"
    assert writing.refuse("p1", "delete_card", card_id="d01").code == "forbidden"
    writing.accept(FACILITATOR_ID, "edit_card", card_id="d01", text="Autre", description="Revue")
    assert (writing.card("d01")["text"], writing.card("d01")["description"]) == ("Autre", "Revue")
    writing.accept(FACILITATOR_ID, "delete_card", card_id="d02")
    assert writing.card("d02") is None


def test_deleting_removes_the_card(writing):
    """CARD13."""
    card = writing.accept("p1", "create_card", kind="new", text="A", zone_id=CELL, x=0, y=0).data["id"]
    count = len(writing.board.to_dict()["cards"])
    event = writing.accept("p1", "delete_card", card_id=card)
    assert (event.type, event.data) == ("card_deleted", {"card_id": card})
    assert writing.card(card) is None and len(writing.board.to_dict()["cards"]) == count - 1
    assert writing.refuse("p1", "delete_card", card_id=card).code == "not_found"


def test_editing_or_deleting_an_unknown_card_is_not_found(writing):
    """CARD13."""
    assert writing.refuse(FACILITATOR_ID, "edit_card", card_id="ghost", text="A").code == "not_found"
    assert writing.refuse(FACILITATOR_ID, "delete_card", card_id="ghost").code == "not_found"


# ---------------------------------------------------------------- 9. The projector's display (DISPLAY)

def test_a_new_board_shows_how_to_join_on_the_projector():
    """DISPLAY1."""
    assert Workshop().board.to_dict()["display"] == {"show_join": True, "focus": {"kind": "overview"}}


@pytest.mark.parametrize("sequence", [DISCOVERY, MUST_HAVES])
def test_the_facilitator_hides_and_shows_the_join_code(ws, sequence):
    """DISPLAY2."""
    ws.go_to(sequence)
    event = ws.accept(FACILITATOR_ID, "set_projector", show_join=False)
    assert (event.type, event.data) == ("projector_set", {"show_join": False})
    assert ws.board.to_dict()["display"]["show_join"] is False
    assert ws.accept(FACILITATOR_ID, "set_projector", show_join=True).data == {"show_join": True}
    assert ws.board.to_dict()["display"]["show_join"] is True


def test_asking_the_projector_for_what_it_shows_is_a_conflict(ws):
    """DISPLAY3."""
    assert ws.refuse(FACILITATOR_ID, "set_projector", show_join=True).code == "conflict"
    ws.accept(FACILITATOR_ID, "set_projector", show_join=False)
    assert ws.refuse(FACILITATOR_ID, "set_projector", show_join=False).code == "conflict"


# ---------------------------------------------------------------- 10. Events, versions and replay (REPLAY)

def workshop_story(ws):
    """Every kind of accepted change on one board (returns the workshop)."""
    ws.accept(FACILITATOR_ID, "import_deck", mode="add", cards=[{"line": 2, "text": "Souder"}])  # test_deck_rules.py
    ws.go_to(PLACEMENT)
    ws.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.1, y=0.2)
    ws.accept("p3", "move_card", card_id="d02", zone_id=OTHER_CELL, x=0.3, y=0.4)
    ws.go_to(COMPLETING)
    ws.accept("p4", "join_team", team_id=ws.bleu)
    card = ws.accept("p4", "create_card", kind="new", text="Sobriété", zone_id=CELL, x=0.5, y=0.5).data["id"]
    ws.accept("p1", "create_card", kind="postit", text="Note", card_id="n1", zone_id=PARKING, x=0, y=1)
    ws.accept("p4", "edit_card", card_id=card, description="Faire mieux avec moins")
    ws.accept("p1", "move_card", card_id="d01", zone_id=DECK, x=0, y=0)
    ws.accept("p1", "delete_card", card_id="n1")
    ws.accept(FACILITATOR_ID, "set_projector", show_join=False)
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.accept("p3", "create_card", kind="new", text="Secret", card_id="s1", zone_id=OTHER_CELL, x=0.2, y=0.2)
    ws.accept(FACILITATOR_ID, "reveal_cards")
    ws.join("p5", name="Aline")
    ws.accept(FACILITATOR_ID, "split_teams", count=3, participant_ids=["p4", "p5"])
    ws.accept(FACILITATOR_ID, "set_team", team_id=ws.rouge, name="Rouges", domain="socle")
    ws.accept(FACILITATOR_ID, "delete_team", team_id=ws.team("Vide"))
    ws.join("p6", name="Aline bis")
    ws.accept(FACILITATOR_ID, "remove_participant", participant_id="p6", merge_into="p5")
    for kind in ("close_door", "open_door", "lock_board", "unlock_board"):  # the room's powers (issue 11)
        ws.accept(FACILITATOR_ID, kind)
    ws.accept(FACILITATOR_ID, "follow", focus={"kind": "row", "id": "socle"})
    ws.accept(FACILITATOR_ID, "start_timer", seconds=600, freeze=True)  # tests/test_timer.py, test_done.py
    ws.accept(FACILITATOR_ID, "pause_timer")
    ws.accept(FACILITATOR_ID, "resume_timer")
    ws.accept(FACILITATOR_ID, "adjust_timer", minutes=1)
    ws.accept("p1", "set_done", done=True)
    ws.accept(FACILITATOR_ID, "stop_timer")
    ws.accept(FACILITATOR_ID, "set_anonymity", on=True, sequence=3)  # tests/test_anonymity.py
    ws.accept(FACILITATOR_ID, "set_anonymity", on=False)
    # The material for participants (tests/test_material.py).
    first = ws.accept(FACILITATOR_ID, "add_material", kind="text", title="Lire", body="Un texte.").data["item"]["id"]
    ws.accept(FACILITATOR_ID, "add_material", kind="quote", body="Une citation.", author="Quelqu’un")
    ws.accept(FACILITATOR_ID, "edit_material", material_id=first, title="À lire")
    ws.accept(FACILITATOR_ID, "move_material", material_id=first, position=1)
    ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[2, 3])
    ws.accept(FACILITATOR_ID, "remove_material", material_id=first)
    ws.accept(FACILITATOR_ID, "add_category", label="Savoirs")  # tests/test_panorama.py (issue 12)
    ws.accept(FACILITATOR_ID, "rename_domain", domain_id="management", label="Management")
    ws.accept(FACILITATOR_ID, "remove_category", category_id="savoirs")
    ws.accept(FACILITATOR_ID, "publish_synthesis", include_names=False)  # tests/test_synthesis.py
    ws.accept(FACILITATOR_ID, "unpublish_synthesis")
    ws.accept(FACILITATOR_ID, "describe_workshop", title="Atelier RH", date="2026-03-14")  # tests/test_details.py
    ws.accept(FACILITATOR_ID, "set_sequence", index=3)
    ws.accept(FACILITATOR_ID, "configure_vote", budget=3, per_card=1)
    ws.accept(FACILITATOR_ID, "open_vote")
    ws.accept("p1", "vote", card_id="d02", delta=1)
    ws.accept(FACILITATOR_ID, "vote", card_id="s1", delta=1, voter="p5")
    ws.accept(FACILITATOR_ID, "close_vote")
    ws.accept(FACILITATOR_ID, "reopen_vote")
    ws.accept(FACILITATOR_ID, "close_vote")
    ws.accept(FACILITATOR_ID, "reveal_results")
    ws.accept(FACILITATOR_ID, "forget_participant", participant_id="p5", texts="keep")
    return ws


def test_each_accepted_command_gives_one_event_one_version_higher(ws):
    """REPLAY1."""
    versions = [e.version for e in workshop_story(ws).events]
    assert versions == list(range(1, len(versions) + 1))
    assert ws.board.version == ws.board.to_dict()["version"] == versions[-1]


def test_a_refused_command_leaves_the_board_as_it_was(ws):
    """REPLAY2: a handful of refusals, each for a different reason, and no event."""
    ws.go_to(PLACEMENT)
    before, count = copy.deepcopy(ws.board.to_dict()), len(ws.events)
    outcomes = [
        ws.send("p1", "create_card", kind="new", text="A", zone_id=CELL, x=0, y=0),
        ws.send("p1", "move_card", card_id="d01", zone_id="nowhere", x=0, y=0),
        ws.send("p1", "move_card", card_id="d01", zone_id=CELL, x=2, y=0),
        ws.send("p1", "edit_card", card_id="d01", text="x" * 300),
        ws.send("stranger", "delete_card", card_id="d01"),
        ws.send(PROJECTOR_ID, "set_sequence", index=2),
    ]
    assert [o.code for o in outcomes] == ["sequence_closed", "not_found", "bad_request", "too_large",
                                          "unauthorized", "forbidden"]
    assert ws.board.to_dict() == before and len(ws.events) == count


def test_deciding_changes_nothing_and_gives_the_same_answer_twice(ws):
    """REPLAY3."""
    ws.go_to(PLACEMENT)
    before = copy.deepcopy(ws.board.to_dict())
    command = parse_command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})
    first, second = decide(ws.board, "p1", command, NOW), decide(ws.board, "p1", command, NOW)
    assert isinstance(first, Event) and first == second
    refused = parse_command("set_sequence", {"index": 1})
    assert decide(ws.board, FACILITATOR_ID, refused, NOW) == decide(ws.board, FACILITATOR_ID, refused, NOW)
    assert ws.board.to_dict() == before


def test_an_event_carries_the_actor_time_and_command_id_it_was_given(ws):
    """REPLAY4."""
    ws.go_to(PLACEMENT)
    command = parse_command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})
    event = decide(ws.board, "p1", command, 1234.5, command_id="p1-0007")
    assert (event.actor, event.at, event.command_id) == ("p1", 1234.5, "p1-0007")
    assert event.to_dict() == {"version": ws.board.version + 1, "type": "card_moved", "data": event.data,
                               "actor": "p1", "at": 1234.5, "command_id": "p1-0007"}
    assert decide(ws.board, "p1", command, NOW).command_id is None


def test_replaying_the_events_rebuilds_the_live_board(ws):
    """REPLAY5."""
    live = workshop_story(ws).board.to_dict()
    assert replay(ws.events).to_dict() == live
    assert replay(ws.events[:3]).to_dict() != live


def test_replaying_events_that_went_through_json_rebuilds_the_live_board(ws):
    """REPLAY5: the store keeps event data as JSON."""
    live = workshop_story(ws).board.to_dict()
    stored = [Event(**json.loads(json.dumps(e.to_dict(), ensure_ascii=False))) for e in ws.events]
    assert replay(stored).to_dict() == live


def test_a_board_rebuilt_from_its_snapshot_has_the_same_snapshot(ws):
    """REPLAY6."""
    live = workshop_story(ws).board.to_dict()
    rebuilt = board_from_snapshot(copy.deepcopy(live))
    assert rebuilt.to_dict() == live
    assert rebuilt.current_sequence.id == MUST_HAVES


def test_a_snapshot_rebuilds_whatever_vote_and_card_details_it_holds(ws):
    """REPLAY6: fields no command sets yet (vote, ratings, parent) still come back as they were."""
    snapshot = copy.deepcopy(workshop_story(ws).board.to_dict())
    snapshot["vote"] = {"status": "closed", "mode": "team", "budget": 3, "per_card": 1, "facilitator_votes": True,
                        "anonymous": True, "revealed": True, "dots": {ws.rouge: {"d02": 1}, ws.bleu: {"d02": 1}},
                        "proxy": {ws.bleu: {"d02": 1}},
                        "results": {"totals": {"d02": 2}, "overall": [{"card_id": "d02", "dots": 2, "rank": 1}],
                                    "by_row": {}}}
    snapshot["options"] = {"team_choice": False, "private_cards": True}
    snapshot["cards"][3]["private"] = True
    snapshot["cards"][1]["ratings"] = {"link": {ws.rouge: 3}, "criticality": {ws.bleu: 1}}  # RATE1
    snapshot["cards"][1]["kept"] = True
    snapshot["cards"][2]["parent"] = snapshot["cards"][1]["id"]
    snapshot["display"] = {"show_join": True}
    assert board_from_snapshot(copy.deepcopy(snapshot)).to_dict() == snapshot


def test_a_board_rebuilt_from_its_snapshot_decides_like_the_live_one(ws):
    """REPLAY6: not only the same data, the same answers."""
    workshop_story(ws)
    ws.go_to(COMPLETING)
    rebuilt = board_from_snapshot(copy.deepcopy(ws.board.to_dict()))
    written = next(c["id"] for c in ws.board.to_dict()["cards"] if c["kind"] == "new")
    for actor, kind, payload in [("p1", "move_card", {"card_id": "d03", "zone_id": CELL, "x": 0, "y": 0}),
                                 ("p1", "move_card", {"card_id": written, "zone_id": DECK, "x": 0, "y": 0}),
                                 ("p1", "edit_card", {"card_id": written, "text": "Pas à moi"}),
                                 ("p2", "create_card", {"kind": "new", "text": "Z", "zone_id": CELL, "x": 0,
                                                        "y": 0})]:
        command = parse_command(kind, payload)
        assert decide(rebuilt, actor, command, NOW) == decide(ws.board, actor, command, NOW)


def test_a_snapshot_holds_the_whole_board_and_the_format_without_its_deck(ws):
    """REPLAY7."""
    snapshot = ws.board.to_dict()
    assert set(snapshot) == {"id", "version", "format", "zones", "cards", "teams", "participants", "sequence",
                             "vote", "display", "options", "cards_revealed", "room", "timer", "done", "anonymous",
                             "material", "publication", "details", "speakers"}
    document = packaged_document()
    assert "deck" not in snapshot["format"]
    assert snapshot["format"] == {k: v for k, v in document.items() if k != "deck"}
    assert {c["id"] for c in snapshot["cards"] if c["kind"] == "deck"} == {c["id"] for c in document["deck"]}
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_every_event_type_decide_gives_is_known(ws):
    """REPLAY8: the story produces each type once at least."""
    types = {e.type for e in workshop_story(ws).events}
    # A restore happens only right after board_created (DOC2): on a board of its own, from its template.
    from board.domain.documents import check_document, template_document
    fresh = Workshop()
    types.add(fresh.send(SYSTEM, "restore_board", content=check_document(template_document(fresh.board)).content).type)
    # Ratings need a format with axes (RATE1); keeping a card works on any board (RATE7).
    rated = Workshop({**minimal_document(), "axes": [
        {"id": axis, "label": {"fr": axis, "en": axis}, "min": 1, "max": 4} for axis in ("capacite", "criticite")]})
    types.add(rated.send(FACILITATOR_ID, "rate_card", card_id="k1", axis="criticite", value=2).type)
    types.add(rated.send(FACILITATOR_ID, "keep_card", card_id="k1", kept=True).type)
    types.add(rated.send(FACILITATOR_ID, "link_card", card_id="k1", target_id="k2", on=True).type)  # LINK2
    from test_canvas import family_story  # families need a canvas area, which this format has not
    types |= {e.type for e in family_story().events}
    types |= exchange_story_types()  # marks and speakers: formats that have them (tests/test_marks.py)
    from test_evaluation import evaluation_story_types  # a format with an evaluation (EVAL)
    types |= evaluation_story_types()
    assert types <= set(EVENT_TYPES)
    assert types == set(EVENT_TYPES)


# ---------------------------------------------------------------- 11. Board independence (INDEP)

def two_boards():
    """Two boards made from one and the same format document."""
    document = packaged_document()
    first, second = Workshop(document, board_id="b1"), Workshop(document, board_id="b2")
    for w in (first, second):
        w.join("p1")
        w.go_to(COMPLETING)
    return document, first, second


def test_changing_one_board_leaves_another_from_the_same_format_as_it_was():
    """INDEP1."""
    _, first, second = two_boards()
    before = copy.deepcopy(second.board.to_dict())
    first.team("Rouge")
    first.accept("p1", "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    first.accept(FACILITATOR_ID, "edit_card", card_id="d02", text="Changée")
    first.accept(FACILITATOR_ID, "delete_card", card_id="d03")
    first.accept("p1", "create_card", kind="new", text="Neuve", zone_id=CELL, x=0, y=0)
    first.accept(FACILITATOR_ID, "set_sequence", index=0)
    assert second.board.to_dict() == before
    assert second.card("d02")["text"] != "Changée"


def test_a_member_of_one_board_is_a_stranger_on_another():
    """INDEP2."""
    _, first, second = two_boards()
    first.join("p7")
    assert second.refuse("p7", "move_card", card_id="d01", zone_id=CELL, x=0, y=0).code == "unauthorized"


def test_board_chosen_ids_depend_only_on_the_boards_own_history():
    """INDEP3."""
    _, first, second = two_boards()
    first.join("p8")  # a longer history on the first board
    assert second.team("Rouge") == f"t{second.board.version}"
    assert first.team("Rouge") == f"t{first.board.version}"
    third = Workshop(board_id="b3")
    third.join("p1")
    third.go_to(COMPLETING)
    assert third.team("Rouge") == second.board.to_dict()["teams"][0]["id"]


def test_changing_a_snapshot_leaves_the_board_as_it_was(ws):
    """INDEP5: nested parts of the snapshot's format are copies, not the live format."""
    before = copy.deepcopy(ws.board.to_dict())
    snapshot = ws.board.to_dict()
    snapshot["format"]["name"]["fr"] = "Changé"
    snapshot["format"]["panorama"]["rows"].clear()
    snapshot["format"]["sequences"][0]["allows"].append("move_card")
    assert ws.board.to_dict() == before
    assert ws.board.format.document["panorama"]["rows"]


def test_the_board_created_event_holds_its_own_copy_of_the_format():
    """INDEP5: the event, the command's document and the board change independently."""
    document = minimal_document()
    event = decide(None, SYSTEM, create_board_command(document), NOW)
    document["name"]["fr"] = "Changé"
    assert event.data["format"] == minimal_document()
    board = evolve(None, event)
    event.data["format"]["panorama"]["rows"].clear()
    assert board.to_dict()["format"]["panorama"] == minimal_document()["panorama"]


def test_boards_leave_their_format_document_as_it_was():
    """INDEP4."""
    document, first, second = two_boards()
    pristine = packaged_document()
    assert document == pristine
    first.accept(FACILITATOR_ID, "edit_card", card_id="d01", text="Changée", description="Aussi")
    first.accept("p1", "move_card", card_id="d02", zone_id=CELL, x=0.5, y=0.5)
    second.accept(FACILITATOR_ID, "delete_card", card_id="d03")
    assert document == pristine


# ---------------------------------------------------------------- 12. Private cards (PRIV)

VIEWERS = ("p1", "p2", "p3", "p4", PROJECTOR_ID, FACILITATOR_ID)
SECRET_TEXT, SECRET_DESCRIPTION, SECRET_EDIT = "Texte secret de Rouge", "Description secrète", "Secret retouché"


@pytest.fixture
def private(ws):
    """Completing in private mode, every member watched: p1 (Rouge) wrote a card, then rewrote it."""
    ws.watch(*VIEWERS)
    ws.go_to(COMPLETING)
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.secret = ws.accept("p1", "create_card", kind="new", text=SECRET_TEXT, description=SECRET_DESCRIPTION,
                          zone_id=CELL, x=0.3, y=0.4).data["id"]
    ws.accept("p1", "edit_card", card_id=ws.secret, text=SECRET_EDIT)
    return ws


def test_in_private_mode_a_teams_new_card_is_private(private):
    """PRIV1."""
    card = private.card(private.secret)
    assert (card["private"], card["team"], card["author"]) == (True, private.rouge, "p1")
    assert private.events[-2].data["private"] is True


@pytest.mark.parametrize("author", ["p4", FACILITATOR_ID])
def test_a_card_written_without_a_team_is_never_private(private, author):
    """PRIV1: no team to keep it within."""
    event = private.accept(author, "create_card", kind="new", text="Pour tous", zone_id=CELL, x=0, y=0)
    assert event.data["private"] is False
    assert all("Pour tous" in private.everything(viewer) for viewer in VIEWERS)


def test_without_private_mode_written_cards_show_to_everyone(ws):
    """PRIV1: private mode is off by default."""
    ws.watch(*VIEWERS)
    ws.go_to(COMPLETING)
    event = ws.accept("p1", "create_card", kind="new", text="Visible", zone_id=CELL, x=0, y=0)
    assert event.data["private"] is False
    assert all("Visible" in ws.everything(viewer) for viewer in VIEWERS)


def test_turning_private_mode_off_keeps_hidden_cards_hidden(private):
    """PRIV1: only reveal_cards turns them over; new cards are public again."""
    private.accept(FACILITATOR_ID, "configure", private_cards=False)
    assert private.card(private.secret)["private"] is True
    assert SECRET_EDIT not in json.dumps(private.sees("p3"), ensure_ascii=False)
    assert private.accept("p3", "create_card", kind="new", text="Publique", zone_id=CELL, x=0,
                          y=0).data["private"] is False


@pytest.mark.parametrize("viewer", ["p3", "p4", PROJECTOR_ID])
def test_a_private_card_is_face_down_in_the_snapshot_of_another_team_and_the_projector(private, viewer):
    """PRIV2: the same place, team and colour; no text, description or author."""
    card = next(c for c in private.sees(viewer)["cards"] if c["id"] == private.secret)
    whole = private.card(private.secret)
    assert card == {**whole, "text": "", "description": "", "author": None, "hidden": True}
    text = json.dumps(private.sees(viewer), ensure_ascii=False)
    for secret in (SECRET_TEXT, SECRET_DESCRIPTION, SECRET_EDIT):
        assert secret not in text


@pytest.mark.parametrize("viewer", ["p3", "p4", PROJECTOR_ID])
def test_a_private_card_is_face_down_in_the_events_of_another_team_and_the_projector(private, viewer):
    """PRIV3: created and edited face down, with no actor and no command id (both name the author)."""
    created, edited = private.inbox[viewer][-2:]
    assert (created["type"], edited["type"]) == ("card_created", "card_edited")
    for event in (created, edited):
        assert event["data"]["hidden"] is True and event["data"]["text"] == ""
        assert (event["actor"], event["command_id"]) == (None, None)
        assert event["version"] == private.board.version - (event is created)
    assert (created["data"]["author"], created["data"]["description"]) == (None, "")
    everything = private.everything(viewer)
    for secret in (SECRET_TEXT, SECRET_DESCRIPTION, SECRET_EDIT, '"p1.'):  # p1's command ids start so
        assert secret not in everything


@pytest.mark.parametrize("viewer", ["p1", "p2", FACILITATOR_ID])
def test_a_private_card_shows_to_its_team_and_the_facilitator(private, viewer):
    """PRIV2, PRIV3."""
    card = next(c for c in private.sees(viewer)["cards"] if c["id"] == private.secret)
    assert card == private.card(private.secret) and "hidden" not in card
    created, edited = private.inbox[viewer][-2:]
    assert created == private.events[-2].to_dict() and edited == private.events[-1].to_dict()
    assert created["actor"] == "p1" and created["data"]["text"] == SECRET_TEXT


def test_a_private_card_hides_from_a_member_who_leaves_its_team(private):
    """PRIV2: visibility follows the viewer's team now."""
    assert SECRET_EDIT in json.dumps(private.sees("p2"), ensure_ascii=False)
    private.put_in_team("p2", private.bleu)
    assert SECRET_EDIT not in json.dumps([private.sees("p2"), private.catch_up("p2")], ensure_ascii=False)
    private.put_in_team("p4", private.rouge)
    assert SECRET_EDIT in json.dumps(private.sees("p4"), ensure_ascii=False)


def test_reveal_cards_shows_private_cards_to_everyone(private):
    """PRIV4: turned over in snapshots, in the reveal event, and in later events."""
    bleu = private.accept("p3", "create_card", kind="new", text="Secret de Bleu", zone_id=CELL, x=0,
                          y=0).data["id"]
    event = private.accept(FACILITATOR_ID, "reveal_cards")
    assert event.type == "cards_revealed"
    assert {c["id"]: c["text"] for c in event.data["cards"]} == {private.secret: SECRET_EDIT, bleu: "Secret de Bleu"}
    assert not any(c["private"] for c in private.board.to_dict()["cards"])
    later = private.accept("p1", "edit_card", card_id=private.secret, text="Retouche publique")
    assert later.data["private"] is False
    for viewer in VIEWERS:
        assert private.inbox[viewer][-2] == event.to_dict()
        assert private.inbox[viewer][-1] == later.to_dict()
        card = next(c for c in private.sees(viewer)["cards"] if c["id"] == private.secret)
        assert card == private.card(private.secret) and card["text"] == "Retouche publique"


def test_reveal_cards_with_nothing_hidden_is_a_conflict(private):
    """PRIV4."""
    private.accept(FACILITATOR_ID, "reveal_cards")
    assert private.refuse(FACILITATOR_ID, "reveal_cards").code == "conflict"
    assert Workshop().refuse(FACILITATOR_ID, "reveal_cards").code == "conflict"


def test_private_mode_after_a_reveal_hides_the_next_cards_again(private):
    """PRIV1, PRIV4: a reveal turns over what is there, not the mode."""
    private.accept(FACILITATOR_ID, "reveal_cards")
    private.accept("p3", "create_card", kind="new", text="Plus tard", zone_id=CELL, x=0, y=0)
    assert "Plus tard" not in private.everything("p1")
    assert SECRET_EDIT in private.everything("p3")


def test_events_that_tell_nothing_hidden_reach_everyone_as_they_are(ws):
    """PRIV5: every other event type, for every viewer, from the whole story."""
    workshop_story(ws)
    viewers = [viewer_of(ws.board, member) for member in ("p1", "p3", "p4", "p5", PROJECTOR_ID, FACILITATOR_ID)]
    # anonymity_set brings each participant the names they may read (ANON4): tests/test_anonymity.py
    # board_restored reaches no member: a catch-up across it is a snapshot (DOC2, tests/test_documents.py)
    personal = SENSITIVE_EVENTS | {"anonymity_set", "board_restored"}
    # the material reaches participants as the list they may see, also with a sequence change (MAT6):
    # tests/test_material.py
    personal |= set(material.EVENTS) | {"sequence_changed"}
    personal |= {"card_rated", "card_kept"}  # ratings need a format with axes: tests/test_ratings.py
    personal |= {"zone_created", "zone_renamed", "zone_deleted", "zone_moved"}  # need a canvas: tests/test_canvas.py (PRIV5)
    personal |= {"card_marked", "speaker_added"}  # not in the flagship's story: tests/test_marks.py
    personal |= {"card_linked"}  # not in the flagship's story: tests/test_links.py
    personal |= {"evaluation_answered", "evaluation_opened", "evaluation_closed"}  # tests/test_evaluation.py
    plain = [e.to_dict() for e in ws.events if e.type not in personal]
    assert {e["type"] for e in plain} == set(EVENT_TYPES) - personal
    for event in plain:
        for viewer in viewers:
            assert event_for(ws.board, event, viewer) == event


# ---------------------------------------------------------------- 13. The vote on the must-haves (VOTE)

CAPACITES = "maintenance/capacites"  # the maintenance row's other cell


def start_vote(ws, **settings):
    """Place d01-d05 (as the facilitator: no team), set the vote and open it, in the must-haves.

    d01 and d03, d04 are in the maintenance row, d02 in the socle row, d05 in the parking.
    """
    for card, zone in (("d01", CELL), ("d02", OTHER_CELL), ("d03", CAPACITES), ("d04", CAPACITES),
                       ("d05", PARKING)):
        ws.accept(FACILITATOR_ID, "move_card", card_id=card, zone_id=zone, x=0.5, y=0.5)
    ws.go_to(MUST_HAVES)
    changes = {k: v for k, v in settings.items() if getattr(ws.board.vote, k) != v}
    if changes:
        ws.accept(FACILITATOR_ID, "configure_vote", **changes)
    ws.accept(FACILITATOR_ID, "open_vote")
    return ws


@pytest.fixture
def voting(ws):
    """An open vote per participant with the format's defaults: 5 dots, at most 2 on one card."""
    return start_vote(ws)


@pytest.fixture
def team_voting(ws):
    """An open vote per team: Rouge (p1, p2) and Bleu (p3) vote; p4 has no team."""
    return start_vote(ws, mode="team")


def dots(ws, voter):
    """A voter's dots, card id -> count."""
    return ws.board.to_dict()["vote"]["dots"].get(voter, {})


def put(ws, actor, card_id, times=1, **extra):
    """Put `times` dots, each of which must be accepted."""
    for _ in range(times):
        ws.accept(actor, "vote", card_id=card_id, delta=1, **extra)


def test_the_vote_defaults_come_from_the_format():
    """VOTE1, ATC5: 5 dots, at most 2 on a card, from the packaged format; a format may set others."""
    vote = Workshop().board.to_dict()["vote"]
    assert {k: vote[k] for k in ("status", "mode", "budget", "per_card", "facilitator_votes", "anonymous",
                                 "revealed", "dots", "proxy", "results")} == {
        "status": "idle", "mode": "participant", "budget": 5, "per_card": 2, "facilitator_votes": False,
        "anonymous": False, "revealed": False, "dots": {}, "proxy": {}, "results": None}
    document = minimal_document()
    document["vote"] = {"budget": 3, "per_card": 1}
    assert (Workshop(document).board.vote.budget, Workshop(document).board.vote.per_card) == (3, 1)
    document["vote"] = {"per_card": 4}
    assert (Workshop(document).board.vote.budget, Workshop(document).board.vote.per_card) == (5, 4)
    assert (Workshop(minimal_document()).board.vote.budget, Workshop(minimal_document()).board.vote.per_card) \
        == (5, 2)


def test_configure_vote_changes_only_the_settings_it_names(ws):
    """VOTE2."""
    event = ws.accept(FACILITATOR_ID, "configure_vote", mode="team", budget=5, per_card=3, anonymous=True)
    assert (event.type, event.data) == ("vote_configured", {"mode": "team", "per_card": 3, "anonymous": True})
    vote = ws.board.to_dict()["vote"]
    assert (vote["mode"], vote["budget"], vote["per_card"], vote["facilitator_votes"], vote["anonymous"]) == \
        ("team", 5, 3, False, True)
    assert ws.refuse(FACILITATOR_ID, "configure_vote").code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "configure_vote", mode="team", budget=5).code == "bad_request"


def test_open_and_close_the_vote(ws):
    """VOTE5: idle, open, closed, and never opened again by open_vote (reopen_vote does that, VOTE20)."""
    ws.go_to(MUST_HAVES)
    assert ws.refuse(FACILITATOR_ID, "close_vote").code == "conflict"
    assert (ws.accept(FACILITATOR_ID, "open_vote").type, ws.board.vote.status) == ("vote_opened", "open")
    assert ws.refuse(FACILITATOR_ID, "open_vote").code == "conflict"
    assert (ws.accept(FACILITATOR_ID, "close_vote").type, ws.board.vote.status) == ("vote_closed", "closed")
    assert ws.refuse(FACILITATOR_ID, "close_vote").code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "open_vote").code == "conflict"


def test_a_dot_is_put_and_taken_back(voting):
    """VOTE6."""
    event = voting.accept("p1", "vote", card_id="d01", delta=1)
    assert (event.type, event.data) == ("dot_changed", {"voter": "p1", "card_id": "d01", "delta": 1,
                                                        "proxy": False})
    assert dots(voting, "p1") == {"d01": 1}
    assert voting.accept("p1", "vote", card_id="d01", delta=-1).data["delta"] == -1
    assert dots(voting, "p1") == {}


@pytest.mark.parametrize("actor, extra", [("p1", {}), (FACILITATOR_ID, {"voter": "p1"})])
def test_votes_are_refused_before_the_vote_opens(ws, actor, extra):
    """VOTE6: sequence_closed, even in the must-haves, even for the facilitator."""
    ws.accept(FACILITATOR_ID, "move_card", card_id="d01", zone_id=CELL, x=0.5, y=0.5)
    ws.go_to(MUST_HAVES)
    rejection = ws.refuse(actor, "vote", card_id="d01", delta=1, **extra)
    assert rejection.code == "sequence_closed" and "not open" in rejection.message


@pytest.mark.parametrize("actor, extra", [("p1", {}), (FACILITATOR_ID, {"voter": "p1"})])
def test_votes_are_refused_after_the_close_and_the_dots_are_frozen(voting, actor, extra):
    """VOTE6: neither a new dot nor a dot taken back."""
    put(voting, "p1", "d01")
    voting.accept(FACILITATOR_ID, "close_vote")
    for delta in (1, -1):
        rejection = voting.refuse(actor, "vote", card_id="d01", delta=delta, **extra)
        assert rejection.code == "sequence_closed" and "closed" in rejection.message
    assert dots(voting, "p1") == {"d01": 1}


def test_a_participant_cannot_put_a_third_dot_on_one_card(voting):
    """VOTE7: per_card is 2 by default."""
    put(voting, "p1", "d01", 2)
    rejection = voting.refuse("p1", "vote", card_id="d01", delta=1)
    assert rejection.code == "conflict" and "2" in rejection.message
    put(voting, "p1", "d02")  # other cards are still open
    assert dots(voting, "p1") == {"d01": 2, "d02": 1}


def test_a_participant_cannot_put_a_dot_once_the_budget_is_spent(voting):
    """VOTE7: five dots, then no more, on any card."""
    put(voting, "p1", "d01", 2)
    put(voting, "p1", "d02", 2)
    put(voting, "p1", "d03")
    for card in ("d03", "d04", "d05"):
        rejection = voting.refuse("p1", "vote", card_id=card, delta=1)
        assert rejection.code == "conflict" and "5" in rejection.message
    put(voting, "p2", "d04")  # another voter's budget is untouched


def test_taking_a_dot_back_returns_it_to_the_budget(voting):
    """VOTE7."""
    for card in ("d01", "d01", "d02", "d02", "d03"):
        put(voting, "p1", card)
    voting.accept("p1", "vote", card_id="d02", delta=-1)
    put(voting, "p1", "d04")
    assert dots(voting, "p1") == {"d01": 2, "d02": 1, "d03": 1, "d04": 1}


def test_taking_back_a_dot_that_is_not_there_is_a_conflict(voting):
    """VOTE7: not on a card without one, not someone else's."""
    assert voting.refuse("p1", "vote", card_id="d01", delta=-1).code == "conflict"
    put(voting, "p2", "d01")
    assert voting.refuse("p1", "vote", card_id="d01", delta=-1).code == "conflict"


def test_a_raised_budget_while_the_vote_is_open_gives_the_extra_dots(voting):
    """VOTE3, VOTE8."""
    for card in ("d01", "d01", "d02", "d02", "d03"):
        put(voting, "p1", card)
    assert voting.refuse("p1", "vote", card_id="d04", delta=1).code == "conflict"
    assert voting.accept(FACILITATOR_ID, "configure_vote", budget=7).data == {"budget": 7}
    put(voting, "p1", "d04", 2)
    assert voting.refuse("p1", "vote", card_id="d05", delta=1).code == "conflict"


def test_lowering_the_budget_while_the_vote_is_open_is_a_conflict(voting):
    """VOTE3."""
    rejection = voting.refuse(FACILITATOR_ID, "configure_vote", budget=4)
    assert rejection.code == "conflict" and "only grow" in rejection.message


@pytest.mark.parametrize("setting", [{"mode": "team"}, {"per_card": 3}, {"facilitator_votes": True},
                                     {"anonymous": True}, {"budget": 6, "per_card": 1}])
def test_only_the_budget_may_change_while_the_vote_is_open(voting, setting):
    """VOTE3."""
    rejection = voting.refuse(FACILITATOR_ID, "configure_vote", **setting)
    assert rejection.code == "conflict" and "only the budget" in rejection.message


@pytest.mark.parametrize("setting", [{"budget": 9}, {"mode": "team"}, {"per_card": 1}, {"anonymous": True}])
def test_the_vote_settings_are_frozen_after_the_close(voting, setting):
    """VOTE4."""
    voting.accept(FACILITATOR_ID, "close_vote")
    rejection = voting.refuse(FACILITATOR_ID, "configure_vote", **setting)
    assert rejection.code == "conflict" and "frozen" in rejection.message


def test_deck_cards_cannot_be_voted(voting):
    """VOTE9: a card still in the deck, and a card that does not exist."""
    assert voting.refuse("p1", "vote", card_id="d10", delta=1).code == "forbidden"
    assert voting.refuse(FACILITATOR_ID, "vote", card_id="d10", delta=1, voter="p1").code == "forbidden"
    assert voting.refuse("p1", "vote", card_id="ghost", delta=1).code == "not_found"


def test_in_a_participant_vote_each_participant_has_a_budget(voting):
    """VOTE10: team mates vote apart."""
    put(voting, "p1", "d01", 2)
    put(voting, "p2", "d01", 2)
    assert (dots(voting, "p1"), dots(voting, "p2"), dots(voting, voting.rouge)) == ({"d01": 2}, {"d01": 2}, {})
    put(voting, "p4", "d02")  # no team needed


def test_in_a_team_vote_members_share_one_budget(team_voting):
    """VOTE10: p1 and p2 spend Rouge's five dots and its two per card."""
    event = team_voting.accept("p1", "vote", card_id="d01", delta=1)
    assert event.data["voter"] == team_voting.rouge
    put(team_voting, "p2", "d01")
    assert team_voting.refuse("p1", "vote", card_id="d01", delta=1).code == "conflict"  # two on d01
    put(team_voting, "p2", "d02", 2)
    put(team_voting, "p1", "d03")
    assert team_voting.refuse("p2", "vote", card_id="d04", delta=1).code == "conflict"  # five spent
    assert dots(team_voting, team_voting.rouge) == {"d01": 2, "d02": 2, "d03": 1}
    assert dots(team_voting, "p1") == dots(team_voting, "p2") == {}
    put(team_voting, "p3", "d04", 2)  # Bleu's own budget
    assert dots(team_voting, team_voting.bleu) == {"d04": 2}


def test_any_member_takes_back_the_teams_dot(team_voting):
    """VOTE10."""
    put(team_voting, "p1", "d01")
    team_voting.accept("p2", "vote", card_id="d01", delta=-1)
    assert dots(team_voting, team_voting.rouge) == {}
    put(team_voting, "p1", "d01")
    assert team_voting.refuse("p3", "vote", card_id="d01", delta=-1).code == "conflict"  # not Bleu's


def test_a_participant_without_a_team_cannot_vote_in_a_team_vote(team_voting):
    """VOTE10."""
    rejection = team_voting.refuse("p4", "vote", card_id="d01", delta=1)
    assert rejection.code == "forbidden" and "team" in rejection.message


def test_the_facilitator_does_not_vote_by_default(voting):
    """VOTE11."""
    assert voting.board.vote.facilitator_votes is False
    assert voting.refuse(FACILITATOR_ID, "vote", card_id="d01", delta=1).code == "forbidden"


def test_the_facilitator_votes_when_facilitator_votes_is_on(ws):
    """VOTE11: with a budget of their own."""
    start_vote(ws, facilitator_votes=True, budget=2)
    event = ws.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1)
    assert event.data == {"voter": FACILITATOR_ID, "card_id": "d01", "delta": 1, "proxy": False}
    put(ws, FACILITATOR_ID, "d02")
    assert ws.refuse(FACILITATOR_ID, "vote", card_id="d03", delta=1).code == "conflict"
    put(ws, "p1", "d03", 2)


def test_the_facilitator_puts_proxy_dots_for_a_person(voting):
    """VOTE12: marked proxy, and they count in that person's budget and per-card limit."""
    event = voting.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p4")
    assert event.data == {"voter": "p4", "card_id": "d01", "delta": 1, "proxy": True}
    put(voting, FACILITATOR_ID, "d01", voter="p4")
    assert voting.refuse(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p4").code == "conflict"
    put(voting, FACILITATOR_ID, "d02", 2, voter="p4")
    put(voting, "p4", "d03")  # p4 finds a device for the last dot
    assert voting.refuse(FACILITATOR_ID, "vote", card_id="d04", delta=1, voter="p4").code == "conflict"
    vote = voting.board.to_dict()["vote"]
    assert vote["dots"]["p4"] == {"d01": 2, "d02": 2, "d03": 1}
    assert vote["proxy"]["p4"] == {"d01": 2, "d02": 2}


def test_the_facilitator_puts_proxy_dots_for_a_team(team_voting):
    """VOTE12: in a team vote, the team's budget."""
    event = team_voting.accept(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter=team_voting.bleu)
    assert event.data == {"voter": team_voting.bleu, "card_id": "d01", "delta": 1, "proxy": True}
    put(team_voting, "p3", "d01")
    assert team_voting.refuse(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter=team_voting.bleu).code \
        == "conflict"
    vote = team_voting.board.to_dict()["vote"]
    assert (vote["dots"][team_voting.bleu], vote["proxy"][team_voting.bleu]) == ({"d01": 2}, {"d01": 1})
    team_voting.accept(FACILITATOR_ID, "vote", card_id="d01", delta=-1, voter=team_voting.bleu)
    assert dots(team_voting, team_voting.bleu) == {"d01": 1}


def test_a_proxy_dot_taken_back_by_its_voter_is_no_longer_marked(voting):
    """VOTE12: a voter never has more proxy dots on a card than dots."""
    put(voting, FACILITATOR_ID, "d01", 2, voter="p4")
    voting.accept("p4", "vote", card_id="d01", delta=-1)
    vote = voting.board.to_dict()["vote"]
    assert (vote["dots"]["p4"], vote["proxy"]["p4"]) == ({"d01": 1}, {"d01": 1})
    voting.accept("p4", "vote", card_id="d01", delta=-1)
    vote = voting.board.to_dict()["vote"]
    assert (vote["dots"]["p4"], vote["proxy"]["p4"]) == ({}, {})
    assert replay(voting.events).to_dict() == voting.board.to_dict()


@pytest.mark.parametrize("actor, voter", [("p1", "p2"), ("p1", "p1")])
def test_a_participant_cannot_put_dots_for_someone_else(voting, actor, voter):
    """VOTE12: proxy dots are the facilitator's."""
    assert voting.refuse(actor, "vote", card_id="d01", delta=1, voter=voter).code == "forbidden"


def test_proxy_dots_need_a_voter_of_the_vote(ws):
    """VOTE12: a participant in a participant vote, a team in a team vote."""
    start_vote(ws)
    for voter in ("ghost", PROJECTOR_ID, FACILITATOR_ID, ws.rouge):
        assert ws.refuse(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter=voter).code == "not_found"


def test_proxy_dots_in_a_team_vote_are_for_a_team(team_voting):
    """VOTE12."""
    assert team_voting.refuse(FACILITATOR_ID, "vote", card_id="d01", delta=1, voter="p1").code == "not_found"


def test_results_are_revealed_only_after_the_close(voting):
    """VOTE13: and only once."""
    put(voting, "p1", "d01")
    assert voting.refuse(FACILITATOR_ID, "reveal_results").code == "conflict"
    voting.accept(FACILITATOR_ID, "close_vote")
    event = voting.accept(FACILITATOR_ID, "reveal_results")
    assert event.type == "results_revealed" and set(event.data) == {"totals", "overall", "by_row"}
    vote = voting.board.to_dict()["vote"]
    assert (vote["revealed"], vote["results"]) == (True, event.data)
    assert voting.refuse(FACILITATOR_ID, "reveal_results").code == "conflict"


def test_the_ranking_shares_ranks_between_ties_overall_and_per_domain_row(voting):
    """VOTE14: 2, 2, 1, 1 dots rank 1, 1, 3, 3; in the maintenance row 2, 2, 1 rank 1, 1, 3."""
    put(voting, "p1", "d01", 2)
    put(voting, "p1", "d04")
    put(voting, "p2", "d04")
    put(voting, "p2", "d03")
    put(voting, "p3", "d02")
    put(voting, "p3", "d05")
    put(voting, "p4", "d05")
    put(voting, "p4", "d03")
    voting.accept("p4", "vote", card_id="d03", delta=-1)  # taken back: d03 has one dot
    voting.accept(FACILITATOR_ID, "close_vote")
    results = voting.accept(FACILITATOR_ID, "reveal_results").data
    assert results["totals"] == {"d01": 2, "d04": 2, "d05": 2, "d03": 1, "d02": 1}
    text = {card_id: voting.card(card_id)["text"].casefold() for card_id in results["totals"]}
    by_text = lambda ids: sorted(ids, key=text.get)  # noqa: E731 - ties are listed by text
    assert results["overall"] == [{"card_id": c, "dots": 2, "rank": 1} for c in by_text(["d01", "d04", "d05"])] \
        + [{"card_id": c, "dots": 1, "rank": 4} for c in by_text(["d02", "d03"])]
    assert results["by_row"] == {
        "maintenance": [{"card_id": c, "dots": 2, "rank": 1} for c in by_text(["d01", "d04"])]
        + [{"card_id": "d03", "dots": 1, "rank": 3}],
        "socle": [{"card_id": "d02", "dots": 1, "rank": 1}]}  # d05 is in the parking: overall only


def test_the_ranking_of_distinct_totals_counts_one_by_one(voting):
    """VOTE14: most dots first, no card without a dot."""
    put(voting, "p1", "d01", 2)
    put(voting, "p2", "d01", 2)
    put(voting, "p3", "d02", 2)
    put(voting, "p3", "d03")
    voting.accept(FACILITATOR_ID, "close_vote")
    results = voting.accept(FACILITATOR_ID, "reveal_results").data
    assert [(r["card_id"], r["dots"], r["rank"]) for r in results["overall"]] == \
        [("d01", 4, 1), ("d02", 2, 2), ("d03", 1, 3)]


def assert_sees_only(ws, viewer, own):
    """What `viewer` got holds no dots but those of `own` (None: none at all): snapshot and every event."""
    vote = ws.sees(viewer)["vote"]
    assert set(vote["dots"]) <= {own} and set(vote["proxy"]) <= {own}
    assert "totals" not in vote and "progress" not in vote
    for event in ws.inbox[viewer] + ws.catch_up(viewer):
        if event["type"] == "dot_changed":
            if event["data"]:
                assert event["data"]["voter"] == own, (viewer, event)
            else:
                assert (event["actor"], event["command_id"]) == (None, None), (viewer, event)


@pytest.mark.parametrize("mode", ["participant", "team"])
def test_other_voters_dots_are_absent_for_participants_and_the_projector(ws, mode):
    """VOTE15: before and after the reveal, in snapshots and in every event they got; then the results."""
    ws.watch(*VIEWERS)
    start_vote(ws, mode=mode)
    put(ws, "p1", "d01", 2)
    put(ws, "p2", "d02")
    put(ws, "p3", "d03")
    put(ws, FACILITATOR_ID, "d04", voter="p4" if mode == "participant" else ws.bleu)
    own = {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4", PROJECTOR_ID: None} if mode == "participant" \
        else {"p1": ws.rouge, "p2": ws.rouge, "p3": ws.bleu, "p4": None, PROJECTOR_ID: None}
    for viewer, key in own.items():
        assert_sees_only(ws, viewer, key)
        assert ws.sees(viewer)["vote"]["results"] is None
    ws.accept(FACILITATOR_ID, "close_vote")
    results = ws.accept(FACILITATOR_ID, "reveal_results").data
    for viewer, key in own.items():
        assert_sees_only(ws, viewer, key)
        assert ws.sees(viewer)["vote"]["results"] == results
        assert results["totals"] == {"d01": 2, "d02": 1, "d03": 1, "d04": 1}


def test_a_participant_sees_their_own_dots(voting):
    """VOTE15: the dot events, whole, and their dots in the snapshot, proxy ones included."""
    voting.watch("p1", "p4")
    put(voting, "p1", "d01")
    put(voting, FACILITATOR_ID, "d02", voter="p4")
    assert voting.inbox["p1"][-2] == voting.events[-2].to_dict()
    assert voting.inbox["p4"][-1] == voting.events[-1].to_dict()
    assert voting.sees("p1")["vote"]["dots"] == {"p1": {"d01": 1}}
    vote = voting.sees("p4")["vote"]
    assert (vote["dots"], vote["proxy"]) == ({"p4": {"d02": 1}}, {"p4": {"d02": 1}})


def test_a_team_member_sees_the_teams_dots_in_a_team_vote(team_voting):
    """VOTE15: p2 sees the dot p1 put for Rouge; p3 (Bleu) does not."""
    team_voting.watch("p2", "p3")
    put(team_voting, "p1", "d01")
    assert team_voting.inbox["p2"][-1] == team_voting.events[-1].to_dict()
    assert team_voting.sees("p2")["vote"]["dots"] == {team_voting.rouge: {"d01": 1}}
    assert team_voting.inbox["p3"][-1]["data"] == {}
    assert team_voting.sees("p3")["vote"]["dots"] == {}


@pytest.mark.parametrize("mode", ["participant", "team"])
def test_the_facilitator_sees_every_dot_and_who_still_votes(ws, mode):
    """VOTE16: voters, how many have dots left, and who."""
    ws.watch(FACILITATOR_ID)
    start_vote(ws, mode=mode, budget=2)
    put(ws, "p1", "d01", 2)
    voters = ["p1", "p2", "p3", "p4"] if mode == "participant" else [ws.rouge, ws.bleu]
    still = [v for v in voters if v != (ws.rouge if mode == "team" else "p1")]
    vote = ws.sees(FACILITATOR_ID)["vote"]
    assert vote["dots"] == {voters[0]: {"d01": 2}}
    assert vote["progress"] == {"voters": len(voters), "still_voting": len(still), "still": still}
    event = ws.inbox[FACILITATOR_ID][-1]
    assert event["actor"] == "p1" and event["data"]["voter"] == voters[0]
    assert event["data"]["progress"] == vote["progress"]


def test_the_facilitator_is_a_voter_in_the_progress_when_they_vote(ws):
    """VOTE16."""
    start_vote(ws, facilitator_votes=True)
    assert ws.sees(FACILITATOR_ID)["vote"]["progress"]["still"] == [FACILITATOR_ID, "p1", "p2", "p3", "p4"]


@pytest.mark.parametrize("mode", ["participant", "team"])
def test_an_anonymous_vote_shows_the_facilitator_counts_and_no_voter_ids(ws, mode):
    """VOTE16: only how many still vote, totals per card; no voter id in anything the facilitator gets."""
    ws.watch(FACILITATOR_ID)
    start_vote(ws, mode=mode, anonymous=True, budget=2)
    put(ws, "p1", "d01", 2)
    put(ws, "p3", "d02")
    put(ws, FACILITATOR_ID, "d02", voter="p4" if mode == "participant" else ws.bleu)
    vote = ws.sees(FACILITATOR_ID)["vote"]
    assert (vote["dots"], vote["proxy"], vote["totals"]) == ({}, {}, {"d01": 2, "d02": 2})
    # p2, p3 and p4 have dots left, p1 spent both; or Rouge and Bleu spent both.
    counts = (4, 3) if mode == "participant" else (2, 0)
    assert vote["progress"] == {"voters": counts[0], "still_voting": counts[1], "still": []}
    received = [vote] + [e for e in ws.inbox[FACILITATOR_ID] + ws.catch_up(FACILITATOR_ID)
                         if e["type"] == "dot_changed"]
    assert len(received) == 1 + 2 * 4
    text = json.dumps(received, ensure_ascii=False)
    for voter in ("p1", "p2", "p3", "p4", ws.rouge, ws.bleu):
        assert f'"{voter}' not in text, voter  # neither an id nor a command id starting with it
    for event in received[1:]:
        assert "voter" not in event["data"] and event["data"]["progress"]["still"] == []
        assert event["actor"] in (None, FACILITATOR_ID)


def test_a_private_card_of_another_team_cannot_be_voted_for(ws):
    """VOTE17: p3 (Bleu) cannot choose Rouge's face-down card; Rouge and the facilitator can."""
    ws.accept(FACILITATOR_ID, "configure", private_cards=True)
    ws.go_to(COMPLETING)
    ws.accept("p1", "create_card", kind="new", text="Secret de Rouge", zone_id=CELL, x=0.5, y=0.5, card_id="secret")
    start_vote(ws, facilitator_votes=True)
    assert ws.refuse("p3", "vote", card_id="secret", delta=1).code == "not_found"
    put(ws, "p2", "secret")
    put(ws, FACILITATOR_ID, "secret")
    assert ws.board.vote.totals() == {"secret": 2}


def test_a_card_deleted_during_the_vote_gives_its_dots_back(voting):
    """VOTE18: the facilitator removes a card carrying dots; its voters may spend them again."""
    put(voting, "p1", "d01", 2)
    put(voting, "p1", "d02", 2)
    put(voting, FACILITATOR_ID, "d01", voter="p2")
    put(voting, "p1", "d03")
    assert voting.refuse("p1", "vote", card_id="d04", delta=1).code == "conflict"  # budget spent
    voting.accept(FACILITATOR_ID, "delete_card", card_id="d01")
    assert dots(voting, "p1") == {"d02": 2, "d03": 1}
    assert voting.board.to_dict()["vote"]["proxy"] == {"p2": {}}
    put(voting, "p1", "d04", 2)  # the two dots are free again
