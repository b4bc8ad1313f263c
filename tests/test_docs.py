"""Documentation checked by tests: every protocol name and HTTP route is documented."""
import re
from pathlib import Path

import pytest

from board import create_app, protocol

DOCS = Path(__file__).resolve().parent.parent / "docs"
ROOT = DOCS.parent


def documented_names(page):
    return set(re.findall(r"`([a-z_]+)`", (DOCS / page).read_text(encoding="utf-8")))


@pytest.mark.parametrize("group", ["CLIENT_EVENTS", "SERVER_EVENTS", "CLIENT_COMMAND_TYPES", "BOARD_EVENT_TYPES",
                                   "ERROR_CODES"])
def test_every_protocol_name_is_documented(group):
    missing = set(getattr(protocol, group)) - documented_names("protocol.md")
    assert not missing, f"{group} missing from docs/protocol.md: {sorted(missing)}"


def test_server_only_commands_are_documented_as_such():
    text = (DOCS / "protocol.md").read_text(encoding="utf-8")
    assert "`create_board`" in text and "`join`" in text


def test_every_http_route_is_documented(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "docs.db"), "ASYNC_MODE": "threading"})
    text = (DOCS / "http.md").read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert f"`{method} {path}`" in text, f"{method} {path} is not in docs/http.md"


def test_the_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert "make run" in readme


def test_every_test_named_in_the_reliability_guarantees_exists():
    """docs/reliability.md proves each guarantee by a test: a renamed or deleted test must not leave
    a guarantee pointing at nothing."""
    text = (DOCS / "reliability.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?", text)
    assert named, "docs/reliability.md names no test"
    for path, name in named:
        source = ROOT / path
        assert source.exists(), f"docs/reliability.md names {path}, which does not exist"
        if name:
            assert re.search(rf"^(?:async )?def {name}\b", source.read_text(encoding="utf-8"), re.M), \
                f"docs/reliability.md names {path}::{name}, which does not exist"
    assert "(to be written)" not in text, "a guarantee of docs/reliability.md is still to be written"
