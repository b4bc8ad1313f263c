"""A shared server reaches every board of its database, not only those a process has loaded (issue 15):
retention deletes an idle board nobody serves, a published synthesis opens when no process holds its board,
and a campaign's pages work on any process, its comparison reading a board another process serves live.

Real engines (tests/engines.py, cluster/__init__.py): PostgreSQL, Redis, nginx and two run.py processes,
one cluster for this module; each test makes its own boards.
"""
import threading
import time

import psycopg2
import pytest
import requests

from board.linkkey import LinkKey
from board.store_pg import PostgresStore
from board.workshops import Workshops
from realtime import BoardClient
from test_cluster_routing import create_board, holders

WRITE = 2  # the sequence "Compléter" of atelier-competences: cards may be placed
DAY = 86400


@pytest.fixture(scope="module")
def cluster(postgres, tmp_path_factory):
    """nginx, Redis and two processes on a database of their own, with a retention of 30 days (whose
    pass runs at each process's start, then every hour: never during these tests unless one restarts)."""
    from cluster import Cluster
    started = Cluster(tmp_path_factory.mktemp("reach"), processes=2, database=postgres.new_database(),
                      server_args=["--retention-days", "30"]).start()
    yield started
    started.stop()
    for server in started.servers:
        output = server.output()
        assert "Traceback" not in output, output[output.index("Traceback"):][:4000]


def restart(server):
    """Stop a process by its PID and start it again on its port; what it printed this time, once its
    start (and its retention pass, which comes first) is over."""
    server.stop()
    before = len(server.output())
    server.start()
    deadline = time.monotonic() + 30
    while "Atelier is running" not in server.output()[before:]:
        assert time.monotonic() < deadline, server.output()[before:][-2000:]
        time.sleep(0.1)
    return server.output()[before:]


def rows_of(database, board_id):
    """How many rows each table holds for a board, read by a connection of our own."""
    counts = {}
    with psycopg2.connect(database) as conn, conn.cursor() as cursor:
        for table, column in (("boards", "id"), ("events", "board_id"), ("credentials", "board_id")):
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = %s", [board_id])
            counts[table] = cursor.fetchone()[0]
    return counts


# -- retention ------------------------------------------------------------------------------------------

def test_retention_deletes_an_idle_board_no_process_serves_and_leaves_the_one_another_process_serves(cluster):
    """Two boards unchanged for 40 days, a retention of 30: one nobody opened since it was made (no process
    loaded it), one a facilitator has open on its process. The other process's pass (at its restart) deletes
    the first, rows and links gone, and leaves the second, which its process goes on serving."""
    url = cluster.nginx.url
    idle, served = create_board(url), create_board(url)
    facilitator = BoardClient(url, served["admin_token"])
    try:
        [holder_port] = holders(cluster, served["board_id"])
        assert holders(cluster, idle["board_id"]) == []
        other = next(server for server in cluster.servers if server.port != holder_port)
        other.stop()
        with psycopg2.connect(cluster.database) as conn, conn.cursor() as cursor:
            cursor.execute("UPDATE events SET at = at - %s WHERE board_id = ANY(%s)",
                           [40 * DAY, [idle["board_id"], served["board_id"]]])
        said = restart(other)
        assert f"Retention: deleted workshop {idle['board_id']}" in said
        assert served["board_id"] not in said
        assert rows_of(cluster.database, idle["board_id"]) == {"boards": 0, "events": 0, "credentials": 0}
        assert rows_of(cluster.database, served["board_id"])["boards"] == 1
        # The deleted board's links and code open nothing, through nginx, whichever process answers.
        assert requests.get(f"{url}/f/{idle['admin_token']}", timeout=10).status_code == 404
        assert requests.get(f"{url}/f/{idle['admin_token'].split('.', 1)[1]}", timeout=10).status_code == 404
        joined = requests.post(f"{url}/join", json={"code": idle["join_code"], "name": "Tardif"}, timeout=10)
        assert joined.status_code == 404
        # The other board is still its process's, and still changes.
        assert holders(cluster, served["board_id"]) == [holder_port]
        assert facilitator.command("create_card", {"kind": "postit", "text": "toujours là", "zone_id": "parking",
                                                   "x": 0.5, "y": 0.5})["ok"]
    finally:
        facilitator.close()


