"""Settings, read from the environment; every one has an embedded default."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Requests bigger than this are refused before they are parsed. A 100,000-character
    # body of emoji escaped as JSON is about 1.2 MB, so this leaves room for it.
    max_request_bytes: int = 2 * 1024 * 1024
    # Mounts an endpoint that does no work, for the benchmark's baseline only.
    bench_endpoints: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            host=env.get("INTRO_COACH_HOST", cls.host),
            port=int(env.get("INTRO_COACH_PORT", cls.port)),
            max_request_bytes=int(env.get("INTRO_COACH_MAX_REQUEST_BYTES", cls.max_request_bytes)),
            bench_endpoints=env.get("INTRO_COACH_BENCH_ENDPOINTS", "") == "1",
        )
