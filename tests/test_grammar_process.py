"""`intro-coach serve` with LanguageTool's jars: it starts its own LanguageTool on
loopback with a bounded heap, says "starting" until it answers, and stops it on exit."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]
import pytest

from intro_coach.languagetool_process import why_not_local
from tests.conftest import languagetool_jars, start_server


def test_serve_runs_languagetool_as_a_child_and_stops_it(tmp_path: Path) -> None:
    jars = languagetool_jars()
    reason = why_not_local(jars)
    if reason is not None:
        pytest.skip(reason)
    server = start_server(
        tmp_path,
        {"INTRO_COACH_LANGUAGETOOL_JARS": str(jars), "INTRO_COACH_GRAMMAR_DEADLINE_MS": "60000"},
    )
    java: psutil.Process | None = None
    try:
        draft = {"subject": "Hi", "body": {"text": "I has a question."}}
        first = httpx.post(f"{server.url}/v1/grammar", json=draft, timeout=60).json()
        if first["checks"]["grammar"] != "ok":
            assert first["checks"]["grammar"] == "unavailable"
            assert "LanguageTool is starting" in first["checks"]["notes"][0]
        deadline = time.monotonic() + 300
        body = first
        while body["checks"]["grammar"] != "ok":
            assert time.monotonic() < deadline, body
            time.sleep(1)
            body = httpx.post(f"{server.url}/v1/grammar", json=draft, timeout=60).json()
        assert "has" in {f["match"] for f in body["findings"]}

        [java] = [
            p
            for p in psutil.Process(server.process.pid).children(recursive=True)
            if "org.languagetool.server.HTTPServer" in p.cmdline()
        ]
        assert "-Xmx768m" in java.cmdline()
        listening = [c.laddr for c in java.net_connections("inet") if c.status == "LISTEN"]
        assert listening
        assert all(addr.ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1") for addr in listening)
    finally:
        server.stop()
    assert java is not None
    gone, _ = psutil.wait_procs([java], timeout=15)
    assert gone, "LanguageTool outlived the service"
