"""Secret pages and who may reach them, on the real server: join codes are not told apart by the QR
route, secret answers are never stored, every answer carries the security headers, and a page under
another name (DNS rebinding) opens no socket and reads no secret page, even with a stolen token."""
import json
import re
import secrets
import subprocess
import sys

import pytest
import requests
import socketio

from board.qr import qr_svg
from board.security import ServerOrigins, normalise_origin
from board.tokens import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from conftest import ROOT, create_workshop, free_port

SECURITY_HEADERS = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
# What differs between two answers of one route whatever they say.
PER_ANSWER = {"Date", "Content-Length"}


def unknown_code(server):
    """A well-formed join code no board has (checked by joining with it)."""
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    refused = requests.post(server.url + "/join", json={"code": code, "name": "Sonde"}, timeout=5)
    assert refused.status_code == 404, refused.text
    return code


def viewbox(svg):
    return re.search(r'viewBox="([^"]+)"', svg).group(1)


def assert_security_headers(response, what):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (what, response.status_code, dict(response.headers))
    assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), what


def forged(server, host="evil.example"):
    """The Host and Origin a DNS-rebinding page sends: its own name, on the server's port."""
    return f"{host}:{server.port}", f"http://{host}:{server.port}"


# --- point 9: the QR route -------------------------------------------------------------------------------

def test_the_qr_route_answers_a_board_s_code_and_an_unknown_code_alike(server, workshop):
    answers = {}
    for kind, code in (("valid", workshop["join_code"]), ("unknown", unknown_code(server))):
        response = requests.get(f"{server.url}/qr/{code}.svg", timeout=5)
        assert response.status_code == 200, (kind, response.status_code)
        # Each is the QR code of its own join link, drawn whether a board has the code or not.
        assert response.text == qr_svg(f"{server.url}/j/{code}"), kind
        answers[kind] = response
    valid, unknown = answers["valid"], answers["unknown"]
    assert {k: v for k, v in valid.headers.items() if k not in PER_ANSWER} == \
           {k: v for k, v in unknown.headers.items() if k not in PER_ANSWER}
    # Same QR version, so the same drawing size: the path's length varies with the code's modules alone.
    assert viewbox(valid.text) == viewbox(unknown.text)
    assert "no-store" not in valid.headers["Cache-Control"] and "private" in valid.headers["Cache-Control"]
    # Malformed codes are refused, the same way whatever they look like.
    refusals = [requests.get(f"{server.url}/qr/{code}.svg", timeout=5) for code in ("ABC", "ABCDE0", "ABCDEFGH")]
    assert {r.status_code for r in refusals} == {404} and len({r.content for r in refusals}) == 1


def test_guessing_codes_through_the_qr_route_is_rate_limited_with_joining(fresh_server):
    # 0.1 per second: a burst of 3 per address, then one every 10 s (as --join-rate gives joining).
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "0.1"])
    workshop = create_workshop(server.url)  # takes one from the same bucket
    statuses = []
    for _ in range(20):
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        statuses.append(requests.get(f"{server.url}/qr/{code}.svg", timeout=5).status_code)
    assert statuses[:2] == [200, 200] and statuses.count(429) >= 17, statuses
    # Guesses through the QR route and through joining come out of one budget.
    joining = requests.post(server.url + "/join", json={"code": workshop["join_code"], "name": "Zoé"}, timeout=5)
    assert joining.status_code == 429 and joining.json()["code"] == "rate_limited"


# --- point 10 (a): nothing secret is stored ----------------------------------------------------------------

