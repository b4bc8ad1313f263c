"""The facilitator's deck import over HTTP: a preview of a file, then its import as one command.

A deck file is too large for a socket command (8 KB), so the console posts it here, twice: first
for the preview (nothing changes), then for the import, which reads the file again and submits one
`import_deck` command through the board's room, the write path of every change, where the domain
checks every line again (board/domain/deck.py). Either answer is JSON, never a server error page.
"""
import json
import logging

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .deck_files import MAX_FILE_BYTES, DeckFileError, read_deck, read_pasted
from .domain import FACILITATOR, InvalidCommand, Rejection, parse_command
from .domain.commands import ID_PATTERN
from .domain.deck import ADD, MODES, outcome
from .domain.errors import SEQUENCE_CLOSED, TOO_LARGE
from .views import HTTP_STATUS, _member, own_address_only

log = logging.getLogger(__name__)
bp = Blueprint("deck", __name__)
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 64 * 1024  # the file, its form fields and their boundaries
STATUS = {**HTTP_STATUS, SEQUENCE_CLOSED: 409}


def register(app):
    """Attach the deck import routes to the app."""
    app.register_blueprint(bp)


def _refused(rejection, reason=None, params=None):
    """The refusal as JSON; a file's fault also names its `reason` (and `params`) for the console's words."""
    extra = {"reason": reason, "params": params or {}} if reason else {}
    return jsonify({**rejection.to_dict(), **extra}), STATUS.get(rejection.code, 400)


def _rows_and_mode():
    """(rows, mode, command id, source name) from a multipart form (`file` or `text`) or JSON
    ({text} or {cards}); raises DeckFileError with what to tell the facilitator."""
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        raise DeckFileError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", TOO_LARGE, "too_big",
                            mb=MAX_FILE_BYTES // (1024 * 1024))
    request.max_content_length = MAX_REQUEST_BYTES
    request.max_form_memory_size = MAX_REQUEST_BYTES  # pasted text comes as a form field
    try:
        if request.is_json:
            payload = request.get_json(silent=True)
            if not isinstance(payload, dict):
                raise DeckFileError("Send a file, pasted text, or JSON {mode, text} or {mode, cards}.", reason="nothing")
            fields, upload = payload, None
        else:
            fields, upload = request.form, request.files.get("file")
    except RequestEntityTooLarge as error:
        raise DeckFileError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", TOO_LARGE, "too_big",
                            mb=MAX_FILE_BYTES // (1024 * 1024)) from error
    mode = fields.get("mode") or ADD
    if mode not in MODES:
        raise DeckFileError("Choose to replace the deck or to add to it (mode: replace or add).", reason="request")
    command_id = fields.get("command_id")
    if command_id is not None and (not isinstance(command_id, str) or not ID_PATTERN.fullmatch(command_id)):
        raise DeckFileError("The command id must be letters, digits or '_:/.-', at most 64.", reason="request")
    if upload is not None and upload.filename:
        data = upload.stream.read(MAX_FILE_BYTES + 1)
        return read_deck(data, upload.filename), mode, command_id, upload.filename
    if isinstance(fields.get("cards"), list):  # a JSON body holding the cards themselves
        return read_deck(json.dumps(fields["cards"]).encode(), "cards.json"), mode, command_id, "JSON"
    text = fields.get("text")
    if isinstance(text, str) and text.strip():
        return read_pasted(text), mode, command_id, None
    raise DeckFileError("Choose a file (CSV, XLSX or JSON) or paste one card a line.", reason="nothing")


def _read_request():
    """What `_rows_and_mode` reads, or the DeckFileError to answer: never a 500, whatever the bytes."""
    try:
        return _rows_and_mode(), None
    except DeckFileError as error:
        return None, error
    except Exception as error:  # a reader's bug on some strange file: the facilitator still gets a sentence
        log.warning("a deck file could not be read (%s)", type(error).__name__, exc_info=error)
        return None, DeckFileError("This file cannot be read as a deck: save it as CSV UTF-8 or XLSX.")


@bp.post("/f/<token>/deck/preview")
@own_address_only
def preview(token):
    """What an import of this file would do, changing nothing: the cards, each bad line with its
    reason, what happens to the deck, and whether the import would be refused as a whole."""
    _, room = _member(token, FACILITATOR)
    read, fault = _read_request()
    if fault is not None:
        return _refused(Rejection(fault.code, str(fault)), fault.reason, fault.params)
    rows, mode, _, source = read
    answer = room.read(lambda board, _history: outcome(board, rows, mode))
    whole = answer.pop("refusal")
    return jsonify({"ok": True, "source": source, **answer,
                    "refusal": whole.to_dict() if whole is not None else None})


@bp.post("/f/<token>/deck/import")
@own_address_only
def import_deck(token):
    """Import the file's good lines (replace or add) with one `import_deck` command: durable and
    broadcast before this answers {ok, version, imported, skipped, removed}."""
    credential, room = _member(token, FACILITATOR)
    read, fault = _read_request()
    if fault is not None:
        return _refused(Rejection(fault.code, str(fault)), fault.reason, fault.params)
    rows, mode, command_id, _ = read
    try:
        command = parse_command("import_deck", {"mode": mode, "cards": rows})
    except InvalidCommand as error:
        return _refused(error.rejection)
    answer = room.submit(credential.participant_id, command, command_id)
    if not answer.get("ok"):
        return jsonify(answer), STATUS.get(answer.get("code"), 400)
    data = room.read(lambda _board, history: next(
        (e["data"] for e in reversed(history) if e["version"] == answer["version"]), None))
    summary = {"imported": len(data["cards"]), "skipped": data["skipped"], "removed": len(data["removed"])} \
        if data and "cards" in data else {}
    return jsonify({**answer, **summary})
