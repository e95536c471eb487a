"""Printing analyze results for people (text) and for tools (JSON, SARIF 2.1.0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intro_coach import __version__
from intro_coach.rules.pack import default_pack
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse, Finding
from intro_coach.text import LineIndex, utf16_len

_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Result:
    """One file's request and the analyzer's answer."""

    file: str
    request: AnalyzeRequest
    response: AnalyzeResponse

    def field_text(self, finding: Finding) -> str:
        if finding.field == "subject":
            return self.request.subject
        if finding.field == "body":
            if self.response.body_text is not None:
                return self.response.body_text
            return self.request.body.text or ""
        return ""

    def position(self, finding: Finding) -> tuple[int, int, int, int]:
        """Start line, start column, end line, end column (1-based, UTF-16 columns).

        A finding about the whole body (no ask, no thanks) has no words of its own; it is
        placed where the writer's text ends, where the missing sentence would go."""
        text = self.field_text(finding)
        index = LineIndex(text)
        if finding.field == "body" and finding.start == finding.end == 0 and not finding.match:
            end = utf16_len(self._own_text().rstrip())
            return (*index.position(end), *index.position(end))
        return (*index.position(finding.start), *index.position(finding.end))

    def _own_text(self) -> str:
        """The body with quoted history and signature blanked out, offsets kept."""
        from intro_coach.draft import prepare

        return prepare(self.request).own


def as_text(results: Sequence[Result]) -> str:
    lines = []
    for result in results:
        placed = [(finding, result.position(finding)) for finding in result.response.findings]
        for finding, (line, column, _, _) in sorted(
            placed, key=lambda fp: (fp[0].field, fp[1][:2])
        ):
            where = f"{result.file}:{finding.field}:{line}:{column}"
            lines.append(f"{where}: {finding.severity} {finding.rule} {finding.message}")
    return "\n".join(lines)


def as_json(results: Sequence[Result]) -> str:
    import json  # the text format, an editor's, does without it

    docs = [{"file": r.file, **r.response.model_dump(mode="json")} for r in results]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False)


def _rules() -> list[dict[str, Any]]:
    pack = default_pack()
    described: dict[str, tuple[str, str, str | None, str]] = {}
    for rule in pack.rules:
        described[rule.id] = (rule.message, rule.explanation, rule.link, rule.severity)
    for text in pack.checks.values():
        described.setdefault(text.rule, (text.message, text.explanation, text.link, text.severity))
    return [
        {
            "id": rule_id,
            "shortDescription": {"text": message},
            "fullDescription": {"text": explanation},
            **({"helpUri": link} if link else {}),
            "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        }
        for rule_id, (message, explanation, link, severity) in sorted(described.items())
    ]


def _grammar_rules(results: Sequence[Result]) -> list[dict[str, Any]]:
    # LanguageTool's rules are not known before it reports them: described as found.
    found = {
        f.rule: f for r in results for f in r.response.findings if f.rule.startswith("grammar:")
    }
    return [
        {
            "id": rule_id,
            "shortDescription": {"text": f"LanguageTool rule {rule_id.removeprefix('grammar:')}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
        }
        for rule_id, f in sorted(found.items())
    ]


def as_sarif(results: Sequence[Result]) -> str:
    sarif_results = []
    for result in results:
        for finding in result.response.findings:
            line, column, end_line, end_column = result.position(finding)
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": result.file},
                    # Lines and columns count within the field named by logicalLocations.
                    "region": {
                        "startLine": line,
                        "startColumn": column,
                        "endLine": end_line,
                        "endColumn": end_column,
                        **({"snippet": {"text": finding.match}} if finding.match else {}),
                    },
                },
                "logicalLocations": [
                    {"name": finding.attachment or finding.field, "kind": "member"}
                ],
            }
            sarif_results.append(
                {
                    "ruleId": finding.rule,
                    "level": _SARIF_LEVEL[finding.severity],
                    "message": {"text": finding.message},
                    "locations": [location],
                    "partialFingerprints": {"introCoachFindingId/v1": finding.id},
                }
            )
    doc = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "intro-coach",
                        "version": __version__,
                        "rules": [*_rules(), *_grammar_rules(results)],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": sarif_results,
            }
        ],
    }
    import json

    return json.dumps(doc, indent=2, ensure_ascii=False)


FORMATS = {"text": as_text, "json": as_json, "sarif": as_sarif}