def test_every_secret_page_and_answer_says_no_store(server, workshop):
    person = workshop["participants"][0]
    admin, projector = workshop["admin_token"], workshop["projector_token"]
    answers = {
        "console": requests.get(f"{server.url}/f/{admin}", timeout=5),
        "export": requests.get(f"{server.url}/f/{admin}/export.csv", timeout=5),
        "export (XLSX)": requests.get(f"{server.url}/f/{admin}/export.xlsx", timeout=5),
        "board (participant)": requests.get(f"{server.url}/p/{person['token']}", timeout=5),
        "board (facilitator)": requests.get(f"{server.url}/p/{admin}", timeout=5),
        "projector": requests.get(f"{server.url}/s/{projector}", timeout=5),
        "api": requests.get(f"{server.url}/api/board", headers={"Authorization": f"Bearer {projector}"}, timeout=5),
        "join (JSON)": requests.post(f"{server.url}/join", json={"code": workshop["join_code"], "name": "Inès"},
                                     timeout=5),
        "join (form)": requests.post(f"{server.url}/join", data={"code": workshop["join_code"], "name": "Ugo"},
                                     allow_redirects=False, timeout=5),
        "create (JSON)": requests.post(f"{server.url}/workshops", json={}, timeout=5),
        "create (form)": requests.post(f"{server.url}/workshops", data={}, allow_redirects=False, timeout=5),
        "dead link": requests.get(f"{server.url}/p/{'x' * 32}", timeout=5),
    }
    expected = {"join (JSON)": 201, "create (JSON)": 201, "join (form)": 303, "create (form)": 303, "dead link": 404}
    for what, response in answers.items():
        assert response.status_code == expected.get(what, 200), (what, response.status_code)
        assert "no-store" in response.headers.get("Cache-Control", ""), (what, dict(response.headers))
    assert "/p/" in answers["join (form)"].headers["Location"]  # the redirect that carries a token
    # Files that hold no secret may still be kept (revalidated), so pages stay quick to load.
    static = requests.get(f"{server.url}/static/css/board.css", timeout=5)
    assert static.ok and "no-store" not in static.headers["Cache-Control"]


# --- point 10 (b): the headers on every answer ----------------------------------------------------------------

def test_every_answer_carries_the_security_headers_socket_io_s_included(server, workshop):
    polling = f"{server.url}/socket.io/?EIO=4&transport=polling"
    handshake = requests.get(polling, timeout=5)
    assert handshake.ok and handshake.text.startswith("0")
    session = f"{polling}&sid={json.loads(handshake.text[1:])['sid']}"
    connect = requests.post(session, data="40" + json.dumps({"token": workshop["projector_token"]}), timeout=5)
    welcome = requests.get(session, timeout=5)
    assert connect.text == "OK" and '"welcome"' in welcome.text, (connect.text, welcome.text[:80])
    answers = {
        "polling handshake": handshake, "polling send": connect, "polling receive (board state)": welcome,
        "polling close": requests.post(session, data="1", timeout=5),
        "engine.io refusal (unknown session)": requests.get(f"{polling}&sid=nope", timeout=5),
        "engine.io refusal (origin)": requests.get(polling, headers={"Origin": "http://evil.example"}, timeout=5),
        "404 page": requests.get(f"{server.url}/nothing/here", timeout=5),
        "static": requests.get(f"{server.url}/static/css/board.css", timeout=5),
        "vendor": requests.get(f"{server.url}/vendor/socket.io.esm.min.js", timeout=5),
        "qr": requests.get(f"{server.url}/qr/{workshop['join_code']}.svg", timeout=5),
        "health": requests.get(f"{server.url}/healthz", timeout=5),
        "home": requests.get(f"{server.url}/", timeout=5),
    }
    assert answers["engine.io refusal (unknown session)"].status_code == 400
    assert answers["engine.io refusal (origin)"].status_code == 400
    for what, response in answers.items():
        assert_security_headers(response, what)
    # The board's state travels in polling answers: never stored either.
    assert "no-store" in welcome.headers["Cache-Control"]


# --- point 10 (c): origins and names ------------------------------------------------------------------------

@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_rebinding_page_with_a_stolen_token_opens_no_socket(server, workshop, clients, transport):
    host, origin = forged(server)
    token = workshop["admin_token"]
    client = socketio.Client(reconnection=False, websocket_extra_options={"host": host, "origin": origin})
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"token": token}, transports=[transport], wait_timeout=5,
                       headers={"Host": host, "Origin": origin} if transport == "polling" else {})
    # A polling handshake is a same-origin GET, sent without Origin: the name it was sent to refuses it.
    handshake = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling", headers={"Host": host}, timeout=5)
    assert handshake.status_code == 421 and "sid" not in handshake.text
    assert_security_headers(handshake, "misdirected handshake")
    # The addresses the server announces keep working (the browser tests load from 127.0.0.1).
    for own in (server.url, f"http://localhost:{server.port}"):
        assert clients(token, origin=own).state()["id"] == workshop["board_id"]


