"""Campaigns as a service (board/campaigns.py, board/domain/campaign.py; spec COORD, GLOSS).

Real SQLite files, the real Workshops and rooms; a second Workshops over a second file stands for a
facilitator's laptop with no network, where the campaign's handout is opened and the workshop played.
"""
import json

import pytest

from board.campaigns import IMPORTED, SERVER, Campaigns
from board.domain import parse_command
from board.domain.campaign import CampaignError, evaluation_from_form, glossary_from_lines
from board.domain.documents import board_document, to_json
from board.domain.formats import FormatError, load_format, read_format
from board.store import Store
from board.workshops import Workshops

GLOSSARY = [{"term": "Compétence", "definition": "Savoir mobiliser ses ressources pour agir."},
            {"term": "Savoir-être", "definition": "Une attitude, une manière d'être au travail."}]


def submit(workshops, info, kind, payload):
    answer = workshops.room(info["board_id"]).submit(info["facilitator_id"], parse_command(kind, payload))
    assert answer["ok"], answer
    return answer


def write_card(workshops, info, card_id, text, zone="maintenance/techniques"):
    if workshops.room(info["board_id"]).board.sequence != 2:
        submit(workshops, info, "set_sequence", {"index": 2})
    submit(workshops, info, "create_card", {"kind": "new", "text": text, "zone_id": zone, "x": 0.5, "y": 0.5,
                                            "card_id": card_id})


def export_of(workshops, info):
    """The board's export as the console downloads it, as bytes of a file."""
    return to_json(workshops.room(info["board_id"]).read(lambda board, _: board_document(board, False)))


@pytest.fixture
def campaigns(workshops):
    return Campaigns(workshops)


@pytest.fixture
def laptop(tmp_path):
    """A facilitator's laptop: its own server's workshops over its own database file."""
    store = Store(tmp_path / "laptop.db")
    yield Workshops(store)
    store.close()


def test_a_campaigns_boards_are_ordinary_boards_each_with_its_links_code_date_and_glossary(campaigns, workshops, store,
                                                                                            tmp_path):
    """COORD1-COORD3, GLOSS1: one board per territory, its own facilitator link, join code and date; the glossary
    and the campaign's id in every board's format; all of it still there after the server starts again."""
    made = campaigns.create("Centre-Val de Loire 2026", "atelier-competences", glossary=GLOSSARY)
    campaign = campaigns.open(made["token"])
    tours = campaigns.add_board(campaign, "Tours", "2026-05-12")
    gien = campaigns.add_board(campaign, " Gien ", "")
    assert tours["join_code"] != gien["join_code"] and tours["admin_token"] != gien["admin_token"]
    assert workshops.open(tours["admin_token"]).board_id == tours["board_id"]
    board = workshops.room(tours["board_id"]).board
    assert board.details == {"title": "Centre-Val de Loire 2026 — Tours", "date": "2026-05-12", "place": "Tours"}
    assert board.format.document["campaign"] == {"id": made["campaign_id"], "name": "Centre-Val de Loire 2026"}
    assert board.format.document["glossary"] == GLOSSARY
    assert len([c for c in board.cards.values() if c.kind == "deck"]) == 62  # the format's deck came with it
    store.close()
    restarted = Workshops(Store(tmp_path / "board.db"))
    again = Campaigns(restarted)
    reopened = again.open(made["token"])
    assert [(b["territory"], b["date"], b["source"]) for b in again.boards(reopened)] == [
        ("Tours", "2026-05-12", SERVER), ("Gien", None, SERVER)]
    assert restarted.open(tours["admin_token"]).board_id == tours["board_id"]


def test_a_board_played_offline_comes_home_and_reads_like_one_played_here(campaigns, workshops, laptop):
    """COORD5, COORD6, COORD8: the handout opens as a new board on a laptop; its export imported with a territory and
    date appears in the campaign's results beside a board played on the server, both as board exports."""
    campaign = campaigns.open(campaigns.create("Campagne", "atelier-competences", glossary=GLOSSARY)["token"])
    here = campaigns.add_board(campaign, "Tours", "2026-05-12")
    write_card(workshops, here, "n-hydro", "Lire un schéma hydraulique")
    handout = campaigns.handout(campaign)
    away = laptop.create_from_document(json.loads(to_json(handout)))
    away_board = laptop.room(away["board_id"]).board
    assert away_board.format.document["campaign"]["id"] == campaign["id"]
    assert away_board.format.document["glossary"] == GLOSSARY
    write_card(laptop, away, "n-schemas", "Schémas hydrauliques")
    entry = campaigns.import_board(campaign, export_of(laptop, away), "Gien", "2026-05-19")
    assert entry["source"] == IMPORTED and entry["territory"] == "Gien"
    results = campaigns.results(campaign["id"])
    assert [(r["territory"], r["date"], r["source"], r["board_id"]) for r in results] == [
        ("Tours", "2026-05-12", SERVER, here["board_id"]), ("Gien", "2026-05-19", IMPORTED, None)]
    for result, text in zip(results, ("Lire un schéma hydraulique", "Schémas hydrauliques")):
        document = result["document"]
        assert document["atelier"] == "board" and document["format"]["campaign"]["id"] == campaign["id"]
        assert [c["text"] for c in document["cards"] if c["kind"] == "new"] == [text]


