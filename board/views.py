"""HTTP pages and the JSON API: create a workshop, join it, open its links.

Links carry a secret token in their path; responses forbid referrers so the
token never leaks to another site, and run.py keeps it out of the access log.
"""
from functools import wraps
import logging
from pathlib import Path
import re
from urllib.parse import urlencode

from flask import (Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request,
                   send_from_directory)

from .domain import FACILITATOR, PARTICIPANT, PROJECTOR, Rejection, available_formats, read_format
from .domain.errors import (BAD_REQUEST, CONFLICT, DOOR_CLOSED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_LARGE,
                            UNAUTHORIZED, UNAVAILABLE)
from .domain.teams import NameTaken
from .limits import KeyedBuckets
from .qr import qr_svg
from .security import misdirected
from .sockets import ask_board_back, close_member_sockets
from .store import StoreError
from .routing import board_key
from .workshops import HELD_ELSEWHERE, HeldElsewhere
from .tokens import is_join_code, normalise_join_code, routable

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# The only files /vendor/ serves: name in the page -> path under node_modules.
VENDOR_FILES = {"socket.io.esm.min.js": "socket.io-client/dist/socket.io.esm.min.js"}
HTTP_STATUS = {BAD_REQUEST: 400, UNAUTHORIZED: 401, DOOR_CLOSED: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_LARGE: 413,
               RATE_LIMITED: 429, UNAVAILABLE: 503}
RETRY_AFTER_SECONDS = 5  # a refused write (a full or failing disk): worth trying again soon, not at once


def register(app):
    """Attach the pages, the API and the security headers to the app."""
    rate, burst = app.config["JOIN_RATE"]
    app.extensions["atelier_join_limit"] = KeyedBuckets(rate, burst)
    app.register_blueprint(bp)
    from . import http_synthesis  # its own module (the published synthesis); it imports this one
    http_synthesis.register(app)
    from . import http_desk  # imports this module: registered from here, once it is loaded
    http_desk.register(app)
    app.register_error_handler(404, _not_found)
    # The security headers and `Cache-Control: no-store` are set on every answer by
    # board.security.SecurityHeaders, around Flask and Socket.IO alike.
    app.before_request(_refuse_writes_when_read_only)
    app.before_request(_to_the_board_process)
    app.context_processor(lambda: {"read_only": bool(_workshops().store.read_only)})
    app.register_error_handler(StoreError, _store_failed)
    app.register_error_handler(HeldElsewhere, _held_elsewhere)


def _workshops():
    return current_app.extensions["atelier"].workshops


def _join_limit():
    """The per-address bucket shared by joining, creating and drawing join QR codes."""
    return current_app.extensions["atelier_join_limit"]


