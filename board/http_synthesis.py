"""The published synthesis over HTTP: its read-only page, its PDF, and the console's look at its link.

- `GET /r/<token>`: the page, for anyone holding the link while the synthesis is published (SYN2);
  an unknown link, an unpublished synthesis and an earlier publication's link are the same 404.
- `GET /r/<token>/synthese.pdf`: the same page as an A4 landscape PDF made here by WeasyPrint (SYN9);
  a server whose WeasyPrint cannot load its system libraries answers 503 saying so, and the page's
  "Imprimer" button (the browser's print, with the print stylesheet) still works.
- `GET /f/<token>/synthesis`: for the facilitator's console, whether it is published and its link.
- `GET /f/<token>/synthesis/preview` (and its `/synthese.pdf`): the facilitator's preview, published or not.

Publishing and unpublishing are commands on the board's one write path (domain/synthesis.py).
"""
import logging
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request

from .domain import FACILITATOR, Rejection
from .domain.errors import UNAVAILABLE
from .synthesis_view import language, synthesis
from .tokens import routable, split_token
from .views import _base_url, _error, _member, _workshops, own_address_only

log = logging.getLogger(__name__)
bp = Blueprint("synthesis", __name__)
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "synthesis.css"
PDF_NAME = "synthese.pdf"
_pdf_library = {}  # "module" or "reason", once WeasyPrint was tried


def register(app):
    """Attach the synthesis routes to the app."""
    app.register_blueprint(bp)


def _published_view(token, lang):
    """The published synthesis `token` opens, as the page shows it; or a 404 like any dead link (SYN2).
    Routed over several processes, a bare link (handed out before links named their board) is sent on
    (307) to the form that names its board, which the proxy takes to the board's process."""
    workshops = _workshops()
    board_id = workshops.synthesis_board(token)
    if board_id is None:
        abort(404)
    if workshops.routed and split_token(token)[0] is None:
        path = request.path.replace(f"/r/{token}", f"/r/{routable(board_id, token)}", 1)
        query = request.query_string.decode("latin-1")
        abort(redirect(f"{path}?{query}" if query else path, code=307))
    view = workshops.read_board(board_id, lambda board: synthesis(
        board, lang, names=board.publication["include_names"]))
    if view is None:  # deleted a moment ago
        abort(404)
    return view


def _view(room, lang, names):
    """The facilitator's preview of the room's board's synthesis, naming authors or not."""
    return room.read(lambda board, _: synthesis(board, lang, names=names))


def _page(view, base, preview=False, extra=""):
    return render_template("synthesis.html", s=view, pdf=False, base=base, preview=preview, extra=extra)


@bp.get("/r/<token>")
@own_address_only
def synthesis_page(token):
    """The synthesis "Découvrez le panorama", read-only, French unless ?lang=en (SYN1, SYN4-SYN8)."""
    return _page(_published_view(token, language(request.args.get("lang"))), f"/r/{token}")


@bp.get(f"/r/<token>/{PDF_NAME}")
@own_address_only
def synthesis_pdf(token):
    """The synthesis as a PDF, A4 landscape, made on the server (SYN9); 503 when WeasyPrint cannot run here."""
    return _pdf(_published_view(token, language(request.args.get("lang"))))


@bp.get("/f/<token>/synthesis/preview")
@own_address_only
def synthesis_preview(token):
    """The facilitator's preview of the synthesis, published or not, naming authors with ?names=1 (SYN10)."""
    _, room = _member(token, FACILITATOR)
    names = request.args.get("names") == "1"
    view = _view(room, language(request.args.get("lang")), names=names)
    return _page(view, f"/f/{token}/synthesis/preview", preview=True, extra="&names=1" if names else "")


@bp.get(f"/f/<token>/synthesis/preview/{PDF_NAME}")
@own_address_only
def synthesis_preview_pdf(token):
    """The facilitator's preview as a PDF (SYN10)."""
    _, room = _member(token, FACILITATOR)
    return _pdf(_view(room, language(request.args.get("lang")), names=request.args.get("names") == "1"))


def _pdf(view):
    """The PDF answer of a synthesis view, or the 503 saying why this server cannot make one."""
    weasyprint = _weasyprint()
    if weasyprint is None:
        return _error(Rejection(UNAVAILABLE, "This server cannot make PDFs: WeasyPrint's system libraries "
                                             f"are missing ({_pdf_library['reason']}). Use the page's "
                                             "\"Imprimer\" button to print it or save it as PDF from the browser."),
                      "page.pdf_unavailable")
    html = render_template("synthesis.html", s=view, pdf=True)
    # The same page with the heatmap free to run over pages, should the grid not fit the first one.
    long_html = render_template("synthesis.html", s={**view, "heatmap_long": True}, pdf=True)
    run_blocking = current_app.config.get("RUN_BLOCKING") or (lambda fn, *args: fn(*args))
    # Off the event loop (a thread under eventlet): a few pages take a second to lay out.
    data = run_blocking(_render_pdf, weasyprint, html, long_html)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{PDF_NAME}"'})


def _render_pdf(weasyprint, html, long_html):
    """The PDF of `html`; of `long_html` when WeasyPrint cannot keep the heatmap's grid on one page (it
    then fails its layout: the view's estimate of the printed height was short)."""
    sheets = [weasyprint.CSS(filename=str(STYLESHEET))]
    # Nothing is fetched: the one stylesheet is read from disk, the chart is inline SVG.
    try:
        return weasyprint.HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(stylesheets=sheets)
    except AssertionError:
        return weasyprint.HTML(string=long_html, base_url=str(STYLESHEET.parent)).write_pdf(stylesheets=sheets)


def _weasyprint():
    """The WeasyPrint module, or None when it cannot load (its reason kept for the 503)."""
    if "module" not in _pdf_library and "reason" not in _pdf_library:
        try:
            import weasyprint
            _pdf_library["module"] = weasyprint
        except (ImportError, OSError) as error:  # OSError: pango or its fonts cannot be loaded
            _pdf_library["reason"] = str(error).splitlines()[0][:200] or type(error).__name__
            log.warning("synthesis PDFs are off: WeasyPrint cannot load (%s)", _pdf_library["reason"])
    return _pdf_library.get("module")


@bp.get("/f/<token>/synthesis")
@own_address_only
def synthesis_link(token):
    """For the console: {published, include_names, url, pdf_url}; the urls are null while unpublished."""
    credential, room = _member(token, FACILITATOR)
    publication = room.read(lambda board, _: dict(board.publication))
    secret = _workshops().synthesis_link(credential.board_id)
    url = f"{_base_url()}/r/{secret}" if secret else None
    return jsonify({"ok": True, "published": publication["published"],
                    "include_names": publication["include_names"], "url": url,
                    "pdf_url": f"{url}/{PDF_NAME}" if url else None})
