"""Who referred the writer, whether the subject names them, and subjects that do.

Names are found by the phrasing around them ("X suggested I contact you", "referred to
you by X"), never by a list of names, so any name works: accents, apostrophes, hyphens,
particles ("van der"), one word or four. Titles are kept apart: "Dr. Priya Patel" is
returned as "Priya Patel", and "Dr. Patel" in a subject still counts as naming her.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from intro_coach import linear
from intro_coach.rules.prefilter import Phrases
from intro_coach.text import paragraphs, per_paragraph

_UPPER = "".join(chr(c) for c in (*range(0x41, 0x250), *range(0x370, 0x530)) if chr(c).isupper())
_LETTER = r"[^\W\d_]"
_WORD = rf"(?:(?:[dDlL]|[aAeE]l)['’\-])?[{_UPPER}]{_LETTER}*(?:['’\-]{_LETTER}+)*"
_PARTICLE = r"(?:van|von|de|da|del|della|di|du|la|le|der|den|ter|bin|ibn|dos|das|y|e)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_WORD}){{0,3}}"
TITLES = (
    "Dr", "Prof", "Professor", "Mr", "Mrs", "Ms", "Mx", "Miss", "Dean", "Rev", "Sir",
    "Dame", "Judge", "Coach", "Capt", "Captain", "Senator", "Rep", "Pastor", "Rabbi",
)  # fmt: skip
_TITLE = rf"(?:{'|'.join(TITLES)})\.?"
_PERSON = rf"(?:(?P<title>{_TITLE})[ \t]+)?(?P<name>{_NAME})"

# The person comes first: "Sally Smith suggested I contact you", "Priya Patel, my thesis
# adviser, recommended I reach out".
_AFTER_NAME = (
    r"""(?:suggested|recommended|advised|encouraged\ me|urged\ me|told\ me|said)\ +
    (?:(?:that\ +)?(?:i|we)\ +(?:should\ +|might\ +|could\ +)?
       (?:contact|reach|write|e-?mail|get\ in\ touch|speak|talk|connect|chat|touch\ base|ask
        |message|drop|meet|call|get\ coffee)
     |(?:contacting|reaching|writing|e-?mailing|getting\ in\ touch|speaking|talking
        |connecting|chatting|asking|meeting)
     |(?:to\ +)?(?:contact|reach\ out|talk|speak|connect|write)
     |you(?:'d|’d|\ would|\ might|\ could|'re|’re|\ are)?)""",
    r"(?:referred|directed|pointed|sent|steered)\ +me",
    r"""(?:suggested|recommended|advised|told|asked|encouraged|urged)\ +me\ +to\ +
    (?:contact|reach|write|e-?mail|get\ in\ touch|speak|talk|connect|ask|message|call|meet)""",
    r"""(?:gave|passed\ +along|passed\ +on|passed|shared|forwarded|sent|provided)\ +(?:me\ +)?
    (?:your|along\ +your)\ +(?:name|e-?mail|contact|details|info|information|address|number
    |profile|linkedin|website|article|work)""",
    r"""(?:mentioned|(?:spoke|speaks|has\ spoken)\ +(?:very\ +|so\ +|really\ +)?highly\ +of
    |raved\ about)\ +(?:you|your|that\ you)""",
    r"told\ +me\ +(?:all\ +)?about\ +(?:you|your)",
    r"""thought\ +(?:that\ +)?(?:you|it\ would|it'd|i\ should|we\ should|we\ (?:might|could|would)
    |we'd|we’d|it’d|the\ two\ of\ us)""",
    r"(?:put|got)\ +(?:me|us)\ +in\ +touch",
    r"(?:connected|introduced)\ +(?:me|us)",
    r"(?:says|tells\ me)\ +(?:that\ +)?you",
)
# What can stand between the name and the verb: "Priya Patel, my thesis adviser,",
# "Sally Smith from Acme", or just the comma closing "My manager, Sally Smith,".
_APPOSITIVE = (
    r"(?:,[ \t]+(?:my|our|a|an|who|the)[^\w,.!?\n][^,.!?\n]{0,59},"
    r"|[ \t]*\([^()\n]{1,60}\)"  # "Sally Smith (my old manager)"
    # "Sally Smith — my manager —"
    r"|[ \t]+[\u2013\u2014-]+[ \t]+[^\n\u2013\u2014]{1,60}?[ \t]+[\u2013\u2014-]+"
    # "Lauren Hayes at the Kellogg alumni office", "Lucia Ferraro of the Boston chapter of
    # the IEEE"
    rf"|[ \t]+(?:from|at|of|with)[ \t]+(?:the[ \t]+)?{_WORD}(?:[ \t]+(?:{_WORD}|[a-z]+)){{0,6}}"
    r"|,)?"
)
# Searching for the verb first and then reading the name just before it is several
# times faster than one regex that tries a name at every capital letter of the draft.
# Each phrase is only tried when its words are in the draft at all (see prefilter.py).
# Compiled when first searched (the linter may never need them); the tests compile all.
_VERB_AFTER_NAME = Phrases(_AFTER_NAME, flags=re.IGNORECASE | re.X, validate=False)
_NAME_BEFORE_VERB = linear.compile(
    rf"{_PERSON}{_APPOSITIVE}[ \t]+(?:who[ \t]+)?"
    r"(?:(?:also|kindly|highly|strongly|warmly)[ \t]+)?\Z",
    re.X,
)
_LOOKBACK = 160  # characters before the verb that can hold "Dr. Name, my old manager,"

