"""Shared fixtures: a real server process on 127.0.0.1, real clients, real SQLite files."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from board.store import Store
from board.workshops import Workshops

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from realtime import BoardClient  # noqa: E402
from engines import make_cluster, postgres, postgres_url, redis_engine  # noqa: E402,F401 (fixtures: real engines on loopback)


def free_port():
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """run.py in a subprocess under eventlet, as in production, on a loopback port."""

    def __init__(self, db_path, port=None, extra_args=(), log_path=None, preexec_fn=None, script=None):
        self.db_path, self.port = str(db_path), port or free_port()
        self.script = script or ROOT / "run.py"  # bench/stage_probe.py runs run.py with a timing probe
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.process = None
        # A test whose database sits on a file system it freezes or fills keeps the log elsewhere.
        self.log_path = Path(log_path or str(db_path) + f".{self.port}.log")
        self.preexec_fn = preexec_fn  # e.g. a resource limit set in the child only

    def start(self):
        """Start and wait until /healthz answers."""
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, str(self.script), "--host", "127.0.0.1", "--port", str(self.port),
             "--db", self.db_path, *self.extra_args],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.output()}")

    def stop(self, kill=False):
        """Stop it (SIGKILL when `kill`, as a crash would)."""
        if self.process and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def output(self):
        """Everything the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self):
        """Whether the process still runs."""
        return self.process.poll() is None


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One real eventlet server for the session; each test makes its own boards."""
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "atelier.db",
                         extra_args=["--no-demo", "--join-rate", "100"]).start()
    yield proc
    proc.stop()
    assert "Traceback" not in proc.output(), proc.output()[-3000:]


@pytest.fixture
def fresh_server(tmp_path):
    """A server of this test's own, for restarts and crashes."""
    procs = []

    def start(**kwargs):
        proc = ServerProcess(tmp_path / "atelier.db", **kwargs).start()
        procs.append(proc)
        return proc
    yield start
    for proc in procs:
        proc.stop()


@pytest.fixture
def laptop(tmp_path):
    """A facilitator's laptop with no network to the coordinator (campaigns): a second run.py with its
    own database, on another port."""
    proc = ServerProcess(tmp_path / "laptop.db", extra_args=["--no-demo", "--join-rate", "100"]).start()
    yield proc
    proc.stop()
    assert "Traceback" not in proc.output(), proc.output()[-3000:]


def create_workshop(base_url, participants=0):
    """Create a board over HTTP and join `participants` people; return links and tokens."""
    response = requests.post(base_url + "/workshops", json={"format": "atelier-competences"}, timeout=5)
    response.raise_for_status()
    links = response.json()
    links["admin_token"] = links["facilitator_url"].rsplit("/", 1)[1]
    links["projector_token"] = links["projector_url"].rsplit("/", 1)[1]
    links["participants"] = [join(base_url, links["join_code"], f"Personne {i + 1}") for i in range(participants)]
    return links


def in_placement(base_url, participants=2):
    """A workshop moved on to its Placement sequence (cards may be placed), with participants."""
    workshop = create_workshop(base_url, participants=participants)
    facilitator = BoardClient(base_url, workshop["admin_token"])
    assert facilitator.command("set_sequence", {"index": 1})["ok"]
    facilitator.close()
    return workshop


def join(base_url, code, name):
    """Join a board by code over HTTP; the JSON answer (token, participant_id)."""
    response = requests.post(base_url + "/join", json={"code": code, "name": name}, timeout=5)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def workshop(server):
    """A fresh board on the shared server with three participants."""
    return create_workshop(server.url, participants=3)


@pytest.fixture
def clients(server):
    """Open BoardClients on demand; all are disconnected at the end."""
    opened = []

    def open_client(token, url=None, **kwargs):
        client = BoardClient(url or server.url, token, **kwargs)
        opened.append(client)
        return client
    yield open_client
    for client in opened:
        client.close()


def in_process_facilitator(database, **config):
    """A new workshop in an in-process app (the threading server), and its facilitator's socket through
    Flask-SocketIO's test client, the welcome read: (client, the board's room). For faults put in the
    running app and for settings run.py would pass; the caller disconnects the client."""
    from board import create_app
    from board.sockets import socketio
    app = create_app({"DATABASE": str(database), "ASYNC_MODE": "threading", **config})
    created = app.test_client().post("/workshops", json={"format": "atelier-competences"}).get_json()
    client = socketio.test_client(app, auth={"token": created["facilitator_url"].rsplit("/", 1)[1]})
    assert client.is_connected()
    client.get_received()  # the welcome
    return client, app.extensions["atelier"].workshops.room(created["board_id"])


@pytest.fixture
def store(tmp_path):
    """A Store on a real SQLite file in a temporary folder."""
    s = Store(tmp_path / "board.db")
    yield s
    s.close()


@pytest.fixture
def workshops(store):
    """Workshops over the temporary store, with no sockets."""
    return Workshops(store)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session; each test opens its own contexts."""
    if os.environ.get("NO_BROWSER"):
        pytest.skip("browser tests skipped on request (make test NO_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_FLAGS
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def contexts(browser):
    """New browser contexts (separate people) at 1280×800; closed at the end."""
    opened = []

    def new_context(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**kwargs)
        opened.append(context)
        return context
    yield new_context
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def full_scene(server):
    """The full-scale scene of tests/fullscale.py at a stage, built once per stage and shared by the
    tests that only look at it (a test that changes a board builds its own with build_full_scene)."""
    from fullscale import build_full_scene
    built = {}

    def at(stage="placed"):
        if stage not in built:
            built[stage] = build_full_scene(server.url, stage)
        return built[stage]
    return at


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: docs/screenshots with `make screenshots` (SCREENSHOTS=docs), else a
    temporary folder, so a test run leaves the tree clean."""
    return ROOT / "docs" / "screenshots" if os.environ.get("SCREENSHOTS") == "docs" else tmp_path
