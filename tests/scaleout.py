"""Several API instances on loopback behind HAProxy, sharing one PostgreSQL and one
Redis, as a deployment runs them: real processes, each started with `intro-coach serve`
after one `intro-coach migrate`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from intro_coach.auth.crypto import generate_key
from tests.conftest import Server, free_port, start_server
from tests.google_fake import FakeGoogle

EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop"

_HAPROXY = """
global
    maxconn 2000

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # An instance that dies is taken out by the health check within ~0.5 s; until then
    # a request that could not reach it, or that it dropped, is sent to another one.
    option http-buffer-request
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend api
    bind 127.0.0.1:{port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 200ms fall 2 rise 2
{servers}
"""


@dataclass
class Stack:
    url: str  # the load balancer
    instances: list[Server]
    haproxy: subprocess.Popen[bytes]
    env: dict[str, str]
    workdir: Path
    logs: list[Path] = field(default_factory=list)


def instance_env(
    google: FakeGoogle, public_url: str, database_url: str, redis_url: str
) -> dict[str, str]:
    return {
        "INTRO_COACH_DATABASE_URL": database_url,
        "INTRO_COACH_REDIS_URL": redis_url,
        "INTRO_COACH_ENCRYPTION_KEYS": generate_key(),
        "INTRO_COACH_GOOGLE_CLIENT_ID": google.client_id,
        "INTRO_COACH_GOOGLE_CLIENT_SECRET": google.client_secret,
        "INTRO_COACH_GOOGLE_AUTH_URI": google.auth_uri,
        "INTRO_COACH_GOOGLE_TOKEN_URI": google.token_uri,
        "INTRO_COACH_GOOGLE_REVOKE_URI": google.revoke_uri,
        "INTRO_COACH_GMAIL_API_ROOT": google.gmail_root,
        "INTRO_COACH_PUBLIC_URL": public_url,
        "INTRO_COACH_EXTENSION_IDS": EXTENSION_ID,
        "INTRO_COACH_MIGRATE_ON_START": "0",
        "INTRO_COACH_LOG_FORMAT": "json",
    }


def migrate(env: dict[str, str], workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intro_coach", "migrate"],
        env={**os.environ, "HOME": str(workdir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _wait_healthy(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy")


@contextmanager
def stack(
    google: FakeGoogle,
    workdir: Path,
    database_url: str,
    redis_url: str,
    instances: int = 2,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    if shutil.which("haproxy") is None:
        raise RuntimeError("haproxy is not installed: bash .ci/system-packages haproxy")
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    google.redirect_uris = [f"{public}/oauth/callback"]
    env = {**instance_env(google, public, database_url, redis_url), **(extra_env or {})}
    done = migrate(env, workdir)
    if done.returncode != 0:
        raise RuntimeError(f"intro-coach migrate failed:\n{done.stdout}{done.stderr}")
    with ExitStack() as cleanup:
        servers = []
        for i in range(instances):
            directory = workdir / f"instance-{i}"
            directory.mkdir()
            server = start_server(directory, env, start_seconds=60)
            cleanup.callback(_stop, server)
            servers.append(server)
        lines = "\n".join(
            f"    server i{i} {s.url.removeprefix('http://')} check" for i, s in enumerate(servers)
        )
        config = workdir / "haproxy.cfg"
        config.write_text(_HAPROXY.format(port=port, servers=lines))
        log = workdir / "haproxy.log"
        haproxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)], stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        cleanup.callback(_stop_process, haproxy)
        _wait_healthy(public)
        # Every instance passes HAProxy's health check before the tests begin.
        time.sleep(1.0)
        yield Stack(public, servers, haproxy, env, workdir, [s.log for s in servers])


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.stop()


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
