"""The HTTP service: a thin layer that parses, calls the analyzer and answers."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intro_coach import __version__, metrics
from intro_coach import schema_pydantic as twins
from intro_coach.addon.router import router as addon_router
from intro_coach.analyze_route import AnalyzeRoute
from intro_coach.analyzer import analyze, warm_up
from intro_coach.auth.router import connection_of, require_session
from intro_coach.auth.router import router as gmail_router
from intro_coach.cache import ByteLRU
from intro_coach.config import Settings
from intro_coach.draft_json import Refusal, read_draft
from intro_coach.guards import BodyDeadline, OriginGuard
from intro_coach.lanes import Lanes
from intro_coach.languagetool import GrammarBackend
from intro_coach.logs import RequestId
from intro_coach.schema import AnalyzeRequest
from intro_coach.workers import AnalysisProcesses, Failed, Unavailable

log = logging.getLogger("intro_coach")

ANSWER_CACHE_BYTES = 8 * 2**20
# In an answer cut short by the analyzer's time budget (checks.notes), which is not kept.
_BUDGET_NOTE = b"time budget reached"


def _answer_size(key: Hashable, answer: bytes) -> int:
    # The key is bytes too; 200 for the entry's own objects.
    return (len(key) if isinstance(key, bytes) else 0) + len(answer) + 200


class RequestSizeLimit:
    """Refuses request bodies over a size before anything buffers or parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is over {self.max_bytes} bytes"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


class _TooLarge(Exception):
    pass


class ContainErrors:
    """Turns an unexpected exception into a plain 500 and logs only its type.

    An exception's message or traceback may quote the draft, and Starlette's own
    handler re-raises to the server, which logs both; this one does not re-raise.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("unexpected %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not started:
                response = JSONResponse({"detail": "internal error"}, status_code=500)
                await response(scope, receive, send)


class _WithoutQuery(logging.Filter):
    """Access log lines keep the path but not the query: OAuth codes, states and email
    addresses travel there."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def _read_draft(body: bytes) -> AnalyzeRequest | JSONResponse:
    """The draft in `body`, or the 4xx that says why it is not one."""
    draft = read_draft(body)
    if isinstance(draft, Refusal):
        return JSONResponse(draft.content, status_code=draft.status)
    return draft


def _analysis_trouble(exc: Unavailable | Failed) -> JSONResponse:
    if isinstance(exc, Unavailable):  # a crashed or stuck analysis process, replaced
        return JSONResponse(
            {"detail": f"{exc}; try again"}, status_code=503, headers={"Retry-After": "1"}
        )
    log.error("unexpected %s in the analysis", exc.kind)
    return JSONResponse({"detail": "internal error"}, status_code=500)


