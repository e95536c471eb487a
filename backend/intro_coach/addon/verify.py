"""Is this request from Google? System ID tokens (and the user's ID token), verified
with google-auth against Google's certificates, which are cached per Cache-Control."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from google.auth import exceptions as auth_errors
from google.auth import transport
from google.oauth2 import id_token

from intro_coach.linear import Regex

log = logging.getLogger("intro_coach.addon")

ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
MAX_TOKEN_CHARS = 8_192
MAX_CERTS_BYTES = 256 * 1024
MAX_CACHE_SECONDS = 24 * 3600
HEURISTIC_SECONDS = 60.0  # when the answer has no Cache-Control at all
MAX_STALE_SECONDS = 24 * 3600  # a stale copy serves while the certs URL is down
REFETCH_INTERVAL = 10.0  # an unknown key id refetches at most this often
CLOCK_SKEW = 30  # seconds: our clock and Google's may differ a little
_MAX_AGE = Regex(r"(?:^|[,\s])max-age\s*=\s*(\d{1,10})")
_NO_CACHE = Regex(r"(?:^|[,\s])(?:no-store|no-cache)(?:$|[,\s=])")


def cache_seconds(cache_control: str | None, age: str | None) -> float:
    if cache_control is None:
        return HEURISTIC_SECONDS
    if _NO_CACHE.search(cache_control.lower()):
        return 0.0
    match = _MAX_AGE.search(cache_control.lower())
    digits = match.group(1) if match is not None else None
    if digits is None:
        return 0.0
    seconds = min(int(digits), MAX_CACHE_SECONDS)
    if age and age.strip().isdigit():
        seconds -= int(age.strip())
    return float(max(seconds, 0))


@dataclass
class _Response(transport.Response):
    _status: int
    _headers: Mapping[str, str]
    _data: bytes

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


@dataclass
class _Entry:
    body: bytes
    fetched: float
    expires: float
    kids: frozenset[str]


class CertsCache(transport.Request):
    """google-auth's transport for fetching certificates, answering from a cache.

    Bounded: one entry per certificates URL (at most a few), each at most 256 KiB.
    """

    def __init__(self, timeout: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = timeout
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> transport.Response:
        if method != "GET":
            raise auth_errors.TransportError(  # type: ignore[no-untyped-call]
                "only GET is used for certificates"
            )
        entry = self._get(url)
        return _Response(200, {"content-type": "application/json"}, entry.body)

    def ensure_key(self, url: str, kid: str | None) -> None:
        """Refetches early when a token names a key the cached copy lacks (Google
        rotated its keys), at most once per REFETCH_INTERVAL."""
        with self._lock:
            entry = self._entries.get(url)
            stale = (
                entry is not None
                and kid is not None
                and kid not in entry.kids
                and self.clock() - entry.fetched > REFETCH_INTERVAL
            )
            if stale and entry is not None:
                entry.expires = 0.0

    def _get(self, url: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(url)
            now = self.clock()
            if entry is not None and entry.expires > now:
                return entry
            try:
                fresh = self._fetch(url)
            except (httpx.HTTPError, ValueError) as exc:
                if entry is not None and now - entry.fetched < MAX_STALE_SECONDS:
                    log.warning("certificates unavailable (%s); using the cached copy", exc)
                    return entry
                raise auth_errors.TransportError(  # type: ignore[no-untyped-call]
                    f"certificates unavailable: {exc}"
                ) from exc
            if len(self._entries) >= 4 and url not in self._entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[url] = fresh
            return fresh

    def _fetch(self, url: str) -> _Entry:
        self.fetches += 1
        with (
            httpx.Client(timeout=self.timeout) as client,
            client.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            if response.status_code != 200:
                raise ValueError(f"certificates URL answered {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_CERTS_BYTES:
                    raise ValueError("certificates document too large")
                chunks.append(chunk)
            body = b"".join(chunks)
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("certificates document is not an object")
            keys = data.get("keys")
            kids = (
                frozenset(str(k.get("kid")) for k in keys if isinstance(k, dict))
                if isinstance(keys, list)
                else frozenset(str(k) for k in data)
            )
            now = self.clock()
            ttl = cache_seconds(response.headers.get("cache-control"), response.headers.get("age"))
            return _Entry(body, now, now + ttl, kids)


def _unverified_kid(token: str) -> str | None:
    head = token.split(".", 1)[0]
    if len(head) > 1_000:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (binascii.Error, ValueError):
        return None
    kid = data.get("kid") if isinstance(data, dict) else None
    return kid if isinstance(kid, str) else None


class Verifier:
    def __init__(self, certs_url: str, timeout: float = 5.0) -> None:
        self.certs_url = certs_url
        self.certs = CertsCache(timeout)

    def claims(self, token: str, audience: str) -> Mapping[str, Any] | None:
        """The token's claims when Google signed it for this audience and it is current;
        None otherwise (the reason is logged as a category, never the token)."""
        if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
            return None
        self.certs.ensure_key(self.certs_url, _unverified_kid(token))
        try:
            claims = id_token.verify_token(
                token,
                self.certs,
                audience=audience,
                certs_url=self.certs_url,
                clock_skew_in_seconds=CLOCK_SKEW,
            )
        except auth_errors.TransportError as exc:
            log.warning("add-on token not checked: %s", exc)
            return None
        except (ValueError, auth_errors.GoogleAuthError) as exc:
            log.info("add-on token refused: %s", type(exc).__name__)
            return None
        if claims.get("iss") not in ISSUERS:
            log.info("add-on token refused: issuer")
            return None
        if claims.get("email_verified") not in (True, "true"):
            log.info("add-on token refused: email not verified")
            return None
        return claims

    def system(self, token: str, audience: str, service_account: str) -> bool:
        claims = self.claims(token, audience)
        if claims is None:
            return False
        email = claims.get("email")
        if not isinstance(email, str) or email.lower() != service_account.lower():
            log.info("add-on token refused: not the add-on's service account")
            return False
        return True

    def user_email(self, token: str, client_id: str) -> str | None:
        claims = self.claims(token, client_id)
        email = claims.get("email") if claims is not None else None
        return email.lower() if isinstance(email, str) else None
