"""Whole answers kept for identical requests, and the analysis lanes behind them, on a
real `intro-coach serve`."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from intro_coach.config import EXTENSION_ID
from intro_coach.lanes import LARGE_BYTES, Lanes
from tests.conftest import Server, start_server
from tests.test_observability import samples, value

DRAFT = {
    "subject": "Quick question",
    "body": {"text": "Hi Jordan,\n\nCould I pick your brain about UX research?\n\nThanks,\nAlex"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("answers"))
    yield running
    running.stop()


def _analysed(client: httpx.Client) -> float:
    """How many analyses the server has run (each reports its 'prepare' stage)."""
    scraped = samples(client.get("/metrics").text)
    return value(scraped, "intro_coach_analyzer_stage_seconds_count", stage="prepare")


def test_the_same_request_again_is_answered_without_analysing_it(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        before = _analysed(client)
        first = client.post("/v1/analyze", json=DRAFT)
        again = client.post("/v1/analyze", json=DRAFT)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert any(f["rule"] == "pick-your-brain" for f in again.json()["findings"])
        assert _analysed(client) - before == 1
        # One character different: a new answer, analysed.
        edited = {**DRAFT, "subject": "Quick question!"}
        assert client.post("/v1/analyze", json=edited).json()["findings"]
        assert _analysed(client) - before == 2


def test_invalid_requests_are_refused_every_time(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for _ in range(2):
            response = client.post("/v1/analyze", json={"subjct": "typo"})
            assert response.status_code == 422
            assert response.json()["detail"][0]["type"] == "extra_forbidden"


def test_an_answer_cut_short_by_the_time_budget_is_not_kept(tmp_path: Path) -> None:
    # No processor time at all: every answer says which rules were not run.
    server = start_server(tmp_path, {"INTRO_COACH_ANALYZE_BUDGET_MS": "0"})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            before = _analysed(client)
            for _ in range(2):
                response = client.post("/v1/analyze", json=DRAFT)
                assert response.status_code == 200
                assert any("time budget" in n for n in response.json()["checks"]["notes"])
            assert _analysed(client) - before == 2
    finally:
        server.stop()


def test_a_short_draft_is_not_queued_behind_large_ones() -> None:
    async def scenario() -> None:
        lanes = Lanes(2)
        release = threading.Event()
        loop_thread = threading.get_ident()

        def large() -> str:
            release.wait(30)
            return "large"

        def short() -> int:
            return threading.get_ident()

        blocked = asyncio.ensure_future(lanes.run(large, LARGE_BYTES))
        # The large lane is busy for as long as `release` is not set; the short draft's
        # lane answers meanwhile, from a thread that is not the event loop's.
        ran_on = await asyncio.wait_for(lanes.run(short, 2_000), 10)
        assert ran_on != loop_thread
        assert not blocked.done()
        release.set()
        assert await asyncio.wait_for(blocked, 10) == "large"

    asyncio.run(scenario())


def test_a_lane_hands_back_results_and_errors_in_order() -> None:
    async def scenario() -> None:
        lanes = Lanes(1)

        def fails() -> int:
            raise ValueError("no")

        jobs = [lanes.run(lambda i=i: i * i) for i in range(50)]  # type: ignore[misc]
        assert await asyncio.gather(*jobs) == [i * i for i in range(50)]
        with pytest.raises(ValueError):
            await lanes.run(fails)
        assert await lanes.run(lambda: "still serving") == "still serving"

    asyncio.run(scenario())


def _headers(response: httpx.Response) -> dict[str, str]:
    """What the layers in front decide: CORS, and whether an id came back."""
    kept = ("access-control-allow-origin", "vary", "connection", "content-type")
    found = {k: v for k, v in response.headers.items() if k in kept}
    found["x-request-id"] = "new" if len(response.headers["x-request-id"]) == 32 else "?"
    return found


def test_analyze_gets_what_every_other_route_gets_from_the_layers_in_front(
    server: Server,
) -> None:
    # /v1/analyze is answered in front of the middleware stack (analyze_route.py);
    # /v1/grammar, a POST of the same body, goes through it. The client sees the same.
    extension = f"chrome-extension://{EXTENSION_ID}"
    page = server.url  # the service's own page on a loopback host (the OpenAPI page)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for headers, content in (
            ({}, json.dumps(DRAFT)),
            ({"Origin": extension}, json.dumps(DRAFT)),
            ({"Origin": page}, json.dumps(DRAFT)),
            ({"Origin": "https://evil.example"}, json.dumps(DRAFT)),
            ({"Origin": "null", "content-type": "text/plain"}, json.dumps(DRAFT)),
            ({"Origin": extension}, "{"),
            ({"Origin": extension}, " " * (3 * 1024 * 1024)),
        ):
            analyze = client.post("/v1/analyze", headers=headers, content=content)
            grammar = client.post("/v1/grammar", headers=headers, content=content)
            assert analyze.status_code == grammar.status_code, headers
            assert _headers(analyze) == _headers(grammar), headers
            if analyze.status_code >= 400:
                assert analyze.json()["detail"] == grammar.json()["detail"]
        given = client.post("/v1/analyze", json=DRAFT, headers={"X-Request-ID": "lb-77.x"})
        assert given.headers["x-request-id"] == "lb-77.x"
