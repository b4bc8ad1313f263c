"""A process dies mid-workshop (issue 15): `kill -9` one of three processes behind nginx in the middle
of a burst of changes. Its boards' people are served by another process within 2 s (nginx skips the
dead one; PostgreSQL frees its leases with its sessions), nothing acknowledged is lost, and every
client ends on the same board. When the process comes back, its boards come back to it.
Real nginx, Redis, PostgreSQL and run.py processes on loopback (tests/engines.py)."""
import os
import signal
import threading
import time

import requests
import socketio

from board import protocol as p
from realtime import BoardClient
from test_cluster_routing import create_board, holders, join_through

BOARDS = 4
PEOPLE_PER_BOARD = 3
SERVED_AGAIN_WITHIN = 2.0  # seconds, the bound


class FollowingClient(BoardClient):
    """A client that does what connection.js does when its server goes: reconnect with the version it
    holds (a refusal while the board fails over is retried), and reconnect when told `moved`."""

    def __init__(self, url, token, transports):
        super().__init__(url, token, connect=False, transports=transports)
        self.closing = False
        self.welcomed_at = []  # monotonic time of each welcome
        self._reconnecting = threading.Lock()
        self.sio.on("disconnect", lambda *_: self._follow())
        self.sio.on(p.SERVER_MOVED, self._moved)
        self.sio.on(p.SERVER_WELCOME, self._welcomed)
        self.connect(timeout=10)

    def _welcomed(self, payload):
        self.welcomed_at.append(time.monotonic())
        self._handler(p.SERVER_WELCOME)(payload)

    def _moved(self, payload):
        self._handler(p.SERVER_MOVED)(payload)
        threading.Thread(target=self.sio.disconnect, daemon=True).start()

    def _follow(self):
        if not self.closing:
            threading.Thread(target=self._reconnect, daemon=True).start()

    def _reconnect(self):
        if not self._reconnecting.acquire(blocking=False):
            return
        try:
            deadline = time.monotonic() + 30
            while not self.closing and time.monotonic() < deadline:
                try:
                    self.connect(timeout=3, resume=True)
                    return
                except (socketio.exceptions.SocketIOError, AssertionError, OSError):
                    time.sleep(0.05)
        finally:
            self._reconnecting.release()

    def close(self):
        self.closing = True
        super().close()


def write_burst(client, label, acked, stop):
    """Post-its one after another; a command that got no answer (its server died) is sent again with its
    id once reconnected. Each acknowledged one is kept with its version and time."""
    n = 0
    while not stop.is_set():
        text, command_id = f"{label} n{n}", f"{label.replace(' ', '-')}-{n}"
        while not stop.is_set():
            if not client.sio.connected:
                time.sleep(0.02)
                continue
            try:
                answer = client.command("create_card", {"kind": "postit", "text": text, "zone_id": "parking",
                                                        "x": 0.5, "y": 0.5}, command_id=command_id, timeout=3,
                                        settle=False)
            except (socketio.exceptions.SocketIOError, OSError):
                time.sleep(0.02)
                continue
            if answer.get("ok"):
                acked.append((text, answer["version"], time.monotonic()))
                break
            if answer.get("code") not in ("rate_limited", "unavailable"):
                raise AssertionError(f"{text} refused: {answer}")
            time.sleep(0.05)
        n += 1


def converge(url, info, clients):
    """Every client of a board holds what a new reader of it reads: same version, same cards."""
    reader = BoardClient(url, info["admin_token"], transports=("polling",))
    try:
        final = reader.state()
        for client in clients:
            client.wait_for(lambda c=client: c.replica is not None and c.replica.version == final["version"], 20)
        cards = {card["id"]: (card["zone"], card.get("text")) for card in final["cards"]}
        for client in clients:
            assert {card_id: (card.zone, card.text) for card_id, card in client.replica.cards.items()} == cards
        return final
    finally:
        reader.close()


def join_when_served(url, code, name, seconds=30):
    """Join, trying again as Retry-After says while the board is handed from one process to another."""
    deadline = time.monotonic() + seconds
    while True:
        answer = requests.post(f"{url}/join", json={"code": code, "name": name}, timeout=10)
        if answer.status_code != 503 or time.monotonic() > deadline:
            assert answer.status_code == 201, answer.text
            return answer.json()
        time.sleep(float(answer.headers.get("Retry-After", "1")))


def assert_served_again(orphans, acked, killed_at, within=SERVED_AGAIN_WITHIN):
    """Every client of the boards whose process died was welcomed again within `within` seconds of the
    kill (its first welcome after it), and each of those boards accepted a change after it."""
    for info in orphans:
        for client in info["clients"]:
            again = [at for at in client.welcomed_at if at > killed_at]
            assert again and again[0] - killed_at < within, (again[:1], killed_at)
        assert [t for _, _, t in acked[info["board_id"]] if t > killed_at], "no change accepted after the kill"


def assert_nothing_acknowledged_lost(url, boards, acked):
    """Every client of every board converges on one state, which holds every acknowledged post-it."""
    for info in boards:
        final = converge(url, info, info["clients"])
        texts = {card.get("text") for card in final["cards"]}
        lost = [text for text, _, _ in acked[info["board_id"]] if text not in texts]
        assert not lost, f"{len(lost)} acknowledged post-its lost on {info['board_id']}: {lost[:5]}"
        assert final["version"] >= max(version for _, version, _ in acked[info["board_id"]])


