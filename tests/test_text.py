"""Text handling: HTML to text with a source map, quoted history, UTF-16 offsets."""

from __future__ import annotations

import pytest

from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse, Body, Finding
from intro_coach.text import Utf16Index, find_quoted, html_to_text, utf16_len

RULE = "informational-interview"


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def run(
    body: str | None = None, html: str | None = None, subject: str = "Hello"
) -> AnalyzeResponse:
    return analyze(
        AnalyzeRequest(
            subject=subject, body=Body(html=html) if html is not None else Body(text=body)
        )
    )


def hits(result: AnalyzeResponse, rule: str = RULE) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def field_text(result: AnalyzeResponse, plain: str | None) -> str:
    text = result.body_text if plain is None else plain
    assert text is not None
    return text


@pytest.mark.parametrize(
    "html",
    [
        "<div><b>informational</b> in<i>terview</i></div>",
        "<div>an <span style='x'>informa</span><span>tional</span> interview</div>",
        "<p>informational&nbsp;interview</p>",
        "<p>informational&#160;interview</p>",
        "<div>informational<br>interview</div>",
        "<div>informational<br/>\ninterview</div>",
        "<p>informational\n   interview</p>",
        "<div>informational</div><div>interview</div>",
        "<p>Informational</p>\n<p>Interview</p>",
        "<div dir='ltr'>I'd love an <u>informational<wbr>-interview</u>?</div>",
    ],
)
def test_phrase_split_by_markup_is_one_match(html: str) -> None:
    result = run(html=html)
    found = hits(result)
    assert len(found) == 1, (result.body_text, found)
    text = field_text(result, None)
    f = found[0]
    assert utf16_slice(text, f.start, f.end) == f.match
    assert "interview" in f.match.lower()


def test_source_map_points_back_into_the_html() -> None:
    html = "<div>Hi! Could we do an <b>informational</b> in<i>terview</i>?</div>"
    extracted = html_to_text(html)
    assert len(extracted.source) == len(extracted.text) + 1
    start = extracted.text.index("informational")
    end = extracted.text.index("interview") + len("interview")
    s, e = extracted.source_span(start, end)
    assert html[s:e] == "informational</b> in<i>terview"
    for i, ch in enumerate(extracted.text):
        if ch not in " \n":
            assert html[extracted.source[i]] == ch


def test_source_span_covers_a_trailing_entity() -> None:
    html = "<p>caf&eacute; &amp; more</p>"
    extracted = html_to_text(html)
    assert extracted.text == "café & more"
    s, e = extracted.source_span(0, 4)
    assert html[s:e] == "caf&eacute;"
    s, e = extracted.source_span(5, 6)
    assert html[s:e] == "&amp;"


def test_empty_source_span() -> None:
    extracted = html_to_text("<p>abc</p>")
    s, e = extracted.source_span(1, 1)
    assert s == e


@pytest.mark.parametrize(
    "html",
    [
        "<div>Thanks!</div><div class='gmail_quote'><div class='gmail_attr'>On Mon, Jan 6, 2025"
        " at 9:00 AM Jordan &lt;j@example.com&gt; wrote:<br></div><blockquote class='gmail_quote'"
        " style='margin:0'>Let's set up an informational interview.</blockquote></div>",
        "<div>Thanks!</div><blockquote class='gmail_quote'>an informational interview</blockquote>",
        "<div>Thanks!</div><blockquote type='cite'>an informational interview</blockquote>",
        "<div>Thanks!</div><div class='gmail_signature' data-smartmail='gmail_signature'>"
        "Alex | Informational interview coach</div>",
        "<div>Thanks!</div><div data-smartmail='gmail_signature'>informational interviews</div>",
        "<div>Thanks!</div><div id='appendonsend'></div><div>an informational interview</div>"
        "</div>",
    ],
)
def test_html_history_and_signature_are_not_flagged(html: str) -> None:
    assert hits(run(html=html)) == []


def test_html_own_words_before_history_are_still_flagged() -> None:
    html = (
        "<div>Could we do an informational interview?</div>"
        "<div class='gmail_quote'>an informational interview</div>"
    )
    result = run(html=html)
    assert len(hits(result)) == 1
    assert hits(result)[0].start < field_text(result, None).index("?")


