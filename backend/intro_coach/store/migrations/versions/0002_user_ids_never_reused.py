"""SQLite: user ids are never handed out twice (AUTOINCREMENT).

Without it SQLite gives a new row the largest id plus one, so deleting the newest user
and connecting another reuses the id, and anything still keyed by it (a cache entry in a
running process) would belong to the wrong person. PostgreSQL sequences never reuse ids.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "users", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "users", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
