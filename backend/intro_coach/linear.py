"""Regular expressions whose running time is linear in the text, whatever the text.

Everything the analyzer reads was written by someone else, and Python's backtracking
engine can take polynomial or exponential time on a pattern as plain as a phrase with an
optional repeated word ("a-a-a-a-..."). RE2 (`google-re2`) never backtracks: time grows
linearly with the text for every pattern. It lacks lookarounds and backreferences, so
the few checks that used them do those tests in code.

Patterns keep Python's syntax and meaning for character classes: `\\w`, `\\d` and `\\s`
are Unicode here as in Python's `re` (RE2's own are ASCII), so they are rewritten.
Matching runs on the UTF-8 bytes, encoded once per call, with offsets given back in
code points; a loop of searches never re-encodes the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache
from typing import Any

import re2

IGNORECASE = re.IGNORECASE
MULTILINE = re.MULTILINE
DOTALL = re.DOTALL
VERBOSE = re.VERBOSE

# Python's \s for str is whatever str.isspace() says. Written out rather than found by
# scanning every code point at import (about 90 ms of the linter's start-up); a test
# checks the list against str.isspace().
SPACE_CODES = (
    *range(0x9, 0xE),
    *range(0x1C, 0x21),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)
# As ranges: the class is in every phrase of the pack, and its length in every pattern
# RE2 parses and in the start-up cache.
_SPACES = (
    r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
_WORD_CLASS = r"\p{L}\p{N}_"
WORD = f"[{_WORD_CLASS}]"
NOT_WORD = f"[^{_WORD_CLASS}]"
# Every character but an ASCII letter, digit or underscore: a superset of NOT_WORD that
# RE2 compiles and runs far faster (the Unicode classes cost most of the linter's
# compile time and of each submatch). A whole-word match found with it is checked in
# code, and only when a non-ASCII letter or digit touches it is the exact one run.
_NEAR_NOT_WORD = "[^0-9A-Z_a-z]"
_OUTSIDE = {
    "w": WORD,
    "W": NOT_WORD,
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "s": f"[{_SPACES}]",
    "S": f"[^{_SPACES}]",
    "Z": r"\z",
}
_INSIDE = {"w": _WORD_CLASS, "d": r"\p{Nd}", "s": _SPACES}
# Negated classes built on \W: "word characters except ...". Only these occur.
_NOT_NON_WORD = {
    "_": r"[\p{L}\p{N}]",
    r"\d_": r"[\p{L}\p{Nl}\p{No}]",
    r"_\d": r"[\p{L}\p{Nl}\p{No}]",
    r"\d": r"[\p{L}\p{Nl}\p{No}_]",
}


# Quick patterns (see Regex): each class holding Unicode properties (`\\w`, `\\d`) or a
# long list of other characters becomes its ASCII members exactly plus every non-ASCII
# character, which RE2 compiles and runs several times faster. A quick pattern matches
# wherever the exact one does, and on ASCII text it matches exactly as the exact one.
_NON_ASCII = r"\x{80}-\x{10ffff}"
_QUICK_OUTSIDE = {
    "w": f"[0-9A-Z_a-z{_NON_ASCII}]",
    "W": "[^0-9A-Z_a-z]",
    "d": f"[0-9{_NON_ASCII}]",
    "D": "[^0-9]",
}
_QUICK_NOT_NON_WORD = {
    "_": f"[0-9A-Za-z{_NON_ASCII}]",
    r"\d_": f"[A-Za-z{_NON_ASCII}]",
    r"_\d": f"[A-Za-z{_NON_ASCII}]",
    r"\d": f"[A-Z_a-z{_NON_ASCII}]",
}
# The ASCII members of what `\\w`, `\\d` and `\\s` stand for inside a class.
_ASCII_INSIDE = {
    "w": frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"),
    "d": frozenset(b"0123456789"),
    "s": frozenset(c for c in SPACE_CODES if c < 0x80),
}
_CONTROL_ESCAPES = {"n": 0xA, "t": 0x9, "r": 0xD, "f": 0xC, "v": 0xB, "a": 0x7}
# Non-ASCII characters whose case folds to an ASCII letter in RE2 (Kelvin sign, long s):
# a class holding one keeps its exact form, as its ASCII members could differ under (?i).
_FOLDS_TO_ASCII = (0x17F, 0x212A)
_LONG_LIST = 64  # non-ASCII characters in a class worth replacing by all of them
_QUICK = 1 << 16  # in translation keys: the quick form
# What an ASCII pattern needs for its quick form to differ: a Unicode class escape.
_APPROXIMATED = (r"\w", r"\W", r"\d", r"\D")


class Unsupported(ValueError):
    """The pattern uses what RE2 cannot run in linear time (lookaround, backreference)."""


def _class(pattern: str, i: int, quick: bool = False) -> tuple[str, int]:
    """Translate the character class opening at pattern[i] ('['); return it and the
    index just past its ']'. With `quick`, the quick form when it has one."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    if negated:
        j += 1
    if pattern.startswith(r"[^\W", i):
        end = pattern.index("]", i + 4)
        rest = pattern[i + 4 : end]
        if rest not in _NOT_NON_WORD:
            raise Unsupported(f"character class {pattern[i : end + 1]!r}")
        return (_QUICK_NOT_NON_WORD if quick else _NOT_NON_WORD)[rest], end + 1
    out = ["[^" if negated else "["]
    # For the quick form: each member as a code point (a range's ends too), a set of
    # ASCII code points for a class escape, "-" for a hyphen between members, or None
    # for what the quick form does not read (it then keeps the exact form).
    members: list[int | frozenset[int] | str | None] = []
    first = True
    while j < len(pattern):
        ch = pattern[j]
        if ch == "]" and not first:
            out.append("]")
            exact = "".join(out)
            return (_quick_class(negated, members) or exact) if quick else exact, j + 1
        first = False
        if ch == "\\":
            escaped = pattern[j + 1 : j + 2]
            j, text = _escape(pattern, j, inside=True)
            out.append(text)
            if escaped in _ASCII_INSIDE:
                members.append(_ASCII_INSIDE[escaped])
            elif escaped in _CONTROL_ESCAPES:
                members.append(_CONTROL_ESCAPES[escaped])
            elif escaped in "uU" and escaped:
                members.append(int(text[3:-1], 16))
            elif escaped and not escaped.isalnum():
                members.append(ord(escaped))
            else:
                members.append(None)
            continue
        if ch == "[":
            out.append(r"\[")
        else:
            out.append(ch)
        members.append("-" if ch == "-" else ord(ch))
        j += 1
    raise Unsupported(f"unterminated character class in {pattern!r}")


