"""Opening a tenant store: engine set-up, transactions that never surface "database is locked".

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout instead of failing when a
read lock is upgraded. PostgreSQL is used as it is (row locks serialise version numbering).
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Integer, String, cast, create_engine, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from ..errors import StoreError
from . import migrations, schema

BUSY_TIMEOUT_S = 30.0
_RETRY_FOR_S = 60.0


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Store:
    """A tenant's database: SQLite file by default, or any SQLAlchemy URL (PostgreSQL)."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        try:
            self.engine = _create_engine(url, self.is_sqlite)
            migrations.upgrade(self)
        except OperationalError as exc:
            raise StoreError(f"cannot open the tenant store {_safe_url(url)}: {exc.orig}") from None

    @contextlib.contextmanager
    def write(self, *, lifecycle: bool = True) -> Iterator[Connection]:
        """A write transaction; waiting for other writers never surfaces as an error.

        Lifecycle writes (drafts, versions, secrets, bindings, settings) bump the store's
        generation, which lets engines cache their flow plans until something changes;
        execution records and cache entries pass ``lifecycle=False``.
        """
        conn, transaction = self._begin_write()
        try:
            yield conn
            if lifecycle:
                _bump_generation(conn)
            transaction.commit()
        except OperationalError as exc:
            transaction.rollback()
            raise StoreError(f"the tenant store is unavailable: {exc.orig}") from None
        except BaseException:
            transaction.rollback()
            raise
        finally:
            conn.close()

    def _begin_write(self):  # noqa: ANN202
        deadline = time.monotonic() + _RETRY_FOR_S
        while True:
            conn = self.engine.connect().execution_options(_write=True)
            try:
                return conn, conn.begin()
            except OperationalError as exc:
                conn.close()
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise StoreError(f"the tenant store is unavailable: {exc.orig}") from None
                time.sleep(random.uniform(0.005, 0.05))

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    def generation(self, conn: Connection) -> int:
        row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "generation")).first()
        return int(row[0]) if row else 0

    def dispose(self) -> None:
        self.engine.dispose()


def _create_engine(url: str, is_sqlite: bool) -> Engine:
    if not is_sqlite:
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        poolclass=NullPool if url.endswith(":memory:") else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted and replaced content is overwritten, not left in free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _bump_generation(conn: Connection) -> None:
    table = schema.meta
    updated = conn.execute(
        table.update().where(table.c.key == "generation").values(value=cast(cast(table.c.value, Integer) + 1, String))
    ).rowcount
    if not updated:
        conn.execute(table.insert().values(key="generation", value="1"))


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
