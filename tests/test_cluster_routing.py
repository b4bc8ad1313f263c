"""Several processes behind nginx (issue 15, docs/deployment.md): every request of a board reaches the
one process that serves it, over websocket and long-polling alike, with real nginx, Redis, PostgreSQL
and run.py processes on loopback (tests/engines.py, cluster/__init__.py)."""
import subprocess
import threading

import pytest
import requests
import socketio

from board.routing import board_key, nginx_board_map
from cluster import NGINX, free_port, stop_pid, wait_for_port
from realtime import BoardClient

BOARDS = 20
PEOPLE_PER_BOARD = 5  # 100 clients in all


def test_nginx_reads_each_requests_board_as_the_servers_do(tmp_path):
    """The generated map, in a real nginx, finds the same board key as board/routing.py for links,
    Socket.IO's URL (both transports), the join form's redirect and a bearer token; none elsewhere."""
    port = free_port()
    for sub in ("tmp", "logs"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{}}
http {{ access_log off; client_body_temp_path {tmp_path}/tmp;
{nginx_board_map()}
server {{ listen 127.0.0.1:{port}; location / {{ return 200 "[$board]"; }} }} }}""")
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                             start_new_session=True)
    try:
        wait_for_port(port, nginx, what="nginx")
        board = "b0123456789ab"
        cases = [
            (f"/f/{board}.SECRETsecretSECRETsecretSECRET12", {}, {}),
            (f"/f/{board}.SECRETsecretSECRETsecretSECRET12/export.csv", {}, {}),
            (f"/p/{board}.SECRETsecretSECRETsecretSECRET12", {"lang": "en"}, {}),
            (f"/s/{board}.SECRETsecretSECRETsecretSECRET12", {}, {}),
            (f"/r/{board}.SECRETsecretSECRETsecretSECRET12", {}, {}),
            ("/socket.io/", {"board": board, "EIO": "4", "transport": "websocket"}, {}),
            ("/socket.io/", {"EIO": "4", "transport": "polling", "board": board, "sid": "abc"}, {}),
            ("/join", {"board": board}, {}),
            ("/api/board", {}, {"Authorization": f"Bearer {board}.SECRETsecretSECRETsecretSECRET12"}),
            ("/f/SECRETsecretSECRETsecretSECRET12", {}, {}),  # a bare link: no key until redirected
            ("/join", {}, {}),
            ("/animer", {}, {}),
            ("/socket.io/", {"board": "not a board!", "EIO": "4"}, {}),
        ]
        for path, args, headers in cases:
            answer = requests.get(f"http://127.0.0.1:{port}{path}", params=args, headers=headers, timeout=5)
            assert answer.text == f"[{board_key(path, args, headers)}]", (path, args, headers, answer.text)
        assert board_key(*cases[0]) == board and board_key(*cases[-4]) == ""
    finally:
        stop_pid(nginx.pid)
        nginx.wait(timeout=10)


def create_board(url):
    answer = requests.post(f"{url}/workshops", json={"format": "atelier-competences"}, timeout=20)
    assert answer.status_code == 201, answer.text
    info = answer.json()
    info["admin_token"] = info["facilitator_url"].rsplit("/", 1)[1]
    return info


def join_through(url, code, name):
    """Join by code at nginx: the process it reaches looks the code up and redirects (307) to the URL
    that names the board, which nginx sends to the board's process."""
    answer = requests.post(f"{url}/join", json={"code": code, "name": name}, timeout=20)
    assert answer.status_code == 201, answer.text
    return answer.json()


def holders(cluster, board_id):
    """The processes that serve a board now, asked directly (not through nginx); a dead one serves none."""
    return [server.port for server in cluster.servers
            if server.process.poll() is None and requests.get(f"{server.url}/healthz", params={"board": board_id}, timeout=5).json()["held"]]


def test_a_hundred_clients_on_twenty_boards_each_board_served_by_one_process(make_cluster):
    """100 people on 20 boards through nginx (half of each board over websocket, half over long-polling):
    each board is held by exactly one of the three processes, the boards are spread over them, every
    post-it written is acknowledged and reaches every other client of its board, and each board's
    pages are answered by its process."""
    cluster = make_cluster(processes=3)
    url = cluster.nginx.url
    boards = [create_board(url) for _ in range(BOARDS)]
    for info in boards:
        facilitator = BoardClient(url, info["admin_token"], transports=("polling",))
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        facilitator.close()
        info["people"] = [join_through(url, info["join_code"], f"Personne {n}") for n in range(PEOPLE_PER_BOARD)]
    clients = []
    for info in boards:
        for n, person in enumerate(info["people"]):
            transport = "websocket" if n % 2 == 0 else "polling"
            clients.append((info, BoardClient(url, person["token"], transports=(transport,))))
    try:
        answers = {}

        def write(info, client, n):
            answers[n] = client.command("create_card", {"kind": "postit", "text": f"idée {n}", "zone_id": "parking",
                                                        "x": 0.5, "y": 0.5}, timeout=20)
        threads = [threading.Thread(target=write, args=(info, client, n)) for n, (info, client) in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(answers) == len(clients) and all(a["ok"] for a in answers.values()), answers
        for info in boards:
            own = [client for board, client in clients if board is info]
            texts = {f"idée {n}" for n, (board, _) in enumerate(clients) if board is info}
            for client in own:  # every post-it of the board reached every client of it
                client.wait_for(lambda c=client: texts <= {card.text for card in c.replica.cards.values()}, 20)
            assert len({client.replica.version for client in own}) == 1
            assert len(holders(cluster, info["board_id"])) == 1, info["board_id"]
            upstreams = {requests.get(f"{url}/p/{person['token']}", timeout=10).headers["X-Atelier-Upstream"]
                         for person in info["people"]}
            assert upstreams == {f"127.0.0.1:{holders(cluster, info['board_id'])[0]}"}
        spread = {holders(cluster, info["board_id"])[0] for info in boards}
        assert len(spread) >= 2, "the hash put every board on one process"
    finally:
        for _, client in clients:
            client.close()


def test_a_link_handed_out_before_boards_were_named_is_redirected_to_its_boards_process(make_cluster):
    """A bare facilitator link (made before tokens carried their board) still opens its console through
    nginx: the process it reaches redirects to the link with the board's id, served by the board's process."""
    cluster = make_cluster(processes=2)
    info = create_board(cluster.nginx.url)
    bare = info["admin_token"].split(".", 1)[1]
    page = requests.get(f"{cluster.nginx.url}/f/{bare}", timeout=10)
    assert page.status_code == 200 and page.url.endswith(f"/f/{info['admin_token']}")
    assert page.headers["X-Atelier-Upstream"] == f"127.0.0.1:{holders(cluster, info['board_id'])[0]}"
    # A socket that does not name its board in its URL could reach any process: it is refused.
    unnamed = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        unnamed.connect(cluster.nginx.url, auth={"token": info["admin_token"]}, transports=["websocket"],
                        wait_timeout=5)
    client = BoardClient(cluster.nginx.url, info["admin_token"], transports=("polling",))
    try:
        assert client.me["role"] == "facilitator"
    finally:
        client.close()
