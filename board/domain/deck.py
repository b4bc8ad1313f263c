"""Importing a deck of competence cards (DECK1-DECK10): the rows a file gave, checked against the board.

The facilitator brings their own cards from a spreadsheet, a JSON file or a pasted list (reading
those files is board/deck_files.py's job; here a row is plain text fields and its line number).
`check_rows` is the one judgement: the console's preview shows it, and the `import_deck` command
runs it again on the server before anything changes, so the preview and the import never disagree.
"""
import difflib
import re
import unicodedata
from dataclasses import dataclass

from .commands import DESCRIPTION_MAX, TEXT_MAX, Command, _fail, one_of, spec, storable
from .errors import BAD_REQUEST, SEQUENCE_CLOSED, TOO_LARGE, Rejection
from .links import forget as forget_links
from .model import DECK_CARD, Card
from .notes import with_notes

REPLACE, ADD = "replace", "add"
MODES = (REPLACE, ADD)
MAX_CARDS = 1000  # lines in one import, and deck cards on the board after it (DECK8)
# What a row's field may hold before it is judged: room to say "too long" about a title, not a novel.
RAW_FIELD_MAX = 5000
ROW_FIELDS = ("line", "text", "description", "domain", "category")
IMPORT_SEQUENCE = 0  # the deck is imported before or during the first sequence (DECK1)

# Why a line is skipped; the console has a sentence for each (deck_import.problem.<code>).
EMPTY_TITLE = "empty_title"
TITLE_TOO_LONG = "title_too_long"
DESCRIPTION_TOO_LONG = "description_too_long"
UNKNOWN_DOMAIN = "unknown_domain"
UNKNOWN_CATEGORY = "unknown_category"
DUPLICATE_IN_FILE = "duplicate_in_file"
DUPLICATE_IN_DECK = "duplicate_in_deck"


def fold(text):
    """Text as compared here: accents, case, apostrophes, dashes and extra spaces ignored."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


# -- the command

def deck_rows(name, value):
    """At most MAX_CARDS rows {line, text, description?, domain?, category?}, each field text."""
    if not isinstance(value, (list, tuple)) or len(value) > MAX_CARDS:
        _fail(TOO_LARGE if isinstance(value, (list, tuple)) else BAD_REQUEST,
              f"Field '{name}' must be a list of at most {MAX_CARDS} cards.")
    rows = []
    for position, row in enumerate(value, start=1):
        if not isinstance(row, dict) or set(row) - set(ROW_FIELDS) or "text" not in row:
            _fail(BAD_REQUEST, f"Card {position} of '{name}' must be an object with a 'text' "
                               f"(and line, description, domain, category).")
        line = row.get("line", position)
        if type(line) is not int or line < 1:
            _fail(BAD_REQUEST, f"Card {position} of '{name}': 'line' must be a whole number from 1.")
        clean = {"line": line}
        for key in ("text", "description", "domain", "category"):
            field_value = row.get(key)
            field_value = "" if field_value is None else field_value
            if not isinstance(field_value, str) or not storable(field_value):
                _fail(BAD_REQUEST, f"Card {position} of '{name}': '{key}' must be text.")
            if len(field_value) > RAW_FIELD_MAX:
                _fail(TOO_LARGE, f"Card {position} of '{name}': '{key}' is longer than {RAW_FIELD_MAX} characters.")
            clean[key] = field_value
        rows.append(clean)
    return tuple(rows)


@dataclass(frozen=True)
class ImportDeck(Command):
    """Replace the deck's unplaced cards with these, or add these to the deck (the lines that pass)."""

    type = "import_deck"
    mode: str = spec(one_of(*MODES))
    cards: tuple = spec(deck_rows)


# -- the checks, shared by the preview and the command

def _choices(entries):
    """{folded name: id} for Panorama rows or columns: the id and each label, short label too."""
    names = {}
    for entry in entries:
        for name in (entry["id"], *entry["label"].values(), *(entry.get("short") or {}).values()):
            names.setdefault(fold(name), entry["id"])
    return names


def _resolve(raw, entries, names):
    """(id or None, None) when `raw` names one of `entries` (or is empty); else (None, suggestion)."""
    folded = fold(raw)
    if not folded:
        return None, None
    if folded in names:
        return names[folded], None
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.6)  # "Maintenence" finds Maintenance, "Astronomie" nothing
    suggested = next((e for e in entries if close and e["id"] == names[close[0]]), None)
    return None, ({"id": suggested["id"], "label": dict(suggested["label"])} if suggested else None)


def staying_deck_cards(board, mode):
    """The deck cards the board keeps after an import in `mode`: all of them when adding; when
    replacing, those already placed on the Panorama (DECK5)."""
    deck_zone = board.format.deck_zone
    return [card for card in board.cards.values()
            if card.kind == DECK_CARD and (mode == ADD or card.zone != deck_zone)]


