"""`POST /v1/analyze` answered in front of every other layer of the app.

The extension calls it on every pause in typing. Passed through FastAPI's own layers, our
middleware stack (each an ASGI wrapper with its own send and receive) and the router, a
request cost about as much processor time as the analysis itself. This layer is
outermost and does for its requests, in one pass, what those layers do: it counts and
times the request (metrics.py), gives it an id (logs.py), refuses unknown origins
(guards.py), bounds the body in size and time, adds the CORS headers, and contains
errors; `answer` (api.py) then answers. Requests with a Gmail session go through the
whole stack to the router's route (the session, its rate limit, the context), as does
every other request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intro_coach import logs, metrics
from intro_coach.guards import REFUSED_ORIGIN, OriginGuard, refuse

log = logging.getLogger("intro_coach")

# The response to send for a request body.
Answer = Callable[[bytes, Scope], Awaitable[Response]]
ROUTE = "/v1/analyze"


class AnalyzeRoute:
    def __init__(
        self,
        app: ASGIApp,
        answer: Answer,
        *,
        origins: OriginGuard,
        cors_origins: frozenset[bytes],
        max_bytes: int,
        body_seconds: float,
        sessions: bool,
    ) -> None:
        self.app = app
        self.answer = answer
        self.origins = origins
        self.cors_origins = cors_origins
        self.max_bytes = max_bytes
        self.body_seconds = body_seconds
        # Requests carrying Authorization are the router's when Gmail is configured.
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or _route_path(scope) != ROUTE:
            await self.app(scope, receive, send)
            return
        origin = host = length = given_id = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"host":
                host = value
            elif name == b"content-length":
                length = value
            elif name == logs.HEADER:
                given_id = value
            elif name == b"authorization" and self.sessions:
                await self.app(scope, receive, send)
                return
        started = time.perf_counter()
        rid = (logs.usable_id(given_id) if given_id is not None else None) or logs.new_id()
        token = logs.request_id.set(rid)
        status = 500  # what the client gets if this dies before answering
        started_response = False
        extra = [(logs.HEADER, rid.encode())]

        async def answering(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status, started_response = message["status"], True
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        try:
            if origin is not None and not self.origins.origin_allowed(origin, host):
                await refuse(answering, 403, REFUSED_ORIGIN)
                return
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                await self._too_large(scope, receive, answering)
                return
            body = await self._body(receive)
            if isinstance(body, int):
                if body == 413:
                    await self._too_large(scope, receive, answering)
                elif body == 408:
                    detail = f"the request body took longer than {self.body_seconds:g} s"
                    await refuse(answering, 408, detail)
                return  # else the client went away
            response = await self.answer(body, scope)
            if self.cors_origins:  # as CORSMiddleware answers a request that is no preflight
                if origin in self.cors_origins:
                    extra.append((b"access-control-allow-origin", origin))
                extra.append((b"vary", b"Origin"))
            await response(scope, receive, answering)
        except Exception as exc:
            log.error("unexpected %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not started_response:
                await JSONResponse({"detail": "internal error"}, status_code=500)(
                    scope, receive, answering
                )
        finally:
            metrics.observe_request("POST", ROUTE, status, time.perf_counter() - started)
            logs.request_id.reset(token)

    async def _body(self, receive: Receive) -> bytes | int:
        """The whole body; 413 past max_bytes, 408 past body_seconds, 499 when the
        client went away."""
        chunks = []
        received = 0
        try:
            async with asyncio.timeout(self.body_seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return 499
                    chunk = message.get("body", b"")
                    received += len(chunk)
                    if received > self.max_bytes:
                        return 413
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            return 408

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is over {self.max_bytes} bytes"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
