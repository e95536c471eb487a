"""The store on SQLite and PostgreSQL: migrations, encryption at rest with key rotation,
single-use states and codes, hashed sessions, and deleting a user."""

from __future__ import annotations

import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from intro_coach.auth.crypto import Cipher, KeyError_, generate_key, load_or_create_key_file
from intro_coach.store import StateError, Store, TooManyPending, create_db_engine, migrate
from intro_coach.store.models import Base
from tests.google_fake.databases import BACKENDS, empty_tables, postgres_database, sqlite_url


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    url: str = request.getfixturevalue("pg_url")
    empty_tables(url)
    return url


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(db_url: str, clock: Clock) -> Iterator[Store]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield Store(engine, Cipher([generate_key()]), clock=clock)
    engine.dispose()


def _dump(store: Store) -> str:
    """Every stored value as text, to look for secrets in it."""
    out = []
    with store.engine.connect() as conn:
        for table in ("users", "oauth_states", "login_codes", "sessions"):
            out += [repr(tuple(r)) for r in conn.execute(text(f"select * from {table}"))]
    return "\n".join(out)


def test_migrations_are_idempotent_and_match_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0002"
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_refresh_token_is_encrypted_at_rest_and_keys_rotate(store: Store) -> None:
    old_key, new_key = generate_key(), generate_key()
    store.cipher = Cipher([old_key])
    secret = "1//0g" + generate_key()
    user_id = store.save_grant("jane@example.com", secret, ("scope-a",), ("thread",))
    assert user_id is not None
    assert secret not in _dump(store)
    assert store.refresh_token(user_id) == secret

    store.cipher = Cipher([new_key, old_key])
    assert store.refresh_token(user_id) == secret  # the old key still decrypts
    assert store.rotate_keys() == 1
    store.cipher = Cipher([new_key])  # and can go once everything is re-encrypted
    assert store.refresh_token(user_id) == secret
    store.cipher = Cipher([generate_key()])
    with pytest.raises(KeyError_):
        store.refresh_token(user_id)


def test_state_is_single_use_and_expires(store: Store, clock: Clock) -> None:
    store.create_state("s1", "verifier-1", "ext", ("thread",), ttl=600)
    pending = store.consume_state("s1")
    assert (pending.verifier, pending.extension_id, pending.features) == (
        "verifier-1",
        "ext",
        ("thread",),
    )
    with pytest.raises(StateError) as replay:
        store.consume_state("s1")
    assert replay.value.kind == "replayed"
    store.create_state("s2", "verifier-2", "ext", ("thread",), ttl=600)
    clock.now += 601
    with pytest.raises(StateError) as expired:
        store.consume_state("s2")
    assert expired.value.kind == "expired"
    with pytest.raises(StateError) as unknown:
        store.consume_state("nope")
    assert unknown.value.kind == "unknown"
    assert "verifier-" not in _dump(store)  # the PKCE verifier is encrypted too


def test_login_code_is_single_use_and_expires(store: Store, clock: Clock) -> None:
    user_id = store.save_grant("jane@example.com", "rt-" + generate_key(), (), ("thread",))
    assert user_id is not None
    code = store.create_login_code(user_id, ttl=120)
    assert code not in _dump(store)
    assert store.consume_login_code(code) == user_id
    assert store.consume_login_code(code) is None
    late = store.create_login_code(user_id, ttl=120)
    clock.now += 121
    assert store.consume_login_code(late) is None


