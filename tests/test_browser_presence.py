"""Who is online, on the console, from presence changes (docs/spec.md PRES1-PRES2), in a real chromium
on the full-scale scene (tests/fullscale.py: 20 participants in 4 teams): real clients open and close
their board, a crowd of 30 more joins at once, and the facilitator's participants panel shows each
person going online and offline (the row's words, in view), the progress panel's mark too; a
participant's own people list counts who is there. Screenshots go to /tmp/presence-*.png.
"""
from browser import expect, open_board
from conftest import join
from fullscale import build_full_scene
from presence_sockets import close_all, open_present
from realtime import BoardClient

LAPTOP = {"width": 1366, "height": 768}


def row(console, person):
    return console.locator(f"#participant-list [data-person='{person['participant_id']}']")


def shows(console, person, status):
    """The person's row says `status` ("en ligne" / "hors ligne") in words, scrolled into view."""
    item = row(console, person)
    expect(item).to_have_attribute("data-presence", "online" if status == "en ligne" else "offline", timeout=10000)
    item.scroll_into_view_if_needed()
    expect(item.locator(".presence")).to_have_text(status)
    expect(item.locator(".presence")).to_be_visible()
    # The progress panel's mark for the person says the same (● online, ○ offline).
    mark = console.locator(f".progress-person[data-person='{person['participant_id']}'] .presence-mark")
    expect(mark).to_have_text("●" if status == "en ligne" else "○")


def test_the_console_shows_people_going_online_and_offline_as_they_open_and_close_their_board(server, contexts):
    scene = build_full_scene(server.url, "placed")
    people = scene["people"]
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    online = console.locator("#participant-list [data-presence='online']")
    expect(online).to_have_count(0)  # the builders closed their boards: everyone offline
    shows(console, people[0], "hors ligne")

    clients = [BoardClient(server.url, person["token"]) for person in people[:5]]
    camille = open_board(contexts(viewport=LAPTOP), people[5]["board_url"])  # a participant's page too
    crowd = [join(server.url, scene["join_code"], f"Arrivée {n + 1}") for n in range(30)]
    sockets = []
    try:
        expect(online).to_have_count(6)
        for person in people[:6]:
            shows(console, person, "en ligne")
        shows(console, people[6], "hors ligne")
        console.screenshot(path="/tmp/presence-console-six.png")

        # A second tab of Camille's, then one of her two closed: she stays online.
        second = BoardClient(server.url, people[5]["token"])
        second.close()
        # Two leave; thirty more arrive together (the console learns of them in a few changes).
        clients[0].close()
        clients[3].close()
        sockets = open_present(server.url, [person["token"] for person in crowd])
        expect(console.locator("#participant-count")).to_have_text("50")
        expect(online).to_have_count(4 + 30, timeout=15000)
        shows(console, people[0], "hors ligne")
        shows(console, people[3], "hors ligne")
        shows(console, people[5], "en ligne")
        shows(console, crowd[-1], "en ligne")
        # Camille's own list counts whoever is there: the facilitator, four of the twenty, thirty newcomers.
        expect(camille.locator("#people-count")).to_have_text(str(1 + 4 + 30))
        console.screenshot(path="/tmp/presence-console-crowd.png")

        # The crowd leaves and Camille closes her page: the console shows them offline, the rest online.
        close_all(sockets)
        camille.close()
        expect(online).to_have_count(3, timeout=15000)
        for index, person in enumerate(people[:6]):
            shows(console, person, "en ligne" if index in (1, 2, 4) else "hors ligne")
        shows(console, crowd[0], "hors ligne")
        row(console, people[0]).scroll_into_view_if_needed()
        console.screenshot(path="/tmp/presence-console-left.png")
    finally:
        close_all(sockets)
        for client in clients:
            client.close()
