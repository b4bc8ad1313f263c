"""The browser's files agree with the server: protocol names, catalogues, served libraries."""
import json
import re
import subprocess
from pathlib import Path

import pytest

from board import create_app, protocol

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"


def js_protocol():
    """static/js/protocol.js as data, read by node itself (not by a regular expression)."""
    script = ("import('./static/js/protocol.js').then((p) => console.log(JSON.stringify({"
              "version: p.PROTOCOL_VERSION, client: Object.values(p.CLIENT), server: Object.values(p.SERVER), "
              "commands: p.COMMAND_TYPES, events: p.EVENT_TYPES, errors: p.ERROR_CODES, hz: p.EPHEMERAL_HZ})))")
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=30)
    return json.loads(out.stdout)


def test_the_browser_protocol_module_matches_the_server():
    js = js_protocol()
    assert js["version"] == protocol.PROTOCOL_VERSION
    assert sorted(js["client"]) == sorted(protocol.CLIENT_EVENTS)
    assert sorted(js["server"]) == sorted(protocol.SERVER_EVENTS)
    assert sorted(js["commands"]) == sorted(protocol.CLIENT_COMMAND_TYPES)
    assert sorted(js["events"]) == sorted(protocol.BOARD_EVENT_TYPES)
    assert sorted(js["errors"]) == sorted(protocol.ERROR_CODES)
    assert js["hz"] == protocol.EPHEMERAL_HZ


def catalogue(lang):
    return json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def test_both_catalogues_have_the_same_keys_and_no_empty_string():
    fr, en = catalogue("fr"), catalogue("en")
    assert set(fr) - set(en) == set(), "keys missing in en.json"
    assert set(en) - set(fr) == set(), "keys missing in fr.json"
    assert all(value.strip() for value in [*fr.values(), *en.values()])


def test_every_key_the_pages_use_is_in_the_catalogues():
    used = set()
    for path in [*STATIC.glob("js/*.js"), *(ROOT / "templates").glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", text))
        used |= set(re.findall(r'data-i18n(?:-label|-placeholder|-title)?="([a-z_.]+)"', text))
    assert used, "the pattern found no key at all"
    assert used - set(catalogue("fr")) == set()


def test_every_error_code_has_a_message_in_each_language():
    for lang in ("fr", "en"):
        assert {f"error.{code}" for code in protocol.ERROR_CODES} <= set(catalogue(lang))


@pytest.fixture
def http(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "front.db"), "ASYNC_MODE": "threading"}).test_client()


def test_socket_io_client_is_served_from_node_modules(http):
    response = http.get("/vendor/socket.io.esm.min.js")
    assert response.status_code == 200 and "javascript" in response.content_type
    installed = (ROOT / "node_modules/socket.io-client/dist/socket.io.esm.min.js").read_bytes()
    assert response.data == installed


@pytest.mark.parametrize("name", ["../package.json", "axe-core", "socket.io.js", "%2e%2e%2fpackage.json"])
def test_only_listed_vendor_files_are_served(http, name):
    assert http.get(f"/vendor/{name}").status_code == 404


def test_no_page_loads_anything_from_another_host():
    for path in [*(ROOT / "templates").glob("*.html"), *STATIC.glob("js/*.js"), *STATIC.glob("css/*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']https?://|import[^;]*["']https?://|url\(["']?https?://""", text), path


def test_the_join_qr_code_is_an_svg_drawn_here(http):
    created = http.post("/workshops", json={"format": "atelier-competences"}).get_json()
    response = http.get(f"/qr/{created['join_code']}.svg")
    assert response.status_code == 200 and response.content_type.startswith("image/svg+xml")
    assert b"<svg" in response.data and b"<path" in response.data
    assert http.get("/qr/ZZZ.svg").status_code == 404  # not shaped like a code (an unknown code is drawn)


@pytest.mark.parametrize("module", sorted(p.name for p in (STATIC / "js").glob("*.js")))
def test_every_browser_module_parses(module):
    """A module that does not parse stops the whole page (it never comes online): node reads each one as
    the browser does, as an ES module, without running it."""
    source = (STATIC / "js" / module).read_text(encoding="utf-8")
    run = subprocess.run(["node", "--input-type=module", "--check"], input=source, capture_output=True, text=True,
                         timeout=30)
    assert run.returncode == 0, run.stderr


MARKERS = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def test_no_file_holds_a_merge_s_conflict_markers():
    """Leftover conflict markers break a page, a template or a document in ways no other test may read."""
    kinds = {".py", ".js", ".css", ".html", ".json", ".md", ".txt", ".toml", ".ini", ".cfg", ".sh", ".mjs"}
    folders = ["board", "static", "templates", "tests", "docs", "bench", "cluster"]
    files = [p for folder in folders if (ROOT / folder).exists() for p in (ROOT / folder).rglob("*")
             if p.is_file() and p.suffix in kinds and "node_modules" not in p.parts]
    files += [p for p in ROOT.iterdir() if p.is_file() and (p.suffix in kinds or p.name in {"Makefile", "run.py"})]
    assert len(files) > 200
    marked = [str(p.relative_to(ROOT)) for p in files if MARKERS.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert marked == []
