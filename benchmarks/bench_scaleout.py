"""Scale-out figures.

1. `/v1/analyze` throughput and p99 with 1, 2 and 4 worker processes
   (`intro-coach serve --workers N`), wrk with two threads and 32 connections on the same
   machine, the "typing" load of bench_http (every request differs in one word).
2. What Redis-backed shared state adds to an authenticated request: the check that no
   instance signed the session out (one EXISTS) and the shared rate-limit bucket (one
   script call), against the per-process limiter, on the Redis of `.ci/redis`.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import free_port

from benchmarks.bench_http import _TYPING
from benchmarks.drafts import typical
from intro_coach.auth.ratelimit import RateLimiter
from intro_coach.shared import Shared, SharedRateLimiter

DURATION = os.environ.get("BENCH_DURATION", "10s")


def _wrk(url: str, body_file: Path) -> tuple[float, float, int]:
    script = body_file.with_suffix(".lua")
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'local f = io.open("{body_file}", "rb")\nwrk.body = f:read("*a")\nf:close()\n' + _TYPING
    )
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99, out
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def workers(body: Path) -> None:
    base_rps = None
    for count in (1, 2, 4):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "intro_coach", "serve", "--port", str(port),
             "--workers", str(count), "--log-level", "warning"],
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90  # a loaded machine starts workers slowly
            while True:
                try:
                    httpx.get(f"{url}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            # Every worker compiles the rule pack on its first request.
            for _ in range(20 * count):
                httpx.post(f"{url}/v1/analyze", content=body.read_bytes()).raise_for_status()
            rps, p99, errors = _wrk(f"{url}/v1/analyze", body)
        finally:
            server.terminate()
            server.wait()
        base_rps = base_rps or rps
        print(
            f"/v1/analyze, {count} worker{'s' if count > 1 else ' '}: {rps:7.0f} req/s "
            f"({rps / base_rps:.2f}x), p99 {p99:6.1f} ms, errors {errors}"
        )


def _per_call(fn: object, calls: int = 2000, batches: int = 7) -> float:
    """Median over batches of the mean time per call, in milliseconds."""
    assert callable(fn)
    results = []
    for _ in range(batches):
        started = time.perf_counter()
        for i in range(calls):
            fn(i)
        results.append((time.perf_counter() - started) / calls * 1000)
    return statistics.median(results)


def redis_cost() -> None:
    url = os.environ.get("INTRO_COACH_TEST_REDIS_URL")
    if not url:
        print('redis: not measured (run `eval "$(bash .ci/redis)"` first)')
        return
    shared = Shared(url)
    # Generous limits: every call is allowed, as for a user typing at a normal pace.
    local = RateLimiter(6_000_000)
    remote = SharedRateLimiter(shared, "bench", 6_000_000)
    keys = [f"bench-session-{i}" for i in range(100)]
    local_ms = _per_call(lambda i: local.allow(keys[i % 100]))
    take_ms = _per_call(lambda i: remote.allow(keys[i % 100]))
    check_ms = _per_call(lambda i: shared.marks(keys[i % 100], i % 100))
    ping_ms = _per_call(lambda i: shared.redis.ping())
    shared.close()
    assert shared.failures == 0, "Redis calls failed: the figures would be the fallback's"
    added = take_ms + check_ms - local_ms
    print(f"a bare round trip to Redis   : {ping_ms * 1000:6.1f} us (PING, for scale)")
    print(f"rate limit in process        : {local_ms * 1000:6.1f} us per request")
    print(f"rate limit in Redis          : {take_ms * 1000:6.1f} us per request")
    print(f"sign-out check in Redis      : {check_ms * 1000:6.1f} us per request")
    print(f"added by the shared rate limit : {take_ms - local_ms:.3f} ms (target < 0.3 ms)")
    print(f"added with the sign-out check  : {added:.3f} ms per authenticated request")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: bash .ci/system-packages wrk")
    print(f"{os.cpu_count()} cores, shared with wrk (and with whatever else runs here)")
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "draft.json"
        body.write_text(typical().model_dump_json())
        workers(body)
    redis_cost()


if __name__ == "__main__":
    main()