def test_sessions_are_hashed_expire_and_can_be_revoked(store: Store, clock: Clock) -> None:
    user_id = store.save_grant("jane@example.com", "rt-" + generate_key(), (), ("thread",))
    assert user_id is not None
    token, expires = store.create_session(user_id, days=30)
    assert token not in _dump(store)
    assert store.session_user(token) == user_id
    assert store.session_user(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    other, _ = store.create_session(user_id, days=30)
    store.revoke_session(other)
    assert store.session_user(other) is None
    clock.now = expires + 1
    assert store.session_user(token) is None


def test_grant_without_refresh_token_keeps_the_stored_one(store: Store) -> None:
    assert store.save_grant("new@example.com", None, ("a",), ("thread",)) is None
    first = "rt-" + generate_key()
    user_id = store.save_grant("jane@example.com", first, ("a",), ("thread",))
    again = store.save_grant("jane@example.com", None, ("a", "b"), ("thread", "referrer"))
    assert again == user_id and user_id is not None
    assert store.refresh_token(user_id) == first
    info = store.user(user_id)
    assert info is not None and info.features == ("thread", "referrer")
    store.mark_grant_revoked(user_id, "rt-an-older-grant")  # not the stored one: kept
    assert store.refresh_token(user_id) == first
    store.mark_grant_revoked(user_id, first)
    assert store.refresh_token(user_id) is None
    assert store.save_grant("jane@example.com", None, ("a",), ("thread",)) is None


def test_delete_user_removes_every_row(store: Store) -> None:
    user_id = store.save_grant("jane@example.com", "rt-" + generate_key(), (), ("thread",))
    assert user_id is not None
    store.create_session(user_id, days=1)
    store.create_login_code(user_id)
    other = store.save_grant("sam@example.com", "rt-" + generate_key(), (), ("thread",))
    assert other is not None
    assert store.count_rows(user_id) == 3
    store.delete_user(user_id)
    assert store.count_rows(user_id) == 0
    assert "jane@example.com" not in _dump(store)
    assert store.count_rows(other) == 1


def test_key_file_is_created_0600_and_a_readable_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "encryption.key"
    keys = load_or_create_key_file(path)
    assert len(keys) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key_file(path) == keys
    Cipher(keys).decrypt(Cipher(keys).encrypt("x"))
    path.chmod(0o644)
    with pytest.raises(KeyError_):
        load_or_create_key_file(path)


def test_bad_keys_are_refused() -> None:
    with pytest.raises(KeyError_):
        Cipher([])
    with pytest.raises(KeyError_):
        Cipher(["not-a-key"])


def test_user_ids_are_never_reused(store: Store) -> None:
    first = store.save_grant("a@example.com", "1//a", (), ())
    newest = store.save_grant("b@example.com", "1//b", (), ())
    assert first is not None and newest is not None
    store.delete_user(newest)
    again = store.save_grant("c@example.com", "1//c", (), ())
    assert again is not None and again > newest


def test_sqlite_file_is_private(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    database = Path(make_url(url).database or "")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    database.chmod(0o644)  # made by an older version: narrowed on the next start
    create_db_engine(url).dispose()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_pending_states_are_capped(store: Store, clock: Clock) -> None:
    for i in range(3):
        store.create_state(f"s{i}", "v" * 43, "ext", (), ttl=600, max_pending=3)
    with pytest.raises(TooManyPending):
        store.create_state("s3", "v" * 43, "ext", (), ttl=600, max_pending=3)
    store.consume_state("s0")  # a used state no longer counts
    store.create_state("s4", "v" * 43, "ext", (), ttl=600, max_pending=3)
    clock.now += 601  # expired ones neither
    store.create_state("s5", "v" * 43, "ext", (), ttl=600, max_pending=3)


def test_old_states_are_purged_after_a_day(store: Store, clock: Clock) -> None:
    """States are kept a day after they expire (to tell a replay from a forgery), then
    deleted: a stream of sign-ins that never finish leaves no rows behind."""
    for i in range(5):
        store.create_state(f"old{i}", "v" * 43, "ext", (), ttl=600)
    store.consume_state("old0")
    clock.now += 600 + 86_400 + 1
    store.create_state("new", "v" * 43, "ext", (), ttl=600)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from oauth_states").scalar() == 1
    with pytest.raises(StateError) as gone:
        store.consume_state("old1")
    assert gone.value.kind == "unknown"


STARTUP = """
import sys, time
from pathlib import Path
from intro_coach.config import Settings
from intro_coach.auth.connection import cipher_for
from intro_coach.store import Store, create_db_engine, migrate
start_at, data, me = float(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
settings = Settings(data_dir=data)
time.sleep(max(0.0, start_at - time.time()))
engine = create_db_engine(settings.resolved_database_url)
migrate(engine)
cipher = cipher_for(settings)
Store(engine, cipher).save_grant(f"{me}@example.com", "1//x", (), ())
print(cipher.encrypt("same key?"))
"""


def test_processes_starting_together_on_a_fresh_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    start_at = time.time() + 2.0
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STARTUP, str(start_at), str(data), f"user{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    outputs = [p.communicate(timeout=60) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    keys = load_or_create_key_file(data / "encryption.key")
    assert len(keys) == 1
    for out, _ in outputs:
        assert Cipher(keys).decrypt(out.strip()) == "same key?"
    assert stat.S_IMODE((data / "encryption.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "intro-coach.db").stat().st_mode) == 0o600
    assert not list(data.glob(".key-*"))
