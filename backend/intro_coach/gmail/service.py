"""Mailbox context for /v1/analyze: cached per user and recipient, fetched in the
background, and never waited on past a deadline."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from google.oauth2.credentials import Credentials

from intro_coach import metrics
from intro_coach.analyzer import Context
from intro_coach.auth.ratelimit import Limiter, RateLimiter
from intro_coach.auth.scopes import scopes_for
from intro_coach.config import Settings
from intro_coach.gmail import lookup
from intro_coach.gmail.cache import TTLCache
from intro_coach.gmail.client import Deadline, Gmail, GmailError, GrantRevoked, user_credentials
from intro_coach.schema import AnalyzeRequest, Checks
from intro_coach.store import Store, UserInfo

log = logging.getLogger("intro_coach.gmail")

Status = Literal["ok", "unavailable", "revoked"]
FAILURE_TTL = 30.0
PARTIAL_TTL = 10.0  # a partial answer is used, and asked again soon
USER_TTL = 60.0
LOOKUP_BUDGET = 5.0  # seconds one background lookup may spend, back-offs included
CACHE_BYTES = 8 * 1024 * 1024  # mailbox context held in memory, all users together
CREDENTIALS_BYTES = 4 * 1024 * 1024  # about 2,000 accounts' credentials
CREDENTIALS_TTL = 3600.0
REVOKED_NOTE = "gmail: access was revoked at Google; reconnect Gmail in Intro Coach's options"


@dataclass(frozen=True)
class Found:
    status: Status
    context: Context = field(default_factory=Context)
    note: str | None = None
    notes: tuple[str, ...] = ()  # said with `checks.gmail: "ok"` too (ambiguity...)


# (user email, user id, thread id, recipients (email, name), referrer typed by the user).
# The email is in the key so that a row id reused for another account can never be
# served this account's mail.
LookupKey = tuple[str, int, str, tuple[tuple[str, str], ...], bool]


class ContextService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        gmail_factory: Callable[[Credentials, Deadline], Gmail] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._gmail_factory = gmail_factory or (
            lambda creds, deadline: Gmail(
                creds, settings.gmail_api_root, settings.google_timeout_seconds, deadline
            )
        )
        self._executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="gmail")
        self._io = ThreadPoolExecutor(max_workers=32, thread_name_prefix="gmail-io")
        self.cache: TTLCache[Found] = TTLCache(max_bytes=CACHE_BYTES)
        # By session (the token's hash): a session belongs to one account for good.
        self._users: TTLCache[UserInfo | None] = TTLCache(max_bytes=1024 * 1024)
        self._inflight: dict[LookupKey, asyncio.Future[Found]] = {}
        # Per account, bounded like every cache here: an account whose entry went is
        # read from the store again.
        self._creds: TTLCache[Credentials] = TTLCache(
            max_bytes=CREDENTIALS_BYTES, size=lambda k, v: 2048
        )
        self._creds_lock = threading.Lock()
        self._refresh_locks: TTLCache[threading.Lock] = TTLCache(
            max_bytes=CREDENTIALS_BYTES // 8, size=lambda k, v: 256
        )
        self.lookups: Limiter = RateLimiter(settings.gmail_lookups_per_minute)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._io.shutdown(wait=False, cancel_futures=True)

    def forget_user(self, user_id: int) -> None:
        self.cache.drop(lambda k: isinstance(k, tuple) and k[1] == user_id)
        self._users.drop(lambda k: isinstance(k, tuple) and k[1] == user_id)
        with self._creds_lock:
            self._creds.drop(lambda k: isinstance(k, tuple) and k[0] == user_id)

    async def user(self, user_id: int, session_key: str = "") -> UserInfo | None:
        key = (session_key, user_id)
        cached = self._users.get(key)
        if cached is not None:
            return cached
        # Not on the Gmail pool: lookups hanging on Gmail must not hold this up.
        info = await asyncio.to_thread(self.store.user, user_id)
        self._users.put(key, info, USER_TTL)
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
        user = await self.user(user_id, session_key)
        if user is None or user.grant_status != "active":
            notes = [REVOKED_NOTE] if user is not None else []
            return Context(), Checks(gmail="not_connected", notes=notes)
        thread_id = request.thread_id if "thread" in user.features else None
        people: tuple[tuple[str, str], ...] = ()
        # A referrer typed in the panel wins, and so does the user's word that nobody
        # referred them (an empty one): no need to search the mailbox for one.
        typed = request.referrer is not None
        if "referrer" in user.features and not typed:
            people = tuple(
                sorted({(r.email.strip().lower(), (r.name or "").strip()) for r in request.to})
            )[:3]
        if not thread_id and not people:
            return Context(), Checks(gmail="ok")
        key: LookupKey = (user.email.lower(), user.id, thread_id or "", people, typed)
        found = self.cache.get(key)
        metrics.cache_lookup("gmail_context", found is not None)
        if found is None:
            found = await self._wait(key, user, session_key)
        if found.status == "revoked":
            return Context(), Checks(gmail="not_connected", notes=[REVOKED_NOTE])
        notes = list(found.notes) + ([found.note] if found.note else [])
        if found.status != "ok":
            # A partial answer is still used; `checks.gmail` says it is not the whole one.
            return found.context, Checks(gmail="unavailable", notes=notes)
        return found.context, Checks(gmail="ok", notes=notes)

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
        if found.status == "ok":
            ttl = self.settings.context_cache_seconds
        else:
            ttl = PARTIAL_TTL if found.context != Context() else FAILURE_TTL
        self.cache.put(key, found, ttl)
        if found.status == "revoked":
            self._users.drop(lambda k: isinstance(k, tuple) and k[1] == key[1])

    def _credentials(self, user: UserInfo) -> Credentials | None:
        with self._creds_lock:
            creds = self._creds.get((user.id, user.email))
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
            kept = self._creds.get((user.id, user.email))
            if kept is not None:
                return kept
            self._creds.put((user.id, user.email), creds, CREDENTIALS_TTL)
            return creds

    def _refresh(self, user: UserInfo, creds: Credentials) -> None:
        """Gets an access token once, before the calls that share it run in parallel."""
        import httplib2  # type: ignore[import-untyped]
        from google.auth.exceptions import RefreshError, TransportError
        from google_auth_httplib2 import Request  # type: ignore[import-untyped]

        with self._creds_lock:
            lock = self._refresh_locks.get((user.id, user.email))
            if lock is None:
                lock = threading.Lock()
                self._refresh_locks.put((user.id, user.email), lock, CREDENTIALS_TTL)
        # One user's slow token refresh must not hold up everyone else's lookups.
        with lock:
            if creds.valid:
                return
            try:
                with metrics.call("google_token", "refresh"):
                    creds.refresh(
                        Request(  # type: ignore[no-untyped-call]
                            httplib2.Http(timeout=self.settings.google_timeout_seconds)
                        )
                    )
            except RefreshError as exc:
                raise GrantRevoked(type(exc).__name__) from exc
            except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
                raise GmailError(f"token endpoint unreachable: {type(exc).__name__}") from exc

    def _thread(
        self, creds: Credentials, thread_id: str, user: UserInfo, deadline: Deadline
    ) -> lookup.ThreadLookup:
        gmail = self._gmail_factory(creds, deadline)
        return lookup.thread_asks_for_resume(gmail, thread_id, user.email)

    def _referrer(
        self,
        creds: Credentials,
        people: tuple[tuple[str, str], ...],
        user: UserInfo,
        deadline: Deadline,
    ) -> lookup.ReferrerLookup:
        def one(email: str, name: str) -> lookup.ReferrerLookup:
            gmail = self._gmail_factory(creds, deadline)  # a client per thread
            return lookup.find_introduction(gmail, user.email, email, name)

        # Each recipient's search in parallel: the deadline holds for a draft to three.
        futures = [self._io.submit(one, email, name) for email, name in people[1:]]
        results: list[lookup.ReferrerLookup] = []
        failure: GmailError | None = None
        runs: list[Callable[[], lookup.ReferrerLookup]] = [lambda: one(*people[0])]
        runs += [f.result for f in futures]
        for run in runs:
            try:
                results.append(run())
            except GmailError as exc:  # the others' answers are still used
                failure = exc
                results.append(lookup.ReferrerLookup(None, False))
        if failure is not None and all(r.introduction is None for r in results):
            raise failure
        complete = all(r.complete for r in results)
        notes = tuple(n for r in results for n in r.notes if r.introduction is None)
        for found in results:  # the first recipient (by address) someone introduced
            if found.introduction is not None:
                return lookup.ReferrerLookup(found.introduction, complete, found.notes)
        return lookup.ReferrerLookup(None, complete, notes)

    def _fetch(self, key: LookupKey, user: UserInfo) -> Found:
        """Runs on a worker thread; every Gmail call gets a client of its own thread."""
        _, _, thread_id, people, _ = key
        creds = self._credentials(user)
        if creds is None:
            return Found("revoked")
        deadline = Deadline(LOOKUP_BUDGET)
        thread: lookup.ThreadLookup | None = None
        found: lookup.ReferrerLookup | None = None
        failed: GmailError | None = None
        try:
            self._refresh(user, creds)
            asked = (
                self._io.submit(self._thread, creds, thread_id, user, deadline)
                if thread_id
                else None
            )
            try:
                found = self._referrer(creds, people, user, deadline) if people else None
            except GmailError as exc:
                failed = exc
            try:
                thread = asked.result() if asked is not None else None
            except GmailError as exc:
                failed = exc
        except GrantRevoked:
            if creds.refresh_token:
                self.store.mark_grant_revoked(user.id, creds.refresh_token)
            with self._creds_lock:
                self._creds.drop(lambda k: k == (user.id, user.email))
            log.info("gmail grant revoked at Google for a user")
            return Found("revoked")
        except GmailError as exc:
            failed = exc
        if failed is not None:
            log.warning("gmail lookup: %s", failed)
            if found is None and thread is None:
                return Found("unavailable", note="gmail: Gmail did not answer; rules only")
        intro = found.introduction if found else None
        context = Context(
            resume_requested=bool(thread and thread.resume_requested),
            referrer=intro.introducer if intro else None,
        )
        notes = found.notes if found else ()
        whole = (found is not None or not people) and (thread is not None or not thread_id)
        if failed is None and whole and all(x is None or x.complete for x in (found, thread)):
            return Found("ok", context, notes=notes)
        return Found(
            "unavailable",
            context,
            note="gmail: some messages could not be read; this may not be the whole answer",
            notes=notes,
        )
