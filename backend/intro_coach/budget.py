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


class Deadline:
    """`seconds` of this thread's processor time from now. The thread cannot use more
    processor time than wall time goes by, and the wall clock is read without a system
    call (the thread's clock is not), so until that much wall time has gone by the
    deadline is known not to have passed."""

    __slots__ = ("_cpu", "_wall")

    def __init__(self, seconds: float) -> None:
        self._cpu = time.thread_time() + seconds
        self._wall = time.perf_counter() + seconds

    def passed(self) -> bool:
        return time.perf_counter() >= self._wall and time.thread_time() > self._cpu


@contextmanager
def deadline(at: Deadline | None) -> Iterator[None]:
    """Within the block, `check()` raises Spent once `at` has passed."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous


def passed() -> bool:
    at: Deadline | None = getattr(_local, "at", None)
    return at is not None and at.passed()


def check() -> None:
    if passed():
        raise Spent
