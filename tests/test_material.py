"""Material for the participants (texts, quotes, links): one test or a few per rule of docs/spec.md
section 20 (MAT), on boards built in memory with decide and evolve (domain_helpers.py). What each
member receives is what visibility.py gives them, which the socket layer sends as it is.
"""
import copy
import json

import pytest

from board.domain import FormatError, load_format, material, replay
from board.domain.model import board_from_snapshot
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, packaged_document

DISCOVERY, PLACEMENT, COMPLETING, MUST_HAVES = 0, 1, 2, 3
QUOTE_WORDS = "Le secret de l’action, c’est de commencer."


@pytest.fixture
def ws():
    """The packaged workshop with p1 (in Rouge) and p2 (in no team)."""
    w = Workshop()
    w.join("p1")
    w.join("p2")
    w.put_in_team("p1", w.team("Rouge"))
    return w


def add(ws, **fields):
    """The facilitator adds an item; its id."""
    return ws.accept(FACILITATOR_ID, "add_material", **fields).data["item"]["id"]


def three_items(ws):
    """A text, a quote and a link, in that order: their ids."""
    return (add(ws, kind="text", title="Le métier demain", body="Trois tendances à garder en tête."),
            add(ws, kind="quote", body=QUOTE_WORDS, author="Alain"),
            add(ws, kind="link", title="Fiches métiers", url="https://www.example.org/fiches?x=1"))


def items_of(ws, viewer_id):
    """The items a member's snapshot holds now."""
    return ws.sees(viewer_id)["material"]["items"]


def page_items(snapshot, events):
    """What a page holding `snapshot` shows once it applied `events`, as static/js/state.js does:
    a participant's material event brings the whole list it may read (`items`), a sequence change
    the new sequence's (`material`); the facilitator's carry each change (MAT6)."""
    board = board_from_snapshot(copy.deepcopy(snapshot))
    for event in events:
        data = event["data"]
        if "items" in data:
            board.material["items"] = data["items"]
        elif event["type"] == "sequence_changed" and "material" in data:
            board.material["items"] = data["material"]
        elif event["type"] in material.EVOLVERS:
            material.EVOLVERS[event["type"]](board, data)
    return board.material["items"]


# -- MAT1: the facilitator's commands, one event each, in the snapshot

def test_the_facilitator_adds_a_text_a_quote_and_a_link_in_order(ws):
    """MAT1, MAT2."""
    text, quote, link = three_items(ws)
    material = ws.board.to_dict()["material"]
    assert [item["id"] for item in material["items"]] == [text, quote, link]
    assert material["items"][1] == {"id": quote, "kind": "quote", "title": "", "body": QUOTE_WORDS,
                                    "author": "Alain", "url": ""}
    assert material["items"][2]["url"] == "https://www.example.org/fiches?x=1"
    assert [e.type for e in ws.events[-3:]] == ["material_added"] * 3
    assert text == f"m{ws.events[-3].version}"


@pytest.mark.parametrize("kind, payload", [
    ("add_material", {"kind": "text", "title": "T", "body": "B"}),
    ("edit_material", {"material_id": "m1", "title": "T"}),
    ("remove_material", {"material_id": "m1"}),
    ("move_material", {"material_id": "m1", "position": 0}),
    ("set_material_sequences", {"sequences": [0]}),
])
@pytest.mark.parametrize("who", ["p1", PROJECTOR_ID])
def test_participants_and_the_projector_may_not_change_the_material(ws, kind, payload, who):
    """MAT1: forbidden, in the very sequence that shows the material, and nothing changes."""
    ws.go_to("completer")
    assert ws.refuse(who, kind, **payload).code == "forbidden"


def test_the_facilitator_edits_removes_and_reorders(ws):
    """MAT1, MAT3."""
    text, quote, link = three_items(ws)
    edited = ws.accept(FACILITATOR_ID, "edit_material", material_id=quote, author="  Alain (Propos)  ")
    assert edited.data["item"]["author"] == "Alain (Propos)" and edited.data["item"]["body"] == QUOTE_WORDS
    moved = ws.accept(FACILITATOR_ID, "move_material", material_id=link, position=0)
    assert (moved.type, moved.data) == ("material_moved", {"id": link, "position": 0})
    assert [i["id"] for i in ws.board.material["items"]] == [link, text, quote]
    ws.accept(FACILITATOR_ID, "move_material", material_id=link, position=2)
    assert [i["id"] for i in ws.board.material["items"]] == [text, quote, link]
    removed = ws.accept(FACILITATOR_ID, "remove_material", material_id=text)
    assert (removed.type, removed.data) == ("material_removed", {"id": text})
    assert [i["id"] for i in ws.board.material["items"]] == [quote, link]


