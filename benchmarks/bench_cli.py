"""Linter start-up: wall time of `intro-coach check` on one short draft, end to end.

An editor or a pre-commit hook runs the linter once per file, so what matters is the
whole process: interpreter, imports, loading the rule pack, one analysis, printing.
Prints the fastest and the median of several runs (the fastest is the least disturbed
by other load on the machine), and an empty interpreter's start-up for comparison.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15
TARGET_MS = 100
DRAFT = """Subject: Question about UX research in Portland

Hi Jordan,

Sally Smith suggested I contact you. I taught science for eight years and now work in UX
research. I'd value your take on the research scene in Portland. Would you have 20
minutes for a call next week?

Thanks so much,
Alex
"""


def wall_ms(command: list[str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        draft = Path(workdir) / "draft.txt"
        draft.write_text(DRAFT, "utf-8")
        env_python = [sys.executable]
        baseline = wall_ms([*env_python, "-c", "pass"])
        linter = wall_ms([*env_python, "-m", "intro_coach", "check", str(draft)])
    fastest, median = min(linter), statistics.median(linter)
    print(
        f"linter start-up (intro-coach check, one .txt draft, {RUNS} runs, {os.cpu_count()} CPUs)"
    )
    print(f"  fastest {fastest:6.0f} ms   median {median:6.0f} ms   target < {TARGET_MS} ms")
    print(f"  empty python: fastest {min(baseline):4.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