def _quick_class(negated: bool, members: list[int | frozenset[int] | str | None]) -> str | None:
    """The quick form of a class (see _QUICK_OUTSIDE), or None to keep the exact one:
    when it has no Unicode property nor a long list, or holds what this does not read."""
    if None in members:
        return None
    ascii_members: set[int] = set()
    escapes = 0
    others = 0
    for k, member in enumerate(members):
        if isinstance(member, frozenset):
            escapes += member is not _ASCII_INSIDE["s"]
            ascii_members |= member
        elif isinstance(member, int):
            low = high = member
            if k >= 2 and members[k - 1] == "-":
                continue  # the end of a range, taken with its start
            if k + 2 < len(members) and members[k + 1] == "-":
                end = members[k + 2]
                if not isinstance(end, int):
                    return None  # "a-\\w": not a range RE2 and Python read alike
                high = end
            if any(low <= c <= high for c in _FOLDS_TO_ASCII):
                return None
            ascii_members.update(range(low, min(high, 0x7F) + 1))
            others += max(0, high - max(low, 0x80) + 1)
        elif k == 0 or k == len(members) - 1:
            ascii_members.add(ord("-"))  # a hyphen first or last is itself
        elif not isinstance(members[k - 1], int) or not isinstance(members[k + 1], int):
            return None
        elif k >= 2 and members[k - 2] == "-":
            return None  # "a-c-e": ranges run together
    if not escapes and others <= _LONG_LIST:
        return None
    ranges = "".join(
        f"\\x{{{low:x}}}-\\x{{{high:x}}}" if high > low else f"\\x{{{low:x}}}"
        for low, high in _ranges(sorted(ascii_members))
    )
    if negated:
        return f"[^{ranges}]" if ranges else r"[\x{0}-\x{10ffff}]"
    return f"[{ranges}{_NON_ASCII}]"


