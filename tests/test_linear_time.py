"""Every pattern we run on other people's text takes time linear in that text.

Each pattern of the rule pack and each text-handling regex of the analyzer gets inputs
built from the pattern itself (its own words with the separators repeated, near misses,
"a-a-a-...", long runs of hyphens, spaces and newlines) at about 1 KB and 100 KB. A
backtracking engine on one of these took seconds (cubic growth); linear time means the
cost per character at 100 KB is about that at 1 KB and about that of plain prose.

Timing on a shared, loaded machine: each figure is the minimum of several runs, and the
factor allowed is generous (a quadratic pattern is a hundred times over at 100 KB).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from importlib import resources
from types import ModuleType

import pytest
import re2
import yaml

from intro_coach import analyzer, asks, draft, emails, linear, referrer, stats, subjects, text
from intro_coach.addon import verify
from intro_coach.gmail import context
from intro_coach.rules import checks
from intro_coach.rules.pack import compile_phrase, default_pack
from intro_coach.rules.prefilter import Phrases

SMALL = 1_000
LARGE = 100_000
GROWTH = 12  # allowed rise of the cost per character from 1 KB to 100 KB
REPEATS = 3
_PROSE = (
    "Thank you for the talk last week about moving from teaching into research. I have "
    "been reading about how teams run their studies, and I would value your view on it. "
)


Shapes = dict[str, Callable[[int], str]]


def _fill(piece: str, size: int) -> str:
    return (piece * (size // max(1, len(piece)) + 1))[:size]


def _words(pattern: str) -> list[str]:
    found = re.findall(r"[A-Za-zÀ-ÿ]{2,}", pattern.replace(r"\s", " ").replace(r"\w", " "))
    return found[:12] or ["a"]


def _shapes(pattern: str) -> Shapes:
    words = _words(pattern)
    phrase = " ".join(words)
    head = " ".join(words[:4])
    return {
        "own words": lambda n: _fill(phrase + " ", n),
        "hyphenated": lambda n: _fill("-".join(words) + "-", n),
        "separators repeated": lambda n: _fill(" - - - \n ".join(words) + " ", n),
        "near misses": lambda n: _fill(" ".join(w + " " + w[:-1] for w in words) + " ", n),
        "then a-a-a": lambda n: head + " " + _fill("a-", n - len(head) - 1),
        "then words": lambda n: head + " " + _fill("word ", n - len(head) - 1),
        "hyphens": lambda n: _fill("-", n),
        "spaces": lambda n: _fill(" ", n),
        "newlines": lambda n: _fill("\n", n),
        "blank lines": lambda n: _fill("\n \n", n),
        "quote marks": lambda n: _fill("> ", n),
        "capitals": lambda n: _fill("Ab Cd ", n),
        # Each phrase next to a non-ASCII letter: the quick whole-word match is refused
        # in code and the exact pattern searches again (linear.Regex._finder).
        "accented neighbours": lambda n: _fill("é" + "é ".join(words) + "ü ", n),
        "accents glued": lambda n: _fill("ß" + "ß".join(words) + "ß", n),
    }


def _fastest(run: Callable[[str], object], text_: str, repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(text_)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(
    name: str, run: Callable[[str], object], shapes: Shapes, prose_factor: float | None = None
) -> None:
    """With `prose_factor`, a 100 KB input must also cost at most that many times 100 KB
    of prose: through the whole analyzer, the fixed cost of a 1 KB draft hides a
    quadratic term that only shows at 100 KB."""
    benign = _fastest(run, _fill(_PROSE, LARGE)) / LARGE
    for shape, make in shapes.items():
        small = _fastest(run, make(SMALL)) / SMALL
        large_text = make(LARGE)
        large = _fastest(run, large_text) / LARGE
        if large > GROWTH * max(small, benign, 20e-9):
            # A burst of load from the other processes on this machine, or real growth:
            # measure again, longer, before saying which.
            small = _fastest(run, make(SMALL), 3 * REPEATS) / SMALL
            large = _fastest(run, large_text, 2 * REPEATS) / LARGE
        # Per character, against the larger of the two yardsticks: the same shape at 1 KB
        # and same-size prose. Floor: 20 ns a character (2 ms for 100 KB) is fast enough.
        allowed = GROWTH * max(small, benign, 20e-9)
        if prose_factor is not None:
            allowed = min(allowed, prose_factor * max(benign, 20e-9))
            if large > allowed:
                benign = _fastest(run, _fill(_PROSE, LARGE), 2 * REPEATS) / LARGE
                large = _fastest(run, large_text, 2 * REPEATS) / LARGE
                allowed = prose_factor * max(benign, 20e-9)
        assert large <= allowed, (
            f"{name} on {shape!r}: {large * LARGE * 1000:.1f} ms for 100 KB, "
            f"{small * SMALL * 1000:.3f} ms for 1 KB"
        )


# --- what is tested ---------------------------------------------------------------------

PACK = default_pack()


def _pack_patterns() -> Iterator[tuple[str, str]]:
    source = resources.files("intro_coach.rules").joinpath("pack.yaml").read_text("utf-8")
    for entry in yaml.safe_load(source)["rules"]:
        for i, item in enumerate(entry["patterns"]):
            yield f"{entry['id']}[{i}]", item if isinstance(item, str) else item["pattern"]


_PACK_PATTERNS = list(_pack_patterns())


@pytest.mark.parametrize(("name", "pattern"), _PACK_PATTERNS, ids=[n for n, _ in _PACK_PATTERNS])
def test_pack_pattern_is_linear(name: str, pattern: str) -> None:
    phrases = Phrases([compile_phrase(pattern)], capture=True)
    assert_linear(name, lambda t: list(phrases.spans(t, unfiltered=True)), _shapes(pattern))


# Every module whose patterns read what we did not write: drafts, .eml files, mailbox
# messages (Gmail context), Google's response headers.
_MODULES: tuple[ModuleType, ...] = (
    analyzer, asks, draft, referrer, stats, subjects, text, checks, emails, context, verify
)  # fmt: skip


def _text_regexes() -> Iterator[tuple[str, object]]:
    """Every module-level pattern of the modules that read drafts, found by type, so
    that a new one is covered without being listed here."""
    for module in _MODULES:
        for attr, value in vars(module).items():
            if isinstance(value, linear.Regex | re.Pattern | Phrases):
                yield f"{module.__name__}.{attr}", value
    yield from _phrases_in("pack", PACK, depth=3)
    yield from _phrases_in("introductions", context.words(), depth=1)


def _phrases_in(name: str, value: object, depth: int) -> Iterator[tuple[str, object]]:
    """The pack's phrase lists, wherever they sit (its sections hold them in fields,
    dicts and tuples); the rules' own are tested pattern by pattern above."""
    if isinstance(value, Phrases | linear.Regex):
        yield name, value
    elif depth and isinstance(value, dict):
        for key, item in value.items():
            yield from _phrases_in(f"{name}.{key}", item, depth - 1)
    elif depth and isinstance(value, tuple) and name != "pack.rules":
        for i, item in enumerate(value):
            yield from _phrases_in(f"{name}[{i}]", item, depth - 1)
    elif depth and hasattr(value, "__dict__") and not isinstance(value, type):
        for key, item in vars(value).items():
            if not key.startswith("_"):
                yield from _phrases_in(f"{name}.{key}", item, depth - 1)


