"""Random text, tag soup and Unicode never break the analyzer or its offsets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse, Attachment, Body

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any code point a JSON string can carry: lone surrogates cannot arrive.
chars = st.characters(exclude_categories=["Cs"])
PHRASES = [
    "informational interview", "info-interview", "pick your brain", "resume", "CV",
    "I've attached my resume", "Sally Smith suggested I contact you", "Dr. Priya Patel",
    "an hour", "20 minutes", "Thanks", "?", "\n> ", "\n-- \n", "On Mon, Jan 6, 2025 Jo wrote:\n",
    "---------- Forwarded message ---------", "😀", "👩🏽‍💻", "José", "日本語", "\u00a0", "&nbsp;",
    "&amp;", "&#128512;", "&#xD800;", "&bogus;", "&", "<", ">",
]  # fmt: skip
words = st.one_of(st.sampled_from(PHRASES), st.text(chars, max_size=12))
prose = st.lists(words, max_size=40).map(" ".join)

TAGS = ["div", "p", "b", "i", "span", "br", "blockquote", "pre", "script", "style", "a", "wbr",
        "table", "td", "li", "ul", "img", "hr", "title", "x-y"]  # fmt: skip
ATTRS = ["", ' class="gmail_quote"', ' class="gmail_signature"', ' class="gmail_attr"',
         ' type="cite"', ' id="appendonsend"', ' data-smartmail="gmail_signature"',
         ' style="color:red"', " class='a b'", " x", ' href="&amp;"']  # fmt: skip


@st.composite
def tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(TAGS))
    kind = draw(st.sampled_from(["open", "close", "self", "broken", "comment"]))
    if kind == "open":
        return f"<{name}{draw(st.sampled_from(ATTRS))}>"
    if kind == "close":
        return f"</{name}>"
    if kind == "self":
        return f"<{name}/>"
    if kind == "comment":
        return draw(st.sampled_from(["<!-- x -->", "<!--", "<!DOCTYPE html>", "<![CDATA[x]]>"]))
    return draw(st.sampled_from([f"<{name}", f"<{name} class=", "</", "<>", f"<{name} a='"]))


soup = st.lists(st.one_of(tag(), words), max_size=60).map("".join)


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def check_offsets(result: AnalyzeResponse, subject: str, body: str) -> None:
    for f in result.findings:
        if f.field == "attachments":
            assert (f.start, f.end) == (0, 0)
            continue
        text = subject if f.field == "subject" else body
        units = len(utf16(text)) // 2
        assert 0 <= f.start <= f.end <= units, f
        if f.match and f.end > f.start:
            assert utf16(text)[2 * f.start : 2 * f.end].decode("utf-16-le") == f.match
    for s in result.subject_suggestions:
        assert 0 < len(s.subject) <= 60


@FUZZ
@given(subject=st.text(chars, max_size=80) | st.sampled_from(PHRASES), body=prose)
def test_random_text(subject: str, body: str) -> None:
    result = analyze(AnalyzeRequest(subject=subject, body=Body(text=body)))
    assert result.body_text is None
    check_offsets(result, subject, body)


@FUZZ
@given(body=st.text(chars, max_size=400))
def test_random_unicode(body: str) -> None:
    result = analyze(AnalyzeRequest(subject="Hi", body=Body(text=body)))
    check_offsets(result, "Hi", body)


@FUZZ
@given(html=soup, subject=prose)
def test_random_html(html: str, subject: str) -> None:
    result = analyze(AnalyzeRequest(subject=subject, body=Body(html=html)))
    assert result.body_text is not None
    check_offsets(result, subject, result.body_text)


@FUZZ
@given(
    body=prose,
    filenames=st.lists(st.text(chars, max_size=30) | st.sampled_from(["cv.pdf", "résumé.docx"]),
                       max_size=4),
    referrer=st.none() | st.text(chars, max_size=40),
    thread=st.none() | st.just("t1"),
)  # fmt: skip
def test_random_requests(
    body: str, filenames: list[str], referrer: str | None, thread: str | None
) -> None:
    request = AnalyzeRequest(
        subject="",
        body=Body(text=body),
        attachments=[Attachment(filename=f) for f in filenames],
        referrer=referrer,
        thread_id=thread,
    )
    result = analyze(request)
    check_offsets(result, "", body)
    ids = [f.id for f in result.findings]
    assert len(ids) == len(set(ids))
