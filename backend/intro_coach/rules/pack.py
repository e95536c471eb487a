"""Loading the rule pack (`pack.yaml`) and matching its phrases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from intro_coach.asks import AskWords, AskWordsError
from intro_coach.linear import IGNORECASE, Regex, Unsupported
from intro_coach.rules.prefilter import Phrases, required_words
from intro_coach.schema import Severity
from intro_coach.subjects import SubjectWords, SubjectWordsError
from intro_coach.text import per_paragraph

if TYPE_CHECKING:
    from intro_coach.rules.paragraph import ParagraphReader

_SEVERITIES = ("error", "warning", "suggestion")
_FIELDS = ("subject", "body")
# What a space in a pattern stands for: the gap between two words as people type it,
# wrapped, hyphenated or pasted with a no-break space.
_GAP = r"[\s\u00a0\-\u2010\u2011\u2013\u2014]+"


# The whole-email checks (rules/checks.py) that take their words from the pack.
REQUIRED_CHECKS = (
    "missing-subject", "referrer-not-in-subject", "too-long", "no-clear-ask", "no-time-frame",
    "long-time-frame", "no-opinion-ask", "no-thanks", "resume-attachment", "job-ask",
)  # fmt: skip


class PackError(ValueError):
    """The rule pack is malformed; raised at load time, never while analyzing."""


# What compile_phrase rewrites: an escape (kept), a character class (quotes inside it
# widened), a space, a straight quote. The pack is ours; this runs once per pattern.
_PHRASE_PARTS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?|[ ']", re.DOTALL)
_IN_CLASS = re.compile(r"\\.|'", re.DOTALL)


def _phrase_part(found: re.Match[str]) -> str:
    part = found.group()
    if part == " ":
        return _GAP
    if part == "'":
        return "['’]"
    if part[0] == "[":
        return _IN_CLASS.sub(lambda m: "'’" if m.group() == "'" else m.group(), part)
    return part


def compile_phrase(pattern: str) -> str:
    """Rewrite a pack pattern into a plain regular expression (see pack.yaml's header)."""
    if "[" not in pattern and "\\" not in pattern:  # most of them: no class, no escape
        return pattern.replace("'", "['’]").replace(" ", _GAP)
    return _PHRASE_PARTS.sub(_phrase_part, pattern)


def compile_phrases(patterns: list[str], capture: bool = False, validate: bool = True) -> Phrases:
    return Phrases([compile_phrase(p) for p in patterns], capture=capture, validate=validate)


def _title_case(text: str) -> str:
    """Each word's first letter in capitals (a word starts the text or follows a space
    or a hyphen); our own replacement text, so plain code."""
    out = []
    after_gap = True
    for ch in text:
        out.append(ch.upper() if after_gap and ch.isalpha() else ch)
        after_gap = ch.isspace() or ch == "-"
    return "".join(out)


def match_case(replacement: str, matched: str) -> str:
    """The swap in the writer's case: a subject in capitals or Title Case stays so."""
    words = matched.split()
    if len(words) > 1 and matched.isupper():
        return replacement.upper()
    if len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return _title_case(replacement)
    if matched[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True)
class PhraseMatch:
    """A phrase rule's match: where, the text, the swaps it offers."""

    start: int
    end: int
    text: str
    replacements: tuple[str, ...]


@dataclass(frozen=True)
class PackRule:
    """A phrase rule of the pack: its words as one `Phrases`, with its wording."""

    id: str
    severity: Severity
    fields: tuple[str, ...]
    message: str
    explanation: str
    link: str | None
    phrases: Phrases
    replacements: tuple[tuple[str, ...], ...]  # by pattern, in the pack's order
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]

    def find(self, text: str) -> Iterator[PhraseMatch]:
        for index, start, end in self.phrases.finditer(text):
            yield PhraseMatch(start, end, text[start:end], self.replacements[index])


@dataclass(frozen=True)
class CheckText:
    """The words of a whole-email check; the check itself is code."""

    rule: str  # the rule id its findings carry; several checks can share one
    severity: Severity
    message: str
    explanation: str
    link: str | None
    settings: dict[str, Any]


