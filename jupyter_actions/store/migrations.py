"""Schema versions and forward migrations.

Each entry of ``MIGRATIONS`` moves the schema one version forward inside a write transaction.
A store whose version is newer than ``SCHEMA_VERSION`` was written by a newer jupyter-actions
and is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import StoreError
from . import schema

if TYPE_CHECKING:
    from .database import Store


V1_TABLES = ("meta", "settings", "actions", "dependencies", "secrets", "versions", "bindings", "executions",
             "execution_results", "cache_entries")


def _create_v1(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.metadata.tables[name] for name in V1_TABLES])


def _add_test_cases(conn: Connection) -> None:
    schema.test_cases.create(conn)


MIGRATIONS: list[Callable[[Connection], None]] = [_create_v1, _add_test_cases]
SCHEMA_VERSION = len(MIGRATIONS)


def stored_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def upgrade(store: "Store") -> None:
    with store.read() as conn:
        current = stored_version(conn)
    if current == SCHEMA_VERSION:
        return
    _refuse_newer(current)
    with store.write() as conn:
        current = stored_version(conn)  # another process may have migrated meanwhile
        _refuse_newer(current)
        for migrate in MIGRATIONS[current:]:
            migrate(conn)
        values = {"key": "schema_version", "value": str(SCHEMA_VERSION)}
        if current == 0:
            conn.execute(schema.meta.insert().values(**values))
        else:
            conn.execute(
                schema.meta.update().where(schema.meta.c.key == "schema_version").values(value=values["value"])
            )


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this tenant store has schema version {version} but this jupyter-actions knows only "
            f"up to {SCHEMA_VERSION}: upgrade jupyter-actions to open it"
        )
