"""What a person sees when the server's disk cannot take their join: the site's own page, in French,
saying the change was not saved and to try again; trying again once space is back lets them in."""
import os
import re
import resource

from browser import expect
from conftest import ServerProcess, create_workshop


def test_joining_while_the_disk_is_full_shows_the_sites_page_then_works_once_space_is_back(
        tmp_path, contexts):
    server = ServerProcess(tmp_path / "atelier.db", extra_args=["--no-demo", "--join-rate", "100"])
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    try:
        server.start()
        workshop = create_workshop(server.url)
        page = contexts(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{server.url}/j/{workshop['join_code']}")
        page.get_by_label("Votre nom").fill("Inès")
        # The write-ahead log may not grow any more: the join cannot be written (EFBIG).
        resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (os.path.getsize(server.db_path + "-wal"), hard))
        with page.expect_response(lambda r: r.url.endswith("/join")) as answer:
            page.get_by_role("button", name="Rejoindre").click()
        assert answer.value.status == 503 and answer.value.headers["retry-after"].isdigit()
        message = page.get_by_role("alert")
        expect(message).to_have_text("Le tableau n’a pas pu enregistrer ce changement. Réessayez.")
        expect(message).to_be_visible()
        expect(page.get_by_role("heading", name="Impossible")).to_be_visible()
        page.screenshot(path="/tmp/store-join-disk-full.png")
        resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (hard, hard))
        page.go_back()
        page.get_by_label("Votre nom").fill("Inès")
        page.get_by_role("button", name="Rejoindre").click()
        expect(page).to_have_url(re.compile(r"/p/"))
        expect(page.locator('body[data-connection="online"]')).to_be_attached()
    finally:
        server.stop()
    assert "Traceback" not in server.output()