def test_two_processes_passes_delete_each_idle_board_once_and_not_one_another_serves(postgres_url, tmp_path):
    """Two processes' retention passes at the same moment on one database: every idle board nobody serves
    is deleted by exactly one of them; an idle board the second serves is deleted by the second alone (the
    first cannot take its lease); a recent board stays."""
    key = LinkKey(tmp_path / "link.key")
    long_ago = time.time() - 40 * DAY
    maker = Workshops(PostgresStore(postgres_url), clock=lambda: long_ago, link_key=key)
    idle = sorted(maker.create("atelier-competences")["board_id"] for _ in range(6))
    served = maker.create("atelier-competences")["board_id"]
    maker.store.close()
    first, second = (Workshops(PostgresStore(postgres_url), link_key=key) for _ in range(2))
    try:
        recent = first.create("atelier-competences")["board_id"]
        assert second.serve(served) is not None and first.serve(served) is None
        deleted, start = {}, threading.Barrier(2)

        def run_pass(name, workshops):
            start.wait()
            deleted[name] = workshops.delete_idle(30)
        passes = [threading.Thread(target=run_pass, args=(name, workshops))
                  for name, workshops in (("first", first), ("second", second))]
        for thread in passes:
            thread.start()
        for thread in passes:
            thread.join(60)
        assert sorted(deleted["first"] + deleted["second"]) == sorted([*idle, served])
        assert served in deleted["second"] and served not in deleted["first"]
        assert first.store.board_ids() == [recent]
    finally:
        first.store.close()
        second.store.close()


# -- the published synthesis --------------------------------------------------------------------------

def test_a_published_synthesis_opens_through_nginx_when_no_process_has_its_board_and_so_does_its_bare_link(cluster):
    """SYN2 on a shared server: after every process restarted (no board loaded anywhere), the synthesis link
    with its board opens through nginx, and the bare link printed on a handout before links named their board
    is sent on to it. Unpublished, or an earlier edition's link: the same 404 as an unknown link."""
    url = cluster.nginx.url
    info = create_board(url)
    board_id = info["board_id"]

    def facilitator_says(kind, data=None):
        facilitator = BoardClient(url, info["admin_token"])
        try:
            assert facilitator.command(kind, data or {})["ok"]
        finally:
            facilitator.close()
        link = requests.get(f"{url}/f/{info['admin_token']}/synthesis", timeout=10).json()["url"]
        return link and "/r/" + link.rsplit("/r/", 1)[1]

    named = facilitator_says("publish_synthesis", {"include_names": False})
    assert named.startswith(f"/r/{board_id}.")
    bare = "/r/" + named.split(".", 1)[1]
    for server in cluster.servers:
        server.stop()
    for server in cluster.servers:
        restart(server)
    assert holders(cluster, board_id) == []

    page = requests.get(url + bare, timeout=10)
    assert page.status_code == 200 and [step.status_code for step in page.history] == [307]
    assert page.url.endswith(named) and "Atelier Compétences" in page.text
    assert len(holders(cluster, board_id)) == 1  # loaded by its own process only, not by the one asked first
    page = requests.get(url + named, timeout=10)
    assert page.status_code == 200 and not page.history and "Atelier Compétences" in page.text

    unknown = requests.get(f"{url}/r/{'Z' * 32}", timeout=10)
    assert unknown.status_code == 404
    assert facilitator_says("unpublish_synthesis") is None
    for path in (named, bare):
        closed = requests.get(url + path, timeout=10)
        assert closed.status_code == 404 and not closed.history and closed.text == unknown.text
    again = facilitator_says("publish_synthesis", {"include_names": False})
    assert again != named and requests.get(url + again, timeout=10).status_code == 200
    for path in (named, bare):
        earlier = requests.get(url + path, timeout=10)
        assert earlier.status_code == 404 and not earlier.history and earlier.text == unknown.text


# -- campaigns ----------------------------------------------------------------------------------------

def on(server, cluster, method, path, **kwargs):
    """A request to one process as nginx passes it on (the public address's Host), whichever process
    nginx would pick: a campaign's link names no board, so any process may answer it."""
    headers = {"Host": f"127.0.0.1:{cluster.nginx.port}", **kwargs.pop("headers", {})}
    return requests.request(method, server.url + path, headers=headers, timeout=20, **kwargs)


def text_of(client, card_id):
    return next(card["text"] for card in client.state()["cards"] if card["id"] == card_id)


def placed_in(server, cluster, path, territory, cell="socle/techniques"):
    """The texts of the cards a territory placed in a Panorama cell, as the comparison `server` makes says."""
    answer = on(server, cluster, "GET", path + "/synthesis.json")
    assert answer.status_code == 200, answer.text[:500]
    comparison = answer.json()
    place = next(place for place in comparison["places"] if place["id"] == cell)
    return sorted(comparison["cards"][key]["text"] for key in place["by_territory"][territory])