@pytest.mark.parametrize(
    "body",
    [
        "Thanks!\n\nOn Mon, Jan 6, 2025 at 9:00 AM Jordan Lee <jordan@example.com> wrote:\n"
        "> Happy to do an informational interview.\n",
        # Gmail wraps a long header onto a second line.
        "Thanks!\n\nOn Mon, Jan 6, 2025 at 9:00 AM Jordan Lee <jordan.lee@example.com>\n"
        "wrote:\n\nHappy to do an informational interview.\n",
        "Thanks!\n\nOn Mon, Jan 6, 2025 at 9:00 AM Jordan Lee <jordan@example.com> wrote:\n\n"
        "Happy to do an informational interview.\n",
        "Thanks!\n\n> an informational interview\n> more\n",
        "Thanks!\n>> informational interview\n",
        "See below.\n\n---------- Forwarded message ---------\nFrom: Sam <s@example.com>\n"
        "Date: Mon, Jan 6, 2025\nSubject: informational interview\n\ninformational interview\n",
        "See below.\n\n-----Original Message-----\nFrom: Sam\ninformational interview\n",
        "See below.\n\nBegin forwarded message:\n\ninformational interview\n",
        "Thanks,\nAlex\n-- \nAlex Rivera | Informational interview coach\n",
        "Thanks,\nAlex\n--\nAlex Rivera\ninformational interviews since 2010\n",
        "Le lun. 6 janv. 2025 à 09:00, Jordan <j@example.com> a écrit :\n> informational interview",
        "Am 06.01.2025 um 09:00 schrieb Jordan <j@example.com>:\n> informational interview",
    ],
)
def test_plain_history_and_signature_are_not_flagged(body: str) -> None:
    assert hits(run(body)) == []


def test_inline_reply_keeps_the_writers_answers() -> None:
    body = (
        "On Mon, Jan 6, 2025 at 9:00 AM Jordan <j@example.com> wrote:\n"
        "> What would you like to talk about?\n"
        "An informational interview, if you have time.\n"
        "> Anything else?\n"
    )
    found = hits(run(body))
    assert [f.match for f in found] == ["An informational interview"]


def test_a_sentence_ending_in_wrote_is_not_a_reply_header() -> None:
    body = "On my blog I wrote:\n\nI'd love an informational interview with you."
    assert len(hits(run(body))) == 1


def test_quoted_spans_keep_offsets() -> None:
    body = "Hi\n> quoted\nmine"
    spans = find_quoted(body).spans
    assert spans == [(3, 11)]
    assert body[3:11] == "> quoted"


@pytest.mark.parametrize(
    "prefix",
    [
        "😀 ",
        "👩🏽‍💻 Hi José, ",
        "Grüße aus Zürich, Ångström and Søren. ",
        "日本語のテキスト。こんにちは。",
        "𝒳𝒴𝒵 math 🇺🇸🇫🇷 flags ",
        "e\u0301 combining accent, ",
        "😀\n😀\n",
    ],
)
def test_offsets_are_utf16_in_plain_text(prefix: str) -> None:
    body = prefix + "Could we have an informational interview? Thanks 🙏"
    result = run(body, subject="😀 Informational interview")
    found = hits(result)
    assert {f.field for f in found} == {"subject", "body"}
    for f in found:
        text = body if f.field == "body" else "😀 Informational interview"
        assert utf16_slice(text, f.start, f.end) == f.match
        assert 0 <= f.start <= f.end <= utf16_len(text)


@pytest.mark.parametrize("prefix", ["😀 ", "👩🏽‍💻 <b>José</b> ", "<p>日本語</p>", "&#128512; "])
def test_offsets_are_utf16_in_html(prefix: str) -> None:
    result = run(html=f"<div>{prefix}an <b>informational</b> interview 😀</div>")
    text = field_text(result, None)
    found = hits(result)
    assert len(found) == 1
    assert utf16_slice(text, found[0].start, found[0].end) == found[0].match


def test_utf16_index() -> None:
    text = "a😀b👩🏽‍💻c"
    index = Utf16Index(text)
    for i in range(len(text) + 1):
        assert index(i) == len(text[:i].encode("utf-16-le")) // 2
    assert utf16_len(text) == len(text.encode("utf-16-le")) // 2
    assert Utf16Index("plain")(3) == 3


def test_html_hidden_parts_are_not_text() -> None:
    extracted = html_to_text(
        "<html><head><title>informational interview</title><style>p{}</style></head>"
        "<body><script>var a = 'informational interview'</script><p>Hello</p></body></html>"
    )
    assert extracted.text == "Hello"


def test_body_text_returned_only_for_html() -> None:
    assert run("Hello there").body_text is None
    assert run(html="<p>Hello&nbsp;there</p>").body_text == "Hello there"
