"""Grammar and spelling from a real LanguageTool server, through the HTTP service.

One LanguageTool server runs for the whole test run (the `languagetool` fixture); the
service under test is a real uvicorn process pointed at it, or at a loopback proxy in
front of it when a test counts what reaches LanguageTool.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from intro_coach.languagetool_process import LanguageToolProcess
from tests.conftest import Server, start_server
from tests.loopback import CountingProxy, hanging_server

SPELLING = "grammar:MORFOLOGIK_RULE_EN_US"
# A shared, loaded machine can take seconds for a first check: these tests are about what
# is found, not how fast, so the grammar deadline is generous (speed is `make bench`).
SLOW_MACHINE = {"INTRO_COACH_GRAMMAR_DEADLINE_MS": "60000"}


def utf16_slice(text: str, start: int, end: int) -> str:
    """What a browser's `text.slice(start, end)` gives: offsets count UTF-16 units."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def draft(body: str, **extra: Any) -> dict[str, Any]:
    return {"subject": "Your work at Acme", "body": {"text": body}, **extra}


@pytest.fixture(scope="module")
def grammar_server(
    languagetool: LanguageToolProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("grammar"),
        {"INTRO_COACH_LANGUAGETOOL_URL": languagetool.url, **SLOW_MACHINE},
    )
    yield running
    running.stop()


@pytest.fixture()
def grammar(grammar_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=grammar_server.url, timeout=30) as c:
        yield c


