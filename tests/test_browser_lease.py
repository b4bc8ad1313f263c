"""A participant's page on a shared server (two run.py on one PostgreSQL) while its workshop changes
process: it says it is offline while another process holds the workshop, keeps trying, and shows
the board as the other process left it once it is served again, in a real chromium."""
import psycopg2
from playwright.sync_api import expect

from browser import MAINTENANCE, cell, open_board
from conftest import in_placement
from realtime import BoardClient
from test_postgres_server import pg_server


def test_a_page_whose_workshop_moved_says_it_is_offline_then_shows_the_board_where_it_is_served_again(
        browser, contexts, postgres_url, tmp_path):
    first = pg_server(postgres_url, tmp_path)
    second = pg_server(postgres_url, tmp_path)
    try:
        workshop = in_placement(first.url, participants=1)
        page = open_board(contexts(), workshop["participants"][0]["board_url"])
        banner = page.locator("#banner")
        expect(banner).to_be_hidden()

        # The database ends the first process's lease session (a network cut): the second process
        # takes the workshop over at once and a card moves there.
        with psycopg2.connect(postgres_url) as conn, conn.cursor() as cursor:
            # Waits (5 s at most) until they ended: only then are their leases free to take.
            cursor.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'atelier' "
                           "AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')")
        facilitator = BoardClient(second.url, workshop["admin_token"])
        assert facilitator.command("move_card", {"card_id": "d01", "zone_id": MAINTENANCE, "x": 0.3, "y": 0.4})["ok"]

        # The first process drops the workshop and lets the page go; the page comes back to it (no
        # router here) and is told to retry: it says it is offline, not that its link is dead.
        expect(page.locator('body[data-connection="offline"]')).to_be_attached(timeout=10_000)
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Connexion perdue")
        page.screenshot(path="/tmp/pg-lease-offline.png")
        page.wait_for_timeout(2500)  # several retries, all refused while the second process lives
        expect(page.locator('body[data-connection="offline"]')).to_be_attached()
        expect(cell(page, MAINTENANCE).locator('[data-card="d01"]')).to_have_count(0)
        # The same link opened anew on the first process: a page that says to come back, not a dead link.
        fresh = contexts().new_page()
        answer = fresh.goto(workshop["participants"][0]["board_url"])
        assert answer.status == 503
        expect(fresh.get_by_role("alert")).to_contain_text("Un autre serveur tient cet atelier")
        fresh.screenshot(path="/tmp/pg-lease-held-elsewhere.png")

        facilitator.close()
        second.stop(kill=True)  # its holder dies: the page's next try is served, by the first process
        expect(page.locator('body[data-connection="online"]')).to_be_attached(timeout=15_000)
        expect(banner).to_be_hidden()
        moved = cell(page, MAINTENANCE).locator('[data-card="d01"]')
        expect(moved).to_be_visible()  # what the second process kept, caught up
        moved.scroll_into_view_if_needed()
        page.screenshot(path="/tmp/pg-lease-online.png")
    finally:
        second.stop()
        first.stop()
    assert "Traceback" not in first.output(), first.output()[-3000:]
