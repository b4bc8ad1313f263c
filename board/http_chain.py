"""Boards that feed each other over HTTP: what a board offers to carry on, and the new board made of it.

Thin: chain.py lists the cards and presets and builds the new deck's template document; the new board is
made by Workshops.create_from_document (documents.py's checks, the one write path). Both routes open
only with the facilitator's token; the source board is read, never changed (CHAIN1-CHAIN7).
"""
from flask import Blueprint, jsonify, request

from .domain import FACILITATOR, Rejection, available_formats, read_format
from .domain.chain import ChainError, deck_template, listing, presets
from .domain.documents import DocumentError
from .domain.errors import BAD_REQUEST, RATE_LIMITED
from .views import _base_url, _join_limit, _member, _workshops, links, own_address_only

bp = Blueprint("chain", __name__)


def register(app):
    """Attach the chain's routes to the app."""
    app.register_blueprint(bp)


@bp.get("/f/<token>/chain")
@own_address_only
def offer(token):
    """What the console's "carry on" dialog shows: the cards that may be carried (listed, never a
    participant's name), the presets that tick some of them, and the packaged formats (CHAIN1)."""
    _, room = _member(token, FACILITATOR)
    answer = room.read(lambda board, _: {"cards": listing(board), "presets": presets(board),
                                         "format": board.format.id, "title": board.details.get("title") or ""})
    formats = [{"id": name, "name": read_format(name).document["name"]} for name in available_formats()]
    return jsonify({"ok": True, **answer, "formats": formats})


@bp.post("/f/<token>/chain")
@own_address_only
def carry_on(token):
    """A new board whose deck is the chosen cards, in the chosen format (CHAIN2): JSON
    `{card_ids, format, title?}`; `201` with the new board's links, or the field at fault."""
    credential, room = _member(token, FACILITATOR)
    if not _join_limit().allow(request.remote_addr):  # a new workshop, counted as /workshops counts them
        return jsonify(Rejection(RATE_LIMITED, "Too many requests; wait a moment.").to_dict()), 429
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _refused("body: send a JSON object {card_ids, format, title?}")
    name = payload.get("format")
    if not isinstance(name, str) or name not in available_formats():
        return _refused(f"format: must be one of {', '.join(available_formats())}")
    title = payload.get("title")
    if title is not None and not isinstance(title, str):
        return _refused("title: must be a text")
    fmt = read_format(name).document
    try:
        document = room.read(lambda board, _: deck_template(board, payload.get("card_ids"), fmt, title))
        info = _workshops().create_from_document(document)
    except (ChainError, DocumentError) as error:
        return _refused(str(error))
    from . import http_desk  # the new workshop goes on the source's desk, else on this browser's (DESK5)
    desk = http_desk.desks().owner(credential.board_id) or http_desk.desks().open(request.cookies.get(http_desk.COOKIE))
    if desk is not None:
        http_desk.desks().put_on_desk(desk, info["board_id"])
    response = jsonify({"ok": True, **links(info, _base_url())})
    return response, 201


def _refused(message):
    return jsonify(Rejection(BAD_REQUEST, message).to_dict()), 400
