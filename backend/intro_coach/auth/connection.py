"""Everything the Gmail connection needs, built once per app when Google is configured:
the store, the OAuth flow, sessions, and the context service."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from intro_coach.auth.crypto import Cipher, KeyError_, load_or_create_key_file, token_hash
from intro_coach.auth.oauth import OAuthService
from intro_coach.auth.ratelimit import Limiter, RateLimiter
from intro_coach.config import Settings
from intro_coach.gmail.cache import TTLCache
from intro_coach.gmail.service import ContextService
from intro_coach.shared import MARK_SECONDS, Shared, SharedRateLimiter
from intro_coach.store import Store, create_db_engine, migrate

log = logging.getLogger("intro_coach")

# How long a checked session is trusted in memory. Revoking through this process
# takes effect at once; through another process, within this many seconds.
SESSION_CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class SessionInfo:
    user_id: int
    token: str
    key: str  # the token's hash: what rate limits and logs may name


def cipher_for(settings: Settings) -> Cipher:
    keys = list(settings.encryption_keys)
    if not keys:
        path = settings.encryption_key_file or settings.data_dir / "encryption.key"
        keys = load_or_create_key_file(path)
    return Cipher(keys)


class Connection:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        if store is None:
            engine = create_db_engine(settings.resolved_database_url)
            if settings.migrate_on_start:
                migrate(engine)
            store = Store(engine, cipher_for(settings))
        self.store = store
        self.oauth = OAuthService(settings, store)
        self.context = ContextService(settings, store)
        self.shared = Shared(settings.redis_url) if settings.redis_url else None
        self.analyze_limit = self.limiter("analyze", settings.analyze_per_minute)
        # Keyed by the client's address: starting needs no session.
        self.start_limit = self.limiter("oauth_start", settings.oauth_starts_per_minute)
        self.context.lookups = self.limiter("gmail_lookups", settings.gmail_lookups_per_minute)
        self._sessions: TTLCache[int] = TTLCache()
        self._applied: TTLCache[str] = TTLCache()  # user id -> the last mark acted on

    def limiter(self, name: str, per_minute: int, burst: int | None = None) -> Limiter:
        """One limit for all instances when Redis is configured, else this process's."""
        if self.shared is None:
            return RateLimiter(per_minute, burst)
        return SharedRateLimiter(self.shared, name, per_minute, burst)

    def close(self) -> None:
        self.context.close()
        self.store.engine.dispose()
        if self.shared is not None:
            self.shared.close()

    async def session(self, token: str) -> SessionInfo | None:
        key = token_hash(token)
        user_id = self._sessions.get(key)
        if user_id is not None and self.shared is not None:
            user_id = self._unless_marked(key, user_id)
        if user_id is None:
            user_id = await asyncio.to_thread(self.store.session_user, token)
            if user_id is None:
                return None
            self._sessions.put(key, user_id, SESSION_CACHE_SECONDS)
        return SessionInfo(user_id, token, key)

    def _unless_marked(self, key: str, user_id: int) -> int | None:
        """The remembered user of a session, or None where another instance signed it
        out, disconnected or reconnected the user since (the database decides then)."""
        assert self.shared is not None
        marks = self.shared.marks(key, user_id)
        if marks is None:  # Redis cannot say
            return None
        gone, changed = marks
        if changed is not None and self._applied.get(user_id) != changed:
            # Once per mark: every remembered session may be the user's, and their
            # Gmail context may belong to the old grant.
            self._applied.put(user_id, changed, MARK_SECONDS)
            self._sessions.drop(lambda k: True)
            self.context.forget_user(user_id)
            return None
        if gone:
            self._sessions.drop(lambda k: k == key)
            return None
        return user_id

    def end_session(self, session: SessionInfo) -> None:
        self.store.revoke_session(session.token)
        self._sessions.drop(lambda k: k == session.key)
        if self.shared is not None:
            self.shared.mark_session(session.key)

    def disconnect(self, user_id: int) -> bool:
        """Revokes the grant at Google and deletes every row about the user; returns
        whether Google confirmed the revocation."""
        try:
            refresh = self.store.refresh_token(user_id)
        except KeyError_:
            # The keys changed since the grant was stored: Google cannot be asked to
            # revoke it, but the user's rows are theirs to delete all the same.
            log.warning("disconnect: stored grant cannot be decrypted; deleting anyway")
            revoked = False
        else:
            revoked = self.oauth.revoke(refresh) if refresh else True
        self.store.delete_user(user_id)
        self.context.forget_user(user_id)
        self._sessions.drop(lambda k: True)
        self.user_changed(user_id)
        return revoked

    def user_changed(self, user_id: int) -> None:
        """Every instance drops what it remembers of the user on its next request."""
        if self.shared is not None:
            self.shared.mark_user(user_id)
