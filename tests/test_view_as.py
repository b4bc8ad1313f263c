"""'View as' through the real server (docs/spec.md VIEWAS1-VIEWAS3): the facilitator's token with
`view_as` opens a socket that sees exactly what one participant sees (other teams' private cards face
down, only their own dots), changes nothing, and does not put that participant in `presence`."""
import pytest
import requests
import socketio

from board import protocol as p
from conftest import create_workshop
from realtime import BoardClient

COMPLETE, VOTE = 2, 3  # sequence indexes of the Atelier Compétences format
SECRET_B = "Secret de l’équipe B"
SECRET_B_EDITED = "Secret de l’équipe B, revu"


def ok(ack):
    assert ack["ok"], ack
    return ack


class ViewAsClient(BoardClient):
    """A BoardClient whose connection asks to see the board as one participant (`auth.view_as`)."""

    def __init__(self, url, token, view_as):
        super().__init__(url, token, connect=False)
        plain_connect = self.sio.connect
        self.sio.connect = lambda url, auth, **kwargs: plain_connect(url, auth={**auth, "view_as": view_as}, **kwargs)
        self.connect()


def refusal_on_connect(url, auth):
    """The `connect_error` data (`{code}`) the server answers `auth` with (the socket never opens)."""
    client = socketio.Client(reconnection=False)
    answers = []
    client.on("connect_error", lambda data=None: answers.append(data))
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(url, auth=auth, transports=["websocket"], wait_timeout=5)
    assert answers and answers[0].get("message"), "the server gave no reason"
    return answers[0]["data"]


@pytest.fixture
def two_teams(server):
    """A board in Compléter with private cards on: Anna and Alex in team A, Béa in team B; Béa has
    written a private card already."""
    workshop = create_workshop(server.url, participants=3)
    anna, alex, bea = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        team_a = f"t{ok(facilitator.command('create_team', {'name': 'Rouge', 'colour': '#c0392b'}))['version']}"
        team_b = f"t{ok(facilitator.command('create_team', {'name': 'Bleue', 'colour': '#2451a6'}))['version']}"
        for person, team in ((anna, team_a), (alex, team_a), (bea, team_b)):
            ok(facilitator.command("join_team", {"team_id": team, "participant_id": person["participant_id"]}))
        ok(facilitator.command("configure", {"private_cards": True}))
        ok(facilitator.command("set_sequence", {"index": COMPLETE}))
    finally:
        facilitator.close()
    writer = BoardClient(server.url, bea["token"])
    ok(writer.command("create_card", {"kind": "new", "text": SECRET_B, "zone_id": "socle/techniques",
                                      "x": 0.5, "y": 1, "card_id": "card-b1"}))
    writer.close()
    return {**workshop, "anna": anna, "alex": alex, "bea": bea, "team_a": team_a, "team_b": team_b}


def events(client):
    return client.messages(p.SERVER_EVENT)


def test_a_view_as_socket_gets_exactly_what_the_participant_gets(server, clients, two_teams):
    """VIEWAS2: the same welcome (state and `you`), the same events through private cards written,
    edited and moved, and dots put by the viewed participant and by the other team, the same sync;
    and that is not what the facilitator's own socket gets."""
    anna = two_teams["anna"]
    own = clients(anna["token"])
    seeing = ViewAsClient(server.url, two_teams["admin_token"], anna["participant_id"])
    facilitator = clients(two_teams["admin_token"])
    bea = clients(two_teams["bea"]["token"])
    alex = clients(two_teams["alex"]["token"])
    try:
        own_welcome, seen_welcome = own.messages(p.SERVER_WELCOME)[0], seeing.messages(p.SERVER_WELCOME)[0]
        assert seen_welcome["view_as"] is True and "view_as" not in own_welcome
        assert seen_welcome["you"] == own_welcome["you"] == {"id": anna["participant_id"], "role": "participant"}
        assert seen_welcome["state"] == own_welcome["state"]
        hidden = next(c for c in seen_welcome["state"]["cards"] if c["id"] == "card-b1")
        assert hidden["hidden"] and hidden["text"] == "" and hidden["author"] is None
        assert SECRET_B in str(facilitator.messages(p.SERVER_WELCOME)[0]["state"])  # the facilitator's own view

        ok(bea.command("edit_card", {"card_id": "card-b1", "text": SECRET_B_EDITED}))
        ok(alex.command("create_card", {"kind": "new", "text": "Idée de l’équipe A", "zone_id": "socle/capacites",
                                        "x": 0.5, "y": 1, "card_id": "card-a1"}))
        ok(bea.command("move_card", {"card_id": "card-b1", "zone_id": "socle/capacites", "x": 0.2, "y": 0.2}))
        ok(facilitator.command("set_sequence", {"index": VOTE}))
        ok(facilitator.command("open_vote", {}))
        ok(own.command("vote", {"card_id": "card-a1", "delta": 1}))
        last = ok(bea.command("vote", {"card_id": "card-b1", "delta": 1}))["version"]
        for client in (own, seeing, facilitator):
            client.wait_version(last)

        assert len(events(seeing)) == len(events(own)) >= 7
        assert events(seeing) == events(own)
        assert SECRET_B not in str(seeing.received) and SECRET_B_EDITED not in str(seeing.received)
        assert SECRET_B_EDITED in str(facilitator.received)  # what view-as must not fall back to
        dots = [e for e in events(seeing) if e["type"] == "dot_changed"]
        assert dots[0]["data"]["voter"] == anna["participant_id"] and dots[1]["data"] == {}  # Béa's: nothing
        assert seeing.state() == own.state()
        assert seeing.call(p.CLIENT_SYNC, {"since": 0}) == own.call(p.CLIENT_SYNC, {"since": 0})
    finally:
        seeing.close()


