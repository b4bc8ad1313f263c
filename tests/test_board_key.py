"""Every link carries its board's id where a proxy can read it (tokens.routable, board/routing.py), and
nothing that worked before stops working on a laptop: a bare token (a link handed out before) still
opens its board, and only a board's own id opens it."""
import pytest
import requests
import socketio

from board.routing import board_key
from board.tokens import secret_of, split_token
from realtime import BoardClient


def new_workshop(server):
    answer = requests.post(f"{server.url}/workshops", json={"format": "atelier-competences"}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def join(server, code, name):
    answer = requests.post(f"{server.url}/join", json={"code": code, "name": name}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_every_link_of_a_new_workshop_names_its_board_before_a_dot(server):
    """The facilitator's, projector's and a participant's links all start with `<board id>.`; the
    secret after the dot is the 32-character secret as before (nothing more is revealed)."""
    info = new_workshop(server)
    board = info["board_id"]
    for url in (info["facilitator_url"], info["projector_url"]):
        token = url.rsplit("/", 1)[1]
        assert split_token(token) == (board, secret_of(token)) and len(secret_of(token)) == 32
    participant = join(server, info["join_code"], "Aline")
    assert participant["token"].startswith(board + ".")
    assert participant["board_url"].endswith("/p/" + participant["token"])
    assert board_key(f"/f/{info['facilitator_url'].rsplit('/', 1)[1]}/export.csv", {}, {}) == board


def test_a_bare_token_handed_out_before_still_opens_its_board_and_its_socket(server):
    """Links minted before the board prefix (the bare secret) open the same pages and sockets."""
    info = new_workshop(server)
    admin = info["facilitator_url"].rsplit("/", 1)[1]
    bare = secret_of(admin)
    assert requests.get(f"{server.url}/f/{bare}", timeout=10).status_code == 200
    assert requests.get(f"{server.url}/s/{secret_of(info['projector_url'].rsplit('/', 1)[1])}", timeout=10).status_code == 200
    participant = join(server, info["join_code"], "Bruno")
    old_style = BoardClient(server.url, secret_of(participant["token"]))
    new_style = BoardClient(server.url, participant["token"])
    try:
        assert old_style.me == new_style.me == {"id": participant["participant_id"], "role": "participant"}
        answer = requests.get(f"{server.url}/api/board", headers={"Authorization": f"Bearer {bare}"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["version"] == new_style.replica.version
    finally:
        old_style.close()
        new_style.close()


def test_a_secret_under_another_boards_id_opens_nothing(server):
    """The prefix is checked: a board's secret put behind another board's id is an unknown link."""
    first, second = new_workshop(server), new_workshop(server)
    secret = secret_of(first["facilitator_url"].rsplit("/", 1)[1])
    wrong = f"{second['board_id']}.{secret}"
    assert requests.get(f"{server.url}/f/{wrong}", timeout=10).status_code == 404
    assert requests.get(f"{server.url}/api/board", headers={"Authorization": f"Bearer {wrong}"},
                        timeout=10).status_code == 401
    client = BoardClient(server.url, wrong, connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(timeout=3)  # refused: no welcome, no board

def test_the_facilitators_console_shows_links_that_name_the_board_even_when_opened_by_a_bare_link(server):
    """A console opened by an older, bare link hands out the new form of its links."""
    info = new_workshop(server)
    bare = secret_of(info["facilitator_url"].rsplit("/", 1)[1])
    page = requests.get(f"{server.url}/f/{bare}", timeout=10).text
    assert info["projector_url"] in page
    assert f"/s/{secret_of(info['projector_url'].rsplit('/', 1)[1])}\"" not in page
