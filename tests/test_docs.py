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
