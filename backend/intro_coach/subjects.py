"""Subject lines to offer: naming the referrer, or the topic the draft is about.

A careful person would rather send no suggestion than a garbled one, so a topic is only
offered when it reads as a noun phrase ("UX research in Portland", "open banking"), never
a clause lifted from the draft ("you moved into UX", "hiring managers look"); and topic
subjects are only offered when the draft's own subject says nothing (empty, or only
words like "Quick question"), since a subject the writer chose is at least as good as
one we guess. The words are in the rule pack's `subjects` section.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intro_coach import linear

MAX_SUBJECT = 60
MAX_TOPIC_WORDS = 6
_TOKEN = linear.tokenizer(r"[^\s.,;:!?()\[\]\"“”]+|[.,;:!?()\[\]\"“”]")
# Triggers read before giving up: a draft whose first ones lead to no noun phrase is
# not going to get a topic subject (and a 100 KB one must not cost a scan per trigger).
_MAX_TRIGGERS = 20
_WORDLIKE = linear.tokenizer(r"[\w][\w&'’/+-]*")

_TEMPLATES = (
    ("Question about {t}", "Says what you want to talk about, in a few words."),
    ("Your take on {t}?", "Asks for their view, which people like to give."),
    ("20 minutes on {t}?", "A small, specific ask is easy to say yes to."),
)


def _word_starts(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


class SubjectWordsError(ValueError):
    """The `subjects` section of the rule pack is malformed."""


def _words(section: Mapping[str, Any], key: str) -> frozenset[str]:
    """A word list, written as one string of words separated by spaces."""
    value = section.get(key)
    if not isinstance(value, str) or not value.split():
        raise SubjectWordsError(f"subjects: '{key}' must be a string of words")
    return frozenset(value.casefold().split())


@dataclass(frozen=True)
class SubjectWords:
    """The pack's words for suggesting subjects."""

    triggers: linear.Regex  # what comes right before a topic ("your take on")
    generic: frozenset[str]  # words of a subject that says nothing ("quick question")
    not_topic: frozenset[str]  # words no topic noun phrase contains (pronouns, verbs)
    joiners: frozenset[str]  # words inside a noun phrase ("in", "of", "and")
    vague: frozenset[str]  # a topic of just these says nothing ("the field")
    trailing: frozenset[str]  # words dropped from a topic's end ("scene", "space")

    @classmethod
    def parse(cls, section: Any, *, validate: bool = True) -> SubjectWords:
        """Without `validate`, RE2 compiles the trigger pattern when a draft first needs
        it (its bounded repeats make it the slowest of the pack's to compile)."""
        if not isinstance(section, Mapping):
            raise SubjectWordsError("subjects: must be a mapping")
        triggers = section.get("topic_after")
        if not isinstance(triggers, list) or not all(isinstance(t, str) for t in triggers):
            raise SubjectWordsError("subjects: 'topic_after' must be a list of strings")
        try:
            pattern = linear.Regex(
                r"(?:" + "|".join(triggers) + r")\s+", re.IGNORECASE, lazy=not validate
            )
        except (re.error, linear.Unsupported) as exc:
            raise SubjectWordsError(f"subjects: bad pattern in 'topic_after': {exc}") from exc
        return cls(
            triggers=pattern,
            generic=_words(section, "generic"),
            not_topic=_words(section, "not_topic"),
            joiners=_words(section, "joiners"),
            vague=_words(section, "vague"),
            trailing=_words(section, "trailing"),
        )

    def says_nothing(self, subject: str, recipient_names: frozenset[str] = frozenset()) -> bool:
        """An empty subject, or one of only generic words ("Hello!", "Quick question")."""
        words = [w.casefold() for w in _WORDLIKE.findall(subject)]
        return all(w in self.generic or w in recipient_names for w in words)

    def topic(self, text: str) -> str | None:
        """The first noun phrase after a topic trigger that reads as one."""
        triggers = self.triggers.finditer(text, accept=lambda m: _word_starts(text, m.start()))
        for _, m in zip(range(_MAX_TRIGGERS), triggers, strict=False):
            found = self._noun_phrase(text[m.end() : m.end() + 200])
            if found:
                return found
        return None

    def _noun_phrase(self, after: str) -> str | None:
        words: list[str] = []
        for token in _TOKEN.findall(after):
            if not _WORDLIKE.fullmatch(token):
                break  # punctuation ends the phrase
            folded = token.casefold().strip("'’")
            if folded in self.not_topic:
                if words and words[-1].casefold() in self.joiners:
                    words.pop()  # "design in" + "your city": the phrase ended before
                if not words:
                    return None  # it starts with a pronoun or a verb: a clause
                break
            words.append(token)
            if len(words) > MAX_TOPIC_WORDS + 2:
                return None  # a clause that happens to have no stop word
        while words and words[0].casefold() in ("the", "a", "an"):
            words.pop(0)
        while words and (
            words[-1].casefold() in self.joiners or words[-1].casefold() in self.trailing
        ):
            words.pop()
        # "the UX research scene in Portland" reads better without the "scene".
        words = [
            w
            for i, w in enumerate(words)
            if not (
                w.casefold() in self.trailing
                and i + 1 < len(words)
                and words[i + 1].casefold() in self.joiners
            )
        ]
        if not words or len(words) > MAX_TOPIC_WORDS:
            return None
        if all(w.casefold() in self.vague or w.casefold() in self.joiners for w in words):
            return None
        if len(words) == 1 and words[0].casefold().endswith("ing"):
            return None  # "working": the verb of a clause, not what it is about
        return " ".join(words)


def topic_subjects(topic: str) -> list[tuple[str, str]]:
    out = []
    for template, reason in _TEMPLATES:
        subject = template.format(t=topic)
        if len(subject) <= MAX_SUBJECT:
            out.append((subject, reason))
    return out
