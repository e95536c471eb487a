"""The subject suggestions for every dev corpus draft, as a reviewed snapshot.

    python benchmarks/subjects_snapshot.py          # compare with the snapshot
    python benchmarks/subjects_snapshot.py --write  # rewrite it, then read the diff

Suggestions are what a user may send with one click, so a change in them is reviewed
like a change in code: rewrite the snapshot, read every changed line as the person
receiving that email would, and commit it with the change that caused it. Holdout drafts
are left out: their contents stay unseen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "dev"
SNAPSHOT = ROOT / "tests" / "corpus" / "subjects.snapshot.json"


def current() -> dict[str, dict[str, object]]:
    from intro_coach.analyzer import analyze
    from intro_coach.emails import load_request

    expected = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    out: dict[str, dict[str, object]] = {}
    for name in sorted(expected):
        request = load_request(CORPUS / name)
        response = analyze(request)
        out[name] = {
            "subject": request.subject,
            "suggestions": [s.subject for s in response.subject_suggestions],
        }
    return out


def render(snapshot: dict[str, dict[str, object]]) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the snapshot")
    args = parser.parse_args(argv)
    text = render(current())
    if args.write:
        SNAPSHOT.write_text(text, "utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}; review the diff before committing")
        return 0
    if SNAPSHOT.is_file() and SNAPSHOT.read_text("utf-8") == text:
        print("subject suggestions match the snapshot")
        return 0
    print("subject suggestions differ from the snapshot; run with --write and review the diff")
    return 1


if __name__ == "__main__":
    sys.exit(main())
