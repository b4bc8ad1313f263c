"""Start-up tells the links of the workshops in progress again, mints none and writes nothing; a
facilitator replaces a board's links on demand, which closes the old ones at once."""
import re
from concurrent.futures import ThreadPoolExecutor
import sqlite3
import stat
from pathlib import Path

import requests
import socketio

from board import protocol as p
from board.store import Store
from board.workshops import Workshops
from conftest import create_workshop
from realtime import BoardClient

DAY = 24 * 3600


def printed_boards(server):
    """The boards the last start of this server printed, in order: facilitator, join code, projector."""
    output = server.output().split("Atelier is running")[-1]
    boards = []
    for line in output.splitlines():
        if match := re.search(r"Facilitator link.*?: (http\S+)", line):
            boards.append({"facilitator": match.group(1)})
        if match := re.search(r"Join code: (\S+)", line):
            if not boards or "join_code" in boards[-1]:
                boards.append({})  # a board whose link could not be told: its code comes first
            boards[-1]["join_code"] = match.group(1)
        if match := re.search(r"Projector link: (\S+)", line):
            boards[-1]["projector"] = match.group(1)
    return boards


def rows(db_path):
    """Every row a start could have added: boards, events, credentials."""
    with sqlite3.connect(db_path) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("boards", "events", "credentials")}


def token_of(link):
    return link.rsplit("/", 1)[1]


def opens(server, link):
    """Whether a page link opens its page (a dead link is the 404 page)."""
    return requests.get(server.url + "/" + link.split("/", 3)[3], timeout=5).status_code == 200


def socket_refused(server, token):
    try:
        BoardClient(server.url, token).close()
    except socketio.exceptions.ConnectionError:
        return True
    return False


