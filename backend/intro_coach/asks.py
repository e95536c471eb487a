"""What the writer asks the reader for, read once per sentence.

Several rules depend on one reading of the draft: `job-ask` fires on a request for a job,
`no-clear-ask` when nothing is asked, `no-time-frame` only when a conversation is asked
for, `no-opinion-ask` only when the reader's own time is. Reading it once, here, keeps
them agreeing with each other.

A sentence asks for something when it is a question or has a request frame ("would
you", "I'd love", "I was hoping", "please"); what it asks for is read from the phrases
naming each kind (a call, their take, an introduction, a role on their team). A phrase
does not count when its clause says it is not asked for: a negation ("I'm not asking
for a job"), reported speech ("friends told me to ask about openings"), the writer's
own hypothetical ("if I were to apply") or the writer's own offer ("I'd be happy to jump
on a call"). A call or meeting named in a statement before the request ("I'm preparing
for a meeting with my board, and I'd value your thoughts") is not the one asked for, and
a call "about it" in an email that asks for a job is that job ask. Some job phrases are
asks even in a plain statement ("I've already applied for the analyst role", "I'm
interested in the designer position"). The words are data in the rule pack (`asks`
section).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Literal, TypeVar

from intro_coach import budget, linear
from intro_coach.rules.prefilter import PhraseLists, Phrases
from intro_coach.text import paragraphs, per_paragraph

_T = TypeVar("_T")
Kind = Literal["advice", "conversation", "introduction", "job"]
KINDS: tuple[Kind, ...] = ("advice", "conversation", "introduction", "job")
_BLOCKERS = ("negation", "reported", "hypothetical", "offer")

# Where a sentence ends: terminal punctuation followed by a space or the end, or a line
# break after a line that reads as a unit of its own (a greeting, a sign-off).
# (A mail file's lines end in CR LF: the CR is space, never part of a sentence.)
_SENTENCE_END = linear.compile(r"[.!?…]+[\"'”’)\]]*(?:[ \t\r]+|\n|$)|\n")
# A word before a full stop that does not end a sentence ("Dr. Patel", "e.g. design").
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st jr sr vs etc e.g i.e eg ie approx no inc ltd co corp".split()
)
# Where a clause ends, for the scope of a negation or of reported speech.
_CLAUSE_MARK = linear.compile(r"[,;:()\u2013\u2014]|\s-\s")
_CLAUSE_WORD = linear.compile(
    r"but|however|though|although|instead|rather|yet|so|and",
    linear.IGNORECASE,
    whole_words=True,
)
# Where one statement ends and another begins inside a sentence ("I watched a talk you
# gave, and I'd love your take"): what comes before it is not what the request after it
# asks for.
_NEW_STATEMENT = linear.compile(
    r";|,\s*(?:and|but|so|yet)\s|\s(?:and|but|so)\s+(?:i|i'd|i'm|i've|would|could|i would|i am)\s",
    linear.IGNORECASE,
)
# A conversation about something named before ("Would you be open to a quick call about
# it?"): in an email that asks for a job, it is that job ask's conversation.
_ABOUT_IT = linear.compile(
    r"(?:about|regarding|discuss|discussing|on|over) (?:it|this|that|them|these|those)",
    linear.IGNORECASE,
    whole_words=True,
)


class AskWordsError(ValueError):
    """The `asks` section of the rule pack is malformed."""


@dataclass(frozen=True)
class Ask:
    kind: Kind
    start: int  # the phrase that names what is asked for, in the text read
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    request: bool  # a question, or a request frame that is not blocked
    question: bool
    asks: tuple[Ask, ...]
    # What the sentence names as someone else's advice to ask for ("my manager suggested
    # I ask you for a referral"): the writer's ask if the next sentence takes it up.
    reported: tuple[Kind, ...] = ()
    # Its conversation is about "it" or "this", something named in another sentence.
    about_it: bool = False


class Reading:
    """What the draft asks for, from each paragraph's remembered sentences: nothing is
    copied or shifted per request until a caller asks for places (`sentences`,
    `of_kind`), so that a keystroke costs the paragraph it changed."""

    __slots__ = ("_has_ask", "_kinds", "_paragraphs", "_subject")

    def __init__(
        self,
        paragraphs: tuple[tuple[int, tuple[Sentence, ...]], ...],
        subject: tuple[Sentence, ...] = (),
    ) -> None:
        self._paragraphs = paragraphs  # (offset, its sentences with offsets in it)
        # A subject can ask too ("20 minutes on UX research in Portland?"); offsets there
        # are into the subject.
        self._subject = subject
        self._kinds: frozenset[Kind] | None = None
        self._has_ask: bool | None = None

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The body's sentences, with offsets into the text read."""
        return tuple(
            _shifted(s, offset) if offset else s
            for offset, sentences in self._paragraphs
            for s in sentences
        )

    @property
    def subject(self) -> tuple[Sentence, ...]:
        return self._subject

    @property
    def asks(self) -> Iterator[Ask]:
        """The body's asks."""
        for offset, sentences in self._paragraphs:
            for sentence in sentences:
                for a in sentence.asks:
                    yield Ask(a.kind, a.start + offset, a.end + offset) if offset else a

    def _all(self) -> Iterator[Sentence]:
        for _, sentences in self._paragraphs:
            yield from sentences
        yield from self._subject

    @property
    def kinds(self) -> frozenset[Kind]:
        """What the email asks for, in the body or the subject."""
        if self._kinds is None:
            kinds = {a.kind for s in self._all() if s.asks for a in s.asks}
            # "I saw the analyst req, and my background lines up well with it. Would you
            # be open to a quick call about it?": the call is the job ask's.
            if (
                "job" in kinds
                and "conversation" in kinds
                and all(
                    s.about_it for s in self._all() if any(a.kind == "conversation" for a in s.asks)
                )
            ):
                kinds.discard("conversation")
            self._kinds = frozenset(kinds)
        return self._kinds

    @property
    def has_ask(self) -> bool:
        """Something the reader can say yes to: a question, or a request for something
        (a job ask too). A request for nothing in particular ("I'd love to connect", "let
        me know if you could help") gives them nothing to answer."""
        if self._has_ask is None:
            self._has_ask = any(s.question or s.asks for s in self._all())
        return self._has_ask

    def of_kind(self, kind: Kind) -> list[Ask]:
        return [
            Ask(a.kind, a.start + offset, a.end + offset)
            for offset, sentences in self._paragraphs
            for s in sentences
            for a in s.asks
            if a.kind == kind
        ]

    def __repr__(self) -> str:
        return f"Reading(sentences={self.sentences!r}, subject={self._subject!r})"


