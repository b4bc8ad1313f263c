"""The facilitator's exports of the Panorama and the vote results: what they contain, and the CSV.

Pure functions of a board: `placed_cards` is every card on the board (not in the deck) with its
place, dots and ranks; the CSV (here) and the XLSX (export_xlsx.py) only lay those lines out.
Labels come from the board's own format document, which the facilitator may have edited.

A format without a Panorama (FMT16: the factors map, the Troc, the prospective plenary) has no domains
and categories to name: its exports name its own areas and the families made on them, and the dots
and ranks only where the format holds a vote (EXP7, `area_columns`); the flagship's are as they were.

The CSV is for French Excel: UTF-8 with a byte-order mark, ';' between fields, CRLF line ends.
"""
import csv
from dataclasses import dataclass
import io

from .domain.canvas import CANVAS as CANVAS_KIND, FAMILY
from .domain.chain import origin_author, origin_source
from .domain.links import titles as linked_titles
from .domain.ratings import axes as rating_axes, position
from .domain.vote import ranking

HEADER = {"fr": ["Zone", "Catégorie", "Carte", "Type", "Équipe", "Auteur", "Gommettes", "Rang",
                 "Rang dans le domaine", "Description"],
          "en": ["Zone", "Category", "Card", "Kind", "Team", "Author", "Dots", "Rank",
                 "Rank in domain", "Description"]}
AUTHOR_COLUMN = 5  # where HEADER names the author
KINDS = {"fr": {"deck": "Carte du jeu", "new": "Nouvelle carte", "postit": "Post-it", "quote": "Citation"},
         "en": {"deck": "Deck card", "new": "New card", "postit": "Sticky note", "quote": "Quote"}}
UNRANKED = 10**6  # sorts cards without dots after every ranked one
# Where a card carried from another board came from (CHAIN5): columns only on a board that has such cards.
ORIGIN_HEADER = {"fr": ["Atelier d’origine", "Équipe ou intervenant d’origine", "Gommettes d’origine"],
                 "en": ["Source workshop", "Source team or speaker", "Source dots"]}
# The ratings' columns (RATE10), only for a format with axes: per axis the mean and each rater's value.
RATING_WORDS = {"fr": {"mean": "moyenne", "by": "par équipe", "kept": "Facteur-clé", "yes": "oui",
                       "someone": "Participant"},
                "en": {"mean": "mean", "by": "by team", "kept": "Kept", "yes": "yes", "someone": "Participant"}}
# The notes' table (NOTE13), after the cards' in the CSV and on a sheet of its own in the XLSX.
NOTE_HEADER = {"fr": ["Carte", "Zone", "Type de note", "Note", "Équipe", "Auteur"],
               "en": ["Card", "Zone", "Note kind", "Note", "Team", "Author"]}
NOTE_AUTHOR_COLUMN = 5
# The cards a card links to (LINK9): a column only on a board where some card links to others.
LINK_HEADER = {"fr": "Liée à", "en": "Linked to"}
LINK_SEPARATOR = " | "  # between the linked cards' titles in one cell (a title may hold commas and semicolons)


@dataclass(frozen=True)
class PlacedCard:
    """One card on the board as the exports show it; `rank` and `domain_rank` are None without dots."""

    id: str
    text: str
    description: str
    kind: str  # the kind's label in the export's language
    zone_label: str  # the Panorama row's label, or a free area's
    row: str | None  # the Panorama row's id; None in a free area
    column: str | None  # the Panorama column's id; None in a free area
    column_label: str
    team: str
    author: str
    dots: int
    rank: int | None
    domain_rank: int | None
    order: tuple  # Panorama order: row, column, rank, text
    # A card carried from another board (CHAIN5): its source workshop, team or speaker, and dots there.
    origin: tuple = ()
    ratings: dict = None  # {axis id: {rater: value}} (ratings.py), as the card holds them
    kept: bool = False  # kept by the facilitator (a key factor)
    marks: tuple = ()  # per mark of the format (mark_headers), who marked the card, names joined by ", " (MARK7)
    speaker: str = ""  # who said it (MARK11): a name, "Un participant", or ""
    links: str = ""  # the titles of the cards it links to, joined by LINK_SEPARATOR (LINK9)
    area_label: str = ""  # the format's area it is on (a family's canvas for a card in a family)
    family_label: str = ""  # the family it is in, on a canvas; "" elsewhere


