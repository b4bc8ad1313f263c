"""Boards that feed each other: a board's chosen cards become the deck of a new board (CHAIN1-CHAIN7).

The facilitator picks cards from a running or finished board (through a preset, by hand, or both) and
a packaged format; `deck_template` turns them into a template document (documents.py), from which
Workshops.create_from_document makes the new board on the one write path. Each card of the new deck
carries its `origin`: where it came from (that board's title, place and date, its id there, the team
that wrote or placed it or its speaker, its dots once the results are revealed).

Nothing else of the first board goes with it (CHAIN4): no participant's name (a card's author becomes
at most its team's name), no card still hidden from the other teams, no dot of any voter, no token.

Presets are data: PRESETS lists them, each an id, a label in both languages, the choices it offers on
a board and the cards each choice selects; adding one is one entry in that tuple (the kept cards of
ratings.py and the notes of one kind of notes.py were added so).
"""
import copy
from dataclasses import dataclass
from typing import Callable

from . import anonymity
from .model import DECK_CARD, FACILITATOR

MAX_CHAINED = 2000  # as documents.MAX_CARDS: what a document's deck may hold
KIND_LABELS = {"deck": {"fr": "Cartes du jeu", "en": "Deck cards"},
               "new": {"fr": "Nouvelles cartes", "en": "New cards"},
               "postit": {"fr": "Post-it", "en": "Sticky notes"},
               "quote": {"fr": "Citations", "en": "Quotes"}}
TOP_COUNTS = (3, 5, 10, 15, 20)  # the "top N" choices of the must-haves, when the ranking is longer


