"""/metrics in Prometheus format, request ids, JSON-lines logs, graceful shutdown."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from intro_coach.languagetool_process import LanguageToolProcess
from tests.conftest import free_port, start_server
from tests.google_fake import FakeGoogle
from tests.google_fake.databases import sqlite_url
from tests.google_fake.harness import connect, running, settings_for
from tests.test_oauth import USER, auth, draft, seed_mailbox

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(scraped: Samples, name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def json_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("json-server")
    server = start_server(workdir, {"INTRO_COACH_LOG_FORMAT": "json"})
    yield server.url, server.log
    server.stop()


def test_metrics_count_requests_per_route_and_status_and_time_the_analyzer(
    json_server: tuple[str, Path],
) -> None:
    url, _ = json_server
    with httpx.Client(base_url=url, timeout=10) as client:
        before = samples(client.get("/metrics").text)
        for i in range(3):
            draft = {"subject": "Hi", "body": {"text": f"Hello {i}\n\nThanks,\nAlex"}}
            ok = client.post("/v1/analyze", json=draft)
            assert ok.status_code == 200
        # Sent again unchanged: answered whole from the answer cache, not analysed.
        assert client.post("/v1/analyze", json=draft).status_code == 200
        assert client.post("/v1/analyze", content=b"{").status_code == 422
        assert client.get("/no/such/page").status_code == 404
        assert client.request("PROPFIND", "/healthz").status_code == 405
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    analyze = {"method": "POST", "route": "/v1/analyze"}
    assert grew("intro_coach_http_requests_total", **analyze, status="200") == 4
    assert grew("intro_coach_http_requests_total", **analyze, status="422") == 1
    assert (
        grew("intro_coach_http_requests_total", method="GET", route="unmatched", status="404") == 1
    )
    # Nor does a method no one uses.
    brewed = grew("intro_coach_http_requests_total", method="other", route="/healthz", status="405")
    assert brewed == 1 and "PROPFIND" not in response.text
    assert grew("intro_coach_http_request_duration_seconds_count", **analyze, status="200") == 4
    assert (
        grew("intro_coach_http_request_duration_seconds_bucket", **analyze, status="200", le="+Inf")
        == 4
    )
    for stage in ("prepare", "referrer", "phrases", "checks", "suggestions"):
        assert grew("intro_coach_analyzer_stage_seconds_count", stage=stage) == 3, stage
    # Three drafts sharing a paragraph: it is remembered after the first.
    assert grew("intro_coach_cache_lookups_total", cache="analyzer_paragraphs", result="hit") >= 1
    assert grew("intro_coach_cache_lookups_total", cache="answers", result="hit") == 1
    # Missed: the three drafts and the malformed body.
    assert grew("intro_coach_cache_lookups_total", cache="answers", result="miss") == 4
    # A path that is no route never becomes a label of its own.
    assert "/no/such/page" not in response.text


def test_several_workers_serve_and_every_scrape_counts_them_all(tmp_path: Path) -> None:
    # Each worker process imports everything anew: slow on a busy machine.
    server = start_server(tmp_path, {"INTRO_COACH_WORKERS": "2"}, start_seconds=120)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            for _ in range(12):
                fresh = httpx.Client(base_url=server.url, timeout=10)  # a new connection
                ok = fresh.post("/v1/analyze", json={"subject": "Hi", "body": {"text": "Hi"}})
                fresh.close()
                assert ok.status_code == 200
            scrapes = [samples(client.get("/metrics").text) for _ in range(4)]
    finally:
        log = server.stop()
    assert log.count("Started server process") == 2
    for scraped in scrapes:  # whichever worker answers the scrape
        analyzed = value(
            scraped,
            "intro_coach_http_requests_total",
            method="POST",
            route="/v1/analyze",
            status="200",
        )
        assert analyzed == 12


def test_every_request_gets_an_id_in_its_response_and_its_json_log_line(
    json_server: tuple[str, Path],
) -> None:
    url, log = json_server
    with httpx.Client(base_url=url, timeout=10) as client:
        given = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
        made = client.get("/healthz")
        hostile = client.get("/healthz", headers={"X-Request-ID": 'a b"c' + "x" * 100})
        # Answered in front of the middleware stack (analyze_route.py), the same way.
        draft = {"body": {"text": "Hello"}}
        analyzed = client.post("/v1/analyze", json=draft, headers={"X-Request-ID": "lb-99"})
    assert analyzed.headers["x-request-id"] == "lb-99"
    assert given.headers["x-request-id"] == "lb-1234.abc"
    assert len(made.headers["x-request-id"]) == 32
    assert hostile.headers["x-request-id"] not in ("", 'a b"c' + "x" * 100)
    time.sleep(0.2)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    ids = {line.get("request_id") for line in lines if line.get("path") == "/healthz"}
    assert {"lb-1234.abc", made.headers["x-request-id"]} <= ids
    assert any(
        line.get("path") == "/v1/analyze" for line in lines if line.get("request_id") == "lb-99"
    )
    access = next(line for line in lines if line.get("request_id") == "lb-1234.abc")
    assert access["status"] == 200 and access["method"] == "GET" and access["level"] == "info"


def test_gmail_calls_and_the_context_cache_are_measured(tmp_path: Path) -> None:
    google = FakeGoogle(account=USER).start()
    seed_mailbox(google)
    try:
        settings = settings_for(google, tmp_path, sqlite_url(tmp_path), gmail_deadline_seconds=3)
        with running(settings) as (url, _), httpx.Client(timeout=10) as http:
            before = samples(http.get(f"{url}/metrics").text)
            token = connect(http, url)
            for _ in range(2):
                answer = http.post(f"{url}/v1/analyze", json=draft(), headers=auth(token))
                assert answer.json()["checks"]["gmail"] == "ok"
            google.gmail_fault = 500
            http.post(
                f"{url}/v1/analyze",
                json=draft(to=[{"email": "someone.else@example.com"}]),
                headers=auth(token),
            )
            after = samples(http.get(f"{url}/metrics").text)
    finally:
        google.stop()

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    calls = "intro_coach_dependency_call_duration_seconds_count"
    assert grew(calls, service="gmail", operation="messages.list") >= 2
    assert grew(calls, service="google_token", operation="refresh") >= 1
    assert (
        grew(
            "intro_coach_dependency_call_failures_total", service="gmail", operation="messages.list"
        )
        >= 1
    )
    assert grew("intro_coach_cache_lookups_total", cache="gmail_context", result="hit") >= 1
    assert grew("intro_coach_cache_lookups_total", cache="gmail_context", result="miss") >= 2


def test_grammar_calls_failures_and_its_paragraph_cache_are_measured(
    languagetool: LanguageToolProcess, tmp_path: Path
) -> None:
    request = {"subject": "Hi", "body": {"text": "I has a question about you're work."}}
    calls = "intro_coach_dependency_call_duration_seconds_count"
    failures = "intro_coach_dependency_call_failures_total"
    lookups = "intro_coach_cache_lookups_total"
    working = start_server(
        tmp_path,
        {
            "INTRO_COACH_LANGUAGETOOL_URL": languagetool.url,
            "INTRO_COACH_GRAMMAR_DEADLINE_MS": "60000",
        },
    )
    try:
        with httpx.Client(base_url=working.url, timeout=90) as client:
            for _ in range(2):
                answer = client.post("/v1/grammar", json=request)
                assert answer.json()["checks"]["grammar"] == "ok", answer.text
            up = samples(client.get("/metrics").text)
    finally:
        working.stop()
    assert value(up, calls, service="grammar", operation="check") >= 1
    assert value(up, failures, service="grammar", operation="check") == 0
    assert value(up, lookups, cache="grammar_paragraphs", result="miss") >= 1
    assert value(up, lookups, cache="grammar_paragraphs", result="hit") >= 1

    (tmp_path / "down").mkdir()
    nowhere = f"http://127.0.0.1:{free_port()}"
    broken = start_server(
        tmp_path / "down",
        {"INTRO_COACH_LANGUAGETOOL_URL": nowhere, "INTRO_COACH_GRAMMAR_DEADLINE_MS": "5000"},
    )
    try:
        with httpx.Client(base_url=broken.url, timeout=30) as client:
            answer = client.post("/v1/grammar", json=request)
            assert answer.json()["checks"]["grammar"] == "unavailable", answer.text
            down = samples(client.get("/metrics").text)
    finally:
        broken.stop()
    assert value(down, failures, service="grammar", operation="check") >= 1


def test_sigterm_lets_in_flight_requests_finish(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    body = {"subject": "Hi", "body": {"text": "word " * 19_000}}
    results: list[int] = []

    def load() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for _ in range(40):
                try:
                    results.append(client.post("/v1/analyze", json=body).status_code)
                except httpx.TransportError:
                    return  # the server closed: no new requests are taken

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    server.process.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(timeout=60)
    # uvicorn finishes, then re-raises the signal so that the exit says why it stopped.
    assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    log = server.log.read_text()
    assert results and set(results) == {200}, results
    assert "Application shutdown complete" in log
