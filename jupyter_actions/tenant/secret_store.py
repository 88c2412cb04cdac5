"""An action's secrets: set (encrypted), list (names only), delete; the tenant's key check; every
value the tenant holds, for guards that must refuse to write one down.

A value replaced or deleted takes with it the entries of the trigger's cache that hold it (in
any form redaction knows): ``api.cache`` outlives the secret, and a value no version holds
any more could not be redacted when an action shows what it finds cached."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Column, Table, func, select
from sqlalchemy.engine import Connection, Row

from .._clock import now_iso
from ..cipher import Cipher, check_name, check_value
from ..errors import InvalidInputError, LimitExceeded, NotFoundError, Remedy
from ..model import SecretInfo
from ..runtime.redaction import Redactor
from ..store.rows import action_row, secret_infos
from ..store.schema import actions, cache_entries, meta, module_secrets, module_versions, modules, secrets, versions


def ensure_key(conn: Connection, cipher: Cipher) -> None:
    """Verify the master key against the tenant's key check, creating it on first use."""
    row = conn.execute(select(meta.c.value).where(meta.c.key == "key_check")).first()
    if row is None:
        conn.execute(meta.insert().values(key="key_check", value=cipher.key_check_token()))
    else:
        cipher.verify(row[0])


def check_values(values: Mapping[str, str]) -> dict[str, str]:
    """``values`` with every name and value checked by the secret rules, before anything is written."""
    if not isinstance(values, Mapping):
        raise InvalidInputError("secret values must be a mapping of secret names to values")
    return {check_name(name): check_value(name, value) for name, value in values.items()}


def set_secret(conn: Connection, cipher: Cipher, action: str, name: str, value: str, limit: int) -> SecretInfo:
    check_name(name)
    check_value(name, value)
    row = action_row(conn, action)
    ensure_key(conn, cipher)
    now = now_iso()
    token = cipher.encrypt(value)
    forget_cached(conn, cipher, row, name, keep=value)
    updated = conn.execute(
        secrets.update()
        .where(secrets.c.action_id == row.id, secrets.c.name == name)
        .values(ciphertext=token, updated_at=now)
    ).rowcount
    if not updated:
        count = conn.execute(
            select(func.count()).select_from(secrets).where(secrets.c.action_id == row.id)
        ).scalar_one()
        if count >= limit:
            raise LimitExceeded(f"action {action} already has {count} secrets; the limit is {limit}")
        conn.execute(secrets.insert().values(action_id=row.id, name=name, ciphertext=token, updated_at=now))
    return SecretInfo(name, now, True)


def list_secrets(conn: Connection, action: str) -> tuple[SecretInfo, ...]:
    return secret_infos(conn, action_row(conn, action).id)


def delete_secret(conn: Connection, cipher: Cipher, action: str, name: str) -> None:
    row = action_row(conn, action)
    forget_cached(conn, cipher, row, name)
    deleted = conn.execute(secrets.delete().where(secrets.c.action_id == row.id, secrets.c.name == name)).rowcount
    if not deleted:
        raise NotFoundError(
            f"action {action} has no secret {name}", remedy=Remedy("list them", "secrets list", (action,))
        )


def labelled_values(conn: Connection, cipher: Cipher) -> dict[str, str]:
    """Every secret value the tenant holds (drafts' and deployed versions', of actions and of
    Actions Modules), by a label that names the secret and never shows its value."""
    return {
        **owned_values(conn, cipher, "action", actions, secrets, secrets.c.action_id, versions, versions.c.action_id),
        **owned_values(
            conn,
            cipher,
            "module",
            modules,
            module_secrets,
            module_secrets.c.module_id,
            module_versions,
            module_versions.c.module_id,
        ),
    }


def owned_values(
    conn: Connection,
    cipher: Cipher,
    kind: str,
    owners: Table,
    owned_secrets: Table,
    secret_owner: Column,
    owned_versions: Table,
    version_owner: Column,
) -> dict[str, str]:
    """The secret values of one kind of owner (``action``, ``module``): its draft secrets and
    its versions' frozen ones, each by a label."""
    values = {}
    drafts = (
        select(owners.c.name, owned_secrets.c.name, owned_secrets.c.ciphertext)
        .join(owned_secrets, secret_owner == owners.c.id)
        .where(owned_secrets.c.ciphertext.is_not(None))
    )
    for owner, name, token in conn.execute(drafts).all():
        values[f"secret {name} of {kind} {owner}"] = cipher.decrypt(token)
    stored = (
        select(owners.c.name, owned_versions.c.number, owned_versions.c.secrets_ciphertext)
        .join(owned_versions, version_owner == owners.c.id)
        .where(owned_versions.c.secrets_ciphertext.is_not(None))
    )
    for owner, number, token in conn.execute(stored).all():
        for name, value in cipher.decrypt_mapping(token).items():
            values[f"secret {name} of {kind} {owner} (version {number})"] = value
    return values


def contained(text: str, labelled: Mapping[str, str]) -> str | None:
    """The label of the longest of ``labelled``'s values that ``text`` is or contains."""
    for label, value in sorted(labelled.items(), key=lambda item: len(item[1]), reverse=True):
        if value and value in text:
            return label
    return None


def forget_cached(conn: Connection, cipher: Cipher, action: Row, name: str, keep: str | None = None) -> None:
    """Delete the trigger's cache entries that hold the secret's current value, unless that
    value is ``keep`` (set again unchanged)."""
    token = conn.execute(
        select(secrets.c.ciphertext).where(secrets.c.action_id == action.id, secrets.c.name == name)
    ).scalar()
    old = cipher.decrypt(token) if token is not None else None
    if old is None or old == keep:
        return
    redactor = Redactor([old])
    entries = conn.execute(
        select(cache_entries.c.key, cache_entries.c.value).where(cache_entries.c.trigger_id == action.trigger_id)
    ).all()
    holding = [
        key
        for key, stored in entries
        if (plain := cipher.decrypt_or_none(stored)) is not None and redactor.text(plain) != plain
    ]
    if holding:
        conn.execute(
            cache_entries.delete().where(
                cache_entries.c.trigger_id == action.trigger_id, cache_entries.c.key.in_(holding)
            )
        )
