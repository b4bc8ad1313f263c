"""A private card's work stays with its team (PRIV7, board/domain/visibility.py): in private mode a
team's theme is face down for the other teams, and so is everything done to it. Whom it links to (and
how many), who marked it, its ratings, whether the facilitator kept it and the kinds of its notes reach
no other team's participant nor the projector: neither in a snapshot, nor live, nor on catching up."""
import copy
import json

from board.domain import read_format
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop

MAP, ECOSYSTEM = "carte", "theme-ecosysteme"
FACTORS = ("f01", "f02", "f03")
WORK_KEYS = {"links", "marks", "target_id", "axis", "rater", "value", "mark", "participant_id"}


def mentions(value, wanted):
    """Every dict inside `value` (a message as JSON data) holding `wanted` as one of its values."""
    found = []
    if isinstance(value, dict):
        if wanted in value.values() or any(isinstance(v, list) and wanted in v for v in value.values()):
            found.append(value)
        for inner in value.values():
            found += mentions(inner, wanted)
    elif isinstance(value, list):
        for inner in value:
            found += mentions(inner, wanted)
    return found


def factors_map():
    """The factors map in *Thèmes*: p1, p2 in Rouge, p3 in Bleu, p4 in no team; f01-f06 on the map;
    private mode on, and p1's theme `secret` written face down for every other team."""
    w = Workshop(copy.deepcopy(read_format("cartographie-facteurs").document))
    for pid in ("p1", "p2", "p3", "p4"):
        w.join(pid, name=pid.upper())
    red, blue = w.team("Rouge"), w.team("Bleu", colour="#0000aa")
    w.put_in_team("p1", red)
    w.put_in_team("p2", red)
    w.put_in_team("p3", blue)
    for i in range(1, 7):
        w.accept(FACILITATOR_ID, "move_card", card_id=f"f0{i}", zone_id=MAP, x=0.1 * i, y=0.5)
    w.go_to("themes")
    w.accept(FACILITATOR_ID, "configure", private_cards=True)
    w.watch("p2", "p3", "p4", PROJECTOR_ID)
    w.accept("p1", "create_card", kind="postit", text="Villes sobres", zone_id=ECOSYSTEM, x=0.1, y=0.1, card_id="secret")
    return w


def do_private_work(w):
    """Link the theme to three factors, rate it, keep it and write a note on it."""
    for factor in FACTORS:
        w.accept("p1", "link_card", card_id="secret", target_id=factor, on=True)
    w.accept(FACILITATOR_ID, "rate_card", card_id="secret", axis="criticite", value=4)
    w.accept(FACILITATOR_ID, "keep_card", card_id="secret", kept=True)
    w.accept(FACILITATOR_ID, "create_card", kind="postit", text="Coût", zone_id=ECOSYSTEM, x=0, y=0,
             parent="secret", note_kind="risque", card_id="secret-note")


def test_another_team_and_the_projector_learn_nothing_of_what_is_done_to_a_private_theme():
    """PRIV7: neither the links nor their count, nor the rating, the keep or the note's kind reach p3
    (Bleu), p4 (no team) or the projector, in any message: every dict naming the theme is bare."""
    w = factors_map()
    do_private_work(w)
    for viewer in ("p3", "p4", PROJECTOR_ID):
        messages = json.loads(w.everything(viewer))
        about = mentions(messages, "secret")
        assert about, "the theme is face down, not absent"
        for entry in about:
            assert not WORK_KEYS & set(entry), (viewer, entry)
            assert not entry.get("kept") and not entry.get("ratings") and entry.get("note_kind") is None, (viewer, entry)
            assert entry.get("text", "") in ("", "secret")
        # A link event reached them, emptied: the versions run on without a gap and nothing more.
        assert [e["data"] for e in w.inbox[viewer] if e["type"] == "card_linked"] == [{}, {}, {}]
        assert all(e["actor"] is None for e in w.inbox[viewer] if e["type"] in ("card_linked", "card_rated", "card_kept"))
        shown = next(card for card in w.sees(viewer)["cards"] if card["id"] == "secret")
        assert shown["hidden"] and "links" not in shown and shown["ratings"] == {} and shown["kept"] is False


