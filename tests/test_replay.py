"""Random command streams from several actors: the log always rebuilds the live board.

A property test (hypothesis, shrinking to a small failing stream) and a
seeded plain-random run share one generator. Each step sends one command,
valid or not, through parse_command and decide; accepted events are applied
with evolve and kept. Rules: docs/spec.md REPLAY1-REPLAY6, and the card, team
and vote invariants of CARD2, CARD3, CARD4, TEAM6, VOTE7 and VOTE12 after every step.

A second property watches what each member receives (PRIV6, VOTE15, VOTE16):
card texts are unique markers, and after every step the snapshot and the event
each member gets are searched for the texts of cards they may not see.
"""
import json
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.domain import (EVENT_TYPES, ERROR_CODES, SERVER_ONLY, SYSTEM, InvalidCommand, Rejection, decide, evolve,
                          parse_command, replay)
from board.domain.decide import Event
from board.domain.documents import check_document, template_document
from board.domain.model import board_from_snapshot
from board.domain.visibility import event_for, snapshot_for, viewer_of
from domain_helpers import FACILITATOR_ID, NOW, PROJECTOR_ID, create_board_command, minimal_document, packaged_document

# Weighted by repetition: people act more than the server, strangers rarely.
ACTORS = (SYSTEM, FACILITATOR_ID, FACILITATOR_ID, FACILITATOR_ID, PROJECTOR_ID,
          "p1", "p1", "p1", "p2", "p2", "p3", "p3", "p4", "p5", "stranger")
# Server-only commands mostly come from the server, as they do in real life.
SERVER_ACTORS = (SYSTEM, SYSTEM, SYSTEM, FACILITATOR_ID, "p1")
LEADER_ACTORS = (FACILITATOR_ID, FACILITATOR_ID, FACILITATOR_ID, "p2", PROJECTOR_ID, SYSTEM)
# Cards are mostly written by team members, so that private mode has something to hide.
WRITER_ACTORS = (FACILITATOR_ID, "p1", "p1", "p2", "p3", "p3", "p4", PROJECTOR_ID, SYSTEM, "stranger")
# Notes come from team members mostly, so that private mode and other teams' notes have something to hide.
NOTE_ACTORS = (FACILITATOR_ID, "p1", "p1", "p2", "p3", "p3", "p2", "p4", PROJECTOR_ID, FACILITATOR_ID, "p1", "p3")
# Dots come from voters, the facilitator (for themselves or for someone) and now and then someone who may not.
VOTE_ACTORS = (FACILITATOR_ID, FACILITATOR_ID, FACILITATOR_ID, "p1", "p1", "p2", "p3", "p4", "p5", PROJECTOR_ID)
LEADER_ONLY = ("create_team", "set_sequence", "set_projector", "configure", "split_teams", "reveal_cards",
               "configure_vote", "open_vote", "close_vote", "reopen_vote", "reveal_results", "set_team",
               "delete_team", "remove_participant", "forget_participant", "lock_board", "unlock_board", "follow",
               "close_door", "open_door", "start_timer", "pause_timer", "resume_timer",
               "adjust_timer", "stop_timer", "set_anonymity", "add_material", "edit_material", "remove_material",
               "move_material", "set_material_sequences", "rename_domain", "add_domain", "remove_domain",
               "rename_category", "add_category", "remove_category", "import_deck", "publish_synthesis", "unpublish_synthesis", "describe_workshop",
               "keep_card", "add_speaker", "open_evaluation", "close_evaluation")
CARD_KINDS = ("join", "join", "create_team", "join_team", "join_team", "move_card", "move_card", "move_card",
              "move_card", "create_card", "create_card", "create_card", "edit_card", "edit_card", "delete_card",
              "set_sequence", "set_sequence", "set_projector", "create_board")
# Closing and revealing twice as often as opening: the vote's life is longer since it can reopen.
ISSUE_6_KINDS = ("configure", "configure", "split_teams", "reveal_cards", "reveal_cards", "configure_vote",
                 "configure_vote", "configure_vote", "open_vote", "close_vote", "close_vote", "reveal_results",
                 "reveal_results", *["vote"] * 12)
# Teams renamed and deleted, people removed or merged (issue 9): rarely, as in a real workshop.
ISSUE_9_KINDS = ("set_team", "delete_team", "remove_participant", "remove_participant")
# Someone asks to be forgotten (issue 10), their texts kept or removed: rarer still.
ISSUE_10_KINDS = ("forget_participant",)
# The room's lock, door and follow (issue 11): unlocking and opening more often than not, so that a
# frozen board or a closed door never lasts long enough to starve the rest of the run.
# A duplicate merged at the door (TEAM19) comes on top of issue 9's removals.
ISSUE_11_KINDS = ("lock_board", "unlock_board", "unlock_board", "close_door", "open_door", "open_door",
                  "follow", "follow", "remove_participant", "remove_participant")
# The timer and "done" (issue 11): a timer runs a few steps (a second each), freezes, is extended or stopped.
ISSUE_11_TIMER_KINDS = ("start_timer", "pause_timer", "resume_timer", "adjust_timer", "stop_timer", "set_done")
# Anonymity per sequence (issue 11): turned on and off now and then, for one sequence or all.
ISSUE_11_ANONYMITY_KINDS = ("set_anonymity", "set_anonymity")
# Material for the participants (issue 12): added more often than removed, so that there is some to
# edit and to move about.
ISSUE_12_MATERIAL_KINDS = ("add_material", "add_material", "add_material", "edit_material", "remove_material",
                           "move_material", "move_material", "set_material_sequences")
# The Panorama's labels (issue 12): renamed, added and removed now and then; a removal of a row or column
# that holds cards is refused (PANO5), so the cells the other steps use mostly stay.
ISSUE_12_PANORAMA_KINDS = ("rename_domain", "add_domain", "remove_domain", "rename_category", "add_category",
                           "remove_category")