def with_names(board, asked):
    """Whether the export names authors: always, unless a sequence is anonymous and the
    facilitator did not ask for names (ANON5)."""
    return asked or not board.anonymous


def panorama_labels(board, lang):
    """The Panorama's rows and columns as (id, label, short label) in board order, in `lang`,
    read from the board's own format document (EXP2)."""
    def pick(labels):
        return (labels or {}).get(lang) or next(iter((labels or {}).values()), "")

    rows = [(row["id"], pick(row["label"]), pick(row.get("short")) or pick(row["label"])) for row in board.format.rows]
    columns = [(column["id"], pick(column["label"])) for column in board.format.columns]
    return rows, columns


SPEAKER_HEADER = {"fr": "Intervenant", "en": "Speaker"}
A_PARTICIPANT = {"fr": "Un participant", "en": "A participant"}


def mark_headers(board, lang):
    """The format's marks as column headings, in its order (MARK7); none for a format without marks."""
    return [mark["label"].get(lang) or mark["id"] for mark in board.format.document.get("marks", [])]


def takes_speakers(board):
    """Whether the exports have a speaker column: the format lists `speakers` (MARK9)."""
    return "speakers" in board.format.document


def _marked_by(board, card, names):
    """Per mark of the format, the names of who marked `card` in the order they did; participants'
    aliases ("Participant 3", as documents.py numbers them) when names are withheld."""
    people = [p for p in board.participants.values() if p.role == "participant"]
    alias = {p.id: f"Participant {number}" for number, p in enumerate(people, start=1)}
    shown = lambda pid: board.participants[pid].name if names else alias[pid]  # noqa: E731
    return tuple(", ".join(shown(pid) for pid in card.marks.get(mark["id"], []) if pid in alias)
                 for mark in board.format.document.get("marks", []))


def placed_cards(board, lang="fr", names=True):
    """Every card on the board and not in the deck, once, in Panorama order (row, column, best
    ranked first, then by text), with its overall rank and its rank among its row's cards (EXP1)."""
    results = ranking(board)
    totals = results["totals"]
    ranks = {entry["card_id"]: entry["rank"] for entry in results["overall"]}
    domain_ranks = {entry["card_id"]: entry["rank"] for entries in results["by_row"].values() for entry in entries}
    rows, columns = panorama_labels(board, lang)
    row_at = {row_id: (i, label) for i, (row_id, label, _) in enumerate(rows)}
    column_at = {column_id: (i, label) for i, (column_id, label) in enumerate(columns)}
    zone_order = {zone_id: i for i, zone_id in enumerate(board.zones)}
    lines = []
    for card in board.cards.values():
        zone = board.zones[card.zone]
        if card.parent is not None:  # a note is listed with its card (note_rows)
            continue
        if zone.kind == "deck" and not (card.ratings or card.kept):  # a rated factor counts wherever it is
            continue
        row_order, zone_label = row_at.get(zone.row, (len(rows), zone.label.get(lang, zone.id)))
        column_order, column_label = column_at.get(zone.column, (len(columns), ""))
        area = board.zones.get(zone.area, zone) if zone.kind == FAMILY else zone
        if not rows:  # no Panorama: the format's areas in its order, then each family as the board made them
            row_order, column_order = zone_order[area.id], zone_order[zone.id] if zone is not area else -1
        rank = ranks.get(card.id)
        lines.append(PlacedCard(
            id=card.id, text=card.text, description=card.description or "", kind=KINDS[lang].get(card.kind, card.kind),
            zone_label=zone_label, row=zone.row if zone.row in row_at else None,
            column=zone.column if zone.column in column_at else None, column_label=column_label,
            team=board.teams[card.team].name if card.team in board.teams else "",
            author=board.participants[card.author].name if card.author in board.participants else "",
            dots=totals.get(card.id, 0), rank=rank, domain_rank=domain_ranks.get(card.id),
            order=(row_order, column_order, rank or UNRANKED, card.text.casefold(), card.id),
            origin=_origin_cells(card.origin, lang), ratings=card.ratings, kept=card.kept,
            marks=_marked_by(board, card, names),
            speaker=A_PARTICIPANT[lang] if card.speaker == "participant" else card.speaker or "",
            links=LINK_SEPARATOR.join(linked_titles(board, card)),
            area_label=_pick(area.label, lang) or area.id, family_label=_pick(zone.label, lang) if zone is not area else ""))
    return sorted(lines, key=lambda line: line.order)


