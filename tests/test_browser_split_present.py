"""The console's split in a real chromium on a busy board (TEAM20, TEAM12): 120 people have the board
open, one of them chose a team; the facilitator asks for 6 teams, is asked first, deals only those
without a team, and sees every team filled, the same size, in the teams panel."""
import requests

from browser import expect, open_board
from conftest import create_workshop, join
from presence_sockets import close_all, open_present
from realtime import BoardClient

PRESENT = 120
TEAMS = 6


def test_the_console_splits_a_busy_room_and_shows_the_teams_filled(server, contexts):
    workshop = create_workshop(server.url, participants=PRESENT)
    away = join(server.url, workshop["join_code"], "Absente")  # joined earlier, board closed now
    people = workshop["participants"]
    facilitator = BoardClient(server.url, workshop["admin_token"])
    chooser = BoardClient(server.url, people[0]["token"])
    sockets = []
    try:
        created = facilitator.command("create_team", {"name": "Production", "colour": "#1f4e9c"})
        assert chooser.command("join_team", {"team_id": f"t{created['version']}"})["ok"]
        sockets = open_present(server.url, [person["token"] for person in people[1:]])
        console = open_board(contexts(viewport={"width": 1366, "height": 768}), workshop["facilitator_url"])
        expect(console.locator("#participant-list [data-presence='online']")).to_have_count(PRESENT, timeout=30000)

        console.fill("#split-form input[name=count]", str(TEAMS))
        console.click("#split-form button[type=submit]")
        dialog = console.locator("dialog.choice")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(f"1 des {PRESENT} présents")
        console.screenshot(path="/tmp/split-console-dialog.png")
        dialog.get_by_role("button", name=f"Ne répartir que les personnes sans équipe ({PRESENT - 1})").click()

        # Production had its one member; the 119 others fill the smallest teams: 20 in each of the 6.
        rows = console.locator("#team-list > li")
        expect(rows).to_have_count(TEAMS, timeout=15000)
        for index in range(TEAMS):
            expect(rows.nth(index).locator(".team-count")).to_have_text(f"membres : {PRESENT // TEAMS}")
            expect(rows.nth(index).locator(".team-count")).to_be_visible()
        expect(console.locator("#split-note")).to_have_text("")
        rows.first.scroll_into_view_if_needed()
        console.screenshot(path="/tmp/split-console-teams.png")
        state = requests.get(server.url + "/api/board", timeout=5,
                             headers={"Authorization": f"Bearer {workshop['admin_token']}"}).json()
        members = {m["id"]: m["team"] for m in state["participants"]}
        assert all(members[person["participant_id"]] for person in people)
        assert members[away["participant_id"]] is None  # not connected: not dealt
    finally:
        close_all(sockets)
        chooser.close()
        facilitator.close()
