"""HTTP pages and downloads: who may open what, and the facilitator's CSV."""
import csv
import io

import pytest

from board import create_app
from board.domain.commands import CreateCard, MoveCard, SetSequence


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "http.db"), "ASYNC_MODE": "threading"})


@pytest.fixture
def board(app):
    """A workshop with one participant, through the HTTP API; its tokens by role."""
    http = app.test_client()
    created = http.post("/workshops", json={"format": "atelier-competences"}).get_json()
    joined = http.post("/join", json={"code": created["join_code"], "name": "Zoé"}).get_json()
    return {"http": http, "created": created, "participant": joined,
            "facilitator": created["facilitator_url"].rsplit("/", 1)[1],
            "projector": created["projector_url"].rsplit("/", 1)[1]}


# Each protected page, and the roles whose token opens it.
PAGES = [("/f/{}", {"facilitator"}), ("/f/{}/export.csv", {"facilitator"}), ("/f/{}/export.xlsx", {"facilitator"}),
         ("/p/{}", {"facilitator", "participant"}), ("/s/{}", {"projector"})]


@pytest.mark.parametrize("path, allowed", PAGES, ids=[p for p, _ in PAGES])
def test_a_page_opens_only_with_a_token_of_its_role(board, path, allowed):
    tokens = {"facilitator": board["facilitator"], "projector": board["projector"],
              "participant": board["participant"]["token"], "unknown": "x" * 32}
    for role, token in tokens.items():
        status = board["http"].get(path.format(token)).status_code
        assert status == (200 if role in allowed else 404), (role, status)


def test_pages_forbid_referrers_and_framing(board):
    response = board["http"].get(f"/p/{board['participant']['token']}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_export_opens_in_french_excel_and_never_carries_a_formula(app, board):
    workshops = app.extensions["atelier"].workshops
    room = workshops.room(board["created"]["board_id"])
    facilitator = next(p.id for p in room.board.participants.values() if p.role == "facilitator")
    room.submit(facilitator, SetSequence(index=2))
    room.submit(facilitator, MoveCard(card_id="d01", zone_id="maintenance/techniques", x=.5, y=.5))
    room.submit(board["participant"]["participant_id"],
                CreateCard(kind="postit", text='=HYPERLINK("http://evil.example";"clic")',
                           zone_id="maintenance/techniques", x=.5, y=.5))
    response = board["http"].get(f"/f/{board['facilitator']}/export.csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Zone", "Catégorie", "Carte", "Type", "Équipe", "Auteur", "Gommettes", "Rang",
                       "Rang dans le domaine", "Description"]
    escaped = "\u2060=HYPERLINK(\"http://evil.example\";\"clic\")"  # the invisible WORD JOINER (EXP3)
    assert {row[2] for row in rows[1:]} == {room.board.cards["d01"].text, escaped}
    assert all(row[0] == "Maintenance" and row[1] == "Techniques Métiers" for row in rows[1:])
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
