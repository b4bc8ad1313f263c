"""A participant's page in chromium on a shared server (issue 15): nginx in front of two processes, on
PostgreSQL and Redis. The page's socket names its board (?board=), so it reaches the board's process;
when that process is killed, the page comes back online on the other one and shows what was written
meanwhile."""
import os
import signal

from browser import expect, open_board, wait_online
from realtime import BoardClient
from test_cluster_failover import FollowingClient
from test_cluster_routing import create_board, holders, join_through


def post_it(client, text):
    answer = client.command("create_card", {"kind": "postit", "text": text, "zone_id": "parking", "x": 0.3, "y": 0.3},
                            timeout=10)
    assert answer["ok"], answer
    return answer


def test_a_page_through_nginx_follows_its_board_to_another_process_when_its_process_dies(make_cluster, contexts):
    cluster = make_cluster(processes=2)
    url = cluster.nginx.url
    info = create_board(url)
    facilitator = BoardClient(url, info["admin_token"])
    assert facilitator.command("set_sequence", {"index": 2})["ok"]
    facilitator.close()
    aline, bruno = join_through(url, info["join_code"], "Aline"), join_through(url, info["join_code"], "Bruno")
    page = open_board(contexts(), f"{url}/p/{aline['token']}")
    writer = FollowingClient(url, bruno["token"], ("websocket",))
    try:
        post_it(writer, "Écrit sur un autre appareil")
        expect(page.locator(".card-text", has_text="Écrit sur un autre appareil")).to_be_visible()
        page.screenshot(path="/tmp/cluster-page-before.png")

        home_port = holders(cluster, info["board_id"])[0]
        home = next(server for server in cluster.servers if server.port == home_port)
        os.kill(home.pid, signal.SIGKILL)
        home.process.wait(timeout=10)
        expect(page.locator('body[data-connection="online"]')).not_to_be_attached(timeout=10000)
        writer.wait_for(lambda: writer.sio.connected and len(writer.welcomed_at) >= 2, 20)
        post_it(writer, "Écrit pendant la reprise")
        wait_online(page)
        expect(page.locator(".card-text", has_text="Écrit pendant la reprise")).to_be_visible(timeout=10000)
        expect(page.locator(".card-text", has_text="Écrit sur un autre appareil")).to_be_visible()
        assert holders(cluster, info["board_id"]) not in ([], [home_port])
        page.screenshot(path="/tmp/cluster-page-after.png")
    finally:
        writer.close()
