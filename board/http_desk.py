"""The facilitator's desk over HTTP: "my workshops", and creating a workshop with its details.

Routes (docs/http.md): GET /bureau (the desk this browser keeps in its cookie), GET /bureau/<token>
(the desk's private link, for another device), and the templates' actions. Every desk answer is
secret: `own_address_only`, `no-store` (the default), rate limited per address like joining, and an
unknown desk token is the same 404 as any dead link.
"""
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request

from .desks import COOKIE, COOKIE_MAX_AGE, Desks
from .domain import InvalidCommand, Rejection
from .domain.commands import PLACE_MAX, TITLE_MAX, trimmed_text, workshop_date
from .domain.errors import RATE_LIMITED
from .domain.formats import read_format
from .views import _base_url, _error, _join_limit, _wants_json, _workshops, links, own_address_only

bp = Blueprint("desk", __name__)


def register(app):
    """Attach the desk's routes; its Desks service lives beside the workshops."""
    app.extensions["atelier_desks"] = Desks(app.extensions["atelier"].workshops)
    app.register_blueprint(bp)


def desks():
    """This app's Desks."""
    return current_app.extensions["atelier_desks"]


# -- creating a workshop with its details (POST /workshops, in views.py, calls these)

class BadDetails(ValueError):
    """A title, date or place the form cannot take; `key` is its message in the catalogue."""

    def __init__(self, key, message):
        super().__init__(message)
        self.key, self.message = key, message


def details_from(payload, format_name):
    """The details {title, date, place} a create form or JSON asks for: an empty title is the format's
    name. Raises BadDetails naming the field at fault."""
    def field(name, check, key):
        value = payload.get(name)
        if value is None:
            value = ""
        try:
            return check(name, value)
        except InvalidCommand as error:
            raise BadDetails(key, error.rejection.message) from None
    title = field("title", trimmed_text(TITLE_MAX, allow_empty=True), "create.bad_title")
    date = field("date", workshop_date, "create.bad_date")
    place = field("place", trimmed_text(PLACE_MAX, allow_empty=True), "create.bad_place")
    if not title:
        title = read_format(format_name).document["name"]["fr"]
    return {"title": title, "date": date or None, "place": place}


def create_on_desk(format_name, details, on_desk):
    """Create the workshop, on this browser's desk (minted if it has none) when `on_desk`.
    Returns (links info, the desk's token or None)."""
    if not on_desk:
        return _workshops().create(format_name, details=details), None
    return desks().create_workshop(request.cookies.get(COOKIE), format_name, details)


def wants_desk(payload):
    """A browser's form always works from a desk; a script's JSON only when it asks or already has one."""
    if not _wants_json():
        return True
    return payload.get("desk") is True or desks().open(request.cookies.get(COOKIE)) is not None


def keep_desk(response, token):
    """Let the browser keep its desk: HttpOnly (no script reads it), SameSite=Lax (no cross-site post
    carries it), not Secure (the venue's network is plain http)."""
    if token:
        response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="Lax")
    return response


def desk_url(token):
    """The desk's private link."""
    return f"{_base_url()}/bureau/{token}"


# -- the desk's pages

def _limited():
    """Guessing desk tokens goes no faster than guessing join codes: the same per-address bucket."""
    if _join_limit().allow(request.remote_addr):
        return None
    return _error(Rejection(RATE_LIMITED, "Too many requests from this address; wait a moment."))


def _desk_page(token, desk_hash):
    rows = desks().listing(desk_hash)
    base = _base_url()
    for row in rows:
        row["console_url"] = links(row["links"], base)["facilitator_url"] if row["links"] else None
    templates = [{**t, "summary": _template_summary(t["document"])} for t in desks().templates(desk_hash)]
    return render_template("desk.html", workshops=rows, templates=templates, desk_url=desk_url(token), token=token)


def _template_summary(document):
    """What the desk says of a template: its format's name and how many deck cards it holds."""
    board = document.get("board", document) if isinstance(document, dict) else {}
    fmt = board.get("format") or {}
    cards = [c for c in board.get("cards") or [] if isinstance(c, dict) and c.get("kind") == "deck"]
    return {"format": fmt.get("name") or {}, "cards": len(cards)}


@bp.get("/bureau")
@own_address_only
def my_desk():
    """The desk this browser keeps (its cookie); without one, how to get one."""
    refusal = _limited()
    if refusal:
        return refusal
    token = request.cookies.get(COOKIE)
    desk_hash = desks().open(token)
    if desk_hash is None:
        return render_template("desk.html", workshops=None, templates=None, desk_url=None, token=None)
    return _desk_page(token, desk_hash)


@bp.get("/bureau/<token>")
@own_address_only
def desk_by_link(token):
    """The desk's private link: the same page, and this browser keeps the desk from now on."""
    refusal = _limited()
    if refusal:
        return refusal
    desk_hash = desks().open(token)
    if desk_hash is None:
        abort(404)
    return keep_desk(current_app.make_response(_desk_page(token, desk_hash)), token)