def _pick(labels, lang):
    return (labels or {}).get(lang) or next(iter((labels or {}).values()), "")


# -- a format without a Panorama (EXP7): its areas and families, its vote only if it holds one

AREA_WORDS = {"fr": {"zone": "Zone", "family": "Famille", "card": "Carte", "kind": "Type", "team": "Équipe",
                     "author": "Auteur", "dots": "Gommettes", "rank": "Rang", "description": "Description",
                     "overview": "Vue d’ensemble", "cards": "Cartes", "ungrouped": "Sans famille"},
              "en": {"zone": "Zone", "family": "Family", "card": "Card", "kind": "Kind", "team": "Team",
                     "author": "Author", "dots": "Dots", "rank": "Rank", "description": "Description",
                     "overview": "Overview", "cards": "Cards", "ungrouped": "Ungrouped"}}


def has_panorama(board):
    """Whether the board's format has a Panorama grid (the flagship); else its areas stand alone (FMT16)."""
    return bool(board.format.rows)


def holds_vote(board):
    """Whether the exports show dots and ranks: a sequence of the format opens the vote, or dots were given."""
    return any("vote" in sequence.allows for sequence in board.format.sequences) or bool(board.vote.totals())


def has_families(board):
    """Whether the format has a canvas area, where families are made (CANVAS)."""
    return any(zone.kind == CANVAS_KIND for zone in board.zones.values())


def area_columns(board, names=True):
    """The cards' columns of a format without a Panorama, in order (EXP7): its zone (area), the family
    on a canvas format, the card, kind, team, author (when `names`), dots and rank where it votes, description."""
    keys = ["zone"] + (["family"] if has_families(board) else []) + ["card", "kind", "team"] \
        + (["author"] if names else []) + (["dots", "rank"] if holds_vote(board) else []) + ["description"]
    return keys


def area_value(card, key):
    """A PlacedCard's cell under one of `area_columns`' keys."""
    return {"zone": card.area_label, "family": card.family_label, "card": card.text, "kind": card.kind,
            "team": card.team, "author": card.author, "dots": card.dots, "rank": _or_blank(card.rank),
            "description": card.description}[key]


def _origin_cells(origin, lang):
    """The origin columns of a carried card ("" for what is unknown), or () for a card made here."""
    if origin is None:
        return ()
    votes = origin.get("votes")
    return (origin_source(origin, lang), origin_author(origin, lang), "" if votes is None else votes)


def rating_header(board, lang="fr"):
    """The ratings' column names (RATE10): per axis its mean and its raters' values, then kept; none
    for a format without axes, so its exports keep exactly their columns."""
    words = RATING_WORDS[lang]
    axis_list = rating_axes(board)
    if not axis_list:
        return []
    header = []
    for axis in axis_list:
        label = axis["label"].get(lang) or axis["id"]
        header += [f"{label} ({words['mean']})", f"{label} ({words['by']})"]
    return header + [words["kept"]]


