"""The drafts the benchmarks measure: a typical 150-word outreach email, and the corpus."""

from __future__ import annotations

from pathlib import Path

from intro_coach.emails import load_request
from intro_coach.schema import AnalyzeRequest, Attachment, Body, Recipient

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

TYPICAL_TEXT = """Hi Jordan,

Sally Smith suggested I contact you. I taught high school science in Portland for eight
years, and over the last year I have been moving into UX research: I finished a
certificate, ran two usability studies for a local nonprofit, and I am now looking at
how research teams in health care work with clinicians.

I read your article on running diary studies with nurses and found the section on
recruiting especially useful. I would value your take on the UX research scene here in
Portland, and on what you wish you had known when you made the move from the lab into
industry. I was also hoping for an informational interview, if you have time.

Would you have 20 minutes for a call in the next couple of weeks? I am flexible on days
and times, and happy to work around your schedule.

Thanks so much,
Alex Rivera"""


def typical() -> AnalyzeRequest:
    return AnalyzeRequest(
        subject="Question about UX research in Portland",
        body=Body(text=TYPICAL_TEXT),
        to=[Recipient(email="jordan.lee@example.com", name="Jordan Lee")],
        attachments=[Attachment(filename="Alex_Rivera_Resume.pdf", mime_type="application/pdf")],
    )


def corpus() -> dict[str, AnalyzeRequest]:
    return {p.name: load_request(p) for p in sorted(CORPUS.glob("*.eml"))}
