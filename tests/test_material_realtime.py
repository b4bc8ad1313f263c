"""The material on a real server, with real Socket.IO clients (MAT1, MAT4, MAT6).

The facilitator attaches a text, a quote and a link while the workshop is in sequence 1; a
participant and the projector, connected all along, receive none of it until the facilitator opens
sequence 3, get all three then, and lose them again in sequence 4. What they received is searched
as the JSON that came over the wire: finding a title there before sequence 3 would be a leak.
"""
import json

from board import protocol as p
from conftest import create_workshop
from realtime import BoardClient

TEXT = {"kind": "text", "title": "Le métier demain", "body": "Trois tendances à garder en tête."}
QUOTE = {"kind": "quote", "body": "Le secret de l’action, c’est de commencer.", "author": "Alain"}
LINK = {"kind": "link", "title": "Fiches métiers", "url": "https://www.example.org/fiches"}
SECRETS = ("Le métier demain", "Trois tendances", "secret de l’action", "Alain", "example.org/fiches")


def wire(client):
    """Everything a client received, as the JSON text that came over the wire."""
    with client.lock:
        return json.dumps(client.received, ensure_ascii=False)


def ok(ack):
    assert ack["ok"], ack
    return ack


def titles(client):
    """The items' titles (or words, for a quote) the client's replica holds, in order."""
    return [item["title"] or item["body"] for item in client.state()["material"]["items"]]


def test_participants_get_the_material_when_its_sequence_opens_and_not_before(server):
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    participant = BoardClient(server.url, workshop["participants"][0]["token"])
    projector = BoardClient(server.url, workshop["projector_token"])
    watchers = (participant, projector)
    try:
        for item in (TEXT, QUOTE, LINK):
            ok(facilitator.command("add_material", item))
        version = ok(facilitator.command("set_sequence", {"index": 1}))["version"]
        facilitator.wait_version(version)
        for client in watchers:
            client.wait_version(version)
            assert titles(client) == []
            leaked = [secret for secret in SECRETS if secret in wire(client)]
            assert leaked == [], leaked
            # The events came (the version moved on), empty of items.
            events = [e for e in client.messages(p.SERVER_EVENT) if e["type"] == "material_added"]
            assert [e["data"] for e in events] == [{"items": []}] * 3
        assert titles(facilitator) == ["Le métier demain", QUOTE["body"], "Fiches métiers"]

        # Sequence 3, Compléter: the format's default opens the panel; the items come with the change.
        version = ok(facilitator.command("set_sequence", {"index": 2}))["version"]
        facilitator.wait_version(version)
        for client in watchers:
            client.wait_version(version)
            assert titles(client) == ["Le métier demain", QUOTE["body"], "Fiches métiers"]
            assert client.state()["material"] == facilitator.state()["material"]
        # Changes while it shows reach them at once, as the whole list.
        link = facilitator.state()["material"]["items"][2]["id"]
        version = ok(facilitator.command("move_material", {"material_id": link, "position": 0}))["version"]
        participant.wait_version(version)
        assert titles(participant) == ["Fiches métiers", "Le métier demain", QUOTE["body"]]

        # A participant who opens the board now gets them in the welcome.
        late = BoardClient(server.url, workshop["participants"][1]["token"])
        try:
            assert titles(late) == titles(participant)
        finally:
            late.close()

        # Sequence 4: gone again.
        version = ok(facilitator.command("set_sequence", {"index": 3}))["version"]
        facilitator.wait_version(version)
        for client in watchers:
            client.wait_version(version)
            assert titles(client) == []
        assert len(titles(facilitator)) == 3
    finally:
        for client in (facilitator, *watchers):
            client.close()


def test_choosing_the_sequences_shows_the_material_now_and_a_resumed_page_agrees(server):
    """MAT5, MAT6: opening the material in the current sequence sends it at once; a page that was
    offline meanwhile catches up to the same list."""
    workshop = create_workshop(server.url, participants=2)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    participant = BoardClient(server.url, workshop["participants"][0]["token"])
    offline = BoardClient(server.url, workshop["participants"][1]["token"])
    try:
        offline.wait_version(ok(facilitator.command("add_material", TEXT))["version"])
        offline.close()
        ok(facilitator.command("add_material", QUOTE))
        version = ok(facilitator.command("set_material_sequences", {"sequences": [0, 2]}))["version"]
        participant.wait_version(version)
        assert titles(participant) == ["Le métier demain", QUOTE["body"]]
        assert participant.state()["material"]["sequences"] == [0, 2]
        offline.connect(resume=True)  # welcome with the events missed since its version
        assert "events" in offline.messages(p.SERVER_WELCOME)[-1]
        assert offline.state()["material"] == participant.state()["material"]
    finally:
        for client in (facilitator, participant, offline):
            client.close()


def test_bad_input_gets_a_clear_refusal_and_changes_nothing(server):
    """MAT1, MAT2, MAT4 over the wire: a participant may not add; a bad address is refused."""
    workshop = create_workshop(server.url, participants=1)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    participant = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        version = ok(facilitator.command("set_sequence", {"index": 2}))["version"]
        refused = participant.command("add_material", TEXT)
        assert (refused["ok"], refused["code"]) == (False, "forbidden")
        for bad, code in ((dict(LINK, url="javascript:alert(1)"), "bad_request"),
                          (dict(LINK, url="www.example.org"), "bad_request"),
                          (dict(TEXT, body=""), "bad_request"),
                          (dict(TEXT, title="x" * 121), "too_large")):
            answer = facilitator.command("add_material", bad)
            assert (answer["ok"], answer["code"]) == (False, code), answer
            assert answer["message"]
        assert facilitator.command("set_projector", {"show_join": False})["version"] == version + 1  # nothing between
        assert facilitator.state()["material"]["items"] == []
    finally:
        facilitator.close()
        participant.close()


def test_the_material_survives_a_restart(fresh_server):
    """MAT1: accepted material is in the log before its answer; a restarted server has it all, in order,
    with the sequences chosen, and still withholds it outside them (MAT6)."""
    first = fresh_server(extra_args=["--no-demo"])
    workshop = create_workshop(first.url, participants=1)
    facilitator = BoardClient(first.url, workshop["admin_token"])
    for item in (TEXT, QUOTE, LINK):
        ok(facilitator.command("add_material", item))
    facilitator.wait_version(ok(facilitator.command("set_material_sequences", {"sequences": [1, 2]}))["version"])
    before = facilitator.state()["material"]
    facilitator.close()
    first.stop()
    second = fresh_server(port=first.port, extra_args=["--no-demo"])
    facilitator = BoardClient(second.url, workshop["admin_token"])
    participant = BoardClient(second.url, workshop["participants"][0]["token"])
    try:
        assert facilitator.state()["material"] == before
        assert [item["kind"] for item in before["items"]] == ["text", "quote", "link"]
        assert participant.state()["material"] == {"items": [], "sequences": [1, 2]}  # sequence 1 shows none
    finally:
        facilitator.close()
        participant.close()
