"""Analyzer alone: median time per draft, on the shared corpus and a 150-word draft.

The analyzer remembers per-paragraph results between calls (in memory), so three cases:
- cold: nothing remembered, every paragraph analysed from scratch;
- typing: one word of the last paragraph changes between calls, as while someone types;
- same draft: the identical draft again (the extension re-sends on focus and chips).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.drafts import corpus, typical
from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest, Body
from intro_coach.text import forget_paragraphs

ROUNDS = 2000


def median_us(requests: list[AnalyzeRequest], before: Callable[[], None] | None = None) -> float:
    analyze(requests[0])  # the rule pack loads once per process
    samples = []
    for request in requests:
        if before:
            before()
        start = time.perf_counter_ns()
        analyze(request)
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def typing(draft: AnalyzeRequest, rounds: int) -> list[AnalyzeRequest]:
    text = draft.body.text or ""
    return [
        draft.model_copy(update={"body": Body(text=text.replace("Thanks so much", f"Thanks {i}"))})
        for i in range(rounds)
    ]


def main() -> None:
    draft = typical()
    words = len((draft.body.text or "").split())
    cold = median_us([draft] * ROUNDS, before=forget_paragraphs)
    print(f"analyzer, {words}-word draft, cold:       median {cold:5.0f} µs per draft")
    print(
        f"analyzer, {words}-word draft, typing:     "
        f"median {median_us(typing(draft, ROUNDS)):5.0f} µs per draft"
    )
    print(
        f"analyzer, {words}-word draft, same draft: "
        f"median {median_us([draft] * ROUNDS):5.0f} µs per draft"
    )
    per_file = {
        name: median_us([request] * 300, before=forget_paragraphs)
        for name, request in corpus().items()
    }
    for name, us in per_file.items():
        print(f"  corpus {name}, cold: median {us:.0f} µs")
    print(
        f"analyzer, shared corpus ({len(per_file)} drafts), cold: "
        f"median {statistics.median(per_file.values()):.0f} µs per draft"
    )


if __name__ == "__main__":
    main()