class RuleScanner:
    """Every phrase rule over one paragraph at once, remembered as one memo entry: while
    someone types, each unchanged paragraph costs one lookup, not one per rule."""

    def __init__(self, rules: tuple[PackRule, ...]) -> None:
        self.rules = rules

    @per_paragraph
    def scan(self, paragraph: str) -> tuple[tuple[int, int, int, int], ...]:
        """(rule index, pattern index, start, end) of every match in the paragraph."""
        return tuple(
            (r, index, start, end)
            for r, rule in enumerate(self.rules)
            for index, start, end in rule.phrases.spans(paragraph)
        )


@dataclass(frozen=True)
class Pack:
    """The rule pack, loaded: phrase rules, checks' wording and word lists."""

    rules: tuple[PackRule, ...]
    checks: dict[str, CheckText]
    asks: AskWords  # what each sentence asks for (asks.py)
    subjects: SubjectWords  # subject suggestions (subjects.py)
    thanks: Phrases
    not_thanks: Phrases
    resume_request: Phrases
    scanner: RuleScanner = field(init=False, repr=False, compare=False)
    paragraphs: ParagraphReader = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from intro_coach.rules.paragraph import ParagraphReader  # it reads packs

        object.__setattr__(self, "scanner", RuleScanner(self.rules))
        reader = ParagraphReader(self.scanner, self.asks, self.thanks, self.not_thanks)
        object.__setattr__(self, "paragraphs", reader)

    def rule(self, rule_id: str) -> PackRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _require(entry: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind):
        raise PackError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{where}: '{what}' must be a list of strings")
    return tuple(value)


def _parse_rule(entry: Any, validate: bool = True) -> PackRule:
    if not isinstance(entry, dict):
        raise PackError(f"rules: each rule must be a mapping, not {entry!r}")
    where = f"rule {entry.get('id', '?')!r}"
    rule_id = _require(entry, "id", str, where)
    severity = _require(entry, "severity", str, where)
    if severity not in _SEVERITIES:
        raise PackError(f"{where}: severity must be one of {', '.join(_SEVERITIES)}")
    fields = tuple(entry.get("fields", _FIELDS))
    if not set(fields) <= set(_FIELDS):
        raise PackError(f"{where}: fields must be among {', '.join(_FIELDS)}")
    patterns: list[str] = []
    replacements: list[tuple[str, ...]] = []
    not_after: list[tuple[str, ...]] = []
    not_before: list[tuple[str, ...]] = []
    for item in _require(entry, "patterns", list, where):
        if isinstance(item, str):
            item = {"pattern": item}
        if not isinstance(item, dict):
            raise PackError(f"{where}: a pattern is a string or a mapping, not {item!r}")
        pattern = _require(item, "pattern", str, where)
        if validate:
            try:
                compiled = Regex(compile_phrase(pattern), IGNORECASE)
                required_words(compile_phrase(pattern), IGNORECASE)  # Python must parse it too
            except (re.error, Unsupported) as exc:
                raise PackError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
            if compiled.groups:
                raise PackError(f"{where}: use (?:...) in {pattern!r}; groups are reserved")
            if compiled.match(""):
                # An empty match would be a finding with nothing to highlight, everywhere.
                raise PackError(f"{where}: pattern {pattern!r} matches empty text")
        patterns.append(pattern)
        replacements.append(_strings(item.get("replacements", []), "replacements", where))
        words = _strings(item.get("not_after", []), "not_after", where)
        if any(len(w) > 20 or not w for w in words):
            raise PackError(f"{where}: 'not_after' words are 1 to 20 characters")
        not_after.append(words)
        words = _strings(item.get("not_before", []), "not_before", where)
        if any(len(w) > 20 or not w for w in words):
            raise PackError(f"{where}: 'not_before' words are 1 to 20 characters")
        not_before.append(words)
    if not patterns:
        raise PackError(f"{where}: 'patterns' must not be empty")
    link = entry.get("link")
    if link is not None and not isinstance(link, str):
        raise PackError(f"{where}: 'link' must be a str")
    # One capture group per pattern tells which one matched, and so which swaps apply.
    phrases = Phrases(
        [compile_phrase(p) for p in patterns],
        capture=True,
        not_after=not_after,
        not_before=not_before,
        validate=validate,
    )
    examples = entry.get("examples", {})
    if not isinstance(examples, dict):
        raise PackError(f"{where}: 'examples' must be a mapping with 'match' and 'no_match'")
    return PackRule(
        id=rule_id,
        severity=cast(Severity, severity),
        fields=fields,
        message=_require(entry, "message", str, where),
        explanation=_require(entry, "explanation", str, where),
        link=link,
        phrases=phrases,
        replacements=tuple(replacements),
        examples_match=_strings(examples.get("match", []), "examples.match", where),
        examples_no_match=_strings(examples.get("no_match", []), "examples.no_match", where),
    )


