"""The analyzer: one draft in, findings, a referrer and subject suggestions out.

It knows nothing of HTTP, Gmail or storage. What the mailbox knows (did the recipient
ask for a resume, who introduced us) arrives as a `Context` the caller filled in, and
the caller says in `checks` which outside services answered.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

try:  # hashlib loads OpenSSL for its other digests: milliseconds of every linter run
    from _blake2 import blake2s
except ImportError:  # pragma: no cover - CPython always builds it
    from hashlib import blake2s

from intro_coach import budget as time_budget
from intro_coach import linear
from intro_coach.draft import Draft, prepare
from intro_coach.grammar import GrammarChecker, GrammarMatch, GrammarSettings
from intro_coach.referrer import (
    Person,
    find_introducer,
    find_referrer,
    parse_person,
    referrer_subjects,
    subject_names,
)
from intro_coach.rules import Hit, checks
from intro_coach.rules.pack import Pack, default_pack
from intro_coach.rules.paragraph import Paragraph, phrase_hits
from intro_coach.schema import (
    AnalyzeRequest,
    AnalyzeResponse,
    Checks,
    Finding,
    GrammarResponse,
    Referrer,
    ReferrerSource,
    Stats,
    SubjectSuggestion,
)
from intro_coach.stats import total as stats_total
from intro_coach.subjects import topic_subjects
from intro_coach.text import PARAGRAPH_MEMO, Utf16Index, paragraphs
from intro_coach.timing import Laps

_SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}
_FIELD_ORDER = {"subject": 0, "body": 1, "attachments": 2}


@dataclass(frozen=True)
class Context:
    """What the mailbox knows about this draft, found by the caller (Gmail, opt-in)."""

    resume_requested: bool = False
    referrer: str | None = None


def normalize_match(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


_remembered_normal = lru_cache(maxsize=4096)(normalize_match)


def _normalized(text: str) -> str:
    return normalize_match(text) if len(text) > 120 else _remembered_normal(text)


def finding_id(rule: str, field: str, match: str, occurrence: int) -> str:
    """Stable while the matched words stay: edits elsewhere in the draft don't move it."""
    digest = blake2s(f"{rule}\0{field}\0{normalize_match(match)}".encode(), digest_size=6)
    suffix = f"-{occurrence}" if occurrence else ""
    return f"{rule}:{field}:{digest.hexdigest()}{suffix}"


# The same findings come back with every keystroke. Only short matches are remembered,
# so that the cache stays small in bytes (entries times the longest key) as well.
_SHORT_MATCH = 120
_remembered_id = lru_cache(maxsize=4096)(finding_id)


def _finding_id(rule: str, field: str, match: str, occurrence: int) -> str:
    if len(match) > _SHORT_MATCH:
        return finding_id(rule, field, match, occurrence)
    return _remembered_id(rule, field, match, occurrence)


class Budget:
    """The processor time one analysis may take (a deadline in `time.thread_time()`;
    None: no limit). Stages check it between steps: past it, the rest is skipped and named in
    a note, so that a draft that costs too much gets the findings that are ready instead
    of a stall. It counts the analysing thread's own time, not the wall clock, so that
    waiting behind other requests or for a busy processor never cuts a normal draft."""

    def __init__(self, deadline: time_budget.Deadline | None) -> None:
        self.deadline = deadline
        self.skipped: list[str] = []

    def spent(self) -> bool:
        return self.deadline is not None and self.deadline.passed()

    def run(self, name: str, step: Callable[[], list[Hit]]) -> list[Hit]:
        if self.skipped or self.spent():
            self.skipped.append(name)
            return []
        return step()


def _phrase_hits(
    draft: Draft,
    pack: Pack,
    budget: Budget | None = None,
    units: Sequence[tuple[int, Paragraph]] | None = None,
) -> Iterable[Hit]:
    """Every phrase rule's matches, paragraph by paragraph (one memo lookup for all the
    rules in a paragraph seen before). `units`: the writer's own paragraphs, when the
    caller has them."""
    if units is None:
        units = [(o, pack.paragraphs.paragraph(p)) for o, p in paragraphs(draft.own)]
    rules = pack.rules
    for offset, paragraph in paragraphs(draft.subject):
        if budget is not None and budget.spent():
            budget.skipped.append(f"phrase rules past character {offset} of the subject")
            return
        yield from phrase_hits(
            rules, "subject", pack.scanner.scan(paragraph), offset, draft.subject
        )
    # With nothing masked, the paragraph's own text is the body's: its hits, found once,
    # only move by its offset.
    unmasked = draft.own is draft.body
    for offset, unit in units:
        if budget is not None and budget.spent():
            budget.skipped.append(f"phrase rules past character {offset} of the body")
            return
        if not unmasked:
            yield from phrase_hits(rules, "body", unit.phrases, offset, draft.body)
        elif not offset:
            yield from unit.body_hits
        else:
            for h in unit.body_hits:
                yield Hit(
                    h.rule, h.severity, h.field, h.start + offset, h.end + offset, h.match,
                    h.message, h.explanation, h.link, h.replacements,
                )  # fmt: skip


