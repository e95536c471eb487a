"""Analyzer alone: median time per draft, on the shared corpus and a 150-word draft."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.drafts import corpus, typical
from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest

ROUNDS = 2000


def median_us(request: AnalyzeRequest, rounds: int = ROUNDS) -> float:
    analyze(request)  # warm caches: the rule pack is loaded once per process
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        analyze(request)
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def main() -> None:
    draft = typical()
    words = len((draft.body.text or "").split())
    print(f"analyzer, {words}-word draft: median {median_us(draft):.0f} µs per draft")
    per_file = {name: median_us(request, 500) for name, request in corpus().items()}
    for name, us in per_file.items():
        print(f"  corpus {name}: median {us:.0f} µs")
    print(
        f"analyzer, shared corpus ({len(per_file)} drafts): "
        f"median {statistics.median(per_file.values()):.0f} µs per draft"
    )


if __name__ == "__main__":
    main()
