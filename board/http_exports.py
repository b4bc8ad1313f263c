"""The facilitator's downloads of the Panorama and the vote results: CSV and XLSX (EXP1-EXP6).

Thin: each route checks the facilitator's token, reads the board once under its room's lock and
hands it to the pure layouts of export.py and export_xlsx.py.
"""
from flask import Blueprint, Response, request

from .domain import FACILITATOR
from .export import panorama_csv, with_names
from .export_xlsx import MIMETYPE as XLSX_MIMETYPE, panorama_xlsx
from .views import _member, own_address_only

bp = Blueprint("exports", __name__)


def register(app):
    """Attach the export routes to the app."""
    app.register_blueprint(bp)


def _export(token, layout, mimetype, filename):
    credential, room = _member(token, FACILITATOR)
    lang = "en" if request.args.get("lang") == "en" else "fr"
    asked = request.args.get("names") == "1"  # authors despite anonymity, when the facilitator asks (ANON5)
    data = room.read(lambda board, _: layout(board, lang, with_names(board, asked)))
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/f/<token>/export.csv")
@own_address_only
def export_csv(token):
    """The Panorama and the vote results as CSV for the facilitator (French Excel: BOM and ';')."""
    return _export(token, panorama_csv, "text/csv", "panorama.csv")


@bp.get("/f/<token>/export.xlsx")
@own_address_only
def export_xlsx(token):
    """The Panorama, the ranking and one sheet per domain as an Excel workbook, for the facilitator."""
    return _export(token, panorama_xlsx, XLSX_MIMETYPE, "panorama.xlsx")
