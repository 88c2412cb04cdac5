"""Hot-path reads that run before every execution: the store generation and a trigger's cache.

Cache values are stored encrypted with the tenant key; each stored token is decrypted once
and remembered, since the same entries are read before every execution.

On SQLite these use a per-thread raw ``sqlite3`` connection in autocommit mode: a single
SELECT then costs a few microseconds instead of a pooled SQLAlchemy transaction (~130 us),
which matters when a login waits on it. Other databases go through SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from . import schema

_GENERATION_SQL = "SELECT value FROM meta WHERE key = 'generation'"
_CACHE_SQL = "SELECT key, value, expires_at FROM cache_entries WHERE trigger_id = ? AND expires_at > ?"


_REMEMBERED = 4096


class HotReader:
    def __init__(self, store: Any, decrypt: Callable[[str], str | None]) -> None:
        self._store = store
        self._local = threading.local()
        self._raw = store.path is not None
        self._decrypt = decrypt
        self._plain: dict[str, str | None] = {}  # stored token -> value
        self._opened: list[sqlite3.Connection] = []  # every thread's connection, for close
        self._opened_lock = threading.Lock()

    def generation_and_cache(self, trigger_id: str, now_ms: int) -> tuple[int, dict[str, dict[str, Any]]]:
        if not self._raw:
            with self._store.read() as conn:
                rows = conn.execute(
                    select(
                        schema.cache_entries.c.key, schema.cache_entries.c.value, schema.cache_entries.c.expires_at
                    ).where(schema.cache_entries.c.trigger_id == trigger_id, schema.cache_entries.c.expires_at > now_ms)
                ).all()
                return self._store.generation(conn), self._cache(rows)
        conn = self._connection()  # autocommit: each SELECT reads the latest committed state
        row = conn.execute(_GENERATION_SQL).fetchone()
        rows = conn.execute(_CACHE_SQL, (trigger_id, now_ms)).fetchall()
        return (int(row[0]) if row else 0), self._cache(rows)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._store.connect_raw()
            conn.isolation_level = None
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

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
