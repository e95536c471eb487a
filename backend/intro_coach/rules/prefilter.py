"""Cheap tests that rule a pattern out before its regular expression runs.

Even a linear-time engine runs every alternative of a pattern over the draft, and the
analyzer runs on every keystroke. But most patterns contain a word that any
match must contain ("interview", "brain", "looking"); when none of a pattern's required
words is in the draft (a plain substring test, microseconds), the pattern cannot match
and is skipped. The required words are read from the compiled pattern itself, so the
rule pack stays plain regular expressions.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache, partial
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import re2

from intro_coach.linear import Match, Regex, translate
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


# Requirements already worked out, by (pattern, flags): filled from the start-up cache
# (see pack_cache.py) so that a run skips parsing every pattern of the pack again.
# Only the pack's and our own patterns come here, never a draft's; bounded anyway.
_KNOWN: dict[tuple[str, int], Requirement] = {}
_KNOWN_MAX = 20_000


def required_words(pattern: str, flags: int = 0) -> Requirement:
    key = (pattern, flags)
    if key in _KNOWN:
        return _KNOWN[key]
    found = _requirement(_parser.parse(pattern, flags))
    if len(_KNOWN) < _KNOWN_MAX:
        _KNOWN[key] = found
    return found


def known_requirements() -> dict[tuple[str, int], Requirement]:
    return dict(_KNOWN)


def remember_requirements(known: dict[tuple[str, int], Requirement]) -> None:
    for key, value in known.items():
        if len(_KNOWN) >= _KNOWN_MAX:
            return
        _KNOWN.setdefault(key, value)


_INLINE_FLAGS = int(re.IGNORECASE | re.DOTALL | re.MULTILINE)
_VERBOSE = int(re.VERBOSE)
_LONGEST_NOT = 20  # characters: the longest word a `not_after` list can hold


def _fold_quotes(text: str) -> str:
    return text.casefold().replace("’", "'")


class Phrases:
    """Alternatives matched as whole words, in one regex built from those that can match.

    With `capture`, each alternative is a group, so a match tells which one it was.
    Without `whole_words`, the alternatives say themselves where words begin and end.
    Matching is RE2's (see linear.py): linear in the text whatever the alternatives.
    """

    def __init__(
        self,
        alternatives: Sequence[str],
        *,
        capture: bool = False,
        flags: int = re.IGNORECASE,
        whole_words: bool = True,
        not_after: Sequence[Sequence[str]] = (),
        not_before: Sequence[Sequence[str]] = (),
        validate: bool = True,
    ) -> None:
        """`not_after[i]`: words that, right before a match of alternative i (and one
        space), cancel it ("not attached my CV"); `not_before[i]`: words that cancel it
        right after it ("included my resume link")."""
        # Each alternative keeps its own flags (a verbose one is made plain here), so that
        # any subset of them can be joined into one pattern.
        flags = int(flags)  # plain ints: RegexFlag's operators cost a microsecond each
        inline = translate("", flags & _INLINE_FLAGS)
        verbose = flags & _VERBOSE
        plain = [translate(a, verbose) for a in alternatives]
        quick = [translate(a, verbose, quick=True) for a in alternatives]
        wrap = "({})" if capture else "(?:{})"
        self._alternatives = tuple(wrap.format(a) for a in plain)
        self._quick = tuple(wrap.format(a) for a in quick)  # see linear.Regex
        self._source = (tuple(alternatives), verbose, wrap)  # for the Latin form
        self._inline = inline
        # Which alternatives each required word lets through, as bits, so that ruling
        # patterns out costs one substring test per distinct word.
        self._always = 0
        self._bits_by_word: dict[str, int] = {}
        for i, need in enumerate(required_words(a, flags) for a in alternatives):
            if need is None:
                self._always |= 1 << i
            for word in need or ():
                self._bits_by_word[word] = self._bits_by_word.get(word, 0) | 1 << i
        self._not_after = {
            i: tuple(_fold_quotes(w) for w in words) for i, words in enumerate(not_after) if words
        }
        self._not_before = {
            i: tuple(_fold_quotes(w) for w in words) for i, words in enumerate(not_before) if words
        }
        # All the required words in one RE2 set: one pass over the text says which are
        # there (a substring test per word cost more than the searches it saved).
        self._word_bits = list(self._bits_by_word.values())
        self._whole_words = whole_words
        self._capture = capture
        if validate:  # a bad pattern fails at load time, not on the draft that needs it
            self._compiled(tuple(range(len(alternatives))))

    @cached_property
    def _word_set(self) -> re2.Set | None:
        """Built when first needed: the lists a `PhraseLists` holds use its set instead."""
        return _word_set(self._bits_by_word)

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per pack; each holds an RE2 automaton
    def _compiled(self, active: tuple[int, ...]) -> Regex:
        body = "|".join(self._alternatives[i] for i in active)
        quick = "|".join(self._quick[i] for i in active)
        return Regex(
            f"{self._inline}(?:{body})",
            whole_words=self._whole_words,
            translated=True,
            quick=f"{self._inline}(?:{quick})",
            latin=partial(self._latin_form, active),
        )

    def _latin_form(self, active: tuple[int, ...]) -> str:
        """The Latin form of these alternatives (linear.Regex), worked out when a search
        first needs it: only drafts with accented letters next to a match do."""
        alternatives, verbose, wrap = self._source
        body = "|".join(
            wrap.format(translate(alternatives[i], verbose, latin=True)) for i in active
        )
        return f"{self._inline}(?:{body})"

    def _pattern(self, text: str) -> tuple[Regex, tuple[int, ...]] | None:
        bits = self._always
        if self._word_set is not None:
            present: Any = self._word_set.Match(text.encode("utf-8", "surrogatepass"))
            for found in present or ():
                bits |= self._word_bits[found]
        return self._by_bits(bits) if bits else None

    def whole_pattern(self) -> str:
        """The RE2 pattern of all the alternatives, as searched first (not compiled
        here): its quick form, which matches wherever the exact one does."""
        body = f"{self._inline}(?:{'|'.join(self._alternatives)})"
        quick = f"{self._inline}(?:{'|'.join(self._quick)})"
        regex = Regex(body, whole_words=self._whole_words, lazy=True, translated=True, quick=quick)
        return regex.body

    @property
    def word_bits(self) -> dict[str, int]:
        """Each required word and the alternatives it lets through, as bits."""
        return self._bits_by_word

    @property
    def always(self) -> int:
        """The alternatives no word rules out, as bits."""
        return self._always

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per pack; each holds an RE2 automaton
    def _by_bits(self, bits: int) -> tuple[Regex, tuple[int, ...]]:
        everything = tuple(range(len(self._alternatives)))
        active = tuple(i for i in everything if bits >> i & 1)
        if 2 * len(active) > len(everything):
            # Most alternatives can match: the full pattern, compiled at load time, finds
            # the same. Compiling a large new subset is one long call that holds the GIL
            # (and so the event loop) for tens of milliseconds.
            active = everything
        return self._compiled(active), active

    def spans(
        self, text: str, *, unfiltered: bool = False, bits: int | None = None
    ) -> Iterator[tuple[int, int, int]]:
        """(alternative index, start, end) of each match in `text`, not remembered; the
        index needs `capture` (else it is 0). `unfiltered` tries every alternative;
        `bits`: the alternatives a `PhraseLists` found possible in `text`."""
        if not unfiltered and _ruled_out(self, text):
            return
        if unfiltered:
            found: tuple[Regex, tuple[int, ...]] | None = self._by_bits(
                (1 << len(self._alternatives)) - 1
            )
        elif bits is not None:
            found = self._by_bits(bits) if bits else None
        else:
            found = self._pattern(text)
        if found is None:
            return
        regex, active = found
        guarded = bool(self._not_after or self._not_before)
        if not self._capture and not guarded:
            for start, end in regex.spans(text):
                yield 0, start, end
            return

        def index_of(m: Match) -> int:
            return active[(m.first_group or 1) - 1] if self._capture else 0

        def accept(m: Match) -> bool:
            index = index_of(m)
            words = self._not_after.get(index)
            start = m.start()
            if words and start >= 2 and text[start - 1].isspace():
                before = _fold_quotes(text[max(0, start - 1 - _LONGEST_NOT) : start - 1])
                if before.endswith(words):
                    return False
            words = self._not_before.get(index)
            end = m.end()
            if words and end + 1 < len(text) and text[end].isspace():
                after = _fold_quotes(text[end + 1 : end + 2 + _LONGEST_NOT])
                for word in words:
                    if after.startswith(word) and not after[len(word) : len(word) + 1].isalnum():
                        return False
            return True

        for m in regex.finditer(text, accept=accept if guarded else None):
            yield index_of(m), m.start(), m.end()

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
        return tuple(self.spans(paragraph))

    def search(self, text: str) -> bool:
        """Whether any alternative matches."""
        return any(self._scan(paragraph) for _, paragraph in paragraphs(text))

    def matches(self, text: str) -> Iterator[Match]:
        """Every match with its groups (numbered and named as in the alternatives)."""
        if _ruled_out(self, text):
            return
        found = self._pattern(text)
        if found is not None:
            yield from found[0].finditer(text)


def _word_set(words: Iterable[str]) -> re2.Set | None:
    """The words in one RE2 set, in order, matched in any case; None for no words."""
    escape = re2._re2.RE2.QuoteMeta  # type: ignore[attr-defined] # the wrapper's, minus two copies
    found = re2.Set.SearchSet(_WORD_OPTIONS)
    count = 0
    for word in words:
        found.Add(escape(word.encode()))
        count += 1
    if not count:
        return None
    found.Compile()
    return found


_WORD_OPTIONS = re2.Options()
_WORD_OPTIONS.case_sensitive = False
_WORD_OPTIONS.max_mem = 64 << 20  # literals only: the automaton stays small


class PhraseLists:
    """The required words of several phrase lists in one RE2 set, so that a text is
    scanned once for all of them rather than once per list."""

    def __init__(self, lists: Sequence[Phrases]) -> None:
        self.lists = tuple(lists)
        self._ids = frozenset(id(p) for p in self.lists)  # the lists are kept: ids stay theirs
        self._always = tuple(p.always for p in lists)
        # Per word of the set: (list index, bits) for each list that requires it.
        by_word: dict[str, list[tuple[int, int]]] = {}
        for index, phrases in enumerate(lists):
            for word, bits in phrases.word_bits.items():
                by_word.setdefault(word, []).append((index, bits))
        self._word_lists = [tuple(v) for v in by_word.values()]
        self._word_set = _word_set(by_word)

    def bits(self, text: str) -> list[int]:
        """For each list, the alternatives that can match in `text` (for `spans`)."""
        known = getattr(_hint, "known", None)
        if known is not None and known[0] is text:
            # Every list ruled out (see _ruled_out), in two set operations.
            _, index, matching = known
            if self._ids <= index.indexed and self._ids.isdisjoint(matching):
                return [0] * len(self.lists)
        out = list(self._always)
        if self._word_set is not None:
            present: Any = self._word_set.Match(text.encode("utf-8", "surrogatepass"))
            for found in present or ():
                for index, bits in self._word_lists[found]:
                    out[index] |= bits
        return out


class MatchIndex:
    """Several phrase lists' whole patterns in one RE2 set: one pass over a paragraph says
    which lists match anywhere in it, so that the others are never searched there (most
    lists whose words a paragraph has still do not match in it). Compiling the set
    takes tens of milliseconds, so the service builds it at start-up (a linter run
    would not get them back).

    Used through `ruling_out`: while it is in effect for a text, every `Phrases` of the
    index that does not match there yields nothing for that text at once. Only
    paragraphs up to `MAX_CHARS` are indexed: the set's automaton is then never asked
    for more states per search than that, well inside its memory."""

    MAX_CHARS = 4000

    def __init__(self, lists: Sequence[Phrases]) -> None:
        self._ids = tuple(id(p) for p in lists)
        self.indexed = frozenset(self._ids)
        self._lists = tuple(lists)  # kept alive: their ids must stay theirs
        options = re2.Options()
        options.max_mem = 64 << 20
        self._set = re2.Set.SearchSet(options)
        for phrases in lists:
            self._set.Add(phrases.whole_pattern().encode())
        self._set.Compile()

    def matching(self, text: str) -> frozenset[int] | None:
        """The ids of the lists that match somewhere in `text` (the others of the index
        cannot); None when the text is too long to be indexed."""
        if len(text) > self.MAX_CHARS:
            return None
        found: Any = self._set.Match(text.encode("utf-8", "surrogatepass"))
        ids = self._ids
        return frozenset([ids[n] for n in found]) if found else frozenset()


_hint = threading.local()


class ruling_out:
    """Within the block, the lists of `index` that are not among `matching` yield
    nothing for `text` (that very object: a paragraph's parts are all read from it)."""

    __slots__ = ("_known", "_previous")

    def __init__(self, text: str, index: MatchIndex | None, matching: frozenset[int] | None):
        self._known = None if index is None or matching is None else (text, index, matching)

    def __enter__(self) -> None:
        self._previous = getattr(_hint, "known", None)
        _hint.known = self._known

    def __exit__(self, *_: object) -> None:
        _hint.known = self._previous


def _ruled_out(phrases: Phrases, text: str) -> bool:
    known = getattr(_hint, "known", None)
    if known is None or known[0] is not text:
        return False
    key = id(phrases)
    return key in known[1].indexed and key not in known[2]
