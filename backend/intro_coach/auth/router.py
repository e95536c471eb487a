"""HTTP endpoints of the Gmail connection: OAuth start and callback, session exchange,
the connection's status, and disconnect."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from intro_coach.auth.connection import Connection, SessionInfo
from intro_coach.auth.oauth import BadRequest, OAuthProblem, extension_redirect
from intro_coach.store import TooManyPending

NOT_CONFIGURED = "Gmail connection is not configured"


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, Field(min_length=1, max_length=200)]


class SessionResponse(BaseModel):
    session_token: str
    token_type: str = "Bearer"
    expires_at: int


class Me(BaseModel):
    email: str
    scopes: list[str]
    features: list[str]
    status: str  # "connected" | "reconnect_required"
    message: str | None = None


class Disconnected(BaseModel):
    disconnected: bool = True
    revoked_at_google: bool
    message: str


def connection_of(request: Request) -> Connection:
    connection: Connection | None = request.app.state.gmail
    if connection is None:
        raise HTTPException(503, NOT_CONFIGURED)
    return connection


def bearer(request: Request) -> str | None:
    value = request.headers.get("authorization")
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
        raise _unauthorized("Authorization must be 'Bearer <session token>'")
    return token.strip()


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


INVALID_SESSION = (
    "session token is invalid, expired or revoked; connect Gmail again from the options page"
)


async def require_session(
    request: Request, connection: Annotated[Connection, Depends(connection_of)]
) -> SessionInfo:
    token = bearer(request)
    if token is None:
        raise _unauthorized("missing session token (Authorization: Bearer ...)")
    session = await connection.session(token)
    if session is None:
        raise _unauthorized(INVALID_SESSION)
    return session


def _busy(detail: str, retry_after: float) -> JSONResponse:
    headers = {"Retry-After": str(max(1, round(retry_after)))}
    return JSONResponse({"detail": detail}, status_code=429, headers=headers)


def _error_page(status: int, message: str) -> HTMLResponse:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Intro Coach</title></head>"
        f"<body><h1>Gmail was not connected</h1><p>{html.escape(message)}</p>"
        "<p>Open Intro Coach's options page and click <b>Connect Gmail</b> to try again.</p>"
        "</body></html>"
    )
    return HTMLResponse(body, status_code=status)


router = APIRouter(tags=["gmail connection"])


@router.get("/oauth/start", response_class=RedirectResponse, status_code=302)
def oauth_start(
    request: Request,
    connection: Annotated[Connection, Depends(connection_of)],
    extension_id: Annotated[str, Query(pattern=r"^[a-p]{32}$")],
    features: Annotated[str | None, Query(max_length=200)] = None,
    login_hint: Annotated[str | None, Query(max_length=320)] = None,
) -> Any:
    """Starts the Gmail connection; open it with chrome.identity.launchWebAuthFlow."""
    client = request.client.host if request.client else "unknown"
    allowed, retry = connection.start_limit.allow(client)
    if not allowed:
        return _busy("too many sign-ins started from this address; try again shortly", retry)
    try:
        url = connection.oauth.start(extension_id, features, login_hint)
    except BadRequest as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    except TooManyPending:
        return _busy("too many sign-ins are in progress; try again in a few minutes", 60)
    return RedirectResponse(url, status_code=302)


@router.get("/oauth/callback", response_class=RedirectResponse, status_code=302)
def oauth_callback(
    connection: Annotated[Connection, Depends(connection_of)],
    state: Annotated[str | None, Query(max_length=200)] = None,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """Where Google sends the browser back; ends at https://<extension-id>.chromiumapp.org/."""
    try:
        done = connection.oauth.finish(state, code, error)
    except OAuthProblem as problem:
        if problem.extension_id is None:
            return _error_page(400, problem.message)
        params = {"error": problem.code, "error_description": problem.message}
        return RedirectResponse(extension_redirect(problem.extension_id, params), 302)
    # A new grant replaces whatever any instance remembered of an old (maybe revoked) one.
    connection.context.forget_user(done.user_id)
    connection.user_changed(done.user_id)
    return RedirectResponse(done.redirect, status_code=302)


@router.post("/v1/session", response_model=SessionResponse)
def create_session(
    body: SessionRequest, connection: Annotated[Connection, Depends(connection_of)]
) -> Any:
    """Swaps the one-time code from the callback redirect for a session token."""
    user_id = connection.store.consume_login_code(body.code)
    if user_id is None:
        return JSONResponse(
            {
                "detail": "the code is unknown, expired or already used; connect Gmail again",
                "error": "code_invalid",
            },
            status_code=400,
        )
    token, expires = connection.store.create_session(user_id, connection.settings.session_days)
    return SessionResponse(session_token=token, expires_at=expires)


@router.delete("/v1/session", status_code=204)
def end_session(
    session: Annotated[SessionInfo, Depends(require_session)],
    connection: Annotated[Connection, Depends(connection_of)],
) -> None:
    """Signs this session out (the Gmail connection stays)."""
    connection.end_session(session)


@router.get("/v1/me", response_model=Me)
async def me(
    session: Annotated[SessionInfo, Depends(require_session)],
    connection: Annotated[Connection, Depends(connection_of)],
) -> Any:
    user = await run_in_threadpool(connection.store.user, session.user_id)
    if user is None:
        raise _unauthorized(INVALID_SESSION)
    revoked = user.grant_status != "active"
    return Me(
        email=user.email,
        scopes=list(user.scopes),
        features=list(user.features),
        status="reconnect_required" if revoked else "connected",
        message="Google no longer accepts Intro Coach's access (it was revoked or expired). "
        "Click Connect Gmail to reconnect."
        if revoked
        else None,
    )


@router.post("/v1/disconnect", response_model=Disconnected)
def disconnect(
    session: Annotated[SessionInfo, Depends(require_session)],
    connection: Annotated[Connection, Depends(connection_of)],
) -> Any:
    """Revokes the Google grant and deletes everything stored about the user."""
    revoked = connection.disconnect(session.user_id)
    message = (
        "Gmail is disconnected: Google access revoked and everything stored deleted."
        if revoked
        else "Everything stored was deleted, but Google could not confirm the revocation; "
        "remove Intro Coach at https://myaccount.google.com/permissions."
    )
    return Disconnected(revoked_at_google=revoked, message=message)
