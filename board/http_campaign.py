"""Campaigns over HTTP: the coordinator's pages and actions (spec CAMP, docs/campaigns.md).

Routes (docs/http.md): GET /campagnes (the form), POST /campaigns (create), and under the coordinator's
secret link /c/<token>: the page, its boards (POST .../boards), the handout (GET .../handout.json), a board
brought home (POST .../import), the results (GET .../results.json), merges (POST .../merges and
.../merges/<id>/undo) and the comparison (GET .../compare). Thin: board/campaigns.py decides. Every answer
under /c/ is secret: `own_address_only`, `no-store` (the default), rate limited per address like joining,
and a token that opens no campaign is the same 404 as any dead link (COORD11).
"""
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request

from . import campaigns as campaigns_module
from .campaigns import IMPORTED, Campaigns
from .desks import COOKIE
from .http_desk import desks, keep_desk
from .tokens import token_hash
from .domain.campaign import CampaignError, campaign_name, evaluation_from_form, glossary_from_lines, mergeable_cards
from .domain.documents import MAX_DOCUMENT_BYTES, to_json
from .domain.errors import BAD_REQUEST, RATE_LIMITED, TOO_LARGE, Rejection
from .domain.formats import available_formats
from .views import _base_url, _error, _formats, _join_limit, _wants_json, links, own_address_only

bp = Blueprint("campaign", __name__)
UPLOAD_OVERHEAD = 64 * 1024  # a form's file plus multipart's own, as http_documents


def register(app):
    """Attach the campaigns' routes; their service lives beside the workshops."""
    service = Campaigns(app.extensions["atelier"].workshops)
    app.extensions["atelier_campaigns"] = service
    campaigns_module.activate(service)
    app.register_blueprint(bp)


def campaigns():
    """This app's Campaigns."""
    return current_app.extensions["atelier_campaigns"]


def _limited():
    """Guessing coordinator links goes no faster than guessing join codes: the same per-address bucket."""
    if _join_limit().allow(request.remote_addr):
        return None
    return _error(Rejection(RATE_LIMITED, "Too many requests from this address; wait a moment."))


def _payload():
    payload = request.get_json(silent=True) if request.is_json else request.form
    return payload if hasattr(payload, "get") else {}


def _campaign(token):
    """The campaign the coordinator's secret opens, or a 404 like any dead link."""
    campaign = campaigns().open(token)
    if campaign is None:
        abort(404)
    return campaign


def coordinator_url(token):
    """The coordinator's secret link of a campaign."""
    return f"{_base_url()}/c/{token}"


# -- creating a campaign

@bp.get("/campagnes")
def new_campaign():
    """The form that creates a campaign: its name, the format its boards play, its glossary and evaluation."""
    return render_template("coordinator_new.html", formats=_formats(), chosen={}, error=None)


@bp.post("/campaigns")
@own_address_only
def create_campaign():
    """Create a campaign (COORD1): the form's or JSON's `name`, `format` (a packaged format's name), `glossary`
    (a list of {term, definition}, or the form's lines "term: definition") and `evaluation` (an object, or the
    form's `scales` lines and `question`). A browser's campaign goes on its desk when it has one."""
    refusal = _limited()
    if refusal:
        return refusal
    payload = _payload()
    try:
        name = campaign_name(payload.get("name"))
        format_name = payload.get("format") or "atelier-competences"
        if format_name not in available_formats():
            raise CampaignError(f"format: unknown format {str(format_name)[:40]!r}")
        glossary = payload.get("glossary") or []
        glossary = glossary_from_lines(glossary) if isinstance(glossary, str) else glossary
        evaluation = payload.get("evaluation")
        if evaluation is None and not request.is_json:
            evaluation = evaluation_from_form(payload.get("scales"), payload.get("question"))
        desk_token = _desk_token()
        desk_hash = token_hash(desk_token) if desk_token else None
        made = campaigns().create(name, format_name=format_name, glossary=glossary, evaluation=evaluation,
                                  desk_hash=desk_hash)
    except CampaignError as error:
        if _wants_json():
            return _error(Rejection(BAD_REQUEST, str(error)))
        return render_template("coordinator_new.html", formats=_formats(), chosen=payload,
                               error=_said(error)), 400
    url = coordinator_url(made["token"])
    if _wants_json():
        return jsonify({"ok": True, "campaign_id": made["campaign_id"], "coordinator_url": url}), 201
    return keep_desk(redirect(url, code=303), desk_token)


