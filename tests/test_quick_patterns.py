"""A pattern's quick form (linear.Regex) never changes what a search finds.

Every pattern that reads drafts is searched both ways, its quick form first (with the
exact one where non-ASCII text calls for it) and its exact form only, over text made of
its own words glued to and mixed with what the quick form approximates: accented and
non-Latin letters, non-ASCII digits and numerals, combining marks, curly quotes, dashes,
no-break spaces, and the two characters whose case folds to ASCII (Kelvin sign, long s).
"""

from __future__ import annotations

import random
import re
import zlib

import pytest
import re2

from intro_coach import linear
from intro_coach.rules.pack import default_pack
from intro_coach.rules.prefilter import Phrases
from tests.test_linear_time import _TEXT_REGEXES

NON_ASCII = [
    "é", "É", "ü", "ß", "ñ", "Ø", "ł", "ğ", "α", "Ω", "ж", "Д", "中", "ا", "\u0301",
    "٣", "²", "Ⅻ", "½", "’", "‘", "“", "”", "—", "–", "\u00a0", "\u2009", "…", "•",
    "\u212a", "\u017f", "😀", "\u200b",
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


def test_only_two_characters_fold_to_ascii() -> None:
    """A class keeps its exact form when it holds one of linear._FOLDS_TO_ASCII: under
    (?i) RE2 would let it stand for an ASCII letter, which the quick form leaves out."""
    others = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    folding = {
        ord(m.group())
        for letter in "abcdefghijklmnopqrstuvwxyz"
        for m in re2.compile(f"(?i){letter}").finditer(others)
    }
    assert folding == set(linear._FOLDS_TO_ASCII)


@pytest.mark.parametrize(
    ("pattern", "quick"),
    [
        (r"\w+", r"[0-9A-Z_a-z\x{80}-\x{10ffff}]+"),
        (r"[^\W\d_]", r"[A-Za-z\x{80}-\x{10ffff}]"),
        (r"[\w-]", r"[\x{2d}\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}\x{80}-\x{10ffff}]"),
        (r"[^\w,.]", r"[^\x{2c}\x{2e}\x{30}-\x{39}\x{41}-\x{5a}\x{5f}\x{61}-\x{7a}]"),
        (r"[a-zé'’-]", r"[a-zé'’-]"),  # short lists of other characters stay as they are
        (r"[\s\u00a0-]", linear.translate(r"[\s\u00a0-]")),
        ("[a-z\u017f\\w]", linear.translate("[a-z\u017f\\w]")),  # long s folds to "s"
        (r"[a-c-e\w]", linear.translate(r"[a-c-e\w]")),  # ranges run together
    ],
)
def test_quick_translation(pattern: str, quick: str) -> None:
    assert linear.translate(pattern, quick=True) == quick
    assert re2.compile(quick)  # RE2 reads it
