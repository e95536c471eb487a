"""State that every instance must agree on, in Redis when INTRO_COACH_REDIS_URL is set:
rate-limit buckets, and marks that make every instance drop what it remembers of a
session or a user (a sign-out, a disconnect, a new grant) at once.

OAuth states and one-time login codes need nothing here: they live in the database,
and each is claimed there by one atomic update.

Every Redis call has a short deadline. When Redis fails, rate limits fall back to each
instance's own buckets and session checks go to the database: slower and less strict,
never wrong in the user's favour of a revoked session.
"""

from __future__ import annotations

import logging
import time
import uuid

import redis

from intro_coach import metrics
from intro_coach.auth.ratelimit import RateLimiter

log = logging.getLogger("intro_coach.shared")

# A mark must outlive every per-instance cache entry made before it (sessions are
# trusted in memory for 10 seconds, Gmail user records for 60).
MARK_SECONDS = 90
_TIMEOUT = 0.25
_PREFIX = "intro-coach:"

# One token bucket per key, on the Redis server's clock so that instances' clocks do
# not matter. Returns {allowed, seconds until the next token}.
_TOKEN_BUCKET = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
if allowed == 1 then
  return {1, '0'}
end
return {0, tostring((1 - tokens) / rate)}
"""


class Shared:
    def __init__(self, url: str) -> None:
        self.redis = redis.Redis.from_url(
            url,
            socket_timeout=_TIMEOUT,
            socket_connect_timeout=_TIMEOUT,
            health_check_interval=30,
            decode_responses=True,
        )
        self._bucket = self.redis.register_script(_TOKEN_BUCKET)
        self._quiet_until = 0.0
        self.failures = 0

    def close(self) -> None:
        self.redis.close()

    def _failed(self, what: str, exc: Exception) -> None:
        self.failures += 1
        now = time.monotonic()
        if now >= self._quiet_until:  # one line a minute, not one per request
            log.warning("redis %s failed (%s); falling back", what, type(exc).__name__)
            self._quiet_until = now + 60

    def take(self, name: str, key: str, per_second: float, burst: float) -> tuple[bool, float]:
        """Takes a token from the shared bucket; raises redis.RedisError."""
        with metrics.call("redis", "rate_limit"):
            allowed, wait = self._bucket(
                keys=[f"{_PREFIX}rate:{name}:{key}"], args=[per_second, burst]
            )
        return bool(allowed), float(wait)

    def mark_session(self, session_key: str) -> None:
        self._mark(f"{_PREFIX}gone:session:{session_key}")

    def mark_user(self, user_id: int) -> None:
        self._mark(f"{_PREFIX}changed:user:{user_id}")

    def _mark(self, key: str) -> None:
        # Each mark is unique, so that an instance acts on a given one only once.
        try:
            with metrics.call("redis", "mark"):
                self.redis.set(key, uuid.uuid4().hex, ex=MARK_SECONDS)
        except redis.RedisError as exc:
            self._failed("mark", exc)

    def marks(self, session_key: str, user_id: int) -> tuple[bool, str | None] | None:
        """Whether the session was signed out, and the user's latest mark (disconnected
        or reconnected), through any instance; None when Redis cannot say."""
        try:
            with metrics.call("redis", "check"):
                gone, changed = self.redis.mget(
                    f"{_PREFIX}gone:session:{session_key}", f"{_PREFIX}changed:user:{user_id}"
                )
        except redis.RedisError as exc:
            self._failed("check", exc)
            return None
        return gone is not None, None if changed is None else str(changed)


class SharedRateLimiter:
    """A RateLimiter whose buckets live in Redis, so a limit holds across instances;
    the per-instance limiter takes over while Redis fails."""

    def __init__(self, shared: Shared, name: str, per_minute: int, burst: int | None = None):
        self.shared = shared
        self.name = name
        self.local = RateLimiter(per_minute, burst)
        self.rate = self.local.rate
        self.burst = self.local.burst

    def allow(self, key: str) -> tuple[bool, float]:
        try:
            return self.shared.take(self.name, key, self.rate, self.burst)
        except redis.RedisError as exc:
            self.shared._failed("rate limit", exc)
            return self.local.allow(key)