def check(client: httpx.Client, request: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/grammar", json=request)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["checks"]["grammar"] == "ok", body["checks"]
    return body


def test_a_misspelling_is_a_warning_with_a_few_replacements(grammar: httpx.Client) -> None:
    text = "Hi Jordan,\n\nI would love to hear more about your wrk on search."
    found = check(grammar, draft(text))["findings"]
    [finding] = [f for f in found if f["rule"] == SPELLING]
    assert finding["match"] == "wrk" == text[finding["start"] : finding["end"]]
    assert finding["severity"] == "warning"
    assert finding["field"] == "body"
    assert finding["replacements"][0] == "work"
    assert 1 <= len(finding["replacements"]) <= 3
    assert finding["message"]


def test_a_subject_verb_error_is_found_with_its_fix(grammar: httpx.Client) -> None:
    text = "Hi Jordan,\n\nI has a question about your move from design to research."
    found = check(grammar, draft(text))["findings"]
    [finding] = [f for f in found if f["match"] == "has"]
    assert finding["rule"].startswith("grammar:")
    assert finding["severity"] == "warning"
    assert "have" in finding["replacements"]


def test_the_subject_is_checked_too(grammar: httpx.Client) -> None:
    found = check(grammar, {"subject": "A questoin about Acme", "body": {"text": "Hi"}})
    [finding] = [f for f in found["findings"] if f["field"] == "subject"]
    assert finding["match"] == "questoin"


def test_names_are_never_spelling_mistakes(grammar: httpx.Client) -> None:
    text = (
        "Hi Siobhan,\n\nNgozi Okonkwo suggested I write to you about Kowalczyk's "
        "research group. I read Tarquinius's paper too.\n\nThanks,\nAnanya Raghunathan"
    )
    request = draft(
        text,
        to=[{"email": "s@example.com", "name": "Siobhan Kowalczyk"}],
        options={"ignored": [{"rule": SPELLING, "match": "Tarquinius"}]},
    )
    found = check(grammar, request)["findings"]
    flagged = " ".join(f["match"] for f in found)
    for name in ("Siobhan", "Ngozi", "Okonkwo", "Kowalczyk", "Ananya", "Raghunathan"):
        assert name not in flagged
    assert "Tarquinius" not in flagged
    # Without the recipient, the same surname is a word LanguageTool does not know.
    found = check(grammar, draft(text))["findings"]
    assert "Kowalczyk" in {f["match"] for f in found if f["rule"] == SPELLING}


def test_quoted_replies_and_signatures_are_not_checked(grammar: httpx.Client) -> None:
    text = (
        "Hi Jordan,\n\nThank you, I has a question.\n\n"
        "On Mon, 3 Jun 2024 at 10:00, Jordan Lee <jordan@example.com> wrote:\n"
        "> We has recieved your mesage.\n\n"
        "-- \nAlex | I has no tyme"
    )
    found = check(grammar, draft(text))["findings"]
    quoted_from = text.index("On Mon")
    assert [f["match"] for f in found if f["start"] >= quoted_from] == []
    assert "has" in {f["match"] for f in found if f["start"] < quoted_from}


def test_offsets_after_emoji_and_accents_count_utf16_units(grammar: httpx.Client) -> None:
    text = "Héllo Zoë 😀🎉 — café naïve.\n\n🙂 Thanks so much, I has a wrk question 👍 for you."
    found = check(grammar, draft(text))["findings"]
    by_match = {f["match"]: f for f in found}
    for word in ("has", "wrk"):
        finding = by_match[word]
        assert utf16_slice(text, finding["start"], finding["end"]) == word
    assert text.index("wrk") != by_match["wrk"]["start"]  # code points would be off


def test_html_bodies_point_into_body_text(grammar: httpx.Client) -> None:
    html = (
        "<div>Hi <b>Jordan</b> 😀,</div><div><br></div>"
        "<div>I has a <i>questoin</i> about&nbsp;your team.</div>"
        '<div class="gmail_quote">On Mon, Jordan wrote:<br>We has recieved it</div>'
    )
    body = check(grammar, {"subject": "Hi", "body": {"html": html}})
    text = body["body_text"]
    matches = {f["match"] for f in body["findings"]}
    assert {"has", "questoin"} <= matches
    assert "recieved" not in matches
    for finding in body["findings"]:
        assert utf16_slice(text, finding["start"], finding["end"]) == finding["match"]


def test_style_and_typography_are_suggestions_and_picky_adds_more(grammar: httpx.Client) -> None:
    text = 'Hello ,Jordan. He said "hello" to me and it was a very unique talk.'
    default = check(grammar, draft(text))["findings"]
    severities = {f["match"]: f["severity"] for f in default}
    assert severities[" ,"] == "suggestion"  # whitespace before a comma
    assert severities["very unique"] == "suggestion"  # style
    assert not any(f["match"] == '"' for f in default)
    picky = check(grammar, draft(text, options={"grammar_picky": True}))["findings"]
    quotes = [f for f in picky if f["rule"] == "grammar:EN_QUOTES"]
    assert quotes and all(f["severity"] == "suggestion" for f in quotes)


def test_grammar_can_be_turned_off_and_rules_stay_separate(grammar: httpx.Client) -> None:
    text = "Hi,\n\nI has a question. Could we do an informational interview?"
    off = grammar.post("/v1/grammar", json=draft(text, options={"grammar": False})).json()
    assert off["findings"] == []
    assert off["checks"]["grammar"] == "off"
    assert off["checks"]["notes"] == ["grammar: turned off in the options"]
    rules = grammar.post("/v1/analyze", json=draft(text)).json()
    assert not any(f["rule"].startswith("grammar:") for f in rules["findings"])
    assert any(f["rule"] == "informational-interview" for f in rules["findings"])


def test_without_a_server_grammar_is_off_with_the_reason(client: httpx.Client) -> None:
    body = client.post("/v1/grammar", json=draft("I has a question.")).json()
    assert body["findings"] == []
    assert body["checks"]["grammar"] == "off"
    [note] = body["checks"]["notes"]
    assert "INTRO_COACH_LANGUAGETOOL_URL" in note


def test_bad_input_is_a_4xx(grammar: httpx.Client) -> None:
    assert grammar.post("/v1/grammar", json={"body": {"text": 5}}).status_code == 422
    assert grammar.post("/v1/grammar", content=b"{").status_code == 422


def test_an_edit_rechecks_only_the_paragraph_that_changed(
    languagetool: LanguageToolProcess, tmp_path: Path
) -> None:
    proxy = CountingProxy(languagetool.url)
    server = start_server(tmp_path, {"INTRO_COACH_LANGUAGETOOL_URL": proxy.url, **SLOW_MACHINE})
    try:
        paragraphs = [
            "Hi Jordan,",
            "I loved your talk on search ranking at the meetup last week.",
            "I has a question about how your team measures relevance.",
            "Would you have 20 minutes next week for a call?",
        ]
        with httpx.Client(base_url=server.url, timeout=30) as c:
            first = check(c, draft("\n\n".join(paragraphs)))
            assert len(proxy.checked) == 1
            assert all(p in proxy.checked[0] for p in paragraphs)
            again = check(c, draft("\n\n".join(paragraphs)))
            assert len(proxy.checked) == 1  # nothing changed: nothing sent
            assert again["findings"] == first["findings"]

            paragraphs[1] = "I loved your tallk on search ranking at the meetup last week."
            edited = check(c, draft("\n\n".join(paragraphs)))
            assert proxy.checked[1:] == [paragraphs[1]]
            matches = {f["match"] for f in edited["findings"]}
            assert {"tallk", "has"} <= matches  # the untouched paragraph's finding stays
    finally:
        server.stop()
        proxy.close()


def test_a_hanging_server_does_not_hold_up_the_answer(tmp_path: Path) -> None:
    with hanging_server() as url:
        server = start_server(
            tmp_path,
            {"INTRO_COACH_LANGUAGETOOL_URL": url, "INTRO_COACH_GRAMMAR_DEADLINE_MS": "500"},
        )
        try:
            with httpx.Client(base_url=server.url, timeout=30) as c:
                began = time.monotonic()
                body = c.post("/v1/grammar", json=draft("I has a question.")).json()
                waited = time.monotonic() - began
                assert body["checks"]["grammar"] == "timeout"
                assert body["checks"]["notes"] == [
                    "grammar: 0 of 2 paragraphs checked before the deadline"
                ]
                # The deadline is 0.5 s; the hung request alone would take 20 s.
                assert waited < 4, waited
                rules = c.post("/v1/analyze", json=draft("Could we do an informational interview?"))
                assert rules.json()["findings"]
        finally:
            server.stop()


def test_server_killed_mid_run_then_restarted(
    languagetool: LanguageToolProcess, grammar: httpx.Client
) -> None:
    text = "Hi,\n\nI has a question. Could we do an informational interview?"
    assert check(grammar, draft(text + " One"))["findings"]
    pid = languagetool.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while languagetool.pid == pid and time.monotonic() < deadline:
        time.sleep(0.1)

    down = grammar.post("/v1/grammar", json=draft(text + " Two")).json()
    assert down["checks"]["grammar"] == "unavailable"
    assert down["checks"]["notes"][0].startswith("grammar: LanguageTool at ")
    rules = grammar.post("/v1/analyze", json=draft(text + " Two")).json()
    assert any(f["rule"] == "informational-interview" for f in rules["findings"])

    # The supervisor starts it again, on the same port.
    deadline = time.monotonic() + 300
    while not (languagetool.state == "ready" and languagetool.pid not in (None, pid)):
        assert time.monotonic() < deadline, "LanguageTool was not restarted"
        time.sleep(0.5)
    back = check(grammar, draft(text + " Three"))
    assert "has" in {f["match"] for f in back["findings"]}


def test_drafts_checked_for_grammar_reach_no_log(
    languagetool: LanguageToolProcess, tmp_path: Path
) -> None:
    canary = "Canary" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:12])
    server = start_server(
        tmp_path, {"INTRO_COACH_LANGUAGETOOL_URL": languagetool.url, **SLOW_MACHINE}
    )
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            body = check(c, draft(f"I has met {canary} yesterday."))
            assert canary in {f["match"] for f in body["findings"]}
            assert c.post("/v1/grammar", json={"body": {"text": canary}, "x": 1}).status_code == 422
    finally:
        log = server.stop()
    assert "POST /v1/grammar" in log
    assert canary not in log
    for path in tmp_path.rglob("*"):
        assert not path.is_file() or canary.encode() not in path.read_bytes()