# -- MAT2: what each kind needs, and what it may not have

@pytest.mark.parametrize("fields, code, says", [
    ({"kind": "text", "body": "Sans titre"}, "bad_request", "title"),
    ({"kind": "text", "title": "Sans texte", "body": "   "}, "bad_request", "text"),
    ({"kind": "quote", "author": "Personne"}, "bad_request", "quoted words"),
    ({"kind": "link", "title": "Sans adresse"}, "bad_request", "web address"),
    ({"kind": "link", "url": "https://example.org"}, "bad_request", "title"),
    ({"kind": "text", "title": "T", "body": "B", "author": "Qui"}, "bad_request", "no author"),
    ({"kind": "quote", "body": "B", "url": "https://example.org"}, "bad_request", "no url"),
    ({"kind": "text", "title": "T" * 121, "body": "B"}, "too_large", "120"),
    ({"kind": "text", "title": "T", "body": "é" * 1001}, "too_large", "1000"),
    ({"kind": "quote", "body": "B", "author": "A" * 121}, "too_large", "120"),
    ({"kind": "poem", "title": "T", "body": "B"}, "bad_request", "text, quote, link"),
    ({"kind": "text", "title": 7, "body": "B"}, "bad_request", "text"),
    ({"kind": "text", "title": "T", "body": "\ud800"}, "bad_request", "surrogate"),
    ({"kind": "text", "title": "T", "body": "B", "colour": "#fff"}, "bad_request", "colour"),
])
def test_an_item_that_is_not_one_of_its_kind_is_refused_clearly(ws, fields, code, says):
    """MAT2: the code, a message that says what is wrong, and nothing changes."""
    refusal = ws.refuse(FACILITATOR_ID, "add_material", **fields)
    assert refusal.code == code and says in refusal.message, refusal


def test_the_longest_fields_fit_in_one_command():
    """MAT2: the limits are chosen so a full item stays within the 8 KB a command may weigh, even
    when every letter is accented (JSON may spell one in 6 bytes)."""
    from board import protocol
    payload = {"id": "x" * 64, "type": "add_material", "data": {
        "kind": "link", "title": "é" * 120, "body": "é" * 1000, "url": "https://example.org/" + "a" * 480}}
    assert len(json.dumps(payload)) < protocol.MAX_COMMAND_BYTES


def test_a_board_holds_forty_items_at_most(ws):
    """MAT2."""
    for number in range(40):
        add(ws, kind="text", title=f"Texte {number}", body="Court.")
    assert ws.refuse(FACILITATOR_ID, "add_material", kind="text", title="Un de trop", body="Non.").code == "conflict"


# -- MAT3: editing, removing, moving

def test_an_edit_follows_the_rules_of_its_kind(ws):
    """MAT3: the kind stays; the fields given are checked as an item of that kind."""
    text, quote, link = three_items(ws)
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=text, author="Qui").code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=text, body="").code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=link, url="").code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=quote, kind="text").code == "bad_request"
    ws.accept(FACILITATOR_ID, "edit_material", material_id=quote, author="")  # who said it: optional
    assert ws.board.material["items"][1]["author"] == ""


def test_edits_and_moves_that_change_nothing_or_name_nothing_are_refused(ws):
    """MAT3."""
    text, quote, link = three_items(ws)
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=text).code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=text, title="Le métier demain").code == "conflict"
    for kind, extra in (("edit_material", {"title": "T"}), ("remove_material", {}),
                        ("move_material", {"position": 0})):
        assert ws.refuse(FACILITATOR_ID, kind, material_id="m999", **extra).code == "not_found"
    assert ws.refuse(FACILITATOR_ID, "move_material", material_id=text, position=0).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "move_material", material_id=text, position=3).code == "bad_request"
    assert ws.refuse(FACILITATOR_ID, "move_material", material_id=text, position=-1).code == "bad_request"


# -- MAT4: web addresses

