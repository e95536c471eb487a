"""Draft contents never reach the service's logs or any file it writes."""

from __future__ import annotations

import asyncio
import json
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


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_canary_reaches_no_log_line_no_file_and_no_metric(tmp_path: Path, log_format: str) -> None:
    canary = f"CANARY{uuid.uuid4().hex}"
    address = f"{canary.lower()}@example.com"
    server = start_server(tmp_path, {"INTRO_COACH_LOG_FORMAT": log_format})
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
            drafts.append({"subject": "Hi", "body": {"text": "Hi"}, "to": [{"email": address}]})
            statuses = [client.post("/v1/analyze", json=d).status_code for d in drafts]
            statuses.append(
                client.post("/v1/analyze", content=f'{{"subject": "{canary}'.encode()).status_code
            )
            token = {"Authorization": f"Bearer ics_{canary}"}
            statuses.append(client.post("/v1/analyze", json=drafts[0], headers=token).status_code)
            statuses.append(client.get("/nothing-here", headers=token).status_code)
            statuses.append(client.get(f"/oauth/start?login_hint={address}").status_code)
            assert statuses == [200, 200, 422, 422, 413, 200, 422, 200, 404, 503]
            # Error responses explain the problem without echoing the draft back.
            bad = client.post("/v1/analyze", json=drafts[2])
            assert canary not in bad.text
            scraped = client.get("/metrics").text
            assert 'route="/v1/analyze",status="413"' in scraped
            assert canary not in scraped and canary.lower() not in scraped
    finally:
        log = server.stop()
    assert "POST /v1/analyze" in log, "the server's log was not captured"
    assert canary not in log and canary.lower() not in log
    if log_format == "json":
        lines = [json.loads(line) for line in log.splitlines() if line.strip()]
        access = [line for line in lines if line["logger"] == "uvicorn.access"]
        assert len(access) >= len(statuses) and all(len(a["request_id"]) == 32 for a in access)
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