def _referrer(
    request: AnalyzeRequest,
    draft: Draft,
    context: Context,
    units: Sequence[tuple[int, Paragraph]] | None = None,
) -> tuple[Person, ReferrerSource] | None:
    if request.referrer is not None:
        if not request.referrer.strip():
            return None  # the user says nobody referred them: whoever is found, wasn't
        person = parse_person(request.referrer.strip())
        if person:
            return person, "user"
    if context.referrer:
        person = parse_person(context.referrer)
        if person:
            return person, "gmail"
    found = find_referrer(
        draft.own,
        exclude=draft.recipient_names,
        read=None if units is None else ((offset, unit.people) for offset, unit in units),
    )
    if draft.is_reply:
        introducer = find_introducer(
            draft.own, draft.quoted, draft.subject, exclude=draft.recipient_names
        )
        # "Thanks Meredith (moved to bcc)" over a quoted "Meredith Stone <...> wrote:"
        # names the same person as "Meredith said you...": keep the full name.
        if introducer and (found is None or _first(found.name) == _first(introducer.name)):
            return introducer, "body"
    return (found, "body") if found else None


def _first(name: str) -> str:
    return name.split()[0].casefold()


def _suggestions(draft: Draft, person: Person | None, pack: Pack) -> list[SubjectSuggestion]:
    """Subjects a careful person would send instead of the draft's, or none."""
    if draft.is_reply:
        return []  # a reply keeps the thread's subject
    if person is not None:
        if subject_names(draft.subject, person):
            return []  # the subject already does what these would
        return [
            SubjectSuggestion(subject=s, referrer=person.name, reason=r)
            for s, r in referrer_subjects(person)
        ]
    words = pack.subjects
    if not (
        words.says_nothing(draft.subject, draft.recipient_names) or _flagged(draft.subject, pack)
    ):
        return []  # the writer's own subject is at least as good as a guessed one
    topic = words.topic(draft.own)
    if topic is None or normalize_match(topic) in normalize_match(draft.subject):
        return []
    # A topic lifted from the draft can carry the very phrase a rule warns about
    # ("interested in informational interviews"); never suggest a subject we would flag.
    return [
        SubjectSuggestion(subject=s, reason=r)
        for s, r in topic_subjects(topic)
        if not _flagged(s, pack)
    ]


def _flagged(subject: str, pack: Pack) -> bool:
    """Whether a phrase rule or the ask model would flag this subject."""
    if any(next(rule.find(subject), None) for rule in pack.rules if "subject" in rule.fields):
        return True
    return any(a.kind == "job" for a in pack.asks.read_subject(subject))


@dataclass(frozen=True)
class _Silence:
    """The request's options as sets: each finding is looked up, never compared with
    every ignored entry (hundreds of entries times hundreds of findings stalled)."""

    rules: frozenset[str]
    ids: frozenset[str]
    whole_rules: frozenset[str]  # ignored by rule alone
    matches: frozenset[tuple[str, str]]  # (rule, normalized match)

    @classmethod
    def of(cls, request: AnalyzeRequest) -> _Silence:
        ignored = request.options.ignored
        if not ignored and not request.options.disabled_rules:
            return _SILENCE_NONE
        return cls(
            rules=frozenset(request.options.disabled_rules),
            ids=frozenset(i.id for i in ignored if i.id is not None),
            whole_rules=frozenset(i.rule for i in ignored if i.id is None and i.match is None),
            matches=frozenset(
                (i.rule, normalize_match(i.match))
                for i in ignored
                if i.id is None and i.match is not None
            ),
        )

    def __call__(self, finding: Finding) -> bool:
        if self is _SILENCE_NONE:
            return False
        return (
            finding.rule in self.rules
            or finding.id in self.ids
            or finding.rule in self.whole_rules
            or (
                bool(self.matches)
                and (finding.rule, normalize_match(finding.match)) in self.matches
            )
        )


