"""Every example in the shared corpus meets its expectations."""

from __future__ import annotations

import json

import pytest

from intro_coach.analyzer import analyze
from intro_coach.emails import load_request
from tests.conftest import CORPUS

EXPECTED: dict[str, dict[str, object]] = json.loads((CORPUS / "expected.json").read_text())


def test_corpus_is_present() -> None:
    assert len(EXPECTED) >= 12, "the shared corpus is missing"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_expectations(name: str) -> None:
    expected = EXPECTED[name]
    result = analyze(load_request(CORPUS / name))
    fired = {f.rule for f in result.findings}
    rules = expected["expect"]
    assert isinstance(rules, dict)
    for rule, should_fire in rules.items():
        assert (rule in fired) == should_fire, f"{rule} expected {should_fire}; fired: {fired}"
    referrer = result.referrer.name if result.referrer else None
    assert referrer == expected["referrer"]
    if referrer:
        subjects = [s.subject for s in result.subject_suggestions]
        assert len(subjects) >= 3 and all(referrer in s and len(s) <= 60 for s in subjects)
