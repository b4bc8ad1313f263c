"""The facilitator's XLSX export: the Panorama grid, the ranking, and one sheet per domain; for a format
without a Panorama, an overview of its areas and families, then one sheet per area (EXP7).

A thin layout of export.placed_cards with openpyxl: real typed cells (numbers as numbers, text as
text), a bold header row frozen at the top, column widths that fit, and never a formula made from a
participant's text (EXP4).
"""
from copy import copy
import io
import math
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Side
from openpyxl.styles.fonts import DEFAULT_FONT

from .export import (AREA_WORDS, LINK_HEADER, ORIGIN_HEADER, SPEAKER_HEADER, UNRANKED, area_columns, area_value,
                     has_families, has_panorama, holds_vote, mark_headers, note_rows, panorama_labels, placed_cards,
                     rating_header, rating_values, takes_speakers)

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLES = {"fr": {"panorama": "Panorama", "ranking": "Classement", "domain": "Domaine", "other": "Hors Panorama",
                 "matrix": "Matrice", "marks": "Marques et intervenants", "notes": "Notes"},
          "en": {"panorama": "Panorama", "ranking": "Ranking", "domain": "Domain", "other": "Outside the Panorama",
                 "matrix": "Matrix", "marks": "Marks and speakers", "notes": "Notes"}}
COLUMNS = {"fr": {"rank": "Rang", "domain_rank": "Rang dans le domaine", "card": "Carte", "domain": "Domaine",
                  "category": "Catégorie", "dots": "Gommettes", "kind": "Type", "team": "Équipe",
                  "author": "Auteur", "description": "Description", "zone": "Zone"},
           "en": {"rank": "Rank", "domain_rank": "Rank in domain", "card": "Card", "domain": "Domain",
                  "category": "Category", "dots": "Dots", "kind": "Kind", "team": "Team",
                  "author": "Author", "description": "Description", "zone": "Zone"}}
RANKING_COLUMNS = ("rank", "card", "domain", "category", "dots", "kind", "team", "author", "domain_rank")
DOMAIN_COLUMNS = ("domain_rank", "rank", "card", "category", "dots", "kind", "team", "author", "description")
ORIGIN_KEYS = ("origin_source", "origin_author", "origin_votes")  # after the others, on a chained board only
# Excel refuses these in a sheet name, and names over 31 characters; "History" is its own.
SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
RESERVED_SHEET_NAMES = {"history"}
WIDEST_COLUMN = 60  # characters: wider text wraps
LINE_HEIGHT = 15  # points: one line of the default font (Calibri 11), Excel's default row height
GRID_COLUMN_WIDTH = 45


