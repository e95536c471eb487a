"""Running the service under uvicorn with limits chosen on purpose.

uvicorn's defaults suit a server behind a proxy. Ours also runs bare on a laptop, where
any web page can open connections to it, so the slow-client limits are ours to set:
- at most `max_connections` connections and requests at once (503 beyond),
- `Settings.header_timeout_seconds` to send a request's headers (uvicorn has no such
  limit: a client that drips a header line a minute holds its connection for ever),
- `Settings.body_timeout_seconds` to send the body (guards.BodyDeadline),
- `KEEP_ALIVE_TIMEOUT` seconds of idle keep-alive, and a bounded graceful shutdown.
A public deployment should still sit behind a reverse proxy that buffers requests.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from intro_coach.config import Settings

KEEP_ALIVE_TIMEOUT = 5
GRACEFUL_SHUTDOWN_SECONDS = 10
# llhttp's own cap on one request's header block is 80 KiB; this keeps h11 alike.
MAX_HEADER_BYTES = 64 * 1024


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose headers never finish."""

    header_timeout = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        # Between requests the keep-alive timer owns the connection; only a request
        # that has begun, or a connection that never sent one, is cut here.
        idle = self.cycle is None or self.cycle.response_complete
        if idle and not self.transport.is_closing():
            self.transport.close()


class SpawnedHeaderDeadlineProtocol(HeaderDeadlineProtocol):
    """The same, importable by name for worker processes (which uvicorn spawns, so the
    protocol class must pickle); each reads the deadline from the environment it
    inherits."""

    header_timeout = float(
        os.environ.get("INTRO_COACH_HEADER_TIMEOUT_SECONDS", Settings.header_timeout_seconds)
    )


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    protocol = type(
        "HeaderDeadlineProtocol",
        (HeaderDeadlineProtocol,),
        {"header_timeout": settings.header_timeout_seconds},
    )
    return {
        "http": protocol,
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "backlog": 512,
    }


def serve(host: str, port: int, log_level: str, workers: int = 1) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from intro_coach.logs import uvicorn_log_config

    settings = Settings.from_env()
    spawned: dict[str, Any] = {}
    if workers > 1:
        spawned["http"] = f"{__name__}:SpawnedHeaderDeadlineProtocol"
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker counts in files here, so that /metrics, whichever worker answers
        # it, sums them all. Set before the workers start (they read it at import).
        scratch = tempfile.TemporaryDirectory(prefix="intro-coach-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = scratch.name
    uvicorn.run(
        "intro_coach.api:create_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        workers=workers,
        # The load balancer in front (compose, Kubernetes) sets X-Forwarded-*.
        proxy_headers=True,
        log_config=uvicorn_log_config(settings.log_format, log_level) or LOGGING_CONFIG,
        **{**uvicorn_options(settings), **spawned},
    )
