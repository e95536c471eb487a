"""Grammar with a real LanguageTool server: its start-up and memory, grammar latency for
a 150-word draft (cold and one-paragraph edits), and the rules' latency with grammar on.

Every request goes over HTTP to a real uvicorn server, as the extension's do:
- cold: every paragraph of every draft is new (a number in each paragraph changes), so
  each request is one LanguageTool check of the whole draft;
- edit: one paragraph changes per request, as while someone types;
- rules: `/v1/analyze` on a server without grammar, and on one with grammar on while a
  second client asks `/v1/grammar` after each rules answer (the extension's pattern).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import languagetool_jars, start_server

from benchmarks.drafts import TYPICAL_TEXT
from intro_coach.languagetool_process import LanguageToolProcess, why_not_local

ROUNDS = int(os.environ.get("BENCH_GRAMMAR_ROUNDS", "60"))


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(name: str, ms: list[float]) -> str:
    return (
        f"{name:<44} p50 {statistics.median(ms):7.1f} ms   p95 {_p(ms, 0.95):7.1f} ms"
        f"   (n={len(ms)})"
    )


def _draft(text: str) -> dict[str, object]:
    return {
        "subject": "Your diary studies with nurses",
        "body": {"text": text},
        "to": [{"email": "jordan@example.com", "name": "Jordan Lee"}],
    }


def _numbered(n: int) -> str:
    """The typical draft with a number in every sentence: all of it new to our cache and
    to LanguageTool's own sentence cache."""
    return re.sub(r"([,.?:])(\s)", lambda m: f" {n}{m.group(1)}{m.group(2)}", TYPICAL_TEXT)


def _edited(n: int) -> str:
    """The typical draft with one word of the second paragraph changed."""
    return TYPICAL_TEXT.replace("eight\nyears", f"{n + 2}\nyears", 1)


def _rss_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _timed(client: httpx.Client, path: str, body: dict[str, object]) -> float:
    began = time.perf_counter()
    response = client.post(path, json=body)
    elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, response.text
    if path == "/v1/grammar":
        assert response.json()["checks"]["grammar"] == "ok", response.json()["checks"]
    return elapsed


def main() -> None:
    jars = languagetool_jars()
    reason = why_not_local(jars)
    if reason is not None or jars is None:
        sys.exit(f"bench_grammar: {reason} (run: bash .ci/languagetool)")
    print(f"Grammar benchmark (LanguageTool 6.8, real server; {ROUNDS} rounds; noisy machine)")
    began = time.monotonic()
    process = LanguageToolProcess(jars, heap="768m")
    process.start()
    if not process.wait_ready(300):
        sys.exit("bench_grammar: LanguageTool did not start")
    print(
        f"LanguageTool start-up to first answered check: {time.monotonic() - began:.1f} s"
        f"   RSS after warm-up: {_rss_mb(process.pid):.0f} MB (-Xmx768m)"
    )
    with tempfile.TemporaryDirectory() as plain_dir, tempfile.TemporaryDirectory() as lt_dir:
        slow = {"INTRO_COACH_GRAMMAR_DEADLINE_MS": "10000"}
        plain = start_server(Path(plain_dir))
        grammar = start_server(Path(lt_dir), {"INTRO_COACH_LANGUAGETOOL_URL": process.url, **slow})
        try:
            _run(plain.url, grammar.url)
            _floor(process.url)
        finally:
            plain.stop()
            grammar.stop()
    print(f"LanguageTool RSS after the benchmark: {_rss_mb(process.pid):.0f} MB")
    process.stop()


def _floor(lt_url: str) -> None:
    """LanguageTool alone, straight to its API: the least a grammar answer can cost."""
    with httpx.Client(base_url=lt_url, timeout=30) as c:
        ms = []
        for n in range(ROUNDS):
            began = time.perf_counter()
            text = f"Would you have {n} minutes for a call next week?"
            c.post("/v2/check", data={"language": "en-US", "text": text}).raise_for_status()
            ms.append((time.perf_counter() - began) * 1000)
    print(_summary("LanguageTool alone, one new short sentence", ms))


def _run(plain_url: str, grammar_url: str) -> None:
    with httpx.Client(base_url=grammar_url, timeout=30) as c:
        for n in range(5):  # JIT warm-up of both services, not measured
            _timed(c, "/v1/grammar", _draft(_numbered(10_000 + n)))
            _timed(c, "/v1/analyze", _draft(_numbered(10_000 + n)))
        cold = [_timed(c, "/v1/grammar", _draft(_numbered(n))) for n in range(ROUNDS)]
        print(_summary("grammar, 150-word draft, cold", cold))
        _timed(c, "/v1/grammar", _draft(_edited(0)))
        edit = [_timed(c, "/v1/grammar", _draft(_edited(n))) for n in range(1, ROUNDS + 1)]
        print(_summary("grammar, one paragraph edited", edit))
        cached = [_timed(c, "/v1/grammar", _draft(_edited(5))) for _ in range(ROUNDS)]
        print(_summary("grammar, nothing changed (cache)", cached))

    rounds = ROUNDS * 3
    with httpx.Client(base_url=plain_url, timeout=30) as c:
        for n in range(20):
            _timed(c, "/v1/analyze", _draft(_edited(n)))
        alone = [_timed(c, "/v1/analyze", _draft(_edited(n))) for n in range(rounds)]
    stop = threading.Event()

    def grammar_after_rules() -> None:
        with httpx.Client(base_url=grammar_url, timeout=30) as g:
            n = 50_000
            while not stop.is_set():
                n += 1
                _timed(g, "/v1/grammar", _draft(_edited(n)))

    with httpx.Client(base_url=grammar_url, timeout=30) as c:
        for n in range(20):
            _timed(c, "/v1/analyze", _draft(_edited(n)))
        background = threading.Thread(target=grammar_after_rules, daemon=True)
        background.start()
        try:
            beside = [_timed(c, "/v1/analyze", _draft(_edited(n))) for n in range(rounds)]
        finally:
            stop.set()
            background.join(30)
    print(_summary("rules (/v1/analyze), grammar off", alone))
    print(_summary("rules (/v1/analyze), grammar on and busy", beside))


if __name__ == "__main__":
    main()