def check_rows(board, rows, mode):
    """Judge each row against the board: (cards to import, problems), both in line order.

    A card is {line, text, description, domain, category} with the Panorama's row and column ids;
    a problem is {line, code, text, value?, suggestion?, first_line?}: the line is skipped (DECK3).
    """
    panorama = {"rows": board.format.rows, "columns": board.format.columns}
    rows_named, columns_named = _choices(panorama["rows"]), _choices(panorama["columns"])
    kept = {fold(card.text): card for card in staying_deck_cards(board, mode)}
    seen, cards, problems = {}, [], []
    for row in rows:
        line, text = row["line"], row["text"].strip()
        description = row.get("description", "").strip()
        problem = {"line": line, "text": text if len(text) <= 120 else text[:119] + "…"}  # enough to find the line
        domain, domain_hint = _resolve(row.get("domain", ""), panorama["rows"], rows_named)
        category, category_hint = _resolve(row.get("category", ""), panorama["columns"], columns_named)
        key = fold(text)
        if not text:
            problems.append({**problem, "code": EMPTY_TITLE})
        elif len(text) > TEXT_MAX:
            problems.append({**problem, "code": TITLE_TOO_LONG, "value": str(len(text))})
        elif len(description) > DESCRIPTION_MAX:
            problems.append({**problem, "code": DESCRIPTION_TOO_LONG, "value": str(len(description))})
        elif domain is None and fold(row.get("domain", "")):
            problems.append({**problem, "code": UNKNOWN_DOMAIN, "value": row["domain"].strip()[:120],
                             "suggestion": domain_hint})
        elif category is None and fold(row.get("category", "")):
            problems.append({**problem, "code": UNKNOWN_CATEGORY, "value": row["category"].strip()[:120],
                             "suggestion": category_hint})
        elif key in seen:
            problems.append({**problem, "code": DUPLICATE_IN_FILE, "first_line": seen[key]})
        elif key in kept:
            problems.append({**problem, "code": DUPLICATE_IN_DECK, "card_id": kept[key].id})
        else:
            seen[key] = line
            cards.append({"line": line, "text": text, "description": description,
                          "domain": domain, "category": category})
    return cards, problems


def outcome(board, rows, mode):
    """The preview's whole answer: the cards, the problems, and what happens to the deck (DECK5)."""
    cards, problems = check_rows(board, rows, mode)
    deck_zone = board.format.deck_zone
    in_deck = [c for c in board.cards.values() if c.kind == DECK_CARD and c.zone == deck_zone]
    placed = [c for c in board.cards.values() if c.kind == DECK_CARD and c.zone != deck_zone]
    removed = len(in_deck) if mode == REPLACE else 0
    return {"mode": mode, "cards": cards, "problems": problems, "lines": len(rows),
            "deck": {"in_deck": len(in_deck), "placed": len(placed), "removed": removed,
                     "after": len(in_deck) - removed + len(placed) + len(cards)},
            "refusal": _refusal(board, cards, len(in_deck) - removed + len(placed))}


def _refusal(board, cards, staying):
    """Why the import would be refused as a whole (None when it would go through)."""
    if board.sequence != IMPORT_SEQUENCE:
        first = board.format.sequences[IMPORT_SEQUENCE].name["en"]
        now = board.current_sequence.name["en"]
        return Rejection(SEQUENCE_CLOSED, f"Cards are imported before or during sequence {IMPORT_SEQUENCE + 1} "
                                          f"({first}); the workshop is now in sequence {board.sequence + 1} ({now}).")
    if not cards:
        return Rejection(BAD_REQUEST, "No card to import: every line has a problem, or there is none.")
    if staying + len(cards) > MAX_CARDS:
        return Rejection(TOO_LARGE, f"The deck would hold {staying + len(cards)} cards; "
                                    f"it may hold at most {MAX_CARDS}.")
    return None


# -- resolver and evolver

def import_deck(board, actor, role, cmd):
    """DECK1-DECK8: the lines that pass become deck cards, in file order; the rest are skipped."""
    preview = outcome(board, cmd.cards, cmd.mode)
    if preview["refusal"] is not None:
        return preview["refusal"]
    deck_zone = board.format.deck_zone
    # A deck card sent back to the deck keeps its notes: they leave with it (NOTE11).
    removed = with_notes(board, [card.id for card in board.cards.values()
                                 if cmd.mode == REPLACE and card.kind == DECK_CARD and card.zone == deck_zone])
    taken = set(board.cards) - set(removed)
    base = 1 if cmd.mode == REPLACE else board.top_z(deck_zone)
    cards = []
    for order, card in enumerate(preview["cards"]):
        card_id = _fresh_id(taken, f"k{board.version + 1}-{order + 1}")
        taken.add(card_id)
        cards.append({"id": card_id, "text": card["text"], "description": card["description"],
                      "domain": card["domain"], "category": card["category"], "z": base + order})
    return "deck_imported", {"mode": cmd.mode, "removed": removed, "cards": cards,
                             "skipped": len(preview["problems"])}


def _fresh_id(taken, candidate):
    n, chosen = 1, candidate
    while chosen in taken:
        chosen, n = f"{candidate}-{n}", n + 1
    return chosen


def deck_imported(board, data):
    """The unplaced deck cards named go (replace); the new cards enter the deck in file order."""
    for card_id in data["removed"]:
        board.cards.pop(card_id, None)
        # A card voted on, then put back in the deck by the facilitator, gives its dots back (as a deletion).
        for book in (board.vote.dots, board.vote.proxy):
            for cards in book.values():
                cards.pop(card_id, None)
    forget_links(board, data["removed"])  # no link to a card gone (LINK7)
    deck_zone = board.format.deck_zone
    for card in data["cards"]:
        board.cards[card["id"]] = Card(id=card["id"], kind=DECK_CARD, text=card["text"],
                                       description=card["description"], zone=deck_zone, z=card["z"],
                                       domain=card["domain"], category=card["category"])


FACILITATOR_COMMANDS = (ImportDeck.type,)
RESOLVERS = {ImportDeck.type: import_deck}
EVOLVERS = {"deck_imported": deck_imported}
