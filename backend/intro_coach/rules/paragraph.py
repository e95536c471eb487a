"""What the rules read in one paragraph of the writer's own words, as one memo entry.

While someone types, every request repeats all paragraphs but one. Each paragraph's
phrase matches, counts, sentences and durations are kept together in one entry of the
shared, byte-bounded paragraph memo (text.PARAGRAPH_MEMO), so that an unchanged
paragraph costs the analyzer one lookup however many rules and checks read it. Each part
is worked out when first asked for (the time budget can stop an analysis between parts,
and a part that raised is simply not kept) and charged to the entry then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from intro_coach import referrer, stats
from intro_coach.asks import AskWords, Sentence
from intro_coach.rules import Hit, checks
from intro_coach.rules.pack import PackRule, RuleScanner, match_case
from intro_coach.rules.prefilter import MatchIndex, Phrases, ruling_out
from intro_coach.schema import FieldName
from intro_coach.text import PARAGRAPH_MEMO, per_paragraph, unremembered

Spans = tuple[tuple[int, int, int, int], ...]  # (rule, pattern, start, end) of each match
Counts = tuple[int, int, int, int]  # words, sentences, questions, syllables
Durations = tuple[tuple[int, int, bool], ...]  # (start, end, too long)
People = tuple[tuple[referrer.Person, ...], ...]
WordSpans = tuple[tuple[int, int], ...]

# The functions each part comes from, without their own memo entries: the parts are
# kept here instead, once.
_counts = unremembered(stats._paragraph_counts)
_word_spans = unremembered(stats.word_spans)
_durations = unremembered(checks._durations)
_scan = unremembered(RuleScanner.scan)
_read = unremembered(AskWords._read_paragraph)
_people = unremembered(referrer._people)


class Paragraph:
    """The parts of one paragraph's analysis, each worked out once (see the module)."""

    __slots__ = (
        "_body_hits", "_counts", "_durations", "_matching", "_people", "_phrases", "_reader",
        "_sentences", "_thanks", "_words", "text",
    )  # fmt: skip

    def __init__(self, text: str, reader: ParagraphReader) -> None:
        self.text = text
        self._reader = reader
        self._matching: frozenset[int] | None = None
        self._words: WordSpans | None = None
        self._phrases: Spans | None = None
        self._counts: Counts | None = None
        self._sentences: tuple[Sentence, ...] | None = None
        self._durations: Durations | None = None
        self._thanks: tuple[int, ...] | None = None
        self._people: People | None = None
        self._body_hits: tuple[Hit, ...] | None = None

    def _charge(self, size: int) -> None:
        PARAGRAPH_MEMO.charge(self.text, size)

    def _only_matching(self) -> ruling_out:
        """While a part is worked out: the phrase lists that cannot match here skipped
        (when the pack's index is built, see MatchIndex)."""
        index = self._reader.index
        if index is None:
            return ruling_out(self.text, None, None)
        matching = self._matching
        if matching is None:
            matching = self._matching = index.matching(self.text)
        return ruling_out(self.text, index, matching)

    @property
    def phrases(self) -> Spans:
        found = self._phrases
        if found is None:
            with self._only_matching():
                found = self._phrases = _scan(self._reader.scanner, self.text)
            self._charge(80 + 100 * len(found))
        return found

    @property
    def body_hits(self) -> tuple[Hit, ...]:
        """The phrase rules' hits as the body's, at offsets in this paragraph, for a
        body in which nothing is masked (the paragraph is then the body's own text)."""
        found = self._body_hits
        if found is None:
            found = self._body_hits = tuple(
                phrase_hits(self._reader.scanner.rules, "body", self.phrases, 0, self.text)
            )
            self._charge(80 + sum(400 + 2 * len(h.match) for h in found))
        return found

    @property
    def counts(self) -> Counts:
        found = self._counts
        if found is None:
            found = self._counts = _counts(self.text)
            self._charge(120)
        return found

    @property
    def word_spans(self) -> WordSpans:
        found = self._words
        if found is None:
            found = self._words = _word_spans(self.text)
            self._charge(80 + 72 * len(found))
        return found

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        found = self._sentences
        if found is None:
            with self._only_matching():
                found = self._sentences = _read(self._reader.asks, self.text)
            self._charge(80 + sum(220 + 170 * len(s.asks) for s in found))
        return found

    @property
    def reports(self) -> bool:
        """Whether a sentence reports an ask someone else advised (Sentence.reported)."""
        return any(s.reported for s in self.sentences)

    @property
    def durations(self) -> Durations:
        found = self._durations
        if found is None:
            found = self._durations = _durations(self.text)
            self._charge(80 + 100 * len(found))
        return found

    @property
    def people(self) -> People:
        """Who the paragraph names as a referrer, by each way of saying it."""
        found = self._people
        if found is None:
            with self._only_matching():
                found = self._people = _people(self.text)
            self._charge(80 + sum(60 + 300 * len(p) for p in found))
        return found

    @property
    def thanks(self) -> tuple[int, ...]:
        """Where the paragraph thanks the reader: the starts of its thanks phrases, less
        those inside a phrase that only looks like one ("thanks to my manager")."""
        found = self._thanks
        if found is None:
            text, reader = self.text, self._reader
            with self._only_matching():
                starts = [start for _, start, _ in reader.thanks.spans(text)]
                muted = [(s, e) for _, s, e in reader.not_thanks.spans(text)] if starts else []
            found = self._thanks = tuple(
                start for start in starts if not any(s <= start < e for s, e in muted)
            )
            self._charge(40 + 8 * len(found))
        return found


def phrase_hits(
    rules: Sequence[PackRule], field: FieldName, spans: Spans, offset: int, source: str
) -> Iterator[Hit]:
    """The hits of the phrase rules that apply to `field`, from their matches (`spans`)
    in a paragraph at `offset` of `source`."""
    for r, index, start, end in spans:
        rule = rules[r]
        if field not in rule.fields:
            continue
        start, end = start + offset, end + offset
        # The writer's own spelling (line breaks and all) is what is returned.
        matched = source[start:end]
        yield Hit(
            rule=rule.id,
            severity=rule.severity,
            field=field,
            start=start,
            end=end,
            match=matched,
            message=rule.message,
            explanation=rule.explanation,
            link=rule.link,
            replacements=tuple(match_case(s, matched) for s in rule.replacements[index]),
        )


class ParagraphReader:
    """One per rule pack: its paragraphs' entries (its phrases, its ask words)."""

    def __init__(
        self, scanner: RuleScanner, asks: AskWords, thanks: Phrases, not_thanks: Phrases
    ) -> None:
        self.scanner = scanner
        self.asks = asks
        self.thanks = thanks
        self.not_thanks = not_thanks
        self.index: MatchIndex | None = None

    def build_index(self) -> None:
        """Index every phrase list read in a paragraph (see MatchIndex): worth its
        compilation in a long-running service, not in one linter run."""
        if self.index is not None:
            return
        lists = [
            *(rule.phrases for rule in self.scanner.rules),
            *self.asks.phrase_lists,
            self.thanks,
            self.not_thanks,
            *(v for v in vars(referrer).values() if isinstance(v, Phrases)),
        ]
        unique = list({id(p): p for p in lists}.values())
        self.index = MatchIndex(unique)

    @per_paragraph
    def paragraph(self, text: str) -> Paragraph:
        return Paragraph(text, self)