_SILENCE_NONE = _Silence(frozenset(), frozenset(), frozenset(), frozenset())


# Findings listed per rule: a 100 KB draft of one phrase repeated would otherwise answer
# with megabytes, written in one call that holds up every other request.
MAX_FINDINGS_PER_RULE = 100


def _at_most_per_rule(findings: list[Finding], status: Checks) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS_PER_RULE:
        return findings  # no rule can be over: the usual draft, on every keystroke
    kept: list[Finding] = []
    per_rule: Counter[str] = Counter()
    for finding in findings:
        per_rule[finding.rule] += 1
        if per_rule[finding.rule] <= MAX_FINDINGS_PER_RULE:
            kept.append(finding)
    for rule, count in per_rule.items():
        if count > MAX_FINDINGS_PER_RULE:
            status.notes.append(
                f"{rule}: {count} findings, the first {MAX_FINDINGS_PER_RULE} listed"
            )
    return kept


def _to_findings(hits: list[Hit], draft: Draft) -> list[Finding]:
    to16 = {"subject": Utf16Index(draft.subject), "body": Utf16Index(draft.body)}
    seen: Counter[tuple[str, str, str]] = Counter()
    findings = []
    for h in sorted(hits, key=lambda h: (_FIELD_ORDER[h.field], h.start, h.end, h.rule)):
        keyed = h.match if h.key is None else h.key
        key = (h.rule, h.field, _normalized(keyed))
        occurrence = seen[key]
        seen[key] += 1
        index = to16.get(h.field)
        findings.append(
            # Plain validation: cheaper here than model_construct (pydantic-core checks
            # these few typed fields faster than model_construct sets them in Python).
            Finding(
                id=_finding_id(h.rule, h.field, keyed, occurrence),
                rule=h.rule,
                severity=h.severity,
                field=h.field,
                start=index(h.start) if index else 0,
                end=index(h.end) if index else 0,
                match=h.match,
                message=h.message,
                explanation=h.explanation,
                link=h.link,
                replacements=list(h.replacements),
                attachment=h.attachment,
            )
        )
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], _FIELD_ORDER[f.field], f.start))
    return findings


