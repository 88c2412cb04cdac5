"""Opening a tenant store: SQLAlchemy set-up (``sa_engine``, never called "the engine", which
is the `Engine` that runs actions), transactions that never surface "database is locked".

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout instead of failing when a
read lock is upgraded. PostgreSQL is used as it is (row locks serialise version numbering).
A SQLite file is made, checked and opened as files.py says (private, whole, read-only when
this process cannot write it); a damaged one is a one-line StoreError, never SQL.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, String, cast, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from ..errors import StoreError
from . import files, migrations, schema
from .files import BUSY_TIMEOUT_S

_RETRY_FOR_S = 60.0


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Store:
    """A tenant's database: SQLite file by default, or any SQLAlchemy URL (PostgreSQL).

    ``path`` is the SQLite file (None for other databases); ``read_only`` says why this
    process cannot write it (None when it can): reading works, writing is a StoreError.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.path = files.sqlite_path(url) if self.is_sqlite else None
        self.read_only: str | None = None
        self._access: files.Access | None = None
        if self.path is not None:
            files.create(self.path, _initialise)
            self._access = files.access(self.path)
            files.check(self.path, self._access)
            files.tighten_store(self.path)
            self.read_only = self._access.read_only
        try:
            self.sa_engine = _create_sa_engine(url, self.is_sqlite, self._access)
            migrations.upgrade(self)
        except DBAPIError as exc:
            raise self._failure(exc, f"cannot open the tenant store {_safe_url(url)}") from None

    def connect_raw(self) -> Any:
        """A DB-API connection of its own in autocommit mode (each statement reads the latest
        committed state), outside ``sa_engine``'s pool: a SQLite file opened as ``sa_engine``
        opens it, or the driver's connection to the same URL."""
        if self._access is not None:
            conn: Any = files.connect(self._access)
            conn.isolation_level = None
            return conn
        if self.is_sqlite:
            raise StoreError("the tenant store is not a SQLite file")
        dialect = self.sa_engine.dialect
        args, kwargs = dialect.create_connect_args(self.sa_engine.url)
        try:
            conn = dialect.connect(*args, **kwargs)
        except dialect.loaded_dbapi.Error as exc:
            raise StoreError(f"the tenant store is unavailable: {exc}") from None
        conn.autocommit = True
        return conn

    def _failure(self, exc: DBAPIError, context: str) -> StoreError:
        damaged = files.damage(self.path, exc.orig)
        return damaged or StoreError(f"{context}: {exc.orig}")

    @contextlib.contextmanager
    def write(self, *, lifecycle: bool = True) -> Iterator[Connection]:
        """A write transaction; waiting for other writers never surfaces as an error.

        Lifecycle writes (drafts, versions, secrets, bindings, settings) bump the store's
        generation, which lets each `Engine` cache its flow plans until something changes;
        execution records and cache entries pass ``lifecycle=False``.
        """
        if self.read_only:
            raise StoreError(
                f"the tenant store {self.path} is read-only ({self.read_only}): reading works; to "
                "change anything make the file and its directory writable"
            )
        conn, transaction = self._begin_write()
        try:
            yield conn
            if lifecycle:
                _bump_generation(conn)
            transaction.commit()
        except DBAPIError as exc:
            transaction.rollback()
            if isinstance(exc, OperationalError) or files.damage(self.path, exc.orig):
                raise self._failure(exc, "the tenant store is unavailable") from None
            raise
        except BaseException:
            transaction.rollback()
            raise
        finally:
            conn.close()

    def _begin_write(self):  # noqa: ANN202
        deadline = time.monotonic() + _RETRY_FOR_S
        while True:
            conn = self.sa_engine.connect().execution_options(_write=True)
            try:
                return conn, conn.begin()
            except OperationalError as exc:
                conn.close()
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise self._failure(exc, "the tenant store is unavailable") from None
                time.sleep(random.uniform(0.005, 0.05))  # noqa: S311 (jitter, not a secret)

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one committed state throughout, as SQLite's do: on
        PostgreSQL a REPEATABLE READ snapshot (a read-only one never fails to serialise), so a
        flow plan read while another replica deploys is wholly before or after the deploy."""
        try:
            with self.sa_engine.connect() as conn:
                if not self.is_sqlite:
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            damaged = files.damage(self.path, exc.orig)
            if damaged is None:
                raise
            raise damaged from None

    def generation(self, conn: Connection) -> int:
        row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "generation")).first()
        return int(row[0]) if row else 0

    def dispose(self) -> None:
        self.sa_engine.dispose()


def _create_sa_engine(url: str, is_sqlite: bool, access: files.Access | None) -> SAEngine:
    if not is_sqlite:
        return create_engine(url, pool_pre_ping=True)
    if access is not None:
        sa_engine = create_engine(url, creator=lambda: files.connect(access), poolclass=QueuePool)
    else:
        sa_engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            poolclass=NullPool if url.endswith(":memory:") else None,
        )
    writable = access is None or access.read_only is None

    @event.listens_for(sa_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if writable:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted and replaced content is overwritten, not left in free pages
        cursor.close()

    @event.listens_for(sa_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return sa_engine


def _initialise(path: Path) -> None:
    """Make the empty file ``path`` a store at the current schema, in WAL mode."""
    sa_engine = _create_sa_engine(sqlite_url(path), True, files.access(path))
    try:
        with sa_engine.connect().execution_options(_write=True) as conn, conn.begin():
            migrations.create(conn)
    finally:
        sa_engine.dispose()  # the last connection checkpoints the log into the file


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
