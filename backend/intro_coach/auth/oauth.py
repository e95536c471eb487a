"""The OAuth web-server flow with google-auth-oauthlib: PKCE with the verifier kept
server-side under a single-use state, offline access, incremental scopes."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import requests
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow  # type: ignore[import-untyped]
from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]

from intro_coach.auth.scopes import features_granted, parse_features, scopes_for
from intro_coach.config import Settings
from intro_coach.gmail.client import Gmail, GmailError, GrantRevoked
from intro_coach.store import StateError, Store

log = logging.getLogger("intro_coach.auth")

STATE_TTL = 600  # seconds: the state (and its PKCE verifier) lives 10 minutes
LOGIN_CODE_TTL = 120

# Google may grant more or fewer scopes than asked (incremental auth, unticked boxes):
# oauthlib treats that as an error unless told to relax; we compare scopes ourselves.
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")

MESSAGES = {
    "access_denied": "You chose not to connect Gmail. Nothing was stored; you can connect "
    "again from Intro Coach's options page.",
    "state_expired": "The Gmail sign-in took longer than 10 minutes and expired. Click "
    "Connect Gmail again.",
    "state_replayed": "This Gmail sign-in was already used. Click Connect Gmail again.",
    "state_unknown": "This Gmail sign-in link is not one Intro Coach started. Click Connect "
    "Gmail again from the options page.",
    "code_invalid": "Google did not accept the sign-in (the code was already used or has "
    "expired). Click Connect Gmail again.",
    "scopes_missing": "Gmail read access was not granted, so Intro Coach cannot look at "
    "threads or introductions. Click Connect Gmail again and allow it.",
    "no_offline_access": "Google did not give lasting access. Click Connect Gmail again.",
    "google_unavailable": "Google could not be reached to finish connecting. Try again in "
    "a minute.",
    "google_error": "Google refused the sign-in. Click Connect Gmail again.",
}


class OAuthProblem(Exception):
    def __init__(self, code: str, extension_id: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]
        self.extension_id = extension_id


class BadRequest(ValueError):
    pass


@dataclass(frozen=True)
class Connected:
    redirect: str
    user_id: int


def extension_redirect(extension_id: str, params: dict[str, str]) -> str:
    return f"https://{extension_id}.chromiumapp.org/?{urlencode(params)}"


def _loopback_http(*urls: str) -> bool:
    return all(
        urlsplit(u).scheme == "http" and urlsplit(u).hostname in ("127.0.0.1", "localhost", "::1")
        for u in urls
    )


class OAuthService:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        if _loopback_http(settings.google_auth_uri, settings.google_token_uri):
            # Only for a local fake Google: oauthlib otherwise refuses plain HTTP.
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

    def _client_config(self) -> dict[str, Any]:
        s = self.settings
        return {
            "web": {
                "client_id": s.google_client_id,
                "client_secret": s.google_client_secret,
                "auth_uri": s.google_auth_uri,
                "token_uri": s.google_token_uri,
                "redirect_uris": [s.callback_url],
            }
        }

    def _flow(self, scopes: list[str] | None, verifier: str, state: str | None = None) -> Flow:
        return Flow.from_client_config(
            self._client_config(),
            scopes=scopes,
            redirect_uri=self.settings.callback_url,
            state=state,
            code_verifier=verifier,
            autogenerate_code_verifier=False,
        )

    def start(self, extension_id: str, features_param: str | None, login_hint: str | None) -> str:
        if extension_id not in self.settings.extension_ids:
            raise BadRequest("extension_id is not one this server allows")
        try:
            features = parse_features(features_param)
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
        state = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-]
        self.store.create_state(
            state, verifier, extension_id, features, STATE_TTL, self.settings.max_pending_states
        )
        extra: dict[str, str] = {}
        if login_hint:
            extra["login_hint"] = login_hint
        url, _ = self._flow(scopes_for(features), verifier).authorization_url(
            state=state,
            access_type="offline",
            include_granted_scopes="true",
            prompt="consent",
            **extra,
        )
        return str(url)

    def finish(self, state: str | None, code: str | None, error: str | None) -> Connected:
        """Completes the flow: the redirect to the extension with a one-time code."""
        if not state:
            raise OAuthProblem("state_unknown")
        try:
            pending = self.store.consume_state(state)
        except StateError as exc:
            raise OAuthProblem(f"state_{exc.kind}", self.store.peek_state_extension(state)) from exc
        ext = pending.extension_id
        if error == "access_denied":
            raise OAuthProblem("access_denied", ext)
        if error or not code:
            raise OAuthProblem("google_error", ext)
        flow = self._flow(None, pending.verifier, state)
        try:
            token = flow.fetch_token(code=code, timeout=self.settings.google_timeout_seconds)
        except OAuth2Error as exc:
            kind = "code_invalid" if exc.error == "invalid_grant" else "google_error"
            log.info("token exchange refused: %s", exc.error)
            raise OAuthProblem(kind, ext) from exc
        except (requests.RequestException, ValueError) as exc:
            log.warning("token exchange failed: %s", type(exc).__name__)
            raise OAuthProblem("google_unavailable", ext) from exc
        granted = _scopes(token.get("scope"))
        features = features_granted(pending.features, granted)
        access = str(token.get("access_token", ""))
        refresh = token.get("refresh_token")
        if not features:
            self.revoke(str(refresh or access))
            raise OAuthProblem("scopes_missing", ext)
        try:
            email = self._email(access)
        except GrantRevoked as exc:
            raise OAuthProblem("google_error", ext) from exc
        except GmailError as exc:
            raise OAuthProblem("google_unavailable", ext) from exc
        existing = self.store.user_by_email(email)
        if existing is not None:
            features = features_granted({*features, *existing.features}, granted)
        user_id = self.store.save_grant(
            email, str(refresh) if refresh else None, tuple(granted), features
        )
        if user_id is None:
            raise OAuthProblem("no_offline_access", ext)
        login_code = self.store.create_login_code(user_id, LOGIN_CODE_TTL)
        return Connected(extension_redirect(ext, {"code": login_code}), user_id)

    def _email(self, access_token: str) -> str:
        gmail = Gmail(
            Credentials(token=access_token),  # type: ignore[no-untyped-call]
            self.settings.gmail_api_root,
            self.settings.google_timeout_seconds,
        )
        return str(gmail.profile()["emailAddress"]).lower()

    def revoke(self, token: str) -> bool:
        """Revokes a grant at Google; True when Google no longer honours it."""
        if not token:
            return True
        try:
            response = httpx.post(
                self.settings.google_revoke_uri,
                data={"token": token},
                timeout=self.settings.google_timeout_seconds,
            )
        except httpx.HTTPError as exc:
            log.warning("revoke failed: %s", type(exc).__name__)
            return False
        if response.status_code == 200:
            return True
        # 400 invalid_token: already revoked or expired, which is what we want.
        try:
            return response.status_code == 400 and response.json().get("error") == "invalid_token"
        except ValueError:
            return False


def _scopes(value: object) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []
