"""The board as a JSON document (DOC1-DOC6): exported, checked, imported into a new board exactly.

These tests run the real Workshops over a real SQLite file (no sockets); tests/test_documents_server.py
does the same through the real server at full scale, and tests/test_browser_documents.py in a browser.
"""
import copy
import json

import pytest

from board.domain import SYSTEM, Rejection, decide, evolve, parse_command
from board.domain import documents
from board.domain.documents import (DocumentError, VOLATILE, board_document, check_document, read_document,
                                    template_document)
from board.domain.errors import CONFLICT, FORBIDDEN
from board.domain.model import Board
from board.store import Store
from board.workshops import Workshops

ENVELOPE_VARIES = ("exported_at", "source_board")  # all that may differ between two exports of one content
NAMES = ("Camille Martin", "Karim Benali", "Sophie Leroy", "Julien Moreau", "Nadia Haddad")


def content_of(document):
    """A document without what differs from one export to the next (date, source board)."""
    return {key: value for key, value in document.items() if key not in ENVELOPE_VARIES}


def via_file(document):
    """The document as it comes back from a file: JSON bytes read again."""
    return read_document(documents.to_json(document))


class Scene:
    """A small but complete workshop in a Workshops: teams, placed and written cards, a private card
    revealed, a post-it, a removed and a forgotten participant, proxy dots, the results revealed."""

    def __init__(self, workshops, anonymous_vote=False, reveal=True):
        self.workshops = workshops
        self.info = info = workshops.create("atelier-competences")
        self.board_id, self.facilitator = info["board_id"], info["facilitator_id"]
        self.room = workshops.room(self.board_id)
        self.people = [workshops.join(info["join_code"], name)["participant_id"] for name in NAMES]
        camille, karim, sophie, julien, nadia = self.people
        fac = self.facilitator
        red = self.send(fac, "create_team", name="Rouge", colour="#AA0000", domain="socle").data["id"]
        blue = self.send(fac, "create_team", name="Bleu", colour="#0000aa").data["id"]
        for person, team in ((camille, red), (karim, red), (sophie, blue), (julien, blue)):
            self.send(fac, "join_team", participant_id=person, team_id=team)
        self.send(fac, "add_material", kind="text", title="À lire", body="Un texte pour la séquence 3.")
        self.send(fac, "add_material", kind="link", title="Le référentiel", url="https://example.org/referentiel")
        self.send(fac, "set_sequence", index=1)
        self.send(camille, "move_card", card_id="d20", zone_id="maintenance/techniques", x=0.25, y=0.75)
        self.send(sophie, "move_card", card_id="d30", zone_id="socle/capacites", x=0.5, y=0.5)
        self.send(fac, "set_sequence", index=2)
        self.send(fac, "configure", private_cards=True)
        self.send(karim, "create_card", kind="new", text="Écrire une carte à soi", zone_id="socle/techniques",
                  x=0.1, y=0.2, description="Une description\nsur deux lignes")
        self.send(sophie, "create_card", kind="postit", text="Un post-it", zone_id="parking", x=0.4, y=0.6)
        self.send(fac, "reveal_cards")
        self.send(fac, "set_sequence", index=3)
        self.send(fac, "configure_vote", budget=4, per_card=2, facilitator_votes=True, anonymous=anonymous_vote)
        self.send(fac, "open_vote")
        self.send(camille, "vote", card_id="d20", delta=1)
        self.send(camille, "vote", card_id="d20", delta=1)
        self.send(sophie, "vote", card_id="d30", delta=1)
        self.send(fac, "vote", card_id="d30", delta=1, voter=julien)  # a proxy dot for someone without a device
        self.send(fac, "close_vote")
        self.send(fac, "remove_participant", participant_id=nadia)  # gone, her name with her
        self.send(fac, "forget_participant", participant_id=karim, texts="keep")  # "Anonyme 1" from now on
        if reveal:
            self.send(fac, "reveal_results")

    def send(self, actor, command, /, **payload):
        answer = self.room.submit(actor, parse_command(command, payload))
        assert answer["ok"], (command, answer)
        return self.room.read(lambda _, history: _Event(history[-1]))

    @property
    def board(self):
        return self.room.board


