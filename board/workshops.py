"""Workshops: the rooms of every board, and how people get into them.

Creating a board, joining with a code and opening a token all end in a
room; every change still goes through that room's single writer.
"""
import hmac
import threading
import time

from .domain import (InvalidCommand, FACILITATOR, PARTICIPANT, PROJECTOR, SYSTEM, Rejection, decide, evolve, read_format,
                     replay)
from .domain.commands import CreateBoard, Join, RestoreBoard
from .domain.documents import DocumentError, check_document, read_document
from .domain.errors import NOT_FOUND, UNAVAILABLE
from .domain.teams import NameTaken
from .room import Room
from .store import Credential, StoreError
from .tokens import (admin_token_for, new_id, new_join_code, new_token, normalise_join_code, projector_token_for,
                     routable, secret_of, split_token, synthesis_token_for, token_hash)

# A workshop is "in progress" while its results are not revealed and someone changed it lately.
IN_PROGRESS_WITHIN = 7 * 24 * 3600  # seconds since its last event
IN_PROGRESS_SHOWN = 3  # at most this many are printed at start, the most recently active first
HELD_ELSEWHERE = "Another server holds this workshop right now; try again in a moment."


class HeldElsewhere(StoreError):
    """A shared store's board whose lease another process holds: it cannot be served here now (a 503,
    or a socket told to retry; never a dead link)."""

    def __init__(self, board_id):
        super().__init__(f"board {board_id} is held by another process", "another server holds this workshop")
        self.board_id = board_id


STORED_SYNTHESIS_REFRESH = 60.0  # seconds: how often a shared store's publications may be read again
SYNTHESIS_EVENTS = ("synthesis_published", "synthesis_unpublished")  # events that open or close a synthesis link


