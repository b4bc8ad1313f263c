"""Campaigns: the same workshop run in several territories, its boards grouped (spec CAMP).

Pure rules, standard library only; board/campaigns.py stores and serves them. A campaign hands its
boards a format that carries the campaign's id and name, its glossary and its evaluation (the format's
own `campaign`, `glossary` and `evaluation` fields), so a board made from the handout on a laptop with
no network exports a document that says which campaign it belongs to. Coming home, that export is
checked here (`check_homecoming`). The campaign's own changes (merging new cards written in several
territories) are commands decided here into events, and the merges are what those events fold to.
"""
import copy

from .documents import BOARD_KIND, MARKER, TEMPLATE_KIND, DocumentError, check_document
from .formats import (CAMPAIGN_NAME_MAX, EVALUATION_SCALES_MAX, FormatError, campaign_of, glossary as checked_glossary, load_format)

TERRITORY_MAX = 80
MERGE_LABEL_MAX = 280
MERGE_MEMBERS_MAX = 50

MERGEABLE_KINDS = ("new",)  # the cards participants wrote: a deck card is the same card everywhere already

CARDS_MERGED = "cards_merged"
MERGE_UNDONE = "merge_undone"


class CampaignError(ValueError):
    """A campaign command or file refused; the message says why to the coordinator, in English (the API's
    answer) and in French (`fr`, what the coordinator's page shows by default, as the rest of the UI)."""

    def __init__(self, message, fr=None):
        super().__init__(message)
        self.fr = fr or message


def campaign_format(format_document, campaign_id, name, glossary=(), evaluation=None):
    """The format a campaign's boards are made from: `format_document` with the campaign's id and name, its
    glossary and (when given) its evaluation. Checked whole (load_format); CampaignError naming the field."""
    document = copy.deepcopy({key: value for key, value in format_document.items()
                              if key not in ("campaign", "glossary", "evaluation")})
    document["campaign"] = {"id": campaign_id, "name": name}
    if glossary:
        document["glossary"] = [dict(entry) for entry in glossary]
    if evaluation:
        document["evaluation"] = copy.deepcopy(evaluation)
    try:
        return load_format(document).document
    except FormatError as error:
        raise CampaignError(str(error), f"Refusé : {error}") from None


def campaign_name(value):
    """A campaign's name: 1 to CAMPAIGN_NAME_MAX characters once trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise CampaignError("name: a campaign needs a name", "Nom : donnez un nom à la campagne.")
    if len(value.strip()) > CAMPAIGN_NAME_MAX:
        raise CampaignError(f"name: at most {CAMPAIGN_NAME_MAX} characters",
                            f"Nom : {CAMPAIGN_NAME_MAX} caractères au plus.")
    return value.strip()


def territory_name(value):
    """A board's territory or session: 1 to TERRITORY_MAX characters once trimmed (COORD3)."""
    if not isinstance(value, str) or not value.strip():
        raise CampaignError("territory: name the territory or session of this board",
                            "Territoire : nommez le territoire ou la séance de cet atelier.")
    if len(value.strip()) > TERRITORY_MAX:
        raise CampaignError(f"territory: at most {TERRITORY_MAX} characters",
                            f"Territoire : {TERRITORY_MAX} caractères au plus.")
    return value.strip()


def territory_free(territory, entries):
    """Refuse a territory another board of the campaign already has (case aside): the comparison names each
    board by its territory (COORD3)."""
    same = [entry["territory"] for entry in entries if entry["territory"].casefold() == territory.casefold()]
    if same:
        raise CampaignError(f"territory: another board of the campaign is already “{same[0]}”; name each session "
                            f"apart (for example “{same[0]} (2)”).",
                            f"Territoire : un autre atelier de la campagne s’appelle déjà « {same[0]} » ; nommez "
                            f"chaque séance à part (par exemple « {same[0]} (2) »).")
    return territory