def rating_values(board, card, lang="fr", names=True):
    """A card's cells under `rating_header`: per axis the mean (rounded to 2 places, "" unrated) and
    "rater: value; ..." in rater order; then "oui" when kept. A rater is a team, or a teamless person
    (named only when `names`)."""
    axis_list = rating_axes(board)
    if not axis_list:
        return []
    words = RATING_WORDS[lang]
    ratings = card.ratings or {}
    place = position(ratings, [axis["id"] for axis in axis_list])
    cells = []
    for axis in axis_list:
        spot = place[axis["id"]]
        given = sorted((_rater_name(board, rater, words, names), value)
                       for rater, value in (ratings.get(axis["id"]) or {}).items())
        cells += ["" if spot is None else round(spot["mean"], 2), "; ".join(f"{who}: {value}" for who, value in given)]
    return cells + [words["yes"] if card.kept else ""]


def _rater_name(board, rater, words, names):
    if rater in board.teams:
        return board.teams[rater].name
    member = board.participants.get(rater)
    return member.name if member is not None and names else words["someone"]


def panorama_rows(board, lang="fr", names=True):
    """The CSV's table: a header, then one row per card on the board (not in the deck), in Panorama
    order; ranks are numbers, or "" without dots; without the author column when `names` is false."""
    # Ratings, then marks and speakers (MARK7), come last, only for formats that have them: the
    # flagship's CSV is as it was; carried cards' origins after them (CHAIN5).
    speakers = takes_speakers(board)
    cards = placed_cards(board, lang, names)
    if not has_panorama(board):
        return _area_rows(board, cards, lang, names)
    rows = [HEADER[lang] + rating_header(board, lang) + mark_headers(board, lang)
            + ([SPEAKER_HEADER[lang]] if speakers else [])] + [
        [card.zone_label, card.column_label, card.text, card.kind, card.team, card.author, card.dots,
         _or_blank(card.rank), _or_blank(card.domain_rank), card.description] + rating_values(board, card, lang, names)
        + [*card.marks] + ([card.speaker] if speakers else [])
        for card in cards]
    if any(card.origin for card in cards):  # a board made from another's cards says where each came from
        rows = [rows[0] + ORIGIN_HEADER[lang]] + [row + list(card.origin or ("", "", ""))
                                                  for row, card in zip(rows[1:], cards)]
    if any(card.links for card in cards):  # a board where cards link to others (LINK9); else as it was
        rows = [rows[0] + [LINK_HEADER[lang]]] + [row + [card.links] for row, card in zip(rows[1:], cards)]
    if not names:
        rows = [row[:AUTHOR_COLUMN] + row[AUTHOR_COLUMN + 1:] for row in rows]
    notes = note_rows(board, lang, names)
    if len(notes) > 1:  # a board without notes keeps its one table
        rows += [[]] + notes
    return rows


def _area_rows(board, cards, lang, names):
    """panorama_rows for a format without a Panorama (EXP7): `area_columns`, then the same columns as the
    flagship's after them (ratings, marks, speaker, origins, links), then the notes' table."""
    speakers = takes_speakers(board)
    keys = area_columns(board, names)
    words = AREA_WORDS[lang]
    origins = any(card.origin for card in cards)
    links = any(card.links for card in cards)
    rows = [[words[key] for key in keys] + rating_header(board, lang) + mark_headers(board, lang)
            + ([SPEAKER_HEADER[lang]] if speakers else []) + (ORIGIN_HEADER[lang] if origins else [])
            + ([LINK_HEADER[lang]] if links else [])]
    for card in cards:
        rows.append([area_value(card, key) for key in keys] + rating_values(board, card, lang, names) + [*card.marks]
                    + ([card.speaker] if speakers else []) + (list(card.origin or ("", "", "")) if origins else [])
                    + ([card.links] if links else []))
    notes = note_rows(board, lang, names)
    if len(notes) > 1:
        rows += [[]] + notes
    return rows


