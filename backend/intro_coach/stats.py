"""Counting words, sentences, questions and the reading grade of the writer's text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from intro_coach import linear
from intro_coach.text import paragraphs, per_paragraph

WORD = linear.tokenizer(r"[^\W_]+(?:['’\-][^\W_]+)*")
_END_MARKS = linear.tokenizer(r"[.!?…]+")
_AFTER_END = frozenset("\"'”’)]")  # or whitespace, or the end: then the marks end a sentence
_QUESTION = linear.tokenizer(r"\?+")
_VOWEL_GROUPS = linear.tokenizer(r"[aeiouy]+")
_VOWELS = frozenset("aeiouyAEIOUY")


@dataclass(frozen=True)
class TextStats:
    """Counts of one text: words, sentences and more."""

    words: int
    sentences: int
    questions: int
    reading_grade: float


def syllables(word: str) -> int:
    """A vowel-group estimate; good enough for a grade level, and free of dictionaries."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def count_syllables(text: str, words: list[str]) -> int:
    """The sum of `syllables` over `words` (the words of `text`), without a call per word:
    this runs on every keystroke."""
    groups = len(_VOWEL_GROUPS.findall(text.lower()))
    silent = sum(
        1
        for w in words
        if w[-1] in "eE"
        and not w.lower().endswith(("le", "ee", "ye"))
        and len(_VOWEL_GROUPS.findall(w.lower())) > 1
    )
    # A word with no vowel at all ("20", "Mr", "TV") still counts one syllable.
    no_vowels = sum(1 for w in words if _VOWELS.isdisjoint(w))
    return groups - silent + no_vowels


@per_paragraph
def word_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """Where each word of one paragraph starts and ends."""
    return tuple(m.span() for m in WORD.finditer(paragraph))


def word_after(
    text: str,
    count: int,
    words_per_paragraph: Sequence[int] | None = None,
    spans_of: Callable[[int], tuple[tuple[int, int], ...]] | None = None,
) -> tuple[int, int] | None:
    """Where word number `count` (from 0) starts and where the text's last word ends;
    None when the text has no more words than that. Only the paragraphs holding those
    two words are scanned for positions: the others' counts are remembered (or given,
    in `words_per_paragraph`, one count per paragraph of `text`, and `spans_of`, the
    `word_spans` of paragraph number i)."""
    seen = 0
    start = None
    last_end = None
    split = paragraphs(text)
    spans = spans_of or (lambda i: word_spans(split[i][1]))
    for i, (offset, paragraph) in enumerate(split):
        words = (
            _paragraph_counts(paragraph)[0]
            if words_per_paragraph is None
            else words_per_paragraph[i]
        )
        if not words:
            continue
        if start is None and seen + words > count:
            start = offset + spans(i)[count - seen][0]
        seen += words
        last_end = i
    if start is None or last_end is None:
        return None
    return start, split[last_end][0] + spans(last_end)[-1][1]


@per_paragraph
def _paragraph_counts(paragraph: str) -> tuple[int, int, int, int]:
    """Words, sentences, questions and syllables of one paragraph."""
    words = WORD.findall(paragraph)
    if not words:
        return 0, 0, 0, 0
    ends = sum(1 for m in _END_MARKS.finditer(paragraph) if _ends_sentence(paragraph, m.end()))
    # A paragraph that ends without punctuation (a greeting, a sign-off) still ends.
    sentences = ends or 1
    questions = paragraph.count("?")
    if "??" in paragraph:
        questions = len(_QUESTION.findall(paragraph))  # "??" asks one question
    return len(words), sentences, questions, count_syllables(paragraph, words)


def _ends_sentence(text: str, end: int) -> bool:
    return end == len(text) or text[end].isspace() or text[end] in _AFTER_END


def measure(text: str) -> TextStats:
    return total([_paragraph_counts(paragraph) for _, paragraph in paragraphs(text)])


def total(counts: Sequence[tuple[int, int, int, int]]) -> TextStats:
    """The statistics of a text from its paragraphs' counts (`_paragraph_counts`)."""
    words, sentences, questions, total_syllables = (sum(c) for c in zip(*counts, strict=True))
    if not words:
        return TextStats(0, 0, 0, 0.0)
    # Flesch-Kincaid grade level, the measure Boomerang's study used.
    grade = 0.39 * words / sentences + 11.8 * total_syllables / words - 15.59
    return TextStats(words, sentences, questions, round(max(0.0, grade), 1))
