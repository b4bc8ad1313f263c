"""Which board a request is for, read the way the proxy in front of several processes reads it.

With several server processes (docs/deployment.md), nginx sends every request of one board to the
same process by hashing the board's id, which it finds in the request itself: the prefix of the token
in a link's path (/f/<board>.<secret>/...), the `board` query parameter (Socket.IO's URL, long-polling
included, and the join form's), or the prefix of a bearer token. `board_key` is the same rule in
Python, so a process can tell a request that reached it by that rule from one it must send on
(`nginx_board_map` writes the rule for nginx). Standard library only.
"""
import re

from .tokens import BOARD_KEY_SEPARATOR

# /f/, /p/, /s/ and /r/ links: the token is the second path segment.
TOKEN_PATH = re.compile(r"^/(?:f|p|s|r)/([A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]+(?:/.*)?$")
BOARD_ARG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
BEARER = re.compile(r"^Bearer ([A-Za-z0-9_-]{1,64})\.")


def board_key(path, args, headers):
    """The board id a request is routed on, or "" when it carries none (as nginx's map says)."""
    match = TOKEN_PATH.match(path)
    if match:
        return match.group(1)
    board = args.get("board", "")
    if board and BOARD_ARG.match(board):
        return board
    match = BEARER.match(headers.get("Authorization", ""))
    return match.group(1) if match else ""


def nginx_board_map():
    """The nginx `map` blocks that set $board as board_key does (the path, then ?board=, then the
    bearer token); an empty $board hashes like any key, so such requests land on one process."""
    separator = re.escape(BOARD_KEY_SEPARATOR)
    return f"""map $http_authorization $board_from_bearer {{
    default "";
    "~^Bearer (?<b>[A-Za-z0-9_-]{{1,64}}){separator}" $b;
}}
map $arg_board $board_from_arg {{
    default $board_from_bearer;
    "~^(?<b>[A-Za-z0-9_-]{{1,64}})$" $b;
}}
map $uri $board {{
    default $board_from_arg;
    "~^/(?:f|p|s|r)/(?<b>[A-Za-z0-9_-]{{1,64}}){separator}[A-Za-z0-9_-]+(?:/.*)?$" $b;
}}
"""

