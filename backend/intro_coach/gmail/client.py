"""The Gmail API through google-api-python-client, one client per thread of execution.

httplib2 is not thread-safe, so every thread builds its own client (cheap: the bundled
discovery document is parsed once per process). Every call has a timeout and a
deadline; failures are retried as Google documents them, only while the retry fits in
the deadline:

- 429, and 403 `rateLimitExceeded` / `userRateLimitExceeded`: exponential back-off
  (honouring `Retry-After`);
- 401: the transport refreshes the access token and retries once;
- 500, 502, 503, 504: retried once;
- anything else is an answer (404: not in this mailbox) or a failure.

Gets go in batches (Gmail's `batch/gmail/v1` endpoint): one round trip for up to 50
messages, each answered or failed on its own so that a partial answer can be used.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import httplib2  # type: ignore[import-untyped]
from google.auth.credentials import Credentials as BaseCredentials
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp  # type: ignore[import-untyped]
from googleapiclient.discovery import build_from_document  # type: ignore[import-untyped]
from googleapiclient.discovery_cache import get_static_doc  # type: ignore[import-untyped]
from googleapiclient.errors import HttpError  # type: ignore[import-untyped]
from googleapiclient.http import BatchHttpRequest  # type: ignore[import-untyped]

from intro_coach import metrics

BATCH_SIZE = 50  # Gmail advises against larger batches (they get rate limited)
BACKOFF = 0.05  # seconds before the first retry after a rate limit; doubles each time
RATE_LIMIT_RETRIES = 5
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
SERVER_ERRORS = frozenset({500, 502, 503, 504})

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


class Deadline:
    """When a lookup must be done by (monotonic clock)."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def sleep(self, seconds: float) -> bool:
        """Sleeps when the wait leaves time for the retry; False when it would not."""
        if seconds + 0.02 >= self.left():
            return False
        time.sleep(seconds)
        return True


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


def _status(exc: HttpError) -> int:
    return int(exc.resp.status) if exc.resp is not None else 0


def _reason(exc: HttpError) -> str:
    try:
        error = json.loads(exc.content[:65536])["error"]
        return str(error.get("errors", [{}])[0].get("reason") or error.get("status") or "")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return ""


def _retry_after(exc: HttpError) -> float:
    try:
        return min(float(exc.resp.get("retry-after", 0) or 0), 60.0)
    except (TypeError, ValueError, AttributeError):
        return 0.0


def retry_delay(exc: HttpError, attempt: int) -> float | None:
    """How long to wait before retrying a failed call, or None to not retry it."""
    status = _status(exc)
    if status == 429 or (status == 403 and _reason(exc) in RATE_LIMIT_REASONS):
        if attempt >= RATE_LIMIT_RETRIES:
            return None
        delay = BACKOFF * (2**attempt) * (1 + random.random() / 2)
        return float(max(delay, _retry_after(exc)))
    if status in SERVER_ERRORS and attempt == 0:
        return BACKOFF * (1 + random.random() / 2)
    return None


@dataclass
class Page:
    messages: list[tuple[str, str]]  # (message id, thread id), newest first
    next_page_token: str | None


@dataclass
class Batch:
    """What a batch of gets returned: resources by id, ids Gmail does not have, and ids
    that failed (after retries)."""

    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)


