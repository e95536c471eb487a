"""Draft contents never reach the service's logs or any file it writes."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path

import httpx
import pytest

from intro_coach.api import create_app
from intro_coach.config import Settings
from tests.conftest import start_server


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_canary_reaches_no_log_line_and_no_file(tmp_path: Path) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    server = start_server(tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            drafts = [
                {"subject": canary, "body": {"text": f"Hi, {canary} suggested I contact you."}},
                {
                    "subject": "Hi",
                    "body": {"html": f"<div>{canary} informational interview</div>"},
                    "attachments": [{"filename": f"{canary}_resume.pdf"}],
                    "referrer": canary,
                },
                {"subject": "Hi", "body": {"text": canary}, "unknown": canary},  # 422
                {"subject": 42, "body": {"text": canary * 100}},  # 422
                {"body": {"text": canary * 4000}},  # 413
            ]
            statuses = [client.post("/v1/analyze", json=d).status_code for d in drafts]
            statuses.append(
                client.post("/v1/analyze", content=f'{{"subject": "{canary}'.encode()).status_code
            )
            assert statuses == [200, 200, 422, 422, 413, 422]
            # Error responses explain the problem without echoing the draft back.
            bad = client.post("/v1/analyze", json=drafts[2])
            assert canary not in bad.text
    finally:
        log = server.stop()
    assert "POST /v1/analyze" in log, "the server's log was not captured"
    assert canary not in log
    for path in _files_under(tmp_path):
        assert canary.encode() not in path.read_bytes(), f"canary written to {path}"


def test_access_log_keeps_paths_but_not_query_strings(tmp_path: Path) -> None:
    secret = f"code{uuid.uuid4().hex}"
    server = start_server(tmp_path)
    try:
        httpx.get(f"{server.url}/oauth/callback?state=s&code={secret}", timeout=10)
    finally:
        log = server.stop()
    assert "/oauth/callback" in log
    assert secret not in log


def test_an_unexpected_error_is_a_plain_500_logging_only_its_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    app = create_app(Settings())

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError(f"draft says {canary}")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/boom")

    with caplog.at_level(logging.DEBUG):
        response = asyncio.run(call())
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}
    assert "unexpected ValueError on GET /boom" in caplog.text
    assert canary not in caplog.text and canary not in response.text
