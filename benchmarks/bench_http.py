"""`/v1/analyze` over HTTP on a real uvicorn server, against `GET /healthz` and a no-op.

All endpoints live in the same server (run as `intro-coach serve` runs by default: access
log on, analyses in two processes beside the one that serves HTTP) and are loaded by the
same generator (wrk, one thread, 16 connections), one after the other, so the ratios
isolate what parsing, analysing and answering cost. The server's CPU time per request is
read from /proc: its HTTP process's and its analysis processes', since the ratio alone
would not show what the second core does. Two loads:
- "same draft": every request is identical;
- "typing": every request differs in one word of the last paragraph, as the extension's
  requests do while someone types, so nothing can be answered from a memo of the whole
  draft.
Then the heaviest legal drafts, one request at a time: each must be answered within
250 ms (the analyzer's time budget, 150 ms by default, sees to it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import analysis_processes, free_port

from benchmarks.drafts import typical
from intro_coach.schema import MAX_BODY_CHARS

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 16


_TYPING = """
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, (wrk.body:gsub("Thanks so much", "Thanks " .. n, 1)))
end
"""


def _wrk(url: str, body_file: Path | None, typing: bool) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms and the number of requests made."""
    script = (body_file or Path(tempfile.gettempdir()) / "get").with_suffix(".lua")
    script.write_text(
        (
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'local f = io.open("{body_file}", "rb")\nwrk.body = f:read("*a")\nf:close()\n'
            + (_TYPING if typing else "")
        )
        if body_file
        else 'wrk.method = "GET"\n'
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 and "Non-2xx" not in out, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale, count


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server's HTTP process and of its analysis processes."""
    return _cpu_seconds(pid), sum(_cpu_seconds(child) for child in analysis_processes(pid))


def _load(pid: int, url: str, body: Path | None, typing: bool) -> tuple[float, float, float, float]:
    """Requests per second, p99 in ms, and server CPU per request in µs: the HTTP
    process's and the analysis processes'."""
    http_before, analysis_before = _server_cpu(pid)
    rps, p99, count = _wrk(url, body, typing)
    http_after, analysis_after = _server_cpu(pid)
    per_request = 1e6 / max(1, count)
    return (
        rps,
        p99,
        (http_after - http_before) * per_request,
        (analysis_after - analysis_before) * per_request,
    )


def _cpu(http: float, analysis: float) -> str:
    return f"server CPU {http + analysis:5.0f} µs/request" + (
        f" ({http:.0f} HTTP process + {analysis:.0f} analysis processes)" if analysis >= 1 else ""
    )


def _fill(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


# The largest and the slowest legal drafts we know of, each answered one at a time.
_HEAVY: dict[str, dict[str, Any]] = {
    "100,000 characters of prose": {"body": {"text": _fill(
        "Thank you for the talk last week about moving from teaching into research. ",
        MAX_BODY_CHARS,
    )}},
    "100,000 characters of short questions": {"body": {"text": _fill(
        "Would you share your advice on a job? ", MAX_BODY_CHARS
    )}},
    "a job ask then 'a-a-a-' to 100,000": {"body": {"text": "I'm looking for a " + _fill(
        "a-", MAX_BODY_CHARS - 18
    )}},
    "100,000 characters of HTML": {"body": {"html": _fill(
        '<p title="x">Could I pick your <b>brain</b> about a job?</p>', MAX_BODY_CHARS
    )}},
}  # fmt: skip


def _distinct(draft: dict[str, Any], i: int) -> dict[str, Any]:
    """The draft with its first characters changed, so no memo of the server has it."""
    body = dict(draft["body"])
    key = "text" if "text" in body else "html"
    body[key] = f"{i:03d} " + body[key][4:]
    return {**draft, "body": body}


def _heavy(base: str, rounds: int = 15) -> None:
    """Each heavy draft `rounds` times, each time new (cold), while another client polls
    /healthz every 10 ms: how long the heavy ones take, and how long /healthz waits."""
    health: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                client.get("/healthz").raise_for_status()
                health.append((time.perf_counter() - started) * 1000)
                time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for name, draft in _HEAVY.items():
                times = []
                budget_notes = 0
                for i in range(rounds):
                    started = time.perf_counter()
                    response = client.post("/v1/analyze", json=_distinct(draft, i))
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    notes = response.json()["checks"]["notes"]
                    budget_notes += any("time budget" in n for n in notes)
                times.sort()
                print(
                    f"[heavy] {name:40s}: median {times[len(times) // 2]:5.0f} ms, "
                    f"max {times[-1]:5.0f} ms (target < 250 ms); "
                    f"budget reached in {budget_notes}/{rounds}"
                )
    finally:
        stop.set()
        poller.join()
    health.sort()
    print(
        f"[heavy] GET /healthz meanwhile ({len(health)} polls): median "
        f"{health[len(health) // 2]:.1f} ms, p99 {health[int(len(health) * 0.99)]:.1f} ms, "
        f"max {health[-1]:.1f} ms (target < 100 ms)"
    )


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: bash .ci/system-packages wrk")
    port = free_port()
    env = {**os.environ, "INTRO_COACH_BENCH_ENDPOINTS": "1"}
    # As `intro-coach serve` runs by default: the access log on (written to /dev/null).
    server = subprocess.Popen(
        [sys.executable, "-m", "intro_coach", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    print(
        "Figures from a shared 2-core machine running other work: noisy; compare the "
        "ratios of one run, not absolute numbers across runs."
    )
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as tmp:
            body = Path(tmp) / "draft.json"
            body.write_text(typical().model_dump_json())
            httpx.post(f"{base}/v1/analyze", content=body.read_bytes()).raise_for_status()
            health_rps, health_p99, *health_cpu = _load(server.pid, f"{base}/healthz", None, False)
            print(
                f"GET /healthz              : {health_rps:7.0f} req/s, p99 {health_p99:6.2f} ms, "
                + _cpu(*health_cpu)
            )
            for load, typing in (("same draft", False), ("typing", True)):
                noop_rps, noop_p99, *noop_cpu = _load(
                    server.pid, f"{base}/bench/noop", body, typing
                )
                rps, p99, *cpu = _load(server.pid, f"{base}/v1/analyze", body, typing)
                print(
                    f"[{load}] POST /bench/noop : {noop_rps:7.0f} req/s, p99 {noop_p99:6.2f} ms, "
                    + _cpu(*noop_cpu)
                )
                print(
                    f"[{load}] POST /v1/analyze: {rps:7.0f} req/s, p99 {p99:6.2f} ms, " + _cpu(*cpu)
                )
                print(
                    f"[{load}] analyze = {rps / health_rps:.0%} of GET /healthz's req/s "
                    f"(target >= 70%), {rps / noop_rps:.0%} of the no-op POST's; "
                    f"server CPU {sum(cpu):.0f} µs per analyze request, "
                    f"{sum(cpu) / sum(health_cpu):.1f} times /healthz's"
                )
            _heavy(base)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
