"""`intro-coach check --grammar` against the real LanguageTool server of the test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from intro_coach.languagetool_process import LanguageToolProcess

EML = """\
From: Alex Kim <alex@example.com>
To: Jordan Lee <jordan@example.com>
Subject: A questoin about your team
Content-Type: text/plain; charset=utf-8

Hi Jordan,

Sally Smith suggested I write. 😀 I has a question about your wrk on search.

Thanks,
Alex
"""


def run(url: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTRO_COACH_LANGUAGETOOL_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "check", "--grammar", *map(str, args)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_text_json_and_sarif_carry_grammar_rule_ids(
    languagetool: LanguageToolProcess, tmp_path: Path
) -> None:
    path = tmp_path / "draft.eml"
    path.write_text(EML, encoding="utf-8")

    text = run(languagetool.url, path)
    assert text.returncode == 1
    assert f"{path}:subject:1:3: warning grammar:MORFOLOGIK_RULE_EN_US " in text.stdout
    # Line 3 of the body; the emoji counts two UTF-16 columns, like an editor's.
    body_line = "Sally Smith suggested I write. 😀 I has a question about your wrk on search."
    column = body_line.index("wrk") + 1 + 1
    assert f"{path}:body:3:{column}: warning grammar:MORFOLOGIK_RULE_EN_US " in text.stdout
    assert "Jordan" not in {line.rsplit(" ", 1)[-1] for line in text.stdout.splitlines()}

    doc = json.loads(run(languagetool.url, "--format", "json", path).stdout)
    assert doc["checks"]["grammar"] == "ok"
    grammar = {f["match"]: f for f in doc["findings"] if f["rule"].startswith("grammar:")}
    assert {"questoin", "has", "wrk"} <= set(grammar)
    assert "Sally" not in grammar and "Alex" not in grammar
    assert any(f["rule"] == "referrer-not-in-subject" for f in doc["findings"])

    sarif = json.loads(run(languagetool.url, "--format", "sarif", path).stdout)
    run_ = sarif["runs"][0]
    ids = {r["ruleId"] for r in run_["results"]}
    assert "grammar:MORFOLOGIK_RULE_EN_US" in ids
    described = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert ids <= described


def test_unreachable_server_still_lints_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "draft.eml"
    path.write_text(EML, encoding="utf-8")
    result = run("http://127.0.0.1:9", "--format", "json", path)
    doc = json.loads(result.stdout)
    assert doc["checks"]["grammar"] == "unavailable"
    assert not any(f["rule"].startswith("grammar:") for f in doc["findings"])
    assert any(f["rule"] == "referrer-not-in-subject" for f in doc["findings"])
    assert "grammar: LanguageTool at http://127.0.0.1:9 did not answer" in result.stderr