# The facilitator's own deck (issue 12): imported now and then, added or replacing, often in a sequence that refuses it.
ISSUE_12_DECK_KINDS = ("import_deck",)
# The published synthesis (issue 12): published, with or without names, taken back, published again.
ISSUE_12_SYNTHESIS_KINDS = ("publish_synthesis", "unpublish_synthesis")
# The workshop's title, date and place (issue 12, DESK2): changed now and then, sometimes wrongly.
ISSUE_12_DESK_KINDS = ("describe_workshop",)
# Ratings on two axes and kept cards (issue 14): teams rate often in the sequence that opens it, the
# facilitator keeps a card now and then.
ISSUE_14_RATING_KINDS = ("rate_card", "rate_card", "rate_card", "keep_card")
# The run's format: the Atelier Compétences with two axes, rating open in its third sequence (Compléter).
AXES = [{"id": "capacite", "label": {"fr": "Capacité d'agir", "en": "Capacity to act"}, "min": 1, "max": 4},
        {"id": "criticite", "label": {"fr": "Criticité", "en": "Criticality"}, "min": 0, "max": 2}]
# Families on a canvas (issue 14): made (sometimes with cards), renamed, moved, deleted (refused while not empty).
ISSUE_14_CANVAS_KINDS = ("create_zone", "create_zone", "rename_zone", "rename_zone", "delete_zone", "move_zone")
# Marks and speakers (issue 14, marks.py): participants mark cards as offers and wants, the facilitator
# adds a speaker now and then; quotes are written with create_card (kind "quote", a speaker).
ISSUE_14_EXCHANGE_KINDS = ("mark_card", "mark_card", "mark_card", "add_speaker")
# Notes on cards (issue 14): written (a create_card with a parent), now and then refused (NOTE).
ISSUE_14_NOTE_KINDS = ("write_note",) * 8
# Links between cards (issue 14, links.py): a card linked to others, a link taken off now and then.
ISSUE_14_LINK_KINDS = ("link_card",) * 3
# The participants' evaluation (issue 16, evaluation.py): answered often, opened and closed now and then.
ISSUE_16_EVALUATION_KINDS = ("answer_evaluation", "answer_evaluation", "answer_evaluation", "open_evaluation",
                             "close_evaluation")
EVALUATION = {"scales": [{"id": "utile", "label": {"fr": "Utilité", "en": "Usefulness"}},
                         {"id": "rythme", "label": {"fr": "Rythme", "en": "Pace"}}],
              "question": {"fr": "Un mot ?", "en": "A word?"}}
KINDS = ISSUE_16_EVALUATION_KINDS + ISSUE_14_NOTE_KINDS + ISSUE_14_CANVAS_KINDS + CARD_KINDS * 2 + ISSUE_6_KINDS + ISSUE_9_KINDS + ISSUE_10_KINDS + ISSUE_11_KINDS + ISSUE_11_TIMER_KINDS \
    + ISSUE_11_ANONYMITY_KINDS + ISSUE_12_MATERIAL_KINDS + ISSUE_12_PANORAMA_KINDS + ISSUE_12_DECK_KINDS \
    + ISSUE_12_SYNTHESIS_KINDS + ISSUE_12_DESK_KINDS + ISSUE_14_RATING_KINDS + ISSUE_14_EXCHANGE_KINDS \
    + ISSUE_14_LINK_KINDS
TEXTS = ("Idée", "  Agilité  ", "Créativité", "Sobriété numérique")
# Domain and category names: some new, some another's (refused, PANO9), "Maintenance" back after a removal.
LABELS = ("Sûreté", "Données", "Maintenance", "Savoirs", "  Écoute  ", "Techniques Métiers")
BAD_TEXTS = ("", "   ", "x" * 281, 7, None)
POSITIONS = (0, 0.25, 0.5, 1, 1.0)
BAD_POSITIONS = (-0.1, 1.5, True, "0.5")
MAX_STEPS, BYTES_PER_STEP = 120, 24  # a step reads up to about 20 choices (a create_card)
SEEDED_STEPS = 3000  # long enough for the vote to open, close, reopen, close again and show its results, and for notes (issue 14)
VOTE_DEFAULTS = {"mode": "participant", "budget": 5, "per_card": 2, "facilitator_votes": False, "anonymous": False}
CANVAS = "carte"  # the canvas area the fuzz's format adds to the Atelier's (families need one)
FAMILY_NAMES = ("Demande", "Écosystème", " ecosysteme ", "RH", "Territoires")
FEW_DECK_CARDS = ("d01", "d02", "d03", "d04", "d05", "d62")  # a few, so the same cards meet often
# Notes (issue 14, NOTE): keywords on every card, savoirs on written cards only; "effet" is no kind.
NOTE_KINDS = ("question", "risque", "savoir")


def either(pick, good, bad):
    """Mostly one of `good`, one time in ten one of `bad`."""
    return pick.choice(bad if pick.choice(range(10)) == 0 else good)


class Facilitator:
    """What the generator remembers of the facilitator: whether they reopened the vote yet."""

    reopened = False


