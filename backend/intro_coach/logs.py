"""Log output: uvicorn's text lines (the default) or JSON lines
(INTRO_COACH_LOG_FORMAT=json), each carrying the id of the request it belongs to.

What may be logged is decided where a line is written (paths without query strings,
exception types without messages); as a second guard, JSON lines drop anything shaped
like an email address or one of our tokens from the message.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# RE2-compatible and linear: addresses, our bearer tokens and codes, Google's tokens.
_SECRETISH = re.compile(
    r"[^\s@<>\"']+@[^\s@<>\"']+|\bic[a-z]_[A-Za-z0-9_-]+|\bya29\.[A-Za-z0-9._-]+|\b1//[A-Za-z0-9._-]+"
)
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
HEADER = b"x-request-id"


def usable_id(value: bytes) -> str | None:
    """The caller's X-Request-ID if it is a plain token of at most 64 characters."""
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        return None
    if 0 < len(text) <= 64 and all(c in _ID_CHARS for c in text):
        return text
    return None


class RequestId:
    """Gives every request an id (the caller's X-Request-ID if it is a plain token, a
    new one otherwise), visible to every log line written while it runs and returned in
    the response's X-Request-ID header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((usable_id(v) for k, v in scope["headers"] if k == HEADER), None)
        rid = given or new_id()
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


def new_id() -> str:
    return uuid.uuid4().hex


def scrub(text: str) -> str:
    return _SECRETISH.sub("[redacted]", text)


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id; access lines
    also carry method, path (never the query) and status."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            path = scrub(str(path).split("?", 1)[0])
            entry["message"] = f"{method} {path} {status}"
            entry.update(method=method, path=path, status=status, http_version=version)
            entry["client"] = str(client)
        else:
            entry["message"] = scrub(record.getMessage())
        rid = request_id.get()
        if rid is not None:
            entry["request_id"] = rid
        if record.exc_info and record.exc_info[0] is not None:
            # The type only: an exception's message or traceback may quote a draft.
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)


def uvicorn_log_config(fmt: str, level: str) -> dict[str, Any] | None:
    """The logging configuration for uvicorn.run; None keeps uvicorn's own text lines."""
    if fmt != "json":
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLines}},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "intro_coach": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["default"], "level": "WARNING"},
    }