def analyze(
    request: AnalyzeRequest,
    *,
    context: Context | None = None,
    checks_status: Checks | None = None,
    extra_hits: Iterable[Hit] = (),
    pack: Pack | None = None,
    budget_seconds: float | None = None,
) -> AnalyzeResponse:
    """Run every rule on the draft. `extra_hits` carries findings from outside services
    (grammar), so that options, ids and ordering treat them like the rest. Past
    `budget_seconds` of this thread's processor time, the rules not yet run are skipped
    and a note in `checks.notes` names them."""
    deadline = None if budget_seconds is None else time_budget.Deadline(budget_seconds)
    budget = Budget(deadline)
    pack = pack or default_pack()
    context = context or Context()
    status = (
        Checks()
        if checks_status is None
        else checks_status.model_copy(update={"notes": list(checks_status.notes)})
    )  # notes get appended: never to the caller's
    lap = Laps()
    draft = prepare(request)
    # The writer's own paragraphs, each one memo entry for everything read in it.
    units = [(o, pack.paragraphs.paragraph(p)) for o, p in paragraphs(draft.own)]
    lap("prepare")
    found = _referrer(request, draft, context, units)
    person = found[0] if found else None
    lap("referrer")

    hits = list(_phrase_hits(draft, pack, budget, units))
    lap("phrases")
    words_per_paragraph: list[int] = []
    if not budget.skipped:
        counts = [unit.counts for _, unit in units]
        draft.stats = stats_total(counts)
        words_per_paragraph = [c[0] for c in counts]
    hits = [
        h
        for h in hits
        if h.rule != "resume-attached" or h.field != "body" or not checks.told_elsewhere(draft, h)
    ]
    hits += checks.resume_attachments(draft, pack)
    asked_in_thread = any(h.rule == "resume-attached" for h in hits) and (
        context.resume_requested or bool(draft.quoted and pack.resume_request.search(draft.quoted))
    )
    if asked_in_thread:
        hits = [h for h in hits if h.rule != "resume-attached"]
        where = "the Gmail thread" if context.resume_requested else "the quoted reply"
        status.notes.append(f"resume-attached: not flagged, {where} shows they asked for it")
    hits += checks.missing_subject(draft, pack)
    hits += budget.run(
        "referrer-not-in-subject", lambda: checks.referrer_not_in_subject(draft, pack, person)
    )
    hits += budget.run(
        "too-long",
        lambda: checks.too_long(
            draft, pack, words_per_paragraph or None, lambda i: units[i][1].word_spans
        ),
    )
    asks_rules = ["job-ask", "no-clear-ask", "no-time-frame", "no-opinion-ask"]
    reading = None
    if not (budget.skipped or budget.spent()):
        try:
            with time_budget.deadline(deadline):
                reading = pack.asks.reading(
                    draft.own,
                    [(offset, unit.sentences) for offset, unit in units],
                    draft.subject,
                    any(unit.reports for _, unit in units),
                )
        except time_budget.Spent:
            pass
    if reading is None:
        budget.skipped += asks_rules
    else:
        hits += budget.run("job-ask", lambda: checks.job_ask(draft, pack, reading))
        hits += budget.run("no-clear-ask", lambda: checks.no_clear_ask(draft, pack, reading))
        hits += budget.run(
            "no-time-frame",
            lambda: checks.time_frame(
                draft, pack, reading, ((offset, unit.durations) for offset, unit in units)
            ),
        )
        hits += budget.run("no-opinion-ask", lambda: checks.no_opinion_ask(draft, pack, reading))
    hits += budget.run("no-thanks", lambda: checks.no_thanks(draft, pack, units))
    lap("checks")
    hits += extra_hits

    silenced = _Silence.of(request)
    findings = _at_most_per_rule([f for f in _to_findings(hits, draft) if not silenced(f)], status)
    suggestions = [] if budget.skipped or budget.spent() else _suggestions(draft, person, pack)
    lap("suggestions")
    if budget.skipped:
        status.notes.append(
            "time budget reached: these rules were not run on this draft, shorten it to "
            f"check them: {', '.join(dict.fromkeys(budget.skipped))}"
        )
    stats = draft.stats
    PARAGRAPH_MEMO.report()
    return AnalyzeResponse(
        findings=findings,
        subject_suggestions=suggestions,
        referrer=Referrer(name=person.name, source=found[1]) if found and person else None,
        stats=Stats(
            words=stats.words,
            sentences=stats.sentences,
            questions=stats.questions,
            reading_grade=stats.reading_grade,
        ),
        checks=status,
        body_text=draft.body if draft.html is not None else None,
    )


_WARM_UP = (
    "Hi Sam,\n\nSally Smith suggested I contact you. I'm looking for a job and would love an "
    "informational interview to pick your brain over coffee for 20 minutes or an hour. I've "
    "attached my resume. Would you share your advice on moving into UX research?\n\n"
    "Thanks so much,\nAlex\n\nOn Mon, 1 Jan 2026 at 9:00 Sam <sam@example.com> wrote:\n> Hi"
)


def warm_up() -> None:
    """Loads the pack and runs every rule once, so that the first request is not the
    one that pays for compiling the patterns (and runs out of its time budget); builds
    the pack's index of whole patterns, which a long-running service gets back."""
    default_pack().paragraphs.build_index()
    # Accents and curly quotes in matches: the exact forms of the patterns (linear.Regex)
    # compile now too, not on the first such draft.
    accented = _WARM_UP.replace("Sally Smith", "Zoë Núñez").replace("'", "’")
    for body in ({"text": _WARM_UP}, {"html": f"<div>{_WARM_UP}</div>"}, {"text": accented}):
        analyze(AnalyzeRequest.model_validate({"subject": "Hello", "body": body}))


# --- Grammar: asked for separately, so that the rules never wait for it -----------------

_GRAMMAR_WARNINGS = frozenset({"misspelling", "grammar"})
_POSSESSIVE = linear.compile(r"['’]s(\W|$)", linear.IGNORECASE)
_NAME_WORD = linear.tokenizer(r"[^\W\d_]+")
GRAMMAR_REPLACEMENTS = 3


def _signature_lines(own: str) -> list[str]:
    """The short lines after a sign-off ("Thanks,") at the end: the writer's name."""
    lines = [line.strip() for line in own.rstrip().rsplit("\n", 6)]
    for i in range(len(lines) - 2, -1, -1):
        if lines[i].endswith((",", "!")) and len(lines[i].split()) <= 5:
            return [line for line in lines[i + 1 :] if line and len(line.split()) <= 4]
    return []


