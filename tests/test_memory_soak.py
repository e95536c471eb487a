"""A stream of distinct large drafts cannot grow the server: its memory levels off.

Every cache is bounded in bytes (the paragraph memo, paragraph splits, answers), so once
they are full the process stays the same size however many new drafts arrive. A real
`intro-coach serve` on loopback with its default settings; the resident size of the
server and its analysis processes is read from /proc, as an operator's monitoring would.
"""

from __future__ import annotations

import random
from pathlib import Path

import httpx

from intro_coach.schema import MAX_BODY_CHARS
from tests.conftest import analysis_processes, start_server

_WORDS = "advice career research teaching design product team study market data".split()
# A leak of even 0.5 MB a draft shows as 30 MB over the last 60 drafts.
MAX_GROWTH_MB = 24


def _draft(seed: int) -> str:
    """100,000 characters no other draft shares: about a hundred paragraphs, or one
    (a cache bounded in entries rather than bytes grows fastest on those)."""
    rnd = random.Random(seed)
    paragraphs = []
    size = 0
    while size < MAX_BODY_CHARS:
        words = (f"{rnd.choice(_WORDS)}{rnd.randrange(10**6)}" for _ in range(60))
        end = "\n\n" if seed % 2 else " "
        paragraph = " ".join(words) + ". Would you share your advice?" + end
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "".join(paragraphs)[:MAX_BODY_CHARS]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _server_rss_mb(pid: int) -> float:
    """The server's and its analysis processes' (which hold the analyzer's caches)."""
    children = analysis_processes(pid)
    assert children, "no analysis process"
    return _rss_mb(pid) + sum(_rss_mb(child) for child in children)


def test_distinct_large_drafts_level_off(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        sizes = []
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for i in range(120):
                answer = client.post("/v1/analyze", json={"body": {"text": _draft(i)}})
                assert answer.status_code == 200, answer.text
                assert answer.json()["stats"]["words"] > 1_000
                if i + 1 in (60, 120):
                    sizes.append(_server_rss_mb(server.process.pid))
    finally:
        server.stop()
    after_60, after_120 = sizes
    assert after_120 - after_60 < MAX_GROWTH_MB, f"{after_60:.0f} MB, then {after_120:.0f} MB"
