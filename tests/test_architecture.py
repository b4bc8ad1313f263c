"""The boundaries of docs/architecture.md, checked on the source: who may import what."""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOARD = ROOT / "board"


def imported_modules(path):
    """Top-level names of every module a file imports (relative imports excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((BOARD / "domain").glob("*.py")), ids=lambda p: p.name)
def test_the_domain_core_imports_only_the_standard_library(path):
    outside = {name for name in imported_modules(path) if name not in sys.stdlib_module_names}
    assert not outside, f"{path.name} imports {sorted(outside)}"


def files_importing(module):
    return sorted(p.relative_to(ROOT).as_posix() for p in [*BOARD.rglob("*.py"), ROOT / "run.py"]
                  if module in imported_modules(p))


def test_only_the_store_touches_sqlite():
    assert files_importing("sqlite_utils") == ["board/store.py"]
    assert files_importing("sqlite3") == ["board/store.py"]


def test_only_the_postgresql_store_touches_its_driver():
    assert files_importing("psycopg2") == ["board/store_pg.py"]


def test_eventlet_appears_only_where_the_server_starts():
    assert files_importing("eventlet") == ["board/eventlet_server.py", "run.py"]


def test_flask_appears_only_in_the_app_factory_the_views_and_the_socket_handlers():
    allowed = {"board/__init__.py", "board/views.py", "board/sockets.py"}
    # A capability's own HTTP routes live in board/http_<capability>.py: views too.
    views = {path for path in files_importing("flask") if re.fullmatch(r"board/http_\w+\.py", path)}
    assert set(files_importing("flask")) <= allowed | views
    assert set(files_importing("flask_socketio")) <= allowed


def test_a_clone_alone_holds_every_file_its_tests_and_benchmarks_read():
    """A clean clone must pass on its own: no test or benchmark reads a folder beside the repository."""
    outside = ("/work/", "../shared", "shared/seeds", "parents[2]")
    offenders = [f"{path.relative_to(ROOT)}: {marker}"
                 for path in [*(ROOT / "tests").glob("*.py"), *(ROOT / "bench").glob("*.py")]
                 if path.name != "test_architecture.py"
                 for marker in outside if marker in path.read_text(encoding="utf-8")]
    assert not offenders, offenders
