"""ASGI guards that run before any work: who may call us, and how slowly.

The service listens on 127.0.0.1, which every web page the user opens can reach. A page
can POST `text/plain` without a CORS preflight, so CORS alone does not stop it: the
browser sends the request and only hides the answer. Browsers always name the page in
`Origin` on such a request, so refusing unknown origins stops the work itself.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Hosts that name this machine literally. A page that rebinds its own DNS name to
# 127.0.0.1 still sends its own name as Host, so it never matches.
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})

REFUSED_ORIGIN = (
    "requests from web pages are refused: only the Intro Coach extension, the command "
    "line and server-to-server calls may use this service"
)


def _host_without_port(host: str) -> str:
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def refuse(send: Send, status: int, detail: str) -> None:
    """A JSON error answer that also closes the connection."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class OriginGuard:
    """Answers 403 to any request whose `Origin` is not an allowed extension.

    No `Origin` (curl, the CLI, Google's servers, top-level navigations) passes. So does
    the service's own page on a loopback host (the OpenAPI page's "Try it out"). With the
    allow-list set empty, any extension origin passes: an extension's requests need the
    user to have installed it, which a web page cannot do.
    """

    def __init__(self, app: ASGIApp, extension_ids: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(f"chrome-extension://{i}".encode() for i in extension_ids)

    def origin_allowed(self, origin: bytes, host: bytes | None) -> bool:
        if origin in self.allowed:
            return True
        if not self.allowed and origin.startswith(b"chrome-extension://"):
            return True
        if host is not None:
            name = _host_without_port(host.decode("latin-1").lower())
            if name in _LOOPBACK_HOSTS and origin == b"http://" + host.lower():
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            origin = host = None
            for name, value in scope["headers"]:
                if name == b"origin":
                    origin = value
                elif name == b"host":
                    host = value
            if origin is not None and not self.origin_allowed(origin, host):
                await refuse(send, 403, REFUSED_ORIGIN)
                return
        await self.app(scope, receive, send)


class BodyDeadline:
    """Gives a client a fixed time to send the whole request body.

    uvicorn waits for a body forever; a client that sends a byte a minute would hold a
    worker slot and its buffers for as long as it likes.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        complete = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            async with asyncio.timeout_at(deadline):
                message = await receive()
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        try:
            await self.app(scope, timed_receive, send)
        except TimeoutError:
            if complete:
                raise
            await refuse(send, 408, f"the request body took longer than {self.seconds:g} s")
