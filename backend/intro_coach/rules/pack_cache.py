"""What loading the shipped pack works out, kept between runs of the linter.

Reading which words each pattern requires (prefilter.py) means parsing every pattern
of the pack with Python's regex parser: tens of milliseconds of each `intro-coach
check`, for a result that depends only on the pack and the code that reads it. So the
result is kept in the user's cache directory, in a file named by a hash of both.
Only the pack's own patterns go there, never anything from a draft. A file that cannot
be read, or does not hold what it should, is ignored (and rewritten); a cache
directory that cannot be written to just means no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from intro_coach.rules import prefilter

_MAX_BYTES = 4 << 20  # the shipped pack's file is about a tenth of this


def _directory() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = os.environ.get("HOME") or ""
        if not home:
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "intro-coach"


def _path(pack_source: str) -> Path | None:
    directory = _directory()
    if directory is None:
        return None
    digest = hashlib.sha256()
    digest.update(pack_source.encode("utf-8", "surrogatepass"))
    digest.update(Path(prefilter.__file__).read_bytes())  # how requirements are found
    digest.update(sys.version.encode())  # Python's regex parser reads the patterns
    return directory / f"requirements-{digest.hexdigest()[:32]}.json"


def _parse(data: Any) -> dict[tuple[str, int], prefilter.Requirement] | None:
    if not isinstance(data, list):
        return None
    known: dict[tuple[str, int], prefilter.Requirement] = {}
    for item in data:
        if not (isinstance(item, list) and len(item) == 3):
            return None
        pattern, flags, words = item
        if not isinstance(pattern, str) or type(flags) is not int:
            return None
        if words is None:
            known[(pattern, flags)] = None
        elif isinstance(words, list) and all(isinstance(w, str) for w in words):
            known[(pattern, flags)] = frozenset(words)
        else:
            return None
    return known


def load(pack_source: str) -> bool:
    """Prime the prefilter from the cache; whether a usable cache was found."""
    try:
        path = _path(pack_source)
        if path is None or path.stat().st_size > _MAX_BYTES:
            return False
        known = _parse(json.loads(path.read_bytes()))
    except (OSError, ValueError, RecursionError):
        return False
    if known is None:
        return False
    prefilter.remember_requirements(known)
    return True


def save(pack_source: str) -> None:
    """Write what loading the pack worked out, atomically; quietly skip on any failure."""
    rows = [
        [pattern, flags, None if words is None else sorted(words)]
        for (pattern, flags), words in prefilter.known_requirements().items()
    ]
    data = json.dumps(rows).encode()
    if len(data) > _MAX_BYTES:
        return
    try:
        path = _path(pack_source)
        if path is None:
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".requirements-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        for stale in path.parent.glob("requirements-*.json"):  # earlier packs' files
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return
