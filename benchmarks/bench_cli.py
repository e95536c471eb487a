"""Linter start-up: wall time of `intro-coach check` on one short draft, end to end.

An editor or a pre-commit hook runs the linter once per file, so what matters is the
whole process: interpreter, imports, loading the rule pack, one analysis, printing.
Prints the fastest and the median of several runs (the fastest is the least disturbed
by other load on the machine), and an empty interpreter's start-up for comparison.

Measured as an installed linter runs: with bytecode files (written by a first run into
a scratch directory, even where PYTHONDONTWRITEBYTECODE is set, as on this team's
machines) and with the start-up cache (rules/pack_cache.py) written by that first run;
that first run's own time is printed apart.
"""

from __future__ import annotations

import os
import resource
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
# The same draft as a mail program saves it (MIME, typographic apostrophes, a referrer
# whose name has accents): the email package's import, and the exact forms of the
# patterns that meet non-ASCII letters (linear.Regex), on top. Printed for reference.
EML = (
    "From: Alex <alex@example.com>\nTo: Jordan <jordan@example.com>\n"
    "Subject: Question about UX research in Portland\nMIME-Version: 1.0\n"
    'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 8bit\n\n'
    + DRAFT.split("\n\n", 1)[1].replace("Sally Smith", "Zoë Núñez").replace("'", "’")
)


def wall_ms(
    command: list[str],
    cpu: list[float] | None = None,
    env: dict[str, str] | None = None,
    runs: int = RUNS,
) -> list[float]:
    """Wall time of each run; `cpu` gets each run's processor time (user + system), which
    other load on the machine disturbs far less than the wall time."""
    times = []
    for _ in range(runs):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
        times.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu is not None:
            spent = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
            cpu.append(spent * 1000)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        draft = Path(workdir) / "draft.txt"
        draft.write_text(DRAFT, "utf-8")
        env_python = [sys.executable]
        baseline_cpu: list[float] = []
        linter_cpu: list[float] = []
        baseline = wall_ms([*env_python, "-c", "pass"], baseline_cpu)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(workdir) / "bytecode")
        env["XDG_CACHE_HOME"] = str(Path(workdir) / "cache")
        command = [*env_python, "-m", "intro_coach", "check", str(draft)]
        first_cpu: list[float] = []
        first = wall_ms(command, first_cpu, env, runs=1)
        linter = wall_ms(command, linter_cpu, env)
        eml = Path(workdir) / "draft.eml"
        eml.write_text(EML, "utf-8")
        eml_cpu: list[float] = []
        eml_wall = wall_ms([*command[:-1], str(eml)], eml_cpu, env)
    fastest, median = min(linter), statistics.median(linter)
    print(
        f"linter start-up (intro-coach check, one .txt draft, {RUNS} runs, {os.cpu_count()} CPUs)"
    )
    print(f"  fastest {fastest:6.0f} ms   median {median:6.0f} ms   target < {TARGET_MS} ms")
    print(
        f"  processor time: fastest {min(linter_cpu):4.0f} ms   median "
        f"{statistics.median(linter_cpu):4.0f} ms (less disturbed by other load)"
    )
    print(
        f"  first run (writes bytecode and the start-up cache): {first[0]:4.0f} ms, "
        f"processor time {first_cpu[0]:4.0f} ms"
    )
    print(
        f"  the same as an .eml (typographic quotes, accented referrer): fastest "
        f"{min(eml_wall):4.0f} ms, median {statistics.median(eml_wall):4.0f} ms, processor "
        f"time {statistics.median(eml_cpu):4.0f} ms"
    )
    print(
        f"  empty python: fastest {min(baseline):4.0f} ms, processor time "
        f"{min(baseline_cpu):4.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
