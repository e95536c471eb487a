"""Analyzer alone: median time per draft, on the shared corpus and a 150-word draft.

The analyzer remembers per-paragraph results between calls (in memory), so three cases:
- cold: nothing remembered, every paragraph analysed from scratch;
- typing: one word of the last paragraph changes between calls, as while someone types;
- same draft: the identical draft again (the extension re-sends on focus and chips; the
  service answers that one from its cache of answers, before the analyzer).
The analyzer runs as in the service: after `warm_up`, which also builds the pack's index
of whole patterns. One more figure for typing: the whole in-process cost of a request,
its JSON read into the request model, analysed and the answer written as JSON (what the
service adds around that is HTTP).
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.drafts import corpus, typical
from intro_coach.analyzer import analyze, warm_up
from intro_coach.schema import AnalyzeRequest, Body
from intro_coach.text import forget_paragraphs

ROUNDS = 3000
BATCHES = 7


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


_keystrokes = itertools.count()


def typing(draft: AnalyzeRequest, rounds: int) -> list[AnalyzeRequest]:
    # Every batch types new words: a variant seen in an earlier batch would be answered
    # from the per-paragraph memo, which is the "same draft" case, not a keystroke.
    text = draft.body.text or ""
    return [
        draft.model_copy(
            update={
                "body": Body(text=text.replace("Thanks so much", f"Thanks {next(_keystrokes)}"))
            }
        )
        for _ in range(rounds)
    ]


def request_us(bodies: list[bytes]) -> float:
    """Median time per request: JSON in, analysis, JSON out."""
    samples = []
    for body in bodies:
        start = time.perf_counter_ns()
        analyze(AnalyzeRequest.model_validate_json(body)).model_dump_json()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def _batches(measure: Callable[[], float], batches: int = BATCHES) -> str:
    """Median of the batch medians, and their range: this machine's speed drifts from
    one second to the next, so one long run would say more about the drift."""
    results = sorted(measure() for _ in range(batches))
    return (
        f"median {statistics.median(results):5.0f} µs per draft "
        f"(batch medians {results[0]:.0f}–{results[-1]:.0f})"
    )


def main() -> None:
    warm_up()
    draft = typical()
    words = len((draft.body.text or "").split())
    rounds = ROUNDS // BATCHES
    cold = _batches(lambda: median_us([draft] * rounds, before=forget_paragraphs))
    print(
        "Figures from a shared 2-core machine running other work: noisy; the batch "
        "medians' range shows how much."
    )
    print(f"analyzer, {words}-word draft, cold:       {cold} (target < 1000 µs)")
    typed = _batches(lambda: median_us(typing(draft, rounds)))
    print(f"analyzer, {words}-word draft, typing:     {typed} (target < 300 µs per keystroke)")
    same = _batches(lambda: median_us([draft] * rounds))
    print(f"analyzer, {words}-word draft, same draft: {same}")
    whole = _batches(
        lambda: request_us([r.model_dump_json().encode() for r in typing(draft, rounds)])
    )
    print(f"typing, JSON in and out with the analysis: {whole}")
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
