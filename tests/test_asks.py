"""The ask model: every example in the pack's `asks` section reads as it says."""

from __future__ import annotations

import pytest

from intro_coach.analyzer import analyze
from intro_coach.asks import KINDS
from intro_coach.rules.pack import default_pack
from intro_coach.schema import AnalyzeRequest

WORDS = default_pack().asks
EXAMPLES = [(key, text) for key, texts in WORDS.examples.items() for text in texts]


def test_every_kind_has_examples() -> None:
    assert set(WORDS.examples) >= {*KINDS, "none", "not_job"}


@pytest.mark.parametrize(("key", "text"), EXAMPLES)
def test_example(key: str, text: str) -> None:
    reading = WORDS.read(text)
    if key in KINDS:
        assert key in reading.kinds, (reading.kinds, text)
    elif key == "none":
        assert not reading.has_ask and not reading.kinds, reading
    elif key == "not_job":
        assert "job" not in reading.kinds, reading
    elif key == "not_conversation":
        assert "conversation" not in reading.kinds, reading
    else:
        pytest.fail(f"unknown example group {key!r}")


def rules(body: str, subject: str = "Question about UX research") -> set[str]:
    request = AnalyzeRequest.model_validate({"subject": subject, "body": {"text": body}})
    return {f.rule for f in analyze(request).findings}


INTRO = (
    "Hi Jordan,\n\nI'm a teacher moving into UX research and currently looking for a new "
    "role. I wanted to see if you'd be comfortable making a brief introduction to Maya "
    "Chen on your research team.\n\nThanks so much,\nAlex"
)


def test_an_introduction_needs_no_time_frame_nor_opinion_ask() -> None:
    assert rules(INTRO) & {"job-ask", "no-time-frame", "no-opinion-ask", "no-clear-ask"} == set()


def test_a_job_ask_is_an_ask_but_the_wrong_one() -> None:
    body = INTRO.replace("making a brief introduction to", "referring me to the hiring manager,")
    found = rules(body.replace("comfortable", "comfortable writing me a referral or"))
    assert "job-ask" in found and "no-clear-ask" not in found


def test_a_call_without_a_time_or_a_question_for_them() -> None:
    body = "Hi Jordan,\n\nI teach science. Could we hop on a call sometime?\n\nThanks,\nAlex"
    assert {"no-time-frame", "no-opinion-ask"} <= rules(body)
    assert "no-opinion-ask" not in rules(body.replace("?", " to hear your take on UX?"))


def test_nothing_asked_is_only_no_clear_ask() -> None:
    body = "Hi Jordan,\n\nI teach science and am moving into UX research.\n\nThanks,\nAlex"
    assert rules(body) & {"no-clear-ask", "no-time-frame", "no-opinion-ask"} == {"no-clear-ask"}


@pytest.mark.parametrize(
    "subject",
    [
        "Referral for the analyst role",
        "Any openings on your team?",
        "Job inquiry: open roles",
        "Internship enquiry",
    ],
)
def test_job_ask_in_the_subject(subject: str) -> None:
    assert "job-ask" in rules(INTRO, subject=subject)


def test_crlf_line_ends_keep_a_question_a_question() -> None:
    # .eml files end lines in CR LF; a question ending its paragraph is still one.
    text = "Dear Dr. Mori,\r\n\r\nWhat tipped the balance for you?\r\n\r\nThank you,\r\nSofia\r\n"
    reading = WORDS.read(text)
    assert any(s.question for s in reading.sentences)
    assert "advice" in reading.kinds


@pytest.mark.parametrize(
    "text",
    [
        "Would you have 20 minutes next week? What day works best for you?",
        "Could we talk on Tuesday? When are you free?",
        "How are you? Would a call next week be possible?",
        "Coffee sometime? Where should we meet?",
    ],
)
def test_scheduling_and_small_talk_questions_are_not_opinion_asks(text: str) -> None:
    assert "advice" not in WORDS.read(text).kinds


def test_a_call_about_the_job_asked_for_is_that_job_ask() -> None:
    # "It" is the posted role named a sentence before: no conversation to time.
    text = (
        "I saw the Senior Analyst req on your careers page, and my background in pricing "
        "lines up well with it.\n\nWould you be open to a quick call about it this week?"
    )
    assert WORDS.read(text).kinds == {"job"}
    # Without a job ask, a call about "it" is still a call.
    text = "I'm writing a thesis on fintech.\n\nWould you be open to a quick call about it?"
    assert "conversation" in WORDS.read(text).kinds


def test_a_meeting_named_before_the_request_is_not_asked_for() -> None:
    assert (
        "conversation"
        not in WORDS.read(
            "I have a call with my board on Friday, and I'd love your advice on pricing."
        ).kinds
    )
    # One statement: the call is what would help.
    assert "conversation" in WORDS.read("A 20-minute call whenever suits you would help.").kinds
