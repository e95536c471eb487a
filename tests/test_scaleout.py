"""Scale-out: two API processes behind HAProxy share a real PostgreSQL and a real Redis.
What one instance learns (a sign-out, a disconnect, an OAuth state, a rate-limit
bucket) holds on the other at the next request; killing one under load costs at most
the requests it had in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import free_port
from tests.google_fake import FakeGoogle
from tests.google_fake.databases import _unavailable, postgres_database, sqlite_url
from tests.google_fake.harness import connect, follow, query, running, settings_for, start_url
from tests.scaleout import Stack, migrate, stack
from tests.test_oauth import USER, auth, seed_mailbox

REDIS_ENV = "INTRO_COACH_TEST_REDIS_URL"
PER_MINUTE = 40  # analyze limit per session: a burst of 10, then one every 1.5 s
PLAIN = {"subject": "Quick question", "body": {"text": "Hi Jordan, could we talk?"}}


def _redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        _unavailable(f'{REDIS_ENV} is not set (run `eval "$(bash .ci/redis)"`)')
        raise AssertionError
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {url} does not answer: {type(exc).__name__}")
    return url


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle(account=USER).start()
    seed_mailbox(fake)
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def two(
    google: FakeGoogle, database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("scaleout")
    # The per-client limit on /oauth/start is shared too: these tests connect often.
    extra = {
        "INTRO_COACH_ANALYZE_PER_MINUTE": str(PER_MINUTE),
        "INTRO_COACH_OAUTH_STARTS_PER_MINUTE": "6000",
    }
    with stack(google, workdir, database, _redis_url(), extra_env=extra) as running:
        yield running


@pytest.fixture()
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=15) as client:
        yield client


def _on(url: str, base: str) -> str:
    """The same URL, sent to another instance."""
    parts, target = urlsplit(url), urlsplit(base)
    return urlunsplit(parts._replace(netloc=target.netloc))


def _connect(http: httpx.Client, start_on: str, finish_on: str, session_on: str) -> str:
    """The connect flow with each leg on a chosen instance: /oauth/start on one, Google's
    redirect back to /oauth/callback on another, the code swapped on a third."""
    page = follow(http, start_url(start_on))
    assert isinstance(page, httpx.Response) and page.status_code == 200, page
    action = page.text.split('<form method="post" action="', 1)[1].split('"', 1)[0]
    request_id = page.text.split('name="request_id" value="', 1)[1].split('"', 1)[0]
    decided = http.post(
        urljoin(str(page.url), action), data={"request_id": request_id, "decision": "allow"}
    )
    assert decided.status_code == 302
    callback = urljoin(str(page.url), decided.headers["location"])
    assert urlsplit(callback).path == "/oauth/callback"
    final = follow(http, _on(callback, finish_on))
    assert isinstance(final, str), final
    code = query(final)["code"]
    swapped = http.post(f"{session_on}/v1/session", json={"code": code})
    assert swapped.status_code == 200, swapped.text
    token: str = swapped.json()["session_token"]
    return token


def test_oauth_started_on_one_instance_finishes_on_the_other(
    two: Stack, http: httpx.Client
) -> None:
    a, b = (s.url for s in two.instances)
    token = _connect(http, start_on=a, finish_on=b, session_on=a)
    for instance in (a, b, two.url):
        me = http.get(f"{instance}/v1/me", headers=auth(token))
        assert me.status_code == 200 and me.json()["email"] == USER
    # The one-time code and the state were claimed once, whichever instance sees them.
    again = _connect(http, start_on=b, finish_on=a, session_on=b)
    assert again != token


def test_a_session_signed_out_on_one_instance_is_refused_by_the_other_at_once(
    two: Stack, http: httpx.Client
) -> None:
    a, b = (s.url for s in two.instances)
    token = _connect(http, start_on=two.url, finish_on=two.url, session_on=two.url)
    # b has checked the session and trusts it in memory for a while.
    assert http.get(f"{b}/v1/me", headers=auth(token)).status_code == 200
    assert http.post(f"{b}/v1/analyze", json=PLAIN, headers=auth(token)).status_code == 200
    assert http.delete(f"{a}/v1/session", headers=auth(token)).status_code == 204
    refused = http.get(f"{b}/v1/me", headers=auth(token))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert http.post(f"{b}/v1/analyze", json=PLAIN, headers=auth(token)).status_code == 401


def test_a_disconnect_on_one_instance_is_refused_by_the_other_at_once(
    two: Stack, http: httpx.Client
) -> None:
    a, b = (s.url for s in two.instances)
    token = _connect(http, start_on=a, finish_on=a, session_on=a)
    other = _connect(http, start_on=b, finish_on=b, session_on=b)  # a second session, same user
    for t in (token, other):
        assert http.get(f"{b}/v1/me", headers=auth(t)).status_code == 200
    gone = http.post(f"{a}/v1/disconnect", headers=auth(token))
    assert gone.status_code == 200 and gone.json()["disconnected"] is True
    for t in (token, other):
        assert http.get(f"{b}/v1/me", headers=auth(t)).status_code == 401
        assert http.post(f"{b}/v1/analyze", json=PLAIN, headers=auth(t)).status_code == 401


def test_the_rate_limit_holds_across_instances(two: Stack, http: httpx.Client) -> None:
    a, b = (s.url for s in two.instances)
    token = _connect(http, start_on=a, finish_on=b, session_on=a)
    burst = PER_MINUTE // 4
    answers: dict[str, list[int]] = {a: [], b: []}
    started = time.monotonic()
    for i in range(2 * burst):
        instance = (a, b)[i % 2]
        status = http.post(f"{instance}/v1/analyze", json=PLAIN, headers=auth(token)).status_code
        answers[instance].append(status)
    elapsed = time.monotonic() - started
    allowed = sum(s == 200 for s in answers[a] + answers[b])
    refill = int(elapsed * PER_MINUTE / 60) + 1
    # Each instance alone would have let a whole burst through: 2 x 10 in all.
    assert burst <= allowed <= burst + refill, (answers, elapsed)
    assert 429 in answers[a] and 429 in answers[b], answers
    assert set(answers[a] + answers[b]) == {200, 429}
    retry = http.post(f"{b}/v1/analyze", json=PLAIN, headers=auth(token))
    assert retry.status_code == 429 and int(retry.headers["retry-after"]) >= 1


def test_concurrent_migrations_do_not_race(two: Stack, database: str) -> None:
    runners = [
        subprocess.Popen(
            [sys.executable, "-m", "intro_coach", "migrate"],
            env={**os.environ, "HOME": str(two.workdir), **two.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(3)
    ]
    outputs = [r.communicate(timeout=120)[0].decode() for r in runners]
    assert [r.returncode for r in runners] == [0, 0, 0], outputs
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("select version_num from alembic_version")).all()
    finally:
        engine.dispose()
    assert len(versions) == 1
    assert migrate(two.env, two.workdir).stdout.strip() == "database schema is up to date"


def test_with_redis_down_requests_still_answer_and_sign_out_still_holds(
    google: FakeGoogle, tmp_path: Path
) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    settings = settings_for(google, tmp_path, sqlite_url(tmp_path), redis_url=nowhere)
    with running(settings) as (url, _), httpx.Client(timeout=15) as http:
        token = connect(http, url)
        for _ in range(3):  # the session is checked in the database, not trusted blindly
            assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 200
            answer = http.post(f"{url}/v1/analyze", json=PLAIN, headers=auth(token))
            assert answer.status_code == 200  # the instance's own rate limit took over
        assert http.delete(f"{url}/v1/session", headers=auth(token)).status_code == 204
        assert http.get(f"{url}/v1/me", headers=auth(token)).status_code == 401


def test_killing_one_instance_under_load_fails_only_its_in_flight_requests(two: Stack) -> None:
    """Runs last in this module: it leaves one instance dead."""
    workers = 4
    results: list[tuple[float, int | str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=two.url, timeout=15) as client:
            while not stop.is_set():
                try:
                    status: int | str = client.post("/v1/analyze", json=PLAIN).status_code
                except httpx.TransportError as exc:
                    status = type(exc).__name__
                with lock:
                    results.append((time.monotonic(), status))

    threads = [threading.Thread(target=load) for _ in range(workers)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    victim = two.instances[1]
    victim.process.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    time.sleep(3.0)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    victim.process.wait(timeout=10)

    failed = [r for r in results if r[1] != 200]
    after = [r for r in results if r[0] > killed_at + 1.0]
    assert len(results) > 50, len(results)
    # At most the requests the dead instance was working on when it died.
    assert len(failed) <= workers, failed
    assert len(after) > 10 and all(status == 200 for _, status in after)
    assert two.instances[0].process.poll() is None