def _words(text: str) -> set[str]:
    plain = _POSSESSIVE.sub(lambda m: m.group(1) or "", text)
    return {w.casefold() for w in _NAME_WORD.findall(plain)}


def _not_to_flag(request: AnalyzeRequest, draft: Draft, context: Context) -> frozenset[str]:
    """Names (the referrer's, the recipients', the writer's) and words the user ignored."""
    if request.referrer is not None and not request.referrer.strip():
        # Nobody referred the user, but the person the finder saw is still a name.
        request = request.model_copy(update={"referrer": None})
    found = _referrer(request, draft, context)
    sources = [found[0].name] if found else []
    sources += [p.name for p in (*request.to, *request.cc) if p.name]
    sources += _signature_lines(draft.own)
    sources += [
        i.match for i in request.options.ignored if i.rule.startswith("grammar:") and i.match
    ]
    words: set[str] = set()
    for source in sources:
        words |= _words(source)
    return frozenset(words)


def _code_points(text: str, start16: int, length16: int) -> tuple[int, int]:
    if text.isascii():
        return start16, start16 + length16
    units = 0
    start = end = len(text)
    for i, c in enumerate(text):
        if units == start16:
            start = i
        if units == start16 + length16:
            end = i
            break
        units += 2 if ord(c) > 0xFFFF else 1
    return start, end


def _grammar_hit(field: str, source: str, offset: int, paragraph: str, m: GrammarMatch) -> Hit:
    start, end = _code_points(paragraph, m.start, m.length)
    return Hit(
        rule=f"grammar:{m.rule_id}",
        severity="warning" if m.issue_type in _GRAMMAR_WARNINGS else "suggestion",
        field="subject" if field == "subject" else "body",
        start=offset + start,
        end=offset + end,
        match=source[offset + start : offset + end],
        message=m.message,
        explanation=f"Found by LanguageTool (rule {m.rule_id}, {m.issue_type}).",
        link=None,
        replacements=m.replacements[:GRAMMAR_REPLACEMENTS],
    )


def analyze_grammar(
    request: AnalyzeRequest,
    checker: GrammarChecker | None,
    *,
    deadline_seconds: float = 1.5,
    context: Context | None = None,
    off_reason: str = "grammar: no LanguageTool server is configured",
) -> GrammarResponse:
    """Grammar and spelling findings for the writer's own words: never quoted history or
    signatures, never names. What is not ready by the deadline is left out, and
    `checks.grammar` says so."""
    draft = prepare(request)
    body_text = draft.body if draft.html is not None else None
    if checker is None or not request.options.grammar:
        reason = off_reason if checker is None else "grammar: turned off in the options"
        return GrammarResponse(
            findings=[], checks=Checks(grammar="off", notes=[reason]), body_text=body_text
        )
    pieces = [("subject", request.subject, 0, request.subject)]
    pieces += [("body", draft.body, o, p) for o, p in paragraphs(draft.own) if p.strip()]
    settings = GrammarSettings(picky=request.options.grammar_picky)
    deadline = time.monotonic() + deadline_seconds
    result = checker.check([p for *_, p in pieces], settings, deadline=deadline)
    names = _not_to_flag(request, draft, context or Context())
    hits = []
    for (field, source, offset, paragraph), matches in zip(pieces, result.matches, strict=True):
        for m in matches or ():
            hit = _grammar_hit(field, source, offset, paragraph, m)
            words = _words(hit.match)
            if hit.start == hit.end or (words and words <= names):
                continue
            hits.append(hit)
    silenced = _Silence.of(request)
    findings = [f for f in _to_findings(hits, draft) if not silenced(f)]
    notes = [f"grammar: {result.note}"] if result.note else []
    return GrammarResponse(
        findings=findings, checks=Checks(grammar=result.status, notes=notes), body_text=body_text
    )


def with_grammar(response: AnalyzeResponse, grammar: GrammarResponse) -> AnalyzeResponse:
    """One response from the rules' and grammar's, for front ends that show them together
    (the linter, the add-on's pasted-draft check)."""
    findings = sorted(
        [*response.findings, *grammar.findings],
        key=lambda f: (_SEVERITY_ORDER[f.severity], _FIELD_ORDER[f.field], f.start),
    )
    checks = response.checks.model_copy(
        update={
            "grammar": grammar.checks.grammar,
            "notes": [*response.checks.notes, *grammar.checks.notes],
        }
    )
    return response.model_copy(update={"findings": findings, "checks": checks})
