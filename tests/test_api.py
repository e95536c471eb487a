"""The HTTP service, on a real uvicorn server on loopback."""

from __future__ import annotations

import json
from typing import Any

import httpx

from intro_coach.schema import MAX_ATTACHMENTS, MAX_BODY_CHARS

DRAFT = {
    "subject": "Informational interview?",
    "body": {
        "text": "Hi Jordan,\n\nSally Smith suggested I contact you. Could we do an "
        "informational interview?\n\nThanks,\nAlex"
    },
    "to": [{"email": "jordan@example.com", "name": "Jordan Lee"}],
    "attachments": [{"filename": "Alex_Resume.pdf", "mime_type": "application/pdf", "size": 4821}],
}


def test_healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_analyze_returns_the_documented_shape(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", json=DRAFT)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"findings", "subject_suggestions", "referrer", "stats", "checks"}
    rules = {f["rule"] for f in body["findings"]}
    assert {"informational-interview", "resume-attached", "referrer-not-in-subject"} <= rules
    finding = next(
        f
        for f in body["findings"]
        if f["field"] == "body" and f["rule"] == "informational-interview"
    )
    text = DRAFT["body"]["text"]  # type: ignore[index]
    assert text[finding["start"] : finding["end"]] == finding["match"]
    assert finding["replacements"] and finding["explanation"] and finding["message"]
    assert body["referrer"] == {"name": "Sally Smith", "source": "body"}
    assert body["subject_suggestions"][0]["subject"] == "Sally Smith suggested I contact you"
    assert body["checks"] == {
        "rules": "ok",
        "grammar": "off",
        "gmail": "not_connected",
        "notes": [],
    }
    assert body["stats"]["words"] > 10


def test_curl_style_form_content_type_is_read_as_json(client: httpx.Client) -> None:
    # `curl -d @draft.json` sends application/x-www-form-urlencoded.
    response = client.post(
        "/v1/analyze",
        content=json.dumps(DRAFT),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert response.json()["findings"]


def test_html_body_returns_body_text_and_offsets_into_it(client: httpx.Client) -> None:
    html = "<div>Could we set up an <b>informational</b>&nbsp;in<i>terview</i>?</div>"
    response = client.post("/v1/analyze", json={"subject": "Hi", "body": {"html": html}})
    body = response.json()
    finding = next(f for f in body["findings"] if f["rule"] == "informational-interview")
    assert body["body_text"][finding["start"] : finding["end"]] == finding["match"]
    assert finding["match"] == "an informational interview"


def test_openapi_page_and_schema(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    request_body = schema["paths"]["/v1/analyze"]["post"]["requestBody"]
    assert request_body["content"]["application/json"]["schema"]["$ref"].endswith("AnalyzeRequest")
    assert "AnalyzeResponse" in schema["components"]["schemas"]
    assert "Body" in schema["components"]["schemas"]


def test_referrer_three_states(client: httpx.Client) -> None:
    """null finds one, a name is that person, "" is the user saying nobody referred them."""

    def ask(**extra: object) -> dict[str, Any]:
        response = client.post("/v1/analyze", json={**DRAFT, "subject": "Quick question", **extra})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def seen(answer: dict[str, Any]) -> tuple[object, bool, list[str]]:
        card = any(f["rule"] == "referrer-not-in-subject" for f in answer["findings"])
        return answer["referrer"], card, [s["subject"] for s in answer["subject_suggestions"]]

    found = seen(ask(referrer=None))
    assert found[:2] == ({"name": "Sally Smith", "source": "body"}, True)
    assert "Sally Smith suggested I contact you" in found[2]
    assert seen(ask()) == found
    for nobody in ("", "  "):
        referrer, card, subjects = seen(ask(referrer=nobody))
        assert (referrer, card) == (None, False)
        assert not [s for s in subjects if "Sally" in s]
    named = seen(ask(referrer="Bo Li"))
    assert named[:2] == ({"name": "Bo Li", "source": "user"}, True)
    assert "Bo Li suggested I contact you" in named[2]
    doc = client.get("/openapi.json").json()["components"]["schemas"]["AnalyzeRequest"]
    assert "nobody referred them" in doc["properties"]["referrer"]["description"]


def test_body_over_the_limit_is_413_with_a_reason(client: httpx.Client) -> None:
    draft = {"body": {"text": "a" * (MAX_BODY_CHARS + 1)}}
    response = client.post("/v1/analyze", json=draft)
    assert response.status_code == 413
    assert "100000" in response.json()["detail"]
    assert "aaaa" not in response.text  # the draft is not echoed back


def test_too_many_attachments_is_refused(client: httpx.Client) -> None:
    draft = {"attachments": [{"filename": f"{i}.pdf"} for i in range(MAX_ATTACHMENTS + 1)]}
    response = client.post("/v1/analyze", json=draft)
    assert response.status_code == 413
    assert "attachments" in response.json()["detail"]


def test_huge_request_is_refused_before_parsing(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", content=b"{" + b" " * (3 * 1024 * 1024) + b"}")
    assert response.status_code == 413


def test_malformed_json_is_422(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", content=b'{"subject": "Hi",')
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_wrong_types_are_422_with_the_field(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", json={"subject": 42, "attachments": "cv.pdf"})
    assert response.status_code == 422
    locations = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert ("body", "subject") in locations and ("body", "attachments") in locations


def test_unknown_fields_are_422(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", json={"subjct": "typo"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "extra_forbidden"


def test_text_and_html_together_are_422(client: httpx.Client) -> None:
    response = client.post("/v1/analyze", json={"body": {"text": "a", "html": "<p>a</p>"}})
    assert response.status_code == 422
    assert "either" in response.json()["detail"][0]["msg"]


def test_non_object_json_is_422(client: httpx.Client) -> None:
    for payload in (b"[]", b"null", b'"text"', b"42"):
        assert client.post("/v1/analyze", content=payload).status_code == 422


def test_options_silence_rules(client: httpx.Client) -> None:
    draft = {
        **DRAFT,
        "options": {
            "disabled_rules": ["resume-attached"],
            "ignored": [{"rule": "informational-interview", "match": "Informational interview"}],
        },
    }
    body = client.post("/v1/analyze", json=draft).json()
    rules = [(f["rule"], f["field"]) for f in body["findings"]]
    assert ("resume-attached", "attachments") not in rules
    assert ("informational-interview", "subject") not in rules
    assert ("informational-interview", "body") in rules


def test_lone_surrogate_from_javascript_is_read_as_a_replacement_char(
    client: httpx.Client,
) -> None:
    # JSON.stringify of a string cut in the middle of an emoji.
    raw = b'{"subject": "Hi", "body": {"text": "\\ud83d an informational interview"}}'
    response = client.post("/v1/analyze", content=raw)
    assert response.status_code == 200
    finding = next(f for f in response.json()["findings"] if f["field"] == "body")
    assert (finding["start"], finding["end"]) == (2, 28)  # U+FFFD is one UTF-16 unit, as sent
    assert finding["match"] == "an informational interview"
