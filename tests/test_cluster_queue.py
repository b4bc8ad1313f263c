"""What goes through Redis between a shared server's processes (docs/deployment.md): a board's own
changes, presence and drags never do (they are sent from its process to its sockets); the one emit that
does is `moved`, from the process that is asked for a board another process still holds."""
import json
import time

import redis
import requests

from board import protocol as p
from realtime import BoardClient
from test_cluster_routing import create_board, holders, join_through

CHANNEL = "flask-socketio"  # Flask-SocketIO's default message queue channel


def queued(subscription, seconds=1.0):
    """The messages published on the queue's channel within `seconds`, decoded as python-socketio
    publishes them."""
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = subscription.get_message(timeout=0.1)
        if message and message["type"] == "message":
            found.append(json.loads(message["data"]))
    return found


def test_a_boards_changes_stay_on_its_process_and_only_a_hand_back_goes_through_redis(make_cluster):
    cluster = make_cluster(processes=2)
    url = cluster.nginx.url
    info = create_board(url)
    facilitator = BoardClient(url, info["admin_token"])
    subscription = redis.Redis.from_url(cluster.redis.url).pubsub()
    subscription.subscribe(CHANNEL)
    queued(subscription, 0.3)  # the subscription's own confirmation
    people = [BoardClient(url, join_through(url, info["join_code"], f"P{n}")["token"]) for n in range(2)]
    try:
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        for n in range(5):
            answer = people[n % 2].command("create_card", {"kind": "postit", "text": f"idée {n}", "zone_id": "parking",
                                                            "x": 0.5, "y": 0.5})
            assert answer["ok"]
        for client in people:
            client.wait_version(answer["version"])
        people[0].emit(p.CLIENT_DRAG, {"card_id": "d01", "x": 0.4, "y": 0.4})
        assert queued(subscription) == []  # events, presence and drags went straight to the sockets

        # The other process is asked for the board (as when nginx sends it there after a restart).
        holder = holders(cluster, info["board_id"])
        other = next(server for server in cluster.servers if [server.port] != holder)
        refused = requests.post(f"{other.url}/join?board={info['board_id']}",
                                json={"code": info["join_code"], "name": "Tard"}, timeout=10)
        assert refused.status_code == 503 and refused.json()["code"] == "unavailable" and "Retry-After" in refused.headers
        published = queued(subscription)
        assert [(m["method"], m["event"], m["room"]) for m in published] == [("emit", p.SERVER_MOVED, info["board_id"])]
        for client in [facilitator, *people]:
            client.wait_for(lambda c=client: c.messages(p.SERVER_MOVED) == [{"reason": "moved"}], 10)
        # The holder let the board go at once: its lease is free for the process asked for it.
        deadline = time.monotonic() + 10
        while holders(cluster, info["board_id"]) == holder and time.monotonic() < deadline:
            time.sleep(0.1)
        assert holders(cluster, info["board_id"]) != holder
    finally:
        subscription.close()
        for client in [facilitator, *people]:
            client.close()
