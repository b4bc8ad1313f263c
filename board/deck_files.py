"""Reading a deck file the facilitator brings: bytes and a file name in, rows of text out.

A CSV saved by French Excel or LibreOffice (UTF-8 with or without BOM, or Windows-1252, `;`) or
an English one (`,`), an XLSX workbook (its first sheet, read with openpyxl), a JSON file (a list
of cards or {"cards": [...]}), or pasted lines (a title, and a description after a tab or " — ").
Each row is {line, text, description, domain, category}: `line` is the row number the facilitator
sees in their spreadsheet (the header is line 1), so the preview can name it. Nothing here judges
a card; board/domain/deck.py does. Anything unreadable raises DeckFileError with a sentence to show.
"""
import csv
import io
import json
import zipfile

from .domain.deck import MAX_CARDS, fold

MAX_FILE_BYTES = 4 * 1024 * 1024  # a 1,000-card deck with long descriptions is well under 2 MB
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # an XLSX is a zip: a small file must not unpack into gigabytes
# Column names, folded (accents, case, spaces ignored), French and English, in any order.
COLUMNS = {
    "text": ("titre", "title", "intitule", "libelle", "carte", "card", "competence", "texte", "text", "nom", "name"),
    "description": ("description", "descriptif", "desc", "definition", "detail", "details"),
    "domain": ("domaine", "domain", "ligne", "row"),
    "category": ("categorie", "category", "colonne", "column", "type"),
}
PASTE_SEPARATORS = ("\t", " — ", " – ")


class DeckFileError(ValueError):
    """A file that cannot be read as a deck: `message` says why (in English, for logs and scripts),
    `reason` names it for the console's catalogue (deck_import.reason.<reason>), `params` fill it."""

    def __init__(self, message, code="bad_request", reason="unreadable", **params):
        super().__init__(message)
        self.code, self.reason, self.params = code, reason, params


def read_deck(data, filename=""):
    """The rows of a deck file (bytes), by its name and its content; DeckFileError when unreadable."""
    if len(data) > MAX_FILE_BYTES:
        raise DeckFileError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", "too_large", "too_big", mb=MAX_FILE_BYTES // (1024 * 1024))
    name = (filename or "").lower()
    if not data.strip():
        raise DeckFileError("The file is empty.", reason="empty")
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return _limited(_read_xlsx(data))
    if name.endswith((".xls", ".ods", ".numbers", ".pdf", ".docx")):
        raise DeckFileError("This kind of file is not read here: save it as CSV or XLSX.", reason="kind")
    if b"\x00" in data:
        raise DeckFileError("This file is not text, a CSV, an XLSX or a JSON file.", reason="not_text")
    text = _decode(data)
    if name.endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return _limited(_read_json(text))
    return _limited(_read_csv(text))


def read_pasted(text):
    """The rows of pasted lines: one card a line, a title then an optional description after a
    tab or " — " (a header line naming columns, as copied from a spreadsheet, is read as a CSV)."""
    if not isinstance(text, str) or not text.strip():
        raise DeckFileError("Nothing was pasted.", reason="nothing")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise DeckFileError(f"The text is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", "too_large", "too_big",
                            mb=MAX_FILE_BYTES // (1024 * 1024))
    first = text.lstrip("\ufeff").splitlines()[0]
    if "\t" in first and _header(next(csv.reader([first], delimiter="\t"))).get("text") is not None:
        return _limited(_read_csv(text))
    rows = []
    for line, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        title, description = raw, ""
        for separator in PASTE_SEPARATORS:
            if separator in raw:
                title, description = raw.split(separator, 1)
                break
        rows.append({"line": line, "text": title.strip(), "description": description.strip(),
                     "domain": "", "category": ""})
    return _limited(rows)


def _limited(rows):
    if len(rows) > MAX_CARDS:
        raise DeckFileError(f"The file holds {len(rows)} cards; at most {MAX_CARDS} are imported at once.",
                            "too_large", "too_many", count=len(rows), max=MAX_CARDS)
    return rows


def _decode(data):
    """UTF-8 (with or without its BOM), else Windows-1252, as French Excel saves CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DeckFileError("The file's text is not valid UTF-16.", reason="encoding") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DeckFileError("The file's text is neither UTF-8 nor Windows-1252: save it again as "
                            "\"CSV UTF-8\".", reason="encoding") from error


def _header(cells):
    """{field: column index} for the columns named in a header row (the first of each name)."""
    found = {}
    for index, cell in enumerate(cells):
        name = fold(cell if cell is not None else "").replace(" ", "")
        for key, names in COLUMNS.items():
            if name in names and key not in found:
                found[key] = index
    return found


def _rows_from_table(table):
    """Rows from (line number, cells) pairs whose first non-empty one is the header."""
    header, rows = None, []
    for line, cells in table:
        cells = ["" if cell is None else _cell_text(cell) for cell in cells]
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is no card, and no problem
        if header is None:
            header = _header(cells)
            if "text" not in header:
                raise DeckFileError("No title column: the first line must name the columns, e.g. "
                                    "titre; description; domaine; catégorie (or title, description, "
                                    "domain, category).", reason="no_title")
            continue
        rows.append({key: (cells[header[key]].strip() if key in header and header[key] < len(cells) else "")
                     for key in COLUMNS} | {"line": line})
    if header is None:
        raise DeckFileError("The file is empty.", reason="empty")
    return rows


def _cell_text(cell):
    """A spreadsheet cell as text: 12.0 is "12", a date its ISO form."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return str(cell)


def _read_csv(text):
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header says the separator: French Excel writes ";", English ",", a paste from a sheet tabs.
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        return _rows_from_table((number, cells) for number, cells in enumerate(reader, start=1))
    except csv.Error as error:
        raise DeckFileError(f"This CSV file cannot be read ({error}).", reason="csv") from error


def _read_json(text):
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise DeckFileError(f"This JSON file cannot be read ({str(error)[:100]}).", reason="json") from error
    cards = document.get("cards") if isinstance(document, dict) else document
    if not isinstance(cards, list):
        raise DeckFileError('A JSON deck is a list of cards, or {"cards": [...]}.', reason="json_shape")
    rows = []
    for line, card in enumerate(cards, start=1):
        row = {"line": line, "text": "", "description": "", "domain": "", "category": ""}
        if isinstance(card, str):
            row["text"] = card
        elif isinstance(card, dict):
            for key, value in card.items():
                for field, names in COLUMNS.items():
                    if fold(str(key)).replace(" ", "") in names and not row[field] and value is not None:
                        row[field] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append(row)
    return rows


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise DeckFileError("This workbook unpacks into too much data to be a deck.", "too_large", "unzipped")
        if "xl/workbook.xml" not in archive.namelist():
            raise DeckFileError("This zip file is not an XLSX workbook: save the deck as XLSX or CSV.", reason="not_xlsx")
    except zipfile.BadZipFile as error:
        raise DeckFileError("This file is not a readable XLSX workbook: save the deck as XLSX or CSV.",
                            reason="not_xlsx") from error
    from openpyxl import load_workbook  # imported when a workbook comes: it is slow to load
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            table = enumerate(sheet.iter_rows(values_only=True), start=sheet.min_row or 1)
            return _rows_from_table(table)
        finally:
            workbook.close()
    except DeckFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise DeckFileError(f"This XLSX workbook cannot be read ({type(error).__name__}).", reason="not_xlsx") from error
