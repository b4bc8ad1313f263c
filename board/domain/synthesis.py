"""The published synthesis ("Découvrez le panorama"): the facilitator publishes it, and unpublishes it.

While it is published, a read-only page at a link of its own shows the workshop's final Panorama,
the must-haves and the new cards to people who were not in the room (SYN1). The link's secret is no
part of the board: the server derives it from its link key, the board id and the publication's
`edition`, which grows at each publication after an unpublish, so that a link handed out before an
unpublish never opens the page again (SYN2). Whether the page names the authors of new cards is the
facilitator's choice at publishing (`include_names`, SYN3); it can be changed while published, the
link staying the same.

Resolvers take (board, actor, role, command) and give (event type, data) or a Rejection; evolvers
apply an event's data. decide.py and evolve.py register them.
"""
from .errors import CONFLICT, Rejection


# -- resolvers

def publish_synthesis(board, actor, role, cmd):
    """Publish the synthesis, or change whether it names authors while it stays published (SYN1, SYN3)."""
    publication = board.publication
    include_names = bool(cmd.include_names)
    if publication["published"]:
        if publication["include_names"] == include_names:
            return Rejection(CONFLICT, "The synthesis is already published as asked.")
        return "synthesis_published", {"edition": publication["edition"], "include_names": include_names}
    return "synthesis_published", {"edition": publication["edition"] + 1, "include_names": include_names}


def unpublish_synthesis(board, actor, role, cmd):
    """Take the synthesis back: its link opens nothing from now on (SYN2)."""
    if not board.publication["published"]:
        return Rejection(CONFLICT, "The synthesis is not published.")
    return "synthesis_unpublished", {"edition": board.publication["edition"]}


# -- evolvers

def synthesis_published(board, data):
    board.publication = {"published": True, "include_names": data["include_names"], "edition": data["edition"]}


def synthesis_unpublished(board, data):
    board.publication = {**board.publication, "published": False}


FACILITATOR_COMMANDS = ("publish_synthesis", "unpublish_synthesis")
RESOLVERS = {"publish_synthesis": publish_synthesis, "unpublish_synthesis": unpublish_synthesis}
EVOLVERS = {"synthesis_published": synthesis_published, "synthesis_unpublished": synthesis_unpublished}
