"""Counting words, sentences, questions and the reading grade of the writer's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'”’)\]]|$)")
_QUESTION = re.compile(r"\?+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class TextStats:
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


def measure(text: str) -> TextStats:
    words = WORD.findall(text)
    if not words:
        return TextStats(0, 0, 0, 0.0)
    # A paragraph that ends without punctuation (a greeting, a sign-off) still ends.
    sentences = len(_SENTENCE_END.findall(text)) + sum(
        1 for para in re.split(r"\n\s*\n", text) if para.strip() and not _SENTENCE_END.search(para)
    )
    sentences = max(1, sentences)
    total_syllables = sum(syllables(w) for w in words)
    # Flesch-Kincaid grade level, the measure Boomerang's study used.
    grade = 0.39 * len(words) / sentences + 11.8 * total_syllables / len(words) - 15.59
    return TextStats(len(words), sentences, len(_QUESTION.findall(text)), round(max(0.0, grade), 1))