def test_a_campaign_works_on_every_process_and_its_comparison_reads_a_board_another_process_serves(cluster):
    """The campaign is made on one process, its boards added on both, its page read on each; the comparison
    and its files, asked of the process that does not serve a board, show a card its facilitator has just
    placed on the other process, read from the store: that board stays its process's, and writable."""
    url = cluster.nginx.url
    first, second = cluster.servers
    made = on(first, cluster, "POST", "/campaigns",
              json={"name": "Centre-Val de Loire", "format": "atelier-competences"})
    assert made.status_code == 201, made.text
    path = "/c/" + made.json()["coordinator_url"].rsplit("/c/", 1)[1]
    added = {}
    for server, territory in ((second, "Tours"), (first, "Gien")):
        answer = on(server, cluster, "POST", path + "/boards", json={"territory": territory, "date": "2026-05-12"})
        assert answer.status_code == 201, answer.text
        added[territory] = answer.json()
    for server in cluster.servers:
        page = on(server, cluster, "GET", path)
        assert page.status_code == 200 and "Tours" in page.text and "Gien" in page.text
        assert page.text.count('class="campaign-console"') == 2
    assert requests.get(url + path, timeout=20).status_code == 200

    tours = added["Tours"]
    facilitator = BoardClient(url, tours["facilitator_url"].rsplit("/", 1)[1])
    try:
        assert facilitator.state()["details"]["title"] == "Centre-Val de Loire — Tours"
        [holder_port] = holders(cluster, tours["board_id"])
        reader = next(server for server in cluster.servers if server.port != holder_port)
        assert facilitator.command("set_sequence", {"index": WRITE})["ok"]
        assert facilitator.command("move_card", {"card_id": "d01", "zone_id": "socle/techniques", "x": 0.2,
                                                 "y": 0.5})["ok"]
        card_text = text_of(facilitator, "d01")
        assert placed_in(reader, cluster, path, "Tours") == [card_text]
        assert placed_in(reader, cluster, path, "Gien") == []
        page = on(reader, cluster, "GET", path + "/compare")
        assert page.status_code == 200 and card_text in page.text
        table = on(reader, cluster, "GET", path + "/synthesis.csv")
        assert table.status_code == 200 and card_text in table.content.decode("utf-8-sig")
        assert on(reader, cluster, "GET", path + "/synthesis.xlsx").status_code == 200
        # Read, not taken: the board is still its process's alone, and its facilitator still changes it.
        assert holders(cluster, tours["board_id"]) == [holder_port]
        assert facilitator.command("move_card", {"card_id": "d02", "zone_id": "socle/techniques", "x": 0.4,
                                                 "y": 0.5})["ok"]
        assert placed_in(reader, cluster, path, "Tours") == sorted([text_of(facilitator, "d01"),
                                                                    text_of(facilitator, "d02")])
    finally:
        facilitator.close()


# -- desk templates ---------------------------------------------------------------------------------------

def test_a_desk_template_starts_a_workshop_through_nginx_with_the_details_the_form_gave(cluster):
    """DESK9 on a shared server: the template is saved from a console on its board's process, and the
    start (whose URL names no board, so any process takes it) makes a workshop with the template's
    preparation and the form's title and date, opened through nginx on the process its links reach."""
    from test_desk import browser, create, desk_token, template_of, templates_on, unique
    url = cluster.nginx.url
    session = browser()
    console = create(session, url, unique("Préparé"), "2026-03-14", "Salle 204")
    facilitator = BoardClient(url, console.rsplit("/", 1)[1])
    try:
        assert facilitator.command("create_team", {"name": "Rouge", "colour": "#aa0000"})["ok"]
    finally:
        facilitator.close()
    assert session.post(console + "/template", json={}, timeout=20).status_code == 201
    [(template_id, _)] = templates_on(session, url)
    again = unique("Deuxième session")
    started = session.post(f"{url}/bureau/{desk_token(session)}/templates/{template_id}/start",
                           data={"title": again, "date": "2026-05-02"}, allow_redirects=False, timeout=20)
    assert started.status_code == 303, started.text[:500]
    new_console = started.headers["Location"]
    assert template_of(new_console) == template_of(console)
    snapshot = requests.get(url + "/api/board", timeout=20,
                            headers={"Authorization": "Bearer " + new_console.rsplit("/", 1)[1]}).json()
    assert snapshot["details"] == {"title": again, "date": "2026-05-02", "place": "Salle 204"}
    assert [t["name"] for t in snapshot["teams"]] == ["Rouge"]
    assert len(holders(cluster, new_console.rsplit("/", 1)[1].split(".")[0])) == 1  # one process serves it
