"""The Gmail API through google-api-python-client, one client per call site.

httplib2 is not thread-safe, so every thread builds its own client (cheap: the bundled
discovery document is parsed once per process). Every call has a timeout; reads are
retried only on what Google documents as retryable (429, 5xx, rate-limit 403s), which
`execute(num_retries=...)` implements.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any, cast

import httplib2  # type: ignore[import-untyped]
from google.auth.credentials import Credentials as BaseCredentials
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp  # type: ignore[import-untyped]
from googleapiclient.discovery import build_from_document  # type: ignore[import-untyped]
from googleapiclient.discovery_cache import get_static_doc  # type: ignore[import-untyped]
from googleapiclient.errors import HttpError  # type: ignore[import-untyped]

RETRIES = 1

# These libraries log request URLs (a search names the recipient) and, at DEBUG, token
# responses. Whatever the root level, they stay quiet here.
for _name, _level in (
    ("googleapiclient.discovery", logging.WARNING),
    ("googleapiclient.http", logging.ERROR),
    ("requests_oauthlib", logging.INFO),
    ("oauthlib", logging.INFO),
    ("google_auth_httplib2", logging.INFO),
    ("google.auth", logging.INFO),
    ("urllib3", logging.INFO),
):
    logging.getLogger(_name).setLevel(_level)


class GmailError(Exception):
    """Gmail did not answer usefully (timeout, 5xx, 429 after retries...)."""


class GrantRevoked(Exception):
    """Google refused the refresh token: the user revoked access or it expired."""


@functools.cache
def _discovery() -> dict[str, Any]:
    doc = get_static_doc("gmail", "v1")
    if doc is None:  # pragma: no cover - the package ships it
        raise RuntimeError("google-api-python-client has no bundled Gmail discovery document")
    return cast(dict[str, Any], json.loads(doc))


def user_credentials(
    refresh_token: str, client_id: str, client_secret: str, token_uri: str, scopes: list[str]
) -> Credentials:
    return Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=client_secret,
        scopes=scopes,
    )


class Gmail:
    """A Gmail client for one thread of execution."""

    def __init__(
        self,
        credentials: BaseCredentials,
        api_root: str,
        timeout: float,
        message_token: str | None = None,
    ) -> None:
        """`message_token`: a Workspace add-on's per-message Gmail token (the event's
        `gmail.accessToken`), sent with every call as Google's add-on guide says."""
        http = AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
        self._service: Any = build_from_document(
            _discovery(), http=http, client_options={"api_endpoint": api_root}
        )
        self._message_token = message_token

    def _run(self, request: Any) -> dict[str, Any]:
        from google.auth.exceptions import RefreshError, TransportError

        if self._message_token is not None:
            request.headers["X-Goog-Gmail-Access-Token"] = self._message_token
        try:
            return cast(dict[str, Any], request.execute(num_retries=RETRIES))
        except RefreshError as exc:
            raise GrantRevoked(type(exc).__name__) from exc
        except HttpError as exc:
            status = exc.resp.status if exc.resp is not None else 0
            raise GmailError(f"Gmail answered {status}") from exc
        except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
            raise GmailError(f"Gmail unreachable: {type(exc).__name__}") from exc

    def profile(self) -> dict[str, Any]:
        return self._run(self._service.users().getProfile(userId="me"))

    def thread(self, thread_id: str) -> dict[str, Any] | None:
        try:
            return self._run(self._service.users().threads().get(userId="me", id=thread_id))
        except GmailError as exc:
            cause = exc.__cause__
            if isinstance(cause, HttpError) and cause.resp.status in (400, 404):
                return None  # not a thread of this mailbox
            raise

    def search(self, query: str, limit: int) -> list[str]:
        found = self._run(
            self._service.users().messages().list(userId="me", q=query, maxResults=limit)
        )
        return [m["id"] for m in found.get("messages", [])]

    def message(self, message_id: str) -> dict[str, Any] | None:
        try:
            return self._run(
                self._service.users().messages().get(userId="me", id=message_id, format="full")
            )
        except GmailError as exc:
            cause = exc.__cause__
            if isinstance(cause, HttpError) and cause.resp.status == 404:
                return None
            raise

    def create_draft(self, raw: str, thread_id: str | None) -> dict[str, Any]:
        """A draft from an RFC 822 message (base64url), in `thread_id` when given."""
        message: dict[str, Any] = {"raw": raw}
        if thread_id:
            message["threadId"] = thread_id
        return self._run(
            self._service.users().drafts().create(userId="me", body={"message": message})
        )