# The person comes after: "I was referred to you by Dr. Priya Patel".
_BEFORE_NAME = Phrases(
    (
        r"""(?:referred|directed|pointed|sent|introduced|connected)\ +(?:to\ +you\ +
        |your\ +way\ +|here\ +|with\ +you\ +)?(?:by|through|via)""",
        r"(?:at|on|per)\ +the\ +(?:suggestion|recommendation|advice|urging)\ +of",
        r"(?:recommended|suggested)\ +(?:to\ +me\ +)?by",
        r"""(?:came\ +up|was\ +mentioned)\ +(?:in\ +(?:a|my|our)\ +(?:recent\ +)?
        (?:conversation|chat|call|talk)\ +)?(?:with|by)""",
        r"""(?:got|received|have|was\ given|were\ given|obtained|found)\ +your\ +(?:name
        |e-?mail|contact(?:\ info(?:rmation)?|\ details)?|address|details|number)
        \ +(?:from|through|via|by)""",
        r"(?:a|our)\ +mutual\ +(?:friend|colleague|connection|contact|acquaintance),?",
    ),
    flags=re.IGNORECASE | re.X,
    whole_words=False,
    validate=False,
)
_PERSON_NEXT = linear.compile(rf"[ \t]+{_PERSON}")
_LOOKAHEAD = 300  # characters after "referred to you by" that can hold the name
_POSSESSIVE = Phrases(
    [
        rf"(?i:at|on|per|following)[ \t]+{_PERSON}['’]s?[ \t]+"
        r"(?i:suggestion|recommendation|advice|urging)"
    ],
    flags=re.NOFLAG,
    whole_words=False,
    validate=False,
)

# Capitalised words that start sentences or name organisations and things, never people.
_NOT_NAMES = frozenset(
    """
    a an and also actually after all although as at because before but by dear during
    either for from given he hello her hey hi his i if in it its last lately my next
    not now of on once one our recently she since so some that the their then there
    these they this those though thus to today tomorrow unfortunately we when while
    who why with yesterday you your yours
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
    linkedin google facebook twitter instagram handshake indeed glassdoor github slack
    reddit medium substack youtube tiktok meetup quora microsoft apple amazon meta
    alumni university college school institute association society network group team
    company inc llc ltd corp center centre department office foundation club program
    directory career careers services article post podcast blog website newsletter
    conference event panel talk board committee lab labs partners capital ventures bank
    agency hospital council magazine times journal review news community forum webinar
    workshop class course bootcamp book paper research report study
    """.split()
)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