class _Event:
    def __init__(self, event):
        self.data = event["data"]


@pytest.fixture
def scene(workshops):
    return Scene(workshops)


def tokens_of(store, board_id):
    """How many tokens open a board (facilitator and projector links, participants' links)."""
    return store.db.execute("SELECT COUNT(*) FROM credentials WHERE board_id = ?", [board_id]).fetchone()[0]


# -- DOC1: what a board document holds

def test_every_snapshot_key_is_exported_or_listed_as_volatile(scene):
    """DOC1: a key the snapshot gains is either in the document or named as the live room's."""
    snapshot, document = scene.board.to_dict(), board_document(scene.board)
    for key in snapshot:
        exported = key in document and key not in documents.ENVELOPE
        assert exported != (key in VOLATILE), f"snapshot key {key!r}: exported or volatile, one of the two"
        if exported and key not in ("format", "participants", "vote"):
            assert document[key] == snapshot[key], key
    assert document["format"]["panorama"] == snapshot["format"]["panorama"]
    assert document["format"]["deck"] == []  # the deck is in the cards, not in a second copy
    assert {card["id"] for card in document["cards"]} == set(scene.board.cards)
    assert document["vote"]["results"]["overall"], "the results travel with the board"


def test_every_snapshot_key_but_the_volatile_ones_comes_back_as_it_was(scene, workshops):
    """DOC1, DOC4: key by key, the new board's snapshot is the old one's, but for the live room's keys;
    state another part adds to the board (and to board_from_snapshot) is held to the same."""
    info = workshops.create_from_document(via_file(board_document(scene.board)))
    before, after = scene.board.to_dict(), workshops.room(info["board_id"]).board.to_dict()
    assert set(after) == set(before)
    for key in sorted(set(before) - VOLATILE):
        assert after[key] == before[key], f"snapshot key {key!r} did not come back as it was"


def test_state_added_to_the_snapshot_later_is_exported_with_no_change_to_documents(scene, monkeypatch):
    """DOC1: new board state (details, material...) flows through the snapshot into the document."""
    plain = Board.to_dict
    monkeypatch.setattr(Board, "to_dict", lambda self: {**plain(self), "novelty": {"title": "Atelier de Lyon"}})
    assert board_document(scene.board)["novelty"] == {"title": "Atelier de Lyon"}


# -- DOC2, DOC4: imported into a new board, exactly

def test_a_board_document_imports_into_a_new_board_that_exports_the_same(scene, workshops, store, tmp_path):
    """DOC4: export, import into a new board, export again: the same content, new links, no one's token."""
    first = board_document(scene.board, names=True)
    info = workshops.create_from_document(via_file(first))
    assert info["board_id"] != scene.board_id and info["admin_token"]
    copy_room = workshops.room(info["board_id"])
    second = board_document(copy_room.board, names=True)
    assert content_of(second) == content_of(first)
    assert second["source_board"] == info["board_id"]
    # The people are history: their names and cards are back, their links are not.
    assert {p.name for p in copy_room.board.participants.values()} >= {"Camille Martin", "Anonyme 1"}
    assert tokens_of(store, info["board_id"]) == 2  # the facilitator's and the projector's links only
    assert workshops.open(info["admin_token"]).board_id == info["board_id"]
    # Replayed from the file (a restart), the new board is the same.
    again = Workshops(Store(tmp_path / "board.db"))
    assert again.room(info["board_id"]).board.to_dict() == copy_room.board.to_dict()


def test_the_facilitator_and_projector_ids_are_kept_with_new_links(scene, workshops):
    """DOC4: the facilitator keeps their id and name (their cards and proxy dots stay theirs); the links are new."""
    info = workshops.create_from_document(board_document(scene.board))
    assert info["facilitator_id"] == scene.facilitator
    assert info["admin_token"] != scene.info["admin_token"] and info["join_code"] != scene.info["join_code"]
    assert workshops.open(scene.info["admin_token"]).board_id == scene.board_id  # each link opens its own board


