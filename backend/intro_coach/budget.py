"""The time one analysis may take, visible to the long loops inside it.

The analyzer sets a deadline in its thread's processor time (`time.thread_time()`) for
the request it runs (per thread: analyses run in worker threads side by side); a loop
that can run long over one paragraph (the ask model's sentences) checks it now and then
and raises `Spent`, and the analyzer skips what depended on it, saying so in a note.
Nothing half-done is remembered: the exception leaves the per-paragraph memo untouched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class Spent(Exception):
    """The analysis ran out of its time budget."""


@contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Within the block, `check()` raises Spent once time.thread_time() passes `at`."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous


def passed() -> bool:
    at: float | None = getattr(_local, "at", None)
    return at is not None and time.thread_time() > at


def check() -> None:
    if passed():
        raise Spent