def test_a_file_of_another_campaign_a_damaged_file_the_handout_or_a_second_import_is_refused_clearly(
        campaigns, laptop):
    """COORD6, COORD7: each refusal says what is wrong, and the campaign keeps nothing of it."""
    ours = campaigns.open(campaigns.create("Centre 2026", "atelier-competences")["token"])
    theirs = campaigns.open(campaigns.create("Bretagne 2026", "atelier-competences")["token"])
    played = laptop.create_from_document(campaigns.handout(ours))
    export = export_of(laptop, played)
    other = export_of(laptop, laptop.create_from_document(campaigns.handout(theirs)))
    plain = export_of(laptop, laptop.create("atelier-competences"))
    refusals = {
        "another campaign": (other, "belongs to another campaign, “Bretagne 2026”"),
        "no campaign": (plain, "belongs to no campaign"),
        "cut short": (export[: len(export) // 2], "damaged and cannot be read: file: is not complete JSON"),
        "not json": (b"\x89PNG\r\n", "damaged and cannot be read"),
        "edited by hand": (to_json({**json.loads(export), "sequence": 99}), "damaged and cannot be read: sequence"),
        "the handout": (to_json(campaigns.handout(ours)), "is a handout or a template, not a finished board"),
    }
    for what, (raw, message) in refusals.items():
        with pytest.raises(CampaignError, match=message):
            campaigns.import_board(ours, raw, "Gien", "")
        assert campaigns.results(ours["id"]) == [], what
    campaigns.import_board(ours, export, "Gien", "")
    with pytest.raises(CampaignError, match="already in the campaign"):
        campaigns.import_board(ours, export, "Blois", "")  # the same board under another name
    with pytest.raises(CampaignError, match="already “Gien”"):
        campaigns.add_board(ours, "gien")
    assert [r["territory"] for r in campaigns.results(ours["id"])] == ["Gien"]


def test_an_imported_board_takes_its_own_place_and_date_when_none_is_given(campaigns, laptop):
    """COORD6: the territory and date default to the board's own details."""
    campaign = campaigns.open(campaigns.create("Campagne", "atelier-competences")["token"])
    played = laptop.create_from_document(campaigns.handout(campaign))
    submit(laptop, played, "describe_workshop", {"title": "Vierzon", "date": "2026-06-02", "place": "Vierzon"})
    entry = campaigns.import_board(campaign, export_of(laptop, played), "", "")
    assert (entry["territory"], entry["date"]) == ("Vierzon", "2026-06-02")


def test_merging_new_cards_keeps_the_originals_with_provenance_and_undoing_restores_them(campaigns, workshops,
                                                                                          store, tmp_path):
    """COORD9, COORD10: a merge names its cards with their territory; the boards keep every original; undone, the
    cards stand alone again; both are durable (read back from the file)."""
    campaign = campaigns.open(campaigns.create("Campagne", "atelier-competences")["token"])
    tours = campaigns.add_board(campaign, "Tours")
    gien = campaigns.add_board(campaign, "Gien")
    write_card(workshops, tours, "n-hydro", "Lire un schéma hydraulique")
    write_card(workshops, gien, "n-schemas", "Schémas hydrauliques")
    write_card(workshops, gien, "n-client", "Parler aux clients")
    before = campaigns.results(campaign["id"])
    merge = campaigns.merge(campaign, [{"source_board": tours["board_id"], "card_id": "n-hydro"},
                                       {"source_board": gien["board_id"], "card_id": "n-schemas"}],
                            "Lire les schémas hydrauliques")
    [standing] = campaigns.merges(campaign["id"])
    assert standing["label"] == "Lire les schémas hydrauliques" and standing["merge_id"] == merge["merge_id"]
    assert [(m["territory"], m["card_id"], m["text"]) for m in standing["members"]] == [
        ("Tours", "n-hydro", "Lire un schéma hydraulique"), ("Gien", "n-schemas", "Schémas hydrauliques")]
    assert campaigns.results(campaign["id"]) == before  # the originals are untouched on their boards
    with pytest.raises(CampaignError, match="already in a merge"):
        campaigns.merge(campaign, [{"source_board": gien["board_id"], "card_id": "n-schemas"},
                                   {"source_board": gien["board_id"], "card_id": "n-client"}])
    with pytest.raises(CampaignError, match="not a new card"):
        campaigns.merge(campaign, [{"source_board": gien["board_id"], "card_id": "n-client"},
                                   {"source_board": tours["board_id"], "card_id": "d01"}])  # a deck card
    with pytest.raises(CampaignError, match="at least two"):
        campaigns.merge(campaign, [{"source_board": gien["board_id"], "card_id": "n-client"}])
    store.close()
    reopened = Campaigns(Workshops(Store(tmp_path / "board.db")))
    assert reopened.merges(campaign["id"]) == [standing]
    reopened.undo_merge(campaign, merge["merge_id"])
    assert reopened.merges(campaign["id"]) == []
    with pytest.raises(CampaignError, match="undone already"):
        reopened.undo_merge(campaign, merge["merge_id"])
    # Undone, the cards may be merged again, differently.
    reopened.merge(campaign, [{"source_board": gien["board_id"], "card_id": "n-schemas"},
                              {"source_board": gien["board_id"], "card_id": "n-client"}])
    assert [m["card_id"] for m in reopened.merges(campaign["id"])[0]["members"]] == ["n-schemas", "n-client"]


def test_a_coordinators_secret_opens_only_its_own_campaign(campaigns, workshops):
    """COORD11: another campaign's secret, a board's facilitator link or a made-up one opens no campaign."""
    first = campaigns.create("Une", "atelier-competences")
    second = campaigns.create("Deux", "atelier-competences")
    board = campaigns.add_board(campaigns.open(first["token"]), "Tours")
    assert campaigns.open(first["token"])["id"] == first["campaign_id"]
    assert campaigns.open(second["token"])["id"] == second["campaign_id"]
    assert campaigns.results(second["campaign_id"]) == []  # the other campaign's board is not in it
    for token in (board["admin_token"], board["projector_token"], "x" * 32, "", None):
        assert campaigns.open(token) is None


def test_the_glossary_is_a_checked_field_of_a_format():
    """GLOSS1: terms and definitions, each named at its path when wrong; a term once, case aside."""
    fmt = read_format("atelier-competences").document
    assert load_format({**fmt, "glossary": GLOSSARY}).document["glossary"] == GLOSSARY
    bad = {"not a list": ("x", "glossary"), "no definition": ([{"term": "a"}], "glossary[0].definition"),
           "unknown field": ([{"term": "a", "definition": "b", "x": 1}], "glossary[0].x"),
           "twice": ([{"term": "Savoir", "definition": "b"}, {"term": "savoir", "definition": "c"}], "glossary"),
           "too long": ([{"term": "a" * 81, "definition": "b"}], "glossary[0].term")}
    for what, (value, path) in bad.items():
        with pytest.raises(FormatError) as error:
            load_format({**fmt, "glossary": value})
        assert error.value.path == path, what
    assert glossary_from_lines("Compétence : agir\n\n Savoir: connaître ") == [
        {"term": "Compétence", "definition": "agir"}, {"term": "Savoir", "definition": "connaître"}]
    with pytest.raises(CampaignError, match="line 2"):
        glossary_from_lines("Compétence : agir\nsans définition")
    assert evaluation_from_form("", "  ") is None
    assert evaluation_from_form("Utile\nClair", "Et encore ?") == {
        "scales": [{"id": "s1", "label": {"fr": "Utile", "en": "Utile"}}, {"id": "s2", "label": {"fr": "Clair", "en": "Clair"}}],
        "question": {"fr": "Et encore ?", "en": "Et encore ?"}}
    assert evaluation_from_form("Utile", "")["question"]["fr"]  # a default open question
    with pytest.raises(CampaignError, match="at least one"):
        evaluation_from_form("", "Une question sans échelle ?")
    with pytest.raises(CampaignError, match="at most 6"):
        evaluation_from_form("\n".join(f"Échelle {n}" for n in range(7)), "")


def test_a_campaign_needs_a_name_and_a_format_that_loads(campaigns):
    with pytest.raises(CampaignError, match="needs a name"):
        campaigns.create("  ", "atelier-competences")
    with pytest.raises(CampaignError, match="glossary"):
        campaigns.create("Campagne", "atelier-competences", glossary=[{"term": "", "definition": "x"}])
