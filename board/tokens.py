"""Secrets and short codes: admin and participant tokens, join codes, ids.

Only hashes of tokens are stored, so a copy of the database opens no board.
"""
import base64
import hashlib
import hmac
import re
import secrets

# No I, L, O, 0 or 1: a code read off a projector must not be misread.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


# A link's token is `<board id>.<secret>`: the board id (not a secret) lets a proxy in front of several
# processes send every request of one board to the same process (docs/deployment.md); only the secret
# is hashed and stored, so a token minted before (the bare secret) still opens its board, and the
# stored hash of any older token opens it under either form.
BOARD_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
BOARD_KEY_SEPARATOR = "."


def routable(board_id, secret):
    """The form of a token that carries its board's id, for every link handed out."""
    return f"{board_id}{BOARD_KEY_SEPARATOR}{secret}"


def split_token(token):
    """(board id, secret) of a token; the board id is None for a bare (older) token.

    A prefix that is not shaped like a board id leaves the whole string as the secret, which then
    matches no stored hash."""
    board_id, separator, secret = token.partition(BOARD_KEY_SEPARATOR)
    if not separator or not BOARD_KEY_PATTERN.fullmatch(board_id):
        return None, token
    return board_id, secret


def secret_of(token):
    """The secret part of a token, with or without its board prefix."""
    return split_token(token)[1]


def new_token():
    """A URL-safe secret with 192 bits of randomness."""
    return secrets.token_urlsafe(24)


def token_hash(token):
    """The form a token is stored and looked up in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_join_code():
    """Six characters a participant can type from the projector."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code):
    """Accept lowercase and spaces or dashes typed by people."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper() if ch not in " -")


def is_join_code(code):
    """Whether `code` (normalised) has the shape of a join code: whether a board has it is not asked."""
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


def new_id(prefix):
    """A random id for a board or a participant, unguessable but not a secret."""
    return f"{prefix}{secrets.token_hex(6)}"


def admin_token_for(key, board_id, generation):
    """The facilitator token of a board's link generation, derived from the server's link key.

    The same key, board and generation always give the same token, so the start can print a
    board's link again; a new generation (a rotation) gives an unrelated one. 192 bits, as new_token.
    """
    message = f"admin:{board_id}:{generation}".encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def synthesis_token_for(key, board_id, edition):
    """The secret of a board's published synthesis link, for one publication `edition` (SYN2).

    Derived from the server's link key like the admin token, so the console can show the link again
    and nothing secret is stored; a new edition (publishing again after an unpublish) gives an
    unrelated link, and the old one opens nothing. A label of its own keeps it apart from admin tokens.
    """
    message = f"synthesis:{board_id}:{edition}".encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def projector_token_for(admin_token):
    """The projector token that goes with an admin token.

    Derived one way, so the facilitator's page can always show the projector
    link while the database keeps only hashes, and the projector link never
    reveals the admin one.
    """
    digest = hashlib.sha256(f"projector:{admin_token}".encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]
