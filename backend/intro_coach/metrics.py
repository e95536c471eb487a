"""Prometheus metrics: requests per route and status, analyzer stages, calls to outside
services (Gmail, grammar, Redis), cache hits.

Labels are fixed words (route templates, stage and service names), never anything a
user sent: a path that is no route is counted as "unmatched", so scanning for URLs
cannot grow the number of series, and no draft, token or address becomes a label.

Several worker processes: set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by
the workers (prometheus-client's multiprocess mode) and every scrape sums them all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intro_coach import timing

# The method is the client's word: any other becomes "other", as unknown paths do.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

REQUESTS = Counter(
    "intro_coach_http_requests",
    "HTTP requests answered, by route template and status.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "intro_coach_http_request_duration_seconds",
    "Time from request to the end of the response, by route template and status.",
    ["method", "route", "status"],
    buckets=_LATENCY_BUCKETS,
)
ANALYZER_SECONDS = Histogram(
    "intro_coach_analyzer_stage_seconds",
    "Analyzer time per stage: prepare (text extraction), referrer, phrases (the rule "
    "pack's phrase rules), checks (whole-email checks), suggestions.",
    ["stage"],
    buckets=timing.STAGE_BUCKETS,
)
CALL_SECONDS = Histogram(
    "intro_coach_dependency_call_duration_seconds",
    "Calls to outside services (gmail, google_token, grammar, redis), by operation.",
    ["service", "operation"],
    buckets=_LATENCY_BUCKETS,
)
CALL_FAILURES = Counter(
    "intro_coach_dependency_call_failures",
    "Calls to outside services that failed (timeout, error status, unreachable).",
    ["service", "operation"],
)
CACHE = Counter(
    "intro_coach_cache_lookups",
    "Cache lookups by cache and result (hit or miss); hit rate = hit / (hit + miss).",
    ["cache", "result"],
)
RATE_LIMITED = Counter(
    "intro_coach_rate_limited",
    "Requests refused by a rate limit, by limit.",
    ["limit"],
)


# Labelled children, looked up once: `labels()` costs microseconds, and the analyzer
# reports a stage or a cache lookup dozens of times per request.
_STAGES: dict[str, Any] = {}
_LOOKUPS: dict[tuple[str, bool], Any] = {}


def _stage(stage: str) -> Any:
    child = _STAGES.get(stage)
    if child is None:
        child = _STAGES[stage] = ANALYZER_SECONDS.labels(stage)
    return child


def _observe_stage(stage: str, seconds: float) -> None:
    _stage(stage).observe(seconds)


def absorb(tally: dict[str, Any]) -> None:
    """Adds what an analysis process counted (workers.Tally) to this process's metrics:
    per stage, how many timings fell in each bucket and their sum; per cache, lookups."""
    stages = tally.get("stages")
    for stage, counts in stages.items() if isinstance(stages, dict) else ():
        if not isinstance(counts, list) or len(counts) != len(timing.STAGE_BUCKETS) + 2:
            continue
        child = _stage(str(stage))
        # prometheus-client keeps a histogram's buckets uncumulated, as the tally does;
        # it has no public call that adds n observations at once.
        for bucket, count in zip(child._buckets, counts, strict=False):
            if count:
                bucket.inc(count)
        child._sum.inc(counts[-1])
    caches = tally.get("caches")
    for entry in caches if isinstance(caches, list) else ():
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], int):
            cache_lookup(str(entry[0]), bool(entry[1]), entry[2])


def enable_analyzer_timing() -> None:
    timing.listen(_observe_stage)
    timing.listen_caches(cache_lookup)


@contextmanager
def call(service: str, operation: str) -> Iterator[None]:
    """Times a call to an outside service; an exception counts as a failure."""
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        CALL_FAILURES.labels(service, operation).inc()
        raise
    finally:
        CALL_SECONDS.labels(service, operation).observe(time.perf_counter() - started)


def failed(service: str, operation: str) -> None:
    """A call that returned but did not do its job (an error answer the caller handles)."""
    CALL_FAILURES.labels(service, operation).inc()


def cache_lookup(cache: str, hit: bool, count: int = 1) -> None:
    child = _LOOKUPS.get((cache, hit))
    if child is None:
        child = _LOOKUPS[cache, hit] = CACHE.labels(cache, "hit" if hit else "miss")
    child.inc(count)


def render() -> tuple[bytes, str]:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


_REQUESTS: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One HTTP request answered: `method` and `route` are fixed words (see above)."""
    children = _REQUESTS.get((method, route, status))
    if children is None:
        labels = (method, route, str(status))
        children = REQUESTS.labels(*labels), REQUEST_SECONDS.labels(*labels)
        _REQUESTS[method, route, status] = children
    children[0].inc()
    children[1].observe(seconds)


class ObserveRequests:
    """Counts and times every HTTP request by route template and status.

    Pure ASGI, and the outermost layer, so that it sees every way a request can end
    (a 413 before parsing, a contained 500, an endpoint mounted outside the router).
    """

    def __init__(self, app: ASGIApp, paths: frozenset[str]) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app dies before answering

        async def observing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "other"
            observe_request(method, self._route(scope), status, time.perf_counter() - started)

    def _route(self, scope: Scope) -> str:
        path: str = scope["path"]
        if path in self.paths:
            return path
        matched = scope.get("route")
        template = getattr(matched, "path", None)
        return template if isinstance(template, str) else "unmatched"
