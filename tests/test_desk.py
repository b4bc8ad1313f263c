"""The facilitator's desk ("Mes ateliers") over real HTTP on the real server: DESK3, DESK5-DESK7.

Each browser is a requests.Session (its own cookie jar); pages are read as the HTML the server sends.
"""
import html
import re
import uuid

import pytest
import requests

from board import create_app
from conftest import join
from realtime import BoardClient

FORM = {"format": "atelier-competences"}


def browser():
    """A browser of its own: its cookies are its own."""
    return requests.Session()


def create(session, base_url, title, date="", place=""):
    """Create a workshop from /animer's form as a browser does; the console's URL it is sent to."""
    answer = session.post(base_url + "/workshops", data={**FORM, "title": title, "date": date, "place": place},
                          allow_redirects=False, timeout=5)
    assert answer.status_code == 303, answer.text[:300]
    return answer.headers["Location"]


def desk(session, base_url, path="/bureau"):
    """The desk page's workshops as the reader sees them: [{title, state, date, format, participants, console}]."""
    page = session.get(base_url + path, timeout=5)
    assert page.status_code == 200, page.status_code
    return page, [_workshop(block) for block in re.findall(r'<li class="desk-workshop".*?</li>', page.text, re.S)]


def _workshop(block):
    def text(cls):
        found = re.search(rf'class="{cls}"[^>]*>(.*?)</(?:dd|h3)>', block, re.S)
        return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None
    console = re.search(r'class="button desk-open" href="([^"]+)"', block)
    return {"title": text("desk-workshop-title"), "state": re.search(r'data-state="(\w+)"', block).group(1),
            "date": text("desk-date"), "format": text("desk-format"), "place": text("desk-place"),
            "participants": int(text("desk-participants")), "console": console.group(1) if console else None}


def desk_token(session):
    return session.cookies.get("atelier_desk")


def unique(name):
    return f"{name} {uuid.uuid4().hex[:8]}"


def test_creating_from_the_form_puts_the_workshop_on_this_browsers_desk_only(server):
    """DESK5, DESK6: two workshops on one browser's desk, with what the facilitator gave; another
    browser's desk never shows them."""
    mine, theirs = browser(), browser()
    first, second, other = unique("Atelier RH"), unique("Séminaire"), unique("Atelier d’à côté")
    first_console = create(mine, server.url, first, "2026-03-14", "Salle 204")
    token = desk_token(mine)
    assert token and len(token) >= 32
    create(mine, server.url, second)  # no date, no place
    assert desk_token(mine) == token, "the same browser keeps the same desk"
    create(theirs, server.url, other, "2026-04-01")
    assert desk_token(theirs) not in (None, token)

    page, listed = desk(mine, server.url)
    assert [w["title"] for w in listed] == [second, first]  # the newest first
    assert listed[1] == {"title": first, "state": "preparing", "date": "2026-03-14", "format": "Atelier Compétences",
                         "place": "Salle 204", "participants": 0, "console": first_console}
    assert listed[0]["date"] == "sans date" and listed[0]["place"] is None
    assert other not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    _, theirs_listed = desk(theirs, server.url)
    assert [w["title"] for w in theirs_listed] == [other]


