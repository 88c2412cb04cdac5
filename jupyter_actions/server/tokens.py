"""Bearer tokens of ``jupyter-actions serve``: create (shown once), list, revoke, verify.

A token is ``jat_<id>_<secret>``. The store keeps the id, the name, the scope and the SHA-256
of the secret, never the token; verification compares digests in constant time. Scopes:

- ``execute``: run and continue flows (what an application calls at each login);
- ``read``: every GET;
- ``manage``: everything (read, write and execute), for deploy tooling.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .._clock import duration_seconds, epoch_from_iso, iso_from_epoch, now_iso
from ..errors import ConflictError, InvalidInputError, NotFoundError
from ..store.schema import api_tokens

if TYPE_CHECKING:
    from ..tenant import Tenant

SCOPES = ("execute", "read", "manage")
GRANTS = {"execute": {"execute"}, "read": {"read"}, "manage": {"execute", "read", "manage"}}
"""Which route scopes each token scope may call."""

PREFIX = "jat_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_TOKEN = re.compile(r"^jat_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_DUMMY_DIGEST = hashlib.sha256(b"no such token").hexdigest()
CACHE_SECONDS = 1.0
"""How long a verified token is trusted without reading the store: a revocation made by another
process takes effect within this time."""


class TokenError(Exception):
    """A request's token is missing, malformed, unknown, expired or revoked (401)."""


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    scope: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or epoch_from_iso(self.expires_at) > time.time())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "scope": self.scope,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
            "active": self.active,
        }


def create(tenant: Tenant, name: str, scope: str, expires: str | None = None) -> tuple[TokenInfo, str]:
    """A new token named ``name``; returns its info and the token, which is shown only now."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInputError(
            f"invalid token name {name!r}: use 1 to 100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (for example login-app)"
        )
    if scope not in SCOPES:
        raise InvalidInputError(f"invalid scope {scope!r}: use one of {', '.join(SCOPES)}")
    expires_at = iso_from_epoch(time.time() + lifetime_seconds(expires)) if expires is not None else None
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    info = TokenInfo(token_id, name, scope, now_iso(), expires_at, None)
    with tenant.store.write(lifecycle=False) as conn:
        existing = conn.execute(select(api_tokens).where(api_tokens.c.name == name)).first()
        if existing is not None and existing.revoked_at is not None:
            conn.execute(api_tokens.delete().where(api_tokens.c.id == existing.id))  # a revoked name is free again
        elif existing is not None:
            raise ConflictError(
                f"a token named {name} exists: revoke it with `jupyter-actions tokens revoke {name}` "
                "or choose another name"
            )
        conn.execute(
            api_tokens.insert().values(
                id=token_id,
                name=name,
                scope=scope,
                digest=_digest(secret),
                created_at=info.created_at,
                expires_at=expires_at,
            )
        )
    return info, f"{PREFIX}{token_id}_{secret}"


def list_tokens(tenant: Tenant) -> list[TokenInfo]:
    with tenant.store.read() as conn:
        rows = conn.execute(select(api_tokens).order_by(api_tokens.c.created_at)).all()
    return [_info(row) for row in rows]


def revoke(tenant: Tenant, name: str) -> TokenInfo:
    """Revoke the token named ``name`` (kept in the list, marked revoked)."""
    with tenant.store.write(lifecycle=False) as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"no token is named {name!r}: list them with `jupyter-actions tokens list`")
        if row.revoked_at is None:
            conn.execute(api_tokens.update().where(api_tokens.c.id == row.id).values(revoked_at=now_iso()))
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == row.id)).one()
    return _info(row)


def lifetime_seconds(text: object) -> float:
    """A token's lifetime: a duration longer than none (``12h``, ``30d``, ``2w``)."""
    seconds = duration_seconds(text)
    if seconds <= 0:
        raise InvalidInputError(f"invalid duration {text!r}: a token must live longer than 0, such as 12h, 30d or 2w")
    return seconds


class Verifier:
    """Checks ``Authorization`` headers against the tenant's tokens, caching each verdict for
    ``CACHE_SECONDS`` so that a login costs no store read."""

    def __init__(self, tenant: Tenant) -> None:
        self._tenant = tenant
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, TokenInfo]] = {}

    def verify(self, authorization: str | None) -> TokenInfo:
        """The token's info, or TokenError saying what is wrong with it."""
        if not authorization:
            raise TokenError(
                "Missing authentication: send 'Authorization: Bearer <token>' "
                "(create one with `jupyter-actions tokens create NAME --scope SCOPE`)"
            )
        scheme, _, token = authorization.partition(" ")
        match = _TOKEN.match(token.strip()) if scheme.lower() == "bearer" else None
        if match is None:
            raise TokenError("Bad HTTP authentication header format: use 'Authorization: Bearer <token>'")
        token_id, secret = match.groups()
        digest = _digest(secret)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(digest)
        if cached is not None and cached[0] > now and cached[1].id == token_id:
            info = cached[1]
        else:
            info = self._lookup(token_id, digest)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = (now + CACHE_SECONDS, info)
        if info.revoked_at is not None:
            raise TokenError("Invalid token: it was revoked; create a new one")
        if not info.active:
            raise TokenError("Expired token: create a new one with `jupyter-actions tokens create`")
        return info

    def _lookup(self, token_id: str, digest: str) -> TokenInfo:
        with self._tenant.store.read() as conn:
            row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
        stored = row.digest if row is not None else _DUMMY_DIGEST
        if not hmac.compare_digest(stored, digest) or row is None:
            raise TokenError("Invalid token: no such token; check it or create one")
        return _info(row)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _info(row: Any) -> TokenInfo:
    return TokenInfo(row.id, row.name, row.scope, row.created_at, row.expires_at, row.revoked_at)
