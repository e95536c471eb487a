"""The analysis processes beside the server (workers.py): what they get, and what a
client sees when one crashes, hangs, or the server stops. A real `intro-coach serve` on
loopback; the processes are found and signalled through /proc, as an operator would."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from intro_coach import workers
from intro_coach.draft_json import read_draft
from intro_coach.lanes import LARGE_BYTES
from intro_coach.schema import AnalyzeRequest
from intro_coach.workers import (
    BODY,
    METRICS,
    PICKLED,
    AnalysisProcess,
    AnalysisProcesses,
    Unavailable,
)
from tests.conftest import Server, analysis_processes, start_server

DRAFT = {
    "subject": "Hello",
    "body": {"text": "Hi Dana,\n\nSally Smith suggested I contact you. Could we talk?\n\nAda"},
}


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # ended, waiting for its parent to read its status


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Server]:
    server = start_server(tmp_path, {"INTRO_COACH_GOOGLE_CLIENT_SECRET": "CANARY-SECRET"})
    yield server
    server.stop()


def test_drafts_are_analysed_in_two_processes_that_hold_no_secret(served: Server) -> None:
    with httpx.Client(base_url=served.url, timeout=10) as client:
        assert client.post("/v1/analyze", json=DRAFT).json()["referrer"]["name"] == "Sally Smith"
    children = analysis_processes(served.process.pid)
    assert len(children) == 2
    for child in children:
        environment = Path(f"/proc/{child}/environ").read_bytes()
        assert b"CANARY-SECRET" not in environment
        assert b"INTRO_COACH_" not in environment


def test_a_killed_analysis_process_is_replaced_and_no_request_fails(served: Server) -> None:
    with httpx.Client(base_url=served.url, timeout=10) as client:
        assert client.post("/v1/analyze", json=DRAFT).status_code == 200
        first = analysis_processes(served.process.pid)
        for child in first:
            os.kill(child, signal.SIGKILL)
        _wait_for(lambda: all(_gone(c) for c in first))
        for i in range(5):
            draft = {**DRAFT, "subject": f"Hello {i}"}
            answer = client.post("/v1/analyze", json=draft)
            assert answer.status_code == 200, answer.text
            assert answer.json()["referrer"]["name"] == "Sally Smith"
    assert not set(analysis_processes(served.process.pid)) & set(first)


def test_a_stuck_analysis_process_gets_503_then_a_new_one_answers(served: Server) -> None:
    with httpx.Client(base_url=served.url, timeout=30) as client:
        assert client.post("/v1/analyze", json=DRAFT).status_code == 200
        ordinary = analysis_processes(served.process.pid)[0]
        os.kill(ordinary, signal.SIGSTOP)
        started = time.monotonic()
        stuck = client.post("/v1/analyze", json={**DRAFT, "subject": "Stuck"})
        waited = time.monotonic() - started
        assert stuck.status_code == 503
        assert stuck.headers["retry-after"] == "1"
        assert "try again" in stuck.json()["detail"]
        assert 4.5 < waited < 15  # 5 s without an answer, then it is replaced
        again = client.post("/v1/analyze", json={**DRAFT, "subject": "Stuck"})
        assert again.status_code == 200
        assert again.json()["referrer"]["name"] == "Sally Smith"
        _wait_for(lambda: _gone(ordinary))
    log = served.stop()
    assert "analysis process analyze-0 answered nothing for 5 s and was replaced" in log
    assert "Sally" not in log and "Dana" not in log


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_short_draft_is_not_queued_behind_large_ones(served: Server) -> None:
    """Large drafts go to their own process: the one that answers someone typing does
    none of their work (read from each process's CPU time, not from timings)."""
    large = {"body": {"text": ("Would you share your advice on a job? " * 2700)[:100_000]}}
    assert len(str(large)) > LARGE_BYTES
    answered: list[httpx.Response] = []

    def send_large() -> None:
        with httpx.Client(base_url=served.url, timeout=60) as client:
            for i in range(6):
                text = f"{i} " + large["body"]["text"][2:]
                assert client.post("/v1/analyze", json={"body": {"text": text}}).is_success

    with httpx.Client(base_url=served.url, timeout=10) as client:
        client.post("/v1/analyze", json=DRAFT).raise_for_status()
        client.post("/v1/analyze", json=large).raise_for_status()
        ordinary, for_large = analysis_processes(served.process.pid)
        before = _cpu_seconds(ordinary), _cpu_seconds(for_large)
        senders = [threading.Thread(target=send_large) for _ in range(3)]
        for sender in senders:
            sender.start()
        while any(s.is_alive() for s in senders):
            draft = {**DRAFT, "subject": f"Hello {len(answered)}"}
            answered.append(client.post("/v1/analyze", json=draft))
            time.sleep(0.02)
        for sender in senders:
            sender.join()
    ordinary_cpu = _cpu_seconds(ordinary) - before[0]
    large_cpu = _cpu_seconds(for_large) - before[1]
    assert answered and all(r.json()["referrer"]["name"] == "Sally Smith" for r in answered)
    # 18 large drafts of tens of milliseconds each, against short ones of about one.
    assert large_cpu > 0.3
    assert ordinary_cpu < large_cpu / 4, (ordinary_cpu, large_cpu)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_analysis_processes_end_with_the_server(tmp_path: Path, how: signal.Signals) -> None:
    server = start_server(tmp_path)
    try:
        httpx.post(f"{server.url}/v1/analyze", json=DRAFT, timeout=10).raise_for_status()
        children = analysis_processes(server.process.pid)
        assert len(children) == 2
    finally:
        server.process.send_signal(how)
        server.process.wait(timeout=30)
    # Killed, the server cannot end them: each sees its input end, and ends.
    _wait_for(lambda: all(_gone(child) for child in children))


def test_in_process_threads_answer_the_same_bytes(tmp_path: Path, served: Server) -> None:
    (tmp_path / "threads").mkdir()
    threads = start_server(tmp_path / "threads", {"INTRO_COACH_ANALYZE_PROCESSES": "0"})
    bodies = [
        DRAFT,
        {"body": {"html": "<p>Could I pick your brain?</p><p>Resume attached.</p>"}},
        {"body": {"text": "x"}, "options": {"ignored": "nope"}},
    ]
    try:
        assert not analysis_processes(threads.process.pid)
        for body in bodies:
            a = httpx.post(f"{served.url}/v1/analyze", json=body, timeout=10)
            b = httpx.post(f"{threads.url}/v1/analyze", json=body, timeout=10)
            assert (a.status_code, a.content) == (b.status_code, b.content)
        # A lone surrogate (read by the lenient parser), and JSON cut short.
        for raw, status in ((b'{"body": {"text": "\\ud83d ok"}}', 200), (b'{"body": {"te', 422)):
            a = httpx.post(f"{served.url}/v1/analyze", content=raw, timeout=10)
            b = httpx.post(f"{threads.url}/v1/analyze", content=raw, timeout=10)
            assert a.status_code == b.status_code == status
            assert a.content == b.content
    finally:
        threads.stop()


def test_metrics_include_what_the_analysis_processes_counted(served: Server) -> None:
    with httpx.Client(base_url=served.url, timeout=10) as client:
        before = client.get("/metrics").text
        for i in range(3):
            client.post("/v1/analyze", json={**DRAFT, "subject": f"Hi {i}"}).raise_for_status()
        text = client.get("/metrics").text
        again = client.get("/metrics").text

    def value(page: str, name: str) -> float:
        return sum(float(line.split()[-1]) for line in page.splitlines() if line.startswith(name))

    stage = 'intro_coach_analyzer_stage_seconds_count{stage="phrases"}'
    assert value(text, stage) - value(before, stage) == 3
    assert value(again, stage) == value(text, stage)  # taken once, not counted again
    inf = 'intro_coach_analyzer_stage_seconds_bucket{le="+Inf",stage="phrases"}'
    assert value(text, inf) == value(text, stage)
    assert value(text, 'intro_coach_cache_lookups_total{cache="analyzer_paragraphs"') > 0


def test_what_cannot_be_analysed_is_an_error_by_type_only() -> None:
    """The child answers an exception with its type's name, never its message (which
    may quote the draft), and goes on answering."""

    async def run() -> list[tuple[int, bytes]]:
        process = AnalysisProcess("test", 0.15)
        try:
            broken = process.submit(PICKLED, b"not a pickle")
            fine = process.submit(PICKLED, pickle.dumps((_request(), {})))
            body = process.submit(BODY, b'{"body": {"text": "Hi"}, "options": 3}')
            tally = process.submit(METRICS, b"")
            return list(await asyncio.gather(broken, fine, body, tally))
        finally:
            process.close()

    (s1, a1), (s2, a2), (s3, a3), (s4, a4) = asyncio.run(run())
    assert (s1, a1) == (500, b"UnpicklingError")
    assert s2 == 200 and b'"findings"' in a2
    assert s3 == 422 and b'"options"' in a3
    assert s4 == 200 and b'"stages"' in a4


def _request() -> AnalyzeRequest:
    draft = read_draft(b'{"body": {"text": "Could I pick your brain?"}}')
    assert isinstance(draft, AnalyzeRequest)
    return draft


def test_a_body_larger_than_the_pipe_goes_through(served: Server) -> None:
    """50,000 emoji (100,000 characters, the limit) escaped as JSON: 0.6 MB, ten times a
    pipe's buffer, written to the analysis process in pieces as the pipe drains."""
    body = b'{"body": {"text": "' + b"\\ud83d\\ude00" * 50_000 + b'"}}'
    assert len(body) > 500_000
    answer = httpx.post(f"{served.url}/v1/analyze", content=body, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["stats"]["words"] >= 0


def test_a_child_that_cannot_start_gets_503s_not_a_restart_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No executable: 503 at once. One that exits before answering: 503 for its
    requests, then 503s without a new start for a second, then it is tried again."""

    async def run() -> list[str]:
        seen = []
        process = AnalysisProcess("test", 0.15)
        monkeypatch.setattr(sys, "executable", "/nonexistent/python")
        with pytest.raises(Unavailable, match="could not start"):
            process.submit(BODY, b"{}")
        process._no_start_before = 0.0  # as if the pause were over
        monkeypatch.setattr(sys, "executable", "/bin/false")
        try:
            for _ in range(3):
                try:
                    await asyncio.wait_for(process.submit(BODY, b"{}"), 10)
                except Unavailable as exc:
                    seen.append(str(exc))
            await asyncio.sleep(workers.RESTART_PAUSE_SECONDS + 0.1)
            with pytest.raises(Unavailable, match="stopped"):
                await asyncio.wait_for(process.submit(BODY, b"{}"), 10)
        finally:
            process.close()
        return seen

    seen = asyncio.run(run())
    assert seen[0].startswith("the analysis process stopped (exit status 1)")
    assert seen[1:] == ["the analysis process is starting again"] * 2


def test_a_sigterm_to_the_process_group_leaves_the_analysis_processes_serving(
    served: Server,
) -> None:
    with httpx.Client(base_url=served.url, timeout=10) as client:
        client.post("/v1/analyze", json=DRAFT).raise_for_status()
        children = analysis_processes(served.process.pid)
        for child in children:
            os.kill(child, signal.SIGTERM)
        time.sleep(0.5)
        assert analysis_processes(served.process.pid) == children
        answer = client.post("/v1/analyze", json={**DRAFT, "subject": "After SIGTERM"})
        assert answer.status_code == 200


def test_timings_a_busy_child_hands_over_late_are_still_counted() -> None:
    async def run() -> list[dict[str, object]]:
        taken: list[dict[str, object]] = []
        process = AnalysisProcesses(1, 0.15)
        try:
            await process.body(b'{"body": {"text": "Could I pick your brain?"}}')
            busy = process.body(
                b'{"body": {"text": "' + b"Would you share advice? " * 4000 + b'"}}'
            )
            pending = asyncio.ensure_future(busy)
            await asyncio.sleep(0)  # the large draft is submitted first
            await process.tallies(taken.append, timeout=0.0)
            assert taken == []  # not back yet
            await pending
            await asyncio.wait_for(process.body(b'{"body": {"text": "Hi"}}'), 10)
        finally:
            process.close()
        return taken

    taken = asyncio.run(run())
    assert len(taken) == 1  # once, when it came: the short draft's and the large one's
    stages = taken[0]["stages"]
    assert isinstance(stages, dict)
    assert sum(stages["phrases"][:-1]) == 2  # bucket counts (the last item is their sum)
