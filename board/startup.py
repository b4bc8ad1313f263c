"""What run.py prints at start: the workshops in progress and their links, told again, never minted.

A start reads the database and writes nothing (only the very first one creates the demo workshop),
so a restart shows the same links as before, and a read-only database starts at all.
"""
import gc

from .tokens import normalise_join_code
from .views import links


def settle_memory():
    """Once the server has loaded its boards, before it serves: take what start-up made out of the
    collector's sight (how often it collects is serving.tune_garbage_collector's).

    A full (generation 2) collection walks every live object: the loaded boards, their history,
    Flask, Socket.IO and every module. Measured at 200 sockets, its 39-61 ms pauses landed in the
    drop latency's tail (issue 13). Objects made at start live as long as the process, so
    `gc.freeze()` moves them to a generation no collection walks; what is made while serving is
    still collected, and a full collection walks only that."""
    gc.collect()  # start-up's garbage goes now, not frozen with the rest
    gc.freeze()


def startup_lines(workshops, public_url, create_demo=True, replace_links_of=None):
    """The lines to print after "Atelier is running", for the workshops a facilitator may be running.

    In progress (Workshops.in_progress) come first, the most recently active first; when none is,
    the one changed last, said as such. A board whose link cannot be told again (made before links
    were derived, or with another key file) shows its join code and how to get a new link.
    `replace_links_of` (a join code, asked for on the command line) replaces that board's links first.
    """
    store = workshops.store
    lines = []
    if store.read_only:
        lines += [f"The database is read-only ({store.read_only}): workshops can be seen, nothing can be "
                  "changed, joined or created.",
                  "  Make the file and its folder writable and restart to run a workshop."]
    replaced = _replace_links(workshops, replace_links_of, public_url, lines) if replace_links_of else None
    board_ids = [board_id for board_id in workshops.in_progress() if board_id != replaced]
    heading = "Workshop in progress:" if len(board_ids) == 1 else "Workshops in progress, the latest first:"
    # The store's boards, not only the loaded ones: a shared store loads a board on demand.
    if not board_ids and not store.board_ids() and create_demo and not store.read_only:
        demo = {"title": "Atelier Compétences (démonstration)", "date": None, "place": ""}
        board_ids, heading = [workshops.create("atelier-competences", details=demo)["board_id"]], "Demo workshop:"
    elif not board_ids and not replaced and workshops.last_active():
        board_ids, heading = [workshops.last_active()], "No workshop in progress; the last one changed:"
    if board_ids:
        lines.append(heading)
    for board_id in board_ids:
        lines += _board_lines(workshops, board_id, public_url)
    return lines


def _replace_links(workshops, join_code, public_url, lines):
    """Replace the links of the board with this join code, on request; its id, or None."""
    board_id = workshops.store.board_by_code(normalise_join_code(join_code))
    if board_id is None:
        lines.append(f"No workshop has the join code {join_code!r}: no link was replaced.")
    elif workshops.store.read_only:
        lines.append("The database is read-only: no link was replaced.")
    else:
        workshops.rotate_links(board_id)
        lines.append("New links (the old facilitator and projector links open nothing any more):")
        lines += _board_lines(workshops, board_id, public_url)
        return board_id
    return None


def _board_lines(workshops, board_id, public_url):
    info = workshops.facilitator_links(board_id)
    if info is None:
        code = workshops.join_code(board_id)
        return [f"  Join code: {code}   join link: {public_url}/j/{code}",
                "  Facilitator link: not printable (made before this version, or with another key file); "
                "use the one given when the workshop was created, or start with "
                f"--new-links {code} to replace it."]
    board_links = links(info, public_url)
    return [f"  Facilitator link (keep it secret): {board_links['facilitator_url']}",
            f"  Join code: {board_links['join_code']}   join link: {board_links['join_url']}",
            f"  Projector link: {board_links['projector_url']}"]
