"""Shared fixtures: the shared corpus, and a real uvicorn server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from intro_coach.languagetool_process import LanguageToolProcess, why_not_local

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def analysis_processes(pid: int) -> list[int]:
    """The analysis processes (workers.py) of the server `pid`, not its other children
    (LanguageTool), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"intro_coach.workers" in command:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    workdir: Path

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        return self.log.read_text(errors="replace")


def start_server(
    workdir: Path, extra_env: dict[str, str] | None = None, start_seconds: float = 20
) -> Server:
    port = free_port()
    log = workdir / "server.log"
    env = {**os.environ, "HOME": str(workdir), "TMPDIR": str(workdir)}
    # A server runs grammar only when its test asks: each would start its own JVM.
    env.pop("INTRO_COACH_LANGUAGETOOL_JARS", None)
    env.pop("INTRO_COACH_LANGUAGETOOL_URL", None)
    env.update(extra_env or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "intro_coach", "serve", "--port", str(port), "--log-level", "debug"],
        cwd=workdir,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return Server(url, process, log, workdir)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


def languagetool_jars() -> Path | None:
    given = os.environ.get("INTRO_COACH_LANGUAGETOOL_JARS")
    return Path(given) if given else ROOT / "deploy" / "languagetool" / "lib"


@pytest.fixture(scope="session")
def languagetool() -> Iterator[LanguageToolProcess]:
    """One real LanguageTool server for the run, from the jars `.ci/languagetool` assembles."""
    jars = languagetool_jars()
    reason = why_not_local(jars)
    if reason is not None or jars is None:
        pytest.skip(reason or "no LanguageTool jars")
    process = LanguageToolProcess(jars, heap="768m")
    process.start()
    if not process.wait_ready(300):
        process.stop()
        pytest.fail("LanguageTool did not become ready in 300 s")
    yield process
    process.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # On CI a skip means a browser, database or tool is missing: that proves nothing,
    # so it fails the run instead of passing quietly.
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, which must run every test: {report.longrepr}"
