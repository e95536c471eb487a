"""The request and response types (msgspec Structs) and their pydantic twins, which
document them on the OpenAPI page and word the 422 answers: the two must accept the
same requests and describe the same shapes."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from pydantic import ValidationError

from intro_coach import schema
from intro_coach import schema_pydantic as twins
from tests.test_api_fuzz import _json_value, _valid_shape


def _both(raw: bytes) -> tuple[schema.AnalyzeRequest | None, dict[str, Any] | None]:
    """What msgspec and the twin each read from `raw` (None: refused)."""
    try:
        ours = msgspec.json.decode(raw, type=schema.AnalyzeRequest)
    except msgspec.DecodeError:
        ours = None
    try:
        theirs = twins.AnalyzeRequest.model_validate_json(raw).model_dump()
    except ValidationError:
        theirs = None
    return ours, theirs


def _agree(raw: bytes) -> None:
    ours, theirs = _both(raw)
    # msgspec is the stricter: what it reads, the twin reads alike; what it refuses goes
    # to the twin in the service (which may still accept "5" for 5).
    if ours is not None:
        assert theirs == msgspec.to_builtins(ours), raw


@settings(max_examples=300, deadline=None)
@given(draft=_valid_shape)
def test_what_msgspec_reads_the_twin_reads_alike(draft: dict[str, Any]) -> None:
    _agree(json.dumps(draft).encode())


@settings(max_examples=300, deadline=None)
@given(payload=_json_value)
def test_arbitrary_json_msgspec_never_accepts_what_the_twin_refuses(payload: Any) -> None:
    _agree(json.dumps(payload).encode())


TRICKY = [
    b"{}",
    json.dumps({"subject": "😀" * schema.MAX_SUBJECT_CHARS}).encode(),  # code points, not bytes
    json.dumps({"subject": "😀" * (schema.MAX_SUBJECT_CHARS + 1)}).encode(),
    json.dumps({"attachments": [{"filename": "cv.pdf", "size": -1}]}).encode(),
    json.dumps({"attachments": [{"filename": "cv.pdf", "size": 10**30}]}).encode(),
    json.dumps({"attachments": [{"filename": "cv.pdf", "size": 5.0}]}).encode(),
    json.dumps({"attachments": [{"filename": "cv.pdf", "size": "5"}]}).encode(),
    json.dumps({"options": {"grammar": "true"}}).encode(),
    json.dumps({"options": {"grammar": 1}}).encode(),
    json.dumps({"body": {"text": "a", "html": "b"}}).encode(),
    json.dumps({"body": {"text": None}}).encode(),
    json.dumps({"body": None}).encode(),
    json.dumps({"to": [{"email": "a@b.c", "name": None}] * (schema.MAX_RECIPIENTS + 1)}).encode(),
    json.dumps({"options": {"ignored": [{"rule": "x"}] * (schema.MAX_IGNORED + 1)}}).encode(),
    b'{"subject": "a", "subject": "b"}',
    b'{"subject": "\\ud83d"}',
    b'\xef\xbb\xbf{"subject": "bom"}',
    b' {"subject": "spaces"} ',
    b'{"subject": "trailing"} x',
]


@pytest.mark.parametrize("raw", TRICKY)
def test_tricky_requests(raw: bytes) -> None:
    _agree(raw)


def test_the_body_check_is_the_same_in_both() -> None:
    raw = b'{"body": {"text": "a", "html": "<p>a</p>"}}'
    with pytest.raises(msgspec.ValidationError, match="either 'text' or 'html'"):
        msgspec.json.decode(raw, type=schema.AnalyzeRequest)
    with pytest.raises(ValidationError, match="either 'text' or 'html'"):
        twins.AnalyzeRequest.model_validate_json(raw)


def test_twins_document_every_field_and_limit() -> None:
    shape = twins.AnalyzeRequest.model_json_schema()
    assert set(shape["properties"]) == set(schema.AnalyzeRequest.__struct_fields__)
    assert shape["additionalProperties"] is False
    assert shape["properties"]["subject"]["maxLength"] == schema.MAX_SUBJECT_CHARS
    assert shape["properties"]["attachments"]["maxItems"] == schema.MAX_ATTACHMENTS
    body = shape["$defs"]["Body"]["properties"]["text"]["anyOf"][0]
    assert body["maxLength"] == schema.MAX_BODY_CHARS
    response = twins.AnalyzeResponse.model_json_schema()
    assert set(response["properties"]) == set(schema.AnalyzeResponse.__struct_fields__)
    finding = response["$defs"]["Finding"]["properties"]
    assert finding["severity"]["enum"] == ["error", "warning", "suggestion"]


def test_the_json_written_is_what_the_twin_reads() -> None:
    finding = schema.Finding(
        id="x:body:1",
        rule="x",
        severity="warning",
        field="body",
        start=0,
        end=1,
        match="é",
        message="m",
        explanation="e",
    )
    response = schema.GrammarResponse(findings=[finding], checks=schema.Checks())
    read = twins.GrammarResponse.model_validate_json(response.json_bytes())
    assert read.model_dump() == response.model_dump()
    assert json.loads(response.model_dump_json())["findings"][0]["replacements"] == []
