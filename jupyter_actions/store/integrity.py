"""Version integrity: a MAC over what a worker loads, keyed from the tenant's master key.

Every inserted version gets ``versions.mac`` (``Cipher.mac`` over ``MAC_COLUMNS``); plans refuse
a version whose MAC does not verify, so code, lock, dependencies or secrets changed in the store
outside jupyter-actions never run. Versions stored before MACs existed are sealed once, the
first time a tenant opens the store with its key; after that a NULL MAC is a tampered one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from ..cipher import Cipher, MacPart
from ..errors import SecretsError
from .schema import meta, versions

if TYPE_CHECKING:
    from .database import Store

MAC_COLUMNS = (
    "id",
    "action_id",
    "number",
    "trigger_id",
    "code",
    "lock",
    "dependencies",
    "secrets_ciphertext",
    "uses_cache",
)
SEALED_KEY = "versions_sealed"


def mac_of(cipher: Cipher, values: Mapping[Any, Any]) -> str:
    """The MAC of a version, from its row or from the values about to be inserted."""
    return cipher.mac(_parts(values))


def intact(cipher: Cipher, row: Row) -> bool:
    return cipher.verify_mac(_parts(row._mapping), row.mac)


def refusal(conn: Connection, cipher: Cipher, row: Row, action_name: str) -> str | None:
    """None when the version may run, else the one-line platform error that refuses it.

    A wrong master key fails every MAC: it raises the key's own clear error instead."""
    if intact(cipher, row):
        return None
    check_key(conn, cipher)
    return (
        f"version {row.number} of {action_name} failed its integrity check: its stored code or dependencies "
        "changed outside jupyter-actions; deploy it again from a trusted draft"
    )


def check_key(conn: Connection, cipher: Cipher) -> None:
    """Raise SecretsError when the key is not the one of the tenant's key check (if it has one)."""
    token = conn.execute(select(meta.c.value).where(meta.c.key == "key_check")).scalar()
    if token is not None:
        cipher.verify(token)


def seal_existing(store: Store, cipher: Cipher) -> None:
    """Give the versions stored before MACs existed theirs, once per store.

    Nothing was verified before this moment, so it is the trusted one; the marker it leaves
    means a NULL MAC found later was put there. With a wrong key nothing is sealed (the next
    open with the right key does it) and plans report the wrong key; nor in a read-only store
    (the next writable open does it)."""
    with store.read() as conn:
        if _sealed(conn) or store.read_only:
            return
    try:
        with store.write() as conn:
            if _sealed(conn):  # another process sealed meanwhile
                return
            legacy = conn.execute(select(versions).where(versions.c.mac.is_(None))).all()
            if legacy:
                check_key(conn, cipher)
            for row in legacy:
                conn.execute(versions.update().where(versions.c.id == row.id).values(mac=mac_of(cipher, row._mapping)))
            conn.execute(meta.insert().values(key=SEALED_KEY, value="1"))
    except (SecretsError, IntegrityError):  # a wrong key; or (PostgreSQL) another process sealed first
        return


def _sealed(conn: Connection) -> bool:
    return conn.execute(select(meta.c.key).where(meta.c.key == SEALED_KEY)).first() is not None


MODULE_MAC_COLUMNS = ("id", "module_id", "number", "code", "lock", "dependencies", "secrets_ciphertext")


def _parts(values: Mapping[Any, Any]) -> tuple[MacPart, ...]:
    """The parts a version's MAC covers: its module pins too when it has any (a version stored
    before modules existed keeps the MAC it was sealed with)."""
    parts = tuple(values[column] for column in MAC_COLUMNS)
    pinned = values.get("modules")
    return (*parts, "modules", pinned) if pinned else parts


def module_mac_of(cipher: Cipher, values: Mapping[Any, Any]) -> str:
    """The MAC of a module version (tenant/modules.py), from its row or the values to insert."""
    return cipher.mac(("module", *(values[column] for column in MODULE_MAC_COLUMNS)))


def module_intact(cipher: Cipher, row: Row) -> bool:
    return cipher.verify_mac(("module", *(row._mapping[column] for column in MODULE_MAC_COLUMNS)), row.mac)
