"""Where the service's analyses run: a few long-lived threads, never the event loop.

Handing each analysis to a general thread pool and back cost more processor time than a
typical analysis itself (about 0.4 ms a request under load, measured with anyio's pool:
a capacity limiter, futures, a condition variable per hand-over, and the GIL passed to
and fro each time). A lane is one thread and a queue: it takes every analysis waiting,
runs them one after another and hands the results back to the event loop in one call,
so under load its thread never sleeps and the loop is woken once per batch.

Large drafts get lanes of their own, so that a burst of them (each up to the analyzer's
time budget) never queues ahead of someone typing a short one; the GIL still shares the
processor between the lanes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Requests at least this large go to the lanes for large drafts (a 150-word draft is
# about 2 KB of JSON; a Gmail HTML draft with its quoted thread can be tens of KB).
LARGE_BYTES = 24 * 1024
# A lane's thread ends after this long with nothing to do, and starts again when work
# comes (apps created and dropped, as in tests, leave no thread behind).
IDLE_SECONDS = 10.0

_Job = tuple[Callable[[], Any], "asyncio.Future[Any]", asyncio.AbstractEventLoop]
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class Lane:
    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._alive = False  # a thread serves the queue
        self._sleeping = False  # ... and waits for work
        self.queued = 0  # submitted and not yet finished, to pick the shortest lane

    def submit(self, work: Callable[[], T]) -> asyncio.Future[T]:
        """Runs `work` in this lane's thread; the future resolves on the calling loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self._jobs.append((work, future, loop))
            self.queued += 1
            if not self._alive:
                self._alive = True
                threading.Thread(target=self._serve, name=self.name, daemon=True).start()
            elif self._sleeping:
                self._wake.notify()
        return future

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._jobs:
                    self._sleeping = True
                    woken = self._wake.wait(IDLE_SECONDS)
                    self._sleeping = False
                    if not woken and not self._jobs:
                        self._alive = False
                        return
                batch = list(self._jobs)
                self._jobs.clear()
            done: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
            for work, future, loop in batch:
                outcome: _Outcome
                try:
                    outcome = (future, work(), None)
                except BaseException as exc:  # handed to the request that awaits it
                    outcome = (future, None, exc)
                done.setdefault(loop, []).append(outcome)
                with self._lock:
                    self.queued -= 1
            for loop, outcomes in done.items():
                _post(loop, outcomes)


def _post(loop: asyncio.AbstractEventLoop, done: list[_Outcome]) -> None:
    # A loop that has closed (RuntimeError) has nobody waiting any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_settle, done)


def _settle(done: list[_Outcome]) -> None:
    for future, result, exc in done:
        if future.cancelled():
            continue
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)


class Lanes:
    """`threads` lanes: the first for ordinary drafts, the others for large ones (one
    lane serves both when `threads` is 1)."""

    def __init__(self, threads: int, name: str = "analyze") -> None:
        self.lanes = [Lane(f"{name}-{i}") for i in range(max(1, threads))]

    async def run(self, work: Callable[[], T], size: int = 0) -> T:
        lanes = self.lanes
        if size >= LARGE_BYTES and len(lanes) > 1:
            lane = min(lanes[1:], key=lambda lane: lane.queued)
        else:
            lane = lanes[0]
        return await lane.submit(work)
