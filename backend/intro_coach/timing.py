"""Where the analyzer's time goes, stage by stage, and how often its caches answer, for
whoever listens (the service's metrics). With nobody listening a lap or a lookup costs
one attribute check."""

from __future__ import annotations

import time
from collections.abc import Callable

Sink = Callable[[str, float], None]
CacheSink = Callable[[str, bool, int], None]

# Upper bounds of the stage-time histogram, in seconds (metrics.py; workers.Tally).
STAGE_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25)

_sink: Sink | None = None
_cache_sink: CacheSink | None = None


def listen(sink: Sink | None) -> None:
    """Sends every stage's duration in seconds to `sink` (None: stop)."""
    global _sink
    _sink = sink


def listen_caches(sink: CacheSink | None) -> None:
    """Sends the lookups in a named cache, as (cache name, hit, how many), to `sink`."""
    global _cache_sink
    _cache_sink = sink


def cache_lookup(name: str, hit: bool, count: int = 1) -> None:
    if _cache_sink is not None:
        _cache_sink(name, hit, count)


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