def test_a_rebinding_page_reads_no_secret_page_but_the_server_s_own_names_do(server, workshop):
    host, _ = forged(server)
    person = workshop["participants"][0]
    secret = [("get", f"/p/{person['token']}", {}), ("get", f"/f/{workshop['admin_token']}", {}),
              ("get", f"/s/{workshop['projector_token']}", {}),
              ("get", f"/f/{workshop['admin_token']}/export.csv", {}),
              ("get", f"/f/{workshop['admin_token']}/export.xlsx", {}),
              ("get", "/api/board", {"headers": {"Authorization": f"Bearer {person['token']}"}}),
              ("post", "/join", {"json": {"code": workshop["join_code"], "name": "Mallory"}}),
              ("post", "/workshops", {"json": {}})]
    for method, path, extra in secret:
        headers = {**extra.pop("headers", {}), "Host": host}
        refused = requests.request(method, server.url + path, headers=headers, allow_redirects=False, timeout=5,
                                   **extra)
        assert refused.status_code == 421, (path, refused.status_code)
        assert person["token"] not in refused.text and workshop["join_code"] not in refused.text
        assert "no-store" in refused.headers["Cache-Control"]
    page = requests.get(f"{server.url}/p/{person['token']}", headers={"Host": host}, timeout=5)
    assert "page.wrong_address" in page.text  # the page says why, in the reader's language
    for own in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        assert requests.get(f"{server.url}/p/{person['token']}", headers={"Host": own}, timeout=5).ok
    # Public pages answer under any name: a typed address still reaches the join form.
    assert requests.get(server.url + "/", headers={"Host": host}, timeout=5).ok


def test_an_origin_the_facilitator_allows_opens_pages_and_sockets(fresh_server):
    port, allowed_host = free_port(), "atelier.test"  # a name the venue's DNS gives this laptop, say
    server = fresh_server(port=port, extra_args=["--no-demo", "--allow-origin", f"HTTP://Atelier.Test:{port}/"])
    workshop = create_workshop(server.url, participants=1)
    token = workshop["participants"][0]["token"]
    host, origin = forged(server, allowed_host)
    assert requests.get(f"{server.url}/p/{token}", headers={"Host": host}, timeout=5).ok
    client = socketio.Client(reconnection=False, websocket_extra_options={"host": host, "origin": origin})
    try:
        client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
        assert client.connected
    finally:
        client.disconnect()
    evil_host, _ = forged(server)
    assert requests.get(f"{server.url}/p/{token}", headers={"Host": evil_host}, timeout=5).status_code == 421


@pytest.mark.parametrize("value", ["*", "evil.example", "http://atelier.test/board", "null"])
def test_run_refuses_an_allowed_origin_that_is_not_one(tmp_path, value):
    started = subprocess.run([sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", "0",
                              "--db", str(tmp_path / "a.db"), "--allow-origin", value],
                             cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert started.returncode == 2 and "is not an origin like http://" in started.stderr, started.stderr
    assert not (tmp_path / "a.db").exists()


def test_the_allowlist_is_the_announced_addresses_and_this_machine_s_own():
    everywhere = ServerOrigins("http://192.0.2.7:5000", "0.0.0.0", 5000, ["https://atelier.example.org"])
    for origin in ("http://192.0.2.7:5000", "http://127.0.0.1:5000", "http://localhost:5000", "HTTP://LOCALHOST:5000/",
                   "https://atelier.example.org:443", "http://127.0.0.2:5000"):  # 127.0.0.2: an address of this machine
        assert everywhere.allows(origin), origin
    for origin in ("http://evil.example:5000", "http://127.0.0.1:5001", "http://192.0.2.99:5000",  # not this machine
                   "null", "", None, "http://localhost:5000/p/x", "https://127.0.0.1:5000", "http://user@localhost:5000"):
        assert not everywhere.allows(origin), origin
    bound = ServerOrigins("http://10.1.2.3:8000", "10.1.2.3", 8000)
    assert bound.allows("http://10.1.2.3:8000") and not bound.allows("http://127.0.0.2:8000")
    assert normalise_origin("HTTP://Atelier.Local:80/") == "http://atelier.local"
    with pytest.raises(ValueError):
        ServerOrigins("http://10.1.2.3:8000", "10.1.2.3", 8000, ["*"])