@dataclass(frozen=True)
class Person:
    """A person a draft names, without their title, and where the name is."""

    name: str
    title: str | None = None
    start: int = 0
    end: int = 0

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _clean(title: str | None, name: str, start: int) -> Person | None:
    words = name.split()
    dropped = 0
    while words and (_fold(words[0]).strip(".") in _NOT_NAMES or words[0].rstrip(".") in TITLES):
        if words[0].rstrip(".") in TITLES:
            title = words[0]
        dropped += len(words[0]) + 1
        words.pop(0)
    if not words or any(_fold(w) in _NOT_NAMES for w in words):
        return None
    if any(len(w) > 2 and w.isupper() for w in words):
        return None  # an acronym: an organisation, not a person
    clean = " ".join(words)
    begin = start + dropped
    return Person(clean, title.rstrip(".") if title else None, begin, begin + len(clean))


def _names_before_verbs(text: str) -> Iterator[tuple[str | None, str, int]]:
    for _, verb_start, _ in _VERB_AFTER_NAME.spans(text):
        start = max(0, verb_start - _LOOKBACK)
        while 0 < start < verb_start and not text[start - 1].isspace():
            start += 1  # never begin the window inside a word
        m = _NAME_BEFORE_VERB.search(text[start:verb_start])
        if m:
            yield m.group("title"), m.group("name") or "", start + m.start("name")


# "I met Sally Smith at a meetup, and she suggested I reach out": the pronoun before the
# verb stands for the last full name before it in the paragraph.
_PRONOUN_BEFORE_VERB = linear.compile(
    r"(?i)(?:^|[^\w])(?:she|he|they)[ \t]+(?:also[ \t]+|kindly[ \t]+)?\z"
)
_FULL_NAME = linear.compile(rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{1,2}})")
_PLACE_BEFORE = ("in", "at", "from", "near", "of", "to", "for", "on", "visit", "visited")


def _names_by_pronoun(text: str) -> Iterator[tuple[str | None, str, int]]:
    for _, verb_start, _ in _VERB_AFTER_NAME.spans(text):
        if not _PRONOUN_BEFORE_VERB.search(text[max(0, verb_start - 20) : verb_start]):
            continue
        start = max(0, verb_start - 300)
        last = None
        for m in _FULL_NAME.finditer(text[start:verb_start]):
            before = text[start : start + m.start("name")].split()
            if before and before[-1].casefold().strip(",") in _PLACE_BEFORE:
                continue  # "in New York": a place, not a person
            last = m
        if last:
            yield None, last.group("name") or "", start + last.start("name")


def _names_after_phrases(text: str) -> Iterator[tuple[str | None, str, int]]:
    for phrase in _BEFORE_NAME.matches(text):
        after = phrase.end()
        m = _PERSON_NEXT.match(text[after : after + _LOOKAHEAD])
        if m:
            yield m.group("title"), m.group("name") or "", after + m.start("name")


def _names_by_possessive(text: str) -> Iterator[tuple[str | None, str, int]]:
    for m in _POSSESSIVE.matches(text):
        if m.start() == 0 or not _is_word(text[m.start() - 1]):  # "at", not "that"
            yield m.group("title"), m.group("name") or "", m.start("name")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@per_paragraph
def _people(paragraph: str) -> tuple[tuple[Person, ...], ...]:
    """Everyone one paragraph names as a referrer, by phrasing, in order."""
    return tuple(
        tuple(person for title, name, start in found if (person := _clean(title, name, start)))
        for found in (
            _names_before_verbs(paragraph),
            _names_after_phrases(paragraph),
            _names_by_possessive(paragraph),
            _names_by_pronoun(paragraph),
        )
    )