def own_address_only(view):
    """Refuse a secret page or answer asked for under a name that is not the server's (421): a
    DNS-rebinding page could otherwise read it with a stolen token, from its own origin."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_app.extensions["atelier_origins"].allows_host(request.environ):
            return _error(Rejection(FORBIDDEN, misdirected()["message"]), "page.wrong_address", status=421)
        return view(*args, **kwargs)
    return guarded


def _refuse_writes_when_read_only():
    """On a read-only database every POST (create, join, new link) is refused before it starts: 503,
    as JSON or as a page saying why; pages that only read still open, under their banner."""
    store = _workshops().store
    if store.read_only and request.method == "POST":
        rejection = Rejection(UNAVAILABLE, f"The database is read-only ({store.read_only}): "
                                           "nothing can be changed, joined or created.")
        if _wants_json():
            return jsonify(rejection.to_dict()), 503
        return render_template("error.html", rejection=rejection, message_key="page.read_only"), 503
    return None


BARE_TOKEN_PATH = re.compile(r"^/(f|p|s)/([A-Za-z0-9_-]{16,128})(/.*)?$")


def _to_the_board_process():
    """Routed over several processes (docs/deployment.md), every request about a board must come by
    the proxy's rule for it (routing.board_key), so it reaches the one process that serves the board.
    A link made before tokens carried their board (/f/<secret>), a join code and a bare bearer token
    name their board only once looked up: any process looks it up (read only) and answers a 307 to the
    same request with the board in its URL, which the proxy sends on. A board whose lease another
    process holds a moment longer (a failover, a hand-back) answers 503 with Retry-After (_held_elsewhere)."""
    workshops = _workshops()
    if not workshops.routed or request.path == "/healthz":  # asking where a board is must not move it
        return None
    key = board_key(request.path, request.args, request.headers)
    board_id = _board_named(workshops)
    if board_id is not None and board_id != key:
        bare = BARE_TOKEN_PATH.match(request.path)
        if bare:
            path = f"/{bare.group(1)}/{routable(board_id, bare.group(2))}{bare.group(3) or ''}"
            query = request.query_string.decode("latin-1")
        else:
            path = request.path
            query = urlencode([*((k, v) for k, v in request.args.items(multi=True) if k != "board"), ("board", board_id)])
        return redirect(f"{path}?{query}" if query else path, code=307)
    if key and workshops.store.join_code(key) is not None and workshops.serve(key) is None \
            and workshops.store.board_exists(key):  # (a code remembered of a board deleted elsewhere: 404)
        raise HeldElsewhere(key)  # answered by _held_elsewhere
    return None


def _board_named(workshops):
    """The board a request names by a bare token or a join code, or None."""
    bare = BARE_TOKEN_PATH.match(request.path)
    if bare:
        credential = workshops.credential(bare.group(2))
        return credential.board_id if credential else None
    header = request.headers.get("Authorization", "")
    if request.path == "/api/board" and header.startswith("Bearer "):
        credential = workshops.credential(header[7:])
        return credential.board_id if credential else None
    code = None
    if request.path.startswith("/j/"):
        code = request.path[3:]
    elif request.path == "/join":
        payload = request.get_json(silent=True) if request.is_json else request.form
        code = (payload.get("code") if isinstance(payload, dict) or hasattr(payload, "get") else None) \
            or request.args.get("code")
    if not isinstance(code, str):
        return None
    return workshops.store.board_by_code(normalise_join_code(code))


def _not_found(_error_404):
    """A dead or mistyped link (a removed participant's, an old workshop's): the site's own page, in the
    reader's language, saying what to do, instead of the framework's bare English "Not Found"."""
    return _error(Rejection(NOT_FOUND, "This link opens nothing here."), "page.dead_link")


def _store_failed(error):
    """A write the store refused (disk full, disk failing) outside a room: one log line, no traceback,
    and a 503 that says to come back."""
    log.warning("%s %s not stored, %s (%s)", request.method, request.path.split("/")[1] or "/", error.reason,
                error)
    return _error(Rejection(UNAVAILABLE, f"The server could not save this: {error.reason}. "
                                         "Nothing was changed; please try again in a moment."))


def _held_elsewhere(error):
    """A shared server's board another process serves right now (a router's stale route, a failover
    under way): a 503 that says to come back, never the dead link's 404. The proxy sends the board here
    now, so its holder is asked to let it go (sockets.ask_board_back)."""
    ask_board_back(error.board_id)
    return _error(Rejection(UNAVAILABLE, HELD_ELSEWHERE), "page.held_elsewhere")


def _wants_json():
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _base_url():
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def links(info, base_url):
    """The three links of a board: facilitator (secret), projector (read-only) and join."""
    return {"board_id": info["board_id"], "join_code": info["join_code"],
            "facilitator_url": f"{base_url}/f/{info['admin_token']}",
            "projector_url": f"{base_url}/s/{info['projector_token']}",
            "join_url": f"{base_url}/j/{info['join_code']}"}


def _error(rejection, message_key=None, status=None):
    """The refusal as JSON, or as a page whose text comes from the catalogue (`error.<code>` by default)."""
    status = status or HTTP_STATUS.get(rejection.code, 400)
    # A 503 says when to come back (clients and proxies read Retry-After).
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
    if _wants_json():
        return jsonify(rejection.to_dict()), status, headers
    key = message_key or f"error.{rejection.code}"
    return render_template("error.html", rejection=rejection, message_key=key), status, headers


def _member(token, role):
    """The credential and room a token opens for `role`, or a 404 (unknown tokens look absent)."""
    credential = _workshops().open(token)
    if credential is None or credential.role != role:
        abort(404)
    return credential, _workshops().room(credential.board_id)


@bp.get("/")
def home():
    """The home page: join a workshop with a code (participants come here first)."""
    return render_template("home.html")


@bp.get("/animer")
def facilitate():
    """The facilitators' entry, apart from the participants' way in: create a workshop from a format."""
    return render_template("facilitate.html", formats=_formats(), chosen={})


def _formats():
    """The packaged formats as /animer offers them: name, one-line summary, how many sequences and deck cards."""
    shown = []
    for name in available_formats():
        fmt = read_format(name)
        shown.append({"id": name, "name": fmt.document["name"], "summary": fmt.document.get("summary"),
                      "sequences": len(fmt.sequences), "cards": len(fmt.deck)})
    return shown


@bp.post("/workshops")
@own_address_only
def create_workshop():
    """Create a board; the facilitator is sent to their secret link (or gets the links as JSON)."""
    payload = request.get_json(silent=True) if request.is_json else request.form
    payload = payload if isinstance(payload, dict) or hasattr(payload, "get") else {}
    format_name = payload.get("format") or "atelier-competences"
    if format_name not in available_formats():
        return _error(Rejection(NOT_FOUND, f"Unknown format {str(format_name)[:40]!r}."))
    if not _join_limit().allow(request.remote_addr):
        return _error(Rejection(RATE_LIMITED, "Too many requests; wait a moment."))
    from . import http_desk  # the desk's half: details, and the facilitator's desk (DESK1, DESK5)
    try:
        details = http_desk.details_from(payload, format_name)
    except http_desk.BadDetails as bad:
        if _wants_json():
            return _error(Rejection(BAD_REQUEST, bad.message))
        return render_template("facilitate.html", formats=_formats(), chosen=payload, error_key=bad.key), 400
    info, desk_token = http_desk.create_on_desk(format_name, details, http_desk.wants_desk(payload))
    result = links(info, _base_url())
    if desk_token:
        result["desk_url"] = http_desk.desk_url(desk_token)
    if _wants_json():
        return http_desk.keep_desk(jsonify({"ok": True, **result}), desk_token), 201
    return http_desk.keep_desk(redirect(result["facilitator_url"], code=303), desk_token)


@bp.get("/j/<code>")
@bp.get("/join")
def join_form(code=""):
    """The join page: a display name (and the code, when not in the link); it says so when the door is closed."""
    code = code or request.args.get("code", "")
    return render_template("join.html", code=code, door_closed=_workshops().door_open(code) is False)


@bp.post("/join")
@own_address_only
def join():
    """Join with {code, name}: a participant token (JSON) or a redirect to the board."""
    payload = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(payload, dict) and not hasattr(payload, "get"):
        return _error(Rejection(BAD_REQUEST, "Send a code and a name."))
    if not _join_limit().allow(request.remote_addr):
        return _error(Rejection(RATE_LIMITED, "Too many joins from this address; wait a moment."))
    code, name = payload.get("code"), payload.get("name")
    if not isinstance(code, str) or not isinstance(name, str):
        return _error(Rejection(BAD_REQUEST, "Send a code and a name."))
    result = _workshops().join(code, name)
    if isinstance(result, NameTaken) and not _wants_json():
        # Back to the form, the code kept, with a free name offered in one click.
        return render_template("join.html", code=code, name=name.strip(), taken=result), 409
    if isinstance(result, Rejection) and result.code == NOT_FOUND and not _wants_json():
        # A mistyped code: the same form again, code and name kept, so one character is all to fix.
        return render_template("join.html", code=code.strip(), name=name.strip(), unknown_code=True), 404
    if isinstance(result, Rejection) and result.code == DOOR_CLOSED and not _wants_json():
        # A late arrival: the same form, code and name kept, saying the facilitator closed joining.
        return render_template("join.html", code=code.strip(), name=name.strip(), door_closed=True), 403
    if isinstance(result, Rejection):
        return _error(result)
    board_url = f"{_base_url()}/p/{result['token']}"
    if _wants_json():
        return jsonify({"ok": True, **result, "board_url": board_url}), 201
    return redirect(board_url, code=303)


@bp.get("/f/<token>")
@own_address_only
def facilitator(token):
    """The facilitator's console: join code, QR code and links, sequence, teams, people."""
    credential, _ = _member(token, FACILITATOR)
    info = _workshops().links_info(credential.board_id, _workshops().join_code(credential.board_id), token,
                                   credential.participant_id)
    board_links = {**links(info, _base_url()), "board_url": f"{_base_url()}/p/{info['admin_token']}"}
    return render_template("console.html", links=board_links)


