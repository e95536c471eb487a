"""The rule pack: every example runs, malformed packs are rejected, swaps keep case."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from intro_coach.analyzer import analyze
from intro_coach.rules.pack import PackError, PackRule, compile_phrase, default_pack, parse_pack
from intro_coach.schema import AnalyzeRequest, Body

PACK_FILE = Path(__file__).resolve().parent.parent / "backend/intro_coach/rules/pack.yaml"
RULE_IDS = {
    "informational-interview", "resume-attached", "referrer-not-in-subject", "job-ask",
    "pick-your-brain", "missing-subject", "too-long", "no-clear-ask", "no-time-frame",
    "no-opinion-ask", "no-thanks",
}  # fmt: skip

EXAMPLES = [
    (rule, text, expected)
    for rule in default_pack().rules
    for expected, texts in ((True, rule.examples_match), (False, rule.examples_no_match))
    for text in texts
]


def by_id(rule_id: str) -> PackRule:
    return default_pack().rule(rule_id)


def body_rules(text: str) -> set[str]:
    result = analyze(AnalyzeRequest(subject="Hello there", body=Body(text=text)))
    return {f.rule for f in result.findings if f.field == "body"}


def test_every_rule_has_examples_both_ways() -> None:
    for rule in default_pack().rules:
        assert rule.examples_match and rule.examples_no_match, rule.id


@pytest.mark.parametrize(
    ("rule", "text", "expected"), EXAMPLES, ids=[f"{r.id}:{t[:40]}" for r, t, _ in EXAMPLES]
)
def test_pack_example(rule: PackRule, text: str, expected: bool) -> None:
    assert bool(list(rule.find(text))) is expected
    assert (rule.id in body_rules(text)) is expected
    if expected and "subject" in rule.fields:
        result = analyze(AnalyzeRequest(subject=text, body=Body(text="Hello")))
        assert any(f.rule == rule.id and f.field == "subject" for f in result.findings)


def test_check_rule_ids_are_the_documented_ones() -> None:
    pack = default_pack()
    ids = {r.id for r in pack.rules} | {c.rule for c in pack.checks.values()}
    assert ids == RULE_IDS
    for rule in pack.rules:
        assert rule.message and rule.explanation
        assert rule.link is None or rule.link.startswith("https://")
    for check in pack.checks.values():
        assert check.link is None or check.link.startswith("https://")


@pytest.mark.parametrize(
    ("matched", "expected"),
    [
        ("an informational interview", "a 20-minute conversation"),
        ("An informational interview", "A 20-minute conversation"),
        ("AN INFORMATIONAL INTERVIEW", "A 20-MINUTE CONVERSATION"),
        ("An Informational Interview", "A 20-Minute Conversation"),
        ("An informational\ninterview", "A 20-minute conversation"),
    ],
)
def test_replacements_keep_case(matched: str, expected: str) -> None:
    result = analyze(AnalyzeRequest(subject="Hi", body=Body(text=f"Could we do {matched}?")))
    finding = next(f for f in result.findings if f.rule == "informational-interview")
    assert finding.match == matched
    assert finding.replacements[0] == expected


def test_replacements_follow_the_pattern_that_matched() -> None:
    result = analyze(AnalyzeRequest(subject="Hi", body=Body(text="I do informational interviews.")))
    finding = next(f for f in result.findings if f.rule == "informational-interview")
    assert finding.replacements == ["short conversations", "quick calls"]


def load() -> dict[str, object]:
    data = yaml.safe_load(PACK_FILE.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_shipped_pack_parses() -> None:
    pack = parse_pack(PACK_FILE.read_text("utf-8"))
    assert len(pack.rules) == len(default_pack().rules)


def broken(change: str) -> dict[str, object]:
    data = load()
    rules = data["rules"]
    assert isinstance(rules, list)
    rule = rules[0]
    if change == "severity":
        rule["severity"] = "fatal"
    elif change == "group":
        rule["patterns"] = ["(informational) interview"]
    elif change == "message":
        del rule["message"]
    elif change == "explanation":
        rule["explanation"] = 3
    elif change == "regex":
        rule["patterns"] = ["informational (interview"]
    elif change == "empty-match":
        rule["patterns"] = ["(?:informational)?"]
    elif change == "no-patterns":
        rule["patterns"] = []
    elif change == "replacements":
        rule["patterns"] = [{"pattern": "info interview", "replacements": "a call"}]
    elif change == "examples":
        rule["examples"] = ["x"]
    elif change == "fields":
        rule["fields"] = ["attachments"]
    elif change == "duplicate":
        rules.append(dict(rule))
    elif change == "rule-not-mapping":
        rules.append("informational interview")
    elif change == "missing-check":
        checks = data["checks"]
        assert isinstance(checks, dict)
        del checks["no-thanks"]
    elif change == "check-severity":
        checks = data["checks"]
        assert isinstance(checks, dict)
        checks["no-thanks"]["severity"] = "loud"
    elif change == "phrases":
        phrases = data["phrases"]
        assert isinstance(phrases, dict)
        phrases["thanks"] = "thanks"
    return data


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("severity", "severity"),
        ("group", "groups are reserved"),
        ("message", "'message'"),
        ("explanation", "'explanation'"),
        ("regex", "bad pattern"),
        ("empty-match", "empty"),
        ("no-patterns", "patterns"),
        ("replacements", "replacements"),
        ("examples", "examples"),
        ("fields", "fields"),
        ("duplicate", "unique"),
        ("rule-not-mapping", "mapping"),
        ("missing-check", "no-thanks"),
        ("check-severity", "severity"),
        ("phrases", "thanks"),
    ],
)
def test_malformed_packs_are_rejected_clearly(change: str, says: str) -> None:
    with pytest.raises(PackError, match=says):
        parse_pack(yaml.safe_dump(broken(change), allow_unicode=True))


@pytest.mark.parametrize("source", ["", "- a list", "rules: 3", "{rules: [], phrases: {}}"])
def test_not_a_pack(source: str) -> None:
    with pytest.raises(PackError):
        parse_pack(source)


def test_adding_a_phrase_is_a_data_change() -> None:
    data = load()
    rules = data["rules"]
    assert isinstance(rules, list)
    rules[0]["patterns"].append("informational hangout")
    pack = parse_pack(yaml.safe_dump(data, allow_unicode=True))
    result = analyze(
        AnalyzeRequest(subject="Hi", body=Body(text="Up for an informational hangout?")), pack=pack
    )
    assert any(f.rule == "informational-interview" for f in result.findings)


def test_a_phrase_list_s_translated_pattern_is_not_changed_by_translating_it_again() -> None:
    # Phrases joins its alternatives, already in RE2's syntax, without translating the
    # result again (linear.Regex's `translated`): right only while that is a fixed point.
    from intro_coach import linear

    pack = default_pack()
    lists = [rule.phrases for rule in pack.rules]
    lists += [pack.thanks, pack.not_thanks, pack.resume_request]
    for phrases in lists:
        pattern = phrases.whole_pattern()
        assert linear._translate(pattern, 0) == pattern


@pytest.mark.parametrize(
    ("pattern", "compiled"),
    [
        (
            "pick your brain",
            r"pick[\s\u00a0\-\u2010\u2011\u2013\u2014]+your[\s\u00a0\-\u2010\u2011\u2013\u2014]+brain",
        ),
        ("i'd", "i['’]d"),
        ("[a-z']+", "[a-z'’]+"),
        (r"a\ b\'c", r"a\ b\'c"),  # escapes are kept
        (r"[\'x]", r"[\'x]"),
        ("[ ]x", "[ ]x"),  # a space in a class is a space
        ("(?:x|y) z", r"(?:x|y)[\s\u00a0\-\u2010\u2011\u2013\u2014]+z"),
        ("[abc", "[abc"),
        ("trailing\\", "trailing\\"),
    ],
)
def test_compile_phrase(pattern: str, compiled: str) -> None:
    assert compile_phrase(pattern) == compiled