def glossary_from_lines(text):
    """A glossary written one term a line, "term: definition" (the coordinator's form); checked as a format's
    glossary (GLOSS1). CampaignError names the line at fault."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        term, colon, definition = line.partition(":")
        if not colon or not term.strip() or not definition.strip():
            raise CampaignError(f"glossary, line {number}: write “term: definition”",
                                    f"Glossaire, ligne {number} : écrivez « terme : définition ».")
        entries.append({"term": term.strip(), "definition": definition.strip()})
    try:
        return checked_glossary({"glossary": entries})
    except FormatError as error:
        raise CampaignError(str(error), f"Refusé : {error}") from None


DEFAULT_QUESTION = {"fr": "Un commentaire sur l’atelier ?", "en": "Any comment on the workshop?"}


def evaluation_from_form(scales_text, question):
    """The evaluation questionnaire from the coordinator's form: one 1-5 scale a line and one open question
    (a default one when left empty), each written once and shown in both languages as written; None when both
    are empty. Its full check is the format's (`evaluation` field, EVAL1)."""
    labels = [line.strip() for line in (scales_text or "").splitlines() if line.strip()]
    question = (question or "").strip()
    if not labels and not question:
        return None
    if not labels:
        raise CampaignError("evaluation: write at least one 1-5 scale, one a line",
                            "Évaluation : écrivez au moins une échelle de 1 à 5, une par ligne.")
    if len(labels) > EVALUATION_SCALES_MAX:
        raise CampaignError(f"evaluation: at most {EVALUATION_SCALES_MAX} scales",
                            f"Évaluation : {EVALUATION_SCALES_MAX} échelles au plus.")
    return {"scales": [{"id": f"s{number}", "label": {"fr": label, "en": label}}
                       for number, label in enumerate(labels, start=1)],
            "question": {"fr": question, "en": question} if question else dict(DEFAULT_QUESTION)}


# -- a board coming home (COORD6, COORD7)

def check_homecoming(document, campaign):
    """Check a board's export before it joins `campaign` ({id, name}): an Atelier board document, whole and
    valid, made from this campaign's handout. Returns the document; CampaignError says what is wrong in
    words a coordinator acts on (a damaged file, the handout itself, another campaign's board)."""
    if not isinstance(document, dict) or document.get(MARKER) not in (BOARD_KIND, TEMPLATE_KIND):
        raise CampaignError("This file is not an Atelier board export (a board's “Télécharger l’atelier (JSON)”).",
                            "Ce fichier n’est pas un atelier exporté (« Télécharger l’atelier (JSON) » de sa console).")
    if document[MARKER] == TEMPLATE_KIND:
        raise CampaignError("This file is a handout or a template, not a finished board: export the board "
                            "from its console (“Télécharger l’atelier (JSON)”) once the workshop is over.",
                            "Ce fichier est un kit de campagne ou un modèle, pas un atelier joué : exportez l’atelier "
                            "depuis sa console (« Télécharger l’atelier (JSON) ») une fois terminé.")
    try:
        check_document(document)
    except DocumentError as error:
        raise CampaignError(f"This file is damaged and cannot be read: {error}",
                            f"Ce fichier est abîmé et ne peut pas être lu : {error}") from None
    fmt = document.get("format") or {}
    origin = campaign_of(fmt) if isinstance(fmt, dict) and "campaign" in fmt else None
    if origin is None:
        raise CampaignError("This board was not made from a campaign's handout: it belongs to no campaign.",
                            "Cet atelier n’a pas été créé depuis le kit d’une campagne : il n’appartient à aucune campagne.")
    if origin["id"] != campaign["id"]:
        raise CampaignError(f"This board belongs to another campaign, “{origin['name']}”, not to "
                            f"“{campaign['name']}”.",
                            f"Cet atelier appartient à une autre campagne, « {origin['name']} », pas à "
                            f"« {campaign['name']} ».")
    if not isinstance(document.get("source_board"), str) or not document["source_board"]:
        raise CampaignError("This file is damaged and cannot be read: source_board: the board's id is missing.",
                            "Ce fichier est abîmé et ne peut pas être lu : l’identifiant de l’atelier manque.")
    return document


