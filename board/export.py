"""The facilitator's export: the Panorama and the vote results as a CSV that French Excel opens.

UTF-8 with a byte-order mark and ';' between fields, which is what Excel set to French expects.
"""
import csv
import io

from .domain.vote import ranking

HEADER = {"fr": ["Zone", "Catégorie", "Carte", "Type", "Équipe", "Auteur", "Gommettes", "Rang"],
          "en": ["Zone", "Category", "Card", "Kind", "Team", "Author", "Dots", "Rank"]}
AUTHOR_COLUMN = 5  # where HEADER names the author
KINDS = {"fr": {"deck": "Carte du jeu", "new": "Nouvelle carte", "postit": "Post-it"},
         "en": {"deck": "Deck card", "new": "New card", "postit": "Sticky note"}}


def with_names(board, asked):
    """Whether the export names authors: always, unless a sequence is anonymous and the
    facilitator did not ask for names (ANON5)."""
    return asked or not board.anonymous


def panorama_rows(board, lang="fr", names=True):
    """One row per card on the board (not in the deck), in Panorama order, best ranked first;
    without the author column when `names` is false."""
    results = ranking(board)
    ranks = {entry["card_id"]: entry["rank"] for entry in results["overall"]}
    totals = results["totals"]
    rows = {row["id"]: (i, row["label"][lang]) for i, row in enumerate(board.format.document["panorama"]["rows"])}
    columns = {c["id"]: (i, c["label"][lang]) for i, c in enumerate(board.format.document["panorama"]["columns"])}
    lines = []
    for card in board.cards.values():
        zone = board.zones[card.zone]
        if zone.kind == "deck":
            continue
        row_order, row_label = rows.get(zone.row, (len(rows), zone.label.get(lang, zone.id)))
        column_order, column_label = columns.get(zone.column, (len(columns), ""))
        team = board.teams[card.team].name if card.team else ""
        author = board.participants[card.author].name if card.author in board.participants else ""
        key = (row_order, column_order, ranks.get(card.id, 10**6), card.text.casefold())
        lines.append((key, [row_label, column_label, card.text, KINDS[lang][card.kind], team, author,
                            totals.get(card.id, 0), ranks.get(card.id, "")]))
    rows = [HEADER[lang]] + [line for _, line in sorted(lines, key=lambda item: item[0])]
    if not names:
        rows = [row[:AUTHOR_COLUMN] + row[AUTHOR_COLUMN + 1:] for row in rows]
    return rows


# A cell starting with one of these is a formula to a spreadsheet: a participant's card text must
# never run in the facilitator's Excel (CSV injection), so such text is prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def panorama_csv(board, lang="fr", names=True):
    """The export as bytes: BOM, ';'-separated, CRLF line ends, no cell a spreadsheet would run."""
    buffer = io.StringIO()
    rows = [[_inert(value) for value in row] for row in panorama_rows(board, lang, names)]
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
