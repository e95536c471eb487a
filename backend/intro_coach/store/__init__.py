"""Storage for the Gmail connection: SQLAlchemy models, Alembic migrations, queries."""

from intro_coach.store.db import (
    PendingAuth,
    StateError,
    Store,
    TooManyPending,
    UserInfo,
    create_db_engine,
    migrate,
)

__all__ = [
    "PendingAuth",
    "StateError",
    "Store",
    "TooManyPending",
    "UserInfo",
    "create_db_engine",
    "migrate",
]
