"""Options silence rules and single findings; finding ids stay put while the draft changes."""

from __future__ import annotations

from typing import Any

import pytest

from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse, Finding

RULE = "informational-interview"
BODY = "Hi Jordan, could we do an informational interview? Thanks, Alex"


def run(body: str = BODY, subject: str = "Hello", **options: Any) -> AnalyzeResponse:
    return analyze(
        AnalyzeRequest.model_validate(
            {"subject": subject, "body": {"text": body}, "options": options}
        )
    )


def of(result: AnalyzeResponse, rule: str = RULE) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def test_disabled_rules() -> None:
    assert of(run())
    assert of(run(disabled_rules=[RULE])) == []
    assert of(run(subject=""), "missing-subject")
    assert of(run(subject="", disabled_rules=["missing-subject"]), "missing-subject") == []
    # An unknown id is harmless.
    assert of(run(disabled_rules=["no-such-rule"]))


@pytest.mark.parametrize(
    "match",
    ["an informational interview", "AN  Informational   interview", "an informational interview"],
)
def test_ignored_by_rule_and_match(match: str) -> None:
    assert of(run(ignored=[{"rule": RULE, "match": match}])) == []


def test_ignored_by_rule_and_match_is_only_that_match() -> None:
    body = "Could we do an informational interview? Informational chats are great."
    result = run(body, ignored=[{"rule": RULE, "match": "an informational interview"}])
    assert [f.match for f in of(result)] == ["Informational chats"]
    # The same words under another rule are not silenced.
    assert of(run(ignored=[{"rule": "job-ask", "match": "an informational interview"}]))


def test_ignored_by_rule_alone() -> None:
    assert of(run(ignored=[{"rule": RULE}])) == []


def test_ignored_by_id_silences_one_occurrence() -> None:
    body = "An informational interview? Yes, an informational interview."
    found = of(run(body))
    assert len(found) == 2 and found[0].id != found[1].id
    left = of(run(body, ignored=[{"rule": RULE, "id": found[1].id}]))
    assert [f.id for f in left] == [found[0].id]


def test_ignored_id_curly_apostrophe_match() -> None:
    body = "Could I pick your brain? I’d love an informational interview."
    assert of(run(body, ignored=[{"rule": RULE, "match": "an informational interview"}])) == []


def test_ignored_applies_to_checks() -> None:
    result = run("Hi", subject="", ignored=[{"rule": "missing-subject"}])
    assert of(result, "missing-subject") == []


@pytest.mark.parametrize(
    "edited",
    [
        "Dear Jordan, I hope you are well. " + BODY,
        BODY + " P.S. I loved your talk on diary studies.",
        BODY.replace("Hi Jordan", "Hello Jordan Lee"),
        "😀 " + BODY,
        BODY.replace("Thanks, Alex", "Many thanks,\nAlex Rivera"),
    ],
)
def test_ids_are_stable_across_unrelated_edits(edited: str) -> None:
    before = of(run())
    after = of(run(edited))
    assert [f.id for f in before] == [f.id for f in after]


def test_ids_differ_by_rule_field_and_occurrence() -> None:
    result = run(
        "An informational interview, then another informational interview.",
        subject="Informational interview",
    )
    found = of(result)
    assert len(found) == 3
    assert len({f.id for f in found}) == 3
    assert {f.field for f in found} == {"subject", "body"}


def test_referrer_finding_id_is_stable_while_typing_the_subject() -> None:
    body = "Sally Smith suggested I contact you. Thanks!"
    ids = {of(run(body, subject=s), "referrer-not-in-subject")[0].id for s in ("Q", "Qu", "Quest")}
    assert len(ids) == 1


def test_options_reject_unknown_fields() -> None:
    with pytest.raises(ValueError):
        AnalyzeRequest.model_validate({"options": {"disabled": ["x"]}})


def test_findings_are_listed_at_most_a_hundred_per_rule() -> None:
    from intro_coach.analyzer import MAX_FINDINGS_PER_RULE, analyze
    from intro_coach.schema import AnalyzeRequest

    text = "Could I pick your brain? " * 300
    result = analyze(AnalyzeRequest.model_validate({"body": {"text": text}}))
    brains = [f for f in result.findings if f.rule == "pick-your-brain"]
    assert len(brains) == MAX_FINDINGS_PER_RULE
    assert "pick-your-brain: 300 findings, the first 100 listed" in result.checks.notes
