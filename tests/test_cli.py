"""`intro-coach check` as a user runs it: real files, real process, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "dev"
CLASSIC = CORPUS / "002-classic-mistakes-phrase-resume-referrer.eml"
GOOD = CORPUS / "001-referred-teacher-to-ux-good.eml"
JOB = CORPUS / "003-student-internship-referral.eml"
HTML = CORPUS / "023-html-split-tags-meeting.eml"


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "check", *map(str, args)],
        capture_output=True, text=True, timeout=60, input=stdin,
    )  # fmt: skip


def test_text_format_one_line_per_finding() -> None:
    result = run(CLASSIC)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{CLASSIC}:body:3:172: warning informational-interview" in result.stdout, lines
    assert any(":attachments:1:1: warning resume-attached " in line for line in lines)
    assert any(":subject:1:1: warning referrer-not-in-subject " in line for line in lines)


def test_whole_email_findings_sit_where_the_writer_s_text_ends() -> None:
    # The draft's own text ends on line 8 ("Tomás Herrera"), column 14.
    lines = run(CLASSIC).stdout.splitlines()
    for rule in ("no-time-frame", "no-opinion-ask"):
        assert any(f"{CLASSIC}:body:8:14: suggestion {rule} " in line for line in lines), lines
    assert not any(":body:1:1:" in line for line in lines)


def test_clean_draft_exits_zero() -> None:
    result = run(GOOD)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_json_format_single_file_is_the_response_with_file(tmp_path: Path) -> None:
    result = run("--format", "json", CLASSIC)
    doc = json.loads(result.stdout)
    assert doc["file"].endswith(CLASSIC.name)
    assert doc["referrer"] == {"name": "Linda Osei", "source": "body"}
    assert {f["rule"] for f in doc["findings"]} >= {"referrer-not-in-subject"}


def test_json_format_several_files_is_an_array() -> None:
    result = run("--format", "json", GOOD, JOB)
    docs = json.loads(result.stdout)
    assert [Path(d["file"]).name for d in docs] == [GOOD.name, JOB.name]
    assert result.returncode == 1


def test_sarif_format() -> None:
    result = run("--format", "sarif", CLASSIC)
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rule_ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {"informational-interview", "resume-attached", "too-long", "no-thanks"} <= rule_ids
    assert "job-ask" in rule_ids
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels["informational-interview"] == "warning"
    assert levels["no-opinion-ask"] == "note"
    located = next(
        r
        for r in run_["results"]
        if r["ruleId"] == "informational-interview"
        and r["locations"][0]["logicalLocations"][0]["name"] == "body"
    )
    region = located["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 3 and region["snippet"]["text"] == "an informational interview"


def test_a_closed_pipe_ends_quietly() -> None:
    # `| head -1`: the reader goes away after the first line.
    many = [GOOD, JOB, CLASSIC] * 40
    command = [sys.executable, "-m", "intro_coach", "check", "--format", "json", *map(str, many)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert process.wait(timeout=60) in (0, 1)
    assert errors == ""


def test_stdin_disable_and_referrer() -> None:
    draft = "Subject: Hello\n\nHi Jordan, are there any openings on your team? Best, Alex\n"
    result = run("--stdin", "--disable", "no-thanks", "--disable", "no-clear-ask", stdin=draft)
    assert result.returncode == 1
    assert "<stdin>:body:1:26: error job-ask " in result.stdout
    assert "no-thanks" not in result.stdout
    with_referrer = run("--stdin", "--referrer", "Sally Smith", "--format", "json", stdin=draft)
    doc = json.loads(with_referrer.stdout)
    assert doc["referrer"] == {"name": "Sally Smith", "source": "user"}
    assert "referrer-not-in-subject" in {f["rule"] for f in doc["findings"]}


def test_no_referrer_says_nobody_referred_you() -> None:
    found = run(CLASSIC)
    assert f"{CLASSIC}:subject:1:1: warning referrer-not-in-subject " in found.stdout
    said = run("--no-referrer", CLASSIC)
    assert "referrer-not-in-subject" not in said.stdout
    assert "informational-interview" in said.stdout
    doc = json.loads(run("--no-referrer", "--format", "json", CLASSIC).stdout)
    assert doc["referrer"] is None
    assert not [s for s in doc["subject_suggestions"] if "Linda" in s["subject"]]


def test_referrer_and_no_referrer_together_is_an_error() -> None:
    both = run("--referrer", "Sally Smith", "--no-referrer", CLASSIC)
    assert both.returncode == 2
    assert "--no-referrer: not allowed with argument --referrer" in both.stderr


def test_stdin_reads_an_eml() -> None:
    result = run("--stdin", stdin=CLASSIC.read_text("utf-8"))
    assert "<stdin>:body:3:172: warning informational-interview" in result.stdout


def test_unknown_rule_in_disable_is_an_error() -> None:
    result = run("--disable", "no-such-rule", GOOD)
    assert result.returncode == 2 and "no-such-rule" in result.stderr


def test_no_subject_skips_the_subject_rules(tmp_path: Path) -> None:
    draft = tmp_path / "draft.eml"
    draft.write_bytes(CLASSIC.read_bytes().replace(b"Subject: ", b"X-Old-Subject: "))
    assert ":subject:1:1: error missing-subject" in run(draft).stdout
    quiet = run("--no-subject", draft).stdout
    assert "missing-subject" not in quiet and "referrer-not-in-subject" not in quiet
    assert "informational-interview" in quiet


def test_txt_with_subject_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Subject: Informational interview\n\nHi Jordan,\nCould we talk?\n")
    result = run(draft)
    assert f"{draft}:subject:1:1: warning informational-interview" in result.stdout


def test_txt_without_subject_line_is_a_snippet(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Jordan,\nI'd love to pick your brain.\n")
    result = run(draft)
    assert "missing-subject" not in result.stdout
    assert f"{draft}:body:2:13: warning pick-your-brain" in result.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("Subject:\n\nHi Jordan,\nI'd love to pick your brain.\n")
    assert f"{empty}:subject:1:1: error missing-subject" in run(empty).stdout


def test_json_request_file(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"subject": "Hi", "body": {"text": "Any openings on your team?"}}))
    result = run(draft)
    assert ": error job-ask " in result.stdout


def test_html_eml_reports_lines_in_the_extracted_text() -> None:
    result = run(HTML)
    assert ":body:3:90: warning informational-interview" in result.stdout


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


def test_check_imports_nothing_of_the_web_or_the_database(tmp_path: Path) -> None:
    # What an editor or a hook pays on every file: none of the server's libraries, and,
    # once the start-up cache is written, not even the YAML parser.
    heavy = {
        "fastapi", "starlette", "uvicorn", "pydantic", "sqlalchemy", "psycopg", "alembic",
        "httpx", "anyio", "google", "googleapiclient", "redis", "intro_coach.api",
        "intro_coach.store", "intro_coach.languagetool", "intro_coach.config",
    }  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "HOME"} | {"XDG_CACHE_HOME": str(tmp_path)}
    imported = []
    for _ in range(2):  # the first run writes the cache, the second reads it
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "intro_coach", "check", str(GOOD)],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        assert result.returncode in (0, 1), result.stderr
        lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
        imported.append({line.rsplit("|", 1)[1].strip() for line in lines})
    for modules in imported:
        assert "intro_coach.analyzer" in modules  # the report is read
        assert not {m for m in modules if m in heavy or m.split(".")[0] in heavy}
    assert "yaml" in imported[0] and "yaml" not in imported[1]
    # Nor what only a first run (writing the cache), a .json draft, JSON output or an
    # HTML draft needs: milliseconds each of a warm start.
    assert not {"json", "pathlib", "tempfile", "shutil", "html"} & imported[1]


def test_importing_the_linter_compiles_no_pattern() -> None:
    """Patterns compile when a draft first needs them: what a run never uses costs it
    nothing (RE2 compiling the referrer's patterns at import was milliseconds of each)."""
    script = (
        "import re2\n"
        "compiled = []\n"
        "init = re2._Regexp.__init__\n"
        "def spy(self, pattern, options):\n"
        "    compiled.append(pattern)\n"
        "    init(self, pattern, options)\n"
        "re2._Regexp.__init__ = spy\n"
        "import intro_coach.cli, intro_coach.analyzer, intro_coach.emails, intro_coach.report\n"
        "print(len(compiled))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "0"