def _parse_check(check_id: str, entry: Any, defaults: PackRule | None) -> CheckText:
    where = f"check {check_id!r}"
    if not isinstance(entry, dict):
        raise PackError(f"{where}: must be a mapping")
    severity = entry.get("severity", defaults.severity if defaults else None)
    if severity not in _SEVERITIES:
        raise PackError(f"{where}: severity must be one of {', '.join(_SEVERITIES)}")
    explanation = entry.get("explanation", defaults.explanation if defaults else None)
    if not isinstance(explanation, str):
        raise PackError(f"{where}: 'explanation' must be a str")
    known = {"severity", "message", "explanation", "link", "inherits", "rule"}
    return CheckText(
        rule=entry.get("rule", defaults.id if defaults else check_id),
        severity=cast(Severity, severity),
        message=_require(entry, "message", str, where),
        explanation=explanation,
        link=entry.get("link", defaults.link if defaults else None),
        settings={k: v for k, v in entry.items() if k not in known},
    )


def _phrase_list(phrases: dict[str, Any], key: str, validate: bool = True) -> Phrases:
    patterns = _strings(phrases.get(key), key, "phrases")
    try:
        return compile_phrases(list(patterns), validate=validate)
    except (re.error, Unsupported) as exc:
        raise PackError(f"phrases: bad pattern in {key!r}: {exc}") from exc


def _ask_words(section: dict[str, Any], validate: bool = True) -> AskWords:
    try:
        return AskWords(section, compile_phrase, validate=validate)
    except (AskWordsError, re.error) as exc:
        raise PackError(str(exc)) from exc


def _subject_words(section: Any, validate: bool = True) -> SubjectWords:
    try:
        return SubjectWords.parse(section, validate=validate)
    except SubjectWordsError as exc:
        raise PackError(str(exc)) from exc


def parse_pack(source: str, *, validate: bool = True) -> Pack:
    """The pack in `source`. `validate` compiles every pattern now, so that a bad one
    fails here; without it (the shipped pack, which the tests validate) patterns compile
    when a draft first needs them, which keeps start-up fast."""
    return parse_data(_load_yaml(source), validate=validate)


def _load_yaml(source: str) -> Any:
    import yaml  # a warm linter start takes the parsed pack from its cache instead

    # The C loader when PyYAML has it: the pure-Python one costs more than the analysis.
    return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parse_data(data: Any, *, validate: bool = True) -> Pack:
    """The pack in `data`, as the YAML parser gives it (see `parse_pack`)."""
    if not isinstance(data, dict):
        raise PackError("the pack must be a mapping with 'rules' and 'phrases'")
    rules = tuple(_parse_rule(entry, validate) for entry in _require(data, "rules", list, "pack"))
    phrases = _require(data, "phrases", dict, "pack")
    by_id = {rule.id: rule for rule in rules}
    if len(by_id) < len(rules):
        raise PackError("rules: rule ids must be unique")
    checks = {
        check_id: _parse_check(
            check_id,
            entry,
            by_id.get(entry.get("inherits", "")) if isinstance(entry, dict) else None,
        )
        for check_id, entry in _require(data, "checks", dict, "pack").items()
    }
    missing = [c for c in REQUIRED_CHECKS if c not in checks]
    if missing:
        raise PackError(f"checks: missing {', '.join(missing)}")
    return Pack(
        rules=rules,
        checks=checks,
        resume_request=_phrase_list(phrases, "resume_request", validate),
        asks=_ask_words(_require(data, "asks", dict, "pack"), validate),
        subjects=_subject_words(data.get("subjects"), validate),
        thanks=_phrase_list(phrases, "thanks", validate),
        not_thanks=_phrase_list(phrases, "not_thanks", validate),
    )


@cache
def default_pack() -> Pack:
    from intro_coach.rules import pack_cache

    source = pack_cache.pack_source()
    _, data = pack_cache.load(source)
    if data is None:
        data = _load_yaml(source)
    pack = parse_data(data, validate=False)  # tests/test_pack.py validates it
    pack_cache.save(source, data)
    return pack
