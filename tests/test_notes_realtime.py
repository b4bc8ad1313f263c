"""Notes through the real server (NOTE2, NOTE4, NOTE10): participants writing notes on one card at the
same moment all land, in one order every client agrees on; a card's move and deletion take its notes
with it on every screen. Real eventlet server, real Socket.IO clients."""
import threading

from notes_scene import create_notes_workshop

CELL = "maintenance/techniques"


def _notes_on(state, card_id):
    return sorted((c["id"], c["note_kind"], c["text"], c["zone"]) for c in state["cards"] if c["parent"] == card_id)


def test_participants_writing_notes_on_one_card_at_once_all_converge(server, clients):
    """NOTE2: four participants each write five notes on one card concurrently; every note is there
    once, and every client (the writers, the facilitator, the projector) holds the same board."""
    workshop = create_notes_workshop(server.url, participants=4)
    facilitator = clients(workshop["admin_token"])
    projector = clients(workshop["projector_token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    assert facilitator.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})["ok"]
    writers = [clients(person["token"]) for person in workshop["participants"]]
    kinds = ["signification", "implication", "question", "risque"]
    answers, start = [], threading.Barrier(len(writers))

    def write(index, client):
        start.wait()
        for n in range(5):
            answers.append(client.command("create_card", {
                "kind": "postit", "text": f"Mot {index}-{n}", "zone_id": CELL, "x": 0, "y": 0,
                "card_id": f"note-{index}-{n}", "parent": "d01", "note_kind": kinds[(index + n) % 4]}))

    threads = [threading.Thread(target=write, args=(i, c)) for i, c in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 20 and all(answer["ok"] for answer in answers), answers
    last = max(answer["version"] for answer in answers)
    everyone = [facilitator, projector, *writers]
    for client in everyone:
        client.wait_version(last)
    expected = _notes_on(facilitator.state(), "d01")
    assert len(expected) == 20 and {text for _, _, text, _ in expected} == {f"Mot {i}-{n}" for i in range(4) for n in range(5)}
    for client in everyone:
        assert client.state()["cards"] == facilitator.state()["cards"]
    # The card moves: its notes go with it on every screen; deleted (by the facilitator), they go too.
    moved = facilitator.command("move_card", {"card_id": "d01", "zone_id": "socle/capacites", "x": 0.5, "y": 0.5})
    for client in everyone:
        client.wait_version(moved["version"])
        assert {zone for *_, zone in _notes_on(client.state(), "d01")} == {"socle/capacites"}
    gone = facilitator.command("delete_card", {"card_id": "d01"})
    assert gone["ok"], gone
    for client in everyone:
        client.wait_version(gone["version"])
        assert _notes_on(client.state(), "d01") == [] and not any(c["parent"] for c in client.state()["cards"])


def test_a_note_refused_reaches_nobody_and_says_why(server, clients):
    """NOTE5, NOTE8: a note of an unknown kind, or outside a sequence that opens notes, is refused to its
    sender with the reason; nobody else receives anything."""
    workshop = create_notes_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    writer, other = (clients(person["token"]) for person in workshop["participants"])
    assert facilitator.command("move_card", {"card_id": "d01", "zone_id": CELL, "x": 0.5, "y": 0.5})["ok"]
    note = {"kind": "postit", "text": "Mot", "zone_id": CELL, "x": 0, "y": 0, "parent": "d01", "note_kind": "question"}
    closed = writer.command("create_card", note)  # sequence 1 (Découverte) opens no note
    assert closed["ok"] is False and closed["code"] == "sequence_closed"
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    unknown = writer.command("create_card", {**note, "note_kind": "effet"})
    assert unknown["ok"] is False and unknown["code"] == "bad_request" and "signification" in unknown["message"]
    version = facilitator.state()["version"]
    accepted = writer.command("create_card", note)
    assert accepted["ok"] and accepted["version"] == version + 1
    other.wait_version(accepted["version"])
    assert [c["text"] for c in other.state()["cards"] if c["parent"] == "d01"] == ["Mot"]