class RandomPick(Facilitator):
    """Choices from a seeded random.Random."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def choice(self, options):
        """One of `options`."""
        return self.rng.choice(options)


class BytesPick(Facilitator):
    """Choices read from bytes hypothesis draws (cheap to draw, quick to shrink: 0 is the first option)."""

    def __init__(self, choices):
        self.choices = iter(choices)

    def choice(self, options):
        """One of `options`; the first once the bytes run out."""
        return options[next(self.choices, 0) % len(options)]


def random_step(pick, board, marked=False):
    """One (actor, command type, payload), often valid, sometimes not, drawn against `board`.

    `marked`: every valid text or description a command writes is unique (it carries the version its
    event would get), so that it can be searched for in what members receive.
    """
    cards = FEW_DECK_CARDS + tuple(sorted(c for c in board.cards if board.cards[c].kind != "deck"))
    notes = tuple(sorted(c for c in board.cards if board.cards[c].parent is not None))
    # Notes: on a card on the board, now and then on a note or on nothing (NOTE3).
    note_fields = lambda: {} if not writing_note else {  # noqa: E731
        "parent": either(pick, tuple(c for c in placed if c not in notes) or FEW_DECK_CARDS[:2], notes + ("ghost", "d62")),
        "note_kind": either(pick, NOTE_KINDS, ("effet", None))}
    # Those one may vote on (a note takes no dot, NOTE4).
    placed = tuple(sorted(c for c in board.cards if board.cards[c].zone != "deck" and board.cards[c].parent is None))
    written = tuple(c for c in placed if board.cards[c].kind != "deck")  # those a participant may link (LINK5)
    dotted = tuple(sorted(c for c in board.vote.totals() if c in board.cards))  # where dots may be taken back
    families = tuple(z.id for z in board.zones.values() if z.kind == "family")
    # Mostly an empty one is deleted, as people tidy up; one with cards now and then (CANVAS8).
    empty_families = tuple(f for f in families if all(c.zone != f for c in board.cards.values()))
    zones = ("deck", "parking", "maintenance/techniques", "maintenance/capacites", "socle/techniques", CANVAS) + families
    rows = tuple(entry["id"] for entry in board.format.document["panorama"]["rows"])
    columns = tuple(entry["id"] for entry in board.format.document["panorama"]["columns"])
    teams = tuple(sorted(board.teams))
    empty_teams = tuple(t for t in teams if all(p.team != t for p in board.participants.values()))
    # Those a facilitator can delete (TEAM15): nobody in them, no card of theirs.
    idle_teams = tuple(t for t in empty_teams if all(c.team != t for c in board.cards.values()))
    # Those who joined as participants: p4 or p5 admitted as a facilitator or a projector cannot be removed.
    joined = tuple(pid for pid in ("p4", "p5") if pid in board.participants and board.participants[pid].role == "participant")
    material = tuple(item["id"] for item in board.material["items"])
    kind = pick.choice(KINDS)
    writing_note = kind == "write_note"
    if writing_note:
        kind = "create_card"
        # Notes open in Compléter (NOTE8): now and then the facilitator brings the room back there.
        if board.sequence != 2 and pick.choice(range(5)) == 0:
            return FACILITATOR_ID, "set_sequence", {"index": 2}
    # As in a real workshop, a vote is set up before it opens, and closes once some dots are in;
    # otherwise its one-way life (idle, open, closed) would often leave its settings or dots untried.
    if kind == "open_vote" and all(getattr(board.vote, k) == v for k, v in VOTE_DEFAULTS.items()):
        kind = "configure_vote"
    if kind == "close_vote" and board.vote.status == "open" and not board.vote.totals():
        kind = "vote"
    # The vote opens only in the sequence the format gives it (VOTE19): a facilitator who wants to
    # open it goes there first.
    if kind == "open_vote" and board.vote.status == "idle" and "vote" not in board.current_sequence.allows:
        return FACILITATOR_ID, "set_sequence", {"index": 3}
    # Before the results, a facilitator turns the hidden cards over (VOTE21); and once a run they
    # reopen the vote they closed (VOTE20); they do both in the vote's sequence.
    if kind == "reveal_results" and board.vote.status == "closed" and not board.vote.revealed:
        if "vote" not in board.current_sequence.allows:
            return FACILITATOR_ID, "set_sequence", {"index": 3}  # where nobody writes new hidden cards
        if any(card.private for card in board.cards.values()):
            kind = "reveal_cards"
        elif not pick.reopened:
            pick.reopened = True
            return FACILITATOR_ID, "reopen_vote", {}
    # The deck is imported in the first sequence alone (DECK1): half the time the facilitator goes back there first.
    if kind == "import_deck" and board.sequence != 0 and pick.choice((0, 1)):
        return FACILITATOR_ID, "set_sequence", {"index": 0}
    # A late arrival at a closed door: half the time the facilitator opens it for them (DOOR3), else
    # the join is refused (DOOR2); a door that stayed shut would keep p4 and p5 out of the whole run.
    if kind == "join" and not board.room["door_open"] and pick.choice((0, 1)):
        return FACILITATOR_ID, "open_door", {}
    # A locked board (LOCK2) is a pause, not the rest of the workshop: people soon ask for it back.
    if board.room["locked"] and kind not in LEADER_ONLY and pick.choice((0, 1, 2)) == 0:
        return FACILITATOR_ID, "unlock_board", {}
    # A team made by mistake is what a facilitator deletes: when there is none, one is made now and then.
    if kind == "delete_team" and not idle_teams and pick.choice(range(2)):
        return FACILITATOR_ID, "create_team", {"name": f"Vide {board.version}", "colour": "#445566"}
    # A facilitator starts a timer before changing it, and the console's one Pause/Resume button does
    # what fits the timer: mostly so here too.
    if kind in ("pause_timer", "resume_timer", "adjust_timer", "stop_timer") and not board.timer \
            and pick.choice(range(4)):
        kind = "start_timer"
    if kind in ("pause_timer", "resume_timer") and board.timer and pick.choice(range(4)):
        kind = "resume_timer" if board.timer["status"] == "paused" else "pause_timer"
    actors = SERVER_ACTORS if kind in SERVER_ONLY else LEADER_ACTORS if kind in LEADER_ONLY \
        else VOTE_ACTORS if kind in ("vote", "answer_evaluation") else NOTE_ACTORS if writing_note \
        else WRITER_ACTORS if kind == "create_card" else ACTORS
    actor = pick.choice(actors)
    # The facilitator mostly votes for someone (proxy dots); participants mostly for themselves.
    voters = (None, "p1", "p2", "p3", "p4") + teams if actor == FACILITATOR_ID else (None,)
    delta = either(pick, (1, 1, -1), (0, 2))
    position = lambda: either(pick, POSITIONS, BAD_POSITIONS)  # noqa: E731
    mark = (lambda text: f" {text.strip()} #{board.version + 1:05d} ") if marked else (lambda text: text)  # noqa: E731
    text = lambda: mark(pick.choice(TEXTS)) if pick.choice(range(10)) else pick.choice(BAD_TEXTS)  # noqa: E731
    payload = {
        # Names repeat now and then: a name someone has is refused (TEAM14).
        "join": lambda: {"participant_id": either(pick, ("p4", "p5"), ("p1", FACILITATOR_ID, "bad id")),
                         "name": either(pick, ("Zoé", " Léa ", "Marc", "Inès"), ("", "n" * 61, "zoe", "p1")),
                         "role": either(pick, ("participant", "participant", "facilitator", "projector"),
                                        ("chef",))},
        "create_team": lambda: {"name": either(pick, ("Rouge", "Bleu", "rouge", "Vert"), ("",)),
                                "colour": either(pick, ("#aa0000", "#00AAff"), ("red",)),
                                "domain": either(pick, (None, "maintenance", "socle"), ("astronomie",))},
        "join_team": lambda: {"team_id": either(pick, teams + (None,), ("t999",)),
                              "participant_id": pick.choice((None, None, "p1", "p2", "p3", FACILITATOR_ID))},
        "move_card": lambda: {"card_id": either(pick, cards, ("ghost",)), "zone_id": either(pick, zones, ("nowhere",)),
                              "x": position(), "y": position()},
        "create_card": lambda: {"kind": "postit", "text": mark(pick.choice(TEXTS)), "zone_id": pick.choice(zones),
                                "x": 0, "y": 0, "card_id": pick.choice((None, None, None, f"n{board.version + 1}", "d01")),
                                **note_fields()} if writing_note and pick.choice(range(4)) else
        {"kind": either(pick, ("new", "postit", "quote"), ("deck",)),
                                "speaker": either(pick, (None, None, "participant", "Nadia", "karim"), ("Personne",)),
                                "text": text(),
                                "zone_id": either(pick, zones, ("nowhere",)), "x": position(), "y": position(),
                                "card_id": pick.choice((None, None, None, "mine", "d01", f"c{board.version + 1}")),
                                "colour": either(pick, (None, None, "#12AB9f"), ("blue",)),
                                "description": either(pick, (None, "", mark(" Pourquoi ")), ("d" * 1001,))
                                if not writing_note else either(pick, (None, ""), (mark(" Pourquoi "),)),
                                **note_fields()},
        "edit_card": lambda: {"card_id": either(pick, cards, ("ghost",)),
                              "text": pick.choice((None, text(), text())),
                              "description": pick.choice((None, None, mark("Revue"), "")),
                              "speaker": pick.choice((None, None, None, "Nadia", "participant", "Inconnu")),
                              "note_kind": pick.choice((None, None, None, None, "risque", "savoir"))},
        "delete_card": lambda: {"card_id": either(pick, cards, ("ghost",))},
        "set_sequence": lambda: {"index": either(pick, (0, 1, 2, 2, 2, 3, 3), (4, -1))},
        "set_projector": lambda: pick.choice((
            {"show_join": either(pick, (True, False), (1, "no"))},
            {"focus": either(pick, ({"kind": "overview"}, {"kind": "row", "id": "socle"},
                                    {"kind": "zone", "id": "maintenance/techniques"}, {"kind": "zone", "id": "parking"},
                                    {"kind": "quotes"}, {"kind": "exchange"}),
                             ({"kind": "row", "id": "astronomie"}, {"kind": "zone", "id": "deck"}, "overview"))})),
        "create_board": lambda: {"board_id": "b1", "format": minimal_document(), "facilitator_id": "f2",
                                 "facilitator_name": "Autre", "projector_id": "s2"},
        "configure": lambda: {"team_choice": pick.choice((None, None, True, False)),
                              "private_cards": either(pick, (None, True, True, True, False), ("yes",))},
        "set_team": lambda: {"team_id": either(pick, teams, ("t999",)) if teams else "t999",
                             "name": pick.choice((None, "Rouge", "Vert", "bleu")),
                             "colour": either(pick, (None, "#112233"), ("red",)),
                             "domain": either(pick, (None, "", "maintenance"), ("astronomie",))},
        # Mostly a team nobody is in, and someone who did join: else nearly every try is refused.
        "delete_team": lambda: {"team_id": either(pick, idle_teams or empty_teams or teams or ("t999",), ("t999",))},
        # When p4 and p5 joined as no participant, p3 (Bleu's one member) may be the one who goes.
        "remove_participant": lambda: {"participant_id": either(pick, joined or ("p4", "p5", "p3"), (FACILITATOR_ID, "ghost")),
                                       "merge_into": pick.choice((None, "p1", "p3", "p4"))},
        "forget_participant": lambda: {"participant_id": either(pick, ("p1", "p2", "p3", "p4"), (FACILITATOR_ID, "ghost")),
                                       "texts": either(pick, ("keep", "remove"), ("all",))},
        "split_teams": lambda: {"count": either(pick, (1, 2, 3), (0, 21)),
                                "everyone": pick.choice((None, True, True)),
                                "participant_ids": either(pick, (["p1", "p2", "p3"], ["p3", "p4", "p5"], ["p2"]),
                                                          ([], ["ghost"], [FACILITATOR_ID], ["p1", "p1"]))},
        "reveal_cards": lambda: {},
        "lock_board": lambda: {},
        "unlock_board": lambda: {},
        "close_door": lambda: {},
        "open_door": lambda: {},
        "follow": lambda: {"focus": either(pick, (None, {"kind": "overview"}, {"kind": "row", "id": "maintenance"},
                                                  {"kind": "zone", "id": "socle/techniques"}),
                                           ({"kind": "zone", "id": "deck"}, {"kind": "row", "id": "astronomie"}))},
        # Half the time a budget alone: the one setting that can change (upwards) while the vote is open.
        "configure_vote": lambda: {"budget": either(pick, (2, 3, 5, 8, 12, 20), (0, 51))} if pick.choice((0, 1))
        else {"mode": pick.choice((None, "participant", "team")),
              "budget": either(pick, (None, 2, 3, 5, 8), (0, 51)),
              "per_card": either(pick, (None, None, 1, 2, 3), (11,)),
              "facilitator_votes": pick.choice((None, None, True, False)),
              "anonymous": pick.choice((None, None, True, False))},
        "open_vote": lambda: {},
        "close_vote": lambda: {},
        "reopen_vote": lambda: {},
        "reveal_results": lambda: {},
        "start_timer": lambda: {"seconds": either(pick, (10, 120, 600, 600), (0, 14401, True)),
                                "freeze": either(pick, (None, True, False), (1,))},
        "pause_timer": lambda: {},
        "resume_timer": lambda: {},
        "adjust_timer": lambda: {"minutes": either(pick, (1, 1, -1, 2), (0, 11, 1.0))},
        "stop_timer": lambda: {},
        "set_done": lambda: {"done": either(pick, (True, True, False), (1, "yes"))},
        "describe_workshop": lambda: {"title": either(pick, (None, "Atelier RH", " Atelier RH ", "Séminaire"), ("", "t" * 121)),
                                      "date": either(pick, (None, "", "2026-03-14", "2026-12-01"), ("2026-02-30", "14/03/2026")),
                                      "place": either(pick, (None, "", "Salle 204"), ("p" * 121, 3))},
        "rate_card": lambda: {"card_id": either(pick, cards, ("ghost",)),
                              "axis": either(pick, ("capacite", "criticite"), ("urgence", 3)),
                              "value": either(pick, (None, 0, 1, 2, 3, 4), (5, 2.5, True, "2"))},
        "keep_card": lambda: {"card_id": either(pick, cards, ("ghost",)), "kept": either(pick, (True, False), (1, None))},
        "set_anonymity": lambda: {"on": either(pick, (True, False), (1, None)),
                                  "sequence": either(pick, (None, 0, 1, 2, 3, 3), (4, -1, True))},
        "add_material": lambda: pick.choice((
            {"kind": "text", "title": mark(pick.choice(TEXTS)), "body": either(pick, ("Un texte.", mark("À lire")), ("",))},
            {"kind": "quote", "body": either(pick, (mark("Une citation"),), ("", "q" * 1001)),
             "author": pick.choice((None, "", "Alain"))},
            {"kind": "link", "title": "Un lien",
             "url": either(pick, ("https://example.org", "http://intranet.local/doc"), ("javascript:x", "www.x.org"))},
            {"kind": either(pick, ("text",), ("poem",)), "title": "T", "body": "B", "author": "Qui"})),
        "edit_material": lambda: {"material_id": either(pick, material or ("m1",), ("ghost",)),
                                  **pick.choice(({"title": mark("Titre")}, {"body": mark("Corps")},
                                                 {"author": "Autre"}, {"url": "https://example.net"}, {}))},
        "remove_material": lambda: {"material_id": either(pick, material or ("m1",), ("ghost",))},
        "move_material": lambda: {"material_id": either(pick, material or ("m1",), ("ghost",)),
                                  "position": either(pick, (0, 0, 1, 2), (40, -1))},
        "set_material_sequences": lambda: {"sequences": either(pick, ([2], [1, 2], [], [0, 3], [2, 3]), ([4], [1, 1]))},
        "rename_domain": lambda: {"domain_id": either(pick, rows, ("astronomie",)),
                                  "label": either(pick, LABELS, BAD_TEXTS), "short": pick.choice((None, None, "Court")),
                                  "language": either(pick, (None, "fr", "en"), ("de",))},
        "add_domain": lambda: {"label": either(pick, LABELS, BAD_TEXTS), "language": pick.choice((None, "fr", "en"))},
        # Mostly the last rows (added ones, or empty ones of the format), now and then one with cards (PANO5).
        "remove_domain": lambda: {"domain_id": either(pick, rows[-3:] + ("maintenance",), ("astronomie",))},
        "rename_category": lambda: {"category_id": either(pick, columns, ("astronomie",)),
                                    "label": either(pick, LABELS, BAD_TEXTS), "language": pick.choice((None, "fr", "en"))},
        "add_category": lambda: {"label": either(pick, LABELS, BAD_TEXTS), "language": pick.choice((None, "fr", "en"))},
        "remove_category": lambda: {"category_id": either(pick, columns[1:] + ("techniques",), ("astronomie",))},
        # A few cards, good and bad lines mixed: a duplicate of a deck card, an unknown domain, an empty title.
        "import_deck": lambda: {"mode": either(pick, ("add", "replace"), ("merge",)),
                                "cards": either(pick, ([{"line": 2, "text": mark("Importée"), "domain": "maintenance"},
                                                        {"line": 3, "text": "Apprendre", "domain": "astronomie"},
                                                        {"line": 4, "text": ""}],
                                                       [{"line": 2, "text": mark("Souder"), "category": "Trade techniques"},
                                                        {"line": 3, "text": mark("Lire")}]),
                                                ([], [{"line": 0, "text": "x"}], [{"line": 2, "text": "x" * 281}]))},
        "publish_synthesis": lambda: {"include_names": either(pick, (True, False, False), (1, None, "yes"))},
        "unpublish_synthesis": lambda: {},
        "create_zone": lambda: {"zone_id": either(pick, ("fam1", "fam2", "fam3", f"fam{board.version}"), ("parking", "bad id")),
                                "area_id": either(pick, (CANVAS,), ("parking", "nowhere")),
                                "label": either(pick, FAMILY_NAMES, BAD_TEXTS), "x": position(), "y": position(),
                                "card_ids": pick.choice((None, None, [], list(cards[:2]), ["d03", "ghost"]))},
        "rename_zone": lambda: {"zone_id": either(pick, families or ("fam1",), ("parking", "ghost")),
                                "label": either(pick, FAMILY_NAMES, BAD_TEXTS)},
        "delete_zone": lambda: {"zone_id": either(pick, empty_families or families or ("fam1",), ("parking", "ghost"))},
        "move_zone": lambda: {"zone_id": either(pick, families or ("fam1",), ("parking", "ghost")),
                              "x": either(pick, POSITIONS, BAD_POSITIONS), "y": either(pick, POSITIONS, BAD_POSITIONS)},
        "mark_card": lambda: {"card_id": either(pick, placed or cards, ("ghost", "d01")),
                              "mark": either(pick, ("offre", "offre", "envie"), ("nope",)),
                              "on": either(pick, (True, True, False), (1,)),
                              # Now and then where the mark goes back (an undone unmark, MARK13).
                              **({"position": either(pick, (0, 1, 9), (-1, True, "1"))} if pick.choice(range(4)) == 0 else {})},
        # Mostly from a written card (its author's team may link it), to a card on the board; now and then
        # from or to a note, a card gone, or itself (LINK3, LINK4).
        "link_card": lambda: {"card_id": either(pick, written or placed or cards, ("ghost",) + notes[:2]),
                              "target_id": either(pick, placed or cards, ("ghost",) + notes[:2]),
                              "on": either(pick, (True, True, False), (1, None)),
                              # Now and then where the link goes back (an undone unlink, LINK11).
                              **({"position": either(pick, (0, 1, 29), (-1, 30, 1.5))} if pick.choice(range(4)) == 0 else {})},
        "answer_evaluation": lambda: {"scores": either(pick, ({"utile": 4, "rythme": 2}, {"utile": 1, "rythme": 5},
                                                              {"utile": 3, "rythme": 3}),
                                                             ({"utile": 6, "rythme": 2}, {"utile": 3}, {"fun": 1}, [])),
                                      "text": either(pick, ("", mark("Très utile"), mark(" Trop court ")), ("t" * 1001, 3))},
        "open_evaluation": lambda: {},
        "close_evaluation": lambda: {},
        "add_speaker": lambda: {"name": either(pick, ("Nadia", "Karim", " Léa "), ("", "participant", "n" * 61))},
        "vote": lambda: {"card_id": either(pick, (dotted if delta == -1 else ()) or placed or cards,
                                           ("ghost", "d10")),
                         "delta": delta,
                         "voter": either(pick, voters, ("p1", "p5", "ghost"))},
    }[kind]()
    if pick.choice(range(20)) == 0:
        payload["unexpected"] = True
    return actor, kind, payload


def check_invariants(board):
    """What must hold after any step, whatever came before (CARD2, CARD3, CARD4, TEAM6)."""
    deck = board.format.deck_zone
    # A note is not in its zone's pile: its z orders it among its card's notes (NOTE4).
    stacks = Counter((card.zone, card.z) for card in board.cards.values() if card.parent is None)
    assert all(count == 1 for count in stacks.values()), "two cards share a z in one zone"
    siblings = Counter((card.parent, card.z) for card in board.cards.values() if card.parent is not None)
    assert all(count == 1 for count in siblings.values()), "two notes of one card share a z"
    # PANO4, PANO6: the cells are the rows times the columns, and nothing points to a row or column gone.
    panorama = board.format.document["panorama"]
    rows, columns = {r["id"] for r in panorama["rows"]}, {c["id"] for c in panorama["columns"]}
    assert {(z.row, z.column) for z in board.zones.values() if z.kind == "cell"} == {(r, c) for r in rows for c in columns}
    assert 1 <= len(rows) <= 12 and 1 <= len(columns) <= 4
    assert all(team.domain in rows | {None} for team in board.teams.values())
    for card in board.cards.values():
        assert card.zone in board.zones
        if card.parent is not None:  # NOTE3, NOTE4, NOTE11: on a card of its own, in its zone
            parent = board.cards.get(card.parent)
            assert parent is not None and parent.parent is None, f"note {card.id} hangs from nothing or a note"
            assert card.zone == parent.zone and card.note_kind in NOTE_KINDS, f"note {card.id}"
            continue
        assert card.domain in rows | {None} and card.category in columns | {None}, f"{card.id} suggests a line gone"
        if card.zone == deck:
            assert card.kind == "deck", f"{card.id} is a written card in the deck"
            assert (card.team, card.colour) == (None, None), f"{card.id} has a team in the deck"
        elif card.kind == "deck" and card.team is not None:
            assert card.colour == board.teams[card.team].colour
    # RATE1-RATE3: each rating is on an axis of the format, in its range, by a team or a person.
    scales = {axis["id"]: (axis["min"], axis["max"]) for axis in board.format.document.get("axes", [])}
    for card in board.cards.values():
        for axis, values in card.ratings.items():
            assert axis in scales and values, f"{card.id} has an empty or unknown axis {axis}"
            assert all(scales[axis][0] <= value <= scales[axis][1] for value in values.values()), card.ratings
    # LINK4, LINK5, LINK7: links go to cards on the board, never to a note or the card itself, at most 30, once each.
    for card in board.cards.values():
        assert len(set(card.links)) == len(card.links) <= 30, f"{card.id} links {card.links}"
        assert card.parent is None or not card.links, f"note {card.id} links to cards"
        for target in card.links:
            assert target in board.cards and target != card.id and board.cards[target].parent is None, \
                f"{card.id} links to {target}, gone, itself or a note"
    names = Counter((z.area, " ".join(z.label["fr"].casefold().split())) for z in board.zones.values() if z.kind == "family")
    assert all(board.zones[area].kind == "canvas" for area, _ in names), "a family off a canvas"  # CANVAS2
    assert all(count == 1 for count in names.values()), "two families of one name"  # CANVAS7 (accents aside)
    for member in board.participants.values():
        assert member.team is None or (member.role == "participant" and member.team in board.teams)
    assert 0 <= board.sequence < len(board.format.sequences)
    timer = board.timer  # TIME1-TIME4: running with an end time, or paused with what is left
    assert timer is None or (timer["status"] == "running" and timer["ends_at"] is not None) \
        or (timer["status"] == "paused" and timer["remaining"] >= 0)
    vote = board.vote
    assert vote.status in ("idle", "open", "closed") and (vote.status == "closed" or not vote.revealed)
    assert vote.status != "idle" or not any(vote.dots.values())
    for voter, cards in vote.dots.items():
        assert sum(cards.values()) <= vote.budget, f"{voter} is over budget"
        assert all(1 <= count <= vote.per_card for count in cards.values()), f"{voter}: {cards}"
    for voter, cards in vote.proxy.items():
        for card_id, count in cards.items():
            assert 1 <= count <= vote.dots.get(voter, {}).get(card_id, 0), f"{voter} has proxy dots that are not dots"


def fuzz_document():
    """The Atelier Compétences with a canvas area beside its Panorama, whose third sequence opens the
    family commands to participants: so the run makes, renames, moves and deletes families too (issue 14),
    and rates cards on two axes (moving families opens with create_zone, CANVAS14)."""
    document = packaged_document()
    document["areas"].append({"id": CANVAS, "kind": "canvas", "label": {"fr": "Carte", "en": "Map"}})
    document["sequences"][2]["allows"] += ["create_zone", "rename_zone", "delete_zone"]
    # and with two axes, rating open in that sequence too: teams rate, the facilitator keeps cards.
    document["axes"] = AXES
    document["sequences"][2]["allows"].append("rate_card")
    # and marks and speakers switched on (issue 14), the same sequence opening mark_card: the run then
    # reaches marks, quotes and speakers too.
    document["marks"] = [{"id": "offre", "role": "offer", "label": {"fr": "Je peux aider", "en": "I can help"}},
                         {"id": "envie", "role": "want", "label": {"fr": "Je veux apprendre", "en": "I want to learn"}}]
    document["speakers"] = ["Karim"]
    document["sequences"][2]["allows"].append("mark_card")
    # and notes switched on (NOTE1), opened with add_note in that sequence too (NOTE8).
    document["note_kinds"] = [{"id": "question", "label": {"fr": "Question", "en": "Question"}},
                              {"id": "risque", "label": {"fr": "Risque", "en": "Risk"}},
                              {"id": "savoir", "label": {"fr": "Savoir", "en": "Knowledge"}, "of": ["new", "postit"]}]
    document["sequences"][2]["allows"].append("add_note")
    # and links between cards opened there too (LINK1).
    document["sequences"][2]["allows"].append("link_card")
    # and the participants' evaluation (EVAL1), open in the vote's sequence or when the facilitator opens it.
    document["evaluation"] = EVALUATION
    document["sequences"][3]["allows"].append("answer_evaluation")
    return document


def setup(board, events, actor, kind, /, **payload):
    """Apply one command that must be accepted, keeping its event."""
    event = decide(board, actor, parse_command(kind, payload), NOW)
    assert isinstance(event, Event), event
    events.append(event)
    return evolve(board, event)


def run(pick, steps, watcher=None):
    """Send `steps` random commands; return the live board, its accepted events and its past snapshots.

    A `watcher` (see Watcher) marks texts, and sees each accepted event before and after it is applied.
    """
    first = decide(None, SYSTEM, create_board_command(fuzz_document()), NOW)
    board, events = evolve(None, first), [first]
    # Every board here is made from a template of itself (DOC2), so that board_restored is replayed too.
    board = setup(board, events, SYSTEM, "restore_board", content=check_document(template_document(board)).content)
    # A room with people and two teams in it; p4 and p5 may join, and more teams appear, at random.
    for pid in ("p1", "p2", "p3"):
        board = setup(board, events, SYSTEM, "join", participant_id=pid, name=pid, role="participant")
    # Vert starts empty: a team that may be renamed or deleted (TEAM13, TEAM15).
    for name, colour, members in (("Rouge", "#aa0000", ("p1", "p2")), ("Bleu", "#0000aa", ("p3",)),
                                  ("Vert", "#00aa00", ())):
        board = setup(board, events, FACILITATOR_ID, "create_team", name=name, colour=colour)
        team = events[-1].data["id"]
        for pid in members:
            board = setup(board, events, FACILITATOR_ID, "join_team", participant_id=pid, team_id=team)
    # Two cards of no team on the Panorama, that the random steps rarely move: something to vote on.
    for card, zone in (("d20", "maintenance/techniques"), ("d30", "socle/capacites")):
        board = setup(board, events, FACILITATOR_ID, "move_card", card_id=card, zone_id=zone, x=0.5, y=0.5)
    history = {board.version: board.to_dict()}
    for step in range(steps):
        actor, kind, payload = random_step(pick, board, marked=watcher is not None)
        # The board as it stands: its snapshot taken at its last change (a refusal is checked to change
        # nothing, so it is still the board's), not taken again at every step: snapshots are most of the time here.
        before = history[board.version]
        try:
            outcome = decide(board, actor, parse_command(kind, payload), NOW + step, command_id=f"{actor}-{step}")
        except InvalidCommand as error:
            outcome = error.rejection
        if isinstance(outcome, Event):
            # REPLAY1: one event, one version higher.
            assert outcome.version == board.version + 1
            assert outcome.type in EVENT_TYPES
            if watcher:
                watcher.before(board, outcome)
            board = evolve(board, outcome)
            if watcher:
                watcher.after(board, outcome)
            assert board.version == outcome.version
            events.append(outcome)
            history[board.version] = board.to_dict()
        else:
            # REPLAY2: a refusal changes nothing.
            assert isinstance(outcome, Rejection) and outcome.code in ERROR_CODES
            assert board.to_dict() == before, (actor, kind, payload, outcome)
        check_invariants(board)
    return board, events, history


def check_rebuilds(board, events, history):
    """REPLAY5 and REPLAY6: the log and the snapshot both give back the live board, and a prefix the past."""
    live = board.to_dict()
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    assert board.version == len(events)
    assert replay(events).to_dict() == live
    stored = [Event(**json.loads(json.dumps(e.to_dict()))) for e in events]
    assert replay(stored).to_dict() == live
    assert board_from_snapshot(json.loads(json.dumps(live))).to_dict() == live
    for version in sorted(history)[::7]:
        assert replay(events[:version]).to_dict() == history[version], f"at version {version}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(min_value=0, max_value=MAX_STEPS),
       choices=st.binary(min_size=BYTES_PER_STEP * MAX_STEPS, max_size=BYTES_PER_STEP * MAX_STEPS))
def test_any_stream_of_commands_replays_to_the_live_board(steps, choices):
    """REPLAY1, REPLAY2, REPLAY5, REPLAY6, for any stream hypothesis can find."""
    check_rebuilds(*run(BytesPick(choices), steps))


# Re-pinned for issues 14 and 16 (notes, families and their moves, ratings, marks, links, the evaluation): seeds that reach
# every event type, found by tests/pin_replay_seeds.py.
@pytest.mark.parametrize("seed", [11, 34, 53, 54, 107])
def test_a_seeded_random_workshop_replays_to_the_live_board(seed):
    """REPLAY1, REPLAY2, REPLAY5, REPLAY6 over a long seeded run; a failing seed is pinned here."""
    board, events, history = run(RandomPick(seed), SEEDED_STEPS)
    check_rebuilds(board, events, history)
    # The generator must reach every kind of change, or this test proves little.
    assert {e.type for e in events} == set(EVENT_TYPES), f"seed {seed}"
    assert len(events) > 40, f"seed {seed}: only {len(events)} accepted"
    # Notes too (NOTE): written, edited to another kind, and deleted with their card.
    assert sum(1 for e in events if e.type == "card_created" and e.data.get("parent")) > 5, f"seed {seed}: notes"
    assert any(e.type == "card_edited" and "note_kind" in e.data for e in events), f"seed {seed}: note kinds"
    assert any(e.type == "card_deleted" and e.data.get("notes") for e in events), f"seed {seed}: notes deleted"


class Watcher:
    """Checks what each member receives, after every accepted event, against what it was told (PRIV, VOTE15-16).

    Its idea of what is secret comes from the events, not from visibility.py: a card written in
    private mode by a team member is secret to everyone outside that team, with every text it held,
    until a reveal shows its text of the moment (the texts it had before stay secret, PRIV6).
    """

    def __init__(self):
        self.private_mode = False
        self.secrets = []  # per private card written: (team, every text and description it held while hidden)
        self.hidden = {}  # card id -> its secret, for the cards face down now (a deleted card's id may come back)
        self.public = set()  # texts a reveal showed to everyone
        self.checked = 0

    def before(self, board, event):
        """Learn from an event, on the board it applies to."""
        data = event.data
        if event.type == "options_configured":
            self.private_mode = data.get("private_cards", self.private_mode)
        elif event.type == "card_created":
            team = board.participants[event.actor].team
            # A note on a private card is as private as its card, with its card's team (NOTE7).
            parent = board.cards.get(data.get("parent") or "")
            on_secret = parent is not None and parent.private
            assert data["private"] is (on_secret or (self.private_mode and team is not None)), "PRIV1, NOTE7"
            if data["private"]:
                self.secrets.append((data["team"], {data["text"], data["description"]} - {""}))
                self.hidden[data["id"]] = self.secrets[-1]
        elif event.type == "card_edited" and data["card_id"] in self.hidden:
            self.hidden[data["card_id"]][1].update(data.get(k) for k in ("text", "description") if data.get(k))
        elif event.type == "card_deleted":
            for card_id in (data["card_id"], *data.get("notes", ())):  # its notes with it (NOTE10)
                self.hidden.pop(card_id, None)
        elif event.type == "participant_forgotten":
            for card_id in data["cards"]:  # their cards removed with them
                self.hidden.pop(card_id, None)
        elif event.type == "cards_revealed":
            assert {card["id"] for card in data["cards"]} == set(self.hidden), "PRIV4: every face-down card, no other"
            for card in data["cards"]:
                self.public.update({card["text"], card["description"]})
            self.hidden.clear()

    def forbidden(self, viewer):
        """The texts `viewer` may not read."""
        return {text for team, texts in self.secrets if team != viewer.team for text in texts} - self.public

    def after(self, board, event):
        """Check the snapshot and the event every member receives now."""
        for member in list(board.participants):
            self.check(board, viewer_of(board, member), [event.to_dict()])

    def check(self, board, viewer, events):
        """What `viewer` receives: their snapshot and `events` as event_for gives them."""
        snapshot = snapshot_for(board, viewer)
        received = [event_for(board, event, viewer) for event in events]
        vote = snapshot["vote"]
        if viewer.role == "facilitator":
            if board.vote.anonymous:  # VOTE16: no voter ids
                assert (vote["dots"], vote["proxy"], vote["progress"]["still"]) == ({}, {}, [])
                for event in (e for e in received if e["type"] == "dot_changed"):
                    assert "voter" not in event["data"] and event["actor"] in (None, viewer.id), event
            return
        self.checked += 1
        # EVAL6: one's own answer only, in the snapshot and in the events.
        assert set(snapshot.get("evaluation", {}).get("answers", {})) <= {viewer.id}, (viewer, snapshot["evaluation"])
        for event in (e for e in received if e["type"] == "evaluation_answered"):
            assert event["data"] == {} or event["data"]["participant"] == viewer.id, (viewer, event)
            assert event["actor"] in (None, viewer.id), (viewer, event)
        if board.sequence not in board.material["sequences"]:  # MAT6: no item outside its sequences
            self.material_checks = getattr(self, "material_checks", 0) + 1
            assert snapshot["material"]["items"] == [], viewer
            for event in received:
                assert event["data"].get("items", []) == [] and event["data"].get("material", []) == [], (viewer, event)
        if board.sequence in board.anonymous:  # ANON2: nobody named but the viewer
            self.check_anonymous(viewer, snapshot, received)
        text = json.dumps([snapshot, received], ensure_ascii=False)
        for secret in self.forbidden(viewer):
            assert secret not in text, f"PRIV6: {viewer} received {secret!r}"
        # VOTE15: their own dots (their team's in a team vote), the projector none, revealed or not.
        own = None if viewer.role == "projector" else viewer.team if board.vote.mode == "team" else viewer.id
        assert set(vote["dots"]) <= {own} and set(vote["proxy"]) <= {own}, (viewer, vote)
        assert "totals" not in vote and "progress" not in vote
        for event in (e for e in received if e["type"] == "dot_changed"):
            if event["data"]:
                assert event["data"]["voter"] == own, (viewer, event)
            else:
                # Someone else's dot names no one; one's own (put for a team one has left since) may.
                assert event["actor"] in (None, viewer.id), (viewer, event)
                assert event["command_id"] is None or event["actor"] == viewer.id, (viewer, event)

    def check_anonymous(self, viewer, snapshot, received):
        """ANON2: no other member's name, no card or event pointing to anyone but the viewer."""
        self.anonymous_checks = getattr(self, "anonymous_checks", 0) + 1
        for member in snapshot["participants"]:
            assert member["name"] == "" or member["id"] == viewer.id or member["role"] == "projector", (viewer, member)
        cards = snapshot["cards"] + [e["data"] for e in received if e["type"] in ("card_created", "card_moved")] \
            + [card for e in received if e["type"] == "cards_revealed" for card in e["data"]["cards"]]
        for card in cards:
            assert {card.get("author"), card.get("placed_by")} <= {None, viewer.id}, (viewer, card)
        for event in received:
            assert event["actor"] in (None, viewer.id), (viewer, event)
            if event["type"] == "participant_joined":
                assert event["data"]["name"] == "" or event["data"]["id"] == viewer.id, (viewer, event)

    def catch_up(self, board, events):
        """A member reconnecting now gets every event again (room.events_since): the same holds."""
        for member in list(board.participants):
            self.check(board, viewer_of(board, member), [e.to_dict() for e in events])


