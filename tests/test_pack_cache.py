"""The linter's start-up cache (pack_cache.py): same findings with it, without it, and
with a damaged one; it holds the pack's patterns and nothing of the drafts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "dev"
DRAFTS = sorted(CORPUS.glob("*.eml"))[:6]


def check(cache_home: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "HOME")}
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "check", "--format", "json", *map(str, DRAFTS)],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip


def cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "intro-coach").glob("startup-*.json"))


def test_findings_are_the_same_without_with_and_with_a_damaged_cache(tmp_path: Path) -> None:
    without = check(None)
    assert without.returncode == 1 and without.stderr == ""
    first = check(tmp_path)  # writes the cache
    (written,) = cache_files(tmp_path)
    second = check(tmp_path)  # reads it
    damages = (
        b"", b"{not json", b'[["x", 2, 7]]', b"[" * 100_000, os.urandom(512),
        # JSON of the right shape with a wrong type inside, an unknown field, or nothing
        b'{"requirements": [["x", "2", null]], "translations": [], "pack": null}',
        b'{"requirements": [], "translations": [["x", 0, 7]], "pack": null}',
        b'{"requirements": [], "translations": [], "pack": [], "more": 1}',
        b'{"requirements": [], "translations": null, "pack": null}',
    )  # fmt: skip
    for damage in damages:
        written.write_bytes(damage)
        damaged = check(tmp_path)
        assert (damaged.returncode, damaged.stdout, damaged.stderr) == (
            without.returncode, without.stdout, without.stderr,
        )  # fmt: skip
        assert written.read_bytes() != damage  # rewritten whole
    for run in (first, second):
        assert (run.returncode, run.stdout, run.stderr) == (
            without.returncode, without.stdout, without.stderr,
        )  # fmt: skip


def test_the_cache_is_private_and_holds_nothing_of_the_drafts(tmp_path: Path) -> None:
    check(tmp_path)
    (written,) = cache_files(tmp_path)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    cached = written.read_text("utf-8")
    for draft in DRAFTS:
        body = draft.read_text("utf-8").split("\n\n", 1)[1]
        lines = [line for line in body.splitlines() if len(line) > 30]
        assert lines and not any(line in cached for line in lines)


def test_an_unwritable_cache_directory_is_no_cache(tmp_path: Path) -> None:
    (tmp_path / "intro-coach").write_text("a file where the directory would be")
    assert check(tmp_path).stdout == check(None).stdout
