"""Facilitators' desks: "my workshops", private to whoever holds the desk's secret (DESK5-DESK9).

A desk is a secret token, minted when a facilitator creates a workshop from a browser that has none.
Only its SHA-256 is stored, with the boards created from it and the templates saved on it; the
browser keeps the token in a cookie, and the desk's private link (/bureau/<token>) opens it on
another device. Nothing here lists a board to anyone who does not hold the desk's token.
"""
import time

from .domain.details import workshop_state
from .domain.model import PARTICIPANT
from .tokens import new_id, new_token, token_hash

COOKIE = "atelier_desk"
COOKIE_MAX_AGE = 400 * 24 * 3600  # about a year: the longest a browser keeps a cookie (Chrome caps at 400 days)
TEMPLATE_NAME_MAX = 120
TEMPLATES_PER_DESK = 50  # each may weigh up to a document's 2 MB: a desk cannot fill the disk


def well_formed(token):
    """Whether `token` could be a desk's secret at all (before any look-up)."""
    return isinstance(token, str) and 16 <= len(token) <= 128


class Desks:
    """The desks of one store, over the workshops they list."""

    def __init__(self, workshops, clock=None):
        self.workshops = workshops
        self.store = workshops.store
        self._clock = clock or time.time

    def mint(self):
        """A new desk; its secret token (shown once, kept by the browser)."""
        token = new_token()
        self.store.add_desk(token_hash(token), round(self._clock(), 3))
        return token

    def open(self, token):
        """The hash of the desk `token` opens, or None."""
        if not well_formed(token):
            return None
        desk_hash = token_hash(token)
        return desk_hash if self.store.desk_exists(desk_hash) else None

    def create_workshop(self, token, format_name, details):
        """Create a workshop on the desk `token` opens, minting a desk when it opens none.
        Returns (the board's links info, the desk's token)."""
        if self.open(token) is None:
            token = self.mint()
        info = self.workshops.create(format_name, details=details, desk_hash=token_hash(token))
        return info, token

    def adopt(self, token, board_id):
        """Put an existing board on the desk `token` opens (a desk minted when none): its token."""
        if self.open(token) is None:
            token = self.mint()
        self.store.put_on_desk(token_hash(token), board_id, round(self._clock(), 3))
        return token

    def put_on_desk(self, desk_hash, board_id):
        """Put a board on a known desk (a workshop started from one of its templates)."""
        self.store.put_on_desk(desk_hash, board_id, round(self._clock(), 3))

    def owner(self, board_id):
        """The hash of the desk a board is on, or None."""
        return self.store.desk_of_board(board_id)

    def listing(self, desk_hash):
        """The desk's workshops, the newest first: title, date, place, format name, participants,
        state (DESK4) and the facilitator's links when they can be told again (else None)."""
        rows = []
        for board_id in self.store.desk_board_ids(desk_hash):
            summary = self.workshops.read_board(board_id, _summary)
            if summary is None:  # deleted: the store drops the row with the board, this is a race
                continue
            rows.append({**summary, "links": self.workshops.facilitator_links(board_id)})
        return rows

    # -- templates (their document is made and read back by the documents capability)

    def save_template(self, desk_hash, name, document):
        """Keep a template on a desk; its id."""
        template_id = new_id("m")
        self.store.save_template(desk_hash, template_id, name, document, round(self._clock(), 3))
        return template_id

    def templates(self, desk_hash):
        """The desk's templates, the newest first."""
        return self.store.desk_templates(desk_hash)

    def template(self, desk_hash, template_id):
        """One template of the desk, or None (another desk's is None too)."""
        return next((t for t in self.templates(desk_hash) if t["id"] == template_id), None)

    def delete_template(self, desk_hash, template_id):
        """Delete a template of the desk; True if it had it."""
        return self.store.delete_template(desk_hash, template_id)


def _summary(board):
    details = getattr(board, "details", None) or {}
    name = board.format.document.get("name") or {}
    return {"board_id": board.id, "title": details.get("title") or name.get("fr", ""),
            "date": details.get("date"), "place": details.get("place") or "",
            "format": dict(name),
            "participants": sum(1 for p in board.participants.values() if p.role == PARTICIPANT),
            "state": workshop_state(board)}
