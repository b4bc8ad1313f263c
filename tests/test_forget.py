"""Deleting (RGPD): a workshop deleted with every personal datum, a retention setting, a participant
forgotten at their request (FORGET1-FORGET7), on a real server and in the real SQLite file's bytes.

Names and texts are distinctive strings, searched for in the raw bytes of the database file and of
its WAL, so "deleted" means gone from the disk, not only from the pages.
"""
import json
import sqlite3
import time

import pytest
import requests

from board.domain import SYSTEM, decide, evolve, parse_command, replay
from board.domain.decide import Event
from board.domain.privacy import redact, redaction_for
from board.store import Store
from board.tokens import projector_token_for, token_hash, secret_of
from board.workshops import Workshops
from conftest import create_workshop, join
from domain_helpers import FACILITATOR_ID, NOW, create_board_command
from realtime import BoardClient
from test_replay import RandomPick, Watcher, run

COMPLETE = 2  # the Compléter sequence: participants write cards
ZONE = "maintenance/techniques"


def disk_bytes(db_path):
    """The database file, its WAL and its shared-memory index, as raw bytes (the last two may be absent)."""
    data = db_path.read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = db_path.with_name(db_path.name + suffix)
        data += extra.read_bytes() if extra.exists() else b""
    return data


def secrets_of(workshop):
    """The stored form of every token of a workshop: admin, projector, each participant's."""
    admin = secret_of(workshop["admin_token"])  # stored: the secret after the board's id
    return [token_hash(admin), token_hash(projector_token_for(admin)),
            *(token_hash(secret_of(p["token"])) for p in workshop["participants"])]


