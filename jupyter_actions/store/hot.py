"""Hot-path reads that run before every execution: the store generation and a trigger's cache.

Cache values are stored encrypted with the tenant key; each stored token is decrypted once
and remembered, since the same entries are read before every execution.

Both come from one statement (``_HOT_SQL``) on a per-thread DB-API connection of the reader's
own in autocommit mode (``Store.connect_raw``): on SQLite a SELECT then costs a few
microseconds instead of a pooled SQLAlchemy transaction (~130 us); on PostgreSQL it is one
round trip instead of five (pool ping, BEGIN, two SELECTs, COMMIT). This read is what keeps the
`serve` replicas of a PostgreSQL tenant coherent: every login sees the generation (so any
deploy or flow change committed before it) and the cache entries committed before it.
A SQLite URL without a plain file (a URI with a query) goes through SQLAlchemy instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_HOT_SQL = (
    "SELECT (SELECT value FROM meta WHERE key = 'generation'), c.key, c.value, c.expires_at "
    "FROM (SELECT 1) AS one LEFT JOIN cache_entries AS c ON c.trigger_id = {p} AND c.expires_at > {p}"
)


_REMEMBERED = 4096


class HotReader:
    def __init__(self, store: Any, decrypt: Callable[[str], str | None]) -> None:
        self._store = store
        self._local = threading.local()
        self._raw = store.path is not None or not store.is_sqlite
        self._sql = _HOT_SQL.format(p="?" if store.is_sqlite else "%s")
        dbapi = store.sa_engine.dialect.loaded_dbapi
        self._lost = (dbapi.OperationalError, dbapi.InterfaceError)  # a connection the server dropped
        self._decrypt = decrypt
        self._plain: dict[str, str | None] = {}  # stored token -> value
        self._opened: list[Any] = []  # every thread's connection, for close
        self._opened_lock = threading.Lock()

    def generation_and_cache(self, trigger_id: str, now_ms: int) -> tuple[int, dict[str, dict[str, Any]]]:
        params = (trigger_id, now_ms)
        if not self._raw:
            with self._store.read() as conn:
                return self._result(conn.exec_driver_sql(self._sql, params).all())
        try:
            rows = self._connection().execute(self._sql, params).fetchall()
        except self._lost:
            self._forget_connection()  # the server restarted or dropped it: once more, on a new one
            rows = self._connection().execute(self._sql, params).fetchall()
        return self._result(rows)

    def _result(self, rows: list) -> tuple[int, dict[str, dict[str, Any]]]:
        generation = rows[0][0]
        return (int(generation) if generation is not None else 0), self._cache(
            [row[1:] for row in rows if row[1] is not None]
        )

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._store.connect_raw()
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def _forget_connection(self) -> None:
        conn, self._local.conn = self._local.conn, None
        with self._opened_lock:
            if conn in self._opened:
                self._opened.remove(conn)
        try:
            conn.close()
        except self._lost:
            pass

    def close(self) -> None:
        """Close every thread's connection; the next read opens a new one."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
        for conn in opened:
            conn.close()

    def _cache(self, rows: list) -> dict[str, dict[str, Any]]:
        """The live entries; one whose token does not decrypt (written before values were
        encrypted, or with another key) is left out, as an expired entry would be."""
        entries = {}
        for key, token, expires_at in rows:
            value = self._plain.get(token)
            if value is None and token not in self._plain:
                if len(self._plain) >= _REMEMBERED:
                    self._plain.clear()
                value = self._plain[token] = self._decrypt(token)
            if value is not None:
                entries[key] = {"value": value, "expires_at": expires_at}
        return entries
