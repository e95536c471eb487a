"""A pattern's approximate forms (linear.Regex) never change what a search finds.

Every pattern that reads drafts is searched both ways, its quick form first (then its
Latin form and its exact one where non-ASCII text calls for them) and its exact form
only, over text made of its own words glued to and mixed with what the forms
approximate: accented and non-Latin letters, non-ASCII digits and numerals, combining
marks, curly quotes, dashes, no-break spaces, and characters whose case folds across a
form's cut (Kelvin sign, long s, micro sign).
"""

from __future__ import annotations

import random
import re
import zlib

import pytest
import re2

from intro_coach import linear
from intro_coach.analyzer import analyze
from intro_coach.rules import checks
from intro_coach.rules.pack import default_pack
from intro_coach.rules.prefilter import Phrases
from intro_coach.schema import AnalyzeRequest
from tests.test_linear_time import _TEXT_REGEXES

NON_ASCII = [
    "é", "É", "ü", "ß", "ñ", "Ø", "ł", "ğ", "α", "Ω", "ж", "Д", "中", "ا", "\u0301",
    "٣", "²", "Ⅻ", "½", "’", "‘", "“", "”", "—", "–", "\u00a0", "\u2009", "…", "•",
    "\u212a", "\u017f", "µ", "Μ", "ȿ", "ɐ", "😀", "\u200b",
]  # fmt: skip
ASCII = [" ", " ", "-", "'", ",", ".", "\n", "_", "3", "A", "z"]


def _regexes() -> list[tuple[str, linear.Regex]]:
    found: list[tuple[str, linear.Regex]] = []
    for name, value in _TEXT_REGEXES:
        if isinstance(value, Phrases):
            found.append((name, value._compiled(tuple(range(len(value._alternatives))))))
        elif isinstance(value, linear.Regex):
            found.append((name, value))
    for rule in default_pack().rules:
        phrases = rule.phrases
        found.append((rule.id, phrases._compiled(tuple(range(len(phrases._alternatives))))))
    return found


_REGEXES = _regexes()


def _texts(regex: linear.Regex, seed: int) -> list[str]:
    words = re.findall(r"[A-Za-zÀ-ÿ]{2,}", regex.pattern)[:40] or ["a"]
    rng = random.Random(seed)
    texts = []
    for _ in range(25):
        pieces = []
        for _ in range(rng.randint(5, 40)):
            word = rng.choice(words)
            if rng.random() < 0.3:
                word = word.capitalize()
            pieces.append(word)
            pieces.append(rng.choice(NON_ASCII) if rng.random() < 0.4 else rng.choice(ASCII))
        texts.append("".join(pieces))
    return texts


def _found(regex: linear.Regex, text: str) -> list[list[tuple[int, int]]]:
    return [m._spans for m in regex.finditer(text)]


@pytest.mark.parametrize(("name", "regex"), _REGEXES, ids=[n for n, _ in _REGEXES])
def test_quick_form_finds_what_the_exact_one_finds(name: str, regex: linear.Regex) -> None:
    exact = regex.exact_form()
    for text in _texts(regex, zlib.crc32(name.encode())):
        assert _found(regex, text) == _found(exact, text), (name, text)
        ascii_text = text.encode("ascii", "ignore").decode()
        assert _found(regex, ascii_text) == _found(exact, ascii_text), (name, ascii_text)


def test_some_patterns_have_a_quick_form() -> None:
    assert sum(r._approximated for _, r in _REGEXES) >= 10
    assert all(r.body != r.exact_form().body for _, r in _REGEXES if r.whole_words)


