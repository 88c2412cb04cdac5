"""Schema versions and forward migrations.

Each entry of ``MIGRATIONS`` moves the schema one version forward inside a write transaction.
A store whose version is newer than ``SCHEMA_VERSION`` was written by a newer jupyter-actions
and is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn

from .._code_flags import may_use_cache
from ..errors import StoreError
from . import schema

if TYPE_CHECKING:
    from .database import Store


V1_TABLES = (
    "meta",
    "settings",
    "actions",
    "dependencies",
    "secrets",
    "versions",
    "bindings",
    "executions",
    "execution_results",
    "cache_entries",
)


def _create_v1(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.metadata.tables[name] for name in V1_TABLES])


def _add_test_cases(conn: Connection) -> None:
    schema.test_cases.create(conn)


def _add_integrity_columns(conn: Connection) -> None:
    """``uses_cache`` on actions and versions (computed here for existing rows) and ``mac`` on
    versions (NULL: sealed by ``integrity.seal_existing`` once a tenant opens with the key).
    A store created at this version has them already: its tables come from the current schema."""
    for table, column in ((schema.actions, "uses_cache"), (schema.versions, "uses_cache"), (schema.versions, "mac")):
        if column not in {c["name"] for c in inspect(conn).get_columns(table.name)}:
            ddl = CreateColumn(table.c[column]).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {ddl}")
    for table in (schema.actions, schema.versions):
        for row_id, code in conn.execute(select(table.c.id, table.c.code)).all():
            conn.execute(table.update().where(table.c.id == row_id).values(uses_cache=may_use_cache(code)))


def _add_api_tokens(conn: Connection) -> None:
    """The bearer tokens of ``jupyter-actions serve`` (jupyter_actions/server/tokens.py)."""
    schema.api_tokens.create(conn)


def _add_modules(conn: Connection) -> None:
    """Actions Modules: their tables, and ``versions.modules`` (the module versions a version
    is pinned to; NULL for every version stored before)."""
    if "modules" not in {c["name"] for c in inspect(conn).get_columns(schema.versions.name)}:
        ddl = CreateColumn(schema.versions.c.modules).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {schema.versions.name} ADD COLUMN {ddl}")
    tables = (schema.modules, schema.module_secrets, schema.module_versions, schema.action_modules)
    schema.metadata.create_all(conn, tables=list(tables))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_v1,
    _add_test_cases,
    _add_integrity_columns,
    _add_api_tokens,
    _add_modules,
]
SCHEMA_VERSION = len(MIGRATIONS)


def stored_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def create(conn: Connection) -> None:
    """Make an empty database a store at ``SCHEMA_VERSION``."""
    _migrate(conn, 0)


def upgrade(store: Store) -> None:
    with store.read() as conn:
        current = stored_version(conn)
    if current == SCHEMA_VERSION:
        return
    _refuse_newer(current)
    if store.read_only:
        raise StoreError(
            f"the tenant store {store.path} has schema version {current} and needs an upgrade to "
            f"{SCHEMA_VERSION}, but it is read-only ({store.read_only}): make it writable once to upgrade it"
        )
    with store.write() as conn:
        current = stored_version(conn)  # another process may have migrated meanwhile
        _refuse_newer(current)
        _migrate(conn, current)


def _migrate(conn: Connection, current: int) -> None:
    for migrate in MIGRATIONS[current:]:
        migrate(conn)
    values = {"key": "schema_version", "value": str(SCHEMA_VERSION)}
    if current == 0:
        conn.execute(schema.meta.insert().values(**values))
    else:
        conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version").values(value=values["value"]))


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this tenant store has schema version {version} but this jupyter-actions knows only "
            f"up to {SCHEMA_VERSION}: upgrade jupyter-actions to open it"
        )
