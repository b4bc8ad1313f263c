"""A test-only web app serving a campaign's comparison page and files, until the campaign's own routes
(the campaign capability's) call board/campaign_view.py: the same template, stylesheet and script."""
import threading
from pathlib import Path

from flask import Flask, Response, render_template, request
from werkzeug.serving import make_server

from board.campaign_view import PAGE_TEMPLATE, XLSX_MIMETYPE, campaign_csv, campaign_json, campaign_xlsx, page_view

ROOT = Path(__file__).resolve().parent.parent


class CampaignApp:
    """A Flask app on 127.0.0.1 in a thread: /campaign (?lang=en), /campaign.csv, .xlsx, .json."""

    def __init__(self, comparison, title):
        app = Flask("campaign_test", static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
        app.add_url_rule("/campaign", "page", lambda: render_template(
            PAGE_TEMPLATE, c=page_view(comparison, request.args.get("lang"), title)))
        app.add_url_rule("/campaign.csv", "csv", lambda: Response(campaign_csv(comparison, request.args.get("lang")),
                                                                    mimetype="text/csv"))
        app.add_url_rule("/campaign.xlsx", "xlsx", lambda: Response(campaign_xlsx(comparison), mimetype=XLSX_MIMETYPE))
        app.add_url_rule("/campaign.json", "json", lambda: Response(campaign_json(comparison), mimetype="application/json"))
        self.server = make_server("127.0.0.1", 0, app)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