@bp.post("/f/<token>/links")
@own_address_only
def rotate_links(token):
    """A new facilitator link (and projector link) for the board; the old ones open nothing from now
    on and their open sockets are closed. JSON gets the new links, a form is sent to the new console."""
    credential, _ = _member(token, FACILITATOR)
    info = _workshops().rotate_links(credential.board_id, old_token=token)
    if info is None:  # another request replaced this link a moment ago
        abort(404)
    close_member_sockets(current_app.extensions["atelier"], credential.board_id, info["replaced_members"],
                         "This workshop's facilitator link was replaced: this link no longer opens it.")
    result = links(info, _base_url())
    if _wants_json():
        return jsonify({"ok": True, **result}), 200
    return redirect(result["facilitator_url"], code=303)


@bp.post("/f/<token>/delete")
@own_address_only
def delete_workshop(token):
    """Delete the workshop for good, with every name, token, text and its whole log (RGPD).

    Only from the facilitator's secret link, and only as JSON {"delete": true}: a browser never sends
    that cross-site without asking first, and a stray form post cannot delete a workshop.
    """
    credential, _ = _member(token, FACILITATOR)
    payload = request.get_json(silent=True) if request.is_json else None
    if not isinstance(payload, dict) or payload.get("delete") is not True:
        return jsonify(Rejection(BAD_REQUEST, 'Send {"delete": true} as JSON to delete this workshop.').to_dict()), 400
    try:
        _workshops().delete(credential.board_id)
    except StoreError:
        refusal = Rejection(UNAVAILABLE, "The workshop could not be deleted now; nothing was deleted. Try again.")
        return jsonify(refusal.to_dict()), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return jsonify({"ok": True, "deleted": credential.board_id})


