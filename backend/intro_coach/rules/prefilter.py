"""Cheap tests that rule a pattern out before its regular expression runs.

Python's regex engine tries every alternative of a pattern at every word of the draft,
and the analyzer runs on every keystroke. But most patterns contain a word that any
match must contain ("interview", "brain", "looking"); when none of a pattern's required
words is in the draft (a plain substring test, microseconds), the pattern cannot match
and is skipped. The required words are read from the compiled pattern itself, so the
rule pack stays plain regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from intro_coach.text import paragraphs, per_paragraph

# Any one of these substrings is in every match; None: nothing is known to be.
Requirement = frozenset[str] | None


def _best(candidates: list[frozenset[str]]) -> Requirement:
    # The requirement whose shortest word is longest rules out the most drafts.
    usable = [c for c in candidates if c and min(len(w) for w in c) >= 3]
    return max(usable, key=lambda c: min(len(w) for w in c), default=None)


def _requirement(items: Any) -> Requirement:
    """A set of words one of which every match of this parsed sequence contains."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(frozenset({"".join(run).lower()}))
            run.clear()

    for code, arg in items:
        op = str(code)  # opcodes print as their names: "LITERAL", "BRANCH", ...
        if op == "LITERAL":
            run.append(chr(arg))
            continue
        close_run()
        if op == "SUBPATTERN":
            sub = _requirement(arg[-1])
            if sub:
                candidates.append(sub)
        elif op == "BRANCH":
            alternatives = [_requirement(alt) for alt in arg[1]]
            if all(alternatives):
                candidates.append(frozenset().union(*(a for a in alternatives if a)))
        elif op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
            sub = _requirement(arg[2])
            if sub:
                candidates.append(sub)
    close_run()
    return _best(candidates)


def required_words(pattern: str, flags: int = 0) -> Requirement:
    return _requirement(_parser.parse(pattern, flags))


class Phrases:
    """Alternatives matched as whole words, in one regex built from those that can match.

    With `capture`, each alternative is a group, so a match tells which one it was.
    Without `whole_words`, the alternatives say themselves where words begin and end.
    """

    def __init__(
        self,
        alternatives: Sequence[str],
        *,
        capture: bool = False,
        flags: re.RegexFlag = re.IGNORECASE,
        whole_words: bool = True,
    ) -> None:
        self._alternatives = tuple(f"({a})" if capture else f"(?:{a})" for a in alternatives)
        # Which alternatives each required word lets through, as bits, so that ruling
        # patterns out costs one substring test per distinct word.
        self._always = 0
        self._bits_by_word: dict[str, int] = {}
        for i, need in enumerate(required_words(a, flags) for a in alternatives):
            if need is None:
                self._always |= 1 << i
            for word in need or ():
                self._bits_by_word[word] = self._bits_by_word.get(word, 0) | 1 << i
        self._flags = flags
        self._template = r"(?<!\w)(?:{})(?!\w)" if whole_words else "(?:{})"
        self._compiled(tuple(range(len(alternatives))))  # a bad pattern fails at load time

    @lru_cache(maxsize=256)  # noqa: B019 - one instance per pack, kept for the process
    def _compiled(self, active: tuple[int, ...]) -> re.Pattern[str]:
        # One boundary check around the whole alternation, not one per pattern: inside a
        # word the search then fails at once. Backtracking still tries the next pattern
        # when the closing boundary fails, so the matches are the same.
        body = "|".join(self._alternatives[i] for i in active)
        return re.compile(self._template.format(body), self._flags)

    def _pattern(self, text: str) -> tuple[re.Pattern[str], tuple[int, ...]] | None:
        lowered = text.lower()
        bits = self._always
        for word, word_bits in self._bits_by_word.items():
            if word in lowered:
                bits |= word_bits
        return self._by_bits(bits) if bits else None

    @lru_cache(maxsize=256)  # noqa: B019 - one instance per pack, kept for the process
    def _by_bits(self, bits: int) -> tuple[re.Pattern[str], tuple[int, ...]]:
        active = tuple(i for i in range(len(self._alternatives)) if bits >> i & 1)
        return self._compiled(active), active

    def finditer(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(alternative index, start, end) of each match; the index needs `capture`.

        Results are remembered per paragraph: while someone types, every request repeats
        all paragraphs but one, and only that one is searched again. A match never spans
        a blank line, so nothing is lost by cutting there.
        """
        for offset, paragraph in paragraphs(text):
            for index, start, end in self._scan(paragraph):
                yield index, offset + start, offset + end

    @per_paragraph  # one instance per pattern list, kept for the process
    def _scan(self, paragraph: str) -> tuple[tuple[int, int, int], ...]:
        found = self._pattern(paragraph)
        if found is None:
            return ()
        regex, active = found
        return tuple(
            (active[(m.lastindex or 1) - 1], m.start(), m.end()) for m in regex.finditer(paragraph)
        )

    def search(self, text: str) -> bool:
        """Whether any alternative matches."""
        return any(self._scan(paragraph) for _, paragraph in paragraphs(text))

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        found = self._pattern(text)
        if found is not None:
            yield from found[0].finditer(text)
