"""Which tenants a home holds: list, exists, create, delete.

A tenant exists when its folder (``HOME/tenants/NAME``) does: the folder holds its master key,
and its SQLite store unless a database URL puts the store elsewhere (PostgreSQL). Only commands
that create things create a tenant (``Tenant(name, create=True)``); the rest refuse a name that
does not exist, so a typo in ``--tenant`` is an error instead of a new empty tenant. The
``default`` tenant is where a newcomer starts: opening it creates it whatever ``create`` says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import ConflictError, InvalidInputError, Remedy, TenantNotFound
from ..store.paths import DEFAULT_TENANT, actions_home, tenant_dir, tenant_name

STORE_FILE = "tenant.db"


def names(home: Path | None = None) -> list[str]:
    """The tenants of ``home``, sorted."""
    folder = (home or actions_home()) / "tenants"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and _valid(p.name))


def exists(name: str, home: Path | None = None) -> bool:
    return tenant_dir(tenant_name(name), home).is_dir()


def check_exists(name: str, home: Path | None = None) -> None:
    """TenantNotFound unless the tenant exists (or is the default tenant, created on first use)."""
    if name != DEFAULT_TENANT and not exists(name, home):
        raise not_found(name, home)


def not_found(name: str, home: Path | None = None) -> TenantNotFound:
    existing = tuple(names(home))
    there = f"the tenants are {', '.join(existing)}" if existing else "there are no tenants yet"
    return TenantNotFound(
        f"tenant {name!r} does not exist ({there})", existing, remedy=Remedy("create it", "tenants create", (name,))
    )


def create(name: str, home: Path | None = None, *, database_url: str | None = None) -> bool:
    """Create the tenant (its folder, key and store); False when it existed already."""
    from . import Tenant

    existed = exists(name, home)
    Tenant(name, home=home, database_url=database_url).close()
    return not existed


def delete(name: str, home: Path | None = None, *, database_url: str | None = None) -> Path:
    """Remove a tenant kept in its folder; returns the folder removed.

    A tenant whose store is a database of its own is refused: removing the folder alone would
    throw away the master key and leave that database unreadable."""
    if not exists(name, home):
        raise not_found(name, home)
    folder = tenant_dir(tenant_name(name), home)
    if database_url or not (folder / STORE_FILE).is_file():
        raise ConflictError(
            f"tenant {name!r} keeps its store in a database of its own, not in {folder}: drop that "
            f"database with its own tools, then remove the folder (deleting only the folder would "
            f"lose the master key and leave the database unreadable)"
        )
    shutil.rmtree(folder)
    return folder


def _valid(name: str) -> bool:
    try:
        return tenant_name(name) == name
    except InvalidInputError:  # a folder of another name is not a tenant
        return False
