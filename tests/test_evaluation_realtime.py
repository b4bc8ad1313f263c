"""The evaluation through the real server and real sockets (EVAL2-EVAL7, CAMP6): boards made from the
campaign's template (with its questionnaire), answered by scripted participants, exported, and compared.
"""
from statistics import mean

import requests

from campaign_scene import EVALUATION, GIEN, TOURS, create_evaluated_workshop, play_board, result_of
from realtime import BoardClient

from board.domain.campaign_compare import compare

TOURS_ANSWERS = [{"scores": {"utile": 5, "rythme": 3, "langage": 4}, "text": "Enfin un vocabulaire commun."},
                 {"scores": {"utile": 4, "rythme": 2, "langage": 5}, "text": ""},
                 {"scores": {"utile": 3, "rythme": 4, "langage": 4}, "text": "Trop court."}]
GIEN_ANSWERS = [{"scores": {"utile": 2, "rythme": 5, "langage": 3}, "text": "Des exemples locaux."}]


def test_each_participant_answers_through_the_socket_and_others_learn_only_that_they_did(server, clients):
    """EVAL2-EVAL7 and LOCK2 through the real server: closed, locked, answered, changed, closed, exported."""
    workshop = create_evaluated_workshop(server.url, participants=2)
    facilitator = clients(workshop["admin_token"])
    ana, bob = (clients(person["token"]) for person in workshop["participants"])
    refused = ana.command("answer_evaluation", {"scores": {"utile": 4, "rythme": 4, "langage": 4}, "text": ""})
    assert refused["ok"] is False and refused["code"] == "sequence_closed"
    assert facilitator.command("open_evaluation")["ok"]
    # A locked board (LOCK2) refuses an answer too, and takes it once unlocked.
    locked = facilitator.command("lock_board")
    ana.wait_version(locked["version"])
    answer = {"scores": {"utile": 4, "rythme": 2, "langage": 5}, "text": "Le secret d’Ana"}
    assert ana.command("answer_evaluation", answer)["code"] == "locked"
    assert facilitator.command("unlock_board")["ok"]
    assert ana.command("answer_evaluation", answer)["ok"]
    version = ana.replica.version
    for peer in (facilitator, bob):
        peer.wait_version(version)
    # The facilitator counts one answer (and may read it); Bob knows nothing of it.
    assert list(facilitator.state()["evaluation"]["answers"]) == [workshop["participants"][0]["participant_id"]]
    assert bob.state()["evaluation"] == {"status": "open", "answers": {}}
    assert "secret d’Ana" not in repr(bob.received)
    # Ana changes her answer; the facilitator closes; Bob is too late.
    assert ana.command("answer_evaluation", {"scores": {"utile": 5, "rythme": 2, "langage": 5}, "text": ""})["ok"]
    assert facilitator.command("close_evaluation")["ok"]
    late = bob.command("answer_evaluation", {"scores": {"utile": 1, "rythme": 1, "langage": 1}, "text": ""})
    assert late["code"] == "sequence_closed"
    exported = requests.get(f"{server.url}/f/{workshop['admin_token']}/export.json", timeout=10).json()
    assert exported["format"]["evaluation"] == EVALUATION
    assert exported["evaluation"] == {"status": "closed", "answers": {
        workshop["participants"][0]["participant_id"]: {"scores": {"utile": 5, "rythme": 2, "langage": 5}, "text": ""}}}
    # The file imports back into a new board with the same answers (DOC1, EVAL7).
    created = requests.post(server.url + "/workshops/document", json=exported, timeout=20)
    assert created.status_code == 201, created.text
    token = created.json()["facilitator_url"].rsplit("/", 1)[1]
    again_exported = requests.get(f"{server.url}/f/{token}/export.json", timeout=10).json()
    assert again_exported["evaluation"] == exported["evaluation"]
    # A board reconnecting gets the same: the answers are durable (a new socket, a new snapshot).
    again = BoardClient(server.url, workshop["admin_token"])
    try:
        assert again.state()["evaluation"] == facilitator.state()["evaluation"]
    finally:
        again.close()


def test_the_comparison_gives_each_territorys_answers(server):
    """CAMP6: per territory, answers out of participants, each scale's mean and spread, the texts."""
    results = [result_of(TOURS, play_board(server.url, TOURS, TOURS_ANSWERS)[0]),
               result_of(GIEN, play_board(server.url, GIEN, GIEN_ANSWERS)[0])]
    evaluation = compare(results, [])["evaluation"]
    assert [scale["id"] for scale in evaluation["scales"]] == ["utile", "rythme", "langage"]
    for name, answers, people in (("Tours", TOURS_ANSWERS, 5), ("Gien", GIEN_ANSWERS, 2)):
        got = evaluation["by_territory"][name]
        assert (got["answers"], got["participants"]) == (len(answers), people)
        for scale in ("utile", "rythme", "langage"):
            values = [answer["scores"][scale] for answer in answers]
            assert got["scales"][scale]["mean"] == mean(values)
            assert got["scales"][scale]["spread"] == {str(n): values.count(n) for n in range(1, 6)}
        assert sorted(got["texts"]) == sorted(answer["text"] for answer in answers if answer["text"])
