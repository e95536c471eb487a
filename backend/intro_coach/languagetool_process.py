"""A local LanguageTool server as a supervised child process.

Started from LanguageTool's published jars (assembled by `.ci/languagetool`), with a
bounded heap, on a loopback port (LanguageTool binds to localhost unless told
`--public`). A monitor thread checks its health, restarts it with back-off when it dies
or stops answering, and `stop()` ends it with the service. Its output is discarded:
LanguageTool may quote the text it was checking when it reports an error, and drafts
never reach logs.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Literal

log = logging.getLogger("intro_coach.languagetool")

MIN_JAVA = 17
State = Literal["stopped", "starting", "ready"]
_WARM_UP_TEXTS = (
    "This is a sentence with a mistake in in it.",
    "Hi Jordan,\n\nI has a question about you're wrk. Could we talk for 20 minutes?",
    "Thanks so much for you time; I look forward to hear from you.\n\nBest,\nAlex",
)
# LanguageTool's own settings (--config): remember checked sentences, so an edited
# paragraph costs only its changed sentence, and reuse its per-language pipelines.
_CONFIG = "cacheSize=2000\ncacheTTLSeconds=600\npipelineCaching=true\n"
_PR_SET_PDEATHSIG = 1


def java_major(java: str = "java") -> int | None:
    """The major version of the Java on PATH, or None when there is none."""
    path = shutil.which(java)
    if path is None:
        return None
    try:
        out = subprocess.run(
            [path, "-XshowSettings:properties", "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        name, _, value = line.strip().partition(" = ")
        if name == "java.specification.version":
            parts = value.split(".")
            major = parts[1] if parts[0] == "1" and len(parts) > 1 else parts[0]
            return int(major) if major.isdigit() else None
    return None


def why_not_local(jars: Path | None, java: str = "java") -> str | None:
    """Why a local server cannot run here (one line), or None when it can."""
    how = (
        "run 'bash .ci/languagetool' (installs Java 17+ and Maven, assembles the jars) "
        "or set INTRO_COACH_LANGUAGETOOL_URL to a LanguageTool server"
    )
    if jars is None or not any(jars.glob("languagetool-server-*.jar")):
        return f"grammar is off: LanguageTool's jars are not assembled; {how}"
    version = java_major(java)
    if version is None:
        return f"grammar is off: no Java found; {how}"
    if version < MIN_JAVA:
        return f"grammar is off: Java {version} is too old, LanguageTool 6.8 needs 17+; {how}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _die_with_parent() -> None:
    # If the service is killed outright, the kernel stops LanguageTool too.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class LanguageToolProcess:
    def __init__(
        self,
        jars: Path,
        *,
        heap: str = "768m",
        port: int | None = None,
        java: str = "java",
        health_interval: float = 2.0,
        max_backoff: float = 60.0,
    ) -> None:
        self.jars = jars
        self.heap = heap
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._java = java
        self._health_interval = health_interval
        self._max_backoff = max_backoff
        self._process: subprocess.Popen[bytes] | None = None
        self._state: State = "stopped"
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.starts = 0
        self.last_start_seconds: float | None = None
        self._config_dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def state(self) -> State:
        return self._state

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def command(self) -> list[str]:
        if self._config_dir is None:
            self._config_dir = tempfile.TemporaryDirectory(prefix="intro-coach-lt-")
            (Path(self._config_dir.name) / "server.properties").write_text(_CONFIG)
        config = Path(self._config_dir.name) / "server.properties"
        return [
            shutil.which(self._java) or self._java,
            f"-Xmx{self.heap}",
            "-cp",
            str(self.jars / "*"),
            "org.languagetool.server.HTTPServer",
            "--port",
            str(self.port),
            "--config",
            str(config),
        ]

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._supervise, name="languagetool", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._terminate(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._state = "stopped"
        if self._config_dir is not None:
            self._config_dir.cleanup()
            self._config_dir = None

    def _terminate(self, timeout: float) -> None:
        with self._lock:
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches the service, which stops this cleanly
            preexec_fn=_die_with_parent,
            env={**os.environ, "JAVA_TOOL_OPTIONS": ""},
        )

    def _supervise(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            self._state = "starting"
            self._ready.clear()
            began = time.monotonic()
            try:
                process = self._spawn()
            except OSError as exc:
                log.error("LanguageTool did not start (%s)", type(exc).__name__)
                process = None
            with self._lock:
                self._process = process
            self.starts += 1
            if process is not None:
                up_since = self._watch(process, began)
                if up_since is not None and time.monotonic() - up_since > 60:
                    backoff = 1.0
            if self._stopping.is_set():
                break
            code = process.poll() if process is not None else None
            log.warning("LanguageTool stopped (exit %s); restarting in %.0f s", code, backoff)
            self._state = "starting"
            self._ready.clear()
            if self._stopping.wait(backoff):
                break
            backoff = min(backoff * 2, self._max_backoff)
        self._state = "stopped"

    def _watch(self, process: subprocess.Popen[bytes], began: float) -> float | None:
        """Runs while the process lives; returns when it was first ready, if it was."""
        ready_at: float | None = None
        failures = 0
        while not self._stopping.is_set() and process.poll() is None:
            if ready_at is None:
                if self._warm_up():
                    ready_at = time.monotonic()
                    self.last_start_seconds = ready_at - began
                    self._state = "ready"
                    self._ready.set()
                    log.info(
                        "LanguageTool ready on %s in %.1f s (pid %d)",
                        self.url,
                        self.last_start_seconds,
                        process.pid,
                    )
                elif time.monotonic() - began > 300:
                    log.error("LanguageTool did not become ready in 300 s; restarting it")
                    self._terminate(10)
                    break
                else:
                    self._stopping.wait(0.5)
                continue
            if self._stopping.wait(self._health_interval):
                break
            if self._healthy():
                failures = 0
            else:
                failures += 1
                if failures >= 3:
                    # Alive but not answering (a full heap does this): start afresh.
                    log.warning("LanguageTool stopped answering; restarting it")
                    self._terminate(10)
        self._state = "starting"
        self._ready.clear()
        return ready_at

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/v2/healthcheck", timeout=5) as r:
                return bool(r.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def _warm_up(self) -> bool:
        # The first check loads dictionaries and models and takes many seconds; done
        # here, it is not a user's request that waits for it.
        if not self._healthy():
            return False
        # The picky level is a pipeline of its own, slow to build the first time too.
        for text, level in zip(_WARM_UP_TEXTS, ("default", "default", "picky"), strict=True):
            form = {"language": "en-US", "text": text, "level": level}
            data = urllib.parse.urlencode(form).encode()
            try:
                with urllib.request.urlopen(f"{self.url}/v2/check", data=data, timeout=120) as r:
                    if r.status != 200:
                        return False
            except (OSError, urllib.error.URLError):
                return False
        return True
