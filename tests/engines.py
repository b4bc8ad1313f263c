"""Real engines on loopback for the tests: PostgreSQL 15 from the machine's packages, started by
`initdb` + `postgres` in a temporary folder on a free port, as a non-root user (`postgres`, the
package's, when the tests run as root), stopped by PID.

The scale-out tests (issue 15) run against these, never against mocks. More engines (Redis, nginx)
sit beside this one.
"""
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
POSTGRES_USER = "postgres"  # Debian's postgresql package makes it; the engine refuses to run as root
FALLBACK_USER = "atelier-pg"  # made for the tests where the package made no such user
# The simulated machines' private interface (tests/test_cluster_machines.py): a loopback address, as
# every address of the simulation is. The session's PostgreSQL listens there too.
PRIVATE_ADDRESS = "127.0.0.4"


def _engine_user():
    """The user the engine runs as: ourselves when not root, else `postgres` (made if missing)."""
    if os.geteuid() != 0:
        return None
    for name in (POSTGRES_USER, FALLBACK_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
                   check=True)
    return FALLBACK_USER


class PostgresEngine:
    """A PostgreSQL cluster of its own: data, unix socket and log in one temporary folder; it listens
    on `addresses` (loopback ones), the first being the one its URLs name unless told otherwise."""

    def __init__(self, addresses=("127.0.0.1",)):
        self.addresses = list(addresses)
        self.user = _engine_user()
        self.folder = Path(tempfile.mkdtemp(prefix="atelier-pg-"))
        self.data = self.folder / "data"
        from cluster import free_port
        self.port = free_port(self.addresses[0])
        self.process = None

    def _run_as(self):
        """Popen's arguments that run a command as the engine's user. Popen switches user itself, so
        the PID it gives is the engine's own (a runuser in between would take the stop signal)."""
        if not self.user:
            return {}
        entry = pwd.getpwnam(self.user)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": [],
                "env": {**os.environ, "HOME": str(self.folder), "USER": self.user}}

    def start(self):
        """initdb (the first time), then postgres on 127.0.0.1:port; wait until it takes connections."""
        if not self.data.exists():
            if self.user:
                entry = pwd.getpwnam(self.user)
                os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            subprocess.run([str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "atelier", "--auth=trust",
                            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                           check=True, capture_output=True, cwd=self.folder, **self._run_as())
        self.log = open(self.folder / "postgres.log", "ab")
        self.process = subprocess.Popen(
            [str(POSTGRES_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-c", f"listen_addresses={','.join(self.addresses)}", "-c", f"unix_socket_directories={self.folder}",
             "-c", "max_connections=200",
             # A client whose machine vanished is let go (and its leases freed) in about 11 s, not 2 hours.
             "-c", "tcp_keepalives_idle=5", "-c", "tcp_keepalives_interval=2", "-c", "tcp_keepalives_count=3"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.folder, **self._run_as())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("postgres exited: " + self.output())
            ready = subprocess.run([str(POSTGRES_BIN / "pg_isready"), "-h", self.addresses[0], "-p", str(self.port)],
                                   capture_output=True)
            if ready.returncode == 0:
                return self
            time.sleep(0.1)
        raise RuntimeError("postgres did not start: " + self.output())

    def url(self, database="postgres", host=None):
        """The URL of one database of this cluster, at one of its addresses (the first by default)."""
        host = host or self.addresses[0]
        assert host in self.addresses, f"this PostgreSQL does not listen on {host}"
        return f"postgresql://atelier@{host}:{self.port}/{database}"

    def new_database(self, host=None):
        """A new, empty database (a test's own); its URL, at `host` (an address it listens on)."""
        import psycopg2
        name = "t_" + uuid.uuid4().hex[:12]
        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        conn.close()
        return self.url(name, host)

    def output(self):
        """What the engine logged."""
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, remove=True):
        """Fast shutdown by PID (SIGINT: sessions ended, then a clean checkpoint); then the folder goes,
        unless `remove` is False (the same cluster starts again with `start`)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL 15 for the session; each test takes its own database (`postgres_url`). It
    listens on 127.0.0.1 and on the simulated machines' private interface."""
    engine = PostgresEngine(addresses=("127.0.0.1", PRIVATE_ADDRESS)).start()
    yield engine
    engine.stop()


@pytest.fixture
def postgres_url(postgres):
    """The URL of a new, empty database of the session's PostgreSQL, this test's own."""
    return postgres.new_database()


# -- Redis, nginx and a whole shared server (cluster/__init__.py starts them: one code for `make cluster`
# and these tests), each on free loopback ports, in the test's temporary folder, stopped by PID.

@pytest.fixture(scope="session")
def redis_engine(tmp_path_factory):
    """A real Redis for the session (`redis-server --save ''`: nothing kept on disk)."""
    from cluster import RedisEngine
    engine = RedisEngine(tmp_path_factory.mktemp("redis")).start()
    yield engine
    engine.stop()


@pytest.fixture
def make_cluster(tmp_path, postgres):
    """Start nginx, Redis and N server processes on a new database of the session's PostgreSQL:
    `make_cluster(processes=3)`, or N processes on each simulated machine, with Redis and PostgreSQL
    reached on the private interface: `make_cluster(2, machines=("127.0.0.2", "127.0.0.3"),
    private=PRIVATE_ADDRESS)`; everything stops after the test, by PID."""
    from cluster import LOOPBACK, Cluster
    started = []

    def make(processes=3, machines=(LOOPBACK,), private=LOOPBACK):
        # Everyone joins from one address here: the join limit per address (2 a second, bursts of 60) would
        # refuse a test's hundredth person, as the single-process test servers' --join-rate 100 avoids.
        cluster = Cluster(tmp_path / f"cluster-{len(started)}", processes=processes, machines=machines,
                          private=private, database=postgres.new_database(host=private),
                          server_args=["--join-rate", "100"]).start()
        started.append(cluster)
        return cluster
    yield make
    for cluster in started:
        cluster.stop()
        for server in cluster.servers:
            output = server.output()
            assert "Traceback" not in output, output[output.index("Traceback"):][:4000]