def test_the_theme_s_own_team_and_the_facilitator_follow_every_link():
    """PRIV7 hides from the others only: p2, p1's teammate, reads the links live and in the snapshot."""
    w = factors_map()
    w.watch(FACILITATOR_ID)
    do_private_work(w)
    for viewer in ("p2", FACILITATOR_ID):
        assert [e["data"]["target_id"] for e in w.inbox[viewer] if e["type"] == "card_linked"] == list(FACTORS)
        card = next(card for card in w.sees(viewer)["cards"] if card["id"] == "secret")
        assert card["links"] == list(FACTORS) and card["kept"] and card["ratings"] == {"criticite": {FACILITATOR_ID: 4}}


def test_a_visible_card_s_link_to_a_face_down_card_is_left_out_for_those_who_cannot_see_it():
    """PRIV7: Bleu's public theme, linked by the facilitator to a factor and to Rouge's face-down theme:
    Bleu and the projector read its link to the factor only; Rouge reads both."""
    w = factors_map()
    w.accept(FACILITATOR_ID, "configure", private_cards=False)
    w.accept("p3", "create_card", kind="postit", text="Open theme", zone_id=ECOSYSTEM, x=0.5, y=0.5, card_id="open")
    w.accept(FACILITATOR_ID, "link_card", card_id="open", target_id="f04", on=True)
    w.accept(FACILITATOR_ID, "link_card", card_id="open", target_id="secret", on=True)
    for viewer in ("p3", PROJECTOR_ID):
        card = next(card for card in w.sees(viewer)["cards"] if card["id"] == "open")
        assert card["links"] == ["f04"]
        assert [e["data"] for e in w.inbox[viewer] if e["type"] == "card_linked"][-1] == {}
    assert next(c for c in w.sees("p2")["cards"] if c["id"] == "open")["links"] == ["f04", "secret"]


def test_once_revealed_the_theme_shows_its_links_to_everyone():
    """PRIV4 with PRIV7: the reveal turns the theme over with its work; later links reach everyone whole."""
    w = factors_map()
    do_private_work(w)
    w.accept(FACILITATOR_ID, "reveal_cards")
    w.accept("p1", "link_card", card_id="secret", target_id="f05", on=True)
    card = next(card for card in w.sees("p3")["cards"] if card["id"] == "secret")
    assert card["links"] == [*FACTORS, "f05"] and card["kept"] and not card.get("hidden")
    assert w.inbox["p3"][-1]["data"]["target_id"] == "f05"


def test_marks_on_a_private_card_reach_no_other_team():
    """PRIV7 with marks (MARK3): who marked a face-down card, with what, is the card's team's alone."""
    document = copy.deepcopy(read_format("troc-competences").document)
    for sequence in document["sequences"]:
        sequence["allows"] = sorted(set(sequence["allows"]) | {"create_card", "mark_card", "join_team"})
    w = Workshop(document)
    for pid in ("p1", "p2", "p3"):
        w.join(pid)
    red, blue = w.team("Rouge"), w.team("Bleu", colour="#0000aa")
    w.put_in_team("p1", red)
    w.put_in_team("p2", red)
    w.put_in_team("p3", blue)
    w.accept(FACILITATOR_ID, "configure", private_cards=True)
    w.watch("p3", PROJECTOR_ID)
    w.accept("p1", "create_card", kind="postit", text="Jongler", zone_id="mur", x=0.2, y=0.2, card_id="juggle")
    w.accept("p2", "mark_card", card_id="juggle", mark="envie", on=True)
    for viewer in ("p3", PROJECTOR_ID):
        for entry in mentions(json.loads(w.everything(viewer)), "juggle"):
            assert not WORK_KEYS & set(entry), (viewer, entry)
    assert next(c for c in w.sees("p1")["cards"] if c["id"] == "juggle")["marks"] == {"envie": ["p2"]}