class Gmail:
    """A Gmail client for one thread of execution."""

    def __init__(
        self,
        credentials: BaseCredentials,
        api_root: str,
        timeout: float,
        deadline: Deadline | None = None,
        message_token: str | None = None,
    ) -> None:
        """`message_token`: a Workspace add-on's per-message Gmail token (the event's
        `gmail.accessToken`), sent with every call as Google's add-on guide says."""
        self.deadline = deadline or Deadline(timeout * 4)
        self._message_token = message_token
        socket_timeout = max(0.05, min(timeout, self.deadline.left()))
        self._http = AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=socket_timeout), max_refresh_attempts=1
        )
        self._service: Any = build_from_document(
            _discovery(), http=self._http, client_options={"api_endpoint": api_root}
        )
        # The library's new_batch_http_request() would post to Google's public URL
        # whatever api_endpoint says; the batch endpoint follows the configured root.
        self.batch_uri = api_root.rstrip("/") + "/batch/gmail/v1"
        self.round_trips = 0

    def _run(self, request: Any) -> dict[str, Any]:
        if self._message_token is not None:
            request.headers["X-Goog-Gmail-Access-Token"] = self._message_token
        operation = str(getattr(request, "methodId", "") or "call").removeprefix("gmail.users.")
        attempt = 0
        while True:
            try:
                self.round_trips += 1
                with metrics.call("gmail", operation):
                    return cast(dict[str, Any], request.execute(num_retries=0))
            except RefreshError as exc:
                raise GrantRevoked(type(exc).__name__) from exc
            except HttpError as exc:
                delay = retry_delay(exc, attempt)
                if delay is None or not self.deadline.sleep(delay):
                    raise GmailError(f"Gmail answered {_status(exc)}") from exc
                attempt += 1
            except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
                raise GmailError(f"Gmail unreachable: {type(exc).__name__}") from exc

    def _batch(self, requests: dict[str, Callable[[], Any]]) -> Batch:
        """Runs the gets in batches; retries the parts that may be retried."""
        result = Batch()
        attempts: dict[str, int] = dict.fromkeys(requests, 0)
        pending = list(requests)
        while pending:
            retry: dict[str, float] = {}
            for chunk in _chunks(pending, BATCH_SIZE):
                answers: dict[str, tuple[Any, HttpError | None]] = {}
                batch = BatchHttpRequest(callback=_collect(answers), batch_uri=self.batch_uri)
                for request_id in chunk:
                    request = requests[request_id]()
                    if self._message_token is not None:
                        request.headers["X-Goog-Gmail-Access-Token"] = self._message_token
                    batch.add(request, request_id=request_id)
                try:
                    self.round_trips += 1
                    with metrics.call("gmail", "batch"):
                        batch.execute(http=self._http)
                except RefreshError as exc:
                    raise GrantRevoked(type(exc).__name__) from exc
                except HttpError as refused:  # the whole batch was refused
                    answers = {request_id: (None, refused) for request_id in chunk}
                except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
                    raise GmailError(f"Gmail unreachable: {type(exc).__name__}") from exc
                for request_id in chunk:
                    response, error = answers.get(request_id, (None, None))
                    if error is None and isinstance(response, dict):
                        result.found[request_id] = response
                    elif error is not None and _status(error) in (400, 404):
                        result.missing.add(request_id)
                    elif error is not None and (delay := retry_delay(error, attempts[request_id])):
                        retry[request_id] = delay
                    else:
                        result.failed.add(request_id)
            if not retry:
                break
            if not self.deadline.sleep(max(retry.values())):
                result.failed.update(retry)
                break
            for request_id in retry:
                attempts[request_id] += 1
            pending = list(retry)
        return result

    # --- the calls Intro Coach makes ---

    def profile(self) -> dict[str, Any]:
        return self._run(self._service.users().getProfile(userId="me"))

    def search(self, query: str, page_size: int, page_token: str | None = None) -> Page:
        kwargs: dict[str, Any] = {"userId": "me", "q": query, "maxResults": page_size}
        if page_token:
            kwargs["pageToken"] = page_token
        found = self._run(self._service.users().messages().list(**kwargs))
        messages = [
            (str(m["id"]), str(m.get("threadId", m["id"])))
            for m in found.get("messages", []) or []
            if isinstance(m, dict) and "id" in m
        ]
        token = found.get("nextPageToken")
        return Page(messages, str(token) if token else None)

    def messages(self, ids: Iterable[str], fmt: str = "full", headers: Iterable[str] = ()) -> Batch:
        """Gets messages in batches: `fmt="metadata"` with only the named headers, or
        `"full"`."""
        names = list(headers)
        api = self._service.users().messages()

        def get(message_id: str) -> Callable[[], Any]:
            extra: dict[str, Any] = {"metadataHeaders": names} if fmt == "metadata" else {}
            return lambda: api.get(userId="me", id=message_id, format=fmt, **extra)

        return self._batch({i: get(i) for i in dict.fromkeys(ids)})

    def threads(
        self, ids: Iterable[str], fmt: str = "metadata", headers: Iterable[str] = ()
    ) -> Batch:
        names = list(headers)
        api = self._service.users().threads()

        def get(thread_id: str) -> Callable[[], Any]:
            extra: dict[str, Any] = {"metadataHeaders": names} if fmt == "metadata" else {}
            return lambda: api.get(userId="me", id=thread_id, format=fmt, **extra)

        return self._batch({i: get(i) for i in dict.fromkeys(ids)})

    def thread(
        self, thread_id: str, fmt: str = "full", headers: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        extra: dict[str, Any] = {"metadataHeaders": list(headers)} if fmt == "metadata" else {}
        try:
            return self._run(
                self._service.users().threads().get(userId="me", id=thread_id, format=fmt, **extra)
            )
        except GmailError as exc:
            cause = exc.__cause__
            if isinstance(cause, HttpError) and _status(cause) in (400, 404):
                return None  # not a thread of this mailbox
            raise

    def message(self, message_id: str) -> dict[str, Any] | None:
        try:
            return self._run(
                self._service.users().messages().get(userId="me", id=message_id, format="full")
            )
        except GmailError as exc:
            cause = exc.__cause__
            if isinstance(cause, HttpError) and _status(cause) in (400, 404):
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


def _collect(
    answers: dict[str, tuple[Any, HttpError | None]],
) -> Callable[[str, Any, HttpError | None], None]:
    def done(request_id: str, response: Any, exc: HttpError | None) -> None:
        answers[request_id] = (response, exc)

    return done


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