def _runner(value: object) -> tuple[Callable[[str], object], str]:
    if isinstance(value, Phrases):
        return (lambda t: list(value.spans(t, unfiltered=True))), " ".join(value._alternatives)
    if isinstance(value, linear.Regex):
        return (lambda t: list(value.finditer(t))), value.pattern
    assert isinstance(value, re.Pattern)
    if isinstance(value.pattern, bytes):  # .eml headers are read as bytes
        return (lambda t: value.findall(t.encode())), value.pattern.decode()
    return (lambda t: value.findall(t)), value.pattern


_TEXT_REGEXES = list(_text_regexes())


@pytest.mark.parametrize(("name", "value"), _TEXT_REGEXES, ids=[n for n, _ in _TEXT_REGEXES])
def test_text_regex_is_linear(name: str, value: object) -> None:
    run, pattern = _runner(value)
    assert_linear(name, run, _shapes(pattern))


def test_every_text_regex_is_found() -> None:
    names = {name for name, _ in _text_regexes()}
    assert {"intro_coach.stats.WORD", "intro_coach.text._REPLY_HEADER"} <= names
    assert {"intro_coach.gmail.context._RESUME_ASK", "introductions.before_name"} <= names
    assert len(names) >= 20


def test_space_list_is_what_python_calls_space() -> None:
    """`\\s` means in a translated pattern what it means in Python's `re`."""
    spaces = [c for c in range(0x110000) if chr(c).isspace()]
    assert list(linear.SPACE_CODES) == spaces
    space = linear.Regex(r"\s")  # written as ranges of them
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert [ord(m.group() or "") for m in space.finditer(everything)] == spaces


def test_quick_word_boundary_misses_no_word_character() -> None:
    """A whole-word match is refused in code only when a neighbour may be a word
    character (linear._maybe_word); every character RE2's word class holds must be one,
    or a match the exact pattern would refuse could get through."""
    word = re2.compile(linear.WORD.encode())
    passed = [
        chr(c)
        for c in range(0x80, 0x110000)
        if not 0xD800 <= c <= 0xDFFF and not linear._maybe_word(chr(c).encode())
    ]
    assert len(passed) > 1000  # punctuation, symbols, spaces pass without a second search
    assert word.search("".join(passed).encode()) is None