def _folding_into(form: linear._Form) -> set[int]:
    """Characters from the form's cut on whose case folds to a letter below it."""
    above = "".join(chr(c) for c in range(form.cut, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    return {
        ord(m.group())
        for c in range(form.cut)
        if chr(c).isalpha()
        for m in re2.compile(f"(?i){re2.escape(chr(c))}").finditer(above)
    }


@pytest.mark.parametrize("form", [linear.QUICK, linear.LATIN], ids=["quick", "latin"])
def test_form_tables_are_re2s(form: linear._Form) -> None:
    """What each form keeps exact below its cut is what RE2's classes hold there, and
    a class holding a character that folds across the cut keeps its exact form: under
    (?i) RE2 would let it stand for a letter below the cut, which the form leaves out."""
    below = range(form.cut)
    word = re2.compile(linear.WORD)
    space = re2.compile(r"[\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}]")
    assert {c for c in below if word.fullmatch(chr(c))} == form.word
    assert {c for c in below if space.fullmatch(chr(c))} == form.space
    assert _folding_into(form) == form.folds
    for escape, table in form.outside.items():  # exact below the cut, all above
        exact, quick = re2.compile(linear.translate(f"\\{escape}")), re2.compile(table)
        assert all(bool(exact.fullmatch(chr(c))) == bool(quick.fullmatch(chr(c))) for c in below), (
            escape
        )
        assert quick.fullmatch(chr(form.cut + 1)) is not None or escape in "WD"


@pytest.mark.parametrize(
    ("pattern", "quick", "latin"),
    [
        # (From the cut on, case-sensitively: under (?i) RE2 would fold "ſ" to s.)
        (
            r"\w+",
            r"(?:[\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}]|(?-i:[\x{80}-\x{10ffff}]))+",
            r"(?:[\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}\x{aa}\x{b2}-\x{b3}\x{b5}"
            r"\x{b9}-\x{ba}\x{bc}-\x{be}\x{c0}-\x{d6}\x{d8}-\x{f6}\x{f8}-\x{23f}]"
            r"|(?-i:[\x{240}-\x{10ffff}]))+",
        ),
        (
            r"\d",
            r"(?:[\x{30}-\x{39}]|(?-i:[\x{80}-\x{10ffff}]))",
            r"(?:[\x{30}-\x{39}]|(?-i:[\x{240}-\x{10ffff}]))",
        ),
        (r"[^\W\d_]", r"(?:[\x{41}-\x{5a}\x{61}-\x{7a}]|(?-i:[\x{80}-\x{10ffff}]))", None),
        (
            r"[\w-]",
            r"(?:[\x{2d}\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}]|(?-i:[\x{80}-\x{10ffff}]))",
            None,
        ),
        (r"[^\w,.]", r"[^\x{2c}\x{2e}\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}]", None),
        (r"[a-zé'’-]", r"[a-zé'’-]", r"[a-zé'’-]"),  # short lists of others stay as they are
        (r"[\s\u00a0-]", linear.translate(r"[\s\u00a0-]"), linear.translate(r"[\s\u00a0-]")),
        # the long s folds to "s", the micro sign to Greek mu (a capital of the list)
        ("[a-z\u017f\\w]", linear.translate("[a-z\u017f\\w]"), None),
        ("[A-Z\u039c\\w]", None, linear.translate("[A-Z\u039c\\w]")),
        (r"[a-c-e\w]", linear.translate(r"[a-c-e\w]"), None),  # ranges run together
    ],
)
def test_translation_forms(pattern: str, quick: str | None, latin: str | None) -> None:
    for form, expected in (({"quick": True}, quick), ({"latin": True}, latin)):
        translated = linear.translate(pattern, **form)
        assert re2.compile(translated)  # RE2 reads it
        if expected is not None:
            assert translated == expected


@pytest.mark.parametrize(
    "letter", ["s", "S", "k", "K", "\u017f", "\u212a", "ß", "å", "µ", "ƀ", "Ɓ"]
)
def test_a_digit_class_matches_no_letter_under_ignorecase(letter: str) -> None:
    # RE2 folds case across the whole class under (?i): "ſ" and the Kelvin sign, from the
    # range an approximate form adds, would bring in s and k (and the Latin form's range
    # ß, å, µ...).
    regex = linear.Regex(r"\d+ min", linear.IGNORECASE)
    assert regex.search(f"{letter} min") is None
    assert regex.search("20 min") is not None


def test_a_company_named_with_s_and_k_is_not_a_count_of_applications() -> None:
    body = (
        "Hi Dana,\n\nI am an engineer who applied to SK hynix last spring, and I have "
        "attached my resume for context. Would you have 20 minutes for a call next week? "
        "I would love your advice.\n\nThank you,\nAlex"
    )
    found = analyze(
        AnalyzeRequest.model_validate({"subject": "Quick question", "body": {"text": body}})
    )
    assert "resume-attached" in {f.rule for f in found.findings}
    # "it's hours": the s before the space is no digit of a duration.
    said = "Would you have 20 minutes for a call next week, even though it's hours of work?"
    assert [m.group() for m in checks._HOURS.finditer(said)] == []
