"""The Gmail connection end to end, against the fake Google over real HTTP: connect,
session, analyze with mailbox context, disconnect; and the errors a user can meet."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from intro_coach.auth.scopes import GMAIL_READONLY
from intro_coach.config import Settings
from tests.google_fake import FakeGoogle, Message
from tests.google_fake.databases import BACKENDS, empty_tables, postgres_database, sqlite_url
from tests.google_fake.harness import (
    EXTENSION_ID,
    connect,
    follow,
    free_port,
    query,
    running,
    settings_for,
    start_url,
)

USER = "jane.doe@example.com"
REDIRECT = f"https://{EXTENSION_ID}.chromiumapp.org/"


@pytest.fixture()
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle(account=USER).start()
    yield fake
    fake.stop()


@pytest.fixture()
def backend(google: FakeGoogle, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    with running(settings_for(google, tmp_path, sqlite_url(tmp_path))) as (url, app):
        yield url, app


@pytest.fixture()
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def draft(**extra: Any) -> dict[str, Any]:
    body = {
        "subject": "Quick question",
        "body": {
            "text": "Hi Jordan, I'm moving from teaching into UX research. I've attached my "
            "resume. Could I ask for 20 minutes of your take on the design scene in "
            "Boston? Thanks so much, Jane"
        },
        "to": [{"email": "jordan@example.com", "name": "Jordan Lee"}],
        "attachments": [{"filename": "Jane_Doe_Resume.pdf", "mime_type": "application/pdf"}],
    }
    return {**body, **extra}


def seed_mailbox(google: FakeGoogle) -> None:
    google.mailbox += [
        Message(
            "Jane Doe <jane.doe@example.com>",
            ["Jordan Lee <jordan@example.com>"],
            "UX research",
            "Hi Jordan, could we talk about UX research?",
            thread_id="thread-resume",
        ),
        Message(
            "Jordan Lee <jordan@example.com>",
            ["Jane Doe <jane.doe@example.com>"],
            "Re: UX research",
            "Happy to. Could you send me your resume first?\n\nOn Mon, Jane wrote:\n> Hi",
            thread_id="thread-resume",
            html="<div>Happy to. Could you send me your resume first?</div>",
        ),
        Message(
            "Sally Smith <sally.smith@example.com>",
            ["Jane Doe <jane.doe@example.com>"],
            "Intro: Jane <> Jordan",
            "Jane, meet Jordan Lee: he leads design research at Acme. Jordan, Jane is "
            "moving into UX. I'll let you two take it from here!",
            cc=["jordan@example.com"],
            attachments=[("portfolio.pdf", "application/pdf", b"%PDF-1.4 fake")],
        ),
    ]


def analyze(http: httpx.Client, url: str, token: str | None, **extra: Any) -> dict[str, Any]:
    headers = auth(token) if token else {}
    response = http.post(f"{url}/v1/analyze", json=draft(**extra), headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def analyze_settled(
    http: httpx.Client, url: str, token: str, gmail: str = "ok", **extra: Any
) -> dict[str, Any]:
    """Analyzes until `checks.gmail` says `gmail` (the first call may beat the lookup)."""
    for _ in range(20):
        result = analyze(http, url, token, **extra)
        if result["checks"]["gmail"] == gmail:
            return result
        time.sleep(0.1)
    raise AssertionError(result["checks"])


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_connect_analyze_disconnect(
    backend_name: str, google: FakeGoogle, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend_name == "sqlite":
        db_url = sqlite_url(tmp_path)
    else:
        db_url = request.getfixturevalue("pg_url")
        empty_tables(db_url)
    seed_mailbox(google)
    settings = settings_for(google, tmp_path, db_url)
    with running(settings) as (url, app), httpx.Client(timeout=10) as http:
        token = connect(http, url)
        me = http.get(f"{url}/v1/me", headers=auth(token)).json()
        assert me == {
            "email": USER,
            "scopes": [GMAIL_READONLY],
            "features": ["thread", "referrer"],
            "status": "connected",
            "message": None,
        }
        store = app.state.gmail.store
        user_id = store.user_by_email(USER).id

        # Without a session: rules only, exactly as before.
        plain = analyze(http, url, None, thread_id="thread-resume")
        assert plain["checks"]["gmail"] == "not_connected"
        assert "resume-attached" in {f["rule"] for f in plain["findings"]}

        # The thread asked for a resume: resume-attached stays quiet, and says why.
        result = analyze_settled(http, url, token, thread_id="thread-resume")
        assert "resume-attached" not in {f["rule"] for f in result["findings"]}
        assert any("Gmail thread" in n for n in result["checks"]["notes"])

        # The introduction in the mailbox makes Sally the referrer. A reply keeps its
        # thread's subject; a first message gets subjects that name her.
        assert result["referrer"] == {"name": "Sally Smith", "source": "gmail"}
        first = analyze_settled(http, url, token)
        assert first["referrer"] == {"name": "Sally Smith", "source": "gmail"}
        assert any("Sally Smith" in s["subject"] for s in first["subject_suggestions"])
        assert "referrer-not-in-subject" in {f["rule"] for f in first["findings"]}

        # Disconnect: revoked at Google, every row gone, the session refused.
        refresh = store.refresh_token(user_id)
        response = http.post(f"{url}/v1/disconnect", headers=auth(token))
        assert response.status_code == 200
        assert response.json()["revoked_at_google"] is True
        assert refresh in google.revoked
        assert store.count_rows(user_id) == 0
        assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 401
        refused = http.post(f"{url}/v1/analyze", json=draft(), headers=auth(token))
        assert refused.status_code == 401
        assert "connect Gmail again" in refused.json()["detail"]


def _callback_url(http: httpx.Client, url: str, decision: str = "allow") -> str:
    """Runs the flow up to Google's redirect back, without following it."""
    page = follow(http, start_url(url))
    assert isinstance(page, httpx.Response)
    form = page.text.split('name="request_id" value="')[1].split('"')[0]
    sent = http.post(
        str(page.url).split("/o/oauth2")[0] + "/o/oauth2/v2/consent",
        data={"request_id": form, "decision": decision},
    )
    assert sent.status_code == 302
    location: str = sent.headers["location"]
    return location