def test_the_desk_cookie_is_httponly_lax_and_not_secure(server):
    """DESK5: no script reads it, no cross-site post carries it, and plain http keeps it."""
    session = browser()
    answer = session.post(server.url + "/workshops", data={**FORM, "title": unique("Cookie")},
                          allow_redirects=False, timeout=5)
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("atelier_desk=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes and "secure" not in attributes
    assert "SameSite=Lax" in cookie


def test_participants_and_state_follow_the_workshop(server):
    """DESK4, DESK6: the count of participants and the state as the workshop goes on."""
    session = browser()
    title = unique("Suivi")
    console = create(session, server.url, title)
    admin = console.rsplit("/", 1)[1]
    code = requests.get(console, timeout=5).text.split('id="join-code">', 1)[1].split("<", 1)[0]
    for name in ("Alice", "Bruno"):
        join(server.url, code, name)
    _, listed = desk(session, server.url)
    assert (listed[0]["participants"], listed[0]["state"]) == (2, "running")
    facilitator = BoardClient(server.url, admin)
    try:
        assert facilitator.command("describe_workshop", {"title": title + " (bis)"})["ok"]
    finally:
        facilitator.close()
    _, listed = desk(session, server.url)
    assert listed[0]["title"] == title + " (bis)", "the title the console gave is the one listed"


def test_the_private_link_opens_the_desk_on_another_device(server):
    """DESK6: /bureau/<token> shows the same desk and the other browser keeps it from then on."""
    laptop, phone = browser(), browser()
    title = unique("Deux appareils")
    create(laptop, server.url, title)
    token = desk_token(laptop)
    page, listed = desk(laptop, server.url)
    assert f"/bureau/{token}" in page.text  # the page offers its private link
    _, on_phone = desk(phone, server.url, f"/bureau/{token}")
    assert [w["title"] for w in on_phone] == [title]
    assert desk_token(phone) == token
    later = unique("Créé sur le téléphone")
    create(phone, server.url, later)
    _, listed = desk(laptop, server.url)
    assert [w["title"] for w in listed] == [later, title]


def test_a_console_opens_from_the_desk_and_a_deleted_workshop_leaves_it(server):
    """DESK6"""
    session = browser()
    kept, gone = unique("Gardé"), unique("Supprimé")
    create(session, server.url, kept)
    create(session, server.url, gone)
    _, listed = desk(session, server.url)
    consoles = {w["title"]: w["console"] for w in listed}
    page = requests.get(consoles[gone], timeout=5)
    assert page.status_code == 200 and 'id="join-code"' in page.text
    deleted = requests.post(consoles[gone] + "/delete", json={"delete": True}, timeout=5)
    assert deleted.json()["ok"]
    _, listed = desk(session, server.url)
    assert [w["title"] for w in listed] == [kept]


def test_no_route_lists_workshops_without_the_desk_secret(server, tmp_path):
    """DESK7: every GET route, asked without a desk (and with made-up secrets), names no workshop."""
    owner = browser()
    title = unique("Secret")
    console = create(owner, server.url, title)
    board_id = requests.get(server.url + "/api/board", timeout=5,
                            headers={"Authorization": "Bearer " + console.rsplit("/", 1)[1]}).json()["id"]
    stranger = browser()
    stranger.get(server.url + "/animer", timeout=5)  # no desk comes from looking
    app = create_app({"DATABASE": str(tmp_path / "routes.db"), "ASYNC_MODE": "threading"})
    fake = "x" * 32
    asked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/static"):
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", fake, rule.rule)
        answer = stranger.get(server.url + path, timeout=5)
        asked += 1
        assert title not in answer.text and board_id not in answer.text, rule.rule
    assert asked >= 10
    assert desk_token(stranger) is None
    page = stranger.get(server.url + "/bureau", timeout=5)
    assert page.status_code == 200 and 'id="desk-none"' in page.text and "desk-workshop" not in page.text


def test_another_desks_cookie_sees_nothing_of_mine(server):
    """DESK7: a cookie holding another (unknown or other) desk's token lists only that desk's."""
    mine = browser()
    title = unique("À moi")
    create(mine, server.url, title)
    forged = browser()
    forged.cookies.set("atelier_desk", "A" * 32, domain="127.0.0.1", path="/")
    page = forged.get(server.url + "/bureau", timeout=5)
    assert title not in page.text and 'id="desk-none"' in page.text
    # Creating from a browser whose desk the server does not know gives it a new desk, not a way in.
    create(forged, server.url, unique("Nouveau"))
    assert desk_token(forged) != "A" * 32
    _, listed = desk(forged, server.url)
    assert title not in [w["title"] for w in listed]


def test_a_wrong_desk_token_is_the_404_of_any_dead_link(server):
    """DESK7"""
    answer = requests.get(f"{server.url}/bureau/{'z' * 32}", timeout=5)
    assert answer.status_code == 404
    assert answer.headers["Cache-Control"] == "no-store"
    assert "atelier_desk" not in answer.headers.get("Set-Cookie", "")
    assert requests.get(f"{server.url}/bureau/short", timeout=5).status_code == 404


def test_the_desk_answers_only_under_the_servers_own_names(server):
    """DESK7: a DNS-rebinding page with the stolen desk link reads nothing (421)."""
    session = browser()
    create(session, server.url, unique("Rebinding"))
    token = desk_token(session)
    host = f"evil.example:{server.port}"
    assert requests.get(f"{server.url}/bureau/{token}", headers={"Host": host}, timeout=5).status_code == 421
    assert session.get(f"{server.url}/bureau", headers={"Host": host}, timeout=5).status_code == 421


def test_guessing_desk_tokens_is_rate_limited_like_joining(fresh_server):
    """DESK7: the per-address bucket of joining (here 0.5 a second, 15 at once) stops a guesser."""
    server = fresh_server(extra_args=["--no-demo", "--join-rate", "0.5"])
    codes = [requests.get(f"{server.url}/bureau/{uuid.uuid4().hex}", timeout=5).status_code for _ in range(20)]
    assert codes[:10] == [404] * 10 and codes[-1] == 429


@pytest.mark.parametrize("field, value, message", [
    ("date", "2026-02-30", "La date doit être une date du calendrier"),
    ("title", "t" * 121, "Le nom de l’atelier doit faire au plus 120 caractères"),
    ("place", "p" * 121, "Le lieu doit faire au plus 120 caractères"),
])
def test_bad_details_give_the_form_back_with_the_reason_and_create_nothing(server, field, value, message):
    """DESK3"""
    session = browser()
    boards = requests.get(server.url + "/healthz", timeout=5).json()["boards"]
    typed = {**FORM, "title": "Mon atelier", "date": "2026-03-14", "place": "Salle 3", field: value}
    answer = session.post(server.url + "/workshops", data=typed, allow_redirects=False, timeout=5)
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text
    for kept in ("Mon atelier", "Salle 3") if field == "date" else ():
        assert f'value="{kept}"' in answer.text
    assert requests.get(server.url + "/healthz", timeout=5).json()["boards"] == boards
    assert desk_token(session) is None
    as_json = requests.post(server.url + "/workshops", json=typed, timeout=5)
    assert as_json.status_code == 400 and as_json.json()["code"] == "bad_request"
    catalogue = requests.get(server.url + "/static/i18n/fr.json", timeout=5).json()
    assert catalogue[f"create.bad_{field}"].startswith(message)


def test_a_script_creating_as_json_gets_no_desk_unless_it_asks(server):
    """DESK5"""
    plain = requests.post(server.url + "/workshops", json=FORM, timeout=5)
    assert plain.status_code == 201 and "desk_url" not in plain.json() and "Set-Cookie" not in plain.headers
    asked = requests.post(server.url + "/workshops", json={**FORM, "desk": True, "title": "Par script"}, timeout=5)
    desk_url = asked.json()["desk_url"]
    session = browser()
    _, listed = desk(session, server.url, desk_url.replace(server.url, ""))
    assert [w["title"] for w in listed] == ["Par script"]


# -- templates (DESK8, DESK9): saved from a console, listed on the desk, started again, deleted

def prepare(server_url, admin):
    """A prepared workshop: a label-free change to its deck, two teams, its own vote settings and options."""
    facilitator = BoardClient(server_url, admin)
    try:
        for command, data in (("edit_card", {"card_id": "d01", "text": "Écoute active (revue)"}),
                              ("delete_card", {"card_id": "d02"}),
                              ("create_team", {"name": "Rouge", "colour": "#aa0000", "domain": "maintenance"}),
                              ("create_team", {"name": "Bleu", "colour": "#0000aa"}),
                              ("configure_vote", {"mode": "team", "budget": 7, "per_card": 3}),
                              ("configure", {"team_choice": False, "private_cards": True})):
            assert facilitator.command(command, data)["ok"], command
    finally:
        facilitator.close()


def template_of(console_url):
    """The workshop's preparation as the documents capability writes it (GET /f/<token>/template.json)."""
    document = requests.get(console_url + "/template.json", timeout=5).json()
    return {k: v for k, v in document.items() if k not in ("exported_at", "source_board", "details")}


def templates_on(session, server_url):
    page = session.get(server_url + "/bureau", timeout=5).text
    return [(tid, html.unescape(name)) for tid, name in
            re.findall(r'data-template="([^"]+)">\s*<h3 class="desk-template-name">([^<]*)</h3>', page)]


def test_a_template_saved_from_a_console_starts_a_workshop_with_the_same_preparation(server):
    """DESK8, DESK9: same deck, labels, teams, vote settings and options; on the same desk, with the title
    and date the start form gave."""
    session = browser()
    title = unique("Préparé")
    console = create(session, server.url, title, "2026-03-14", "Salle 204")
    admin = console.rsplit("/", 1)[1]
    prepare(server.url, admin)
    join(server.url, requests.get(console, timeout=5).text.split('id="join-code">', 1)[1].split("<", 1)[0], "Alice")
    saved = session.post(console + "/template", json={}, timeout=5)
    assert saved.status_code == 201 and saved.json()["name"] == title
    [(template_id, name)] = templates_on(session, server.url)
    assert name == title

    token = desk_token(session)
    again = unique("Deuxième session")
    started = session.post(f"{server.url}/bureau/{token}/templates/{template_id}/start",
                           data={"title": again, "date": "2026-05-02"}, allow_redirects=False, timeout=5)
    assert started.status_code == 303
    new_console = started.headers["Location"]
    assert new_console != console
    assert template_of(new_console) == template_of(console)
    snapshot = requests.get(server.url + "/api/board", timeout=5,
                            headers={"Authorization": "Bearer " + new_console.rsplit("/", 1)[1]}).json()
    assert snapshot["details"] == {"title": again, "date": "2026-05-02", "place": "Salle 204"}
    assert {t["name"] for t in snapshot["teams"]} == {"Rouge", "Bleu"}
    assert (snapshot["vote"]["mode"], snapshot["vote"]["budget"], snapshot["vote"]["per_card"]) == ("team", 7, 3)
    assert "d02" not in {c["id"] for c in snapshot["cards"]}
    assert [p for p in snapshot["participants"] if p["role"] == "participant"] == []  # nobody comes along
    _, listed = desk(session, server.url)
    assert [(w["title"], w["date"], w["participants"], w["state"]) for w in listed] == [
        (again, "2026-05-02", 0, "preparing"), (title, "2026-03-14", 1, "running")]


def test_another_desk_can_neither_start_nor_delete_my_template(server):
    """DESK9"""
    mine, theirs = browser(), browser()
    console = create(mine, server.url, unique("Modèle privé"))
    assert mine.post(console + "/template", json={"name": "Le mien"}, timeout=5).status_code == 201
    [(template_id, _)] = templates_on(mine, server.url)
    create(theirs, server.url, unique("Autre bureau"))
    other = desk_token(theirs)
    for action in ("start", "delete"):
        answer = theirs.post(f"{server.url}/bureau/{other}/templates/{template_id}/{action}", allow_redirects=False,
                             timeout=5)
        assert answer.status_code == 404, action
    assert templates_on(theirs, server.url) == []
    assert [name for _, name in templates_on(mine, server.url)] == ["Le mien"]


def test_a_deleted_template_leaves_the_desk_and_its_workshops_stay(server):
    """DESK9"""
    session = browser()
    title = unique("Éphémère")
    console = create(session, server.url, title)
    session.post(console + "/template", json={}, timeout=5)
    [(template_id, _)] = templates_on(session, server.url)
    token = desk_token(session)
    deleted = session.post(f"{server.url}/bureau/{token}/templates/{template_id}/delete", allow_redirects=False,
                           timeout=5)
    assert deleted.status_code == 303
    assert templates_on(session, server.url) == []
    _, listed = desk(session, server.url)
    assert [w["title"] for w in listed] == [title]
    again = session.post(f"{server.url}/bureau/{token}/templates/{template_id}/delete", timeout=5)
    assert again.status_code == 404


def test_a_workshop_on_no_desk_saves_its_template_on_this_browsers_desk(server):
    """DESK8: a script's workshop (the demo's case) goes on the desk of the browser that saves it."""
    made = requests.post(server.url + "/workshops", json={**FORM, "title": "Démo"}, timeout=5).json()
    session = browser()
    saved = session.post(made["facilitator_url"] + "/template", json={"name": "Depuis la démo"}, timeout=5)
    assert saved.status_code == 201 and desk_token(session)
    assert [name for _, name in templates_on(session, server.url)] == ["Depuis la démo"]
    _, listed = desk(session, server.url)
    assert [w["title"] for w in listed] == ["Démo"]
    too_long = session.post(made["facilitator_url"] + "/template", json={"name": "n" * 121}, timeout=5)
    assert too_long.status_code == 413


def test_the_demo_workshop_has_a_title_of_its_own(fresh_server):
    """DESK1: the first start's demo is named as such, so it is told apart from one's own workshops."""
    server = fresh_server()
    link = re.search(r"Facilitator link.*?: (http\S+)", server.output()).group(1)
    snapshot = requests.get(server.url + "/api/board", headers={"Authorization": "Bearer " + link.rsplit("/", 1)[1]},
                            timeout=5).json()
    assert snapshot["details"] == {"title": "Atelier Compétences (démonstration)", "date": None, "place": ""}
    console = requests.get(link, timeout=5)
    assert console.status_code == 200


def test_a_workshop_created_from_a_file_at_animer_goes_on_the_desk(server):
    """DESK5: /animer's other way to create (a template file, the documents capability) lists it too."""
    session = browser()
    console = create(session, server.url, unique("Source"))
    template = requests.get(console + "/template.json", timeout=5).content
    made = session.post(server.url + "/workshops/document", files={"document": ("modele.json", template)},
                        allow_redirects=False, timeout=5)
    assert made.status_code == 303
    _, listed = desk(session, server.url)
    assert [w["console"] for w in listed][0] == made.headers["Location"]
    assert len(listed) == 2
