"""What loading the shipped pack works out, kept between runs of the linter.

Each `intro-coach check` would otherwise parse the pack's YAML, read which words every
pattern requires (prefilter.py, with Python's regex parser) and rewrite every pattern,
the pack's and our own, into RE2's syntax (linear.py): tens of milliseconds each, for
results that depend only on the pack and the code that reads it. So they are kept in
the user's cache directory, in a file named by a hash of both. Only the pack and our
own patterns go there, never anything from a draft: translations are recorded only
until the pack has loaded, before any draft is read. A file that cannot be read, or
does not hold what it should, is ignored (and rewritten); a cache directory that
cannot be written to just means no cache.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import msgspec

from intro_coach import __version__, linear
from intro_coach.rules import prefilter

try:  # hashlib's sha256 loads OpenSSL, a few milliseconds of every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds it
    from hashlib import blake2b

_MAX_BYTES = 4 << 20  # the shipped pack's cache is about a tenth of this
_PREFIX = "startup-"
_STALE = ("startup-*.json", "requirements-*.json")  # earlier packs' and versions' files

# The last load: (pack source, whether a usable file was found, the pack's data in it).
_last: tuple[str, bool, Any] | None = None


# Paths with os.path: pathlib imports urllib and ipaddress, milliseconds of each run.
def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def pack_source() -> str:
    beside = os.path.join(os.path.dirname(__file__), "pack.yaml")
    if os.path.isfile(beside):  # importlib.resources imports tempfile, shutil and more
        return _read_bytes(beside).decode("utf-8")
    from importlib import resources  # a zipped install

    return resources.files("intro_coach.rules").joinpath("pack.yaml").read_text("utf-8")


def _directory() -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = os.environ.get("HOME") or ""
        if not home:
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "intro-coach")


def _path(source: str) -> str | None:
    directory = _directory()
    if directory is None:
        return None
    digest = blake2b(digest_size=16)
    digest.update(source.encode("utf-8", "surrogatepass"))
    digest.update(_read_bytes(prefilter.__file__))  # how requirements are found
    digest.update(_read_bytes(linear.__file__))  # how patterns are translated
    digest.update(__version__.encode())
    digest.update(sys.version.encode())  # Python's regex parser reads the patterns
    return os.path.join(directory, f"{_PREFIX}{digest.hexdigest()}.json")


class _File(msgspec.Struct, forbid_unknown_fields=True):
    """What the file holds; msgspec checks every field's type as it reads (in C, several
    times faster than JSON into Python objects checked afterwards)."""

    requirements: list[tuple[str, int, list[str] | None]]
    translations: list[tuple[str, int, str]] | None  # None: written by a server's start
    pack: dict[str, Any] | None


_DECODER = msgspec.json.Decoder(_File)


def _read(source: str) -> tuple[bool, Any]:
    try:
        path = _path(source)
        if path is None or os.stat(path).st_size > _MAX_BYTES:
            return False, None
        data = _DECODER.decode(_read_bytes(path))
    except (OSError, msgspec.DecodeError, RecursionError):
        return False, None
    if data.translations is None:
        return False, None
    prefilter.remember_requirements(
        {(p, f): None if words is None else frozenset(words) for p, f, words in data.requirements}
    )
    linear.remember_translations({(p, f): t for p, f, t in data.translations})
    return True, data.pack


def load(source: str) -> tuple[bool, Any]:
    """Prime the prefilter and the translations from the cache: whether a usable cache
    was found, and the pack's parsed data if it holds it (None to parse the YAML)."""
    global _last
    if _last is None or _last[0] != source:
        found, pack = _read(source)
        _last = (source, found, pack)
    return _last[1], _last[2]


def prime() -> None:
    """Load the cache before the modules whose patterns it holds are imported; without
    one, record their translations until the pack has loaded (`save`)."""
    found, _ = load(pack_source())
    if not found:
        linear.record_translations()


def save(source: str, pack: Any) -> None:
    """Write what loading the pack worked out, atomically, unless the cache already held
    it; quietly skip on any failure. Stops recording translations either way."""
    translations = linear.recorded_translations()
    linear.stop_recording()
    if load(source)[0]:
        return
    import json  # a warm start reads the file with msgspec

    try:
        if json.loads(json.dumps(pack)) != pack:  # only what JSON keeps as it is
            pack = None
    except (TypeError, ValueError):
        pack = None
    if not isinstance(pack, dict):
        pack = None
    rows = [
        [pattern, flags, None if words is None else sorted(words)]
        for (pattern, flags), words in prefilter.known_requirements().items()
    ]
    data = json.dumps(
        {
            "requirements": rows,
            # None when they were not recorded (a server's start): a linter run fills them
            "translations": None
            if translations is None
            else [[p, f, t] for (p, f), t in translations.items()],
            "pack": pack,
        }
    ).encode()
    if len(data) > _MAX_BYTES:
        return
    try:
        path = _path(source)
        if path is None:
            return
        import tempfile  # it imports shutil, and that every compression module
        from pathlib import Path  # a first run's: it writes

        directory = Path(path).parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{_PREFIX}")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        for pattern in _STALE:
            for stale in directory.glob(pattern):
                if stale != Path(path):
                    stale.unlink(missing_ok=True)
    except OSError:
        return