class Workshops:
    """Every board of this server process, each behind its own Room."""

    def __init__(self, store, publish=None, clock=None, link_key=None, closed=None, after_answer=None,
                 dropped=None):
        """`dropped(board_id)` is told when this process lost a board's lease (its sockets must go)."""
        self.store = store
        # A shared store (PostgreSQL, several processes): a board is loaded when first asked for, by
        # the process that takes its lease; a SQLite file's boards are all this process's, loaded now.
        self._shared = getattr(store, "shared", False)
        self._dropped = dropped or (lambda board_id: None)
        self._load_lock = threading.Lock()
        self._after_answer = after_answer  # how a room learns an answer went out (Room, sockets.after_answer)
        self.link_key = link_key  # a LinkKey; without one, every board gets a random (unprintable) link
        self._publish = publish or (lambda board_id, events: None)  # a commit's events, after it
        self._closed = closed or (lambda board_id: None)  # told when a board is deleted (its sockets go)
        self._clock = clock
        self._rooms = {}
        self._create_lock = threading.Lock()
        self._links_lock = threading.Lock()
        self._synthesis_links = {}  # the published syntheses: link secret -> board id (SYN2)
        self._synthesis_lock = threading.Lock()  # its changes; reads need none (the dict is replaced whole)
        self._stored_synthesis, self._stored_synthesis_at = {}, float("-inf")  # a shared store's (see there)
        for board_id in ([] if self._shared else store.board_ids()):
            self._rooms[board_id] = self._room(board_id)
            self._index_synthesis(board_id)

    def _room(self, board_id):
        def committed(events):
            if any(event.type in SYNTHESIS_EVENTS for event in events):
                self._index_synthesis(board_id)  # at its commit: the link opens exactly when it is durable
        kwargs = {"clock": self._clock} if self._clock else {}
        return Room(board_id, self.store, lambda events: self._publish(board_id, events),
                    after_answer=self._after_answer, committed=committed, lost=lambda: self.drop(board_id),
                    **kwargs)

    def room(self, board_id):
        """The Room of a board loaded here, or None. (A shared store's board is loaded by `serve`,
        when a request opens it: a broadcast or a presence change never pulls a board here.)"""
        return self._rooms.get(board_id)

    def serve(self, board_id):
        """The Room of a board, loaded if need be, or None: no such board, or (on a shared store) a
        board whose lease another process holds (`open` then raises HeldElsewhere). May raise StoreError when a
        shared store's database cannot be reached."""
        room = self._rooms.get(board_id)
        if room is not None and self._shared and not self.store.holds_lease(board_id):
            self.drop(board_id)  # its lease was found lost: its sockets go, and it is loaded again below
            room = None
        if room is None and self._shared and isinstance(board_id, str):
            room = self._adopt(board_id)
        return room

    def _adopt(self, board_id):
        """Load a board from the shared store if this process can take its lease; its Room, or None."""
        with self._load_lock:
            room = self._rooms.get(board_id)
            if room is not None:
                return room
            if not self.store.board_exists(board_id) or not self.store.take_lease(board_id):
                return None
            # Loaded from the log after the lease is ours: no write of another process can follow it.
            room = self._rooms[board_id] = self._room(board_id)
        self._index_synthesis(board_id)
        return room

    def read_board(self, board_id, reader):
        """`reader(board)` on a board's last committed state, or None when there is no such board.
        A shared store's board served by another process (or nobody) is read from the log, without
        taking its lease: a listing of many boards must not pull them all to this process."""
        room = self._rooms.get(board_id)
        if room is not None:
            return room.read(lambda board, _: reader(board))
        if not self._shared:
            return None
        events = self.store.load_events(board_id)
        return reader(replay(events)) if events else None

    def drop(self, board_id):
        """This process lost the board's lease (a stale write was refused, or its lease session
        ended): forget its room and let its sockets go; they reconnect and catch up wherever the
        board is served now, here again once this process can take the lease back."""
        with self._load_lock:
            room = self._rooms.pop(board_id, None)
        if room is None:
            return
        room.lost = True
        self.store.release_lease(board_id)
        self._index_synthesis(board_id)
        self._dropped(board_id)

    def board_ids(self):
        """Ids of every loaded board."""
        return list(self._rooms)

    @property
    def routed(self):
        """Whether boards are spread over several processes sharing one store (each board served by
        the process holding its lease, docs/deployment.md) rather than all served here."""
        return bool(getattr(self.store, "shared", False))

    def create(self, format_name, facilitator_name="Animateur", details=None, desk_hash=None):
        """Create a board from a packaged format; return its links' secrets and code.

        `details` ({title, date, place}, checked by CreateBoard) name the workshop; `desk_hash` puts it on
        that facilitator's desk (board/desks.py) in the same transaction. Bad details raise InvalidCommand."""
        fmt = read_format(format_name)
        board_id, facilitator_id, projector_id = new_id("b"), new_id("f"), new_id("s")
        command = CreateBoard(board_id=board_id, format=fmt.document, facilitator_id=facilitator_id,
                              facilitator_name=facilitator_name, projector_id=projector_id, details=details)
        event = decide(None, SYSTEM, command, self._now())
        generation = 1 if self.link_key is not None else 0
        admin_token = self._admin_token(board_id, generation, create_key=True)
        credentials = self._link_pair(board_id, facilitator_id, projector_id, admin_token)
        with self._create_lock:
            join_code = self._unused_join_code()
            self.store.create_board(board_id, fmt.id, join_code, event, credentials, link_generation=generation,
                                    desk_hash=desk_hash)
            self._keep_new(board_id)
        return self.links_info(board_id, join_code, admin_token, facilitator_id)

    def create_from_document(self, document, facilitator_name="Animateur"):
        """Create a board from a document (documents.py: a board export or a template), parsed JSON or the
        file's bytes; return the same links info as `create`. A bad document raises DocumentError naming
        the field at fault, and nothing is created (DOC3). A board document's participants come back with
        their names and cards but no token: nobody can open the board as them (DOC4)."""
        if isinstance(document, (bytes, bytearray)):
            document = read_document(bytes(document))
        checked = check_document(document)
        board_id = new_id("b")
        facilitator = checked.facilitator or {"id": new_id("f"), "name": facilitator_name}
        projector_id = checked.projector["id"] if checked.projector else new_id("s")
        create = CreateBoard(board_id=board_id, format={**checked.format, "deck": []},
                             facilitator_id=facilitator["id"], facilitator_name=facilitator["name"],
                             projector_id=projector_id)
        now = self._now()
        first = decide(None, SYSTEM, create, now)
        if isinstance(first, Rejection):
            raise DocumentError("format", first.message)
        restore = decide(evolve(None, first), SYSTEM, RestoreBoard(content=checked.content), now)
        if isinstance(restore, Rejection):
            raise DocumentError("document", restore.message)
        generation = 1 if self.link_key is not None else 0
        admin_token = self._admin_token(board_id, generation, create_key=True)
        credentials = self._link_pair(board_id, facilitator["id"], projector_id, admin_token)
        with self._create_lock:
            join_code = self._unused_join_code()
            self.store.create_board(board_id, checked.format["id"], join_code, first, credentials,
                                    link_generation=generation, then=[restore])
            self._keep_new(board_id)
        return self.links_info(board_id, join_code, admin_token, facilitator["id"])

    def _keep_new(self, board_id):
        """Serve a board just made. On a shared store the process the proxy sends the board to takes
        its lease and loads it at its first request (its links carry its id); the process that made it,
        any of them, keeps nothing, or two would serve it."""
        if not self._shared:
            self._rooms[board_id] = self._room(board_id)
        else:
            self.store.release_lease(board_id)  # taken to write its first rows (store_pg.create_board)

    def facilitator_links(self, board_id):
        """The links of a board as they are, or None when they cannot be told again: a board created
        before links were derived (its random token was never kept) or a link key that is missing or
        not the one its links were made with. Reads only: nothing is minted, nothing is written."""
        generation = self.store.link_generation(board_id)
        admin_token = self._admin_token(board_id, generation)
        if admin_token is None:
            return None
        credential = self.store.credential(token_hash(admin_token))
        if credential is None or credential.board_id != board_id:
            return None  # another key than the one this board's link was derived with
        return self.links_info(board_id, self.join_code(board_id), admin_token, credential.participant_id)

    def rotate_links(self, board_id, old_token=None):
        """Replace a board's facilitator link (and its projector link) by the next generation's: the old
        ones open nothing once this returns. Returns the new links' info, with `replaced_members`, the
        facilitator and projector whose open sockets still carry an old link; or None when `old_token`
        (the link asking) no longer opens the board, as after a second click raced the first."""
        board = self.serve(board_id).board
        facilitator_id = next(p.id for p in board.participants.values() if p.role == FACILITATOR)
        projector_id = next(p.id for p in board.participants.values() if p.role == PROJECTOR)
        with self._links_lock:
            if old_token is not None and self.store.credential(token_hash(secret_of(old_token))) is None:
                return None
            generation = self.store.link_generation(board_id)
            admin_token = self._admin_token(board_id, generation + 1, create_key=True)
            self.store.replace_facilitator_links(
                board_id, generation, self._link_pair(board_id, facilitator_id, projector_id, admin_token))
        info = self.links_info(board_id, self.join_code(board_id), admin_token, facilitator_id)
        return {**info, "replaced_members": (facilitator_id, projector_id)}

    def synthesis_link(self, board_id):
        """The secret of a board's synthesis link while it is published, else None (SYN2). The link key
        is made if this server has none yet; without a key file setting at all there is no link."""
        room = self.room(board_id)
        if room is None or self.link_key is None:
            return None
        publication = room.board.publication
        if not publication["published"]:
            return None
        token = synthesis_token_for(self.link_key.ensure(), board_id, publication["edition"])
        if token not in self._synthesis_links:  # the key was only made now: the index learns the link
            self._index_synthesis(board_id)
        return routable(board_id, token)

    def synthesis_board(self, token):
        """The id of the board whose published synthesis `token` opens, or None: an unknown token, an
        unpublished synthesis and an earlier edition's link all look the same (SYN2).

        On a shared store the board need not be loaded anywhere: a token naming its board loads it here
        when its lease is free (the proxy sent it to its process) and is read from the log when another
        process serves it; a bare token (a link handed out before links named their board) is found in
        the store's publications and read where it is, never loaded here (the page sends it on to the
        form that names its board)."""
        if not isinstance(token, str) or not 16 <= len(token) <= 200:
            return None
        prefix, secret = split_token(token)
        board_id = prefix or self._synthesis_links.get(secret)
        if board_id is None and self._shared:
            board_id = self._stored_synthesis_board(secret)
        if board_id is None:
            return None
        if prefix is not None or not self._shared:
            self.serve(board_id)
        publication = self.read_board(board_id, lambda board: dict(board.publication))
        key = self.link_key.get() if self.link_key is not None else None
        if publication is None or not publication["published"] or not key:
            return None
        current = synthesis_token_for(key, board_id, publication["edition"])
        return board_id if hmac.compare_digest(current, secret) else None

    def _stored_synthesis_board(self, secret):
        """The board of a shared store whose published synthesis has the link `secret`, by an index of
        every board's publication read from the log (store.synthesis_editions), or None. The index is
        rebuilt on a miss at most every STORED_SYNTHESIS_REFRESH seconds: an unknown link costs no scan
        of the log each time; a link found is checked against its board's state by the caller."""
        key = self.link_key.get() if self.link_key is not None else None
        if not key:
            return None
        board_id = self._stored_synthesis.get(secret)
        now = time.monotonic()
        if board_id is None and now - self._stored_synthesis_at >= STORED_SYNTHESIS_REFRESH:
            self._stored_synthesis_at = now
            self._stored_synthesis = {synthesis_token_for(key, board, edition): board
                                      for board, edition in self.store.synthesis_editions().items()}
            board_id = self._stored_synthesis.get(secret)
        return board_id

    def _index_synthesis(self, board_id):
        """Keep the link index in step with a board's publication (at start and after each change)."""
        with self._synthesis_lock:
            links = {t: b for t, b in self._synthesis_links.items() if b != board_id}
            room = self._rooms.get(board_id)
            key = self.link_key.get() if self.link_key is not None else None
            if room is not None and key is not None and room.board.publication["published"]:
                links[synthesis_token_for(key, board_id, room.board.publication["edition"])] = board_id
            self._synthesis_links = links

    def in_progress(self, now=None):
        """The ids of the workshops in progress, the most recently active first, at most a few:
        results not revealed yet, and a change within IN_PROGRESS_WITHIN."""
        now = (self._clock or time.time)() if now is None else now
        activity = self.store.last_activity()
        recent = [(at, board_id) for board_id, at in activity.items()
                  if board_id in self._rooms and now - at <= IN_PROGRESS_WITHIN
                  and not self._rooms[board_id].board.vote.revealed]
        return [board_id for _, board_id in sorted(recent, reverse=True)[:IN_PROGRESS_SHOWN]]

    def last_active(self):
        """The id of the board changed last, or None when there is none."""
        activity = {b: at for b, at in self.store.last_activity().items() if b in self._rooms}
        return max(activity, key=activity.get) if activity else None

    def _admin_token(self, board_id, generation, create_key=False):
        """The admin token of a link generation; a random one for generation 0 (only at creation
        without a key), None when it cannot be derived (generation 0 later, or no key file)."""
        if generation == 0:
            return new_token() if create_key else None
        if self.link_key is None:
            return None
        key = self.link_key.ensure() if create_key else self.link_key.get()
        return admin_token_for(key, board_id, generation) if key else None

    @staticmethod
    def links_info(board_id, join_code, admin_token, facilitator_id):
        """What the facilitator's links are made of; the projector token follows from the admin one's
        secret. Both are given in the form that carries the board's id (tokens.routable)."""
        secret = secret_of(admin_token)
        return {"board_id": board_id, "join_code": join_code, "admin_token": routable(board_id, secret),
                "projector_token": routable(board_id, projector_token_for(secret)), "facilitator_id": facilitator_id}

    @staticmethod
    def _link_pair(board_id, facilitator_id, projector_id, admin_token):
        return [
            Credential(token_hash(admin_token), board_id, facilitator_id, FACILITATOR),
            Credential(token_hash(projector_token_for(admin_token)), board_id, projector_id, PROJECTOR)]

    def delete(self, board_id):
        """Delete a board and every personal datum it holds (names, tokens, texts, its whole log).

        Its room refuses every command from now on, its links open nothing (here and after a
        restart: nothing of it is left in the file) and its open sockets are told and closed.
        True if there was such a board.
        """
        if self._shared:
            self.serve(board_id)  # a shared store's board is deleted by the process holding its lease
        room = self._rooms.pop(board_id, None)
        if room is None:
            return False
        try:
            room.close(lambda: self.store.delete_board(board_id))
        except Exception:  # the store refused (a full or read-only disk): the board stays whole
            self._rooms[board_id] = room
            raise
        self._index_synthesis(board_id)  # its room is gone: its synthesis link leaves the index
        self._closed(board_id)
        return True

    def delete_idle(self, days):
        """Delete the boards nobody changed for `days` days (the retention setting); the ids of those this
        process deleted. A SQLite file's boards are all loaded here. On a shared store a board no process
        serves is deleted by the one process that takes its lease for it; a board another process serves
        is left to that process's own pass."""
        cutoff = self._now() - days * 86400
        expired = sorted(board_id for board_id, last in self.store.last_activity().items()
                         if last < cutoff and (self._shared or board_id in self._rooms))
        deleted = []
        for board_id in expired:
            if board_id in self._rooms:
                done = self.delete(board_id)
            else:
                done = self._delete_unserved(board_id, cutoff)
            if done:
                deleted.append(board_id)
        return deleted

    def _delete_unserved(self, board_id, cutoff):
        """Delete a shared store's board that no process serves, without loading it: under its lease,
        taken here for the deletion alone (refused while another process holds it), and only if it is
        still idle then (a process may have served and changed it since the activity was read)."""
        with self._load_lock:  # no request of this process loads it meanwhile
            if board_id in self._rooms or not self.store.take_lease(board_id):
                return False
            try:
                last = self.store.last_change(board_id)
                if last is None or last >= cutoff:
                    return False  # deleted by another process's pass a moment ago, or changed since
                return self.store.delete_board(board_id)  # its lease goes with it
            finally:
                self.store.release_lease(board_id)

    def join(self, join_code, name):
        """Admit a participant by join code: their token, or a Rejection."""
        board_id = self.store.board_by_code(normalise_join_code(join_code))
        if board_id is None:
            return Rejection(NOT_FOUND, "No workshop has this code.")
        participant_id, token = new_id("p"), new_token()
        try:
            command = Join(participant_id=participant_id, name=name, role=PARTICIPANT)
        except InvalidCommand as error:
            return error.rejection
        credential = Credential(token_hash(token), board_id, participant_id, PARTICIPANT)
        room = self.serve(board_id)
        if room is None and self._shared and self.store.board_exists(board_id):
            return Rejection(UNAVAILABLE, HELD_ELSEWHERE)
        if room is None:  # deleted a moment ago
            return Rejection(NOT_FOUND, "No workshop has this code.")
        answer = room.submit(SYSTEM, command, credential=credential)
        if not answer["ok"]:
            if "suggestion" in answer:  # the name is someone else's here: offer a free one
                return NameTaken(answer["code"], answer["message"], answer["suggestion"])
            return Rejection(answer["code"], answer["message"])
        return {"board_id": board_id, "participant_id": participant_id, "token": routable(board_id, token)}

    def open(self, token):
        """The Credential a token opens (and whose board is loaded), or None. HeldElsewhere when a
        shared store's board it opens is another process's right now."""
        credential = self.credential(token)
        if credential is None:
            return None
        if self.serve(credential.board_id) is None:
            if self._shared and self.store.board_exists(credential.board_id):
                raise HeldElsewhere(credential.board_id)
            return None
        room = self.serve(credential.board_id)
        # A participant the facilitator removed is no member any more: their token opens nothing.
        # The removal is an event in the log, so this holds after a restart too.
        if room is None or credential.participant_id not in room.board.participants:
            return None
        return credential

    def credential(self, token):
        """The stored Credential of a token, bare or with its board's id (which must be its board), or
        None; read only, whether or not the board is loaded here."""
        if not isinstance(token, str) or not 16 <= len(token) <= 200:
            return None
        prefix, secret = split_token(token)
        credential = self.store.credential(token_hash(secret))
        if credential is None or (prefix is not None and prefix != credential.board_id):
            return None
        return credential

    def door_open(self, join_code):
        """Whether the board with this join code lets new arrivals in; None when no board has it."""
        board_id = self.store.board_by_code(normalise_join_code(join_code)) if isinstance(join_code, str) else None
        room = self.serve(board_id) if board_id else None
        return None if room is None else room.read(lambda board, _: board.room["door_open"])

    def join_code(self, board_id):
        """The join code of a board."""
        return self.store.join_code(board_id)

    def _unused_join_code(self):
        while True:
            code = new_join_code()
            if self.store.board_by_code(code) is None:
                return code

    def _now(self):
        return round((self._clock or time.time)(), 3)