@pytest.mark.parametrize("url", ["https://www.example.org", "http://intranet.local:8080/doc#part",
                                 "HTTPS://EXAMPLE.ORG/a?b=c&d=é", "http://192.168.1.10/fiche.pdf"])
def test_a_link_takes_an_http_or_https_address(ws, url):
    """MAT4."""
    add(ws, kind="link", title="Lien", url=url)
    assert ws.board.material["items"][-1]["url"] == url


@pytest.mark.parametrize("url, says", [
    ("javascript:alert(1)", "http"), ("data:text/html,<b>x</b>", "http"), ("ftp://example.org/f", "http"),
    ("www.example.org", "http"), ("https://", "site"), ("https:///chemin", "site"),
    ("https://exa mple.org", "spaces"), ("https://example.org/\nx", "spaces"),
    ("https://good.example@evil.example/", "@"), ("https://example.org:port/", "not a web address"),
    ("https://" + "a" * 500 + ".org", "500"), (42, "text"),
])
def test_any_other_address_is_refused_clearly(ws, url, says):
    """MAT4: what cannot open, or would open somewhere else than it reads, never reaches a page."""
    refusal = ws.refuse(FACILITATOR_ID, "add_material", kind="link", title="Lien", url=url)
    assert refusal.code in ("bad_request", "too_large") and says in refusal.message, refusal
    link = add(ws, kind="link", title="Lien", url="https://example.org")
    assert ws.refuse(FACILITATOR_ID, "edit_material", material_id=link, url=url).code in ("bad_request", "too_large")


# -- MAT5: the sequences that show the material

def test_the_format_shows_the_material_in_sequence_3_from_the_start(ws):
    """MAT5, FMT15: the default comes from the format file's data."""
    assert ws.board.material == {"items": [], "sequences": [COMPLETING]}
    document = packaged_document()
    assert [s.get("material", False) for s in document["sequences"]] == [False, False, True, False]
    document["sequences"][0]["material"] = True
    assert Workshop(document).board.material["sequences"] == [DISCOVERY, COMPLETING]


def test_a_format_whose_material_flag_is_not_a_boolean_is_refused():
    """FMT15."""
    document = packaged_document()
    document["sequences"][1]["material"] = "yes"
    with pytest.raises(FormatError, match=r"^sequences\[1\]\.material"):
        load_format(document)


def test_the_facilitator_chooses_the_sequences(ws):
    """MAT5."""
    event = ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[3, 1])
    assert (event.type, event.data) == ("material_sequences_set", {"sequences": [1, 3]})
    assert ws.board.material["sequences"] == [1, 3]
    ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[])
    assert ws.board.material["sequences"] == []
    assert ws.refuse(FACILITATOR_ID, "set_material_sequences", sequences=[]).code == "conflict"
    assert ws.refuse(FACILITATOR_ID, "set_material_sequences", sequences=[4]).code == "not_found"
    for bad in ([1, 1], [-1], "2", [True], None):
        assert ws.refuse(FACILITATOR_ID, "set_material_sequences", sequences=bad).code == "bad_request"


# -- MAT6: the server withholds the items outside the chosen sequences

def test_participants_and_the_projector_get_the_items_only_in_the_chosen_sequences(ws):
    """MAT6: per sequence, for each viewer; the facilitator always."""
    three_items(ws)
    everything = ws.board.material["items"]
    for index in range(4):
        ws.accept(FACILITATOR_ID, "set_sequence", index=index) if index != ws.board.sequence else None
        expected = everything if index == COMPLETING else []
        for viewer in ("p1", "p2", PROJECTOR_ID):
            assert items_of(ws, viewer) == expected, (index, viewer)
            assert ws.sees(viewer)["material"]["sequences"] == [COMPLETING]
        assert items_of(ws, FACILITATOR_ID) == everything


def test_nothing_of_the_items_reaches_a_participant_outside_the_chosen_sequences(ws):
    """MAT6: not the titles, nor the words, nor the addresses, in the snapshot, live or catching up."""
    ws.watch("p1", PROJECTOR_ID, FACILITATOR_ID)
    three_items(ws)
    text, quote, link = (i["id"] for i in ws.board.material["items"])
    ws.accept(FACILITATOR_ID, "edit_material", material_id=text, body="Quatre tendances.")
    ws.accept(FACILITATOR_ID, "move_material", material_id=link, position=0)
    ws.accept(FACILITATOR_ID, "remove_material", material_id=quote)
    for secret in ("Le métier demain", "Quatre tendances", QUOTE_WORDS, "Alain", "example.org"):
        for viewer in ("p1", PROJECTOR_ID):
            assert secret not in ws.everything(viewer), (viewer, secret)
    assert "Quatre tendances" in ws.everything(FACILITATOR_ID)
    received = ws.inbox["p1"]
    assert [e["type"] for e in received] == ["material_added"] * 3 + ["material_edited", "material_moved",
                                                                       "material_removed"]
    assert all(e["data"] == {"items": []} for e in received)


