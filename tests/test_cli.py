"""`intro-coach check` as a user runs it: real files, real process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "check", *map(str, args)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_text_format_one_line_per_finding() -> None:
    result = run(CORPUS / "01-classic-mistakes.eml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{CORPUS / '01-classic-mistakes.eml'}:body:4:")
        and ": warning informational-interview " in line
        for line in lines
    ), lines
    assert any(":attachments:1:1: warning resume-attached " in line for line in lines)
    assert any(":subject:1:1: warning referrer-not-in-subject " in line for line in lines)


def test_clean_draft_exits_zero() -> None:
    result = run(CORPUS / "02-good-email.eml")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_json_format_single_file_is_the_response_with_file(tmp_path: Path) -> None:
    result = run("--format", "json", CORPUS / "09-referred-by-title.eml")
    doc = json.loads(result.stdout)
    assert doc["file"].endswith("09-referred-by-title.eml")
    assert doc["referrer"] == {"name": "Priya Patel", "source": "body"}
    assert {f["rule"] for f in doc["findings"]} >= {"referrer-not-in-subject"}


def test_json_format_several_files_is_an_array() -> None:
    result = run("--format", "json", CORPUS / "02-good-email.eml", CORPUS / "03-job-ask.eml")
    docs = json.loads(result.stdout)
    assert [Path(d["file"]).name for d in docs] == ["02-good-email.eml", "03-job-ask.eml"]
    assert result.returncode == 1


def test_sarif_format() -> None:
    result = run("--format", "sarif", CORPUS / "01-classic-mistakes.eml")
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rule_ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {"informational-interview", "resume-attached", "too-long", "no-thanks"} <= rule_ids
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels["informational-interview"] == "warning"
    assert levels["no-thanks"] == "note"
    located = next(
        r
        for r in run_["results"]
        if r["ruleId"] == "informational-interview"
        and r["locations"][0]["logicalLocations"][0]["name"] == "body"
    )
    region = located["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 4 and region["snippet"]["text"] == "an\ninformational interview"
    assert region["endLine"] == 5


def test_txt_with_subject_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Subject: Informational interview\n\nHi Jordan,\nCould we talk?\n")
    result = run(draft)
    assert f"{draft}:subject:1:1: warning informational-interview" in result.stdout


def test_txt_without_subject_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Jordan,\nI'd love to pick your brain.\n")
    result = run(draft)
    assert f"{draft}:subject:1:1: error missing-subject" in result.stdout
    assert f"{draft}:body:2:13: warning pick-your-brain" in result.stdout


def test_json_request_file(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"subject": "Hi", "body": {"text": "Any openings on your team?"}}))
    result = run(draft)
    assert ": error job-ask " in result.stdout


def test_html_eml_reports_lines_in_the_extracted_text() -> None:
    result = run(CORPUS / "05-html-split-tags.eml")
    assert ":body:3:17: warning informational-interview" in result.stdout


def test_unreadable_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope")
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text('{"subject": 1}')
    binary = tmp_path / "draft.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for path, reason in (
        (tmp_path / "missing.eml", "No such file"),
        (bad_json, "invalid JSON"),
        (wrong_shape, "invalid request at subject"),
        (binary, "not UTF-8"),
    ):
        result = run(path)
        assert result.returncode == 2, path
        assert len(result.stderr.strip().splitlines()) == 1
        assert reason in result.stderr
