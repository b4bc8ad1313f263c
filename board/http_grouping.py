"""Suggested groupings over HTTP: the families the board proposes for one zone's cards (GROUP4).

Read only: `GET /f/<token>/zones/<zone_id>/grouping` answers the facilitator's console with proposals
computed by board/grouping.py; nothing on the board changes. Accepting a proposal is the console's
`create_zone` command on the one write path, like any other change.
"""
from flask import Blueprint, current_app, jsonify, request

from .domain import FACILITATOR, Rejection
from .domain.errors import BAD_REQUEST, NOT_FOUND
from .views import _member, own_address_only

bp = Blueprint("grouping", __name__)
MAX_GROUPS = 50


def register(app):
    """Attach the suggested groupings' route to the app."""
    app.register_blueprint(bp)


def _refused(code, message, status):
    return jsonify(Rejection(code, message).to_dict()), status, {"Cache-Control": "no-store"}


def _groups_asked(raw):
    """The number of families asked for: None for automatic (absent, empty or `auto`), else 1-50."""
    if raw in (None, "", "auto"):
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_GROUPS:
        raise ValueError(f"groups: a whole number from 1 to {MAX_GROUPS}, or auto")
    return int(raw)


def _zone_cards(board, zone_id):
    """The cards lying in the zone, in board order; notes attached to a card go with it, not alone."""
    if zone_id not in board.zones:
        return None
    return [{"id": card.id, "text": card.text, "description": card.description or ""}
            for card in board.cards.values() if card.zone == zone_id and card.parent is None]


@bp.get("/f/<token>/zones/<zone_id>/grouping")
@own_address_only
def suggested_grouping(token, zone_id):
    """Proposed families for the cards of one zone (admin token), `?groups=N` (1-50) or automatic;
    labelled with the cards' own words, so in the language the board's cards are written in; changes
    nothing (GROUP4)."""
    _, room = _member(token, FACILITATOR)
    try:
        groups = _groups_asked(request.args.get("groups"))
    except ValueError as error:
        return _refused(BAD_REQUEST, str(error), 400)
    cards = room.read(lambda board, _: _zone_cards(board, zone_id))
    if cards is None:
        return _refused(NOT_FOUND, f"zone_id: no zone {zone_id!r} on this board", 404)
    from .grouping import MAX_CARDS, suggest_groups  # scikit-learn loads on the first suggestion, not at start
    if len(cards) > MAX_CARDS:
        return _refused(BAD_REQUEST, f"zone_id: {len(cards)} cards, at most {MAX_CARDS} can be grouped at once", 400)
    run_blocking = current_app.config.get("RUN_BLOCKING") or (lambda fn, *args: fn(*args))
    # Off the event loop (a thread under eventlet): the library's first import takes a second.
    suggestion = run_blocking(suggest_groups, cards, groups)
    return jsonify({"ok": True, "zone_id": zone_id, "groups": groups, "cards": len(cards), **suggestion}), 200, {
        "Cache-Control": "no-store"}
