"""The analyzer's request and response, as DESIGN.md defines them.

These types are the contract shared by the HTTP API, the command-line linter and the
Workspace add-on. Requests reject unknown fields so that a typo in a client surfaces
as a 422 instead of a silently ignored option.

They are msgspec Structs, not pydantic models: the linter starts once per file, and
importing pydantic and building models took longer than the linting itself; decoding,
building findings and writing the answer are also several times cheaper on the service's
hot path. The web layer derives pydantic twins from these (schema_pydantic.py) for its
OpenAPI page and for the wording of its 422 answers. The few pydantic-style methods the
code calls (`model_validate`, `model_copy`, `model_dump_json`...) are kept under their
familiar names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

import msgspec

MAX_BODY_CHARS = 100_000
MAX_SUBJECT_CHARS = 2_000
MAX_ATTACHMENTS = 50
MAX_RECIPIENTS = 500
# Silenced findings (the extension keeps at most what fits 7.8 KB of sync storage); each
# is looked up in a set, so this bounds the request's size, not a product with findings.
MAX_IGNORED = 500

Severity = Literal["error", "warning", "suggestion"]
FieldName = Literal["subject", "body", "attachments"]
ReferrerSource = Literal["body", "gmail", "user"]


# Strings by their limit in characters (code points).
_Text = Annotated[str, msgspec.Meta(max_length=MAX_BODY_CHARS)]
_SubjectText = Annotated[str, msgspec.Meta(max_length=MAX_SUBJECT_CHARS)]
_Email = Annotated[str, msgspec.Meta(max_length=320)]
_Name = Annotated[str, msgspec.Meta(max_length=300)]
_Type = Annotated[str, msgspec.Meta(max_length=255)]
_Short = Annotated[str, msgspec.Meta(max_length=200)]
_Long = Annotated[str, msgspec.Meta(max_length=1_000)]


class Model(msgspec.Struct, kw_only=True):
    """A Struct with the pydantic-style methods the code and its tests call."""

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """`data` (dicts, lists, scalars) checked against this type and its limits;
        msgspec.ValidationError (a ValueError) names the first problem."""
        return msgspec.convert(data, cls)

    @classmethod
    def model_validate_json(cls, data: bytes | str) -> Self:
        return msgspec.json.decode(data, type=cls)

    def validated(self) -> Self:
        """This value checked against its limits (building one checks nothing)."""
        return msgspec.convert(msgspec.to_builtins(self), type(self))

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A shallow copy with the fields in `update` replaced (not checked)."""
        return msgspec.structs.replace(self, **(update or {}))

    def model_dump(self, *, mode: str = "json", exclude_none: bool = False) -> dict[str, Any]:
        """Plain JSON-ready data (whatever `mode` says)."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return _without_none(data) if exclude_none else data

    def model_dump_json(self) -> str:
        return _ENCODER.encode(self).decode()

    def json_bytes(self) -> bytes:
        return _ENCODER.encode(self)


_ENCODER = msgspec.json.Encoder()


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


class _Strict(Model, forbid_unknown_fields=True, kw_only=True):
    pass


class Body(_Strict, kw_only=True):
    text: _Text | None = None
    html: _Text | None = None

    def __post_init__(self) -> None:
        # Also the check of the pydantic twin (schema_pydantic.py), called with its model.
        if self.text is not None and self.html is not None:
            raise ValueError("give the body as either 'text' or 'html', not both")


class Recipient(_Strict, kw_only=True):
    email: _Email = ""
    name: _Name | None = None


class Attachment(_Strict, kw_only=True):
    filename: _Long
    mime_type: _Type | None = None
    size: Annotated[int, msgspec.Meta(ge=0)] | None = None


class Ignored(_Strict, kw_only=True):
    """One silenced finding: by its id, or by rule and matched text."""

    rule: _Short
    match: _Long | None = None
    id: _Short | None = None


class Options(_Strict, kw_only=True):
    disabled_rules: Annotated[list[_Short], msgspec.Meta(max_length=200)] = []
    ignored: Annotated[list[Ignored], msgspec.Meta(max_length=MAX_IGNORED)] = []
    grammar: bool = True
    # LanguageTool's picky level: more style and typography suggestions.
    grammar_picky: bool = False


# Three states, because "find it" and "there is none" are different answers from the user.
REFERRER_DOC = (
    "Who referred the writer. Absent or null: found automatically (in the draft, the "
    "quoted thread, or the connected Gmail). A name: that person, whatever is found. "
    'Empty or only spaces (""): the user says nobody referred them, so none is looked '
    "for, the response's referrer is null, referrer-not-in-subject stays quiet and the "
    "subject suggestions are those of a draft without a referrer."
)


class AnalyzeRequest(_Strict, kw_only=True):
    subject: _SubjectText = ""
    body: Body = msgspec.field(default_factory=lambda: Body(text=""))
    to: Annotated[list[Recipient], msgspec.Meta(max_length=MAX_RECIPIENTS)] = []
    cc: Annotated[list[Recipient], msgspec.Meta(max_length=MAX_RECIPIENTS)] = []
    attachments: Annotated[list[Attachment], msgspec.Meta(max_length=MAX_ATTACHMENTS)] = []
    thread_id: _Short | None = None
    referrer: Annotated[_Short | None, msgspec.Meta(description=REFERRER_DOC)] = None
    options: Options = msgspec.field(default_factory=Options)


class Finding(Model, kw_only=True):
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


class SubjectSuggestion(Model, kw_only=True):
    subject: str
    referrer: str | None = None
    reason: str


class Referrer(Model, kw_only=True):
    name: str
    source: ReferrerSource


class Stats(Model, kw_only=True):
    words: int
    sentences: int
    questions: int
    reading_grade: float


class Checks(Model, kw_only=True):
    rules: Literal["ok"] = "ok"
    grammar: Literal["ok", "unavailable", "timeout", "off"] = "off"
    gmail: Literal["ok", "not_connected", "unavailable"] = "not_connected"
    notes: list[str] = []


class AnalyzeResponse(Model, kw_only=True):
    findings: list[Finding]
    subject_suggestions: list[SubjectSuggestion]
    referrer: Referrer | None
    stats: Stats
    checks: Checks
    body_text: str | None = None


class GrammarResponse(Model, kw_only=True):
    """Grammar and spelling findings alone: asked for after the rules, never with them."""

    findings: list[Finding]
    checks: Checks
    body_text: str | None = None