def note_rows(board, lang="fr", names=True):
    """The notes' table (NOTE13): a header, then each note on the board (not in the deck) with its
    card's text and zone, its kind's label, its text, team and author; by card in Panorama order, then
    by kind in the format's order, then as written. Without the author column when `names` is false."""
    kinds = {kind["id"]: (i, kind["label"].get(lang) or kind["id"])
             for i, kind in enumerate(board.format.document.get("note_kinds", []))}
    order = {card.id: i for i, card in enumerate(placed_cards(board, lang))}
    lines = []
    for note in board.cards.values():
        parent = board.cards.get(note.parent) if note.parent is not None else None
        if parent is None or parent.id not in order:
            continue
        kind_order, kind_label = kinds.get(note.note_kind, (len(kinds), note.note_kind or ""))
        zone = board.zones[parent.zone]
        zone_label = " / ".join(label for label in _zone_words(board, zone, lang) if label)
        lines.append(((order[parent.id], kind_order, note.z, note.id),
                      [parent.text, zone_label, kind_label, note.text,
                       board.teams[note.team].name if note.team in board.teams else "",
                       board.participants[note.author].name if note.author in board.participants else ""]))
    rows = [NOTE_HEADER[lang]] + [line for _, line in sorted(lines, key=lambda item: item[0])]
    if not names:
        rows = [row[:NOTE_AUTHOR_COLUMN] + row[NOTE_AUTHOR_COLUMN + 1:] for row in rows]
    return rows


def _zone_words(board, zone, lang):
    """A zone's words: a cell's row and column labels, or an area's label."""
    if zone.row is None:
        return [zone.label.get(lang, zone.id)]
    rows, columns = panorama_labels(board, lang)
    return [next((label for row_id, label, _ in rows if row_id == zone.row), zone.row),
            next((label for column_id, label in columns if column_id == zone.column), zone.column or "")]


def _or_blank(number):
    return "" if number is None else number


# -- Keeping text as text when a spreadsheet opens the CSV (EXP3)
#
# Excel and LibreOffice read a CSV cell by its look: "0612345678" becomes the number 612345678, "-5"
# a number, "1/2" and "3 mai" dates, "VRAI" a boolean, and "=...", "+...", "-...", "@..." a formula
# that runs (CSV injection). A text cell that could be read so is prefixed with U+2060 WORD JOINER:
# - it is not a space, so no number, date or formula reader skips it: the cell stays the text typed;
# - it has no width and no glyph (a "default ignorable" character), so nothing shows in the cell,
#   where the usual apostrophe shows in a CSV, and it is real content, so it survives the file being
#   saved and opened again, where Excel drops the apostrophe and revives the formula;
# - unlike U+FEFF it is never taken for a byte-order mark, and unlike U+200B it is no line-break point.
# The `="0612345678"` idiom is rejected: it is itself a formula, which a participant's text would
# then run or break out of. Only cells that need it get the marker: other text stays exactly as typed.
TEXT_MARKER = "\u2060"
# What starts a formula, ASCII or full-width (East Asian Excel reads those too), and line controls.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Words a spreadsheet reads as a boolean (French and English), or as an error value when they start with '#'.
VALUE_WORDS = {"vrai", "faux", "true", "false"}


def reads_as_value(text):
    """Whether a spreadsheet opening a CSV could take `text` for something other than this text:
    a formula, a number, a date, a time, a percentage, a fraction, a boolean or an error value."""
    bare = text.strip()
    return (text.startswith(FORMULA_STARTS) or bare.startswith(FORMULA_STARTS) or bare.startswith("#")
            or any(char.isnumeric() for char in text) or bare.casefold() in VALUE_WORDS)


def as_text(value):
    """A CSV cell that a spreadsheet keeps as the text it is: numbers pass as they are, text that
    could be read as a value or a formula gets the invisible TEXT_MARKER in front (EXP3)."""
    if isinstance(value, str) and reads_as_value(value):
        return TEXT_MARKER + value
    return value


def _decimal(number, lang):
    """A mean as French Excel reads a number: a decimal comma in French, a point in English (RATE10)."""
    text = f"{number:g}"
    return text.replace(".", ",") if lang == "fr" else text


def panorama_csv(board, lang="fr", names=True):
    """The CSV export as bytes: BOM, ';'-separated, CRLF line ends, numbers as numbers, and no text
    cell a spreadsheet would run or turn into a number or a date (EXP3)."""
    buffer = io.StringIO()
    rows = [[_decimal(value, lang) if isinstance(value, float) else as_text(value) for value in row]
            for row in panorama_rows(board, lang, names)]
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