def test_a_catch_up_across_the_restore_is_a_snapshot(scene, workshops):
    """DOC2: the restore event holds every secret of the board: a member asking for it gets a snapshot."""
    info = workshops.create_from_document(board_document(scene.board))
    room = workshops.room(info["board_id"])
    assert [e["type"] for e in room.events_since(0)] == ["board_created", "board_restored"]
    assert room.events_since(0, info["facilitator_id"]) is None
    assert room.events_since(1, scene.people[0]) is None
    assert room.events_since(2, info["facilitator_id"]) == []


def test_restore_board_is_the_servers_alone_and_only_on_a_new_board(workshops):
    """DOC2: a member may not send it (forbidden); once something happened on the board, conflict."""
    info = workshops.create("atelier-competences")
    board = workshops.room(info["board_id"]).board
    content = check_document(template_document(board)).content
    command = parse_command("restore_board", {"content": content})
    refused = decide(board, info["facilitator_id"], command, 1.0)
    assert isinstance(refused, Rejection) and refused.code == FORBIDDEN
    accepted = decide(board, SYSTEM, command, 1.0)
    assert accepted.type == "board_restored"
    later = evolve(copy.deepcopy(board), accepted)
    again = decide(later, SYSTEM, command, 2.0)
    assert isinstance(again, Rejection) and again.code == CONFLICT


# -- DOC3: a bad document creates nothing and says where it is wrong

def _good(workshops):
    scene = Scene(workshops)
    return json.loads(documents.to_json(board_document(scene.board)))


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return document
    return change


