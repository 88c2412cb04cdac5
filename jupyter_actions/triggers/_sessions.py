"""``api.session`` and ``api.refresh_token`` (Enterprise features of post-login).

Expiry setters: the earliest expiry wins over the flow. Metadata setters validate like
Auth0's sessions library (25 keys, ``^[a-zA-Z0-9_-]{1,255}$`` keys, string values <= 255
characters) and mirror the result into ``event.session.metadata`` /
``event.refresh_token.metadata`` at once.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from ._api import Namespace, option
from ._checks import O, S, T, check

MAX_METADATA_KEYS = 25
MAX_METADATA_LENGTH = 255
_METADATA_KEY = re.compile(r"^[a-zA-Z0-9_-]{1,255}$")
COOKIE_MODES = ("persistent", "non-persistent")


def metadata_problem(metadata: Mapping) -> str | None:
    """The first rule ``metadata`` breaks, in Auth0's words, or None."""
    if len(metadata) > MAX_METADATA_KEYS:
        return f"Metadata must not contain more than {MAX_METADATA_KEYS} entries"
    for key, value in metadata.items():
        if len(key) > MAX_METADATA_LENGTH:
            return f"All metadata keys must be at most {MAX_METADATA_LENGTH} characters long"
        if "\x00" in key:
            return "Metadata keys must not contain null bytes (\\x00)"
        if not _METADATA_KEY.match(key):
            return "Metadata keys may only include letters, numbers, underscores, or hyphens"
        if len(value) > MAX_METADATA_LENGTH:
            return f"All metadata values must be at most {MAX_METADATA_LENGTH} characters long"
        if "\x00" in value:
            return "Metadata values must not contain null bytes (\\x00)"
    return None


class _ExpiringEntity(Namespace):
    """Shared by session and refresh token: expiry, revoke and metadata."""

    event_field = ""
    label = ""

    def _guard(self, method: str) -> None:
        """Raise when ``method`` may not be used (online refresh tokens)."""

    def _entity(self) -> dict | None:
        entity = self._event.get(self.event_field)
        return entity if isinstance(entity, dict) else None

    def _set_expiry(self, method: str, name: str, value: Any) -> None:
        self._guard(method)
        if not value:
            raise ValueError("Either inactivity or absolute expiration time must be provided")
        check(O({name: T("number")}), {name: value})
        self._record(method, **{name: value})

    def set_expires_at(self, absolute: float) -> None:
        """Absolute expiry, epoch milliseconds; the earliest over the flow wins."""
        self._set_expiry("set_expires_at", "absolute", absolute)

    def set_idle_expires_at(self, inactivity: float) -> None:
        """Inactivity expiry, epoch milliseconds; the earliest over the flow wins."""
        self._set_expiry("set_idle_expires_at", "inactivity", inactivity)

    # metadata
    def _metadata(self) -> dict | None:
        """The working metadata, or None when it cannot exist (no session)."""
        entity = self._entity()
        stored = entity.get("metadata") if entity is not None else None
        if not hasattr(self, "_working"):
            self._working = dict(stored) if isinstance(stored, dict) else {}
        return self._working

    def _mirror(self, change: Callable[[dict], None]) -> None:
        """``change`` the session or refresh token in the event at once (``ApiSession.mirror``)."""

        def apply(event: dict) -> None:
            entity = event.get(self.event_field)
            if isinstance(entity, dict):
                change(entity)

        self._session.mirror(apply)

    def _commit(self, metadata: dict, method: str, **fields: Any) -> None:
        self._working = metadata
        self._mirror(lambda entity: entity.__setitem__("metadata", copy.deepcopy(metadata)))
        self._record(method, **fields, metadata=copy.deepcopy(metadata))

    def set_metadata(self, key: str, value: str | None) -> None:
        """Set (or, with None, delete) one metadata key."""
        try:
            self._guard("set_metadata")
            current = self._metadata()
            if current is None:
                raise ValueError(f"Cannot set metadata on a {self.label} that does not exist.")
            if not isinstance(key, str):
                raise ValueError("Invalid metadata: Metadata key must be a string")
            updated = dict(current)
            if value is None:
                if key not in updated:
                    return
                del updated[key]
            else:
                if not isinstance(value, str):
                    raise ValueError("Invalid metadata: Metadata value must be a string")
                updated[key] = value
                problem = metadata_problem(updated)
                if problem:
                    raise ValueError(f"Invalid metadata: {problem}")
            self._commit(updated, "set_metadata", key=key, value=value)
        except ValueError as error:
            raise ValueError(f"Failed to set {self.label} metadata: {error}") from None

    def delete_metadata(self, key: str) -> None:
        self._guard("delete_metadata")
        current = self._metadata()
        if not current or key not in current:
            return
        updated = {k: v for k, v in current.items() if k != key}
        self._commit(updated, "delete_metadata", key=key)

    def evict_metadata(self) -> None:
        """Remove every metadata key."""
        self._guard("evict_metadata")
        if not self._metadata():
            return
        self._commit({}, "evict_metadata")


class SessionApi(_ExpiringEntity):
    namespace = "session"
    event_field = "session"
    label = "session"

    def _metadata(self) -> dict | None:
        if self._entity() is None:
            return None  # unlike refresh tokens, session metadata needs a session
        return super()._metadata()

    def revoke(
        self, reason: str, options: Mapping | None = None, *, preserve_refresh_tokens: bool | None = None
    ) -> None:
        """Revoke the session and deny the login; no further actions run."""
        preserve = option(options, "preserve_refresh_tokens", preserve_refresh_tokens)
        check(
            O({"reason": S(), "preserve_refresh_tokens": T("boolean")}),
            {"reason": reason, "preserve_refresh_tokens": preserve},
        )
        self._record("revoke", reason=reason, preserve_refresh_tokens=bool(preserve))

    def set_cookie_mode(self, mode: str) -> None:
        """``persistent`` or ``non-persistent``; the last call wins."""
        if not mode:
            raise ValueError("Cookie mode must be provided")
        if mode not in COOKIE_MODES:
            raise ValueError(f"Invalid cookie mode: {mode}. Valid values are 'persistent' and 'non-persistent'.")
        self._record("set_cookie_mode", mode=mode)
        self._mirror(lambda session: _set_cookie_mode(session, mode))


def _set_cookie_mode(session: dict, mode: str) -> None:
    if session:
        cookie = session.get("cookie")
        session["cookie"] = dict(cookie if isinstance(cookie, dict) else {}, mode=mode)


class RefreshTokenApi(_ExpiringEntity):
    """Metadata may be set before a refresh token exists (it is kept for the new token)."""

    namespace = "refresh_token"
    event_field = "refresh_token"
    label = "refresh token"

    def _guard(self, method: str) -> None:
        entity = self._entity()
        if entity is not None and entity.get("access") == "online":
            raise ValueError(f"Cannot call {method} on an online refresh token.")

    def revoke(self, reason: str) -> None:
        """Revoke the refresh token and deny the exchange; no further actions run."""
        check(O({"reason": S(max_len=1024)}), {"reason": reason})
        self._record("revoke", reason=reason)
