"""The service as a hostile web page or a slow client meets it: a real `intro-coach
serve` on loopback, with its default uvicorn settings (only the timeouts shortened)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from intro_coach.config import EXTENSION_ID
from intro_coach.server import KEEP_ALIVE_TIMEOUT
from tests.conftest import Server, start_server

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
DRAFT = b'{"subject": "Hi", "body": {"text": "Could I pick your brain?"}}'


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("limited"),
        {
            "INTRO_COACH_EXTENSION_IDS": EXTENSION.rsplit("/", 1)[1],
            "INTRO_COACH_HEADER_TIMEOUT_SECONDS": "1",
            "INTRO_COACH_BODY_TIMEOUT_SECONDS": "1",
            "INTRO_COACH_MAX_CONNECTIONS": "8",
        },
    )
    yield running
    running.stop()


def post(server: Server, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/analyze", content=DRAFT, headers=headers, timeout=10)


def test_a_web_page_cannot_use_the_local_service(limited: Server) -> None:
    # text/plain needs no CORS preflight: only the Origin check stops the work.
    for origin in (
        "https://evil.example",
        "null",
        "chrome-extension://otherextensionidxxxxxxxxxxxxx",
    ):
        response = post(limited, {"Origin": origin, "Content-Type": "text/plain"})
        assert response.status_code == 403, origin
        assert "web pages are refused" in response.json()["detail"]
        assert "findings" not in response.text
    # A page that rebinds its own DNS name to 127.0.0.1 still sends its own Host.
    host = limited.url.removeprefix("http://").replace("127.0.0.1", "evil.example")
    rebound = post(limited, {"Origin": f"http://{host}", "Host": host})
    assert rebound.status_code == 403


def test_the_extension_the_cli_and_the_docs_page_still_work(limited: Server) -> None:
    assert post(limited, {"Origin": EXTENSION}).status_code == 200
    assert post(limited, {}).status_code == 200  # curl, the CLI
    own = limited.url  # the OpenAPI page's "Try it out" on http://127.0.0.1:PORT
    assert post(limited, {"Origin": own}).status_code == 200
    assert httpx.get(f"{limited.url}/healthz", headers={"Origin": EXTENSION}).status_code == 200


def test_by_default_only_the_intro_coach_extension_is_allowed(server: Server) -> None:
    # The manifest's key gives every install, packed or unpacked, this one id.
    assert post(server, {"Origin": f"chrome-extension://{EXTENSION_ID}"}).is_success
    assert (
        post(server, {"Origin": "chrome-extension://someotherextensionidxxxxxxxx"}).status_code
        == 403
    )
    assert post(server, {"Origin": "https://evil.example"}).status_code == 403


def _connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_a_client_that_never_finishes_its_headers_is_cut_off(limited: Server) -> None:
    silent = _connect(limited)
    dripping = _connect(limited)
    dripping.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    for _ in range(3):
        time.sleep(0.4)
        dripping.sendall(b"X-Slow: 1\r\n")
    assert _closed_within(silent, 10) and _closed_within(dripping, 10)
    assert time.monotonic() - started < 10
    silent.close()
    dripping.close()


def test_an_idle_keep_alive_connection_is_kept_for_its_timeout_then_closed(
    limited: Server,
) -> None:
    """A client may reuse its connection for the next keystroke (no header deadline runs
    between requests), but an idle one is closed after the keep-alive timeout."""
    sock = _connect(limited)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    started = time.monotonic()
    assert not _closed_within(sock, 2)  # the answer, then the connection stays open
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    assert _closed_within(sock, KEEP_ALIVE_TIMEOUT + 5)
    assert time.monotonic() - started >= KEEP_ALIVE_TIMEOUT
    sock.close()


def test_a_client_that_never_finishes_its_body_gets_408(limited: Server) -> None:
    sock = _connect(limited)
    sock.sendall(
        b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + DRAFT[:20]
    )
    sock.settimeout(10)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]


def test_too_many_connections_get_503_and_the_service_recovers(limited: Server) -> None:
    idle = [_connect(limited) for _ in range(8)]
    try:
        time.sleep(0.2)
        assert httpx.get(f"{limited.url}/healthz", timeout=5).status_code == 503
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while httpx.get(f"{limited.url}/healthz", timeout=5).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_server_log_names_no_refused_origin_payload(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        canary = "canary-7d1e-origin"
        body = DRAFT.replace(b"pick your brain", canary.encode())
        response = httpx.post(
            f"{server.url}/v1/analyze", content=body, headers={"Origin": "https://evil.example"}
        )
        assert response.status_code == 403
    finally:
        log = server.stop()
    assert canary not in log
