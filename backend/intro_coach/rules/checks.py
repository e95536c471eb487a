"""Whole-email checks: small functions that need the draft as a whole.

Their words (message, explanation, link, severity) come from the rule pack's `checks`
section, so the advice reads the same wherever it is edited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from intro_coach import linear
from intro_coach.asks import Reading
from intro_coach.draft import Draft
from intro_coach.referrer import Person, subject_names
from intro_coach.rules import Hit
from intro_coach.rules.pack import Pack
from intro_coach.schema import FieldName, Severity
from intro_coach.stats import word_after
from intro_coach.text import paragraphs, per_paragraph

if TYPE_CHECKING:  # paragraph.py reads this module's durations
    from intro_coach.rules.paragraph import Paragraph

# Below this many words the draft is still being started; advice about its shape
# (ask, time, thanks) would only be noise.
MIN_WORDS_FOR_SHAPE = 8
CLOSE_CHARS = 350

_NUMBERS = {
    "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30,
    "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90,
}  # fmt: skip
# A duration that is a distance or a deadline ("45 minutes away", "within an hour") is
# not how long they are asked to talk. RE2 has no lookarounds: these are tested in code,
# on a few characters either side of a match.
_NOT_A_MEETING = linear.compile(
    r"\s+(?:away|drive|walk|ride|commute|flight|ahead|ago|later|earlier|early|late|"
    r"behind|from|each|every|a\s+day|a\s+week|per)",
    linear.IGNORECASE,
)
_NOT_A_MEETING_BEFORE = ("within", "in", "per", "every", "than", "under")
_NOT_HOURS_BEFORE = ("half", "of", *_NOT_A_MEETING_BEFORE)
_MINUTES = linear.compile(
    r"(?P<n>\d{1,3}|five|ten|fifteen|twenty|twenty-five|thirty|forty|forty-five|sixty|"
    r"ninety|a few|few|a couple of|couple of)"
    # "fifteen (15) minutes", "15–20 minutes", "15/20 min", "20‑minute" (a hyphen that
    # does not break), "15 or so minutes".
    r"(?:\s*\(\d{1,3}\))?(?:\s*(?:-|–|—|‑|/|to|or)\s*(?P<upper>\d{1,3}))?(?:\s+or\s+so)?"
    r"[\s\-‐‑–]*(?:min(?:ute)?s?|mins?)",
    linear.IGNORECASE,
    whole_words=True,
)
_SHORT_PHRASES = linear.compile(
    r"half an hour|half[\s\-‐‑]hour|quarter of an hour|quarter[\s\-‐‑]hour",
    linear.IGNORECASE,
    whole_words=True,
)
_HOURS = linear.compile(
    r"(?:an?|one|two|three|\d{1,2}(?:\.\d)?|a couple of|couple of|several|a few|few)"
    r"[\s\-‐‑]+hours?|hour[\-‐‑]long",
    linear.IGNORECASE,
    whole_words=True,
)


def _a_meeting(text: str, m: linear.Match, not_before: tuple[str, ...] = ()) -> bool:
    """Not a distance or a deadline: no "away" after, none of `not_before` (and one
    space) just before."""
    start, end = m.start(), m.end()
    if _NOT_A_MEETING.match(text[end : end + 40]):
        return False
    if not_before and start >= 2 and text[start - 1].isspace():
        return not text[max(0, start - 8) : start - 1].lower().endswith(not_before)
    return True


# "cvs" is left out on purpose: a CVS receipt is not a CV.
_RESUME_WORDS = frozenset({"resume", "resumes", "cv", "lebenslauf", "vitae"})
# A file about resumes, not one ("Resume_tips_handout.pdf", "CV_template_guide.pdf").
_ABOUT_RESUMES = frozenset(
    "template templates tips guide guidelines workshop slides handout checklist webinar "
    "course class examples writing formatting builder rubric rubrics scoring flyer poster "
    "bootcamp clinic seminar session event worksheet handbook tutorial lesson critique "
    "feedback samples notes meeting "
    # French "résumé" is a summary: "Résumé_du_projet.pdf", "Resume_reunion.pdf".
    "du projet reunion rapport synthese".split()
)
# "CV" is also computer vision and someone's initials: "CV_project_report.pdf",
# "CV_headshot.jpg" are not a CV.
_NOT_A_CV = frozenset(
    "project projects report reports paper papers assignment homework dataset datasets "
    "notebook lab pipeline detection segmentation model models code headshot photo "
    "portrait signature logo".split()
)
_NOT_RESUME_ENDINGS = ("presume",)
# ("resumen" is Spanish for a summary: "Resumen_ejecutivo.pdf".)
_NOT_RESUME_STARTS = ("resumed", "resuming", "resumen")


@lru_cache(maxsize=256)  # the pack's own texts, filled in with every request
def _plain(template: str) -> str:
    return template.format()


def hit(
    pack: Pack,
    check_id: str,
    field: FieldName,
    start: int = 0,
    end: int = 0,
    match: str = "",
    severity: Severity | None = None,
    attachment: str | None = None,
    key: str | None = None,
    **figures: Any,
) -> Hit:
    if not (start or end or match or severity or attachment or key or figures):
        return _plain_hit(pack, check_id, field)
    return _hit(pack, check_id, field, start, end, match, severity, attachment, key, figures)


def _plain_hit(pack: Pack, check_id: str, field: FieldName) -> Hit:
    """A whole-email finding (an empty span at 0): the same on every draft, so built
    once per pack. Only the last pack's are kept (a pack is not hashable, and one is in
    use at a time: holding older ones would keep them alive)."""
    global _PLAIN_HITS
    kept_pack, hits = _PLAIN_HITS
    if kept_pack is not pack:
        hits = {}
        _PLAIN_HITS = (pack, hits)
    found = hits.get((check_id, field))
    if found is None:
        found = hits[check_id, field] = _hit(pack, check_id, field, 0, 0, "", None, None, None, {})
    return found


_PLAIN_HITS: tuple[Pack | None, dict[tuple[str, str], Hit]] = (None, {})


def _hit(
    pack: Pack,
    check_id: str,
    field: FieldName,
    start: int,
    end: int,
    match: str,
    severity: Severity | None,
    attachment: str | None,
    key: str | None,
    figures: dict[str, Any],
) -> Hit:
    text = pack.checks[check_id]
    return Hit(
        rule=text.rule,
        severity=severity or text.severity,
        field=field,
        start=start,
        end=end,
        match=match,
        message=text.message.format(**figures) if figures else _plain(text.message),
        explanation=(text.explanation.format(**figures) if figures else _plain(text.explanation)),
        link=text.link,
        attachment=attachment,
        key=key,
    )


def missing_subject(draft: Draft, pack: Pack) -> list[Hit]:
    if draft.subject.strip():
        return []
    return [hit(pack, "missing-subject", "subject")]


def referrer_not_in_subject(draft: Draft, pack: Pack, person: Person | None) -> list[Hit]:
    if person is None or draft.is_reply or subject_names(draft.subject, person):
        return []  # a reply's subject belongs to the thread, where the referrer already is
    subject = draft.subject
    return [
        hit(
            pack,
            "referrer-not-in-subject",
            "subject",
            0,
            len(subject),
            subject,
            key=person.name,
            name=person.name,
        )
    ]


def too_long(
    draft: Draft,
    pack: Pack,
    words_per_paragraph: Sequence[int] | None = None,
    spans_of: Callable[[int], tuple[tuple[int, int], ...]] | None = None,
) -> list[Hit]:
    """`words_per_paragraph`, `spans_of`: the word count and the word spans of each
    paragraph of the writer's own text, when the caller has them (see word_after)."""
    settings = pack.checks["too-long"].settings
    limit, hard_limit = int(settings["limit"]), int(settings["hard_limit"])
    if draft.stats.words <= limit:
        return []  # the common case, answered from the remembered per-paragraph counts
    count = draft.stats.words
    severity = settings["severity_over_limit"] if count > hard_limit else None
    # Point at the words past the limit: that is what there is to cut.
    span = word_after(draft.own, limit, words_per_paragraph, spans_of)
    assert span is not None  # there are more than `limit` words
    start, end = span
    return [
        hit(
            pack, "too-long", "body", start, end, draft.body[start:end],
            severity=severity, key="", words=count,
        )
    ]  # fmt: skip


