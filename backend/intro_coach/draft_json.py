"""A request body read as a draft, or the 4xx that says why it is not one.

Shared by the web layer and the analysis processes (workers.py), which read the bodies
sent to them: so this imports neither FastAPI nor Starlette, and pydantic only for a
body the strict parser refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from intro_coach.schema import MAX_BODY_CHARS, AnalyzeRequest

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

# Deeper than any request needs (the deepest field is four levels down); Python's own
# parser, used for lone surrogates, would recurse into the thousands.
MAX_JSON_DEPTH = 32
# A refusal lists at most this many problems one by one.
MAX_LISTED_ERRORS = 50

_TOO_LARGE = {"string_too_long", "too_long"}
_LARGE_FIELDS = {("body", "text"), ("body", "html"), ("attachments",)}
_DECODER = msgspec.json.Decoder(AnalyzeRequest)


@dataclass(frozen=True)
class Refusal:
    """A 4xx answer: its status and the JSON object to send."""

    status: int
    content: dict[str, Any]

    def body(self) -> bytes:
        # As Starlette's JSONResponse renders it, so both paths answer the same bytes.
        return json.dumps(
            self.content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode()


def read_draft(body: bytes) -> AnalyzeRequest | Refusal:
    """The draft in `body`, or the refusal that says why it is not one."""
    try:
        return _DECODER.decode(body)
    except msgspec.DecodeError as exc:
        strict = str(exc)
    from pydantic import ValidationError

    try:
        return _read_leniently(body)
    except ValidationError as exc:
        if exc.error_count() > MAX_LISTED_ERRORS:
            # Listing them would cost more than the rest of the request (190,000 unknown
            # keys in 2 MB: 1.8 s and a 17 MB answer): the count and the first instead.
            first = strict if len(strict) <= 200 else strict[:200] + "..."
            detail = f"{exc.error_count()} problems in the request; the first: {first}"
            return Refusal(422, {"detail": detail})
        return _validation_refusal(exc)
    except _TooDeep:
        detail = f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep"
        return Refusal(422, {"detail": detail})


class _TooDeep(ValueError):
    pass


def _read_leniently(body: bytes) -> AnalyzeRequest:
    """A body msgspec refused, which is strict: the pydantic twin decides, as it always
    has (it converts "5" to 5, lists every problem, and lone surrogates are read below).
    ValidationError when it is not a request, _TooDeep when its JSON nests deeper than
    MAX_JSON_DEPTH."""
    from pydantic import ValidationError

    model = _parse_with_twin(body)
    try:
        return msgspec.convert(model.model_dump(), AnalyzeRequest, strict=False)
    except msgspec.ValidationError as exc:  # not known to happen: still a 422, not a 500
        error = {"type": "value_error", "loc": (), "input": None, "ctx": {"error": str(exc)}}
        raise ValidationError.from_exception_data("AnalyzeRequest", [error]) from None  # type: ignore[list-item]


def _parse_with_twin(body: bytes) -> BaseModel:
    from pydantic import ValidationError

    from intro_coach import schema_pydantic as twins

    try:
        return twins.AnalyzeRequest.model_validate_json(body)
    except ValidationError as exc:
        # Invalid JSON is one error; errors() lists all, which can be 190,000.
        if exc.error_count() != 1 or exc.errors()[0]["type"] != "json_invalid":
            raise
        invalid = exc
    # JavaScript's JSON.stringify writes a half-cut emoji as a lone surrogate escape
    # ("\ud83d"), which the fast parsers refuse. Python's parser reads it; each lone
    # surrogate becomes U+FFFD, one UTF-16 unit as well, so offsets still line up.
    if "recursion limit" in str(invalid):
        raise _TooDeep  # the fast parser stops at its own depth limit
    try:
        data = json.loads(body)
    except RecursionError:
        raise _TooDeep from None
    except ValueError:
        raise invalid from None
    return twins.AnalyzeRequest.model_validate(_without_lone_surrogates(data))


def _without_lone_surrogates(value: Any, depth: int = 0) -> Any:
    if depth > MAX_JSON_DEPTH:
        raise _TooDeep
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(k, depth + 1): _without_lone_surrogates(v, depth + 1)
            for k, v in value.items()
        }
    return value


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    # The input itself is left out: it is the user's draft, and can be 100,000 characters.
    return [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]


def _validation_refusal(exc: ValidationError) -> Refusal:
    errors = _errors(exc)
    for error in exc.errors():
        if error["type"] in _TOO_LARGE and tuple(error["loc"]) in _LARGE_FIELDS:
            field = ".".join(str(p) for p in error["loc"])
            limit = f"{MAX_BODY_CHARS} characters" if field.startswith("body") else "50 attachments"
            return Refusal(
                413, {"detail": f"{field} is too large; the limit is {limit}", "errors": errors}
            )
    return Refusal(422, {"detail": errors})
