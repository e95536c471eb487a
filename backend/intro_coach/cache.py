"""An in-memory cache bounded in bytes, least recently used out first.

Bounding a cache in entries is not enough when the values are other people's text: 4,096
paragraphs of 100 KB each is 400 MB. Each entry here is charged its approximate size, and
the cache drops the oldest entries once the total passes its budget. It is thread-safe:
the analyzer runs in a thread pool.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from intro_coach import timing

V = TypeVar("V")


_SCALARS = (str, bytes, int, float, bool, type(None))


def approx_size(value: object, depth: int = 4) -> int:
    """Roughly how many bytes `value` holds: containers and dataclasses are walked, to
    `depth` levels (what the analyzer caches is shallow; below that only the objects'
    own size counts). Shared objects are counted each time they are reached, which errs
    on the side of a smaller cache."""
    size = sys.getsizeof(value)
    if depth <= 0 or isinstance(value, _SCALARS):
        return size
    if isinstance(value, tuple | list | set | frozenset):
        return size + sum(
            sys.getsizeof(v) if isinstance(v, _SCALARS) else approx_size(v, depth - 1)
            for v in value
        )
    if isinstance(value, dict):
        return size + sum(
            approx_size(k, depth - 1) + approx_size(v, depth - 1) for k, v in value.items()
        )
    names = getattr(value, "__dataclass_fields__", None)
    if names is not None:
        return size + sum(approx_size(getattr(value, n), depth - 1) for n in names)
    return size


class ByteLRU(Generic[V]):
    """A mapping that keeps its entries' total size under `max_bytes`.

    An entry larger than the whole budget is not kept at all (it would only push out
    everything else). `bytes` is the current total, for tests and metrics.
    """

    def __init__(
        self,
        max_bytes: int,
        size: Callable[[Hashable, V], int] | None = None,
        name: str | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.name = name  # a named cache reports its hits and misses (timing.cache_lookup)
        self._size = size or (lambda key, value: approx_size(key) + approx_size(value))
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self._hits = 0
        self._misses = 0

    def get(self, key: Hashable, default: V | None = None) -> V | None:
        # No lock on the way in: a lookup is one C call on the OrderedDict (atomic under
        # the GIL), and the analyzer makes dozens per request. A key another thread drops
        # between the two calls was a hit all the same. The counts are metrics: two
        # threads counting at the same instant may lose one.
        item = self._items.get(key)
        if item is None:
            self._misses += 1
            return default
        self._hits += 1
        try:  # noqa: SIM105 - contextlib.suppress costs more than the lookup
            self._items.move_to_end(key)
        except KeyError:
            pass
        return item[0]

    def lookup(self, key: Hashable) -> V | None:
        """`get` that leaves the counting to the caller (`tally`): a cache of entries
        that each hold several results counts the results."""
        item = self._items.get(key)
        if item is None:
            return None
        try:  # noqa: SIM105 - contextlib.suppress costs more than the lookup
            self._items.move_to_end(key)
        except KeyError:
            pass
        return item[0]

    def tally(self, hit: bool) -> None:
        if hit:
            self._hits += 1
        else:
            self._misses += 1

    def charge(self, key: Hashable, extra: int) -> None:
        """Add `extra` bytes to what the entry at `key` is charged (it grew in place);
        nothing if it is gone."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return
            cost = item[1] + extra
            if cost > self.max_bytes:
                del self._items[key]
                self.bytes -= item[1]
                return
            self._items[key] = (item[0], cost)
            self.bytes += extra
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def report(self) -> None:
        """Send the hits and misses counted since the last report to whoever listens
        (timing.cache_lookup), for a named cache: once per request, not per lookup,
        which would cost more than the lookups themselves."""
        if self.name is None:
            return
        with self._lock:
            hits, misses = self._hits, self._misses
            self._hits = self._misses = 0
        if hits:
            timing.cache_lookup(self.name, True, hits)
        if misses:
            timing.cache_lookup(self.name, False, misses)

    def put(self, key: Hashable, value: V) -> None:
        cost = self._size(key, value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            if cost > self.max_bytes:
                return
            self._items[key] = (value, cost)
            self.bytes += cost
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def drop(self, predicate: Callable[[Hashable], bool]) -> None:
        with self._lock:
            for key in [k for k in self._items if predicate(k)]:
                self.bytes -= self._items.pop(key)[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items