def test_restarts_print_the_same_links_that_still_work_and_add_no_row(fresh_server):
    first = fresh_server()
    demo = printed_boards(first)
    assert len(demo) == 1 and set(demo[0]) == {"facilitator", "join_code", "projector"}
    first.stop()
    before = rows(first.db_path)
    for _ in range(2):
        again = fresh_server(port=first.port)
        assert printed_boards(again) == demo
        assert opens(again, demo[0]["facilitator"]) and opens(again, demo[0]["projector"])
        facilitator = BoardClient(again.url, token_of(demo[0]["facilitator"]))
        assert facilitator.me["role"] == "facilitator"
        facilitator.close()
        again.stop()
    assert rows(first.db_path) == before  # no token minted, no event, no board
    # The links come from a key file beside the database, readable by its owner only.
    key = Path(first.db_path + ".key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert token_of(demo[0]["facilitator"]) not in Path(first.db_path).read_bytes().decode("latin-1")


def test_the_start_prints_the_workshops_in_progress_the_latest_first(fresh_server):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    assert printed_boards(server) == []
    active, idle, finished, old = (create_workshop(server.url) for _ in range(4))
    facilitator = BoardClient(server.url, finished["admin_token"])
    for command, data in (("set_sequence", {"index": 3}), ("open_vote", {}), ("close_vote", {}),
                          ("reveal_results", {})):
        assert facilitator.command(command, data)["ok"], command
    facilitator.close()
    # The workshop created first is the one the room is working on now.
    facilitator = BoardClient(server.url, active["admin_token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    facilitator.close()
    server.stop()
    with sqlite3.connect(server.db_path) as db:  # a workshop nobody touched for eight days
        db.execute("UPDATE events SET at = at - ? WHERE board_id = ?", [8 * DAY, old["board_id"]])

    again = fresh_server(port=server.port, extra_args=["--no-demo"])
    printed = printed_boards(again)
    assert [b["join_code"] for b in printed] == [active["join_code"], idle["join_code"]]
    assert printed[0]["facilitator"].endswith(active["admin_token"])
    assert "Workshops in progress" in again.output().split("Atelier is running")[-1]


def rotate(server, admin_token):
    """Ask for new links as the console does; the JSON answer."""
    response = requests.post(f"{server.url}/f/{admin_token}/links", headers={"Accept": "application/json"},
                             timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_new_links_close_the_old_ones_at_once_and_survive_a_restart(fresh_server):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url, participants=1)
    console = BoardClient(server.url, workshop["admin_token"])
    projector = BoardClient(server.url, workshop["projector_token"])
    person = BoardClient(server.url, workshop["participants"][0]["token"])
    try:
        new = rotate(server, workshop["admin_token"])
        assert new["join_code"] == workshop["join_code"]
        assert new["facilitator_url"] != workshop["facilitator_url"]
        assert new["projector_url"] != workshop["projector_url"]
        # The sockets opened with the old links are told why, then closed; the participant stays.
        for old in (console, projector):
            old.wait_for(lambda old=old: any("replaced" in m["message"] for m in old.messages(p.SERVER_ERROR)))
            old.wait_for(lambda old=old: not old.sio.connected)
        assert person.sio.connected and person.messages(p.SERVER_ERROR) == []
        # The old links open nothing: their pages are the dead-link page, their sockets are refused.
        for link, token in ((workshop["facilitator_url"], workshop["admin_token"]),
                            (workshop["projector_url"], workshop["projector_token"])):
            page = requests.get(link, timeout=5)
            assert page.status_code == 404 and "page.dead_link" in page.text
            assert socket_refused(server, token)
        # A second rotation from the dead link is refused too.
        assert requests.post(f"{server.url}/f/{workshop['admin_token']}/links", timeout=5).status_code == 404
        # The new ones open the console, the board and the projector.
        assert opens(server, new["facilitator_url"]) and opens(server, new["projector_url"])
        facilitator = BoardClient(server.url, token_of(new["facilitator_url"]))
        assert facilitator.command("set_sequence", {"index": 1})["ok"]
        facilitator.close()
    finally:
        for client in (console, projector, person):
            client.close()
    server.stop()

    again = fresh_server(port=server.port, extra_args=["--no-demo"])
    printed = printed_boards(again)
    assert printed == [{"facilitator": new["facilitator_url"], "join_code": new["join_code"],
                        "projector": new["projector_url"]}]
    assert opens(again, new["facilitator_url"]) and not opens(again, workshop["facilitator_url"])
    assert socket_refused(again, workshop["admin_token"])
    with sqlite3.connect(again.db_path) as db:  # one admin token and one projector token, no pile
        roles = db.execute("SELECT role, COUNT(*) FROM credentials WHERE board_id = ? GROUP BY role",
                           [workshop["board_id"]]).fetchall()
    assert dict(roles) == {"facilitator": 1, "projector": 1, "participant": 1}


def test_a_workshop_made_before_derived_links_keeps_its_link_until_replaced(fresh_server, tmp_path):
    # The file as the previous version left it: a random admin token, schema 1, no link generation.
    store = Store(tmp_path / "atelier.db")
    legacy = Workshops(store).create("atelier-competences")
    store.db.execute("ALTER TABLE boards DROP COLUMN link_generation")
    store.db.execute("PRAGMA user_version=1")
    store.close()

    server = fresh_server(extra_args=["--no-demo"])
    printed = printed_boards(server)
    assert printed == [{"join_code": legacy["join_code"]}]  # its link cannot be told again, nor minted
    assert "not printable" in server.output()
    assert opens(server, f"{server.url}/f/{legacy['admin_token']}")
    assert opens(server, f"{server.url}/s/{legacy['projector_token']}")
    new = rotate(server, legacy["admin_token"])
    assert not opens(server, f"{server.url}/f/{legacy['admin_token']}")
    server.stop()

    again = fresh_server(port=server.port, extra_args=["--no-demo"])
    assert printed_boards(again)[0]["facilitator"] == new["facilitator_url"]
    assert opens(again, new["facilitator_url"])


def test_a_lost_link_is_replaced_from_the_command_line_on_request_only(fresh_server, tmp_path):
    store = Store(tmp_path / "atelier.db")  # an old board whose random link was lost
    legacy = Workshops(store).create("atelier-competences")
    store.close()
    server = fresh_server(extra_args=["--no-demo", "--new-links", legacy["join_code"].lower()])
    said = server.output().split("Atelier is running")[-1]
    assert "New links" in said
    new = printed_boards(server)
    assert len(new) == 1 and new[0]["join_code"] == legacy["join_code"]
    assert opens(server, new[0]["facilitator"]) and opens(server, new[0]["projector"])
    assert not opens(server, f"{server.url}/f/{legacy['admin_token']}")
    server.stop()
    before = rows(server.db_path)
    again = fresh_server(port=server.port, extra_args=["--no-demo"])  # without the option: told, not replaced
    assert printed_boards(again) == new
    again.stop()
    assert rows(server.db_path) == before
    unknown = fresh_server(port=server.port, extra_args=["--no-demo", "--new-links", "ZZZZZZ"])
    assert "No workshop has the join code 'ZZZZZZ'" in unknown.output()
    assert printed_boards(unknown) == new


def test_two_clicks_on_replace_give_one_new_link_that_works(fresh_server):
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "100"])
    workshop = create_workshop(server.url)
    url = f"{server.url}/f/{workshop['admin_token']}/links"
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: requests.post(url, headers={"Accept": "application/json"}, timeout=10),
                                range(4)))
    done = [a.json() for a in answers if a.status_code == 200]
    assert len(done) == 1 and sorted(a.status_code for a in answers) == [200, 404, 404, 404]
    assert opens(server, done[0]["facilitator_url"]) and opens(server, done[0]["projector_url"])
