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

Those Unicode classes are most of what RE2 spends compiling a pattern and much of a
search with groups, so each pattern is first searched in an approximate form whose
classes are exact only for ASCII (see `Regex`): the same matches, several times cheaper
to compile, which is most of the linter's start-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache, partial
from typing import Any, NamedTuple

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


# Approximate forms (see Regex). In each, a class holding Unicode properties (`\\w`,
# `\\d`) or a long list of other characters becomes its members below a cut exactly,
# plus every character from the cut on, which RE2 compiles and runs several times
# faster: the quick form cuts at U+0080 (ASCII), the Latin form at U+0240 (the
# accented letters of most European names). A form matches wherever the exact pattern
# does, and on text below its cut it matches exactly as the exact pattern.
def _codes(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(c for low, high in spans for c in range(low, high + 1))


_ASCII_WORD = _codes((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_DIGITS = _codes((0x30, 0x39))
_ASCII_SPACES = _codes((0x9, 0xD), (0x1C, 0x20))
# RE2's \p{L} and \p{N} below U+0240 beyond ASCII (a test checks them against RE2):
# ª µ º À-Ö Ø-ö ø-ȿ, and ² ³ ¹ ¼ ½ ¾.
_LATIN_WORD = _ASCII_WORD | _codes(
    (0xAA, 0xAA), (0xB2, 0xB3), (0xB5, 0xB5), (0xB9, 0xBA), (0xBC, 0xBE), (0xC0, 0xD6),
    (0xD8, 0xF6), (0xF8, 0x23F),
)  # fmt: skip


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


class _Form(NamedTuple):
    """How an approximate form reads classes: exactly below `cut`, all from it on."""

    cut: int
    key: int  # added to the flags in translation keys
    word: frozenset[int]  # what \w holds below the cut
    space: frozenset[int]  # what \s holds below the cut
    # Characters from the cut on whose case folds to one below it, in RE2: a class that
    # holds one keeps its exact form, as under (?i) its members below the cut differ.
    folds: frozenset[int]

    def text(self, members: frozenset[int] | set[int], negated: bool = False) -> str:
        ranges = "".join(
            f"\\x{{{low:x}}}-\\x{{{high:x}}}" if high > low else f"\\x{{{low:x}}}"
            for low, high in _ranges(sorted(members))
        )
        if negated:
            return f"[^{ranges}]" if ranges else r"[\x{0}-\x{10ffff}]"
        # Everything from the cut on, case-sensitively: under (?i) RE2 would also fold
        # that range back below the cut ("ſ" is an s, the Kelvin sign a k), and a quick
        # \d would match letters.
        rest = f"(?-i:[\\x{{{self.cut:x}}}-\\x{{10ffff}}])"
        return f"(?:[{ranges}]|{rest})" if ranges else rest

    @property
    def outside(self) -> dict[str, str]:
        return {
            "w": self.text(self.word),
            "W": self.text(self.word, negated=True),
            "d": self.text(_DIGITS),
            "D": self.text(_DIGITS, negated=True),
        }

    @property
    def inside(self) -> dict[str, frozenset[int]]:
        return {"w": self.word, "d": _DIGITS, "s": self.space}

    @property
    def not_non_word(self) -> dict[str, str]:
        """The forms of _NOT_NON_WORD: word characters but `_`, digits or both."""
        letters = self.text(self.word - _DIGITS - {0x5F})
        return {
            "_": self.text(self.word - {0x5F}),
            r"\d_": letters,
            r"_\d": letters,
            r"\d": self.text(self.word - _DIGITS),
        }

    @property
    def not_word(self) -> str:
        """What stands for NOT_WORD around a whole-word match."""
        return self.text(self.word, negated=True)


QUICK = _Form(0x80, 1 << 16, _ASCII_WORD, _ASCII_SPACES, frozenset({0x17F, 0x212A}))
LATIN = _Form(
    0x240,
    1 << 17,
    _LATIN_WORD,
    _ASCII_SPACES | {0x85, 0xA0},
    frozenset({
        0x243, 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x260, 0x263, 0x268, 0x269,
        0x26F, 0x272, 0x275, 0x280, 0x283, 0x288, 0x28A, 0x28B, 0x292, 0x39C, 0x3BC,
        0x1E9E, 0x212A, 0x212B, 0x2C65, 0x2C66, 0x2C7E,
    }),
)  # fmt: skip
_FORM_TABLES = {form.key: (form.outside, form.inside, form.not_non_word) for form in (QUICK, LATIN)}
_CONTROL_ESCAPES = {"n": 0xA, "t": 0x9, "r": 0xD, "f": 0xC, "v": 0xB, "a": 0x7}
_LONG_LIST = 64  # characters from the cut on in a class worth replacing by all of them
# What an ASCII pattern needs for an approximate form to differ: a Unicode class escape.
_APPROXIMATED = (r"\w", r"\W", r"\d", r"\D")
_APPROXIMATED_ESCAPES = "wWdD"


class Unsupported(ValueError):
    """The pattern uses what RE2 cannot run in linear time (lookaround, backreference)."""


def _class(pattern: str, i: int, form: _Form | None = None) -> tuple[str, int]:
    """Translate the character class opening at pattern[i] ('['); return it and the
    index just past its ']'. With `form`, that approximate form when it has one."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    if negated:
        j += 1
    if pattern.startswith(r"[^\W", i):
        end = pattern.index("]", i + 4)
        rest = pattern[i + 4 : end]
        if rest not in _NOT_NON_WORD:
            raise Unsupported(f"character class {pattern[i : end + 1]!r}")
        table = _NOT_NON_WORD if form is None else _FORM_TABLES[form.key][2]
        return table[rest], end + 1
    out = ["[^" if negated else "["]
    # For a form: each member as a code point (a range's ends too), the set of code
    # points below the cut for a class escape, "-" for a hyphen between members, or
    # None for what this does not read (the class then keeps its exact form).
    members: list[int | frozenset[int] | str | None] = []
    inside = {} if form is None else _FORM_TABLES[form.key][1]
    first = True
    while j < len(pattern):
        ch = pattern[j]
        if ch == "]" and not first:
            out.append("]")
            exact = "".join(out)
            if form is None:
                return exact, j + 1
            return _approximate_class(form, negated, members) or exact, j + 1
        first = False
        if ch == "\\":
            escaped = pattern[j + 1 : j + 2]
            j, text = _escape(pattern, j, inside=True)
            out.append(text)
            if escaped in inside:
                members.append(inside[escaped])
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


def _approximate_class(
    form: _Form, negated: bool, members: list[int | frozenset[int] | str | None]
) -> str | None:
    """The class in `form`, or None to keep the exact one: when it has no Unicode
    property nor a long list, or holds what this does not read."""
    if None in members:
        return None
    below: set[int] = set()
    escapes = 0
    others = 0
    for k, member in enumerate(members):
        if isinstance(member, frozenset):
            escapes += member is not form.space
            below |= member
        elif isinstance(member, int):
            low = high = member
            if k >= 2 and members[k - 1] == "-":
                continue  # the end of a range, taken with its start
            if k + 2 < len(members) and members[k + 1] == "-":
                end = members[k + 2]
                if not isinstance(end, int):
                    return None  # "a-\\w": not a range RE2 and Python read alike
                high = end
            if any(low <= c <= high for c in form.folds):
                return None
            below.update(range(low, min(high, form.cut - 1) + 1))
            others += max(0, high - max(low, form.cut) + 1)
        elif k == 0 or k == len(members) - 1:
            below.add(ord("-"))  # a hyphen first or last is itself
        elif not isinstance(members[k - 1], int) or not isinstance(members[k + 1], int):
            return None
        elif k >= 2 and members[k - 2] == "-":
            return None  # "a-c-e": ranges run together
    if not escapes and others <= _LONG_LIST:
        return None
    return form.text(below, negated)


def _escape(pattern: str, i: int, *, inside: bool, form: _Form | None = None) -> tuple[int, str]:
    ch = pattern[i + 1 : i + 2]
    if form is not None and not inside and ch in _APPROXIMATED_ESCAPES:
        return i + 2, _FORM_TABLES[form.key][0][ch]
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


def translate(pattern: str, flags: int = 0, *, quick: bool = False, latin: bool = False) -> str:
    """The RE2 pattern that matches what Python's `re` would, for the syntax we use.
    With `quick` or `latin`, that approximate form of it (see Regex), which is the
    exact one when the pattern has no class worth approximating."""
    form = LATIN if latin else QUICK if quick else None
    if form is None:
        key = (pattern, flags)
    elif pattern.isascii() and not any(e in pattern for e in _APPROXIMATED):
        return translate(pattern, flags)  # nothing to approximate: the exact form
    else:
        key = (pattern, flags | form.key)
    found = _KNOWN.get(key)
    if found is not None:
        # "" for an approximate form: the same as the exact one (kept short in the cache)
        return found if found or form is None else translate(pattern, flags)
    translated = _translate(pattern, flags, form)
    if _recorded is not None and len(_recorded) < _KNOWN_MAX:
        same = form is not None and translated == translate(pattern, flags)
        _recorded[key] = "" if same else translated
    return translated


def _translate(pattern: str, flags: int, form: _Form | None = None) -> str:
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
            i, text = _escape(pattern, i, inside=False, form=form)
            out.append(text)
        elif ch == "[":
            text, i = _class(pattern, i, form)
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
    read only ASCII there (and the neighbours are not word characters). Otherwise the
    Latin form, exact below U+0240, searches again from the same place, checked the same
    way, and only where it read more than Latin letters does the exact pattern search.
    Same matches, linear time.
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
        latin: Callable[[], str] | None = None,
    ) -> None:
        """With `lazy`, RE2 compiles the pattern on first use (the module-level patterns
        a run may never need cost the linter's start-up otherwise). `translated`: the
        pattern is already `translate`'s output (its own fixed point), so not again,
        `quick` its quick form (`translate(..., quick=True)`) and `latin` what gives its
        Latin form, when first needed (`translate(..., latin=True)`)."""
        if translated:
            exact = pattern
            body = pattern if quick is None else quick
        else:
            exact = translate(pattern, flags)
            body = translate(pattern, flags, quick=True)
            latin = partial(translate, pattern, flags, latin=True)
        self.pattern = pattern
        self.whole_words = whole_words
        self._approximated = body != exact  # the body's own classes, not its neighbours
        self._exact_body = exact
        self._latin_form = latin
        if whole_words:
            exact = f"(?:^|{NOT_WORD})({exact})(?:{NOT_WORD}|$)"
            body = f"(?:^|{QUICK.not_word})({body})(?:{QUICK.not_word}|$)"
        self._exact = exact if exact != body else ""
        self._body = body
        self._shift = 1 if whole_words else 0
        if not lazy:
            # Compiled now so that a refused pattern fails here. The other forms differ
            # only in some classes: they compile when a search needs them.
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
    def _latin(self) -> tuple[str, bool]:
        """The Latin form as searched ("" when it is the exact one), and whether its own
        classes differ from the exact pattern's (not only its neighbours)."""
        body = self._exact_body if self._latin_form is None else self._latin_form()
        approximated = body != self._exact_body
        if self.whole_words:
            body = f"(?:^|{LATIN.not_word})({body})(?:{LATIN.not_word}|$)"
        return ("" if body == self._exact else body), approximated

    @cached_property
    def _re(self) -> Any:
        return self._compile(self._body)

    @cached_property
    def _raw(self) -> Any:
        # The binding's own call: one C++ search returning every group's span, without
        # the Python wrapper's generator and match object (most of the cost per match).
        return self._re._regexp

    @cached_property
    def _latin_raw(self) -> Any:
        return self._compile(self._latin[0])._regexp

    @cached_property
    def _exact_raw(self) -> Any:
        return self._compile(self._exact)._regexp

    def _finder(self, ascii_text: bool) -> Callable[[Any, bytes, int, int], Any]:
        """The search for one scan of a text: RE2's own when its quick form cannot differ
        (ASCII text). Otherwise a form that was refused once is not searched again in
        the same scan: each refused search may have read to the end of the text (a quick
        `\\w+` runs over every non-ASCII character), and a refusal per match would make
        the scan quadratic; the next form searches the rest."""
        if ascii_text or not self._exact:
            return self._raw.Match  # type: ignore[no-any-return]
        level = 0  # the form searched first: 0 quick, 1 Latin, 2 exact

        def find(anchor: Any, data: bytes, at: int, size: int) -> list[tuple[int, int]]:
            nonlocal level
            found: list[tuple[int, int]]
            if level == 0:
                found = self._raw.Match(anchor, data, at, size)
                if found[0][0] < 0 or self._holds(data, found, QUICK):
                    return found
                level = 1 if self._latin[0] else 2
            if level == 1:
                found = self._latin_raw.Match(anchor, data, at, size)
                if found[0][0] < 0 or self._holds(data, found, LATIN):
                    return found
                level = 2
            return self._exact_raw.Match(anchor, data, at, size)  # type: ignore[no-any-return]

        return find

    def _holds(self, data: bytes, found: list[tuple[int, int]], form: _Form) -> bool:
        """Whether a match of `form` is the exact pattern's: its approximated classes
        read nothing from the form's cut on, its neighbours no word character."""
        start, end = found[self._shift]
        # UTF-8 lead bytes from 0x80 (ASCII) or 0xC9 (U+0240) on start what is past it
        first = 0x80 if form is QUICK else 0xC9
        approximated = self._approximated if form is QUICK else self._latin[1]
        if approximated and (
            not data[start:end].isascii() if form is QUICK else _PAST_LATIN.search(data, start, end)
        ):
            return False
        if self.whole_words:
            outer_start, outer_end = found[0]
            before = data[outer_start:start]
            if outer_start < start and before[0] >= first and _maybe_word(before):
                return False
            if end < outer_end and data[end] >= first and _maybe_word(data[end:outer_end]):
                return False
        return True

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


_PAST_LATIN = re.compile(rb"[\xc9-\xff]")  # a byte of a character from U+0240 on


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