BAD = [
    ("truncated JSON", lambda raw: raw[: len(raw) // 2], "file: is not complete JSON"),
    ("10 MB", lambda raw: raw[:-2] + b', "padding": "' + b"x" * (10 * 1024 * 1024) + b'"}', "file: is larger than 2 MB"),
    ("not UTF-8", lambda raw: raw.replace("Écrire".encode(), "Écrire".encode("cp1252")), "file: is not UTF-8"),
    ("NaN", lambda raw: raw.replace(b'"x": 0.25', b'"x": NaN'), "holds NaN"),
]
BAD_FIELDS = [
    ("wrong kind", _set(["atelier"], "tableau"), "atelier: must be 'board' or 'template'"),
    ("wrong version", _set(["version"], 2), "version: must be 1"),
    ("a card in a zone that does not exist", _set(["cards", 0, "zone"], "nulle-part"), "cards[0].zone: unknown zone 'nulle-part'"),
    ("a Panorama row unknown to the format", _set(["teams", 0, "domain"], "astronomie"), "teams[0].domain: unknown Panorama row"),
    ("a lone surrogate", _set(["cards", 0, "text"], "Souder \ud800"), "cards[0].text: holds a character that is not valid text"),
    ("a second format", _set(["format", "deck"], [{"id": "x1", "text": "Autre jeu"}]), "format.deck: must be empty"),
    ("a format that does not load", _set(["format", "panorama", "rows"], []), "format.panorama.rows: must be a non-empty list"),
    ("a wrong type", _set(["options", "team_choice"], "oui"), "options.team_choice: must be true or false"),
    ("an unknown team", _set(["cards", 0, "team"], "t999"), "cards[0].team: unknown team 't999'"),
    ("an unknown field", _set(["cards", 0, "secret"], 1), "cards[0].secret: is not a field of a card"),
    ("the live room", _set(["timer"], {"status": "running"}), "timer: is not part of a board"),
    ("a card text too long", _set(["cards", 0, "text"], "x" * 281), "cards[0].text: must be at most 280"),
    ("a position off the zone", _set(["cards", 0, "x"], 1.5), "cards[0].x: must be a number from 0 to 1"),
    ("the server's own id", _set(["participants", 2, "id"], "system"), "participants[2].id: the id 'system' is reserved"),
    ("two facilitators", _set(["participants", 2, "role"], "facilitator"), "participants: must hold exactly one member"),
    ("too many cards", lambda d: {**d, "cards": d["cards"] * 40}, "cards: holds more than 2000 entries"),
    ("a list 50 deep", _set(["novelty"], json.loads("[" * 50 + "]" * 50)), "nested more than 12 levels"),
    ("not an object", lambda d: [d], "document: must be an object"),
    # The material is held to what add_material accepts (MAT2, MAT4): a file brings in no script link.
    ("a link that is no web address", _set(["material", "items", 1, "url"], "javascript:alert(1)"),
     "material.items[1].url: Field 'url' must start with http:// or https://"),
    ("a material text too long", _set(["material", "items", 0, "body"], "x" * 1001),
     "material.items[0].body: Field 'body' is longer than 1000 characters"),
    ("a link without its address", _set(["material", "items", 1, "url"], ""), "material.items[1]: A link needs a web address"),
    ("a title too long", _set(["details", "title"], "T" * 121), "details: Field 'title' is longer than 120"),
    ("a day that is not in the calendar", _set(["details", "date"], "2026-02-30"), "details: Field 'date' must be a date"),
    ("material shown in a sequence the format lacks", _set(["material", "sequences"], [9]), "material.sequences[0]: must be a whole number from 0 to 3"),
]


def _written_card_index(document):
    return next(i for i, card in enumerate(document["cards"]) if card["kind"] == "new")


@pytest.mark.parametrize("name, spoil, message", BAD, ids=[case[0] for case in BAD])
def test_a_spoilt_file_is_refused_with_its_reason_and_creates_nothing(workshops, name, spoil, message):
    """DOC3: bytes that are no document."""
    raw = spoil(documents.to_json(_good(workshops)))
    before = set(workshops.board_ids())
    with pytest.raises(DocumentError) as refused:
        workshops.create_from_document(raw)
    assert message in str(refused.value)
    assert set(workshops.board_ids()) == before


@pytest.mark.parametrize("name, spoil, message", BAD_FIELDS, ids=[case[0] for case in BAD_FIELDS])
def test_a_bad_document_is_refused_naming_the_field_and_creates_nothing(workshops, store, name, spoil, message):
    """DOC3: each field checked, the one at fault named, nothing written to the file."""
    document = spoil(_good(workshops))
    before = store.db.execute("SELECT COUNT(*) FROM boards").fetchone()[0]
    with pytest.raises(DocumentError) as refused:
        workshops.create_from_document(document)
    assert message in str(refused.value), str(refused.value)
    assert store.db.execute("SELECT COUNT(*) FROM boards").fetchone()[0] == before


def test_a_written_card_in_the_deck_is_refused(workshops):
    """DOC3: only deck cards go in the deck, as move_card says."""
    document = _good(workshops)
    index = _written_card_index(document)
    document["cards"][index]["zone"] = "deck"
    with pytest.raises(DocumentError, match=rf"cards\[{index}\]\.zone: only deck cards are in the deck"):
        workshops.create_from_document(document)


def test_a_dot_on_a_card_the_document_does_not_hold_is_refused(workshops):
    document = _good(workshops)
    voter = next(iter(document["vote"]["dots"]))
    document["vote"]["dots"][voter]["d999"] = 1
    with pytest.raises(DocumentError, match=rf"vote\.dots\.{voter}: a dot on unknown card 'd999'"):
        workshops.create_from_document(document)


# -- DOC5: anonymity

def test_an_anonymous_workshops_file_names_nobody_unless_asked(workshops):
    """DOC5: with an anonymous sequence, no participant's name in the file; asked, every name."""
    scene = Scene(workshops, anonymous_vote=True)
    scene.send(scene.facilitator, "set_anonymity", on=True, sequence=2)
    unnamed = documents.to_json(board_document(scene.board, names=False)).decode("utf-8")
    named = documents.to_json(board_document(scene.board, names=True)).decode("utf-8")
    for name in ("Camille Martin", "Sophie Leroy", "Julien Moreau"):
        assert name not in unnamed and name in named
    assert "Participant 1" in unnamed
    # In an anonymous vote nobody's dots are theirs in the file, names asked or not.
    for document in (json.loads(unnamed), json.loads(named)):
        assert set(document["vote"]["dots"]) == {"voter-1", "voter-2", "voter-3"}
        assert not set(document["vote"]["dots"]) & set(scene.people)
    # And the unnamed file imports back, and exports the same again.
    info = workshops.create_from_document(json.loads(unnamed))
    again = board_document(workshops.room(info["board_id"]).board, names=False)
    assert content_of(again) == content_of(json.loads(unnamed))


# -- DOC6: the template

def test_a_template_holds_the_preparation_only(scene):
    template = template_document(scene.board)
    assert template["atelier"] == "template"
    assert len(template["deck"]) == 62 and all(set(card) == {"id", "text", "description", "domain", "category"}
                                               for card in template["deck"])
    assert template["teams"] == [{"name": "Rouge", "colour": "#aa0000", "domain": "socle"},
                                 {"name": "Bleu", "colour": "#0000aa", "domain": None}]
    assert template["vote"] == {"mode": "participant", "budget": 4, "per_card": 2, "facilitator_votes": True,
                                "anonymous": False}
    text = json.dumps(template, ensure_ascii=False)
    for absent in ("Camille Martin", "Écrire une carte à soi", "Un post-it", "results", "dots", "participants"):
        assert absent not in text


def test_a_workshop_from_a_template_has_its_deck_labels_teams_and_settings_and_no_results(workshops):
    """DOC6: a template with renamed labels and its own deck order gives a new workshop that has them."""
    source = Scene(workshops)
    template = template_document(source.board)
    template["format"]["panorama"]["rows"][0]["label"] = {"fr": "Socle renommé", "en": "Renamed base"}
    template["deck"] = list(reversed(template["deck"]))[:10]
    info = workshops.create_from_document(via_file(template))
    board = workshops.room(info["board_id"]).board
    deck_zone = board.format.deck_zone
    in_deck = sorted((c for c in board.cards.values() if c.zone == deck_zone), key=lambda c: c.z)
    assert [c.text for c in in_deck] == [card["text"] for card in template["deck"]]
    assert len(board.cards) == 10  # no placed card, no new card, no post-it
    assert board.format.document["panorama"]["rows"][0]["label"]["fr"] == "Socle renommé"
    assert [(t.name, t.colour, t.domain) for t in board.teams.values()] == [("Rouge", "#aa0000", "socle"),
                                                                            ("Bleu", "#0000aa", None)]
    assert [p.role for p in board.participants.values()] == ["facilitator", "projector"]
    assert (board.sequence, board.vote.status, board.vote.revealed, board.vote.dots, board.vote.results) == \
        (0, "idle", False, {}, None)
    assert (board.vote.budget, board.vote.per_card, board.vote.facilitator_votes) == (4, 2, True)
    assert board.options == {"team_choice": True, "private_cards": True}
    # Its template is the one it was made from.
    assert content_of(template_document(board)) == content_of(template)


def test_a_template_with_a_dot_or_a_participant_is_refused(scene, workshops):
    """DOC3, DOC6: a template holds no result nor people; saying otherwise is named."""
    template = template_document(scene.board)
    with pytest.raises(DocumentError, match=r"vote\.dots: is not a vote setting"):
        workshops.create_from_document({**template, "vote": {**template["vote"], "dots": {}}})
    with pytest.raises(DocumentError, match=r"participants: is not a field of a template"):
        workshops.create_from_document({**template, "participants": []})
    with pytest.raises(DocumentError, match=r"deck\[0\]\.domain: unknown Panorama row 'lune'"):
        workshops.create_from_document({**template, "deck": [{"text": "Carte", "domain": "lune"}]})