class ChainError(ValueError):
    """A choice of cards or of a format that cannot become a new board; `path` names the field."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path


# -- which cards may be carried, and in what order they are listed

def carryable(board, card):
    """Whether `card` may go into another board's deck: never one still hidden from the other teams
    (private mode, CHAIN4), nor a card with no text."""
    return not card.private and bool(card.text.strip())


def votes_of(board):
    """Dots per card, once the results are revealed (the totals everyone saw); {} before."""
    results = board.vote.results if board.vote.revealed else None
    return dict((results or {}).get("totals") or {})


def ranks_of(board):
    """Rank per card in the revealed ranking; {} before the reveal."""
    results = board.vote.results if board.vote.revealed else None
    return {entry["card_id"]: entry["rank"] for entry in (results or {}).get("overall") or []}


def listed_cards(board):
    """The cards that may be carried, in the order the facilitator's list shows them: the ranked ones
    first by rank, then zone by zone (the board's order), top to bottom."""
    ranked = {card_id: position for position, card_id in enumerate(ranks_of(board))}  # the ranking's own order
    zone_order = {zone_id: index for index, zone_id in enumerate(board.zones)}
    cards = [card for card in board.cards.values() if carryable(board, card)]
    return sorted(cards, key=lambda card: (ranked.get(card.id, len(ranked)), zone_order.get(card.zone, len(zone_order)),
                                           card.y, card.x, card.text.casefold(), card.id))


# -- presets: one entry each

@dataclass(frozen=True)
class Preset:
    """A way to tick cards at once: `choices(board)` -> [(value, label)], `select(board, value)` -> card ids."""

    id: str
    label: dict
    choices: Callable
    select: Callable


def _must_have_choices(board):
    ranked = _ranked(board)
    counts = [n for n in TOP_COUNTS if n < len(ranked)]
    choices = [(str(n), {"fr": f"Les {n} premiers", "en": f"The top {n}"}) for n in counts]
    if ranked:
        choices.append(("all", {"fr": f"Tous ({len(ranked)} cartes avec des gommettes)",
                                "en": f"All ({len(ranked)} cards with dots)"}))
    return choices


def _must_haves(board, value):
    ranked = _ranked(board)
    if value == "all":
        return ranked
    if not (isinstance(value, str) and value.isdigit()):
        return []
    return ranked[:int(value)]


def _ranked(board):
    """The carryable cards of the revealed ranking, best first (the vote's own order, ties included)."""
    order = [entry["card_id"] for entry in ((board.vote.results or {}).get("overall") or [])] if board.vote.revealed else []
    return [card_id for card_id in order if card_id in board.cards and carryable(board, board.cards[card_id])]


def _zone_choices(board):
    holding = {card.zone for card in listed_cards(board)}
    return [(zone_id, zone_label(board, zone_id)) for zone_id in board.zones if zone_id in holding]


def _in_zone(board, value):
    return [card.id for card in listed_cards(board) if card.zone == value]


def _written_choices(board):
    count = len(_written(board, "all"))
    return [("all", {"fr": f"Toutes ({count})", "en": f"All ({count})"})] if count else []


def _written(board, value):
    """Cards written during the workshop (not the prepared deck), by participants: not the facilitator's."""
    def by_participant(card):
        author = board.participants.get(card.author)
        return author is None or author.role != FACILITATOR
    return [card.id for card in listed_cards(board) if card.kind != DECK_CARD and by_participant(card)] \
        if value == "all" else []


def _kind_choices(board):
    present = {card.kind for card in listed_cards(board)}
    return [(kind, label) for kind, label in KIND_LABELS.items() if kind in present]


def _of_kind(board, value):
    return [card.id for card in listed_cards(board) if card.kind == value]


def _kept_choices(board):
    count = len(_kept(board, "all"))
    return [("all", {"fr": f"Toutes ({count})", "en": f"All ({count})"})] if count else []


def _kept(board, value):
    """The cards the facilitator kept (the factors map's key factors, RATE7), in the list's order."""
    return [card.id for card in listed_cards(board) if card.kept] if value == "all" else []


def _note_kind_choices(board):
    present = {card.note_kind for card in listed_cards(board) if card.parent is not None}
    return [(kind["id"], dict(kind["label"])) for kind in board.format.document.get("note_kinds", [])
            if kind["id"] in present]


def _notes_of_kind(board, value):
    """The notes of one kind (NOTE1): the factors map's *nouvelles compétences* effects become cards."""
    return [card.id for card in listed_cards(board) if card.parent is not None and card.note_kind == value]


PRESETS = (
    Preset("must_haves", {"fr": "Incontournables du vote", "en": "The vote's must-haves"},
           _must_have_choices, _must_haves),
    Preset("zone", {"fr": "Une zone", "en": "One zone"}, _zone_choices, _in_zone),
    Preset("written", {"fr": "Écrites par les participants", "en": "Written by participants"},
           _written_choices, _written),
    Preset("kind", {"fr": "Un type de carte", "en": "One kind of card"}, _kind_choices, _of_kind),
    Preset("kept", {"fr": "Cartes retenues (facteurs-clés)", "en": "Kept cards (key factors)"},
           _kept_choices, _kept),
    Preset("note_kind", {"fr": "Les notes d’un type", "en": "The notes of one kind"},
           _note_kind_choices, _notes_of_kind),
)


def presets(board):
    """The presets this board offers now, each with its choices and the cards each ticks:
    [{id, label, choices: [{value, label, card_ids}]}]; a preset with nothing to tick is left out."""
    offered = []
    for preset in PRESETS:
        choices = [{"value": value, "label": label, "card_ids": preset.select(board, value)}
                   for value, label in preset.choices(board)]
        choices = [choice for choice in choices if choice["card_ids"]]
        if choices:
            offered.append({"id": preset.id, "label": dict(preset.label), "choices": choices})
    return offered


def zone_label(board, zone_id):
    """A zone's name in both languages: a cell is "row — column", an area or a family its own label."""
    zone = board.zones[zone_id]
    if zone.kind == "cell":
        rows = {row["id"]: row for row in board.format.document["panorama"]["rows"]}
        columns = {column["id"]: column for column in board.format.document["panorama"]["columns"]}
        row, column = rows.get(zone.row, {}).get("label", {}), columns.get(zone.column, {}).get("label", {})
        return {lang: " — ".join(part for part in (_pick(row, lang), _pick(column, lang)) if part)
                for lang in ("fr", "en")}
    if isinstance(zone.label, str):
        return {"fr": zone.label, "en": zone.label}
    return {lang: _pick(zone.label, lang) or zone_id for lang in ("fr", "en")}


def _pick(labels, lang):
    if isinstance(labels, str):
        return labels
    return (labels or {}).get(lang) or next(iter((labels or {}).values()), "")


# -- what the facilitator's dialog lists

def listing(board):
    """The cards the facilitator may carry, listed: [{id, text, kind, zone, team, speaker, votes, rank}],
    with the zone's name in both languages and the team by name (never a participant's name)."""
    votes, ranks = votes_of(board), ranks_of(board)
    return [{"id": card.id, "text": card.text, "kind": card.kind, "zone": zone_label(board, card.zone),
             "team": _team_name(board, card), "speaker": _speaker(card),
             "votes": votes.get(card.id), "rank": ranks.get(card.id)} for card in listed_cards(board)]


# -- provenance

def origin_of(board, card):
    """Where `card` comes from, as the new deck's card keeps it (CHAIN3)."""
    details = board.details or {}
    return {"board": details.get("title") or _pick(board.format.document.get("name"), "fr") or board.format.id,
            "place": details.get("place") or "", "date": details.get("date"), "card": card.id,
            "team": _team_name(board, card), "speaker": _speaker(card), "votes": votes_of(board).get(card.id)}


def _team_name(board, card):
    team = board.teams.get(card.team) if card.team else None
    return team.name if team is not None else None


def _speaker(card):
    # A speaker's name is public by nature (a plenary's speaker); the field comes with the quotes' format.
    speaker = getattr(card, "speaker", None)
    return speaker.strip() if isinstance(speaker, str) and speaker.strip() else None


def origin_source(origin, lang="fr"):
    """The source workshop as one line: "Atelier Compétences — Tours, 2026-05-12"."""
    head = " — ".join(part for part in (origin.get("board"), origin.get("place")) if part)
    return ", ".join(part for part in (head, origin.get("date")) if part)


def origin_author(origin, lang="fr"):
    """Who wrote or placed it: "équipe Bleus", or the speaker; "" when neither is known."""
    if origin.get("team"):
        return f"{'équipe' if lang == 'fr' else 'team'} {origin['team']}"
    return origin.get("speaker") or ""


# -- the new board

def chosen_cards(board, card_ids):
    """The cards `card_ids` names, in that order, each one that may be carried; ChainError otherwise."""
    if not isinstance(card_ids, list) or not card_ids:
        raise ChainError("card_ids", "choose at least one card")
    if len(card_ids) > MAX_CHAINED:
        raise ChainError("card_ids", f"at most {MAX_CHAINED} cards")
    seen, cards = set(), []
    for index, card_id in enumerate(card_ids):
        path = f"card_ids[{index}]"
        card = board.cards.get(card_id) if isinstance(card_id, str) else None
        if card is None:
            raise ChainError(path, f"no card {str(card_id)[:64]!r} on this board")
        if card_id in seen:
            raise ChainError(path, f"the card {card_id!r} is chosen twice")
        if card.private:
            raise ChainError(path, f"the card {card_id!r} is still hidden from the other teams (private mode): "
                                   "reveal it first")
        if not carryable(board, card):
            raise ChainError(path, f"the card {card_id!r} has no text")
        seen.add(card_id)
        cards.append(card)
    return cards


def deck_template(board, card_ids, format_document, title=None):
    """The template document (documents.py) of the new board: `format_document` (a packaged format),
    the chosen cards as its deck in the order given, each with its origin, and the title (the source
    board's when none). Pure: the caller creates the board from it (CHAIN2)."""
    cards = chosen_cards(board, card_ids)
    panorama = format_document.get("panorama") or {}
    rows = {row.get("id") for row in panorama.get("rows") or []}
    columns = {column.get("id") for column in panorama.get("columns") or []}
    deck = []
    for order, card in enumerate(cards, start=1):
        row, column = _suggested_place(board, card)
        deck.append({"id": f"c{order}", "text": card.text.strip(), "description": (card.description or "").strip(),
                     "domain": row if row in rows else None, "category": column if column in columns else None,
                     "origin": origin_of(board, card)})
    source_title = (board.details or {}).get("title") or ""
    title = (title or "").strip() or source_title or _pick(format_document.get("name"), "fr")
    vote_defaults = format_document.get("vote") or {}
    return {"atelier": "template", "version": 1, "exported_at": None, "source_board": None,
            "format": {**copy.deepcopy(format_document), "deck": []}, "deck": deck,
            "vote": {key: vote_defaults[key] for key in ("budget", "per_card") if key in vote_defaults},
            "anonymous": anonymity.defaults(format_document), "details": {"title": title, "place": ""}}


def _suggested_place(board, card):
    """Where the card stood (its cell's row and column: what the room decided), else its suggestion."""
    zone = board.zones.get(card.zone)
    if zone is not None and zone.kind == "cell":
        return zone.row, zone.column
    return card.domain, card.category
