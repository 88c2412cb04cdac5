"""``api.cache`` (the same on every trigger), over ``ApiSession.cache``.

Limits (Auth0 docs, reference section 7): key <= 64 bytes, value <= 4096 bytes, at most 20
live entries per trigger, all keys + values <= 8 KiB, ttl 15 minutes by default and 24 hours
at most; with both ``ttl`` and ``expires_at`` the earlier expiry wins. Expired entries are
invisible: ``get`` ignores them and they count against no limit (they are dropped on write).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._api import Namespace, is_number, option

MAX_KEY_BYTES = 64
MAX_VALUE_BYTES = 4096
MAX_ENTRIES = 20
MAX_TOTAL_BYTES = 8 * 1024
DEFAULT_TTL_MS = 15 * 60 * 1000
MAX_TTL_MS = 24 * 60 * 60 * 1000
MAX_SAFE_INTEGER = 2**53 - 1


def _error(code: str) -> dict:
    return {"type": "error", "code": code}


class CacheApi(Namespace):
    namespace = "cache"

    @property
    def _store(self) -> dict:
        return self._session.cache

    def _live(self) -> dict:
        """Drop expired records from the store; return it."""
        now = self._session.now_ms()
        store = self._store
        for key in [k for k, record in store.items() if record.get("expires_at", 0) <= now]:
            del store[key]
        return store

    def get(self, key: str) -> dict | None:
        """``{"value": str, "expires_at": int_ms}`` or None (missing or expired)."""
        record = self._live().get(key)
        return dict(record) if record is not None else None

    def set(
        self, key: str, value: str, options: Mapping | None = None, *, ttl: Any = None, expires_at: Any = None
    ) -> dict:
        """Store ``value``; returns ``{"type": "success", "record": {...}}`` or ``{"type": "error", "code": ...}``."""
        if not isinstance(key, str):
            raise TypeError("The cache key must be a string.")
        if not isinstance(value, str):
            raise TypeError("The cache value must be a string.")
        ttl = option(options, "ttl", ttl)
        expires_at = option(options, "expires_at", expires_at)
        store = self._live()
        key_size, value_size = len(key.encode("utf-8")), len(value.encode("utf-8"))
        if key_size > MAX_KEY_BYTES:
            return _error("CacheKeySizeExceeded")
        if value_size > MAX_VALUE_BYTES:
            return _error("CacheValueSizeExceeded")
        others = {k: r for k, r in store.items() if k != key}
        if len(others) >= MAX_ENTRIES:
            return _error("CacheSizeExceeded")
        used = sum(len(k.encode("utf-8")) + len(str(r.get("value", "")).encode("utf-8")) for k, r in others.items())
        if used + key_size + value_size > MAX_TOTAL_BYTES:
            return _error("CacheSizeExceeded")
        now = self._session.now_ms()
        expiry = None
        if ttl is not None:
            if not is_number(ttl):
                return _error("InvalidExpiry")
            expiry = now + int(ttl // 1)
        if expires_at is not None:
            if not is_number(expires_at):
                return _error("InvalidExpiry")
            expiry = int(expires_at // 1) if expiry is None else min(expiry, int(expires_at // 1))
        if expiry is None:
            expiry = now + DEFAULT_TTL_MS
        if expiry <= now:
            return _error("ItemAlreadyExpired")
        if expiry > MAX_SAFE_INTEGER:
            return _error("InvalidExpiry")
        expiry = min(expiry, now + MAX_TTL_MS)
        self._record("set", key=key, value=value, expires_at=expiry)
        store[key] = {"value": value, "expires_at": expiry}
        return {"type": "success", "record": {"value": value, "expires_at": expiry}}

    def delete(self, key: str) -> dict:
        """``{"type": "success"}`` or ``{"type": "error", "code": "CacheKeyDoesNotExist"}``."""
        store = self._live()
        if key not in store:
            return _error("CacheKeyDoesNotExist")
        self._record("delete", key=key)
        del store[key]
        return {"type": "success"}
