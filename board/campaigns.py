"""Campaigns: the same workshop run in several territories and brought together (spec CAMP).

A campaign is a coordinator's secret link (/c/<token>), a handout (the template document every board of
the campaign starts from: format, deck, glossary, evaluation, settings, and the campaign's id in the
format) and its boards: boards made here, each an ordinary board with its own links, join code and date,
and boards played on another laptop and brought home as their JSON export. The campaign only groups:
the boards are never changed by it. `campaign_results` gives every board's export alike, whatever
where it was played, for the comparison (board/domain/campaign_compare.py).
"""
import base64
import hashlib
import hmac
import time

from .domain.campaign import (CARDS_MERGED, MERGE_UNDONE, CampaignError, campaign_format, campaign_name, check_homecoming,
                              decide_merge, decide_undo, fold_merges, mergeable_cards, territory_free,
                              territory_name)
from .domain.commands import TITLE_MAX, workshop_date
from .domain.documents import (DocumentError, board_document, read_document,
                               template_from_format)
from .domain.errors import InvalidCommand
from .domain.formats import read_format
from .export import with_names
from .store import VersionConflict
from .tokens import new_id, new_token, token_hash

SERVER, IMPORTED = "server", "imported"
BOARDS_PER_CAMPAIGN = 60  # a region's employment areas, several sessions each: far above a real campaign


