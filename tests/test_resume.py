"""Resume detection: attachment names, sentences that announce one, and when they asked."""

from __future__ import annotations

import pytest

from intro_coach.analyzer import Context, analyze
from intro_coach.rules.checks import is_resume_filename
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse, Attachment, Body, Finding

RULE = "resume-attached"


def run(
    body: str = "Hello there.",
    files: tuple[str, ...] = (),
    context: Context | None = None,
    **extra: object,
) -> AnalyzeResponse:
    request = AnalyzeRequest.model_validate(
        {
            "subject": "Question about UX research",
            "body": {"text": body},
            "attachments": [{"filename": f} for f in files],
            **extra,
        }
    )
    return analyze(request, context=context)


def flagged(result: AnalyzeResponse) -> list[Finding]:
    return [f for f in result.findings if f.rule == RULE]


RESUME_FILES = [
    "resume.pdf", "Resume.pdf", "RESUME.PDF", "résumé.pdf", "Résumé.docx", "RÉSUMÉ.pdf",
    "resumé.pdf", "CV.pdf", "cv.pdf", "My CV.pdf", "JANE_DOE_CV.pdf", "Jane.Doe.CV.pdf",
    "CV-Jane-Doe.pdf", "jane_doe_cv_2024.pdf", "JaneDoeCV2024.pdf", "JaneCV.pdf", "cv2024.pdf",
    "curriculum vitae.pdf", "Curriculum_Vitae.pdf", "CurriculumVitae.pdf",
    "curriculum-vitae-jane.pdf", "jane-doe-resume-final-v2.docx", "Jane_Doe_Resume.pdf",
    "Jane Doe - Resume.pdf", "JaneDoeResume.pdf", "janedoeresume.pdf", "resumejanedoe.docx",
    "Resume (1).pdf", "resume_v3_FINAL.pdf", "Resume2024.pdf", "JaneDoe_Résumé_2024.pdf",
    "lebenslauf.pdf", "Lebenslauf_Max_Mustermann.pdf", "jdoe_resume.pages", "resume",
    "OkoroAdaezeCV2026.pdf", "Sam Patel - Resume (Dec 2026).docx",
]  # fmt: skip
NOT_RESUME_FILES = [
    "CVS_receipt.pdf", "CVS receipt.pdf", "cvs.pdf", "precv.pdf", "resumed_notes.txt",
    "presume.pdf", "resuming_work_plan.docx", "curriculum_design.pdf", "Curriculum Overview.pdf",
    "portfolio.pdf", "cover_letter.pdf", "writing_sample.pdf", "vitamin_d.pdf",
    "CVE-2024-1234.txt", "cvent_invoice.pdf", "csv_export.csv", "recv.log", "IMG_1234.jpg",
    "assumed_costs.xlsx", "",
    # Files about resumes, not one.
    "Resume_tips_handout.pdf", "CV_template_guide.pdf", "resume-workshop-slides.pptx",
    "Resume_Scoring_Rubric_2026.pdf", "Resume-Bootcamp-Flyer.pdf", "CV_Clinic_Poster.pdf",
    "Resume_feedback_from_Sarah.docx", "CV_project_report_Zhang.pdf", "CV_headshot.jpg",
    "Resumen_ejecutivo_2026.pdf", "Résumé_du_projet.pdf", "Resume_meeting_notes.docx",
]  # fmt: skip


@pytest.mark.parametrize("filename", RESUME_FILES)
def test_resume_filenames(filename: str) -> None:
    assert is_resume_filename(filename)
    result = run(files=(filename, "photo.jpg"))
    found = flagged(result)
    assert len(found) == 1
    f = found[0]
    assert (f.field, f.attachment, f.match, f.start, f.end) == (
        "attachments",
        filename,
        filename,
        0,
        0,
    )
    assert filename in f.message
    assert f.severity == "warning"


@pytest.mark.parametrize("filename", NOT_RESUME_FILES)
def test_not_resume_filenames(filename: str) -> None:
    assert not is_resume_filename(filename)
    assert flagged(run(files=(filename,))) == []


def test_each_resume_attachment_is_its_own_finding_with_its_own_id() -> None:
    found = flagged(run(files=("resume.pdf", "cv.docx", "notes.txt")))
    assert [f.attachment for f in found] == ["resume.pdf", "cv.docx"]
    assert len({f.id for f in found}) == 2


