"""Maintenance: `python -m intro_coach.store migrate | rotate-keys`.

rotate-keys: put the new key first in INTRO_COACH_ENCRYPTION_KEYS (or the key file),
keep the old ones after it, run this, then remove the old keys."""

from __future__ import annotations

import sys

from intro_coach.auth.connection import cipher_for
from intro_coach.config import Settings
from intro_coach.store import Store, create_db_engine, migrate


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("migrate", "rotate-keys"):
        print("usage: python -m intro_coach.store migrate | rotate-keys", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    engine = create_db_engine(settings.resolved_database_url)
    migrate(engine)
    if argv[0] == "rotate-keys":
        count = Store(engine, cipher_for(settings)).rotate_keys()
        print(f"re-encrypted {count} stored secrets with the newest key")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
