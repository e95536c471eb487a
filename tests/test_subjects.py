"""Subject suggestions: a noun phrase the draft is about, or nothing."""

from __future__ import annotations

import pytest
from benchmarks.subjects_snapshot import SNAPSHOT, current, render

from intro_coach.analyzer import analyze
from intro_coach.rules.pack import default_pack
from intro_coach.schema import AnalyzeRequest

WORDS = default_pack().subjects


def suggestions(body: str, subject: str = "", **extra: object) -> list[str]:
    request = AnalyzeRequest.model_validate({"subject": subject, "body": {"text": body}, **extra})
    return [s.subject for s in analyze(request).subject_suggestions]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("I'd value your take on the UX research scene in Portland.", "UX research in Portland"),
        ("I'd love your advice on open banking, if you have time.", "open banking"),
        ("I'm interested in climate tech and would love to chat.", "climate tech"),
        ("I'm moving from teaching into instructional design.", "instructional design"),
        (
            "Your perspective on the Series B market in Austin would help.",
            "Series B market in Austin",
        ),
    ],
)
def test_topic_is_a_noun_phrase(text: str, topic: str) -> None:
    assert WORDS.topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        # Clauses and pronouns the old suggestions pasted in ("Question about you got").
        "I'd love to hear more about how you got into design.",
        "I have a question about this.",
        "I'd love your advice on working with recruiters at your company.",
        "I'm interested in what you do.",
        "I'd value your thoughts on which certifications actually matter.",
        "I'd love to learn more about the field.",
        "I'd love your take on what hiring managers look for.",
    ],
)
def test_no_topic_rather_than_a_garbled_one(text: str) -> None:
    assert WORDS.topic(text) is None


BODY = "Hi Jordan,\n\nI'd value your take on UX research in Portland. Would you have 20 minutes?"


def test_topic_subjects_only_replace_a_subject_that_says_nothing() -> None:
    for weak in ("", "Hello!", "Quick question", "Introduction", "Hi Jordan"):
        offered = suggestions(BODY, weak, to=[{"email": "j@example.com", "name": "Jordan Lee"}])
        assert offered and all("UX research in Portland" in s for s in offered), weak
    assert suggestions(BODY, "Teacher moving into UX research") == []


def test_a_flagged_subject_gets_suggestions() -> None:
    assert suggestions(BODY, "Informational interview request")


def test_no_referrer_suggestion_when_the_subject_names_them() -> None:
    body = "Sally Smith suggested I contact you. " + BODY
    assert suggestions(body, "Question") and all("Sally Smith" in s for s in suggestions(body))
    assert suggestions(body, "Sally Smith suggested I reach out") == []
    assert suggestions(body, "Re: Sally Smith intro") == []  # replies keep their subject


def test_suggestions_match_the_reviewed_snapshot() -> None:
    # After a deliberate change: python benchmarks/subjects_snapshot.py --write, then
    # read every changed suggestion before committing the snapshot.
    assert SNAPSHOT.read_text("utf-8") == render(current())