def _desk_token():
    """The desk a campaign goes on (DESK5): a browser's own, minted when it has none; a script's only when it
    sends one."""
    token = request.cookies.get(COOKIE)
    if desks().open(token) is not None:
        return token
    return None if _wants_json() else desks().mint()


# -- the coordinator's page and actions

@bp.get("/c/<token>")
@own_address_only
def coordinator_page(token):
    """The campaign's page: its boards (each with its links, or where it came from), the handout, the import
    of a board played elsewhere, the new cards to merge, and the way to the comparison."""
    refusal = _limited()
    if refusal:
        return refusal
    return _page(token, _campaign(token))


def _page(token, campaign, error=None, status=200):
    base = _base_url()
    boards = campaigns().boards(campaign)
    for board in boards:
        board["urls"] = links(board["links"], base) if board.get("links") else None
    results = campaigns().results(campaign["id"])
    merges = campaigns().merges(campaign["id"])
    merged = {(m["source_board"], m["card_id"]) for merge in merges for m in merge["members"]}
    new_cards = [{"key": f"{board}|{card}", "merged": (board, card) in merged, **facts}
                 for (board, card), facts in mergeable_cards(results).items()]
    fmt = campaign["template"]["format"]
    return render_template("coordinator.html", campaign=campaign, token=token, boards=boards, new_cards=new_cards,
                           merges=merges, glossary=fmt.get("glossary") or [], evaluation=fmt.get("evaluation"),
                           format_name=fmt["name"], deck_size=len(campaign["template"].get("deck") or []),
                           error=error, link=coordinator_url(token)), status


def _refused(token, campaign, error, status=400):
    if _wants_json():
        code = TOO_LARGE if status == 413 else BAD_REQUEST
        return jsonify(Rejection(code, str(error)).to_dict()), status
    return _page(token, campaign, error=_said(error), status=status)


def _said(error):
    """A refusal as the page shows it: French by default, English on request (page.js switches them)."""
    return {"en": str(error), "fr": getattr(error, "fr", None) or str(error)}


@bp.post("/c/<token>/boards")
@own_address_only
def add_board(token):
    """A board of the campaign on this server (COORD3): `territory` and `date`; its own links and join code."""
    refusal = _limited()
    if refusal:
        return refusal
    campaign = _campaign(token)
    payload = _payload()
    try:
        info = campaigns().add_board(campaign, payload.get("territory"), payload.get("date") or "")
    except CampaignError as error:
        return _refused(token, campaign, error)
    if _wants_json():
        return jsonify({"ok": True, **links(info, _base_url())}), 201
    return redirect(f"/c/{token}#boards", code=303)


