"""DNS rebinding in a real browser: chromium resolves evil.example to this machine (as an attacker's
DNS would after rebinding), so a page from http://evil.example:<port> is same-origin with the server in
the browser's eyes. With a stolen token it must read no secret page and open no socket; the names the
server announces keep working."""
import pytest

from browser import CHROMIUM, CHROMIUM_FLAGS, expect, shoot, wait_online

ATTACK = """async ([token]) => {
  const api = await fetch("/api/board", { headers: { Authorization: `Bearer ${token}` } });
  const page = await fetch(`/p/${token}`);
  const { io } = await import("/vendor/socket.io.esm.min.js");
  const socketAnswer = await new Promise((resolve) => {
    const socket = io({ auth: { token }, transports: ["websocket", "polling"], reconnection: false,
                        timeout: 4000 });
    socket.on("welcome", (welcome) => { socket.close(); resolve("welcome " + welcome.you.role); });
    socket.on("connect_error", (error) => { socket.close(); resolve("refused: " + error.message); });
  });
  return { api: api.status, apiBody: await api.text(), page: page.status, socket: socketAnswer };
}"""


@pytest.fixture
def rebound(browser):
    """A chromium of its own in which evil.example resolves to 127.0.0.1 (the rebinding has happened),
    launched by the session's Playwright."""
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    try:
        yield instance.new_context(viewport={"width": 1280, "height": 800})
    finally:
        instance.close()


def test_a_rebound_page_with_a_stolen_token_reads_nothing_and_opens_no_socket(server, workshop, rebound, shots):
    token = workshop["admin_token"]
    evil = f"http://evil.example:{server.port}"
    page = rebound.new_page()
    # Followed by a person: the secret link under the rebound name shows why it opens nothing.
    answer = page.goto(f"{evil}/f/{token}")
    assert answer.status == 421
    expect(page.get_by_role("alert")).to_contain_text("ne répond pas à cette adresse")
    expect(page.locator("#join-code")).to_have_count(0)
    assert workshop["join_code"] not in page.content()
    shoot(page, "http-rebound-secret-link", shots)
    # Run by the attacker's script from the rebound origin's public home page.
    page.goto(f"{evil}/")
    expect(page.get_by_role("button", name="Rejoindre")).to_be_visible()
    result = page.evaluate(ATTACK, [token])
    assert result["api"] == 421 and workshop["board_id"] not in result["apiBody"], result
    assert result["page"] == 421, result
    assert result["socket"].startswith("refused"), result
    # The same browser at an address the server announces: the facilitator's board opens and goes live.
    own = rebound.new_page()
    own.goto(f"http://localhost:{server.port}/p/{token}")
    wait_online(own)
    expect(own.locator("#panorama")).to_be_visible()
