"""The participants' evaluation of a workshop: the format's questionnaire, answering, who reads what,
and the answers in the board's file (docs/spec.md EVAL1-EVAL7), built in memory (tests/domain_helpers.py)."""
import copy
import json

import pytest

from board.domain import FormatError, load_format
from board.domain.documents import DocumentError, board_document, check_document
from board.domain.evolve import replay
from domain_helpers import FACILITATOR_ID, PROJECTOR_ID, Workshop, minimal_document

EVALUATION = {"scales": [{"id": "utile", "label": {"fr": "Utilité de l’atelier", "en": "Usefulness"}},
                         {"id": "rythme", "label": {"fr": "Rythme", "en": "Pace"}}],
              "question": {"fr": "Un mot pour la suite ?", "en": "A word for what comes next?"}}


def evaluated_document(sequence_allows=False):
    """The minimal format with a two-scale evaluation; its sequence s2 opens it when `sequence_allows`."""
    document = minimal_document()
    document["evaluation"] = copy.deepcopy(EVALUATION)
    if sequence_allows:
        document["sequences"][1]["allows"].append("answer_evaluation")
    return document


def evaluation_story_types():
    """The evaluation's event types, from a short story (tests/test_domain.py's REPLAY8 reads it)."""
    w = Workshop(evaluated_document())
    w.join("ana")
    events = [w.accept(FACILITATOR_ID, "open_evaluation"),
              w.accept("ana", "answer_evaluation", scores={"utile": 4, "rythme": 4}, text=""),
              w.accept(FACILITATOR_ID, "close_evaluation")]
    return {event.type for event in events}


@pytest.fixture
def workshop():
    w = Workshop(evaluated_document())
    for pid in ("ana", "bob"):
        w.join(pid)
    return w


def test_a_format_states_its_questionnaire_and_a_wrong_one_is_named_by_its_path():
    """EVAL1: 1 to 6 scales {id, label}, one question label; anything else is named."""
    assert load_format(evaluated_document()).document["evaluation"] == EVALUATION
    cases = [({"scales": [], "question": EVALUATION["question"]}, "evaluation.scales: must hold 1 to 6 scales"),
             ({**EVALUATION, "scale": 1}, "evaluation.scale: is not a field here"),
             ({"scales": [{"id": "Utile!", "label": {"fr": "a", "en": "b"}}], "question": EVALUATION["question"]},
              "evaluation.scales[0].id: must be an id"),
             ({"scales": EVALUATION["scales"] * 2, "question": EVALUATION["question"]}, "evaluation.scales: duplicate id"),
             ({"scales": EVALUATION["scales"]}, "evaluation.question: must be an object"),
             ({"scales": [{"id": "a", "label": {"fr": "a"}}], "question": EVALUATION["question"]},
              "evaluation.scales[0].label.en: must be a non-empty text")]
    for evaluation, message in cases:
        document = {**minimal_document(), "evaluation": evaluation}
        with pytest.raises(FormatError) as error:
            load_format(document)
        assert message in str(error.value), evaluation
    sequence = {**minimal_document()}
    sequence["sequences"][1]["allows"].append("answer_evaluation")
    load_format(sequence)  # a sequence may name it


def test_participants_answer_once_the_facilitator_opens_change_their_answer_and_not_after_the_close(workshop):
    """EVAL2-EVAL5: not before it opens; a score per scale 1-5 and a text; changed until the close."""
    refused = workshop.refuse("ana", "answer_evaluation", scores={"utile": 4, "rythme": 3}, text="")
    assert refused.code == "sequence_closed" and "not open" in refused.message
    workshop.refuse("ana", "open_evaluation")  # the facilitator's
    workshop.accept(FACILITATOR_ID, "open_evaluation")
    workshop.accept("ana", "answer_evaluation", scores={"utile": 4, "rythme": 3}, text="  Très concret.  ")
    assert workshop.board.evaluation["answers"]["ana"] == {"scores": {"utile": 4, "rythme": 3}, "text": "Très concret."}
    assert "every scale" in workshop.refuse("bob", "answer_evaluation", scores={"utile": 5}, text="").message
    assert "Unknown scale 'fun'" in workshop.refuse("bob", "answer_evaluation", scores={"utile": 5, "rythme": 2, "fun": 1},
                                                    text="").message
    assert workshop.refuse("bob", "answer_evaluation", scores={"utile": 6, "rythme": 2}, text="").code == "bad_request"
    assert workshop.refuse("bob", "answer_evaluation", scores={"utile": True, "rythme": 2}, text="").code == "bad_request"
    assert workshop.refuse("bob", "answer_evaluation", scores={"utile": 5, "rythme": 2}, text="x" * 1001).code == "too_large"
    workshop.refuse(FACILITATOR_ID, "answer_evaluation", scores={"utile": 5, "rythme": 2}, text="")  # participants only
    workshop.accept("ana", "answer_evaluation", scores={"utile": 5, "rythme": 3}, text="Très concret.")  # changed
    workshop.refuse("ana", "answer_evaluation", scores={"utile": 5, "rythme": 3}, text="Très concret.")  # the same
    workshop.accept(FACILITATOR_ID, "close_evaluation")
    closed = workshop.refuse("bob", "answer_evaluation", scores={"utile": 2, "rythme": 2}, text="")
    assert closed.code == "sequence_closed" and "closed" in closed.message
    assert workshop.board.evaluation == {"status": "closed",
                                         "answers": {"ana": {"scores": {"utile": 5, "rythme": 3}, "text": "Très concret."}}}
    assert replay(workshop.events).evaluation == workshop.board.evaluation