def find_referrer(
    text: str,
    exclude: frozenset[str] = frozenset(),
    read: Iterable[tuple[int, tuple[tuple[Person, ...], ...]]] | None = None,
) -> Person | None:
    """The first person the text says referred the writer, skipping `exclude` (folded).
    `read`: each paragraph's offset and `_people`, when the caller has them."""
    if read is None:
        read = ((offset, _people(paragraph)) for offset, paragraph in paragraphs(text))
    for offset, named in read:
        candidates = []
        for people in named:
            for person in people:
                folded = _fold(person.name)
                if folded not in exclude and folded.split()[0] not in exclude:
                    candidates.append(person)
                    break
        if candidates:
            first = min(candidates, key=lambda p: p.start)
            return Person(first.name, first.title, first.start + offset, first.end + offset)
    return None


# Replies to an introduction: the writer thanks the introducer in the opening line
# ("Thanks Sally (moved to bcc)!", "Thank you, Anika!", "Thanks so much for the intro,
# Sophie") and the quoted mail is the introduction, its header naming its author.
_THANKED = linear.compile(
    r"(?i:thanks|thank\s+you|many\s+thanks)(?:\s+(?i:so\s+much|a\s+lot|again|very\s+much))?"
    r"(?:\s+(?i:for)\s+(?i:the|this|your)?\s*(?i:kind\s+|warm\s+)?"
    r"(?i:intro|introduction|connection|connecting\s+us|introducing\s+us))?"
    rf"[ \t]*,?[ \t]+(?P<name>{_WORD})(?:\W|$)"
)
_QUOTE_AUTHOR = linear.compile(
    rf"(?P<name>{_NAME})[ \t\"']*(?:<|\[mailto:|\()[^\s<>()\[\]]+@[^\s<>()\[\]]+(?:>|\]|\))"
    r"[^\n]{0,120}\n?[^\n]{0,120}?wrote:"
    rf"|^[ \t>]*From:[ \t]*[\"']?(?P<from>{_NAME})",
    linear.MULTILINE,
)
_INTRO_CUES = linear.compile(
    r"meet|e-meet|introduc\w*|connecting\s+you|connect\s+you|you\s+two|you\s+both|"
    r"both\s+of\s+you|take\s+it\s+from\s+here|over\s+to\s+you",
    linear.IGNORECASE,
    whole_words=True,
)
_TIME_BEFORE_NAME = linear.compile(r"^(?:[AaPp]\.?[Mm]\.?|UTC|GMT|CET|EST|PST)\s+")


def _intro_cue(text: str) -> bool:
    return "<>" in text or _INTRO_CUES.search(text) is not None


_OPENING_CHARS = 300


def find_introducer(
    own: str, quoted: str, subject: str = "", exclude: frozenset[str] = frozenset()
) -> Person | None:
    """In a reply to an introduction, the introducer: thanked in the opening line, or the
    author of the quoted introduction (full name from its header when it has one)."""
    opening = own.lstrip()[:_OPENING_CHARS]
    thanked_match = _THANKED.search(opening)
    thanked = thanked_match.group("name") if thanked_match else None
    if thanked and _fold(thanked) in _NOT_NAMES:
        thanked = None
    author = None
    found = _QUOTE_AUTHOR.search(quoted) if quoted.strip() else None
    if found:
        raw = found.group("name") or found.group("from") or ""
        # "On Mon, Nov 2, 2026 at 8:41 AM Meredith Stone <...>": the time is not the name.
        raw = _TIME_BEFORE_NAME.sub("", raw)
        person = _clean(None, raw, 0) if raw else None
        if person and _fold(person.name) not in exclude:
            author = person.name
    if thanked and author and _same_first_name(_fold(author).split()[0], _fold(thanked)):
        return Person(author)
    if thanked and (_starts_word(opening.lower(), "bcc") or _intro_cue(quoted + subject)):
        folded = _fold(thanked)
        if folded not in exclude:
            return Person(thanked)
    if author and _intro_cue(quoted + " " + subject):
        return Person(author)
    return None


