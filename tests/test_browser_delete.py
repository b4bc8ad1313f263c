"""Deleting in a real chromium (RGPD), on the full-scale scene at 1366×768: the console's "forget this
person" and "delete the workshop" controls are visible, reachable (inside the window once scrolled to,
not covered, at least 44 px high), ask before acting, in French and in English; what they do reaches
every open page: the name leaves them all, the forgotten person's and the deleted workshop's pages
stop and say why, and their links open nothing afterwards."""
import requests

from browser import expect, open_board, shoot, wait_until
from fullscale import build_full_scene

LAPTOP = {"width": 1366, "height": 768}


def laptop(contexts, lang="fr"):
    context = contexts(viewport=LAPTOP)
    if lang == "en":
        context.add_init_script("localStorage.setItem('atelier.lang', 'en')")
    return context


def snapshot(base_url, token):
    return requests.get(base_url + "/api/board", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()


def reachable(page, selector):
    """Scrolled to, the control is inside the window, drawn on top at its centre and 44 px high at least."""
    control = page.locator(selector)
    control.scroll_into_view_if_needed()
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= LAPTOP["width"] and box["y"] + box["height"] <= LAPTOP["height"], box
    assert box["height"] >= 44 and box["width"] >= 44, (selector, box)
    on_top = page.eval_on_selector(selector, """(node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return node === top || node.contains(top);
    }""")
    assert on_top, f"{selector} is covered"
    return control


def look(page, name, shots):
    """A screenshot in the test's folder, and a copy in /tmp/forget-<name>.png to look at."""
    path = shoot(page, name, shots)
    page.screenshot(path=f"/tmp/forget-{name}.png")
    return path


def test_the_console_forgets_a_person_after_asking_and_every_open_page_loses_the_name(server, contexts, shots):
    """In French: the facilitator picks a participant who wrote a card, is asked (cancel changes
    nothing), chooses "forget and delete their cards": the observer's page, the console and the
    snapshot no longer show the name nor the card; the person's own page stops with the reason and
    forgets the link; the label "Anonyme 1" takes the name's place."""
    scene = build_full_scene(server.url, "placed")
    state = snapshot(server.url, scene["admin_token"])
    names = {p["id"]: p["name"] for p in state["participants"]}
    written = next(c for c in state["cards"] if c["kind"] == "new")
    author = next(p for p in scene["people"] if p["participant_id"] == written["author"])
    name = names[author["participant_id"]]
    observer = next(p for p in scene["people"] if scene["team_of"][p["participant_id"]] == written["team"]
                    and p["participant_id"] != author["participant_id"])

    console = open_board(laptop(contexts), scene["facilitator_url"])
    watching = open_board(laptop(contexts), observer["board_url"])
    watching.evaluate("document.getElementById('people-toggle').click()")  # the people panel open: names shown
    own_context = laptop(contexts)
    own = open_board(own_context, author["board_url"])
    own.evaluate(f"localStorage.setItem('atelier.member.{scene['join_code']}', JSON.stringify({{token: 'x', name: 'y'}}))")
    expect(watching.locator(f'[data-card="{written["id"]}"] .card-author')).to_contain_text(name)

    expect(console.locator("#privacy-title")).to_have_text("Données personnelles (RGPD)")
    expect(console.locator("#delete-workshop")).to_have_text("Supprimer l’atelier…")
    reachable(console, "#forget-person").select_option(author["participant_id"])
    button = reachable(console, "#forget-button")
    expect(button).to_have_text("Oublier cette personne…")
    look(console, "console-section", shots)
    button.click()
    dialog = console.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(f"Oublier {name} ?")
    expect(dialog).to_contain_text("Anonyme 1")
    for answer in ("Annuler", "Oublier et garder ses cartes", "Oublier et supprimer ses cartes"):
        choice = dialog.get_by_role("button", name=answer)
        expect(choice).to_be_visible()
        assert choice.bounding_box()["height"] >= 44, answer
    look(console, "dialog", shots)
    dialog.get_by_role("button", name="Annuler").click()
    expect(console.locator("dialog[open]")).to_have_count(0)
    assert names[author["participant_id"]] in {p["name"] for p in snapshot(server.url, scene["admin_token"])["participants"]}

    button.click()
    console.locator("dialog[open]").get_by_role("button", name="Oublier et supprimer ses cartes").click()
    expect(console.locator("#forget-note")).to_contain_text("Anonyme 1")
    wait_until(watching, f"!window.atelier.connection.confirmed.cards.has('{written['id']}')")
    for page in (console, watching):
        expect(page.locator(f'[data-card="{written["id"]}"]')).to_have_count(0)
        html = page.content()
        assert name not in html, html[max(0, html.find(name) - 300):html.find(name) + 100]
    expect(console.locator(f'#participant-list [data-person="{author["participant_id"]}"]')).to_contain_text("Anonyme 1")
    look(watching, "observer-after", shots)
    after = snapshot(server.url, scene["admin_token"])
    assert name not in str(after) and written["text"] not in str(after)

    banner = own.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("effacé votre nom")
    assert own.evaluate(f"localStorage.getItem('atelier.member.{scene['join_code']}')") is None
    assert own.evaluate("document.querySelector('.workspace').inert")
    look(own, "participant-page", shots)
    assert requests.get(author["board_url"], timeout=5).status_code == 404


def test_the_console_deletes_the_workshop_after_asking_and_every_page_stops(server, contexts, shots):
    """In English: the delete control asks first (cancel keeps everything), then deletes: the console
    says the workshop is gone with the way to create another; a participant's and the projector's
    pages stop and say why; every link of the workshop is a 404 page."""
    scene = build_full_scene(server.url, "placed")
    written_text = next(c["text"] for c in snapshot(server.url, scene["admin_token"])["cards"] if c["kind"] == "new")
    console = open_board(laptop(contexts, "en"), scene["facilitator_url"])
    person = open_board(laptop(contexts), scene["people"][0]["board_url"])
    projector = open_board(contexts(viewport={"width": 1920, "height": 1080}), scene["projector_url"])

    expect(console.locator("#privacy-title")).to_have_text("Personal data (GDPR)")
    expect(console.locator("#forget-button")).to_have_text("Forget this person…")
    button = reachable(console, "#delete-workshop")
    expect(button).to_have_text("Delete the workshop…")
    button.click()
    dialog = console.locator("dialog[open]")
    expect(dialog.locator("h2")).to_have_text("Delete the workshop and all its data?")
    expect(dialog).to_contain_text("20 participant(s)")
    for answer in ("Cancel", "Delete for good"):
        assert dialog.get_by_role("button", name=answer).bounding_box()["height"] >= 44, answer
    look(console, "delete-dialog", shots)
    dialog.get_by_role("button", name="Cancel").click()
    assert requests.get(scene["facilitator_url"], timeout=5).ok

    button.click()
    console.locator("dialog[open]").get_by_role("button", name="Delete for good").click()
    notice = console.locator(".workshop-deleted")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("The workshop was deleted, with all its data.")
    expect(notice.get_by_role("link", name="Create another workshop")).to_be_visible()
    look(console, "delete-console-after", shots)

    for page, text in ((person, "a supprimé cet atelier"), (projector, "a supprimé cet atelier")):
        banner = page.locator("#banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(text)
        page.wait_for_timeout(1500)  # the socket is closed and never reconnects: the reason stays
        expect(banner).to_contain_text(text)
        # The deleted board leaves the screen: nothing of it stays in front of the room.
        expect(page.locator("#panorama")).to_be_hidden()
        if page is projector:  # nor its join code, which opens nothing now
            expect(page.locator("#join-corner")).to_be_hidden()
        assert written_text not in page.locator("body").inner_text()
    look(person, "delete-participant-page", shots)
    look(projector, "delete-projector-page", shots)
    for url in (scene["facilitator_url"], scene["projector_url"], scene["people"][0]["board_url"]):
        assert requests.get(url, timeout=5).status_code == 404
    person.reload()
    expect(person.locator("body")).to_contain_text("Ce lien n’ouvre aucun atelier ici.")