ANNOUNCED = [
    "I've attached my resume for your reference.",
    "I’ve attached my résumé.",
    "I have attached my CV.",
    "Attached is my resume.",
    "Attached please find my resume.",
    "Please find my resume attached.",
    "Please find attached my CV.",
    "My CV is attached.",
    "My resume is attached for reference.",
    "I'm attaching my resume in case it's useful.",
    "I am sending you my resume.",
    "I've included my resume below.",
    "I’ve enclosed my CV.",
    "I've attached a copy of my resume.",
    "You'll find my resume attached.",
    "I have attached my updated résumé.",
    "Resume attached.",
    "I attached my resume.",
    "I've also attached my resume.",
    "I'm enclosing my curriculum vitae.",
    "I’ve gone ahead and attached my resume.",
    "Attached you'll find my resume.",
    "Attaching my CV here for context.",
    "I've attached both my resume and portfolio.",
    "I have attached my LinkedIn profile and resume.",
    "Here's my CV for context.",
    "My résumé is enclosed.",
    "I’ve taken the liberty of attaching my resume.",
]
NOT_ANNOUNCED = [
    "We can resume next week.",
    "I resumed my studies last fall.",
    "Let's resume the conversation after the holidays.",
    "Work resumed after the strike.",
    "I will resume my search in spring.",
    "Classes resume on Monday.",
    "Should I resume working on the draft?",
    "Happy to send my resume if it would help.",
    "I can send my CV if useful.",
    "I'd be glad to share my resume if you'd like.",
    "I could attach my resume if that helps.",
    "I haven't attached my resume, since I'm not asking for a job.",
    "I'm not attaching my CV.",
    "I've attached a writing sample.",
    "I attached my portfolio.",
    "My resume is on LinkedIn.",
]


@pytest.mark.parametrize("sentence", ANNOUNCED)
def test_sentences_announcing_a_resume(sentence: str) -> None:
    body = f"Hi Jordan,\n\nI teach science in Portland. {sentence}\n\nThanks,\nAlex"
    found = flagged(run(body))
    assert len(found) == 1, sentence
    assert found[0].field == "body"
    assert body[found[0].start : found[0].end] == found[0].match


@pytest.mark.parametrize("sentence", NOT_ANNOUNCED)
def test_sentences_that_do_not_announce_a_resume(sentence: str) -> None:
    assert flagged(run(f"Hi Jordan,\n\n{sentence}\n\nThanks,\nAlex")) == []


REQUESTS = [
    "Send me your resume and I'll take a look.",
    "Could you share your CV?",
    "Can you send over your resume?",
    "Feel free to send me your CV.",
    "Would you mind sharing your résumé?",
    "Happy to look at your resume.",
    "Please attach your CV to your reply.",
    "Could I see your CV?",
    "Can you email me your resume?",
    "I'd like to see your resume before we talk.",
    "Please forward your CV.",
    "Shoot me your resume.",
    "Could you send me a copy of your résumé?",
    "Send over a resume and I'll pass it along.",
    "If you have a CV handy, send it my way.",
]


def reply_quoting(request_sentence: str) -> str:
    return (
        "Hi Jordan, as you asked, I've attached my resume. Thanks!\n\n"
        "On Mon, Jan 6, 2025 at 9:00 AM Jordan Lee <jordan@example.com> wrote:\n"
        f"> Hi Alex,\n> {request_sentence}\n> Jordan\n"
    )


@pytest.mark.parametrize("sentence", REQUESTS)
def test_not_flagged_when_the_quoted_history_asks_for_it(sentence: str) -> None:
    result = run(reply_quoting(sentence), files=("Alex_Resume.pdf",))
    assert flagged(result) == []
    assert any("resume-attached" in n and "asked" in n for n in result.checks.notes)


def test_html_quote_asking_for_it() -> None:
    html = (
        "<div>Here it is. I've attached my CV.</div><div class='gmail_quote'>"
        "<blockquote class='gmail_quote'>Could you send me your CV?</blockquote></div>"
    )
    request = AnalyzeRequest(
        subject="Re: hello",
        body=Body(html=html),
        attachments=[Attachment(filename="cv.pdf")],
    )
    response = analyze(request)
    assert flagged(response) == []
    assert response.checks.notes


def test_the_writers_own_words_do_not_count_as_a_request() -> None:
    body = "I can send you my resume if you'd like. I've attached my resume. Send me your resume?"
    result = run(body, files=("resume.pdf",))
    assert len(flagged(result)) == 2
    assert result.checks.notes == []


def test_a_quote_about_something_else_still_flags() -> None:
    body = reply_quoting("Looking forward to our chat next week.")
    result = run(body, files=("resume.pdf",))
    assert len(flagged(result)) == 2
    assert result.checks.notes == []


def test_context_resume_requested() -> None:
    body = "Hi Jordan, I've attached my resume. Thanks!"
    result = run(body, files=("resume.pdf",), context=Context(resume_requested=True))
    assert flagged(result) == []
    assert any("Gmail thread" in n for n in result.checks.notes)


def test_no_note_when_there_is_nothing_to_silence() -> None:
    result = run("Hello there.", context=Context(resume_requested=True))
    assert result.checks.notes == []


def test_resume_rule_can_be_disabled() -> None:
    result = run(
        "I've attached my resume.",
        files=("resume.pdf",),
        options={"disabled_rules": [RULE]},
    )
    assert flagged(result) == []


def test_a_resume_attached_to_applications_elsewhere_is_a_story() -> None:
    story = (
        "I've applied to about thirty roles this year, attaching my resume and a cover "
        "letter each time. What would you change?"
    )
    assert flagged(run(story)) == []
    assert flagged(run("Attaching my resume in case it's useful. What would you change?"))