def _shape_applies(draft: Draft) -> bool:
    """Ask, time frame, opinion and thanks are advice for a first outreach (a forward's
    own words are one)."""
    return (not draft.is_reply or draft.is_forward) and draft.stats.words >= MIN_WORDS_FOR_SHAPE


def job_ask(draft: Draft, pack: Pack, reading: Reading) -> list[Hit]:
    """Each request for a job, an opening, an interview or a referral, in the subject and
    the body; a job ask is an ask, just the wrong one."""
    found = [
        hit(pack, "job-ask", "subject", a.start, a.end, draft.subject[a.start : a.end])
        for a in pack.asks.read_subject(draft.subject)
        if a.kind == "job"
    ]
    found += [
        hit(pack, "job-ask", "body", a.start, a.end, draft.body[a.start : a.end])
        for a in reading.of_kind("job")
    ]
    return found


def no_clear_ask(draft: Draft, pack: Pack, reading: Reading) -> list[Hit]:
    if not _shape_applies(draft) or reading.has_ask:
        return []
    return [hit(pack, "no-clear-ask", "body")]


def _minutes(match: linear.Match) -> int | None:
    # A range is as long as its upper end: "30-45 minutes" asks for 45.
    raw = (match.group("upper") or match.group("n") or "").lower()
    if raw.isdigit():
        return int(raw)
    return _NUMBERS.get(raw)


