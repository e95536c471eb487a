"""Random request shapes at the real endpoint: always an answer, never a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
_html = st.lists(
    st.one_of(
        _text,
        st.sampled_from(
            [
                "<div>",
                "</div>",
                "<br>",
                "<b>",
                "</b>",
                "&nbsp;",
                "&#128512;",
                "<blockquote class=gmail_quote>",
                "<p",
                "&bogus;",
                "<!--",
                "-->",
                '<div class="gmail_signature">',
                "informational interview",
            ]
        ),
    ),
    max_size=30,
).map("".join)
_json_value: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=12,
)
_recipient = st.fixed_dictionaries({"email": _text}, optional={"name": st.none() | _text})
_attachment = st.fixed_dictionaries(
    {"filename": _text},
    optional={"mime_type": st.none() | _text, "size": st.none() | st.integers(-5, 10**9)},
)
_valid_shape = st.fixed_dictionaries(
    {},
    optional={
        "subject": _text,
        "body": st.one_of(
            st.fixed_dictionaries({"text": _text}), st.fixed_dictionaries({"html": _html})
        ),
        "to": st.lists(_recipient, max_size=3),
        "cc": st.lists(_recipient, max_size=3),
        "attachments": st.lists(_attachment, max_size=4),
        "thread_id": st.none() | _text,
        "referrer": st.none() | _text,
        "options": st.fixed_dictionaries(
            {},
            optional={
                "disabled_rules": st.lists(_text, max_size=3),
                "ignored": st.lists(
                    st.fixed_dictionaries({"rule": _text}, optional={"match": _text}), max_size=3
                ),
                "grammar": st.booleans(),
            },
        ),
    },
)
_fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_fuzz
@given(draft=_valid_shape)
def test_valid_shapes_answer_200_or_a_clear_4xx(
    client: httpx.Client, draft: dict[str, Any]
) -> None:
    response = client.post("/v1/analyze", json=draft)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert isinstance(response.json()["findings"], list)
    else:
        assert response.json()["detail"]


@_fuzz
@given(payload=_json_value)
def test_arbitrary_json_never_500(client: httpx.Client, payload: Any) -> None:
    response = client.post("/v1/analyze", content=json.dumps(payload))
    assert response.status_code in (200, 413, 422), response.text


@_fuzz
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_never_500(client: httpx.Client, raw: bytes) -> None:
    response = client.post("/v1/analyze", content=raw)
    assert response.status_code in (200, 413, 422), response.text