def watched_run(pick, steps):
    """A random run with unique texts, every member's messages checked as it goes and at the end."""
    watcher = Watcher()
    board, events, history = run(pick, steps, watcher)
    watcher.catch_up(board, events)
    return watcher, board, events


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(min_value=0, max_value=MAX_STEPS),
       choices=st.binary(min_size=BYTES_PER_STEP * MAX_STEPS, max_size=BYTES_PER_STEP * MAX_STEPS))
def test_no_member_ever_receives_a_card_text_or_a_dot_they_may_not_see(steps, choices):
    """PRIV1, PRIV4, PRIV6, VOTE15, VOTE16, for any stream hypothesis can find."""
    watched_run(BytesPick(choices), steps)


# Re-pinned for issue 14 (notes, families, ratings, marks, then moving families joined the stream).
@pytest.mark.parametrize("seed", [2, 3, 4])
def test_a_seeded_workshop_never_sends_a_member_what_they_may_not_see(seed):
    """PRIV6, VOTE15, VOTE16 over long seeded runs, which must have had secrets to keep to prove anything."""
    watcher, board, events = watched_run(RandomPick(seed), SEEDED_STEPS)
    types = {e.type for e in events}
    assert {"card_created", "cards_revealed", "dot_changed", "results_revealed"} <= types, f"seed {seed}"
    assert any(e.type == "card_created" and e.data["private"] for e in events), f"seed {seed}"
    assert watcher.secrets and watcher.checked > 100, f"seed {seed}"
    assert getattr(watcher, "anonymous_checks", 0) > 100, f"seed {seed}: anonymity never checked"
    assert getattr(watcher, "material_checks", 0) > 100, f"seed {seed}: the material's withholding never checked"
