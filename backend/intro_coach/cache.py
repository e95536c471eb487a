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

    def get(self, key: Hashable, default: V | None = None) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
        if self.name is not None:
            timing.cache_lookup(self.name, item is not None)
        return default if item is None else item[0]

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