def start_workshops(url, boards=None, people=PEOPLE_PER_BOARD):
    """Boards (new ones unless given) in the sequence where post-its are written, each with `people`
    following clients, websocket and long-polling in turn."""
    boards = boards if boards is not None else [create_board(url) for _ in range(BOARDS)]
    for info in boards:
        facilitator = BoardClient(url, info["admin_token"])
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        facilitator.close()
        info["people"] = [join_through(url, info["join_code"], f"Personne {n}") for n in range(people)]
        info["clients"] = [FollowingClient(url, person["token"], ("websocket",) if n % 2 == 0 else ("polling",))
                           for n, person in enumerate(info["people"])]
    return boards


def test_kill_9_of_a_process_mid_burst_its_boards_are_served_elsewhere_within_2_s_and_nothing_acknowledged_is_lost(
        make_cluster):
    cluster = make_cluster(processes=3)
    url = cluster.nginx.url
    boards = start_workshops(url)
    try:
        where = {info["board_id"]: holders(cluster, info["board_id"]) for info in boards}
        assert all(len(held) == 1 for held in where.values()), where
        victim_port = where[boards[0]["board_id"]][0]
        victim = next(server for server in cluster.servers if server.port == victim_port)
        orphans = [info for info in boards if where[info["board_id"]] == [victim_port]]
        acked = {info["board_id"]: [] for info in boards}
        stop = threading.Event()
        writers = [threading.Thread(target=write_burst, args=(client, f"{info['board_id']} c{n}", acked[info["board_id"]], stop))
                   for info in boards for n, client in enumerate(info["clients"])]
        for writer in writers:
            writer.start()
        time.sleep(1.0)
        os.kill(victim.pid, signal.SIGKILL)  # mid-burst: commits under way, answers not yet sent
        killed_at = time.monotonic()
        time.sleep(4.0)
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
        assert not any(writer.is_alive() for writer in writers)

        assert_served_again(orphans, acked, killed_at)  # elsewhere, within the bound
        for info in orphans:
            assert len(holders(cluster, info["board_id"])) == 1
            assert holders(cluster, info["board_id"]) != [victim_port]
        assert_nothing_acknowledged_lost(url, boards, acked)
    finally:
        for info in boards:
            for client in info["clients"]:
                client.close()
        victim.process.wait(timeout=10)


def test_a_restarted_process_gets_its_boards_back_without_two_writers(make_cluster):
    """The process comes back on its port: nginx sends its boards to it again. It cannot write a board
    the other process took over; it asks that board's sockets (through Redis) to move, the other
    process lets the board go once they left, and everyone ends on the same board, on one process."""
    cluster = make_cluster(processes=2)
    url = cluster.nginx.url
    boards = start_workshops(url)
    try:
        first = boards[0]
        home_port = holders(cluster, first["board_id"])[0]
        home = next(server for server in cluster.servers if server.port == home_port)
        os.kill(home.pid, signal.SIGKILL)
        home.process.wait(timeout=10)
        for client in first["clients"]:
            client.wait_for(lambda c=client: c.sio.connected and len(c.welcomed_at) >= 2, 20)
        other_port = holders(cluster, first["board_id"])
        assert other_port and other_port != [home_port]
        assert first["clients"][0].command("create_card", {"kind": "postit", "text": "pendant la panne",
                                                           "zone_id": "parking", "x": 0.5, "y": 0.5})["ok"]
        home.start()  # the same port: nginx's hash sends the board there again once it tries it again
        # A page of the board reaches the restarted process, which is refused the lease at first (503, no
        # write), asks for the board through the queue and is served it once the other lets it go.
        deadline, page = time.monotonic() + 20, None
        while time.monotonic() < deadline:
            page = requests.get(f"{url}/p/{first['people'][0]['token']}", timeout=10)
            if page.status_code == 200 and page.headers["X-Atelier-Upstream"] == f"127.0.0.1:{home_port}":
                break
            time.sleep(0.2)
        assert page.status_code == 200 and page.headers["X-Atelier-Upstream"] == f"127.0.0.1:{home_port}"
        assert holders(cluster, first["board_id"]) == [home_port]
        late = join_when_served(url, first["join_code"], "Retardataire")
        newcomer = FollowingClient(url, late["token"], ("websocket",))
        first["clients"].append(newcomer)
        assert holders(cluster, first["board_id"]) == [home_port]
        assert newcomer.command("create_card", {"kind": "postit", "text": "après le retour", "zone_id": "parking",
                                                "x": 0.5, "y": 0.5})["ok"]
        final = converge(url, first, first["clients"])
        assert {"pendant la panne", "après le retour"} <= {card.get("text") for card in final["cards"]}
        assert holders(cluster, first["board_id"]) == [home_port]
        upstream = requests.get(f"{url}/p/{late['token']}", timeout=10).headers["X-Atelier-Upstream"]
        assert upstream == f"127.0.0.1:{home_port}"
    finally:
        for info in boards:
            for client in info["clients"]:
                client.close()