@bp.get("/p/<token>")
@own_address_only
def participant(token):
    """The live board for a participant (or the facilitator): Panorama, deck, cards to move and write."""
    credential = _workshops().open(token)
    if credential is None or credential.role not in (PARTICIPANT, FACILITATOR):
        abort(404)
    return render_template("participant.html", role=credential.role,
                           join_code=_workshops().join_code(credential.board_id))


@bp.get("/f/<token>/as/<participant_id>")
@own_address_only
def view_as(token, participant_id):
    """The live board exactly as one participant sees it, read-only, for the facilitator (VIEWAS1):
    the page's socket connects with the admin token and `view_as`; an unknown participant is 404."""
    credential, room = _member(token, FACILITATOR)
    member = room.read(lambda board, _: _participant_seen(board, participant_id))
    if member is None:
        abort(404)
    return render_template("participant.html", role=PARTICIPANT, view_as=member,
                           join_code=_workshops().join_code(credential.board_id))


def _participant_seen(board, participant_id):
    """{id, name, team} of a participant of `board` (the team's name, or None), or None."""
    member = board.participants.get(participant_id)
    if member is None or member.role != PARTICIPANT:
        return None
    team = board.teams.get(member.team) if member.team else None
    return {"id": member.id, "name": member.name, "team": team.name if team else None}


@bp.get("/s/<token>")
@own_address_only
def projector(token):
    """The projector's page: read-only, large type, the whole Panorama, live."""
    credential, _ = _member(token, PROJECTOR)
    code = _workshops().join_code(credential.board_id)
    return render_template("projector.html", join_code=code, join_url=f"{_base_url()}/j/{code}")


@bp.get("/qr/<code>.svg")
def join_qr(code):
    """A QR code of a join link, drawn here: the venue may have no internet.

    Drawn for any well-formed code, whether a board has it or not, and at joining's pace: only
    joining tells a code that opens a board from one that does not, so guessing is no faster here.
    """
    if not _join_limit().allow(request.remote_addr):
        return _error(Rejection(RATE_LIMITED, "Too many requests from this address; wait a moment."))
    code = normalise_join_code(code)
    if not is_join_code(code):
        abort(404)
    svg = qr_svg(f"{_base_url()}/j/{code}")
    # The same image for a code whatever the board: the browser may keep it (the console and the
    # projector draw it on every load), a shared cache may not.
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


@bp.get("/vendor/<name>")
def vendor(name):
    """Browser libraries installed from npm, served from node_modules (never a CDN)."""
    path = VENDOR_FILES.get(name)
    if path is None:
        abort(404)
    return send_from_directory(NODE_MODULES, path, mimetype="text/javascript")


@bp.get("/api/board")
@own_address_only
def board_snapshot():
    """The JSON snapshot of the board a bearer token opens, as that member may see it."""
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else None
    credential = _workshops().open(token)
    if credential is None:
        return jsonify(Rejection(UNAUTHORIZED, "A valid token is needed.").to_dict()), 401
    return jsonify(_workshops().room(credential.board_id).snapshot(credential.participant_id))


@bp.get("/healthz")
def health():
    """Liveness: the number of boards loaded; with ?board=<id>, whether this process serves that board
    now (held: its lease is this process's). Asked of each process directly, it tells where a board is,
    without loading it; only about a board the asker names, as nothing lists workshops (DESK)."""
    answer = {"ok": True, "boards": len(_workshops().board_ids())}
    if request.args.get("board"):
        answer["held"] = request.args["board"] in _workshops().board_ids()
    return jsonify(answer)


@bp.app_template_filter("label")
def label(value, language="fr"):
    """A {fr, en} label in the page's language."""
    return value.get(language) or value.get("fr", "") if isinstance(value, dict) else value