def _ranges(codes: list[int]) -> Iterator[tuple[int, int]]:
    start = previous = -2
    for code in codes:
        if code != previous + 1:
            if start >= 0:
                yield start, previous
            start = code
        previous = code
    if start >= 0:
        yield start, previous


def _escape(pattern: str, i: int, *, inside: bool, quick: bool = False) -> tuple[int, str]:
    ch = pattern[i + 1 : i + 2]
    if quick and not inside and ch in _QUICK_OUTSIDE:
        return i + 2, _QUICK_OUTSIDE[ch]
    table = _INSIDE if inside else _OUTSIDE
    if ch in table:
        return i + 2, table[ch]
    if ch in "WSD" and inside:
        raise Unsupported(f"\\{ch} inside a character class")
    if ch == "u":
        return i + 6, f"\\x{{{pattern[i + 2 : i + 6]}}}"
    if ch == "U":
        return i + 10, f"\\x{{{pattern[i + 2 : i + 10]}}}"
    if ch in "bB":
        raise Unsupported(r"\b: RE2's word boundary is ASCII; match the boundary in code")
    if ch.isdigit() and ch != "0":
        raise Unsupported("backreferences")
    return i + 2, pattern[i : i + 2]


# Translations already made, by (pattern, flags): filled from the linter's start-up cache
# (rules/pack_cache.py). While `_recorded` is a dict (from `record_translations()` until
# `stop_recording()`, only while the code's and the pack's own patterns load, never once
# a draft is read), new translations are also kept there for that cache; bounded anyway.
_KNOWN: dict[tuple[str, int], str] = {}
_recorded: dict[tuple[str, int], str] | None = None
_KNOWN_MAX = 20_000


def remember_translations(known: dict[tuple[str, int], str]) -> None:
    for key, value in known.items():
        if len(_KNOWN) >= _KNOWN_MAX:
            return
        _KNOWN.setdefault(key, value)


def record_translations() -> None:
    global _recorded
    _recorded = {}


def recorded_translations() -> dict[tuple[str, int], str] | None:
    """What was translated since `record_translations()`, or None if not recording."""
    return None if _recorded is None else dict(_recorded)


def stop_recording() -> None:
    global _recorded
    _recorded = None


def translate(pattern: str, flags: int = 0, *, quick: bool = False) -> str:
    """The RE2 pattern that matches what Python's `re` would, for the syntax we use.
    With `quick`, the quick form of it (see Regex), which is the same when the pattern
    has no class worth approximating."""
    if quick and pattern.isascii() and not any(e in pattern for e in _APPROXIMATED):
        return translate(pattern, flags)  # nothing to approximate: the exact form
    key = (pattern, flags | _QUICK if quick else flags)
    found = _KNOWN.get(key)
    if found is not None:
        # "" for a quick form: the same as the exact one (kept short in the cache)
        return found if found or not quick else translate(pattern, flags)
    translated = _translate(pattern, flags, quick)
    if _recorded is not None and len(_recorded) < _KNOWN_MAX:
        same = quick and translated == translate(pattern, flags)
        _recorded[key] = "" if same else translated
    return translated


def _translate(pattern: str, flags: int, quick: bool = False) -> str:
    verbose = bool(flags & VERBOSE)
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if verbose and pattern[i + 1 : i + 2] == " ":
                out.append(" ")
                i += 2
                continue
            i, text = _escape(pattern, i, inside=False, quick=quick)
            out.append(text)
        elif ch == "[":
            text, i = _class(pattern, i, quick)
            out.append(text)
        elif ch == "(" and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            raise Unsupported(f"lookaround in {pattern!r}; test it in code")
        elif verbose and ch.isspace():
            i += 1
        elif verbose and ch == "#":
            newline = pattern.find("\n", i)
            i = len(pattern) if newline < 0 else newline
        else:
            out.append(ch)
            i += 1
    inline = "".join(
        letter
        for flag, letter in ((IGNORECASE, "i"), (MULTILINE, "m"), (DOTALL, "s"))
        if flags & flag
    )
    body = "".join(out)
    return f"(?{inline}){body}" if inline else body


