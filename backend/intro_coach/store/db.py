"""The store: engine, migrations, and every query the Gmail connection needs."""

from __future__ import annotations

import fcntl
import hmac
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from intro_coach.auth.crypto import Cipher, new_token, token_hash
from intro_coach.store.models import LoginCode, OAuthState, Session, User

Clock = Callable[[], float]
# Connection and statement deadlines for PostgreSQL, in seconds.
DB_TIMEOUT = 5


class TooManyPending(Exception):
    """More sign-ins are in progress than the store keeps."""


class StateError(Exception):
    """An OAuth state that is unknown, expired or already used."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind  # "unknown" | "expired" | "replayed"


@dataclass(frozen=True)
class PendingAuth:
    verifier: str
    extension_id: str
    features: tuple[str, ...]


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    scopes: tuple[str, ...]
    features: tuple[str, ...]
    grant_status: str


def _private_file(path: Path) -> None:
    """Creates `path` readable by its owner only, or narrows an existing one: it holds
    users' emails and encrypted grants. SQLite gives its journal and WAL files the
    main file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def create_db_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": DB_TIMEOUT}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {
            "connect_timeout": DB_TIMEOUT,
            "options": f"-c statement_timeout={DB_TIMEOUT * 1000}",
        }
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """Several processes starting on one fresh SQLite file: one migrates, the others
    wait for it, then find nothing left to do. SQLite's own locking cannot do this, as
    Alembic reads the schema version before it writes."""
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def migrate(engine: Engine) -> None:
    """Brings the schema to the newest revision (Alembic, configured in code)."""
    config = Config()
    config.set_main_option("script_location", "intro_coach.store:migrations")
    if engine.dialect.name == "sqlite":
        with _sqlite_migration_lock(engine), engine.connect() as connection:
            # Rebuilding a table must not cascade its deletes to the rows that point at
            # it; SQLite ignores this pragma inside a transaction, so it comes first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers starting at once: one migrates, the others wait.
            connection.execute(text("SELECT pg_advisory_xact_lock(7261826307)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split() if v)


class Store:
    def __init__(self, engine: Engine, cipher: Cipher, clock: Clock = time.time) -> None:
        self.engine = engine
        self.cipher = cipher
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def now(self) -> int:
        return int(self.clock())

    @contextmanager
    def _tx(self) -> Iterator[OrmSession]:
        with self._sessions.begin() as session:
            yield session

    # --- OAuth state: single use, short-lived, holds the PKCE verifier ---

    def create_state(
        self,
        state: str,
        verifier: str,
        extension_id: str,
        features: tuple[str, ...],
        ttl: int,
        max_pending: int = 10_000,
    ) -> None:
        now = self.now()
        with self._tx() as db:
            # Expired and used states are kept a day, to tell a replay or a late click
            # from a forged state; pending ones are capped, as anyone may start.
            db.execute(delete(OAuthState).where(OAuthState.expires_at < now - 86_400))
            pending = db.scalar(
                select(func.count())
                .select_from(OAuthState)
                .where(OAuthState.expires_at >= now, OAuthState.used_at.is_(None))
            )
            if (pending or 0) >= max_pending:
                raise TooManyPending
            db.add(
                OAuthState(
                    state_hash=token_hash(state),
                    verifier_enc=self.cipher.encrypt(verifier),
                    extension_id=extension_id,
                    features=" ".join(features),
                    created_at=now,
                    expires_at=now + ttl,
                )
            )

    def consume_state(self, state: str) -> PendingAuth:
        now = self.now()
        key = token_hash(state)
        with self._tx() as db:
            row = db.get(OAuthState, key)
            if row is None:
                raise StateError("unknown")
            claimed = db.execute(
                update(OAuthState)
                .where(OAuthState.state_hash == key, OAuthState.used_at.is_(None))
                .values(used_at=now)
            ).rowcount  # type: ignore[attr-defined]
            if claimed != 1:
                raise StateError("replayed")
            if row.expires_at < now:
                raise StateError("expired")
            return PendingAuth(
                verifier=self.cipher.decrypt(row.verifier_enc),
                extension_id=row.extension_id,
                features=_split(row.features),
            )

    def peek_state_extension(self, state: str) -> str | None:
        """The extension a state was issued for, used or not (to send errors back)."""
        with self._tx() as db:
            row = db.get(OAuthState, token_hash(state))
            return row.extension_id if row else None

    # --- users and their grant ---

    def save_grant(
        self,
        email: str,
        refresh_token: str | None,
        scopes: tuple[str, ...],
        features: tuple[str, ...],
    ) -> int | None:
        """Creates or updates the user; returns its id, or None when there is no refresh
        token to keep (neither a new one nor a stored, working one)."""
        now = self.now()
        with self._tx() as db:
            user = db.scalars(select(User).where(User.email == email)).first()
            if refresh_token is None and (
                user is None or user.refresh_token_enc is None or user.grant_status != "active"
            ):
                return None
            if user is None:
                user = User(email=email, created_at=now)
                db.add(user)
            if refresh_token is not None:
                user.refresh_token_enc = self.cipher.encrypt(refresh_token)
            user.scopes = " ".join(scopes)
            user.features = " ".join(features)
            user.grant_status = "active"
            user.updated_at = now
            db.flush()
            return user.id

    def user_by_email(self, email: str) -> UserInfo | None:
        with self._tx() as db:
            row = db.scalars(select(User).where(User.email == email)).first()
            user_id = row.id if row else None
        return self.user(user_id) if user_id is not None else None

    def user(self, user_id: int) -> UserInfo | None:
        with self._tx() as db:
            row = db.get(User, user_id)
            if row is None:
                return None
            return UserInfo(
                row.id, row.email, _split(row.scopes), _split(row.features), row.grant_status
            )

    def refresh_token(self, user_id: int) -> str | None:
        with self._tx() as db:
            row = db.get(User, user_id)
            if row is None or row.refresh_token_enc is None or row.grant_status != "active":
                return None
            return self.cipher.decrypt(row.refresh_token_enc)

    def mark_grant_revoked(self, user_id: int, refresh_token: str) -> None:
        """Google refused `refresh_token`: forget it, unless a newer grant replaced it
        meanwhile (the user reconnected while an old lookup was still running)."""
        with self._tx() as db:
            row = db.get(User, user_id)
            if row is None or row.refresh_token_enc is None:
                return
            stored = self.cipher.decrypt(row.refresh_token_enc)
            if not hmac.compare_digest(stored.encode(), refresh_token.encode()):
                return
            row.grant_status = "revoked"
            row.refresh_token_enc = None
            row.updated_at = self.now()

    def delete_user(self, user_id: int) -> None:
        """Every row about the user: sessions, login codes, the user and its grant."""
        with self._tx() as db:
            db.execute(delete(Session).where(Session.user_id == user_id))
            db.execute(delete(LoginCode).where(LoginCode.user_id == user_id))
            db.execute(delete(User).where(User.id == user_id))

    def rotate_keys(self) -> int:
        """Re-encrypts every stored secret with the newest key; returns how many."""
        count = 0
        with self._tx() as db:
            for user in db.scalars(select(User).where(User.refresh_token_enc.is_not(None))):
                assert user.refresh_token_enc is not None
                user.refresh_token_enc = self.cipher.rotate(user.refresh_token_enc)
                count += 1
            for state in db.scalars(select(OAuthState)):
                state.verifier_enc = self.cipher.rotate(state.verifier_enc)
                count += 1
        return count

    # --- one-time login codes (callback → extension → POST /v1/session) ---

    def create_login_code(self, user_id: int, ttl: int = 120) -> str:
        code = new_token("icc_")
        now = self.now()
        with self._tx() as db:
            db.execute(delete(LoginCode).where(LoginCode.expires_at < now))
            db.add(LoginCode(code_hash=token_hash(code), user_id=user_id, expires_at=now + ttl))
        return code

    def consume_login_code(self, code: str) -> int | None:
        now = self.now()
        key = token_hash(code)
        with self._tx() as db:
            claimed = db.execute(
                update(LoginCode)
                .where(
                    LoginCode.code_hash == key,
                    LoginCode.used_at.is_(None),
                    LoginCode.expires_at >= now,
                )
                .values(used_at=now)
            ).rowcount  # type: ignore[attr-defined]
            if claimed != 1:
                return None
            row = db.get(LoginCode, key)
            return row.user_id if row else None

    # --- sessions: the extension's bearer token, stored as a hash ---

    def create_session(self, user_id: int, days: int) -> tuple[str, int]:
        token = new_token("ics_")
        now = self.now()
        expires = now + days * 86_400
        with self._tx() as db:
            db.execute(delete(Session).where(Session.expires_at < now))
            db.add(
                Session(
                    token_hash=token_hash(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires,
                )
            )
        return token, expires

    def session_user(self, token: str) -> int | None:
        now = self.now()
        with self._tx() as db:
            row = db.get(Session, token_hash(token))
            if row is None or row.revoked_at is not None or row.expires_at < now:
                return None
            return row.user_id

    def revoke_session(self, token: str) -> None:
        with self._tx() as db:
            db.execute(
                update(Session)
                .where(Session.token_hash == token_hash(token))
                .values(revoked_at=self.now())
            )

    def count_rows(self, user_id: int) -> int:
        """Rows that still mention the user (tests and the disconnect check)."""
        with self._tx() as db:
            total = 0
            for model in (Session, LoginCode):
                total += len(db.scalars(select(model).where(model.user_id == user_id)).all())
            total += 1 if db.get(User, user_id) else 0
            return total
