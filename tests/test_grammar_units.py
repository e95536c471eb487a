"""The grammar layer's own arithmetic: splitting one LanguageTool answer back into
paragraphs in UTF-16 units, and what its cache charges per paragraph."""

from __future__ import annotations

from typing import Any

from language_tool_python.match import Match

from intro_coach.cache import ByteLRU
from intro_coach.grammar import GrammarMatch, GrammarSettings
from intro_coach.languagetool import _SEPARATOR, _estimate, _split


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lt_match(text: str, matched: str, after: str = "") -> dict[str, Any]:
    """A match as LanguageTool's JSON has it: offset and length in UTF-16 units."""
    start = text.index(matched, text.index(after) if after else 0)
    return {
        "message": "m",
        "shortMessage": "",
        "replacements": [{"value": "x"}],
        "offset": _units(text[:start]),
        "length": _units(matched),
        "context": {"text": text, "offset": 0, "length": 1},
        "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {
            "id": "R",
            "description": "d",
            "issueType": "misspelling",
            "category": {"id": "TYPOS", "name": "Typos"},
        },
    }


def test_matches_land_in_their_paragraph_in_utf16_units() -> None:
    paragraphs = ("Zoë 😀 says hi.", "🎉🎉 a 😀😀 b wrk", "plain wrk")
    text = _SEPARATOR.join(paragraphs)
    # The second match spans two emoji: language-tool-python converts a match's offset
    # to code points, but not its length.
    raw = [lt_match(text, "says"), lt_match(text, "😀😀 b"), lt_match(text, "wrk", "plain")]
    matches = [Match(m, text) for m in raw]
    per = _split(paragraphs, text, matches)
    found = [
        [p.encode("utf-16-le")[2 * m.start : 2 * (m.start + m.length)].decode("utf-16-le")
         for m in ms]
        for p, ms in zip(paragraphs, per, strict=True)
    ]  # fmt: skip
    assert found == [["says"], ["😀😀 b"], ["wrk"]]


def test_the_cache_stays_under_its_byte_bound() -> None:
    cache: ByteLRU[tuple[GrammarMatch, ...]] = ByteLRU(20_000, _estimate)
    settings = GrammarSettings()
    match = GrammarMatch("R", "misspelling", "TYPOS", "message " * 10, ("a", "b"), 0, 1)
    for i in range(1_000):
        cache.put((settings, f"paragraph {i} " * 20), (match,) * 3)
        assert cache.bytes <= 20_000
    assert cache.get((settings, "paragraph 999 " * 20)) is not None
    assert cache.get((settings, "paragraph 0 " * 20)) is None
    # One entry bigger than the whole bound is not kept at all.
    cache.put((settings, "x" * 100_000), ())
    assert cache.get((settings, "x" * 100_000)) is None
    # Settings are part of the key.
    assert cache.get((GrammarSettings(picky=True), "paragraph 999 " * 20)) is None
