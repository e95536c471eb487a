"""Precision and recall of every rule on the labelled corpora (`make eval`).

Reads `tests/corpus/dev`, `tests/corpus/holdout` and, when present, the team's shared
corpus (`../shared/corpus`), each with an `expected.json` (see tests/corpus/README.md).
For each rule it counts the drafts where it fired as expected, fired when it should not
(false alarms) and stayed quiet when it should have fired (misses), and names the drafts
behind each miss and false alarm. Holdout drafts are for measuring only, so for them only
the figures are printed unless `--show-holdout` is given. It exits non-zero when a rule is
below 95% precision or recall on dev or on the project's corpus as a whole (dev and
holdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    "dev": ROOT / "tests" / "corpus" / "dev",
    "holdout": ROOT / "tests" / "corpus" / "holdout",
    "shared": ROOT.parent / "shared" / "corpus",
}
TARGET = 0.95
PROJECT = ("dev", "holdout")  # the corpus kept in this repository


@dataclass
class RuleScore:
    true_positives: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)
    true_negatives: int = 0

    @property
    def precision(self) -> float | None:
        fired = self.true_positives + len(self.false_positives)
        return self.true_positives / fired if fired else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else None

    def meets(self, target: float = TARGET) -> bool:
        return all(v is None or v >= target for v in (self.precision, self.recall))


@dataclass
class CorpusScore:
    name: str
    drafts: int = 0
    rules: dict[str, RuleScore] = field(default_factory=dict)
    referrer_wrong: list[str] = field(default_factory=list)
    asks_wrong: list[str] = field(default_factory=list)
    asks_labelled: int = 0

    def meets(self, target: float = TARGET) -> bool:
        return all(score.meets(target) for score in self.rules.values())

    def __add__(self, other: CorpusScore) -> CorpusScore:
        """Both corpora's counts per rule, as one (the drafts' names kept)."""
        total = CorpusScore(f"{self.name} + {other.name}", self.drafts + other.drafts)
        for rule in {*self.rules, *other.rules}:
            a, b = self.rules.get(rule, RuleScore()), other.rules.get(rule, RuleScore())
            total.rules[rule] = RuleScore(
                a.true_positives + b.true_positives,
                a.false_positives + b.false_positives,
                a.false_negatives + b.false_negatives,
                a.true_negatives + b.true_negatives,
            )
        total.referrer_wrong = self.referrer_wrong + other.referrer_wrong
        total.asks_wrong = self.asks_wrong + other.asks_wrong
        total.asks_labelled = self.asks_labelled + other.asks_labelled
        return total


def expected_of(directory: Path) -> dict[str, dict[str, object]]:
    path = directory / "expected.json"
    if not path.is_file():
        return {}
    loaded: dict[str, dict[str, object]] = json.loads(path.read_text("utf-8"))
    return loaded


def evaluate(name: str, directory: Path) -> CorpusScore:
    from intro_coach.analyzer import analyze
    from intro_coach.emails import load_request
    from intro_coach.rules.pack import default_pack

    reader = default_pack().asks
    score = CorpusScore(name)
    for draft, expected in sorted(expected_of(directory).items()):
        score.drafts += 1
        response = analyze(load_request(directory / draft))
        fired = {f.rule for f in response.findings}
        rules = expected["expect"]
        assert isinstance(rules, dict)
        for rule, should_fire in rules.items():
            s = score.rules.setdefault(rule, RuleScore())
            did = rule in fired
            if did and should_fire:
                s.true_positives += 1
            elif did:
                s.false_positives.append(draft)
            elif should_fire:
                s.false_negatives.append(draft)
            else:
                s.true_negatives += 1
        found = response.referrer.name if response.referrer else None
        if "referrer" in expected and found != expected["referrer"]:
            score.referrer_wrong.append(f"{draft} (got {found!r}, want {expected['referrer']!r})")
        labelled = expected.get("asks")
        if isinstance(labelled, list):
            score.asks_labelled += 1
            request = load_request(directory / draft)
            from intro_coach.draft import prepare

            # As the analyzer reads it, subject included; a reply's subject is the
            # thread's, not what this draft asks.
            prepared = prepare(request)
            subject = "" if prepared.is_reply else prepared.subject
            kinds: set[str] = set(reader.read(prepared.own, subject).kinds) or {"none"}
            if kinds != set(labelled):
                score.asks_wrong.append(f"{draft} (got {sorted(kinds)}, want {sorted(labelled)})")
    return score


def _percent(value: float | None) -> str:
    return "   —" if value is None else f"{100 * value:3.0f}%"


def report(score: CorpusScore, details: bool) -> str:
    lines = [f"== {score.name}: {score.drafts} drafts =="]
    lines.append(f"{'rule':26} {'prec':>5} {'recall':>6}  {'TP':>3} {'FP':>3} {'FN':>3}")
    for rule, s in sorted(score.rules.items()):
        mark = "" if s.meets() else "  <- below 95%"
        lines.append(
            f"{rule:26} {_percent(s.precision):>5} {_percent(s.recall):>6}  "
            f"{s.true_positives:3} {len(s.false_positives):3} {len(s.false_negatives):3}{mark}"
        )
    lines.append(f"referrer wrong: {len(score.referrer_wrong)} of {score.drafts}")
    if score.asks_labelled:
        lines.append(f"asks read differently: {len(score.asks_wrong)} of {score.asks_labelled}")
    if details:
        for rule, s in sorted(score.rules.items()):
            for draft in s.false_positives:
                lines.append(f"  false alarm  {rule}: {draft}")
            for draft in s.false_negatives:
                lines.append(f"  miss         {rule}: {draft}")
        lines += [f"  referrer     {d}" for d in score.referrer_wrong]
        lines += [f"  asks         {d}" for d in score.asks_wrong]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-holdout", action="store_true", help="name holdout drafts too")
    parser.add_argument(
        "corpora", nargs="*", metavar="CORPUS", help=f"any of {', '.join(CORPORA)} (default: all)"
    )
    args = parser.parse_args(argv)
    unknown = [c for c in args.corpora if c not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(CORPORA)}")
    args.corpora = args.corpora or list(CORPORA)
    ok = True
    project: list[CorpusScore] = []
    for name in args.corpora:
        directory = CORPORA[name]
        if not expected_of(directory):
            print(f"== {name}: not present ({directory}) ==\n")
            continue
        score = evaluate(name, directory)
        details = name != "holdout" or args.show_holdout
        print(report(score, details) + "\n")
        if name == "dev":
            ok = ok and score.meets()
        if name in PROJECT:
            project.append(score)
    if len(project) == len(PROJECT):
        # The project's corpus as a whole, the figure the target is set on (with dev on
        # its own); the holdout's own table above is the check on drafts the rules were
        # never tuned to, shown with its marks but too small alone to gate on (one draft
        # is six to eleven points of a rule's precision there).
        whole = project[0] + project[1]
        print(report(whole, details=False) + "\n")
        ok = ok and whole.meets()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