def populated(base_url, tag):
    """A workshop with two named participants who each wrote a card: every string carries `tag`."""
    workshop = create_workshop(base_url)
    workshop["names"] = [f"Zéphyrine {tag}", f"Barnabé {tag}"]
    workshop["participants"] = [join(base_url, workshop["join_code"], name) for name in workshop["names"]]
    workshop["texts"] = [f"Soudure subaquatique {tag}", f"Calligraphie runique {tag}"]
    facilitator = BoardClient(base_url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": COMPLETE})["ok"]
    facilitator.close()
    for person, text in zip(workshop["participants"], workshop["texts"]):
        writer = BoardClient(base_url, person["token"])
        ack = writer.command("create_card", {"kind": "new", "text": text, "zone_id": ZONE, "x": 0.5, "y": 0.5,
                                             "description": f"Parce que {text}"})
        assert ack["ok"], ack
        writer.close()
    return workshop


def delete(base_url, workshop):
    return requests.post(f"{base_url}/f/{workshop['admin_token']}/delete", json={"delete": True}, timeout=10)


def links_of(base_url, workshop):
    return [f"{base_url}/f/{workshop['admin_token']}", f"{base_url}/s/{workshop['projector_token']}",
            *(f"{base_url}/p/{p['token']}" for p in workshop["participants"])]


# -- deleting a workshop --------------------------------------------------------------------------

def test_a_deleted_workshop_leaves_no_name_token_or_text_in_the_file_and_the_other_stays(fresh_server, tmp_path):
    """FORGET7: after the delete, neither the database file nor its WAL holds any name, token hash,
    card text or id of the deleted workshop; its links answer 404 and its open sockets are told and
    closed, also after a restart; the other workshop on the same server is untouched."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    gone, kept = populated(server.url, "Xq7gone"), populated(server.url, "Wk4kept")
    watching = BoardClient(server.url, gone["participants"][0]["token"])
    db = tmp_path / "atelier.db"
    before = disk_bytes(db)
    assert all(name.encode() in before for name in gone["names"])  # the search below can find them

    answer = delete(server.url, gone)
    assert answer.status_code == 200 and answer.json()["ok"]

    watching.wait_for(lambda: watching.messages("closed"), timeout=5)
    assert watching.messages("closed")[0]["reason"] == "deleted"
    watching.wait_for(lambda: not watching.sio.connected, timeout=5)
    after = disk_bytes(db)
    searched = [*gone["names"], *gone["texts"], "Xq7gone", *secrets_of(gone), gone["board_id"]]
    for secret in searched:
        assert secret.encode() not in after, f"{secret!r} is still in the file"
    print(f"\nfigures: {len(searched)} strings searched in {len(before)} bytes before, {len(after)} after: none left")
    for name in [*kept["names"], *kept["texts"]]:
        assert name.encode() in after
    assert not db.with_name("atelier.db-wal").exists() or db.with_name("atelier.db-wal").stat().st_size == 0
    for url in links_of(server.url, gone):
        assert requests.get(url, timeout=5).status_code == 404, url
    refused = requests.post(server.url + "/join", json={"code": gone["join_code"], "name": "Nouvelle"}, timeout=5)
    assert refused.status_code == 404
    with pytest.raises(Exception):
        BoardClient(server.url, gone["participants"][1]["token"])

    server.stop()
    again = fresh_server(port=server.port, extra_args=["--no-demo"])
    for url in links_of(again.url, gone):
        assert requests.get(url, timeout=5).status_code == 404, url
    state = requests.get(again.url + "/api/board", timeout=5,
                         headers={"Authorization": f"Bearer {kept['participants'][0]['token']}"}).json()
    assert {p["name"] for p in state["participants"]} >= set(kept["names"])
    assert {c["text"] for c in state["cards"]} >= set(kept["texts"])


def test_deleting_needs_the_facilitator_link_and_the_json_body(server):
    """A participant's or the projector's token cannot delete; a plain form post or a body without
    {"delete": true} is refused with 400 and nothing is deleted."""
    workshop = create_workshop(server.url, participants=1)
    for token in (workshop["participants"][0]["token"], workshop["projector_token"], "x" * 32):
        assert requests.post(f"{server.url}/f/{token}/delete", json={"delete": True}, timeout=5).status_code == 404
    url = f"{server.url}/f/{workshop['admin_token']}/delete"
    assert requests.post(url, data={"delete": "true"}, timeout=5).status_code == 400
    assert requests.post(url, json={"delete": "yes"}, timeout=5).status_code == 400
    assert requests.get(f"{server.url}/f/{workshop['admin_token']}", timeout=5).ok


# -- retention ------------------------------------------------------------------------------------

def old_and_recent_boards(db_path):
    """A workshop last changed 40 days ago and one changed now, written as a server would."""
    store = Store(db_path)
    long_ago = time.time() - 40 * 86400
    then = Workshops(store, clock=lambda: long_ago)
    old_info = then.create("atelier-competences")
    assert "token" in then.join(old_info["join_code"], "Ottoline Vieillerie")
    now = Workshops(store)
    recent_info = now.create("atelier-competences")
    assert "token" in now.join(recent_info["join_code"], "Rosalind Récente")
    store.close()
    return old_info, recent_info


def test_the_retention_setting_deletes_an_old_workshop_at_start_and_keeps_a_recent_one(fresh_server, tmp_path):
    """--retention-days 30: at start, the workshop unchanged for 40 days is deleted (its link opens
    nothing, its participant's name is not in the file), the one changed today stays."""
    db = tmp_path / "atelier.db"
    old, recent = old_and_recent_boards(db)
    assert b"Ottoline Vieillerie" in disk_bytes(db)
    server = fresh_server(extra_args=["--no-demo", "--retention-days", "30"])
    assert f"Retention: deleted workshop {old['board_id']}" in server.output()
    assert requests.get(f"{server.url}/f/{old['admin_token']}", timeout=5).status_code == 404
    assert requests.get(f"{server.url}/f/{recent['admin_token']}", timeout=5).ok
    assert b"Ottoline Vieillerie" not in disk_bytes(db)
    assert b"Rosalind R" in disk_bytes(db)


def test_the_retention_setting_goes_on_deleting_while_the_server_runs(fresh_server):
    """With a retention of 0.0001 days (about 8.6 s, checked every second), a workshop left alone
    disappears while the server runs; one created 4 s later is still there at that moment."""
    server = fresh_server(extra_args=["--no-demo", "--retention-days", "0.0001"])
    first = create_workshop(server.url, participants=1)
    time.sleep(4)
    second = create_workshop(server.url, participants=1)
    first_link = f"{server.url}/f/{first['admin_token']}"
    assert requests.get(first_link, timeout=5).ok
    deadline = time.monotonic() + 40
    while requests.get(first_link, timeout=5).status_code != 404:
        assert time.monotonic() < deadline, "the idle workshop was never deleted"
        time.sleep(0.5)
    assert requests.get(f"{server.url}/f/{second['admin_token']}", timeout=5).ok
    assert "retention: deleted workshop " + first["board_id"] in server.output()


def test_a_retention_of_zero_or_less_is_refused_at_start(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "--db", str(tmp_path / "a.db"),
                           "--retention-days", "0"], capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "--retention-days must be a number of days above 0" in done.stderr


# -- forgetting a participant ---------------------------------------------------------------------

def test_a_forgotten_participant_leaves_no_name_in_pages_snapshot_or_file_and_their_texts_as_chosen(fresh_server,
                                                                                                 tmp_path):
    """FORGET1, FORGET2, FORGET4, FORGET5: Zéphyrine is forgotten with her texts kept, Barnabé with his
    removed. Every open page gets the labels; the snapshot, the log and the file's bytes hold neither
    name, nor Barnabé's card text; Zéphyrine's card stays, by "Anonyme 1"; their links open nothing,
    also after a restart, which rebuilds the same board from the rewritten log."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = populated(server.url, "Fq9forget")
    zephyrine, barnabe = workshop["participants"]
    keep_text, removed_text = workshop["texts"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    observer = BoardClient(server.url, join(server.url, workshop["join_code"], "Observatrice")["token"])
    zephyrine_page = BoardClient(server.url, zephyrine["token"])

    assert facilitator.command("forget_participant", {"participant_id": zephyrine["participant_id"],
                                                       "texts": "keep"})["ok"]
    assert facilitator.command("forget_participant", {"participant_id": barnabe["participant_id"],
                                                       "texts": "remove"})["ok"]
    facilitator.wait_version(facilitator.replica.version)
    observer.wait_version(facilitator.replica.version)
    for page in (facilitator, observer):
        state = page.state()
        names = {p["id"]: p["name"] for p in state["participants"]}
        assert names[zephyrine["participant_id"]] == "Anonyme 1" and names[barnabe["participant_id"]] == "Anonyme 2"
        texts = {c["text"]: c for c in state["cards"]}
        assert keep_text in texts and texts[keep_text]["author"] == zephyrine["participant_id"]
        assert removed_text not in texts
    zephyrine_page.wait_for(lambda: not zephyrine_page.sio.connected, timeout=5)
    assert any(e["code"] == "unauthorized" for e in zephyrine_page.messages("error"))

    db = tmp_path / "atelier.db"
    on_disk = disk_bytes(db)
    snapshot = requests.get(server.url + "/api/board", timeout=5,
                            headers={"Authorization": f"Bearer {workshop['admin_token']}"}).text
    for gone in [*workshop["names"], removed_text]:  # the description holds the text too
        assert gone.encode() not in on_disk, f"{gone!r} is still in the file"
        assert gone not in snapshot
    for token in (zephyrine["token"], barnabe["token"]):
        assert token_hash(secret_of(token)).encode() not in on_disk
        assert requests.get(f"{server.url}/p/{token}", timeout=5).status_code == 404
    assert keep_text.encode() in on_disk
    live = facilitator.state()
    facilitator.close()
    observer.close()

    server.stop()
    again = fresh_server(port=server.port, extra_args=["--no-demo"])
    reloaded = BoardClient(again.url, workshop["admin_token"])
    assert reloaded.state() == live
    reloaded.close()
    for token in (zephyrine["token"], barnabe["token"]):
        assert requests.get(f"{again.url}/p/{token}", timeout=5).status_code == 404


def test_a_deleted_cards_text_leaves_the_log(server, tmp_path):
    """FORGET6: a card written, edited, then deleted: no event of the log holds either of its texts;
    the same id written again (an undo) keeps its new text, also once the board is reloaded."""
    workshop = create_workshop(server.url, participants=1)
    writer = BoardClient(server.url, workshop["participants"][0]["token"])
    facilitator = BoardClient(server.url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": COMPLETE})["ok"]
    card = {"kind": "new", "text": "Texte effacé Dk2", "zone_id": ZONE, "x": 0.2, "y": 0.2, "card_id": "c-dk2"}
    assert writer.command("create_card", card)["ok"]
    assert writer.command("edit_card", {"card_id": "c-dk2", "text": "Texte revu Dk2"})["ok"]
    assert writer.command("delete_card", {"card_id": "c-dk2"})["ok"]
    assert writer.command("create_card", {**card, "text": "Texte réécrit Dk2"})["ok"]
    writer.close()
    facilitator.close()
    db_path = server.db_path
    with sqlite3.connect(db_path) as db:
        log = " ".join(row[0] for row in db.execute("SELECT data FROM events WHERE board_id = ?",
                                                    [workshop["board_id"]]))
    assert "Texte effacé Dk2" not in log and "Texte revu Dk2" not in log
    assert "Texte réécrit Dk2" in log
    store = Store(db_path)
    try:
        board = replay(store.load_events(workshop["board_id"]))
    finally:
        store.close()
    assert board.cards["c-dk2"].text == "Texte réécrit Dk2"


# -- the redacted log still rebuilds the board (domain) ------------------------------------------

def redacted_log(events):
    """The log as the store keeps it: each event's redaction applied to the events before it."""
    stored = []
    for event in events:
        stored.append(event.to_dict())
        redaction = redaction_for(event)
        if redaction:
            stored = redact(stored, redaction)
    return stored


@pytest.mark.parametrize("seed", [3, 13, 2017])
def test_a_redacted_log_replays_to_the_live_board_and_holds_nothing_forgotten(seed):
    """FORGET4, FORGET6 over long seeded runs: replaying the redacted log gives the live board; no
    text a deleted card ever had is left in it, and no forgotten person's name where they joined."""
    board, events, _ = run(RandomPick(seed), 2000, Watcher())
    stored = redacted_log(events)
    assert replay([Event(**json.loads(json.dumps(e))) for e in stored]).to_dict() == board.to_dict()
    forgotten = [e for e in events if e.type == "participant_forgotten"]
    deleted = [e for e in events if e.type == "card_deleted"]
    assert forgotten and deleted, f"seed {seed} forgot nobody or deleted nothing"
    for event in deleted:
        card_id = event.data["card_id"]
        texts = {e.data.get(k) for e in events[:event.version - 1] for k in ("text", "description")
                 if e.type in ("card_created", "card_edited") and card_id in (e.data.get("id"), e.data.get("card_id"))}
        texts -= {"", None}
        earlier = json.dumps(stored[:event.version - 1], ensure_ascii=False)
        for text in texts:
            assert text not in earlier, f"seed {seed}: {text!r} of deleted {card_id} is still in the log"
    for event in forgotten:
        pid = event.data["participant_id"]
        joined = [e for e in stored[:event.version - 1] if e["type"] == "participant_joined" and e["data"]["id"] == pid]
        assert joined and all(e["data"]["name"] in ("Anonyme " + str(n) for n in range(1, 20)) for e in joined)


def test_forgetting_refuses_the_facilitator_an_unknown_id_and_a_bad_choice():
    """FORGET3; and FORGET1's label is one nobody has, even someone called "Anonyme 1"."""
    board = evolve(None, decide(None, SYSTEM, create_board_command(), NOW))
    for pid, name in (("p1", "Anonyme 1"), ("p2", "Léonie")):
        board = evolve(board, decide(board, SYSTEM, parse_command("join", {"participant_id": pid, "name": name,
                                                                            "role": "participant"}), NOW))
    refused = decide(board, FACILITATOR_ID, parse_command("forget_participant", {"participant_id": FACILITATOR_ID,
                                                                                 "texts": "keep"}), NOW)
    assert refused.code == "forbidden"
    refused = decide(board, FACILITATOR_ID, parse_command("forget_participant", {"participant_id": "ghost",
                                                                                 "texts": "keep"}), NOW)
    assert refused.code == "not_found"
    with pytest.raises(Exception) as error:
        parse_command("forget_participant", {"participant_id": "p2", "texts": "all"})
    assert error.value.rejection.code == "bad_request"
    refused = decide(board, "p1", parse_command("forget_participant", {"participant_id": "p2", "texts": "keep"}), NOW)
    assert refused.code == "forbidden"
    event = decide(board, FACILITATOR_ID, parse_command("forget_participant", {"participant_id": "p2",
                                                                               "texts": "keep"}), NOW)
    assert event.data == {"participant_id": "p2", "label": "Anonyme 2", "texts": "keep", "cards": []}


def test_a_delete_the_disk_refuses_deletes_nothing_and_the_workshop_goes_on(store, workshops):
    """A store that cannot write (SQLite's query_only, a real refusal of the real file): the delete
    raises StoreError, the board is still whole and its room still takes commands."""
    from board.store import StoreError
    info = workshops.create("atelier-competences")
    joined = workshops.join(info["join_code"], "Philippine Têtue")
    store.db.execute("PRAGMA query_only=ON")
    with pytest.raises(StoreError):
        workshops.delete(info["board_id"])
    store.db.execute("PRAGMA query_only=OFF")
    room = workshops.room(info["board_id"])
    assert room is not None and not room.closed
    assert workshops.open(joined["token"]) is not None
    assert room.submit(info["facilitator_id"], parse_command("set_sequence", {"index": 1}))["ok"]
    assert "Philippine Têtue" in {p.name for p in replay(store.load_events(info["board_id"])).participants.values()}


def test_a_rewrite_that_fails_keeps_nothing_of_its_batch(store, workshops):
    """The rewrite runs in the batch's transaction: when it fails, the forgetting event is not kept
    either (and the name stays where it was), so the log never says "forgotten" while holding the name."""
    info = workshops.create("atelier-competences")
    joined = workshops.join(info["join_code"], "Gaspard Intact")
    board = workshops.room(info["board_id"]).board
    event = decide(board, info["facilitator_id"], parse_command("forget_participant", {
        "participant_id": joined["participant_id"], "texts": "keep"}), NOW)
    real = redaction_for(event)

    class FailsHalfway:
        """The real redaction, whose rewrite breaks on the way (as a full disk would)."""
        before, types, revoke, scrub = real.before, real.types, real.revoke, real.scrub

        def apply(self, kind, data):
            raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(Exception):
        store.append(info["board_id"], [event], rewrites=[FailsHalfway()])
    events = store.load_events(info["board_id"])
    assert [e.type for e in events][-1] == "participant_joined"
    assert events[-1].data["name"] == "Gaspard Intact"
    assert store.credential(token_hash(secret_of(joined["token"]))) is not None
    store.append(info["board_id"], [event], rewrites=[real])
    assert store.credential(token_hash(secret_of(joined["token"]))) is None
    assert "Gaspard" not in json.dumps([e.data for e in store.load_events(info["board_id"])], ensure_ascii=False)
