"""What a command left in the store: to check that a refused command changed nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def stored(home: Path) -> dict[str, object]:
    """Every row of every table of every tenant under ``home``, and which tenants exist."""
    snapshot: dict[str, object] = {"tenants": sorted(p.name for p in (home / "tenants").iterdir())}
    for database in sorted(home.glob("tenants/*/tenant.db")):
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            snapshot[database.parent.name] = {
                table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"'))) for table in tables
            }
    return snapshot
