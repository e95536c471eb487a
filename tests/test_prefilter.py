"""Skipping patterns by their required words never changes what the pack finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intro_coach.analyzer import analyze
from intro_coach.emails import load_request
from intro_coach.rules.pack import compile_phrase, default_pack
from intro_coach.rules.prefilter import Phrases, required_words
from intro_coach.text import forget_paragraphs, paragraphs

PACK = default_pack()
# Words from the pack's own examples, so that random drafts do hit the patterns.
VOCABULARY = sorted(
    {w for rule in PACK.rules for e in rule.examples_match for w in re.findall(r"[\w'’]+", e)}
)
_drafts = st.lists(
    st.one_of(st.sampled_from(VOCABULARY), st.sampled_from([" ", "\n", "\n\n", "-", ". "])),
    max_size=60,
).map(" ".join)


def _unfiltered(phrases: Phrases, text: str) -> list[tuple[int, int, int]]:
    """What one regex of every alternative finds, paragraph by paragraph."""
    found = []
    for offset, paragraph in paragraphs(text):
        for index, start, end in phrases.spans(paragraph, unfiltered=True):
            found.append((index, offset + start, offset + end))
    return found


@settings(max_examples=300, deadline=None)
@given(text=_drafts)
def test_prefiltered_rules_find_what_the_full_regex_finds(text: str) -> None:
    forget_paragraphs()
    for rule in PACK.rules:
        assert list(rule.phrases.finditer(text)) == _unfiltered(rule.phrases, text), rule.id


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("an? info(?:rmational)? interview", {"interview"}),
        ("pick(?:ing)? your brains?", {"brain"}),
        ("(?:looking|searching) for (?:a )?job", {"looking", "searching"}),
        ("r[eé]sum[eé]s?", {"sum"}),  # the longest run of plain letters
        ("(?:a|an) (?:cv|c\\.v\\.)", None),  # nothing of three letters is required
        ("(?:hire|hiring) me", {"hir"}),
    ],
)
def test_required_words(pattern: str, words: set[str] | None) -> None:
    required = required_words(compile_phrase(pattern), re.IGNORECASE)
    assert (set(required) if required else None) == words


def test_words_right_before_or_after_a_match_cancel_it() -> None:
    phrases = Phrases(
        [compile_phrase("attached my resume")],
        capture=True,
        not_after=[("not",)],
        not_before=[("link", "to the")],
    )

    def found(text: str) -> list[str]:
        return [text[s:e] for _, s, e in phrases.spans(text)]

    assert found("I attached my resume.") == ["attached my resume"]
    assert found("I have not attached my resume.") == []
    assert found("I attached my resume link below.") == []
    assert found("I attached my resume to the form.") == []
    assert found("I attached my resume to this email.") == ["attached my resume"]
    assert found("I attached my resume linked below.") == ["attached my resume"]


_CORPUS = Path(__file__).parent / "corpus"


def test_the_match_index_changes_nothing_found() -> None:
    """The service's index of whole patterns (MatchIndex) only skips lists that cannot
    match: drafts of the corpus (every other one of dev, compiling the pack's patterns
    costs seconds), each also with its last word gone (a keystroke), get the same
    answer with it as without it."""
    requests = []
    for path in sorted(_CORPUS.glob("dev/*.eml"))[::2]:
        request = load_request(path)
        requests.append(request)
        text = request.body.text
        if text:
            body = request.body.model_copy(update={"text": text[: max(0, text.rfind(" "))]})
            requests.append(request.model_copy(update={"body": body}))
    assert len(requests) > 100
    reader = PACK.paragraphs
    built = reader.index
    try:
        reader.index = None
        forget_paragraphs()
        plain = [analyze(r) for r in requests]
        reader.build_index()
        assert reader.index is not None
        forget_paragraphs()
        assert [analyze(r) for r in requests] == plain
    finally:
        reader.index = built
        forget_paragraphs()