# -- merging new cards written in several territories (COORD9, COORD10)

def mergeable_cards(results):
    """Every new card of the campaign's boards: {(source board, card id): {text, territory}}."""
    cards = {}
    for result in results:
        document = result["document"]
        for card in document.get("cards", []):
            if card.get("kind") in MERGEABLE_KINDS and card.get("parent") is None:
                cards[(document["source_board"], card["id"])] = {"text": card["text"],
                                                                 "territory": result["territory"]}
    return cards


def decide_merge(merges, cards, merge_id, label, members):
    """A merge of new cards into one, or CampaignError: `members` [{source_board, card_id}], two or more,
    each a new card of the campaign's boards and in no other merge; `label` the merged card's text (the
    first member's text when empty). Returns the event's data; the originals are untouched (COORD9)."""
    if not isinstance(members, list) or len(members) < 2:
        raise CampaignError("Choose at least two new cards to merge.",
                            "Choisissez au moins deux nouvelles cartes à fusionner.")
    if len(members) > MERGE_MEMBERS_MAX:
        raise CampaignError(f"At most {MERGE_MEMBERS_MAX} cards in one merge.",
                            f"{MERGE_MEMBERS_MAX} cartes au plus dans une fusion.")
    taken = {(m["source_board"], m["card_id"]) for merge in merges.values() for m in merge["members"]}
    chosen = []
    for member in members:
        key = (member.get("source_board"), member.get("card_id")) if isinstance(member, dict) else None
        if key not in cards:
            raise CampaignError("One of the chosen cards is not a new card of this campaign's boards.",
                                "Une des cartes choisies n’est pas une nouvelle carte des ateliers de cette campagne.")
        if key in taken:
            raise CampaignError(f"“{cards[key]['text']}” is already in a merge: undo that merge first.",
                                f"« {cards[key]['text']} » est déjà dans une fusion : défaites-la d’abord.")
        if key in {(m["source_board"], m["card_id"]) for m in chosen}:
            raise CampaignError(f"“{cards[key]['text']}” is chosen twice.",
                                f"« {cards[key]['text']} » est choisie deux fois.")
        chosen.append({"source_board": key[0], "card_id": key[1], "territory": cards[key]["territory"],
                       "text": cards[key]["text"]})
    label = (label or "").strip() if isinstance(label, str) or label is None else None
    if label is None or len(label) > MERGE_LABEL_MAX:
        raise CampaignError(f"The merged card's text must be at most {MERGE_LABEL_MAX} characters.",
                            f"Le texte de la carte fusionnée : {MERGE_LABEL_MAX} caractères au plus.")
    return {"merge_id": merge_id, "label": label or chosen[0]["text"], "members": chosen}


def decide_undo(merges, merge_id):
    """Undoing a merge: its event's data, or CampaignError when no such merge stands (COORD10)."""
    if merge_id not in merges:
        raise CampaignError("This merge does not exist, or was undone already.",
                            "Cette fusion n’existe pas, ou a déjà été défaite.")
    return {"merge_id": merge_id}


def fold_merges(events):
    """The merges standing after a campaign's log: {merge_id: {id, merge_id, label, members}}, in the order made
    (`merge_id` as campaign_compare.compare reads it, `id` as the pages do)."""
    merges = {}
    for event in events:
        if event["type"] == CARDS_MERGED:
            data = event["data"]
            merges[data["merge_id"]] = {"id": data["merge_id"], "merge_id": data["merge_id"], "label": data["label"],
                                        "members": [dict(member) for member in data["members"]]}
        elif event["type"] == MERGE_UNDONE:
            merges.pop(event["data"]["merge_id"], None)
    return merges