def test_a_sequence_that_allows_it_opens_the_questionnaire_without_the_facilitator():
    """EVAL2: in s2 (allows answer_evaluation), not in s1; the facilitator's close ends it in any sequence."""
    w = Workshop(evaluated_document(sequence_allows=True))
    w.join("ana")
    w.refuse("ana", "answer_evaluation", scores={"utile": 3, "rythme": 3}, text="")
    w.accept(FACILITATOR_ID, "set_sequence", index=1)
    w.accept("ana", "answer_evaluation", scores={"utile": 3, "rythme": 3}, text="")
    w.accept(FACILITATOR_ID, "close_evaluation")
    w.refuse("ana", "answer_evaluation", scores={"utile": 4, "rythme": 3}, text="")


def test_a_workshop_without_evaluation_refuses_it_and_its_snapshot_has_none():
    w = Workshop(minimal_document())
    w.join("ana")
    assert "no evaluation" in w.refuse(FACILITATOR_ID, "open_evaluation").message
    assert "evaluation" not in w.board.to_dict()


def test_each_member_reads_only_what_is_theirs(workshop):
    """EVAL6: a participant their own answer (snapshot and event), the facilitator all, the projector none."""
    workshop.watch("bob", FACILITATOR_ID, PROJECTOR_ID)
    workshop.accept(FACILITATOR_ID, "open_evaluation")
    workshop.accept("ana", "answer_evaluation", scores={"utile": 2, "rythme": 1}, text="Trop long, secret d’Ana")
    assert workshop.sees("ana")["evaluation"]["answers"] == {"ana": {"scores": {"utile": 2, "rythme": 1},
                                                                      "text": "Trop long, secret d’Ana"}}
    assert workshop.sees("bob")["evaluation"] == {"status": "open", "answers": {}}
    assert workshop.sees(PROJECTOR_ID)["evaluation"]["answers"] == {}
    assert list(workshop.sees(FACILITATOR_ID)["evaluation"]["answers"]) == ["ana"]
    for outsider in ("bob", PROJECTOR_ID):
        assert "secret d’Ana" not in workshop.everything(outsider)
        answered = [e for e in workshop.inbox[outsider] if e["type"] == "evaluation_answered"]
        assert answered and answered[0]["data"] == {} and answered[0]["actor"] is None
    assert "secret d’Ana" in workshop.everything(FACILITATOR_ID)
    opened = [e for e in workshop.inbox["bob"] if e["type"] == "evaluation_opened"]
    assert opened and opened[0] == workshop.events[-2].to_dict()  # the opening reaches everyone as it is


def test_the_answers_are_in_the_boards_file_and_a_file_with_a_wrong_answer_is_refused(workshop):
    """EVAL7: the JSON export carries the answers; imported back they are the same; a score out of range,
    a scale the format has not, or a status that does not exist is named by its path."""
    workshop.accept(FACILITATOR_ID, "open_evaluation")
    workshop.accept("ana", "answer_evaluation", scores={"utile": 4, "rythme": 5}, text="Bien")
    document = json.loads(json.dumps(board_document(workshop.board)))
    assert document["evaluation"]["answers"]["ana"] == {"scores": {"utile": 4, "rythme": 5}, "text": "Bien"}
    assert check_document(document).content["evaluation"] == document["evaluation"]
    for change, message in (
            (lambda d: d["evaluation"]["answers"]["ana"]["scores"].update(utile=9), "evaluation.answers.ana.scores.utile: must be a whole number from 1 to 5"),
            (lambda d: d["evaluation"]["answers"]["ana"]["scores"].update(fun=2), "evaluation.answers.ana.scores: must score exactly"),
            (lambda d: d["evaluation"].update(status="maybe"), "evaluation.status: must be idle, open or closed"),
            (lambda d: d["evaluation"]["answers"]["ana"].update(name="Ana"), "evaluation.answers.ana.name: is not a field of an answer")):
        broken = copy.deepcopy(document)
        change(broken)
        with pytest.raises(DocumentError) as error:
            check_document(broken)
        assert message in str(error.value)


def test_a_forgotten_participants_answer_leaves_the_board_and_its_text_the_log(workshop):
    """EVAL9: forgetting someone (FORGET) takes their answer away, and their text out of the earlier events;
    the redacted log still replays to the live board."""
    from board.domain.privacy import redact, redaction_for
    workshop.accept(FACILITATOR_ID, "open_evaluation")
    workshop.accept("ana", "answer_evaluation", scores={"utile": 1, "rythme": 2}, text="Mon manager m’a forcée")
    workshop.accept("bob", "answer_evaluation", scores={"utile": 5, "rythme": 4}, text="Bien")
    forgotten = workshop.accept(FACILITATOR_ID, "forget_participant", participant_id="ana", texts="keep")
    assert list(workshop.board.evaluation["answers"]) == ["bob"]
    log = redact([e.to_dict() for e in workshop.events], redaction_for(forgotten))
    assert "forcée" not in json.dumps(log, ensure_ascii=False) and "Bien" in json.dumps(log, ensure_ascii=False)
    from board.domain.decide import Event
    assert replay([Event(**e) for e in log]).to_dict() == workshop.board.to_dict()