def _shifted(s: Sentence, offset: int) -> Sentence:
    return Sentence(
        s.start + offset,
        s.end + offset,
        s.request,
        s.question,
        tuple(Ask(a.kind, a.start + offset, a.end + offset) for a in s.asks),
        s.reported,
        s.about_it,
    )


@dataclass(frozen=True)
class _Match:
    start: int
    end: int


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AskWordsError(f"asks: '{where}' must be a list of strings")
    return tuple(value)


class AskWords:
    """The `asks` section of the pack, compiled; reads paragraphs and remembers them."""

    def __init__(
        self, section: Mapping[str, Any], compile_pattern: Any, *, validate: bool = True
    ) -> None:
        def phrases(value: Any, where: str) -> Phrases:
            patterns = _strings(value, where)
            if not patterns:
                raise AskWordsError(f"asks: '{where}' must not be empty")
            return Phrases([compile_pattern(p) for p in patterns], validate=validate)

        kinds = section.get("kinds")
        if not isinstance(kinds, Mapping) or set(kinds) != set(KINDS):
            raise AskWordsError(f"asks: 'kinds' must list exactly {', '.join(KINDS)}")
        self.kinds: dict[Kind, Phrases] = {k: phrases(kinds[k], f"kinds.{k}") for k in KINDS}
        self.implicit_job = phrases(section.get("implicit_job"), "implicit_job")
        self.requests = phrases(section.get("requests"), "requests")
        self.not_asks = phrases(section.get("not_asks"), "not_asks")
        blockers = section.get("blockers")
        if not isinstance(blockers, Mapping) or set(blockers) != set(_BLOCKERS):
            raise AskWordsError(f"asks: 'blockers' must list exactly {', '.join(_BLOCKERS)}")
        self.blockers = tuple(phrases(blockers[b], f"blockers.{b}") for b in _BLOCKERS)
        # A question opening on one of these ("what tipped the balance for you?") asks for
        # the reader's view unless it is about when to meet or small talk.
        self.open_questions = phrases(section.get("open_questions"), "open_questions")
        self.not_open = phrases(section.get("not_open_questions"), "not_open_questions")
        self.taking_up = phrases(section.get("taking_up"), "taking_up")
        # Words that look like a blocker but are not one: "I'm not sure whether you have
        # openings" doubts; it does not negate.
        self.not_blockers = phrases(section.get("not_blockers"), "not_blockers")
        # Every list's required words looked for in one pass over a paragraph.
        self._lists = PhraseLists(
            [
                *(self.kinds[k] for k in KINDS),
                self.implicit_job,
                self.requests,
                self.not_asks,
                *self.blockers,
                self.open_questions,
                self.not_open,
                self.not_blockers,
            ]
        )
        examples = section.get("examples", {})
        if not isinstance(examples, Mapping):
            raise AskWordsError("asks: 'examples' must be a mapping")
        self.examples: dict[str, tuple[str, ...]] = {
            key: _strings(value, f"examples.{key}") for key, value in examples.items()
        }

    @property
    def phrase_lists(self) -> tuple[Phrases, ...]:
        """The lists a paragraph is read with (their required words looked for at once)."""
        return self._lists.lists

    def read(self, text: str, subject: str = "") -> Reading:
        """The sentences of `text` (the writer's own words) and what each asks for."""
        sentences: list[Sentence] = []
        for offset, paragraph in paragraphs(text):
            for s in self._read_paragraph(paragraph):
                asks = tuple(Ask(a.kind, a.start + offset, a.end + offset) for a in s.asks)
                start, end = s.start + offset, s.end + offset
                if (
                    sentences
                    and sentences[-1].reported
                    and not sentences[-1].asks  # "..., but I'd rather hear your story"
                    and s.question
                    and not asks
                    and self.taking_up.search(text[start:end])
                ):
                    # "My manager suggested I ask you for a referral. Would that be
                    # possible?": the question makes the reported ask the writer's own.
                    asks = tuple(Ask(k, start, end) for k in sentences[-1].reported)
                sentences.append(
                    Sentence(start, end, s.request, s.question, asks, s.reported, s.about_it)
                )
        flat = subject.replace("\n", " ").replace("\r", " ")
        return Reading(((0, tuple(sentences)),), self._read_paragraph(flat) if flat.strip() else ())

    def reading(
        self,
        text: str,
        read: Sequence[tuple[int, tuple[Sentence, ...]]],
        subject: str = "",
        reported: bool | None = None,
    ) -> Reading:
        """What `read` says: the reading of `text` from its paragraphs' sentences, already
        read (each paragraph's offset and `_read_paragraph` of it), and of `subject`.
        A question can take up the ask a sentence before it reports (see `read`), across
        paragraphs: when a sentence reports one (`reported`, worked out when not given),
        the text is read whole instead."""
        if reported is None:
            reported = any(s.reported for _, sentences in read for s in sentences)
        if reported:
            return self.read(text, subject)
        found = tuple((offset, sentences) for offset, sentences in read if sentences)
        flat = subject.replace("\n", " ").replace("\r", " ")
        return Reading(found, self._read_paragraph(flat) if flat.strip() else ())

    def read_subject(self, subject: str) -> list[Ask]:
        """Job asks in a subject line: a subject is a request by its nature."""
        if not subject.strip():
            return []
        # One line, so offsets stay those of the subject; "Referral for the analyst role"
        # asks without a question mark.
        flat = subject.replace("\n", " ").replace("\r", " ")
        return [a for s in self._read_paragraph(flat, subject=True) for a in s.asks]

    @per_paragraph  # in the shared, byte-bounded memo; one instance per pack
    def _read_paragraph(self, paragraph: str, subject: bool = False) -> tuple[Sentence, ...]:
        if not paragraph.strip():
            return ()
        bits = self._lists.bits(paragraph)  # in the order the lists were given
        if not any(bits):
            # No list has a phrase here (a greeting, a sign-off, most of a story): no
            # sentence has anything to weigh, as the loop below would find one by one.
            return _plain_sentences(paragraph, subject)
        n = len(KINDS)
        kind_hits = [
            (kind, _Match(start, end))
            for i, kind in enumerate(KINDS)
            if bits[i]
            for _, start, end in self.kinds[kind].spans(paragraph, bits=bits[i])
        ]
        implicit, requests, not_asks = (
            [_Match(s, e) for _, s, e in phrases.spans(paragraph, bits=bits[n + i])]
            if bits[n + i]
            else []
            for i, phrases in enumerate((self.implicit_job, self.requests, self.not_asks))
        )
        at = n + 3 + len(_BLOCKERS)
        openers, not_open, unblocking = (
            sorted((s, e) for _, s, e in phrases.spans(paragraph, bits=bits[at + i]))
            if bits[at + i]
            else []
            for i, phrases in enumerate((self.open_questions, self.not_open, self.not_blockers))
        )
        reach_unblocking = list(accumulate((e for _, e in unblocking), max))

        def doubt(start: int) -> bool:
            """Whether a not-blocker ("not sure whether") covers `start`."""
            k = bisect_right(unblocking, (start, len(paragraph)))
            return k > 0 and reach_unblocking[k - 1] > start

        blocks: list[_Match] = []
        reported_at: set[int] = set()
        for i, b in enumerate(self.blockers):
            if bits[n + 3 + i]:
                for _, s, e in b.spans(paragraph, bits=bits[n + 3 + i]):
                    if unblocking and doubt(s):
                        continue
                    blocks.append(_Match(s, e))
                    if _BLOCKERS[i] == "reported":
                        reported_at.add(s)
        opener_starts = [s for s, _ in openers]
        not_open_starts = [s for s, _ in not_open]
        # Each sentence looks only at the phrases inside it, found by bisection, and
        # at its clause breaks and not-asks through sorted starts and running maxima of
        # ends: a paragraph of thousands of asking sentences stays linear-logarithmic.
        kind_hits.sort(key=lambda hit: hit[1].start)
        kind_starts = [m.start for _, m in kind_hits]
        for found in (implicit, requests, blocks, not_asks):
            found.sort(key=lambda m: m.start)
        implicit_starts = [m.start for m in implicit]
        request_starts = [m.start for m in requests]
        block_starts = [m.start for m in blocks]
        muted_starts = [m.start for m in not_asks]
        # Clause breaks of the whole paragraph, found once, when a sentence first has a
        # phrase to weigh (a greeting or a sign-off has none); each takes its own.
        all_breaks: list[int] | None = None
        out = []
        for count, (start, end) in enumerate(_sentences(paragraph)):
            if count % 64 == 63:
                budget.check()  # a paragraph of thousands of sentences may not fit the time
            text = paragraph[start:end]
            question = _question(text)
            opener = (
                _open_question(paragraph, start, openers[bisect_left(opener_starts, start)])
                if question
                and _any_within(opener_starts, start, end)
                and not _any_within(not_open_starts, start, end)
                else None
            )
            if not (
                _any_within(request_starts, start, end)
                or _any_within(implicit_starts, start, end)
                or _any_within(kind_starts, start, end)
                or opener is not None
            ):
                # No phrase to weigh: most sentences of a draft end here.
                out.append(Sentence(start, end, subject or question, question, ()))
                continue
            if all_breaks is None:
                all_breaks = sorted(
                    start for r in (_CLAUSE_MARK, _CLAUSE_WORD) for start, _ in r.spans(paragraph)
                )
            breaks = all_breaks[bisect_left(all_breaks, start) : bisect_left(all_breaks, end)]
            lo, hi = bisect_left(muted_starts, start), bisect_left(muted_starts, end)
            here_starts = muted_starts[lo:hi]
            reach = list(accumulate((q.end for q in not_asks[lo:hi]), max))  # furthest end

            def blocker(m: _Match, breaks: list[int] = breaks, start: int = start) -> int | None:
                """Where the blocker of m's clause starts, if one comes before m."""
                at = bisect_right(breaks, m.start)
                clause = breaks[at - 1] if at else start
                i = bisect_left(block_starts, clause)
                return blocks[i].start if i < len(blocks) and blocks[i].start <= m.start else None

            def blocked(m: _Match) -> bool:
                return blocker(m) is not None

            def muted_reaches(
                before: int,
                past: int,
                here_starts: list[int] = here_starts,
                reach: list[int] = reach,
            ) -> bool:
                """Whether a not-ask of this sentence that starts before `before` ends
                after `past`."""
                k = bisect_left(here_starts, before)
                return k > 0 and reach[k - 1] > past

            def quiet(m: _Match) -> bool:
                return blocked(m) or muted_reaches(m.start + 1, m.start)

            def unasked(m: _Match) -> bool:
                # A kind phrase overlapping a not-ask ("I recently applied to grad school")
                # is not asked for, wherever the two begin.
                return blocked(m) or muted_reaches(m.end, m.start)

            def within(
                items: list[_T], starts: list[int], start: int = start, end: int = end
            ) -> list[_T]:
                return items[bisect_left(starts, start) : bisect_left(starts, end)]

            framed = [m.start for m in within(requests, request_starts) if not quiet(m)]
            request = subject or question or bool(framed)
            asks: list[Ask] = []
            for m in within(implicit, implicit_starts):
                if not unasked(m):
                    asks.append(Ask("job", m.start, m.end))
            if request:
                for kind, m in within(kind_hits, kind_starts):
                    # Not-asks are about jobs ("the hiring process", "how to apply") and
                    # meetings that are none ("meet the requirement"): "advice on how to
                    # apply" still asks for advice.
                    if not (unasked(m) if kind in ("job", "conversation") else blocked(m)):
                        asks.append(Ask(kind, m.start, m.end))
            jobs = [a for a in asks if a.kind == "job"]
            # "pass my name along to the hiring manager" reads as both: it is a job ask;
            # so is "discuss how I could contribute" (not advice).
            asks = [
                a
                for a in asks
                if a.kind not in ("introduction", "advice") or not any(_overlap(a, j) for j in jobs)
            ]
            kinds = {a.kind for a in asks}
            if "introduction" in kinds:
                # "so that I could talk to her": the conversation is with someone else.
                asks = [a for a in asks if a.kind != "conversation"]
            if jobs:
                # "a call to discuss how I might contribute to your team": a conversation in
                # the clause of a job ask is about the job, and is that ask.
                job_clauses = {bisect_right(breaks, j.start) for j in jobs}
                asks = [
                    a
                    for a in asks
                    if a.kind != "conversation" or bisect_right(breaks, a.start) not in job_clauses
                ]
            if framed and asks:
                # "I'm preparing for a meeting with my board, and I'd value your thoughts":
                # a meeting named in a statement before the request is not the one asked for.
                first = framed[0] if opener is None else min(framed[0], opener[0])
                talks = [a.end for a in asks if a.kind == "conversation" and a.end <= first]
                # (Up to the request's first words: "..., and I'd love", "... and would")
                new_statement = _statements(paragraph, min(talks), first + 8) if talks else None
                asks = [
                    a
                    for a in asks
                    if a.kind != "conversation"
                    or a.end > first
                    or new_statement is None
                    or not new_statement(a.end)
                ]
            if opener is not None and not asks:
                # An open question to the reader with nothing else asked in it: their view.
                asks.append(Ask("advice", *opener))
            reported: list[Kind] = []
            if reported_at:
                for kind, m in [
                    *(("job", m) for m in within(implicit, implicit_starts)),
                    *within(kind_hits, kind_starts),
                ]:
                    if (
                        blocker(m) in reported_at
                        and kind not in reported
                        and (kind != "job" or not muted_reaches(m.end, m.start))
                    ):
                        reported.append(kind)
            about_it = any(a.kind == "conversation" for a in asks) and (
                _ABOUT_IT.search(text) is not None
            )
            out.append(
                Sentence(
                    start, end, request, question, tuple(_dedupe(asks)), tuple(reported), about_it
                )
            )
        return tuple(out)


