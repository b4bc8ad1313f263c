"""The server's link key: the secret facilitator links are derived from.

It lives in a file of its own beside the database (``<db>.key``, mode 0600), so
the database alone opens no board, yet a facilitator link can be printed again
at every start without minting a new one (tokens.admin_token_for).
"""
import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class LinkKey:
    """The key file of one database: read when it exists, created once when first needed."""

    def __init__(self, path):
        self.path = Path(path)
        self._key = None

    def get(self):
        """The key, or None when no key file exists yet (nothing is created)."""
        if self._key is None and self.path.exists():
            self._key = self._read()
        return self._key

    def ensure(self):
        """The key, created with mode 0600 if this is the first board that needs one."""
        if self.get() is not None:
            return self._key
        try:
            # O_EXCL: of two processes racing to create it, one writes and the other reads its key.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.get()
        try:
            os.write(fd, secrets.token_hex(KEY_BYTES).encode("ascii"))
            os.fsync(fd)  # a link handed out must still open after a power cut
        finally:
            os.close(fd)
        _fsync_directory(self.path.parent)
        return self.get()

    def _read(self):
        text = self.path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
        if len(key) < 16:
            raise ValueError(f"{self.path} does not hold a link key")
        return key


def _fsync_directory(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