def campaign_token_for(key, campaign_id):
    """The coordinator's secret of a campaign, derived from the server's link key as a board's admin token is
    (so the desk can show the link again and nothing secret is stored); its own label keeps it apart."""
    digest = hmac.new(key, f"campaign:{campaign_id}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def well_formed(token):
    """Whether `token` could be a coordinator's secret at all (before any look-up)."""
    return isinstance(token, str) and 16 <= len(token) <= 128


class Campaigns:
    """The campaigns of one store, over the workshops their boards are."""

    def __init__(self, workshops, clock=None):
        self.workshops = workshops
        self.store = workshops.store
        self._clock = clock or time.time

    # -- making a campaign and its boards (COORD1-COORD4)

    def create(self, name, format_name=None, format_document=None, glossary=(), evaluation=None, desk_hash=None):
        """A new campaign from a packaged format (by name) or a format document, with its glossary and evaluation.
        Returns {campaign_id, token}; CampaignError names what is wrong and nothing is kept."""
        name = campaign_name(name)
        if format_document is None:
            format_document = read_format(format_name).document
        campaign_id = new_id("c")
        fmt = campaign_format(format_document, campaign_id, name, glossary, evaluation)
        try:
            template = template_from_format(fmt)
        except DocumentError as error:
            raise CampaignError(str(error), f"Refusé : {error}") from None
        template["details"] = {"title": name, "place": ""}
        token = self._token(campaign_id)
        self.store.create_campaign(campaign_id, token_hash(token), name, template, desk_hash, self._now())
        return {"campaign_id": campaign_id, "token": token}

    def _token(self, campaign_id):
        key = self.workshops.link_key.ensure() if self.workshops.link_key is not None else None
        return campaign_token_for(key, campaign_id) if key else new_token()

    def token_of(self, campaign):
        """The coordinator's link secret of a campaign when it can be told again (derived), else None."""
        key = self.workshops.link_key.get() if self.workshops.link_key is not None else None
        if not key:
            return None
        token = campaign_token_for(key, campaign["id"])
        return token if token_hash(token) == campaign["token_hash"] else None

    def open(self, token):
        """The campaign a coordinator's secret opens, or None (another campaign's or a board's secret: None)."""
        if not well_formed(token):
            return None
        return self.store.campaign_by_token(token_hash(token))

    def on_desk(self, desk_hash):
        """The campaigns made from a desk, the newest first, with their link when it can be told again."""
        return [{**campaign, "token": self.token_of(campaign)} for campaign in self.store.desk_campaigns(desk_hash)]

    def handout(self, campaign, exported_at=None):
        """The campaign as a file a facilitator's laptop opens as a new board (COORD5): a template document."""
        return {**campaign["template"], "exported_at": exported_at}

    def add_board(self, campaign, territory, date=""):
        """A board of the campaign played on this server, for one territory or session, made from the handout:
        an ordinary board with its own facilitator link, join code and date. Returns its links info."""
        territory = territory_free(territory_name(territory), self.store.campaign_boards(campaign["id"]))
        date = _date(date)
        self._room_for_one_more(campaign)
        # Named in its first rows: on a shared server (several processes) the board is served by the process
        # its links reach, not the one adding it, which therefore keeps nothing of it to change.
        title = f"{campaign['name']} — {territory}"[:TITLE_MAX].strip()
        info = self.workshops.create_from_document(
            {**campaign["template"], "details": {"title": title, "date": date or None, "place": territory}})
        self.store.add_campaign_board({"entry_id": new_id("e"), "campaign_id": campaign["id"],
                                       "board_id": info["board_id"], "source": SERVER,
                                       "source_board": info["board_id"], "territory": territory,
                                       "date": date or None, "document": None, "added_at": self._now()})
        return info

    def import_board(self, campaign, raw, territory=None, date=None):
        """A board played elsewhere, brought home as its JSON export (bytes or parsed), with its territory and
        date (its own place and date when not given). Checked (COORD6, COORD7): an export of a board made from
        this campaign's handout, whole, not in the campaign already. Returns the entry; CampaignError else."""
        if isinstance(raw, (bytes, bytearray)):
            try:
                document = read_document(bytes(raw))
            except DocumentError as error:
                raise CampaignError(f"This file is damaged and cannot be read: {error}",
                                    f"Ce fichier est abîmé et ne peut pas être lu : {error}") from None
        else:
            document = raw
        check_homecoming(document, campaign)
        details = document.get("details") or {}
        territory = territory_name(territory if territory and territory.strip() else details.get("place") or "")
        date = _date(date if date else details.get("date") or "")
        source_board = document["source_board"]
        if any(entry["source_board"] == source_board for entry in self.store.campaign_boards(campaign["id"])):
            raise CampaignError("This board is already in the campaign: it was imported before (or played here).",
                                "Cet atelier est déjà dans la campagne : importé avant (ou joué ici).")
        self._room_for_one_more(campaign)
        territory_free(territory, self.store.campaign_boards(campaign["id"]))
        entry = {"entry_id": new_id("e"), "campaign_id": campaign["id"], "board_id": None, "source": IMPORTED,
                 "source_board": source_board, "territory": territory, "date": date or None, "document": document,
                 "added_at": self._now()}
        try:
            self.store.add_campaign_board(entry)
        except VersionConflict:  # the same file sent twice at once: the unique index kept one
            raise CampaignError("This board is already in the campaign: it was imported before.",
                                "Cet atelier est déjà dans la campagne : importé avant.") from None
        return entry

    def _room_for_one_more(self, campaign):
        if len(self.store.campaign_boards(campaign["id"])) >= BOARDS_PER_CAMPAIGN:
            raise CampaignError(f"A campaign holds at most {BOARDS_PER_CAMPAIGN} boards.",
                                f"Une campagne compte {BOARDS_PER_CAMPAIGN} ateliers au plus.")

    # -- what the campaign holds

    def boards(self, campaign):
        """The campaign's boards: each entry with, for a board played here, its links and its state's summary."""
        rows = []
        for entry in self.store.campaign_boards(campaign["id"]):
            row = {key: value for key, value in entry.items() if key != "document"}
            if entry["source"] == SERVER:
                # Read where it is, without taking it: on a shared server another process may serve it live.
                participants = self.workshops.read_board(entry["board_id"], lambda board: sum(
                    1 for p in board.participants.values() if p.role == "participant"))
                if participants is None:
                    continue  # deleted meanwhile (its row goes with it)
                row["links"] = self.workshops.facilitator_links(entry["board_id"])
                row["participants"] = participants
            else:
                row["participants"] = sum(1 for p in entry["document"].get("participants", [])
                                          if p.get("role") == "participant")
            rows.append(row)
        return rows

    def results(self, campaign_id):
        """Every board's results alike (COORD8): [{territory, date, board_id or None, source, document}], the
        document a board's JSON export as /f/<token>/export.json gives it (read now for a board played here)."""
        results = []
        for entry in self.store.campaign_boards(campaign_id):
            if entry["source"] == SERVER:
                # Its last committed state, from this process's room or from the log (another process may
                # serve it live): never its lease, never a write.
                document = self.workshops.read_board(entry["board_id"],
                                                     lambda board: board_document(board, with_names(board, False)))
                if document is None:
                    continue  # deleted meanwhile
            else:
                document = entry["document"]
            results.append({"territory": entry["territory"], "date": entry["date"], "board_id": entry["board_id"],
                            "source": entry["source"], "entry_id": entry["entry_id"], "document": document})
        return results

    # -- the campaign's own commands: merging new cards (COORD9, COORD10)

    def merges(self, campaign_id):
        """The merges standing: [{id, label, members: [{source_board, card_id, territory, text}]}]."""
        return list(fold_merges(self.store.campaign_events(campaign_id)).values())

    def merge(self, campaign, members, label=""):
        """Merge new cards written in several territories as one; the originals stay on their boards, named
        with their territory. Durable before it returns; the merge's data, or CampaignError."""
        merges = fold_merges(self.store.campaign_events(campaign["id"]))
        cards = mergeable_cards(self.results(campaign["id"]))
        data = decide_merge(merges, cards, new_id("m"), label, members)
        self.store.append_campaign_event(campaign["id"], CARDS_MERGED, data, self._now())
        return data

    def undo_merge(self, campaign, merge_id):
        """Undo a merge: its cards stand alone again, as they were. CampaignError when there is no such merge."""
        merges = fold_merges(self.store.campaign_events(campaign["id"]))
        data = decide_undo(merges, merge_id)
        self.store.append_campaign_event(campaign["id"], MERGE_UNDONE, data, self._now())
        return data

    def _now(self):
        return round(self._clock(), 3)


def _date(value):
    try:
        return workshop_date("date", value or "")
    except InvalidCommand as error:
        raise CampaignError(f"date: {error.rejection.message}", f"Date refusée : {error.rejection.message}") from None



# The service of the app started last (http_campaign.register sets it): what the module-level functions read.
_active = []


def activate(campaigns):
    """Make `campaigns` the service campaign_results and campaign_merges read (one app per process)."""
    _active[:] = [campaigns]


def campaign_results(campaign_id, campaigns=None):
    """The results of a campaign's boards (see Campaigns.results)."""
    return (campaigns or _active[0]).results(campaign_id)


def campaign_merges(campaign_id, campaigns=None):
    """The card merges of a campaign standing now (see Campaigns.merges)."""
    return (campaigns or _active[0]).merges(campaign_id)
