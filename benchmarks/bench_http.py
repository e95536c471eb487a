"""`/v1/analyze` over HTTP on a real uvicorn server, against a no-op endpoint.

Both endpoints live in the same server process and are loaded by the same generator
(wrk, one thread, 16 connections) with the same 150-word request, one after the other,
so the ratio isolates what parsing, analysing and answering cost. Two loads:
- "same draft": every request is identical;
- "typing": every request differs in one word of the last paragraph, as the extension's
  requests do while someone types, so nothing can be answered from a memo of the whole
  draft.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import free_port

from benchmarks.drafts import typical

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 16


_TYPING = """
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, (wrk.body:gsub("Thanks so much", "Thanks " .. n, 1)))
end
"""


def _wrk(url: str, body_file: Path, typing: bool) -> tuple[float, float]:
    script = body_file.with_suffix(".lua")
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'local f = io.open("{body_file}", "rb")\nwrk.body = f:read("*a")\nf:close()\n'
        + (_TYPING if typing else "")
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 and "Non-2xx" not in out, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: bash .ci/system-packages wrk")
    port = free_port()
    env = {**os.environ, "INTRO_COACH_BENCH_ENDPOINTS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "intro_coach", "serve", "--port", str(port),
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as tmp:
            body = Path(tmp) / "draft.json"
            body.write_text(typical().model_dump_json())
            httpx.post(f"{base}/v1/analyze", content=body.read_bytes()).raise_for_status()
            for load, typing in (("same draft", False), ("typing", True)):
                noop_rps, noop_p99 = _wrk(f"{base}/bench/noop", body, typing)
                analyze_rps, analyze_p99 = _wrk(f"{base}/v1/analyze", body, typing)
                print(f"[{load}] HTTP no-op      : {noop_rps:7.0f} req/s, p99 {noop_p99:6.2f} ms")
                print(
                    f"[{load}] HTTP /v1/analyze: {analyze_rps:7.0f} req/s, "
                    f"p99 {analyze_p99:6.2f} ms"
                )
                print(
                    f"[{load}] analyze throughput = {analyze_rps / noop_rps:.0%} "
                    "of the no-op's (target >= 60%)"
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