class _App(FastAPI):
    """FastAPI with one layer in front of everything it builds (its own error handling
    and every middleware): `front`, given the stack it goes in front of."""

    front: Callable[[ASGIApp], ASGIApp] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return stack if self.front is None else self.front(stack)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    # The analyzer's worker threads hold the GIL for up to this long before the event
    # loop gets it back: 1 ms (Python's default is 5) keeps /healthz and light requests
    # answering promptly while a 100 KB draft is analysed.
    sys.setswitchinterval(0.001)
    grammar = GrammarBackend.from_settings(settings)
    processes = (
        AnalysisProcesses(settings.analyze_processes, settings.analyze_budget_seconds)
        if settings.analyze_processes > 0
        else None
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if grammar.announce:
            log.warning("%s", grammar.off_reason)
        grammar.start()
        if processes is not None:
            processes.start()  # they warm up while this process does
        await anyio.to_thread.run_sync(warm_up)
        # What was built so far (the pack, compiled patterns) lives as long as the
        # process: out of the collector's way, full collections stay short.
        gc.freeze()
        try:
            yield
        finally:
            # After the server stopped taking requests and the in-flight ones finished:
            # the LanguageTool child (if any) stops, the Gmail connection closes.
            grammar.stop()
            if processes is not None:
                processes.close()
            if app.state.gmail is not None:
                app.state.gmail.close()

    app = _App(
        title="Intro Coach",
        version=__version__,
        summary="Coaching for networking emails that get answered.",
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry spans and metrics cost CPU on every request and
        # nothing here reads them (the service's metrics are in metrics.py).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.grammar = grammar
    # The opt-in Gmail connection exists only when a Google client is configured.
    app.state.gmail = None
    if settings.gmail_configured:
        from intro_coach.auth.connection import Connection

        app.state.gmail = Connection(settings)
    app.include_router(gmail_router)
    app.include_router(addon_router(settings))

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", tags=["service"], include_in_schema=False)
    async def prometheus_metrics() -> Response:
        if processes is not None:
            await processes.tallies(metrics.absorb)
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    @app.post(
        "/v1/analyze",
        response_model=twins.AnalyzeResponse,
        tags=["analyzer"],
        responses={413: {"description": "Body or attachment list too large"}},
    )
    async def analyze_draft(request: Request) -> Response:
        """Analyze a draft. The body is JSON whatever its Content-Type says, so that
        `curl -d @draft.json` works as written. (Answered by AnalyzeRoute in front of
        the app; only requests with a Gmail session come through here.)"""
        draft = _read_draft(await request.body())
        if isinstance(draft, JSONResponse):
            return draft
        try:
            if "authorization" not in request.headers or app.state.gmail is None:
                body = await run_analysis(draft)
            else:
                body = await _analyze_with_gmail(request, draft)
        except (Unavailable, Failed) as exc:
            return _analysis_trouble(exc)
        return Response(body, media_type="application/json")

    lanes = Lanes(settings.analyze_threads)

    async def run_analysis(draft: AnalyzeRequest, size: int = 0, **known: Any) -> bytes:
        """The analyzer in an analysis process (workers.py) or a worker thread
        (lanes.py), never on the event loop, within its processor-time budget; the JSON
        is written there too. `size`: the request's size in bytes, which picks the
        process or lane."""
        if processes is not None:
            return await processes.draft(draft, size, **known)

        def work() -> bytes:
            result = analyze(draft, budget_seconds=settings.analyze_budget_seconds, **known)
            return result.json_bytes()

        if settings.analyze_threads == 0:
            return work()
        return await lanes.run(work, size)

    # Whole answers to requests without a Gmail session, by client and the exact bytes
    # sent: the extension re-sends an unchanged draft (focus changes, retries), and the
    # same request then costs little more than reading it. What is kept depends on
    # nothing but those bytes (no session, no context; answers cut short by the time
    # budget are not kept), lives in memory only, and the client is part of the key so
    # that nobody can time whether someone else sent a given draft.
    answers: ByteLRU[bytes] = ByteLRU(ANSWER_CACHE_BYTES, size=_answer_size)

    async def answer_analyze(body: bytes, scope: Scope) -> Response:
        client = scope.get("client")
        key = (client[0] if client else "").encode() + b"\n" + body
        answer = answers.get(key)
        metrics.cache_lookup("answers", answer is not None)
        if answer is None:
            try:
                if processes is not None:  # it reads the body too
                    status, answer = await processes.body(body)
                    if status != 200:
                        return Response(answer, status_code=status, media_type="application/json")
                else:
                    draft = _read_draft(body)
                    if isinstance(draft, JSONResponse):
                        return draft
                    answer = await run_analysis(draft, len(body))
            except (Unavailable, Failed) as exc:
                return _analysis_trouble(exc)
            if _BUDGET_NOTE not in answer:
                answers.put(key, answer)
        return Response(answer, media_type="application/json")

    async def _analyze_with_gmail(request: Request, draft: AnalyzeRequest) -> bytes:
        connection = connection_of(request)
        session = await require_session(request, connection)
        allowed, retry = connection.analyze_limit.allow(session.key)
        if not allowed:
            metrics.RATE_LIMITED.labels("analyze").inc()
            raise HTTPException(
                429,
                "too many requests for this session; slow down",
                headers={"Retry-After": str(max(1, round(retry)))},
            )
        context, status = await connection.context.context_for(session.user_id, session.key, draft)
        size = len(await request.body())  # read already: Starlette keeps it
        return await run_analysis(draft, size, context=context, checks_status=status)

    @app.post(
        "/v1/grammar",
        response_model=twins.GrammarResponse,
        tags=["analyzer"],
        responses={413: {"description": "Body or attachment list too large"}},
    )
    async def grammar_findings(request: Request) -> Response:
        """Grammar and spelling for the same draft as /v1/analyze, asked for after it:
        LanguageTool is slower than the rules and must never hold them up."""
        draft = _read_draft(await request.body())
        if isinstance(draft, JSONResponse):
            return draft
        result = await asyncio.to_thread(grammar.analyze, draft)
        return Response(result.json_bytes(), media_type="application/json")

    if settings.bench_endpoints:

        @app.post("/bench/noop", include_in_schema=False)
        async def noop(request: Request) -> Response:
            await request.body()
            return Response(b'{"findings":[]}', media_type="application/json")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, routes=app.routes, summary=app.summary
        )
        request_schema = twins.AnalyzeRequest.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(request_schema.pop("$defs", {}))
        components["AnalyzeRequest"] = request_schema
        for path in ("/v1/analyze", "/v1/grammar"):
            schema["paths"][path]["post"]["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}}
                },
            }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.extension_ids:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[f"chrome-extension://{i}" for i in settings.extension_ids],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(BodyDeadline, seconds=settings.body_timeout_seconds)
    app.add_middleware(ContainErrors)
    # A refused origin costs nothing but the two layers below.
    app.add_middleware(OriginGuard, extension_ids=settings.extension_ids)
    # Around everything: every request is counted and carries its id, however it ends.
    app.add_middleware(RequestId)
    routes = frozenset(p for r in app.routes if "{" not in (p := getattr(r, "path", "{")))
    app.add_middleware(metrics.ObserveRequests, paths=routes)
    # In front of all of them, doing what they do for its own requests (analyze_route.py).
    app.state.run_analysis = run_analysis  # for the add-on's cards
    app.front = partial(
        AnalyzeRoute,
        answer=answer_analyze,
        origins=OriginGuard(app, settings.extension_ids),
        cors_origins=frozenset(f"chrome-extension://{i}".encode() for i in settings.extension_ids),
        max_bytes=settings.max_request_bytes,
        body_seconds=settings.body_timeout_seconds,
        sessions=app.state.gmail is not None,
    )
    metrics.enable_analyzer_timing()
    logging.getLogger("uvicorn.access").addFilter(_WithoutQuery())
    return app