def sheet_names(wanted):
    """Excel-valid, distinct sheet names for `wanted`, in order: forbidden characters removed,
    no apostrophe at either end, at most 31 characters, unique without regard to case (EXP5)."""
    taken, names = set(), []
    for index, name in enumerate(wanted, start=1):
        base = FORBIDDEN_IN_SHEET_NAMES.sub(" ", name)
        base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or f"Sheet {index}"
        if base.casefold() in RESERVED_SHEET_NAMES:
            base += " 1"
        candidate, copy = _shorten(base, SHEET_NAME_LIMIT), 1
        while candidate.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            candidate = _shorten(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _shorten(name, limit):
    """`name` in at most `limit` characters: cut at a word when it can be, the cut marked by "…"."""
    if len(name) <= limit:
        return name
    cut = name[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;-'") + "…"


def panorama_xlsx(board, lang="fr", names=True):
    """The XLSX export as bytes: sheets Panorama, ranking, then one per Panorama row; the author
    columns only when `names` is true (ANON5)."""
    cards = placed_cards(board, lang, names)
    if not has_panorama(board):
        return _areas_xlsx(board, cards, lang, names)
    rows, columns = panorama_labels(board, lang)
    marked = bool(mark_headers(board, lang)) or takes_speakers(board)
    words, headings = TITLES[lang], COLUMNS[lang]
    wanted = [words["panorama"], words["ranking"]] + [short for _, _, short in rows]
    others = [card for card in cards if card.row is None]
    if others:
        wanted.append(words["other"])
    # A format with axes adds the matrix's sheet (RATE10): each rated or kept card, its means and raters.
    rated = [card for card in cards if card.ratings or card.kept] if rating_header(board, lang) else []
    if rated:
        wanted.append(words["matrix"])
    if marked:
        wanted.append(words["marks"])
    titles = sheet_names(wanted)
    book = Workbook()
    grid = book.active
    grid.title = titles[0]
    if columns:
        _write_grid(grid, cards, rows, columns, words)
    else:  # a format without a Panorama (FMT16): its areas as rows, their cards in one column
        _write_grid(grid, cards, rows, [(None, headings["card"])], {**words, "domain": headings["zone"]})
    origins = any(card.origin for card in cards)  # a board made from another's cards (CHAIN5)
    # The cards each links to (LINK9), last, only on a board where some card links to others.
    extra = (ORIGIN_KEYS if origins else ()) + (("links",) if any(card.links for card in cards) else ())
    headings = {**headings, **dict(zip(ORIGIN_KEYS, ORIGIN_HEADER[lang])), "links": LINK_HEADER[lang]}
    shown = [key for key in RANKING_COLUMNS + extra if names or key != "author"]
    ranked = sorted((card for card in cards if card.rank is not None), key=lambda card: (card.rank, card.order))
    _write_table(book.create_sheet(titles[1]), [headings[key] for key in shown],
                 [[_field(card, key) for key in shown] for card in ranked])
    shown = [key for key in DOMAIN_COLUMNS + extra if names or key != "author"]
    for (row_id, _, _), title in zip(rows, titles[2:]):
        in_row = sorted((card for card in cards if card.row == row_id),
                        key=lambda card: (card.domain_rank or UNRANKED, card.order))
        _write_table(book.create_sheet(title), [headings[key] for key in shown],
                     [[_field(card, key) for key in shown] for card in in_row])
    if others:
        shown_others = ["zone"] + [key for key in shown if key != "domain_rank"]
        _write_table(book.create_sheet(titles[len(rows) + 2]), [headings[key] for key in shown_others],
                     [[_field(card, key) for key in shown_others] for card in others])
    if rated:
        _write_table(book.create_sheet(titles[wanted.index(words["matrix"])]), [headings["card"]] + rating_header(board, lang),
                     [[card.text] + rating_values(board, card, lang, names) for card in rated])
    if marked:  # every card with who marked it with what, and who said it (MARK7)
        speakers = takes_speakers(board)
        header = [headings["zone"], headings["card"]] + mark_headers(board, lang) + ([SPEAKER_HEADER[lang]] if speakers else [])
        _write_table(book.create_sheet(titles[wanted.index(words["marks"])]), header,
                     [[card.zone_label, card.text, *card.marks] + ([card.speaker] if speakers else []) for card in cards])
    notes = note_rows(board, lang, names)
    if len(notes) > 1:  # the notes' sheet, with each note's card and kind (NOTE13)
        title = sheet_names(wanted + [words["notes"]])[-1]
        _write_table(book.create_sheet(title), notes[0], notes[1:])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _areas_xlsx(board, cards, lang, names):
    """The XLSX of a format without a Panorama (EXP7): "Vue d’ensemble" (a line per area, and per family
    on a canvas, with its cards), one sheet per area of the format holding cards (named after it), the
    ranking where the format votes, then the matrix, marks and notes as on any board."""
    words, area_words = TITLES[lang], AREA_WORDS[lang]
    families = has_families(board)
    areas = list(dict.fromkeys(card.area_label for card in cards))
    rated = [card for card in cards if card.ratings or card.kept] if rating_header(board, lang) else []
    marked = bool(mark_headers(board, lang)) or takes_speakers(board)
    voting = holds_vote(board)
    wanted = [area_words["overview"]] + areas + ([words["ranking"]] if voting else []) \
        + ([words["matrix"]] if rated else []) + ([words["marks"]] if marked else [])
    titles = dict(zip(wanted, sheet_names(wanted)))
    book = Workbook()
    overview = book.active
    overview.title = titles[area_words["overview"]]
    groups = list(dict.fromkeys((card.area_label, card.family_label) for card in cards))
    header = [area_words["zone"]] + ([area_words["family"]] if families else []) + [area_words["cards"]]
    lines = [[area] + ([family or (area_words["ungrouped"] if _on_canvas(cards, area) else "")] if families else [])
             + ["\n".join(card.text for card in cards if (card.area_label, card.family_label) == (area, family))]
             for area, family in groups]
    _write_table(overview, header, lines)
    keys = [key for key in area_columns(board, names) if key != "zone"]
    extra = (["origin_source", "origin_author", "origin_votes"] if any(card.origin for card in cards) else []) \
        + (["links"] if any(card.links for card in cards) else [])
    headings = {**area_words, **dict(zip(ORIGIN_KEYS, ORIGIN_HEADER[lang])), "links": LINK_HEADER[lang]}
    for area in areas:
        _write_table(book.create_sheet(titles[area]), [headings[key] for key in keys + extra],
                     [[_area_field(card, key) for key in keys + extra] for card in cards if card.area_label == area])
    if voting:
        shown = ["rank", "card", "zone"] + (["family"] if families else []) + ["dots", "kind", "team"] \
            + (["author"] if names else [])
        ranked = sorted((card for card in cards if card.rank is not None), key=lambda card: (card.rank, card.order))
        _write_table(book.create_sheet(titles[words["ranking"]]), [headings[key] for key in shown],
                     [[_area_field(card, key) for key in shown] for card in ranked])
    if rated:
        _write_table(book.create_sheet(titles[words["matrix"]]), [area_words["card"]] + rating_header(board, lang),
                     [[card.text] + rating_values(board, card, lang, names) for card in rated])
    if marked:
        speakers = takes_speakers(board)
        header = [area_words["zone"], area_words["card"]] + mark_headers(board, lang) + ([SPEAKER_HEADER[lang]] if speakers else [])
        _write_table(book.create_sheet(titles[words["marks"]]), header,
                     [[card.area_label, card.text, *card.marks] + ([card.speaker] if speakers else []) for card in cards])
    notes = note_rows(board, lang, names)
    if len(notes) > 1:
        _write_table(book.create_sheet(sheet_names(wanted + [words["notes"]])[-1]), notes[0], notes[1:])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _on_canvas(cards, area):
    """Whether an area holds families (a card of it is in one): its other cards are "Sans famille"."""
    return any(card.family_label for card in cards if card.area_label == area)


def _area_field(card, key):
    if key in ORIGIN_KEYS:
        return (card.origin or ("", "", ""))[ORIGIN_KEYS.index(key)]
    if key == "links":
        return card.links
    value = area_value(card, key)
    return None if value == "" and key == "rank" else value


def _field(card, key):
    if key in ORIGIN_KEYS:
        return (card.origin or ("", "", ""))[ORIGIN_KEYS.index(key)]
    return {"rank": card.rank, "domain_rank": card.domain_rank, "card": card.text, "domain": card.zone_label,
            "zone": card.zone_label, "category": card.column_label, "dots": card.dots, "kind": card.kind,
            "team": card.team, "author": card.author, "description": card.description, "links": card.links}[key]


def _write_grid(sheet, cards, rows, columns, words):
    """The Panorama as it hangs on the wall: a row per domain, a column per category, each cell the
    texts of its cards, one a line, best ranked first; free areas with cards follow as rows."""
    header = [words["domain"]] + [label for _, label in columns]
    lines = [[label] + ["\n".join(card.text for card in cards if card.row == row_id and card.column == column_id)
                        for column_id, _ in columns]
             for row_id, label, _ in rows]
    for zone_label in dict.fromkeys(card.zone_label for card in cards if card.row is None):
        lines.append([zone_label, "\n".join(card.text for card in cards if card.row is None
                                            and card.zone_label == zone_label)] + [""] * (len(columns) - 1))
    _write_table(sheet, header, lines, widths=[30] + [GRID_COLUMN_WIDTH] * len(columns))
    line = Side(style="thin", color="999999")  # the grid's cells drawn, as on the wall
    for row in sheet.iter_rows():
        for cell in row:
            cell.border = Border(left=line, right=line, top=line, bottom=line)


def _write_table(sheet, header, lines, widths=None):
    """A header row in bold, frozen, then the lines; text always a text cell; each column as wide as
    its longest line (or `widths`), up to WIDEST_COLUMN, and text that is wider, or on several lines, wraps."""
    for values in [header] + lines:
        sheet.append([_cell_value(value) for value in values])
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(line) for cell in column if cell.value is not None
                       for line in str(cell.value).split("\n")), default=0)
        width = widths[index - 1] if widths else min(max(longest, 4) + 2, WIDEST_COLUMN)
        sheet.column_dimensions[column[0].column_letter].width = width
        for cell in column:
            # Top-aligned: in a row made tall by wrapped text, every cell reads from the same line.
            wraps = isinstance(cell.value, str) and ("\n" in cell.value or len(cell.value) > width)
            cell.alignment = Alignment(vertical="top", wrap_text=wraps or None)
            if isinstance(cell.value, str):
                # openpyxl makes a formula of any text starting with "=": a participant's text never is one.
                cell.data_type = "s"
    bold = copy(DEFAULT_FONT)  # the workbook's font, bold: Font(bold=True) alone would lose its name
    bold.b = True
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    _fit_row_heights(sheet)
    # Printed: landscape, one page wide, the header row again on each page.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def _fit_row_heights(sheet):
    """Give a row with wrapped text the height of its tallest cell: neither Excel nor LibreOffice
    grows a row when opening a file, so without it the wrapped lines would be cut or overlap."""
    for row in sheet.iter_rows(min_row=1):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = sheet.column_dimensions[cell.column_letter].width or WIDEST_COLUMN
                # A character is about one width unit ("0" of the default font); 10 % spare for wider letters.
                lines = max(lines, sum(max(1, math.ceil(len(line) * 1.1 / width)) for line in cell.value.split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def _cell_value(value):
    """None stays an empty cell; text loses the control characters XML cannot carry."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value
