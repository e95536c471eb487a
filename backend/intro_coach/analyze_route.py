"""`POST /v1/analyze` as a plain ASGI app, in front of FastAPI's router.

The extension calls it on every pause in typing, and FastAPI's routing and dependency
machinery cost about as much CPU as the rules themselves. This app answers the request
itself and hands everything else to the router. It sits inside every middleware (size
limits, deadlines, origin checks, metrics), so they apply as before; what it answers is
decided by `answer` (api.py), which can also pass a request on to the router (the
Gmail path, with its session): the body already read is then replayed to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The response to send, or None to pass the request on to the router.
Answer = Callable[[bytes, Scope], Awaitable[Response | None]]


class AnalyzeRoute:
    def __init__(self, app: ASGIApp, answer: Answer, path: str = "/v1/analyze") -> None:
        self.app = app
        self.answer = answer
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or _route_path(scope) != self.path:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client went away
        response = await self.answer(body, scope)
        if response is None:
            await self.app(scope, _replay(body, receive), send)
            return
        await response(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body once, then the connection's own messages (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