class Match:
    """What a search found: spans in code points, groups by number or name."""

    __slots__ = ("_names", "_spans", "string")

    def __init__(self, string: str, spans: list[tuple[int, int]], names: dict[str, int]) -> None:
        self.string = string
        self._spans = spans
        self._names = names

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[self._names[group] if isinstance(group, str) else group]

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, group: int | str = 0) -> str | None:
        start, end = self.span(group)
        return None if start < 0 else self.string[start:end]

    def __getitem__(self, group: int | str) -> str | None:
        return self.group(group)

    @property
    def first_group(self) -> int | None:
        """The lowest-numbered group that took part (which alternative matched)."""
        return next((i for i in range(1, len(self._spans)) if self._spans[i][0] >= 0), None)


class _Offsets:
    """Byte offsets into the UTF-8 text back to code points, in one pass overall: the
    offsets asked for only ever move forward from the last `anchor`."""

    def __init__(self, text: str, data: bytes) -> None:
        self._data = data
        self.ascii = len(data) == len(text)
        self._byte = 0
        self._char = 0

    def __call__(self, offset: int) -> int:
        if self.ascii or offset < 0:
            return offset
        return self._char + len(self._data[self._byte : offset].decode("utf-8", "surrogatepass"))

    def anchor(self, offset: int) -> None:
        if not self.ascii:
            self._char = self(offset)
            self._byte = offset

    def to_bytes(self, char_offset: int, text: str) -> int:
        if self.ascii:
            return char_offset
        return len(text[:char_offset].encode("utf-8", "surrogatepass"))


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


_UNANCHORED = re2._Anchor.UNANCHORED  # type: ignore[attr-defined]
_ANCHOR_START = re2._Anchor.ANCHOR_START  # type: ignore[attr-defined]
_ANCHOR_BOTH = re2._Anchor.ANCHOR_BOTH  # type: ignore[attr-defined]
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 8 << 20
_OPTIONS.log_errors = False