@bp.get("/c/<token>/handout.json")
@own_address_only
def handout(token):
    """The campaign as a file a facilitator's laptop opens as a new board (COORD5): a template document."""
    campaign = _campaign(token)
    document = campaigns().handout(campaign, exported_at=_now())
    return current_app.response_class(to_json(document), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="campagne-atelier.json"', "Cache-Control": "no-store"})


@bp.post("/c/<token>/import")
@own_address_only
def import_board(token):
    """A board played elsewhere brought home (COORD6, COORD7): the form's file `document` (or the JSON body),
    with `territory` and `date` (the form's fields, or the query's for a JSON body)."""
    refusal = _limited()
    if refusal:
        return refusal
    campaign = _campaign(token)
    if (request.content_length or 0) > MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD:
        return _refused(token, campaign, f"file: is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", 413)
    if request.is_json:
        raw, fields = request.get_data(cache=False), request.args
    else:
        upload = request.files.get("document")
        raw = upload.stream.read(MAX_DOCUMENT_BYTES + 1) if upload is not None and upload.filename else None
        fields = request.form
    if not raw:
        return _refused(token, campaign, "Choose the board's JSON export to import.")
    try:
        entry = campaigns().import_board(campaign, raw, fields.get("territory"), fields.get("date"))
    except CampaignError as error:
        return _refused(token, campaign, error)
    if _wants_json():
        return jsonify({"ok": True, "entry_id": entry["entry_id"], "territory": entry["territory"],
                        "date": entry["date"], "source": IMPORTED}), 201
    return redirect(f"/c/{token}#boards", code=303)


@bp.get("/c/<token>/results.json")
@own_address_only
def results_json(token):
    """Every board's results alike (COORD8), and the merges standing: what the comparison is made from."""
    campaign = _campaign(token)
    return jsonify({"campaign": {"id": campaign["id"], "name": campaign["name"]},
                    "results": campaigns().results(campaign["id"]), "merges": campaigns().merges(campaign["id"])})


@bp.post("/c/<token>/merges")
@own_address_only
def merge_cards(token):
    """Merge new cards of several territories as one (COORD9): the form's checked `card` values
    ("<source board>|<card id>") and `label`, or JSON {members: [{source_board, card_id}], label}."""
    refusal = _limited()
    if refusal:
        return refusal
    campaign = _campaign(token)
    payload = _payload()
    if request.is_json:
        members = payload.get("members")
    else:
        members = [dict(zip(("source_board", "card_id"), value.split("|", 1))) for value in request.form.getlist("card")]
    try:
        merge = campaigns().merge(campaign, members, payload.get("label") or "")
    except CampaignError as error:
        return _refused(token, campaign, error)
    if _wants_json():
        return jsonify({"ok": True, "merge": merge}), 201
    return redirect(f"/c/{token}#merges", code=303)


@bp.post("/c/<token>/merges/<merge_id>/undo")
@own_address_only
def undo_merge(token, merge_id):
    """Undo a merge (COORD10): its cards stand alone again."""
    refusal = _limited()
    if refusal:
        return refusal
    campaign = _campaign(token)
    try:
        campaigns().undo_merge(campaign, merge_id)
    except CampaignError as error:
        return _refused(token, campaign, error, 409 if _wants_json() else 400)
    if _wants_json():
        return jsonify({"ok": True, "undone": merge_id})
    return redirect(f"/c/{token}#merges", code=303)


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- the comparison and the capitalisation (board/domain/campaign_compare.py, board/campaign_view.py: CAMP)

def _comparison(token):
    """The campaign, its results, its merges and their comparison; or the coordinator's page saying why the
    boards cannot be compared yet (none, or boards of several formats)."""
    from .domain.campaign_compare import ComparisonError, compare
    campaign = _campaign(token)
    results, merges = campaigns().results(campaign["id"]), campaigns().merges(campaign["id"])
    try:
        return campaign, results, merges, compare(results, merges), None
    except ComparisonError as error:
        return campaign, results, merges, None, _refused(token, campaign, error, 409)


@bp.get("/c/<token>/compare")
@own_address_only
def compare_page(token):
    """The territories side by side (CAMP): per Panorama cell, the must-haves per territory and overall, common
    and specific cards, merged cards, the evaluation; `?lang=en` in English."""
    from .campaign_view import PAGE_TEMPLATE, page_view
    campaign, _, _, comparison, refusal = _comparison(token)
    if refusal:
        return refusal
    # Rendered here, in the HTTP layer: campaign_view lays the page out as plain data.
    return render_template(PAGE_TEMPLATE, c=page_view(comparison, request.args.get("lang") or "fr", campaign["name"]),
                           base=f"/c/{token}")


@bp.get("/c/<token>/synthesis.<kind>")
@own_address_only
def synthesis_file(token, kind):
    """The campaign's synthesis as a file: `csv` (French Excel), `xlsx` or `json` (the comparison itself)."""
    from .campaign_view import XLSX_MIMETYPE, campaign_csv, campaign_json, campaign_xlsx
    if kind not in ("csv", "xlsx", "json"):
        abort(404)
    _, _, _, comparison, refusal = _comparison(token)
    if refusal:
        return refusal
    lang = request.args.get("lang") or "fr"
    body, mimetype = {"csv": (lambda: campaign_csv(comparison, lang), "text/csv; charset=utf-8"),
                      "xlsx": (lambda: campaign_xlsx(comparison, lang), XLSX_MIMETYPE),
                      "json": (lambda: campaign_json(comparison), "application/json")}[kind]
    return current_app.response_class(body(), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="campagne-synthese.{kind}"', "Cache-Control": "no-store"})


@bp.get("/c/<token>/next-deck.json")
@own_address_only
def next_deck(token):
    """The next campaign's starting file: a template whose deck is the consolidated must-haves, each card naming
    the territories that chose it (CAMP)."""
    from .campaign_view import next_deck_file
    campaign, results, merges, _, refusal = _comparison(token)
    if refusal:
        return refusal
    return current_app.response_class(next_deck_file(results, merges, title=campaign["name"]),
                                      mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="campagne-suivante.json"', "Cache-Control": "no-store"})