def _error_of(http: httpx.Client, callback: str) -> dict[str, str]:
    final = follow(http, callback)
    assert isinstance(final, str) and final.startswith(REDIRECT), final
    params = query(final)
    assert "code" not in params
    return params


def test_replayed_state_is_refused(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    callback = _callback_url(http, url)
    first = follow(http, callback)
    assert isinstance(first, str) and "code" in query(first)
    again = _error_of(http, callback)
    assert again["error"] == "state_replayed"
    assert "Connect Gmail again" in again["error_description"]


def test_expired_state_is_refused(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, app = backend
    callback = _callback_url(http, url)
    store = app.state.gmail.store
    store.clock = lambda: time.time() + 601
    params = _error_of(http, callback)
    assert params["error"] == "state_expired"
    assert "10 minutes" in params["error_description"]


def test_unknown_state_gets_a_page_not_a_500(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    response = http.get(f"{url}/oauth/callback", params={"state": "forged", "code": "x"})
    assert response.status_code == 400
    assert "Connect Gmail" in response.text
    assert http.get(f"{url}/oauth/callback").status_code == 400


def test_consent_denied(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    params = _error_of(http, _callback_url(http, url, decision="deny"))
    assert params["error"] == "access_denied"
    assert "connect again" in params["error_description"]


def test_code_reused_at_google(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    used = query(_callback_url(http, url))
    assert isinstance(
        follow(http, f"{url}/oauth/callback?state={used['state']}&code={used['code']}"), str
    )
    fresh = query(_callback_url(http, url))
    params = _error_of(http, f"{url}/oauth/callback?state={fresh['state']}&code={used['code']}")
    assert params["error"] == "code_invalid"


def test_login_code_is_single_use(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    final = follow(http, _callback_url(http, url))
    assert isinstance(final, str)
    code = query(final)["code"]
    assert http.post(f"{url}/v1/session", json={"code": code}).status_code == 200
    again = http.post(f"{url}/v1/session", json={"code": code})
    assert again.status_code == 400 and again.json()["error"] == "code_invalid"
    assert http.post(f"{url}/v1/session", json={}).status_code == 422


def test_tampered_or_malformed_session_token(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    token = connect(http, url)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for headers in (
        auth(tampered),
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer x y"},
    ):
        assert http.get(f"{url}/v1/me", headers=headers).status_code == 401
        assert http.post(f"{url}/v1/analyze", json=draft(), headers=headers).status_code == 401
    assert http.get(f"{url}/v1/me").status_code == 401
    assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 200
    assert http.delete(f"{url}/v1/session", headers=auth(token)).status_code == 204
    assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 401


def test_start_refuses_unknown_extension_and_feature(
    backend: tuple[str, Any], http: httpx.Client
) -> None:
    url, _ = backend
    bad_ext = http.get(f"{url}/oauth/start", params={"extension_id": "b" * 32})
    assert bad_ext.status_code == 400 and "extension_id" in bad_ext.json()["detail"]
    bad_feature = http.get(start_url(url, "thread,calendar"))
    assert bad_feature.status_code == 400 and "calendar" in bad_feature.json()["detail"]
    assert http.get(f"{url}/oauth/start").status_code == 422


def test_start_asks_for_the_narrowest_scopes_with_pkce(
    backend: tuple[str, Any], http: httpx.Client
) -> None:
    url, _ = backend
    response = http.get(start_url(url, "thread"))
    assert response.status_code == 302
    params = query(response.headers["location"])
    assert params["scope"] == GMAIL_READONLY
    assert params["access_type"] == "offline"
    assert params["include_granted_scopes"] == "true"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert "code_verifier" not in response.headers["location"]


def test_fewer_scopes_than_asked(
    backend: tuple[str, Any], google: FakeGoogle, http: httpx.Client
) -> None:
    url, _ = backend
    google.grant_scopes_override = {"openid"}
    params = _error_of(http, _callback_url(http, url))
    assert params["error"] == "scopes_missing"
    assert google.revoked  # the useless grant is handed back


def test_more_scopes_than_asked(
    backend: tuple[str, Any], google: FakeGoogle, http: httpx.Client
) -> None:
    url, _ = backend
    broader = {"https://www.googleapis.com/auth/gmail.modify", "openid"}
    google.grant_scopes_override = broader
    token = connect(http, url, features="thread")
    me = http.get(f"{url}/v1/me", headers=auth(token)).json()
    assert set(me["scopes"]) == broader
    assert me["features"] == ["thread"]


def test_incremental_connect_adds_a_feature(
    backend: tuple[str, Any], google: FakeGoogle, http: httpx.Client
) -> None:
    url, _ = backend
    connect(http, url, features="thread")
    google.omit_refresh_token = True  # Google often sends none on a second consent
    token = connect(http, url, features="referrer")
    me = http.get(f"{url}/v1/me", headers=auth(token)).json()
    assert me["features"] == ["thread", "referrer"]


def test_refresh_token_revoked_at_google(
    backend: tuple[str, Any], google: FakeGoogle, http: httpx.Client
) -> None:
    url, _ = backend
    seed_mailbox(google)
    token = connect(http, url)
    google.revoke_all_at_google()
    result = analyze_settled(http, url, token, "not_connected", thread_id="thread-resume")
    assert any("reconnect" in n for n in result["checks"]["notes"])
    assert "resume-attached" in {f["rule"] for f in result["findings"]}
    me = http.get(f"{url}/v1/me", headers=auth(token)).json()
    assert me["status"] == "reconnect_required" and "Connect Gmail" in me["message"]
    # Reconnecting brings it back, and the lookups use the new grant, not the old one.
    token = connect(http, url)
    assert http.get(f"{url}/v1/me", headers=auth(token)).json()["status"] == "connected"
    result = analyze_settled(http, url, token, thread_id="thread-resume")
    assert "resume-attached" not in {f["rule"] for f in result["findings"]}
    assert http.get(f"{url}/v1/me", headers=auth(token)).json()["status"] == "connected"


def test_cors_only_for_allowed_extension(backend: tuple[str, Any], http: httpx.Client) -> None:
    url, _ = backend
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    ok = http.options(
        f"{url}/v1/analyze", headers={"Origin": f"chrome-extension://{EXTENSION_ID}", **preflight}
    )
    assert ok.headers.get("access-control-allow-origin") == f"chrome-extension://{EXTENSION_ID}"
    other = http.options(
        f"{url}/v1/analyze", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


def test_analyze_is_rate_limited_per_session(
    google: FakeGoogle, tmp_path: Path, http: httpx.Client
) -> None:
    settings = settings_for(google, tmp_path, sqlite_url(tmp_path), analyze_per_minute=8)
    with running(settings) as (url, _):
        token = connect(http, url)
        codes = [
            http.post(f"{url}/v1/analyze", json=draft(to=[]), headers=auth(token)).status_code
            for _ in range(4)
        ]
        assert codes[:2] == [200, 200] and codes[-1] == 429
        limited = http.post(f"{url}/v1/analyze", json=draft(to=[]), headers=auth(token))
        assert int(limited.headers["retry-after"]) >= 1
        assert http.post(f"{url}/v1/analyze", json=draft()).status_code == 200  # no session


def test_without_google_configuration_nothing_changes(tmp_path: Path) -> None:
    settings = Settings(port=free_port(), data_dir=tmp_path / "data")
    with running(settings) as (url, _), httpx.Client(base_url=url, timeout=10) as client:
        for method, path in (
            ("GET", f"/oauth/start?extension_id={EXTENSION_ID}"),
            ("GET", "/oauth/callback?state=x&code=y"),
            ("POST", "/v1/session"),
            ("GET", "/v1/me"),
            ("POST", "/v1/disconnect"),
        ):
            response = client.request(method, path, json={"code": "x"})
            assert response.status_code == 503, path
            assert response.json()["detail"] == "Gmail connection is not configured"
        result = client.post("/v1/analyze", json=draft(), headers=auth("ics_whatever"))
        assert result.status_code == 200
        assert result.json()["checks"]["gmail"] == "not_connected"
    assert not (tmp_path / "data").exists()  # no database, no key file


def test_disconnect_deletes_everything_even_when_the_keys_changed(
    google: FakeGoogle, tmp_path: Path, http: httpx.Client
) -> None:
    database = sqlite_url(tmp_path)
    with running(settings_for(google, tmp_path, database)) as (url, _):
        token = connect(http, url)
    # The operator replaced the encryption keys: the stored grant cannot be decrypted.
    with running(settings_for(google, tmp_path, database)) as (url, app):
        response = http.post(f"{url}/v1/disconnect", headers=auth(token))
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["disconnected"] and not body["revoked_at_google"]
        assert "myaccount.google.com/permissions" in body["message"]
        user = app.state.gmail.store.user_by_email(USER)
        assert user is None
        assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 401


def test_oauth_start_is_limited_per_client(
    google: FakeGoogle, tmp_path: Path, http: httpx.Client
) -> None:
    settings = settings_for(google, tmp_path, sqlite_url(tmp_path), oauth_starts_per_minute=8)
    with running(settings) as (url, _):
        codes = [http.get(start_url(url)).status_code for _ in range(4)]
        assert codes[:2] == [302, 302] and codes[-1] == 429
        limited = http.get(start_url(url))
        assert "too many sign-ins" in limited.json()["detail"]
        assert int(limited.headers["retry-after"]) >= 1


def test_pending_sign_ins_are_capped(
    google: FakeGoogle, tmp_path: Path, http: httpx.Client
) -> None:
    settings = settings_for(
        google, tmp_path, sqlite_url(tmp_path), oauth_starts_per_minute=6000, max_pending_states=5
    )
    with running(settings) as (url, app):
        codes = [http.get(start_url(url)).status_code for _ in range(7)]
        assert codes == [302] * 5 + [429] * 2
        with app.state.gmail.store.engine.connect() as conn:
            count = conn.exec_driver_sql("select count(*) from oauth_states").scalar()
        assert count == 5
