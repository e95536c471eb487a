"""Encryption at rest (Fernet, with rotation) and hashing of the tokens clients hold."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyError_(Exception):
    """The encryption keys are missing or malformed."""


class Cipher:
    """Encrypts with the first key; decrypts with any. Rotating keys: put a new key
    first, keep the old ones after it, run `Store.rotate_keys()`, then drop the old."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyError_("no encryption key")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        except (ValueError, TypeError) as exc:
            raise KeyError_(
                "an encryption key is not a Fernet key (32 url-safe base64 bytes)"
            ) from exc

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise KeyError_("stored secret cannot be decrypted with the configured keys") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypts with the newest key."""
        return self._fernet.rotate(token.encode()).decode()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def load_or_create_key_file(path: Path) -> list[str]:
    """Keys from a file, one a line, newest first; a new file (0600) with one fresh key
    when there is none. A file others can read is refused."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        _create_key_file(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyError_(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not keys:
        raise KeyError_(f"{path} holds no key")
    return keys


def _create_key_file(path: Path) -> None:
    """Writes the key in a private temporary file, then links it into place: another
    process starting at the same moment sees either no file or the whole key, never an
    empty one, and only the first link wins."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # Another process may have won; its key is the one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def new_token(prefix: str) -> str:
    """A bearer secret for a client: 256 random bits."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