def _same_first_name(first: str, called: str) -> bool:
    """Whether someone whose first name is `first` may be thanked as `called` (both
    folded): the name itself, or a short form written inside it ("Jess" for Jessica,
    "Becca" for Rebecca, "Andy" for Andrew, "Katie" for Katherine, "Dave" for David)."""
    if first == called:
        return True
    stem = called
    for ending in ("ie", "y", "i", "e"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 3:
            stem = stem[: -len(ending)]
            break
    # A stem of three letters must start the name ("Dan" is not Jordan); a longer one
    # may sit inside it ("Beth" for Elizabeth).
    return first.startswith(stem) if len(stem) == 3 else len(stem) > 3 and stem in first


def parse_person(raw: str) -> Person | None:
    """A name the user typed ("Dr. Priya Patel"), split into title and name."""
    words = raw.split()
    title = None
    if words and words[0].rstrip(".") in TITLES and len(words) > 1:
        title = words.pop(0).rstrip(".")
    name = " ".join(words)
    return Person(name, title) if name else None


_FOLDED_TITLES = "|".join(re.escape(_fold(t)) for t in TITLES)


@lru_cache(maxsize=1024)  # asked again on every keystroke in the body
def subject_names(subject: str, person: Person) -> bool:
    """Whether the subject names the person: full name, or a title with the surname."""
    folded = _fold(subject)

    def has(phrase: str) -> bool:
        return _has_words(folded, _fold(phrase))

    if has(person.name):
        return True
    parts = person.name.split()
    if len(parts) > 1 and has(f"{parts[0]} {parts[-1]}"):
        return True  # "Maria Lopez" for "Maria de la Lopez"
    if (
        len(parts) > 1
        and len(f"{parts[0]} {parts[-1]}") > _LONGEST_NAME
        and has(_short_name(parts))
    ):
        return True  # a name too long for any subject: what referrer_subjects offers
    return _titled(_fold(person.surname)).search(folded) is not None


def _starts_word(text: str, word: str) -> bool:
    """Whether `word` is in `text` where no word character comes just before it."""
    at = text.find(word)
    while at >= 0:
        if at == 0 or not _is_word(text[at - 1]):
            return True
        at = text.find(word, at + 1)
    return False


def _has_words(text: str, phrase: str) -> bool:
    """Whether `phrase` is in `text` neither starting nor ending inside a word."""
    if not phrase:
        return False
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not _is_word(text[at - 1])) and (
            end == len(text) or not _is_word(text[end])
        ):
            return True
        at = text.find(phrase, at + 1)
    return False


@lru_cache(maxsize=256)
def _titled(surname: str) -> linear.Regex:
    return linear.compile(rf"(?:{_FOLDED_TITLES})\.?\s+{re.escape(surname)}", whole_words=True)


MAX_SUBJECT = 60
# The longest name the shortest template ("Referred by {name}") can carry.
_LONGEST_NAME = MAX_SUBJECT - len("Referred by ")


def _short_name(parts: list[str]) -> str:
    return parts[0][:_LONGEST_NAME]


_REFERRER_TEMPLATES = (
    ("{name} suggested I contact you", "Names the referrer first, as career offices advise."),
    ("Referred by {name}", "Short, and the referrer is the first thing they read."),
    ("{name} recommended I reach out", "Leads with the person you have in common."),
    ("Introduction via {name}", "Says at a glance how you found them."),
    ("{name} thought we should talk", "A warm opener that names the connection."),
)


def referrer_subjects(person: Person) -> list[tuple[str, str]]:
    """Subjects naming the person, best first, each at most MAX_SUBJECT characters."""
    return list(_referrer_subjects(person.name, person.title))


@lru_cache(maxsize=256)  # the same referrer with every keystroke; names are short
def _referrer_subjects(name: str, title: str | None) -> tuple[tuple[str, str], ...]:
    person = Person(name, title)
    names = [person.name]
    parts = person.name.split()
    if len(parts) > 2:
        names.append(f"{parts[0]} {parts[-1]}")
    if person.title:
        names.append(f"{person.title}. {person.surname}")
    names.append(_short_name(parts))
    subjects: list[tuple[str, str]] = []
    for template, reason in _REFERRER_TEMPLATES:
        for short in names:
            subject = template.format(name=short)
            if len(subject) <= MAX_SUBJECT:
                subjects.append((subject, reason))
                break
    return tuple(subjects)