def test_a_view_as_socket_changes_nothing(server, clients, two_teams):
    """VIEWAS3: every command is refused with `forbidden` (a participant's and a facilitator's alike)
    and nothing is stored; drags and pointers are refused and reach no one."""
    anna = two_teams["anna"]
    seeing = ViewAsClient(server.url, two_teams["admin_token"], anna["participant_id"])
    alex = clients(two_teams["alex"]["token"])
    try:
        before = seeing.state()
        attempts = [("move_card", {"card_id": "card-b1", "zone_id": "parking", "x": 0.5, "y": 0.5}),
                    ("create_card", {"kind": "postit", "text": "Pas moi", "zone_id": "parking", "x": 0.5, "y": 1}),
                    ("set_done", {"done": True}),
                    ("set_sequence", {"index": VOTE}),
                    ("lock_board", {})]
        for kind, data in attempts:
            answer = seeing.command(kind, data)
            assert answer["ok"] is False and answer["code"] == "forbidden", (kind, answer)
            assert "read-only" in answer["message"]
        for event, payload in ((p.CLIENT_DRAG, {"card_id": "card-b1", "x": 0.3, "y": 0.3}),
                               (p.CLIENT_CURSOR, {"x": 0.3, "y": 0.3})):
            assert seeing.call(event, payload)["code"] == "forbidden"
        # A command of Alex's after all that: the first event anyone gets, so nothing came before it.
        version = ok(alex.command("set_done", {"done": True}))["version"]
        assert version == before["version"] + 1
        seeing.wait_version(version)
        assert [e["type"] for e in events(seeing)] == ["done_changed"]
        assert not alex.positions(p.SERVER_DRAG) and not alex.messages(p.SERVER_CURSOR)
    finally:
        seeing.close()


def test_only_the_facilitator_may_view_as_and_only_a_participant(server, two_teams):
    """VIEWAS1: a participant's or the projector's token with `view_as` is refused (`forbidden`),
    as is an id that is no participant of the board (`not_found`); the page answers 404 likewise."""
    anna, bea = two_teams["anna"], two_teams["bea"]
    assert refusal_on_connect(server.url, {"token": anna["token"], "view_as": bea["participant_id"]})["code"] == "forbidden"
    assert refusal_on_connect(server.url, {"token": two_teams["projector_token"],
                                           "view_as": bea["participant_id"]})["code"] == "forbidden"
    for wrong in ("nobody", 42, ["x"]):
        assert refusal_on_connect(server.url, {"token": two_teams["admin_token"], "view_as": wrong})["code"] == "not_found"
    facilitator = BoardClient(server.url, two_teams["admin_token"])
    facilitator_id = facilitator.me["id"]
    facilitator.close()
    assert refusal_on_connect(server.url, {"token": two_teams["admin_token"], "view_as": facilitator_id})["code"] == "not_found"

    page = requests.get(f"{server.url}/f/{two_teams['admin_token']}/as/{anna['participant_id']}", timeout=5)
    assert page.status_code == 200
    assert "Vous voyez le tableau comme Personne 1 (équipe Rouge) — lecture seule" in page.text
    for url in (f"/f/{two_teams['admin_token']}/as/nobody", f"/f/{two_teams['admin_token']}/as/{facilitator_id}",
                f"/f/{anna['token']}/as/{bea['participant_id']}", f"/f/{two_teams['projector_token']}/as/{bea['participant_id']}"):
        assert requests.get(server.url + url, timeout=5).status_code == 404, url


def test_viewing_as_someone_does_not_show_them_online(server, clients, two_teams):
    """VIEWAS3: while the facilitator looks through Anna's eyes, `presence` lists the facilitator, not
    Anna; when Anna connects herself, she is listed."""
    anna = two_teams["anna"]
    watcher = clients(two_teams["alex"]["token"])
    seeing = ViewAsClient(server.url, two_teams["admin_token"], anna["participant_id"])
    try:
        watcher.wait_for(lambda: any(member["role"] == "facilitator" for member in watcher.online))
        assert anna["participant_id"] not in {member["id"] for member in watcher.online}
        assert anna["participant_id"] not in {member["id"] for member in seeing.online}
        clients(anna["token"])
        watcher.wait_for(lambda: anna["participant_id"] in {member["id"] for member in watcher.online})
    finally:
        seeing.close()


def test_a_view_as_socket_closes_when_its_participant_is_removed(server, clients, two_teams):
    """What it shows is gone: removing the participant closes the view-as socket as it closes theirs."""
    bea = two_teams["bea"]
    seeing = ViewAsClient(server.url, two_teams["admin_token"], bea["participant_id"])
    facilitator = clients(two_teams["admin_token"])
    try:
        ok(facilitator.command("remove_participant", {"participant_id": bea["participant_id"]}))
        seeing.wait_for(lambda: any(e.get("code") == "unauthorized" for e in seeing.messages(p.SERVER_ERROR)))
        seeing.wait_for(lambda: not seeing.sio.connected, timeout=5)
    finally:
        seeing.close()