def _question(sentence: str) -> bool:
    return sentence.rstrip(" \t\r\n\"'”’)").endswith("?")


def _plain_sentences(paragraph: str, subject: bool) -> tuple[Sentence, ...]:
    """The sentences of a paragraph in which no phrase of any list is found."""
    out = []
    for count, (start, end) in enumerate(_sentences(paragraph)):
        if count % 64 == 63:
            budget.check()
        question = _question(paragraph[start:end])
        out.append(Sentence(start, end, subject or question, question, ()))
    return tuple(out)


# What may stand before an open question's first word in its sentence: "And what...",
# "If you had to start over, what...".
_BEFORE_OPENER = frozenset("and but so also then honestly really or".split())


def _open_question(paragraph: str, start: int, opener: tuple[int, int]) -> tuple[int, int] | None:
    """The opener, when it begins the sentence or one of its clauses, else None."""
    before = paragraph[start : opener[0]].rstrip()
    if not before or before[-1] in ",;:(\u2013\u2014-\"'“‘":
        return opener
    return opener if before.rsplit(None, 1)[-1].lower() in _BEFORE_OPENER else None


def _any_within(starts: list[int], start: int, end: int) -> bool:
    """Whether any of the sorted `starts` is in [start, end)."""
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _overlap(a: Ask, b: Ask) -> bool:
    return a.start < b.end and b.start < a.end


