"""An in-memory cache with expiry (per process), bounded in bytes and in entries: the
byte-bounded LRU of `intro_coach.cache`, with a time to live per entry."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from intro_coach.cache import ByteLRU, approx_size

V = TypeVar("V")

ENTRY_OVERHEAD = 200  # bytes: the OrderedDict slot, the tuple and the expiry


class TTLCache(Generic[V]):
    """At most `max_bytes` (approximate) and `max_items` entries, least recently used
    out first; an entry is gone once its time to live has passed."""

    def __init__(
        self,
        max_items: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        max_bytes: int = 16 * 1024 * 1024,
        size: Callable[[Hashable, V], int] | None = None,
    ) -> None:
        self.clock = clock
        self.max_bytes = max_bytes
        measure = size or (lambda k, v: approx_size(k) + approx_size(v))
        # Charging every entry at least its share of the budget bounds the count too.
        floor = max_bytes // max(1, max_items)

        def cost(key: Hashable, item: tuple[float, V]) -> int:
            return max(floor, measure(key, item[1]) + ENTRY_OVERHEAD)

        self._lru: ByteLRU[tuple[float, V]] = ByteLRU(max_bytes, cost)

    def __len__(self) -> int:
        return len(self._lru)

    @property
    def bytes(self) -> int:
        return self._lru.bytes

    def get(self, key: Hashable) -> V | None:
        item = self._lru.get(key)
        if item is None:
            return None
        if item[0] < self.clock():
            self._lru.drop(lambda k: k == key)
            return None
        return item[1]

    def put(self, key: Hashable, value: V, ttl: float) -> None:
        self._lru.put(key, (self.clock() + ttl, value))

    def drop(self, predicate: Callable[[Hashable], bool]) -> None:
        self._lru.drop(predicate)
