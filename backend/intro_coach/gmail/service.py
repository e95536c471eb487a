"""Mailbox context for /v1/analyze: cached per user and recipient, fetched in the
background, and never waited on past a deadline."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from google.oauth2.credentials import Credentials

from intro_coach.analyzer import Context
from intro_coach.auth.ratelimit import RateLimiter
from intro_coach.auth.scopes import scopes_for
from intro_coach.config import Settings
from intro_coach.gmail import context as finder
from intro_coach.gmail.cache import TTLCache
from intro_coach.gmail.client import Gmail, GmailError, GrantRevoked, user_credentials
from intro_coach.schema import AnalyzeRequest, Checks
from intro_coach.store import Store, UserInfo

log = logging.getLogger("intro_coach.gmail")

Status = Literal["ok", "unavailable", "revoked"]
FAILURE_TTL = 30.0
USER_TTL = 60.0
SEARCH_LIMIT = 5
LOOKUP_BUDGET = 10.0  # seconds one background lookup may spend before giving up
REVOKED_NOTE = "gmail: access was revoked at Google; reconnect Gmail in Intro Coach's options"


@dataclass(frozen=True)
class Found:
    status: Status
    context: Context = field(default_factory=Context)
    note: str | None = None


LookupKey = tuple[int, str, tuple[tuple[str, str], ...]]


class ContextService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        gmail_factory: Callable[[Credentials], Gmail] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._gmail_factory = gmail_factory or (
            lambda creds: Gmail(creds, settings.gmail_api_root, settings.google_timeout_seconds)
        )
        self._executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="gmail")
        self._io = ThreadPoolExecutor(max_workers=32, thread_name_prefix="gmail-io")
        self.cache: TTLCache[Found] = TTLCache()
        self._users: TTLCache[UserInfo | None] = TTLCache()
        self._inflight: dict[LookupKey, asyncio.Future[Found]] = {}
        self._creds: dict[int, Credentials] = {}
        self._creds_lock = threading.Lock()
        self._refresh_locks: dict[int, threading.Lock] = {}
        self.lookups = RateLimiter(settings.gmail_lookups_per_minute)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._io.shutdown(wait=False, cancel_futures=True)

    def forget_user(self, user_id: int) -> None:
        self.cache.drop(lambda k: isinstance(k, tuple) and k[0] == user_id)
        self._users.drop(lambda k: k == user_id)
        with self._creds_lock:
            self._creds.pop(user_id, None)

    async def user(self, user_id: int) -> UserInfo | None:
        cached = self._users.get(user_id)
        if cached is not None:
            return cached
        # Not on the Gmail pool: lookups hanging on Gmail must not hold this up.
        info = await asyncio.to_thread(self.store.user, user_id)
        self._users.put(user_id, info, USER_TTL)
        return info

    async def context_for(
        self, user_id: int, session_key: str, request: AnalyzeRequest
    ) -> tuple[Context, Checks]:
        """Never waits past the deadline and never fails the request: the rules answer
        alone and `checks.gmail` says why."""
        try:
            return await asyncio.wait_for(
                self._context_for(user_id, session_key, request),
                timeout=self.settings.gmail_deadline_seconds,
            )
        except TimeoutError:
            note = "gmail: no answer within the deadline; next time"
        except Exception as exc:  # a database or key problem must not become a 500
            log.warning("gmail context failed: %s", type(exc).__name__)
            note = "gmail: failed; rules only"
        return Context(), Checks(gmail="unavailable", notes=[note])

    async def _context_for(
        self, user_id: int, session_key: str, request: AnalyzeRequest
    ) -> tuple[Context, Checks]:
        user = await self.user(user_id)
        if user is None or user.grant_status != "active":
            notes = [REVOKED_NOTE] if user is not None else []
            return Context(), Checks(gmail="not_connected", notes=notes)
        thread_id = request.thread_id if "thread" in user.features else None
        people: tuple[tuple[str, str], ...] = ()
        if "referrer" in user.features:
            people = tuple(
                sorted({(r.email.strip().lower(), (r.name or "").strip()) for r in request.to})
            )[:3]
        if not thread_id and not people:
            return Context(), Checks(gmail="ok")
        key: LookupKey = (user_id, thread_id or "", people)
        found = self.cache.get(key)
        if found is None:
            found = await self._wait(key, user, session_key)
        if found.status == "revoked":
            return Context(), Checks(gmail="not_connected", notes=[REVOKED_NOTE])
        if found.status != "ok":
            return Context(), Checks(gmail="unavailable", notes=[found.note] if found.note else [])
        return found.context, Checks(gmail="ok")

    async def _wait(self, key: LookupKey, user: UserInfo, session_key: str) -> Found:
        future = self._inflight.get(key)
        if future is None:
            allowed, _ = self.lookups.allow(session_key)
            if not allowed:
                return Found("unavailable", note="gmail: too many lookups; try again shortly")
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._executor, self._fetch, key, user)
            self._inflight[key] = future
            future.add_done_callback(lambda f: self._done(key, f))
        # The lookup goes on after the deadline, so the next request can use it.
        return await asyncio.shield(future)

    def _done(self, key: LookupKey, future: asyncio.Future[Found]) -> None:
        self._inflight.pop(key, None)
        if future.cancelled():
            return
        exc = future.exception()
        found = future.result() if exc is None else Found("unavailable", note="gmail: failed")
        if exc is not None:
            log.warning("gmail lookup failed: %s", type(exc).__name__)
        ttl = self.settings.context_cache_seconds if found.status == "ok" else FAILURE_TTL
        self.cache.put(key, found, ttl)
        if found.status == "revoked":
            self._users.drop(lambda k: k == key[0])

    def _credentials(self, user: UserInfo) -> Credentials | None:
        with self._creds_lock:
            creds = self._creds.get(user.id)
        if creds is not None:
            return creds
        refresh = self.store.refresh_token(user.id)
        if refresh is None:
            return None
        settings = self.settings
        assert settings.google_client_id and settings.google_client_secret
        creds = user_credentials(
            refresh,
            settings.google_client_id,
            settings.google_client_secret,
            settings.google_token_uri,
            scopes_for(user.features),
        )
        with self._creds_lock:
            return self._creds.setdefault(user.id, creds)

    def _refresh(self, user: UserInfo, creds: Credentials) -> None:
        """Gets an access token once, before the calls that share it run in parallel."""
        import httplib2  # type: ignore[import-untyped]
        from google.auth.exceptions import RefreshError, TransportError
        from google_auth_httplib2 import Request  # type: ignore[import-untyped]

        with self._creds_lock:
            lock = self._refresh_locks.setdefault(user.id, threading.Lock())
        # One user's slow token refresh must not hold up everyone else's lookups.
        with lock:
            if creds.valid:
                return
            try:
                creds.refresh(
                    Request(  # type: ignore[no-untyped-call]
                        httplib2.Http(timeout=self.settings.google_timeout_seconds)
                    )
                )
            except RefreshError as exc:
                raise GrantRevoked(type(exc).__name__) from exc
            except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
                raise GmailError(f"token endpoint unreachable: {type(exc).__name__}") from exc

    def _thread(self, creds: Credentials, thread_id: str, user: UserInfo) -> bool:
        thread = self._gmail_factory(creds).thread(thread_id)
        return thread is not None and finder.thread_asks_for_resume(thread, user.email)

    def _message(self, creds: Credentials, message_id: str) -> dict[str, Any] | None:
        return self._gmail_factory(creds).message(message_id)

    def _referrer(
        self, creds: Credentials, people: tuple[tuple[str, str], ...], user: UserInfo
    ) -> str | None:
        started = time.monotonic()
        for email, name in people:
            if time.monotonic() - started > LOOKUP_BUDGET:
                break  # a slow Gmail must not hold a worker for minutes
            ids = self._gmail_factory(creds).search(finder.search_query(email, name), SEARCH_LIMIT)
            fetched = list(self._io.map(lambda i: self._message(creds, i), ids))
            messages = [m for m in fetched if m is not None]
            referrer = finder.introducer(messages, user.email, email, name)
            if referrer:
                return referrer
        return None

    def _fetch(self, key: LookupKey, user: UserInfo) -> Found:
        """Runs on a worker thread; every Gmail call gets a client of its own thread."""
        _, thread_id, people = key
        creds = self._credentials(user)
        if creds is None:
            return Found("revoked")
        try:
            self._refresh(user, creds)
            asked = self._io.submit(self._thread, creds, thread_id, user) if thread_id else None
            referrer = self._referrer(creds, people, user) if people else None
            resume_requested = asked.result() if asked is not None else False
        except GrantRevoked:
            if creds.refresh_token:
                self.store.mark_grant_revoked(user.id, creds.refresh_token)
            with self._creds_lock:
                self._creds.pop(user.id, None)
            log.info("gmail grant revoked at Google for a user")
            return Found("revoked")
        except GmailError as exc:
            log.warning("gmail lookup: %s", exc)
            return Found("unavailable", note="gmail: Gmail did not answer; rules only")
        return Found("ok", Context(resume_requested=resume_requested, referrer=referrer))