def test_the_sequence_change_brings_the_items_and_takes_them_away(ws):
    """MAT6: the panel appears and goes with the sequence: sequence_changed carries the list."""
    three_items(ws)
    ws.watch("p1", FACILITATOR_ID)
    ws.go_to("placement")
    ws.go_to("completer")
    ws.go_to("incontournables")
    changes = [e for e in ws.inbox["p1"] if e["type"] == "sequence_changed"]
    assert [len(e["data"]["material"]) for e in changes] == [0, 3, 0]
    assert [i["kind"] for i in changes[1]["data"]["material"]] == ["text", "quote", "link"]
    assert all("material" not in e["data"] for e in ws.inbox[FACILITATOR_ID])  # they have it all already


def test_choosing_the_sequences_brings_or_withdraws_the_items_at_once(ws):
    """MAT6: set_material_sequences carries the list each viewer may read from now on."""
    three_items(ws)
    ws.go_to("placement")
    ws.watch("p1", FACILITATOR_ID)
    ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[PLACEMENT, COMPLETING])
    ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[COMPLETING])
    shown, withdrawn = ws.inbox["p1"]
    assert len(shown["data"]["items"]) == 3 and shown["data"]["sequences"] == [PLACEMENT, COMPLETING]
    assert withdrawn["data"] == {"items": [], "sequences": [COMPLETING]}
    assert ws.inbox[FACILITATOR_ID][0]["data"] == {"sequences": [PLACEMENT, COMPLETING]}


def test_a_participant_page_holds_what_its_snapshot_would_give_live_and_catching_up(ws):
    """MAT6: applying what a participant receives, from any version on, ends where their snapshot is."""
    start = {viewer: ws.sees(viewer) for viewer in ("p1", FACILITATOR_ID)}
    ws.watch("p1", FACILITATOR_ID)
    text, quote, link = three_items(ws)
    ws.go_to("completer")
    ws.accept(FACILITATOR_ID, "edit_material", material_id=text, title="Demain")
    ws.go_to("incontournables")
    ws.accept(FACILITATOR_ID, "move_material", material_id=link, position=0)
    ws.go_to("completer")
    ws.accept(FACILITATOR_ID, "remove_material", material_id=quote)
    ws.accept(FACILITATOR_ID, "add_material", kind="text", title="Nouveau", body="Encore.")
    for viewer in ("p1", FACILITATOR_ID):
        now = ws.sees(viewer)["material"]["items"]
        assert page_items(start[viewer], ws.inbox[viewer]) == now  # live
        # Catching up (room.events_since) from the version the page held.
        assert page_items(start[viewer], ws.catch_up(viewer)[len(ws.events) - len(ws.inbox[viewer]):]) == now
    assert [i["title"] for i in items_of(ws, "p1")] == ["Fiches métiers", "Demain", "Nouveau"]


# -- replay

def test_the_log_and_the_snapshot_rebuild_the_material_exactly(ws):
    """REPLAY5, REPLAY6 with material: replay equals live, and a snapshot rebuilds it."""
    text, quote, link = three_items(ws)
    ws.accept(FACILITATOR_ID, "move_material", material_id=quote, position=0)
    ws.accept(FACILITATOR_ID, "edit_material", material_id=link, body="Le site de la branche.")
    ws.accept(FACILITATOR_ID, "set_material_sequences", sequences=[1, 2])
    ws.accept(FACILITATOR_ID, "remove_material", material_id=text)
    live = ws.board.to_dict()
    stored = json.loads(json.dumps([e.to_dict() for e in ws.events]))
    from board.domain.decide import Event
    assert replay([Event(**e) for e in stored]).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    assert live["material"]["sequences"] == [1, 2] and [i["id"] for i in live["material"]["items"]] == [quote, link]
