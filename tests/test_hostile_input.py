"""The shapes of input that froze the service (issue 7's table) cost time linear in their
size, through the whole analyzer: each is timed at about 1 KB and 100 KB against
same-size prose (see test_linear_time for how timing is made robust)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intro_coach.analyzer import analyze
from intro_coach.schema import AnalyzeRequest
from intro_coach.text import forget_paragraphs, html_to_text
from tests.test_linear_time import LARGE, assert_linear

# No shape may cost more than this many times the same size of plain prose.
PROSE_FACTOR = 4


def _fill(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def _analyze_text(text: str) -> object:
    forget_paragraphs()
    return analyze(AnalyzeRequest.model_validate({"body": {"text": text}}))


def _analyze_html(html: str) -> object:
    forget_paragraphs()
    return analyze(AnalyzeRequest.model_validate({"body": {"html": html}}))


TEXT_SHAPES: dict[str, Callable[[int], str]] = {
    "job ask then a-a-a": lambda n: "I'm looking for a " + _fill("a-", n - 18),
    "interview for the then a-a-a": lambda n: "interview for the " + _fill("a-", n - 18),
    "resume attached then a-a-a": lambda n: "I've attached my " + _fill("a-", n - 17),
    "blank lines": lambda n: "Hi\n" + _fill("\n", n - 4) + "x",
    "blank lines with spaces": lambda n: "Hi" + _fill("\n \n", n - 2),
    "reply headers": lambda n: _fill("On Mon, 1 Jan 2026 a@b.c wrote:\n> hi\n", n),
    "quoted lines": lambda n: _fill("> a\n", n),
    "hyphens": lambda n: _fill("-", n),
    "one long sentence of asks": lambda n: _fill("would you, could you share advice, ", n),
    "many asking sentences": lambda n: _fill("Would you share your advice on a job? ", n),
    # Words joined by non-ASCII spaces: a quick form's `\\w+` runs over them, and each
    # refused match once sent the next search to the end of the text again.
    "words joined by no-break spaces": lambda n: _fill("the\u00a0big\u00a0opening\u00a0", n),
    "accented words and dashes": lambda n: _fill("éé—", n),
    # Conversations named before the request, each once searched to the request's end.
    "a call, a call, ... then the ask": lambda n: (
        _fill("a call, ", n - 26) + "and I'd love your advice."
    ),
    "a resume named attached over and over": lambda n: _fill("I attached my CV. ", n),
}

HTML_SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed attribute quotes": lambda n: _fill('<div class="', n),
    "unclosed single quotes": lambda n: _fill("<p title='x", n),
    "'<a' openers": lambda n: _fill("<a", n),
    "stray end tags": lambda n: "<div>" * (n // 20) + _fill("</span>", n - 5 * (n // 20)),
    "open tags then stray ends": lambda n: _fill("<b><i>", n // 2) + _fill("</u>", n // 2),
    "unclosed comment": lambda n: "<!--" + _fill("x", n - 4),
    "ampersands": lambda n: _fill("&", n),
    "long entity names": lambda n: _fill("&aaaaaaaaaa", n),
    "unclosed script": lambda n: "<script>" + _fill("<a ", n - 8),
    "nested blocks": lambda n: _fill("<div>", n // 2) + _fill("</div>", n // 2),
}


@pytest.mark.parametrize("shape", list(TEXT_SHAPES))
def test_plain_text_shape_is_linear(shape: str) -> None:
    assert_linear(
        f"analyze(text: {shape})", _analyze_text, {shape: TEXT_SHAPES[shape]}, PROSE_FACTOR
    )


@pytest.mark.parametrize("shape", list(HTML_SHAPES))
def test_html_shape_is_linear(shape: str) -> None:
    assert_linear(f"html_to_text({shape})", html_to_text, {shape: HTML_SHAPES[shape]})
    assert_linear(
        f"analyze(html: {shape})", _analyze_html, {shape: HTML_SHAPES[shape]}, PROSE_FACTOR
    )


def test_malformed_html_still_reads_as_text() -> None:
    extracted = html_to_text('<p>Hi <b class="x>there</b> you')
    assert extracted.text == "Hi"  # an unclosed quote takes the rest, as in a browser
    extracted = html_to_text("<p>a < b and c > d</p><div>next</span></div>")
    assert extracted.text == "a < b and c > d\nnext"
    assert html_to_text(_fill("</span>", LARGE)).text == ""