class Regex:
    """A compiled pattern with the subset of `re.Pattern`'s interface the analyzer uses.

    With `whole_words`, a match must neither start nor end inside a word, which Python
    says with lookarounds: here the neighbouring characters are matched instead, and the
    search resumes where the phrase ended, so phrases one space apart are all found.

    RE2 first searches a quick form of the pattern: Unicode classes (`\\w`, `\\d`, the
    whole-word neighbours, long lists of letters) become their ASCII members plus every
    other character, which compiles and runs several times faster. The quick form
    accepts every path through the pattern the exact one does, and more, so its leftmost,
    first-preferred match is also the exact pattern's whenever the approximated classes
    read only ASCII there (and the neighbours are not word characters); otherwise the
    exact pattern searches again from the same place. Same matches, linear time.
    """

    def __init__(
        self,
        pattern: str,
        flags: int = 0,
        *,
        whole_words: bool = False,
        lazy: bool = False,
        translated: bool = False,
        quick: str | None = None,
    ) -> None:
        """With `lazy`, RE2 compiles the pattern on first use (the module-level patterns
        a run may never need cost the linter's start-up otherwise). `translated`: the
        pattern is already `translate`'s output (its own fixed point), so not again, and
        `quick` its quick form (`translate(..., quick=True)`) if it has one."""
        if translated:
            exact = pattern
            body = pattern if quick is None else quick
        else:
            exact = translate(pattern, flags)
            body = translate(pattern, flags, quick=True)
        self.pattern = pattern
        self.whole_words = whole_words
        self._approximated = body != exact  # the body's own classes, not its neighbours
        if whole_words:
            exact = f"(?:^|{NOT_WORD})({exact})(?:{NOT_WORD}|$)"
            body = f"(?:^|{_NEAR_NOT_WORD})({body})(?:{_NEAR_NOT_WORD}|$)"
        self._exact = exact if exact != body else ""
        self._body = body
        self._shift = 1 if whole_words else 0
        if not lazy:
            # Compiled now so that a refused pattern fails here. The exact pattern
            # differs only in some classes: it compiles when a search needs it.
            self._re  # noqa: B018

    @property
    def body(self) -> str:
        """The RE2 pattern searched first, whole-word neighbours included: it matches
        wherever the exact pattern does, and sometimes elsewhere too (where there are
        non-ASCII letters), which a search then checks in code."""
        return self._body

    def _compile(self, body: str) -> Any:
        try:
            return re2.compile(_encode(body), _OPTIONS)
        except re2.error as exc:
            raise Unsupported(f"RE2 refused {self.pattern!r}: {exc}") from exc

    def exact_form(self) -> Regex:
        """The same pattern searched in its exact form only (what tests compare with)."""
        twin = Regex.__new__(Regex)
        twin.pattern, twin.whole_words, twin._shift = self.pattern, self.whole_words, self._shift
        twin._body, twin._exact, twin._approximated = self._exact or self._body, "", False
        return twin

    @cached_property
    def _re(self) -> Any:
        return self._compile(self._body)

    @cached_property
    def _raw(self) -> Any:
        # The binding's own call: one C++ search returning every group's span, without
        # the Python wrapper's generator and match object (most of the cost per match).
        return self._re._regexp

    @cached_property
    def _exact_raw(self) -> Any:
        return self._compile(self._exact)._regexp

    def _finder(self, ascii_text: bool) -> Callable[[Any, bytes, int, int], Any]:
        """RE2's search itself when its quick form cannot differ (ASCII text)."""
        return self._raw.Match if ascii_text or not self._exact else self._find

    def _find(self, anchor: Any, data: bytes, at: int, size: int) -> list[tuple[int, int]]:
        """RE2's spans of the first match from `at`, as the exact pattern finds it (see
        the class's docstring)."""
        found: list[tuple[int, int]] = self._raw.Match(anchor, data, at, size)
        if self._exact and found[0][0] >= 0:
            start, end = found[self._shift]
            if self._approximated and not data[start:end].isascii():
                return self._exact_raw.Match(anchor, data, at, size)  # type: ignore[no-any-return]
            if self.whole_words:
                outer_start, outer_end = found[0]
                if (
                    outer_start < start
                    and data[outer_start] >= 0x80
                    and _maybe_word(data[outer_start:start])
                ) or (end < outer_end and data[end] >= 0x80 and _maybe_word(data[end:outer_end])):
                    return self._exact_raw.Match(anchor, data, at, size)  # type: ignore[no-any-return]
        return found

    @cached_property
    def groups(self) -> int:
        return int(self._re.groups) - self._shift

    @cached_property
    def groupindex(self) -> dict[str, int]:
        return {name.decode(): index - self._shift for name, index in self._re.groupindex.items()}

    def _spans(self, found: list[tuple[int, int]], offsets: _Offsets) -> list[tuple[int, int]]:
        if offsets.ascii:
            return found[self._shift :]
        return [(offsets(s), offsets(e)) if s >= 0 else (-1, -1) for s, e in found[self._shift :]]

    def finditer(
        self, text: str, pos: int = 0, *, accept: Callable[[Match], bool] | None = None
    ) -> Iterator[Match]:
        """Every match from `pos` on. A match `accept` refuses is skipped and the search
        goes on from its start, as a lookbehind that failed there would (in code,
        what Python wrote as `(?<!not\\s)`)."""
        data = _encode(text)
        offsets = _Offsets(text, data)
        at = offsets.to_bytes(pos, text)
        offsets.anchor(at)
        size = len(data)
        find = self._finder(offsets.ascii)
        while at <= size:
            found = find(_UNANCHORED, data, at, size)
            if found[0][0] < 0:
                return
            start, end = found[self._shift]
            spans = self._spans(found, offsets)
            match = Match(text, spans, self.groupindex)
            if accept is not None and not accept(match):
                if self.whole_words and start > 0:
                    at = start  # the boundary before a phrase found from here is past it
                else:
                    first = text[spans[0][0] : spans[0][0] + 1]
                    at = start + max(1, len(_encode(first)))
                offsets.anchor(min(at, len(data)))
                continue
            yield match
            if end > start:
                at = end
                if self.whole_words and not _is_word(text[spans[0][1] - 1]):
                    # The phrase ended on a non-word character, which can also be the
                    # boundary before the next one.
                    at -= len(_encode(text[spans[0][1] - 1]))
            else:
                at = end + len(_encode(text[spans[0][1] : spans[0][1] + 1])) or end + 1
            offsets.anchor(at if at <= len(data) else len(data))

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """The (start, end) of each match `finditer` finds, without building match
        objects (most of the cost when only the places are wanted)."""
        data = _encode(text)
        offsets = _Offsets(text, data)
        offsets.anchor(0)
        size = len(data)
        shift = self._shift
        find = self._finder(offsets.ascii)
        at = 0
        while at <= size:
            found = find(_UNANCHORED, data, at, size)
            if found[0][0] < 0:
                return
            start, end = found[shift]
            if offsets.ascii:
                span = (start, end)
            else:
                span = (offsets(start), offsets(end)) if start >= 0 else (-1, -1)
            yield span
            if end > start:
                at = end
                if self.whole_words and not _is_word(text[span[1] - 1]):
                    at -= len(_encode(text[span[1] - 1]))
            else:
                at = end + len(_encode(text[span[1] : span[1] + 1])) or end + 1
            offsets.anchor(at if at <= size else size)

    def search(self, text: str, pos: int = 0) -> Match | None:
        return next(self.finditer(text, pos), None)

    def match(self, text: str, pos: int = 0) -> Match | None:
        """A match that starts at `pos` (for whole words: at `pos` or one character on)."""
        data = _encode(text)
        offsets = _Offsets(text, data)
        at = offsets.to_bytes(pos, text)
        offsets.anchor(at)
        found = self._finder(offsets.ascii)(_ANCHOR_START, data, at, len(data))
        if found[0][0] < 0:
            return None
        return Match(text, self._spans(found, offsets), self.groupindex)

    def fullmatch(self, text: str) -> Match | None:
        data = _encode(text)
        offsets = _Offsets(text, data)
        found = self._finder(offsets.ascii)(_ANCHOR_BOTH, data, 0, len(data))
        if found[0][0] < 0:
            return None
        return Match(text, self._spans(found, offsets), self.groupindex)

    def sub(self, replacement: str | Callable[[Match], str], text: str) -> str:
        parts = []
        last = 0
        for m in self.finditer(text):
            parts.append(text[last : m.start()])
            parts.append(replacement if isinstance(replacement, str) else replacement(m))
            last = m.end()
        parts.append(text[last:])
        return "".join(parts)

    def split(self, text: str) -> list[str]:
        parts = []
        last = 0
        for m in self.finditer(text):
            parts.append(text[last : m.start()])
            last = m.end()
        parts.append(text[last:])
        return parts

    def findall(self, text: str) -> list[str]:
        return [m.group() or "" for m in self.finditer(text)]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@lru_cache(maxsize=1024)
