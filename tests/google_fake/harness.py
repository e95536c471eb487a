"""Runs the backend in-process on loopback against a FakeGoogle, and drives the
connect flow the way the browser does (following the real redirects)."""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import uvicorn
from fastapi import FastAPI

from intro_coach.api import create_app
from intro_coach.auth.crypto import generate_key
from intro_coach.config import Settings
from intro_coach.server import uvicorn_options
from tests.google_fake.server import FakeGoogle

EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def settings_for(
    google: FakeGoogle, data_dir: Path, database_url: str | None, **extra: object
) -> Settings:
    port = free_port()
    base = Settings(
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        encryption_keys=(generate_key(),),
        google_client_id=google.client_id,
        google_client_secret=google.client_secret,
        google_auth_uri=google.auth_uri,
        google_token_uri=google.token_uri,
        google_revoke_uri=google.revoke_uri,
        gmail_api_root=google.gmail_root,
        public_url=f"http://127.0.0.1:{port}",
        extension_ids=(EXTENSION_ID,),
        google_timeout_seconds=3.0,
    )
    google.redirect_uris = [base.callback_url]
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


@contextmanager
def running(settings: Settings) -> Iterator[tuple[str, FastAPI]]:
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        **uvicorn_options(settings),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{settings.port}"
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("backend did not start")
        time.sleep(0.02)
    try:
        yield url, app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if app.state.gmail is not None:
            app.state.gmail.close()


def follow(client: httpx.Client, url: str, *, max_hops: int = 10) -> httpx.Response | str:
    """Follows redirects like the browser; stops at the extension's chromiumapp.org URL
    (which launchWebAuthFlow intercepts) and returns it as a string."""
    for _ in range(max_hops):
        if urlsplit(url).hostname and urlsplit(url).hostname.endswith(".chromiumapp.org"):  # type: ignore[union-attr]
            return url
        response = client.get(url)
        if response.status_code not in (301, 302, 303, 307):
            return response
        url = urljoin(url, response.headers["location"])
    raise AssertionError("too many redirects")


def consent(
    client: httpx.Client, page: httpx.Response, decision: str = "allow"
) -> str | httpx.Response:
    """Clicks Allow (or Cancel) on the fake consent page."""
    assert page.status_code == 200, page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text)
    assert action and request_id
    response = client.post(
        urljoin(str(page.url), action.group(1)),
        data={"request_id": request_id.group(1), "decision": decision},
    )
    assert response.status_code == 302
    return follow(client, urljoin(str(page.url), response.headers["location"]))


def start_url(app_url: str, features: str | None = None) -> str:
    url = f"{app_url}/oauth/start?extension_id={EXTENSION_ID}"
    return url + (f"&features={features}" if features else "")


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def connect(client: httpx.Client, app_url: str, features: str | None = None) -> str:
    """The whole flow: start → consent → callback → chromiumapp.org → POST /v1/session."""
    page = follow(client, start_url(app_url, features))
    assert isinstance(page, httpx.Response)
    final = consent(client, page)
    assert isinstance(final, str), final
    params = query(final)
    assert "code" in params, params
    response = client.post(f"{app_url}/v1/session", json={"code": params["code"]})
    assert response.status_code == 200, response.text
    token: str = response.json()["session_token"]
    return token