@per_paragraph
def _durations(paragraph: str) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, too long) of each duration in one paragraph, in order."""
    lowered = paragraph.lower()
    found = []
    # Every duration names its unit; most paragraphs have none, and a substring test
    # is far cheaper than these patterns' lookarounds at every position.
    if "min" in lowered:
        # "A few minutes" names no length: it is no time frame at all.
        counted = [
            (m, _minutes(m))
            for m in _MINUTES.finditer(paragraph, accept=lambda m: _a_meeting(paragraph, m))
        ]
        found += [(m.start(), m.end(), n > 30) for m, n in counted if n is not None]
    if "hour" in lowered:
        found += [
            (m.start(), m.end(), True)
            for m in _HOURS.finditer(
                paragraph, accept=lambda m: _a_meeting(paragraph, m, _NOT_HOURS_BEFORE)
            )
        ]
        found += [(m.start(), m.end(), False) for m in _SHORT_PHRASES.finditer(paragraph)]
    return tuple(sorted(found))


def time_frame(
    draft: Draft,
    pack: Pack,
    reading: Reading,
    read: Iterable[tuple[int, tuple[tuple[int, int, bool], ...]]] | None = None,
) -> list[Hit]:
    """`read`: each paragraph of the writer's own text as its offset and `_durations`,
    when the caller has them."""
    if not _shape_applies(draft) or "conversation" not in reading.kinds:
        return []  # an introduction or advice by email takes no meeting to time
    if read is None:
        read = ((offset, _durations(paragraph)) for offset, paragraph in paragraphs(draft.own))
    durations = [
        (offset + start, offset + end, too_long)
        for offset, found in read
        for start, end, too_long in found
    ]
    long = [(start, end) for start, end, too_long in durations if too_long]
    if long:
        # Too long when it is what a sentence asks for ("Could you spare an hour?"), not
        # an hour told about ("I spent an hour on your post", "12-hour shifts").
        asking = [(s.start, s.end) for s in reading.sentences if s.request]
        for start, end in long:
            if any(a <= start < b for a, b in asking):
                text = draft.body[start:end]
                return [hit(pack, "long-time-frame", "body", start, end, text, match_text=text)]
    in_subject = any(not too_long for _, _, too_long in _durations(draft.subject))
    if len(long) < len(durations) or in_subject:
        return []
    return [hit(pack, "no-time-frame", "body")]


def no_opinion_ask(draft: Draft, pack: Pack, reading: Reading) -> list[Hit]:
    """Asking for their time deserves a reason they like to give: their take. An email
    asking only for an introduction, or for nothing, is not asking for their time."""
    kinds = reading.kinds
    if not _shape_applies(draft) or "conversation" not in kinds or "advice" in kinds:
        return []
    return [hit(pack, "no-opinion-ask", "body")]


# The greeting line ("Hi Jordan,") and the first sentence after it: a thank-you there
# ("Thank you for connecting on LinkedIn!") opens the email; it does not close it.
# Read with plain string steps and one-class tokenizers (linear.tokenizer): this runs on
# every keystroke, where RE2's counted repetitions cost microseconds per call.
_SPACE = linear.tokenizer(r"[ \t\r\n]*")
_FIRST_MARK = linear.tokenizer(r"[.!?\n]")
_MARKS = linear.tokenizer(r"[.!?]*")
_WORD = linear.tokenizer(r"\S+")
_GREETING_CHARS = 60  # before the comma of "Hi Jordan,"


def _opening_end(own: str) -> int:
    """Where the email's opening sentence ends, when more than a few words follow it."""
    start = 0
    # A greeting line within the first 200 characters: at most 60 characters, then a
    # comma and nothing but spaces to the end of the line.
    text = _SPACE.match(own, 0, 200)
    line_start = text.end() if text else 0
    line_end = own.find("\n", line_start, 200)
    if line_end >= 0:
        line = own[line_start:line_end].rstrip(" \t\r")
        if line.endswith(",") and len(line) - 1 <= _GREETING_CHARS:
            start = line_end + 1
    # The first sentence within 400 characters: up to its first ., ! or ? (and the
    # marks after it), if no line break comes before.
    window = start + 400
    text = _SPACE.match(own, start, window)
    mark = _FIRST_MARK.search(own, text.end() if text else start, window)
    if mark is None or mark.group() == "\n":
        return 0
    marks = _MARKS.match(own, mark.end(), window)
    end = marks.end() if marks else mark.end()
    for following, _ in enumerate(_WORD.finditer(own, end), 1):
        if following >= MIN_WORDS_FOR_SHAPE:
            return end
    return 0