def _maybe_word(char: bytes) -> bool:
    """Whether one UTF-8 character can be in RE2's word class (`WORD`): a letter or a
    number, or unassigned in Python's Unicode tables (RE2's may be newer). Never False
    for a character of the class (a test checks every code point); True for a few that
    are not only costs a second search."""
    try:
        category = unicodedata.category(char.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, TypeError):  # not one whole character: ask the exact one
        return True
    return category[0] in "LN" or category == "Cn"


def tokenizer(pattern: str) -> re.Pattern[str]:
    """Python's engine, for the few tokenizing patterns hot enough that RE2's cost per
    match shows (words, vowel groups: hundreds per draft) and that are deterministic:
    runs of one character class, joined by separators from a class disjoint from it, or
    alternatives whose first characters come from disjoint classes. Every character
    then decides the next step, so backtracking never goes back more than one
    separator, and matching is linear here too (the adversarial tests time them with
    the rest). Anything with optional parts or overlapping alternatives belongs on RE2."""
    if "(?=" in pattern or "(?!" in pattern or "(?<" in pattern:
        raise Unsupported(f"not a deterministic tokenizer: {pattern!r}")
    return re.compile(pattern)


def compile(pattern: str, flags: int = 0, *, whole_words: bool = False) -> Regex:
    """A pattern of our own code: RE2 compiles it when it is first used (see Regex)."""
    return Regex(pattern, flags, whole_words=whole_words, lazy=True)


def escape(text: str) -> str:
    return re.escape(text)
