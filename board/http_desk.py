"""The facilitator's desk over HTTP: "my workshops", and creating a workshop with its details.

Routes (docs/http.md): GET /bureau (the desk this browser keeps in its cookie), GET /bureau/<token>
(the desk's private link, for another device), and the templates' actions. Every desk answer is
secret: `own_address_only`, `no-store` (the default), rate limited per address like joining, and an
unknown desk token is the same 404 as any dead link.
"""
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request

from .desks import COOKIE, COOKIE_MAX_AGE, TEMPLATE_NAME_MAX, TEMPLATES_PER_DESK, Desks
from .domain import FACILITATOR, InvalidCommand, Rejection
from .domain.commands import PLACE_MAX, TITLE_MAX, trimmed_text, workshop_date
from .domain.documents import DocumentError, template_document
from .domain.errors import BAD_REQUEST, CONFLICT, RATE_LIMITED
from .domain.formats import read_format
from .tokens import token_hash
from .views import _base_url, _error, _join_limit, _member, _wants_json, _workshops, links, own_address_only

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


def details_from(payload, format_name=None, default_title=None):
    """The details {title, date, place} a create form or JSON asks for: an empty title is
    `default_title`, else the format's name. Raises BadDetails naming the field at fault."""
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
        title = default_title or read_format(format_name).document["name"]["fr"]
    return {"title": title, "date": date or None, "place": place}


def create_on_desk(format_name, details, on_desk):
    """Create the workshop, on this browser's desk (minted if it has none) when `on_desk`.
    Returns (links info, the desk's token or None)."""
    if not on_desk:
        return _workshops().create(format_name, details=details), None
    return desks().create_workshop(request.cookies.get(COOKIE), format_name, details)


def put_on_this_desk(info):
    """Put a workshop just created another way (from a file at /animer) on this browser's desk, minted
    when it has none; the desk's token, for `keep_desk`."""
    return desks().adopt(request.cookies.get(COOKIE), info["board_id"])


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
    from .http_campaign import campaigns  # the campaigns created from this desk (COORD2)
    owned = [{**c, "url": f"{base}/c/{c['token']}" if c["token"] else None} for c in campaigns().on_desk(desk_hash)]
    return render_template("desk.html", workshops=rows, templates=templates, desk_url=desk_url(token), token=token,
                           campaigns=owned)


def _template_summary(document):
    """What the desk says of a template (documents.template_document): its format's name, how many
    deck cards and teams it holds, and the title it gives."""
    fmt = document.get("format") or {}
    return {"format": fmt.get("name") or {}, "cards": len(document.get("deck") or []),
            "teams": len(document.get("teams") or []), "title": (document.get("details") or {}).get("title") or ""}


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


# -- templates: the console saves one on the desk, the desk starts a workshop from one (DESK8, DESK9)

@bp.post("/f/<token>/template")
@own_address_only
def save_template(token):
    """Save the workshop's preparation (documents.template_document: format and labels, deck, teams,
    vote settings, options, material, title and place) as a template on the desk the workshop is on;
    a workshop on no desk (the demo, a script's) goes on this browser's desk, minted if it has none."""
    credential, room = _member(token, FACILITATOR)
    refusal = _limited()
    if refusal:
        return refusal
    payload = request.get_json(silent=True) if request.is_json else request.form
    payload = payload if hasattr(payload, "get") else {}
    title = room.read(lambda board, _: (getattr(board, "details", None) or {}).get("title") or "")
    try:
        name = trimmed_text(TEMPLATE_NAME_MAX, allow_empty=True)("name", payload.get("name") or "") or title
    except InvalidCommand as error:
        return _error(error.rejection)
    desk_hash, minted = desks().owner(credential.board_id), None
    if desk_hash is None:
        minted = desks().adopt(request.cookies.get(COOKIE), credential.board_id)
        desk_hash = token_hash(minted)
    if len(desks().templates(desk_hash)) >= TEMPLATES_PER_DESK:
        return _error(Rejection(CONFLICT, f"This desk already holds {TEMPLATES_PER_DESK} templates: "
                                          "delete one from “Mes ateliers” first."))
    document = room.read(lambda board, _: template_document(board, exported_at=_now()))
    template_id = desks().save_template(desk_hash, name or "Modèle", document)
    return keep_desk(jsonify({"ok": True, "template_id": template_id, "name": name or "Modèle"}), minted), 201


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@bp.post("/bureau/<token>/templates/<template_id>/start")
@own_address_only
def start_from_template(token, template_id):
    """A new workshop from one of the desk's templates (the same format, labels, deck, teams and settings),
    on the same desk, with the title, date and place the form gives (else the template's title and place)."""
    refusal = _limited()
    if refusal:
        return refusal
    desk_hash = desks().open(token)
    template = desks().template(desk_hash, template_id) if desk_hash else None
    if template is None:
        abort(404)
    payload = request.get_json(silent=True) if request.is_json else request.form
    payload = payload if hasattr(payload, "get") else {}
    summary = _template_summary(template["document"])
    try:
        details = details_from(payload, default_title=summary["title"] or template["name"])
    except BadDetails as bad:
        return _error(Rejection(BAD_REQUEST, bad.message))
    kept = template["document"].get("details") or {}
    details["place"] = details["place"] or kept.get("place") or ""  # the template's place unless another is given
    try:
        # The details go in the board's first rows: on a shared server (several processes) the board is
        # served by the process its links reach, not necessarily this one, which keeps nothing of it.
        info = _workshops().create_from_document({**template["document"], "details": details})
    except DocumentError as error:  # a template this server can no longer read (another version's)
        return _error(Rejection(CONFLICT, f"This template cannot start a workshop here: {error}"))
    desks().put_on_desk(desk_hash, info["board_id"])
    result = links(info, _base_url())
    if _wants_json():
        return jsonify({"ok": True, **result}), 201
    return redirect(result["facilitator_url"], code=303)


@bp.post("/bureau/<token>/templates/<template_id>/delete")
@own_address_only
def delete_template(token, template_id):
    """Delete one of the desk's templates (its workshops stay)."""
    refusal = _limited()
    if refusal:
        return refusal
    desk_hash = desks().open(token)
    if desk_hash is None or not desks().delete_template(desk_hash, template_id):
        abort(404)
    if _wants_json():
        return jsonify({"ok": True, "deleted": template_id})
    return redirect(f"/bureau/{token}#templates", code=303)
