"""The board as a JSON file over HTTP: its export, its template, and a workshop created from either.

Thin: documents.py writes and checks the documents, Workshops.create_from_document makes the board.
"""
from datetime import datetime, timezone

from flask import Blueprint, Response, jsonify, redirect, render_template, request

from .domain import FACILITATOR, Rejection
from .domain.documents import (MAX_DOCUMENT_BYTES, DocumentError, board_document, read_document, template_document,
                               template_from_format, to_json)
from .domain.errors import BAD_REQUEST, RATE_LIMITED, TOO_LARGE
from .export import with_names
from .views import _base_url, _formats, _join_limit, _member, _wants_json, _workshops, links, own_address_only

bp = Blueprint("documents", __name__)
# A form's upload carries its file plus a little of multipart's own: what may arrive before reading stops.
UPLOAD_OVERHEAD = 64 * 1024


def register(app):
    """Attach the documents' routes to the app."""
    app.register_blueprint(bp)


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _download(document, filename):
    return Response(to_json(document), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/f/<token>/export.json")
@own_address_only
def export_json(token):
    """The whole board as a JSON document (DOC1); anonymous participants' names become aliases unless
    `?names=1` (DOC5, as the CSV export's ANON5)."""
    _, room = _member(token, FACILITATOR)
    asked = request.args.get("names") == "1"
    document = room.read(lambda board, _: board_document(board, with_names(board, asked), exported_at=_now()))
    return _download(document, "atelier.json")


@bp.get("/f/<token>/template.json")
@own_address_only
def template_json(token):
    """The board's preparation as a template document (DOC6): no participant, no result."""
    _, room = _member(token, FACILITATOR)
    document = room.read(lambda board, _: template_document(board, exported_at=_now()))
    return _download(document, "modele-atelier.json")


@bp.post("/workshops/document")
@own_address_only
def create_from_document():
    """Create a workshop from a document (DOC2, DOC3): a form's uploaded file `document`, or the JSON
    document as the request's body. A form is sent to the new console, or gets /animer again with the
    problem named; JSON gets the links (201) or the error."""
    return _create_from_upload("document", lambda document: document, "a workshop export or a template")


@bp.post("/workshops/format")
@own_address_only
def create_from_format():
    """Create a workshop from a format file a facilitator wrote (docs/formats.md): a form's uploaded file
    `format_file`, or the format as the request's JSON body. The format goes through the template's road
    (documents.template_from_format, then create_from_document); a bad one is refused with the format's
    own path and reason, on /animer again or as JSON, and nothing is created."""
    return _create_from_upload("format_file", template_from_format, "a workshop format", error_field="format_error")


def _create_from_upload(field, to_document, what, error_field="document_error"):
    """The upload read, turned into a document by `to_document`, and the workshop made from it."""
    refused = lambda rejection, status: _refused(rejection, status, error_field)  # noqa: E731
    if not _join_limit().allow(request.remote_addr):
        return refused(Rejection(RATE_LIMITED, "Too many requests; wait a moment."), 429)
    if (request.content_length or 0) > MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD:
        # Refused before reading: a 10 MB file costs the server nothing.
        return refused(Rejection(TOO_LARGE, f"file: is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"), 413)
    raw = _uploaded(field)
    if raw is None:
        return refused(Rejection(BAD_REQUEST, f"file: choose a .json file ({what})"), 400)
    try:
        info = _workshops().create_from_document(to_document(read_document(raw)))
    except DocumentError as error:
        code = TOO_LARGE if error.path == "file" and "larger" in str(error) else BAD_REQUEST
        return refused(Rejection(code, str(error)), 413 if code == TOO_LARGE else 400)
    result = links(info, _base_url())
    if _wants_json() or request.is_json:
        return jsonify({"ok": True, **result}), 201
    from . import http_desk  # a browser's workshop goes on its desk, "Mes ateliers" (DESK5)
    return http_desk.keep_desk(redirect(result["facilitator_url"], code=303), http_desk.put_on_this_desk(info))


def _uploaded(field):
    """The bytes of the document sent: the form's file `field`, or the JSON body; None when nothing was sent."""
    if request.is_json:
        return request.get_data(cache=False)
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(MAX_DOCUMENT_BYTES + 1)


def _refused(rejection, status, error_field="document_error"):
    """The refusal: JSON, or the facilitators' page again with the problem named above its form."""
    if _wants_json() or request.is_json:
        return jsonify(rejection.to_dict()), status
    return render_template("facilitate.html", formats=_formats(), **{error_field: rejection.message}), status