def no_thanks(
    draft: Draft, pack: Pack, units: Sequence[tuple[int, Paragraph]] | None = None
) -> list[Hit]:
    """`units`: the paragraphs of `draft.own` with their offsets, when the caller has
    them (their thanks phrases are then read from the paragraph memo)."""
    if not _shape_applies(draft):
        return []
    own = draft.own.rstrip()
    close = max(len(own) - CLOSE_CHARS, _opening_end(own))
    if units is None:
        units = [(o, pack.paragraphs.paragraph(p)) for o, p in paragraphs(draft.own)]
    # A thanks phrase counts where it starts within the close. Whole paragraphs are read
    # (neither kind of phrase spans a blank line), so that each is one memo entry
    # whatever the close cuts off; the last one, where the sign-off is, first.
    for offset, unit in reversed(units):
        if offset + len(unit.text) <= close:
            break
        if any(offset + start >= close for start in unit.thanks):
            return []
    return [hit(pack, "no-thanks", "body")]


def _filename_words(filename: str) -> list[str]:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    decomposed = unicodedata.normalize("NFKD", stem)
    stem = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Split camelCase and digits: "JaneDoeCV2024" reads as Jane, Doe, CV, 2024. The last
    # capital of a run of them starts the next word when small letters follow ("CVJane").
    words: list[str] = []
    for chunk in _CHUNKS.findall(stem):
        runs = _CASE_RUNS.findall(chunk)
        for i, run in enumerate(runs):
            following = runs[i + 1] if i + 1 < len(runs) else ""
            if run.isupper() and following.isalpha() and following.islower():
                if len(run) > 1:
                    words.append(run[:-1])
                runs[i + 1] = run[-1] + following
            else:
                words.append(run)
    return [w.lower() for w in words]


_CHUNKS = linear.compile(r"[A-Za-z0-9]+")
_CASE_RUNS = linear.compile(r"[A-Z]+|[a-z]+|[0-9]+")


def _run_together_resume(word: str) -> bool:
    """ "janedoeresume", "resumejanedoe"; not the words that merely contain the letters
    ("presume", "resumed", "resuming")."""
    if len(word) <= len("resume"):
        return False
    if word.endswith("resume"):
        return not word.endswith(_NOT_RESUME_ENDINGS)
    return word.startswith("resume") and not word.startswith(_NOT_RESUME_STARTS)


# A resume attached to applications elsewhere, told as a story: "I've applied to about
# thirty roles, attaching my resume and a cover letter each time".
_APPLIED_ELSEWHERE = linear.compile(
    r"(?:applied|applying|sent applications|sent out applications|submitted applications)"
    r"(?:\s+(?:to|for|at))?\s+(?:about\s+|around\s+|over\s+|nearly\s+|more\s+than\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen|dozens|twenty|thirty|"
    r"forty|fifty|a\s+hundred|hundreds|several|many|multiple|countless)",
    linear.IGNORECASE,
    whole_words=True,
)
_SENTENCE_MARK = frozenset(".!?\n")


def told_elsewhere(draft: Draft, found: Hit) -> bool:
    """Whether a resume the text names as attached was attached to applications elsewhere,
    per its sentence."""
    text = draft.body
    # Up to 300 characters each way, to the nearest sentence mark (str.rfind and find in
    # C: a character loop here cost 0.4 s on a draft naming its resume thousands of times).
    low, high = max(0, found.start - 300), min(len(text), found.end + 300)
    start = max((text.rfind(mark, low, found.start) + 1 for mark in _SENTENCE_MARK), default=low)
    start = max(start, low)
    ends = [at for mark in _SENTENCE_MARK if (at := text.find(mark, found.end, high)) >= 0]
    end = min(ends, default=high)
    return _APPLIED_ELSEWHERE.search(text[start:end]) is not None


@lru_cache(maxsize=1024)  # the same attachments come with every keystroke
def is_resume_filename(filename: str) -> bool:
    words = _filename_words(filename)
    if any(w in _ABOUT_RESUMES for w in words):
        return False
    if "cv" in words and any(w in _NOT_A_CV for w in words):
        words = [w for w in words if w != "cv"]
    return any(w in _RESUME_WORDS or _run_together_resume(w) for w in words)


def resume_attachments(draft: Draft, pack: Pack) -> list[Hit]:
    return [
        hit(
            pack, "resume-attachment", "attachments", 0, 0, a.filename,
            attachment=a.filename, filename=a.filename,
        )
        for a in draft.attachments
        if is_resume_filename(a.filename)
    ]  # fmt: skip