def _statements(paragraph: str, lo: int, end: int) -> Callable[[int], bool]:
    """Whether a new statement begins between a given start (from `lo` on) and `end`,
    as a search of _NEW_STATEMENT in paragraph[start:end] says. The conversation asks of
    a sentence all ask it up to the same end: the stretch is scanned once from the
    earliest and each looks its own start up (a search per ask would read the rest of
    the sentence again for each: quadratic in "a call, a call, ..., and I'd love")."""
    spans = [(lo + s, lo + e) for s, e in _NEW_STATEMENT.spans(paragraph[lo:end])]

    def after(start: int) -> bool:
        if bisect_left(spans, (start, -1)) < len(spans):
            return True  # a match from `start` on
        # The last match began before `start` and may run past it; from `start` a match
        # inside it could still be found (not seen so far: asks end on a word).
        return (
            bool(spans)
            and spans[-1][1] > start
            and (_NEW_STATEMENT.search(paragraph[start:end]) is not None)
        )

    return after


def _dedupe(asks: list[Ask]) -> list[Ask]:
    """One ask per kind and place: overlapping phrases of one kind are one ask."""
    kept: list[Ask] = []
    # In order of start, an ask lies in a kept one of its kind when that kind's kept asks
    # reach past its start (one look per ask: a sentence of thousands of "a call, "
    # compared each with all the others before).
    reach: dict[str, int] = {}
    for ask in sorted(asks, key=lambda a: (a.start, -a.end)):
        if reach.get(ask.kind, -1) > ask.start:
            continue
        kept.append(ask)
        reach[ask.kind] = max(reach.get(ask.kind, -1), ask.end)
    return kept


def _last_word(text: str, end: int) -> str:
    """The run of word characters and dots that ends at `end` (read backwards, so each
    sentence costs the length of its last word, not of the text before it)."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_."):
        start -= 1
    return text[start:end]


def _sentences(paragraph: str) -> Iterator[tuple[int, int]]:
    start = 0
    for at, end in _SENTENCE_END.spans(paragraph):
        mark = paragraph[at:end]
        if mark.startswith("."):
            word = _last_word(paragraph, at)
            if word and word.lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if word and len(word) == 1 and word.isupper():
                continue  # an initial: "Sally J. Smith"
        if mark == "\n" and _continues(paragraph, start, at):
            continue
        if paragraph[start:at].strip():
            yield start, end
        start = end
    if paragraph[start:].strip():
        yield start, len(paragraph)


def _continues(paragraph: str, start: int, at: int) -> bool:
    """A line break inside a sentence: hard-wrapped text, not a line of its own."""
    line = paragraph[paragraph.rfind("\n", 0, at) + 1 : at].rstrip()
    if not line or line.endswith(","):
        return False  # "Hi Jordan," or "Best," stands alone
    return len(line.split()) > 5
