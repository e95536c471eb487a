"""Where the analyzer's time goes, stage by stage, for whoever listens (the service's
metrics). With nobody listening a lap costs one attribute check."""

from __future__ import annotations

import time
from collections.abc import Callable

Sink = Callable[[str, float], None]

_sink: Sink | None = None


def listen(sink: Sink | None) -> None:
    """Sends every stage's duration in seconds to `sink` (None: stop)."""
    global _sink
    _sink = sink


class Laps:
    """`lap = Laps(); ...; lap("referrer")` reports the time since the previous lap."""

    __slots__ = ("_last", "_sink")

    def __init__(self) -> None:
        self._sink = _sink
        self._last = time.perf_counter() if _sink is not None else 0.0

    def __call__(self, stage: str) -> None:
        if self._sink is None:
            return
        now = time.perf_counter()
        self._sink(stage, now - self._last)
        self._last = now
