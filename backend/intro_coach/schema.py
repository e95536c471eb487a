"""The analyzer's request and response, as DESIGN.md defines them.

These models are the contract shared by the HTTP API, the command-line linter and the
Workspace add-on. Requests reject unknown fields so that a typo in a client surfaces
as a 422 instead of a silently ignored option.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_BODY_CHARS = 100_000
MAX_SUBJECT_CHARS = 2_000
MAX_ATTACHMENTS = 50
MAX_RECIPIENTS = 500
# Silenced findings (the extension keeps at most what fits 7.8 KB of sync storage); each
# is looked up in a set, so this bounds the request's size, not a product with findings.
MAX_IGNORED = 500

Severity = Literal["error", "warning", "suggestion"]
FieldName = Literal["subject", "body", "attachments"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Body(_Strict):
    text: Annotated[str | None, Field(max_length=MAX_BODY_CHARS)] = None
    html: Annotated[str | None, Field(max_length=MAX_BODY_CHARS)] = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if self.text is not None and self.html is not None:
            raise ValueError("give the body as either 'text' or 'html', not both")
        return self


class Recipient(_Strict):
    email: Annotated[str, Field(max_length=320)] = ""
    name: Annotated[str | None, Field(max_length=300)] = None


class Attachment(_Strict):
    filename: Annotated[str, Field(max_length=1_000)]
    mime_type: Annotated[str | None, Field(max_length=255)] = None
    size: Annotated[int | None, Field(ge=0)] = None


class Ignored(_Strict):
    """One silenced finding: by its id, or by rule and matched text."""

    rule: Annotated[str, Field(max_length=200)]
    match: Annotated[str | None, Field(max_length=1_000)] = None
    id: Annotated[str | None, Field(max_length=200)] = None


class Options(_Strict):
    disabled_rules: Annotated[
        list[Annotated[str, Field(max_length=200)]], Field(max_length=200)
    ] = []
    ignored: Annotated[list[Ignored], Field(max_length=MAX_IGNORED)] = []
    grammar: bool = True
    # LanguageTool's picky level: more style and typography suggestions.
    grammar_picky: bool = False


class AnalyzeRequest(_Strict):
    subject: Annotated[str, Field(max_length=MAX_SUBJECT_CHARS)] = ""
    body: Body = Body(text="")
    to: Annotated[list[Recipient], Field(max_length=MAX_RECIPIENTS)] = []
    cc: Annotated[list[Recipient], Field(max_length=MAX_RECIPIENTS)] = []
    attachments: Annotated[list[Attachment], Field(max_length=MAX_ATTACHMENTS)] = []
    thread_id: Annotated[str | None, Field(max_length=200)] = None
    referrer: Annotated[str | None, Field(max_length=200)] = None
    options: Options = Options()


class Finding(BaseModel):
    id: str
    rule: str
    severity: Severity
    field: FieldName
    start: int
    end: int
    match: str
    message: str
    explanation: str
    link: str | None = None
    replacements: list[str] = []
    attachment: str | None = None


class SubjectSuggestion(BaseModel):
    subject: str
    referrer: str | None = None
    reason: str


class Referrer(BaseModel):
    name: str
    source: Literal["body", "gmail", "user"]


class Stats(BaseModel):
    words: int
    sentences: int
    questions: int
    reading_grade: float


class Checks(BaseModel):
    rules: Literal["ok"] = "ok"
    grammar: Literal["ok", "unavailable", "timeout", "off"] = "off"
    gmail: Literal["ok", "not_connected", "unavailable"] = "not_connected"
    notes: list[str] = []


class AnalyzeResponse(BaseModel):
    findings: list[Finding]
    subject_suggestions: list[SubjectSuggestion]
    referrer: Referrer | None
    stats: Stats
    checks: Checks
    body_text: str | None = None


class GrammarResponse(BaseModel):
    """Grammar and spelling findings alone: asked for after the rules, never with them."""

    findings: list[Finding]
    checks: Checks
    body_text: str | None = None
