"""The evaluation corpus (tests/corpus) is well formed: every draft loads, every label is complete.

This checks the labels' shape and their agreement with each other, not the analyzer's
answers (that is `make eval`); see tests/corpus/README.md for the conventions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intro_coach.emails import load_request

CORPUS = Path(__file__).resolve().parent / "corpus"
FOLDERS = {"dev": 100, "holdout": 40}  # folder: minimum number of drafts
RULES = {
    "informational-interview",
    "resume-attached",
    "referrer-not-in-subject",
    "job-ask",
    "pick-your-brain",
    "missing-subject",
    "too-long",
    "no-clear-ask",
    "no-time-frame",
    "no-opinion-ask",
    "no-thanks",
}
ASKS = {"advice", "conversation", "introduction", "job", "none"}


def _expected(folder: str) -> dict[str, dict[str, object]]:
    loaded: dict[str, dict[str, object]] = json.loads(
        (CORPUS / folder / "expected.json").read_text(encoding="utf-8")
    )
    return loaded


@pytest.mark.parametrize(("folder", "minimum"), sorted(FOLDERS.items()))
def test_every_draft_is_labelled_and_loads(folder: str, minimum: int) -> None:
    expected = _expected(folder)
    drafts = {p.name for p in (CORPUS / folder).iterdir() if p.name != "expected.json"}
    assert drafts == set(expected), drafts ^ set(expected)
    assert len(drafts) >= minimum
    for name in sorted(drafts):
        request = load_request(CORPUS / folder / name)
        assert request.body.text or request.body.html, name


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_labels_are_complete_and_agree(folder: str) -> None:
    for name, entry in _expected(folder).items():
        expect = entry["expect"]
        asks = entry["asks"]
        assert isinstance(expect, dict) and isinstance(asks, list), name
        assert set(expect) == RULES, f"{name}: {set(expect) ^ RULES}"
        assert all(isinstance(v, bool) for v in expect.values()), name
        assert asks and set(asks) <= ASKS, name
        assert "none" not in asks or asks == ["none"], name
        referrer = entry["referrer"]
        assert referrer is None or (isinstance(referrer, str) and referrer.strip()), name
        assert expect["job-ask"] == ("job" in asks), name
        if expect["no-clear-ask"]:
            assert asks == ["none"], name
        if expect["no-time-frame"]:
            assert "conversation" in asks, name
        if expect["no-opinion-ask"]:
            assert "conversation" in asks and "advice" not in asks, name
        if expect["referrer-not-in-subject"]:
            assert referrer, name
