"""Google's certificates for the add-on's ID tokens: fetched over HTTP from a local
endpoint, kept as long as Cache-Control says, bounded, and still usable while the
endpoint is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from intro_coach.addon.verify import (
    HEURISTIC_SECONDS,
    MAX_CACHE_SECONDS,
    REFETCH_INTERVAL,
    CertsCache,
    Verifier,
    cache_seconds,
)
from tests import addon_support as g

AUD = g.PUBLIC_URL + "/addon/gmail/homepage"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def certs() -> Iterator[g.Certs]:
    running = g.Certs().start()
    yield running
    running.stop()


def verifier(certs: g.Certs, clock: Clock) -> Verifier:
    made = Verifier(certs.url, timeout=2)
    made.certs = CertsCache(timeout=2, clock=clock)
    return made


@pytest.mark.parametrize(
    ("header", "age", "seconds"),
    [
        ("public, max-age=19845, must-revalidate, no-transform", None, 19845),
        ("public, max-age=19845", "845", 19000),
        ("Public, Max-Age=60", None, 60),
        ("no-cache", None, 0),
        ("no-store, max-age=600", None, 0),
        ("private", None, 0),
        ("max-age=99999999999", None, MAX_CACHE_SECONDS),
        (None, None, HEURISTIC_SECONDS),
    ],
)
def test_cache_lifetime_follows_cache_control(
    header: str | None, age: str | None, seconds: float
) -> None:
    assert cache_seconds(header, age) == seconds


def test_certificates_are_kept_for_max_age_then_fetched_again(certs: g.Certs) -> None:
    clock = Clock()
    check = verifier(certs, clock)
    certs.max_age = 300
    for _ in range(3):
        assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    assert certs.hits == 1
    clock.now += 301
    assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    assert certs.hits == 2


def test_no_store_fetches_every_time(certs: g.Certs) -> None:
    check = verifier(certs, Clock())
    certs.cache_control = "no-store"
    for _ in range(3):
        assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    assert certs.hits == 3


def test_a_new_key_id_refetches_early_but_not_on_every_bad_token(certs: g.Certs) -> None:
    clock = Clock()
    check = verifier(certs, clock)
    assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    certs.keys = {**certs.keys, "k2": g.public_pem("rotated")}
    rotated = g.mint(AUD, key="rotated", kid="k2")
    assert not check.system(rotated, AUD, g.SERVICE_ACCOUNT)  # too soon to refetch
    assert certs.hits == 1
    clock.now += REFETCH_INTERVAL + 1
    assert check.system(rotated, AUD, g.SERVICE_ACCOUNT)  # Google rotated its keys
    assert certs.hits == 2
    for _ in range(5):  # made-up key ids cannot make us hammer the endpoint
        assert not check.system(g.mint(AUD, key="x", kid="nope"), AUD, g.SERVICE_ACCOUNT)
    assert certs.hits == 2


def test_a_stale_copy_serves_while_the_endpoint_is_down(certs: g.Certs) -> None:
    clock = Clock()
    check = verifier(certs, clock)
    certs.max_age = 60
    assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    certs.stop()
    clock.now += 120
    assert check.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    fresh = verifier(certs, Clock())  # nothing cached: nothing can be verified
    assert not fresh.system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)
    certs.start()


def test_an_oversized_certificates_answer_is_refused(certs: g.Certs) -> None:
    certs.padding = 300 * 1024
    assert not verifier(certs, Clock()).system(g.mint(AUD), AUD, g.SERVICE_ACCOUNT)


def test_user_tokens_need_the_client_id_as_audience(certs: g.Certs) -> None:
    check = verifier(certs, Clock())
    assert check.user_email(g.user_token("Jane.Doe@example.com"), g.CLIENT_ID) == (
        "jane.doe@example.com"
    )
    assert check.user_email(g.mint("other-client"), g.CLIENT_ID) is None
    unverified = g.user_token("jane.doe@example.com", email_verified=False)
    assert check.user_email(unverified, g.CLIENT_ID) is None
    assert check.user_email("x" * 10_000, g.CLIENT_ID) is None
