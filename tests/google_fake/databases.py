"""The databases the store tests run on: SQLite always; PostgreSQL when
INTRO_COACH_TEST_DATABASE_URL names one (`.ci/postgres` starts it). In CI a missing or
unreachable PostgreSQL fails the run instead of skipping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV = "INTRO_COACH_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]
TABLES = "sessions, login_codes, oauth_states, users"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database for this test run (dropped after), or the configured one with a
    fresh schema when the role may not create databases."""
    url = os.environ.get(ENV)
    if not url:
        _unavailable(f'{ENV} is not set (run `eval "$(bash .ci/postgres)"`)')
        raise AssertionError  # unreachable
    admin = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        admin.dispose()
        _unavailable(
            f"PostgreSQL at {make_url(url).render_as_string()} is unreachable: {type(exc).__name__}"
        )
        raise AssertionError from exc
    name = "intro_coach_t_" + secrets.token_hex(4)
    created = False
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created = True
        test_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    except Exception:
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        test_url = url
    try:
        yield test_url
    finally:
        if created:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'intro-coach.db'}"


def empty_tables(url: str) -> None:
    """Between tests on the shared PostgreSQL database."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            exists = conn.execute(text("select to_regclass('users')")).scalar()
            if exists:
                conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
