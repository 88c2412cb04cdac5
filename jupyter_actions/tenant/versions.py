"""Deploy, rollback, version history and diff."""

from __future__ import annotations

import difflib
import hashlib
import json
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from .._clock import now_iso
from ..cipher import Cipher
from ..engine import modules_plan
from ..errors import ConflictError
from ..model import ActionVersion, DeployResult
from ..store import integrity
from ..store.rows import (
    action_model,
    action_row,
    draft_dependencies,
    draft_modules,
    find_version,
    pinned_modules,
    require_values,
    version_model,
)
from ..store.schema import actions, dependencies, secrets, versions
from .modules import pins_json, store_action_modules
from .secret_store import ensure_key, forget_cached


def content_digest(code: str, trigger_id: str, deps: Sequence[dict], lock: str | None) -> str:
    canonical = json.dumps([code, trigger_id, list(deps), lock], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def deploy(conn: Connection, cipher: Cipher, name: str, message: str | None, max_versions: int) -> DeployResult:
    row = action_row(conn, name, for_update=True)
    if row.build_status != "built":
        reason = f": {row.build_error}" if row.build_error else ""
        raise ConflictError(
            f"A draft must be in the 'built' state before it can be deployed. {name} is {row.build_status}{reason}"
        )
    require_values(conn, row, "deploying")
    secret_rows = conn.execute(select(secrets).where(secrets.c.action_id == row.id).order_by(secrets.c.name)).all()
    values = {s.name: cipher.decrypt(s.ciphertext) for s in secret_rows}
    deps = [d.to_json() for d in draft_dependencies(conn, row.id)]
    refs = draft_modules(conn, row.id)
    modules_plan.check_environments(name, row.lock, modules_plan.module_locks(conn, refs))
    digest = content_digest(row.code, row.trigger_id, deps, row.lock)
    if row.deployed_version_id:
        current = conn.execute(select(versions).where(versions.c.id == row.deployed_version_id)).one()
        if (
            current.content_digest == digest
            and current.modules == pins_json(refs)
            and integrity.intact(cipher, current)
            and cipher.decrypt_mapping(current.secrets_ciphertext) == values
        ):
            return DeployResult(version_model(current, name, row.deployed_version_id), created=False)
    new = {
        "code": row.code,
        "trigger_id": row.trigger_id,
        "trigger_version": row.trigger_version,
        "runtime": row.runtime,
        "dependencies": json.dumps(deps),
        "lock": row.lock,
        "secret_names": json.dumps([{"name": s.name, "updated_at": s.updated_at} for s in secret_rows]),
        "secrets_ciphertext": cipher.encrypt_mapping(values) if values else None,
        "content_digest": digest,
        "build_status": row.build_status,
        "build_error": None,
        "built_at": row.built_at,
        "uses_cache": row.uses_cache,
        "modules": pins_json(refs),
    }
    return DeployResult(_insert_version(conn, cipher, row, new, message, max_versions), created=True)


def rollback(
    conn: Connection, cipher: Cipher, name: str, number: int, update_draft: bool, max_versions: int
) -> ActionVersion:
    """Auth0's rollback: a new deployed version identical to version ``number``, which must
    pass its integrity check (a copy would otherwise carry tampered content under a new MAC)."""
    row = action_row(conn, name, for_update=True)
    source = find_version(conn, row, number)
    refused = integrity.refusal(conn, cipher, source, name)
    if refused:
        raise ConflictError(refused)
    copied = {
        key: getattr(source, key)
        for key in (
            "code",
            "trigger_id",
            "trigger_version",
            "runtime",
            "dependencies",
            "lock",
            "secret_names",
            "secrets_ciphertext",
            "content_digest",
            "build_status",
            "build_error",
            "built_at",
            "uses_cache",
            "modules",
        )
    }
    version = _insert_version(conn, cipher, row, copied, f"Rollback to version {number}", max_versions)
    if update_draft:
        _reset_draft(conn, cipher, row, source)
    return version


def _insert_version(
    conn: Connection, cipher: Cipher, action: Row, content: dict, message: str | None, max_versions: int
) -> ActionVersion:
    number = (
        conn.execute(select(func.max(versions.c.number)).where(versions.c.action_id == action.id)).scalar() or 0
    ) + 1
    version_id = str(uuid.uuid4())
    now = now_iso()
    identity = {"id": version_id, "action_id": action.id, "number": number}
    ensure_key(conn, cipher)  # a MAC is keyed data: the key check tells a wrong key from tampering
    mac = integrity.mac_of(cipher, {**identity, **content})
    conn.execute(versions.insert().values(**identity, message=message, created_at=now, mac=mac, **content))
    conn.execute(actions.update().where(actions.c.id == action.id).values(deployed_version_id=version_id))
    _prune(conn, action.id, version_id, max_versions)
    created = conn.execute(select(versions).where(versions.c.id == version_id)).one()
    return version_model(created, action.name, version_id)


def _prune(conn: Connection, action_id: str, deployed_id: str, max_versions: int) -> None:
    """Keep at most ``max_versions``: drop the oldest versions that are not deployed."""
    ids = (
        conn.execute(select(versions.c.id).where(versions.c.action_id == action_id).order_by(versions.c.number))
        .scalars()
        .all()
    )
    excess = len(ids) - max_versions
    doomed = [v for v in ids if v != deployed_id][: max(excess, 0)]
    if doomed:
        conn.execute(versions.delete().where(versions.c.id.in_(doomed)))


def _reset_draft(conn: Connection, cipher: Cipher, action: Row, source: Row) -> None:
    now = now_iso()
    conn.execute(
        actions.update()
        .where(actions.c.id == action.id)
        .values(
            code=source.code,
            lock=source.lock,
            build_status=source.build_status,
            build_error=source.build_error,
            built_at=source.built_at,
            updated_at=now,
            uses_cache=source.uses_cache,
        )
    )
    store_action_modules(conn, action.id, pinned_modules(source.modules))
    conn.execute(dependencies.delete().where(dependencies.c.action_id == action.id))
    deps = json.loads(source.dependencies)
    if deps:
        conn.execute(
            dependencies.insert(),
            [
                {"action_id": action.id, "name": d["name"], "version": d["version"], "position": i}
                for i, d in enumerate(deps)
            ],
        )
    values = cipher.decrypt_mapping(source.secrets_ciphertext)
    for (name,) in conn.execute(select(secrets.c.name).where(secrets.c.action_id == action.id)).all():
        forget_cached(conn, cipher, action, name, keep=values.get(name))  # as `secrets set` does
    conn.execute(secrets.delete().where(secrets.c.action_id == action.id))
    if values:
        stamps = {s["name"]: s["updated_at"] for s in json.loads(source.secret_names)}
        conn.execute(
            secrets.insert(),
            [
                {"action_id": action.id, "name": k, "ciphertext": cipher.encrypt(v), "updated_at": stamps.get(k, now)}
                for k, v in values.items()
            ],
        )


def list_versions(conn: Connection, name: str) -> list[ActionVersion]:
    row = action_row(conn, name)
    rows = conn.execute(select(versions).where(versions.c.action_id == row.id).order_by(versions.c.number.desc()))
    return [version_model(v, name, row.deployed_version_id) for v in rows]


def get_version(conn: Connection, name: str, number: int) -> ActionVersion:
    row = action_row(conn, name)
    return version_model(find_version(conn, row, number), name, row.deployed_version_id)


def diff(conn: Connection, name: str, old: int | str, new: int | str) -> str:
    """Unified diff of code and dependencies between two versions or a version and ``"draft"``."""
    row = action_row(conn, name)
    old_label, old_code, old_deps = _side(conn, row, old)
    new_label, new_code, new_deps = _side(conn, row, new)
    parts = difflib.unified_diff(
        old_code.splitlines(keepends=True), new_code.splitlines(keepends=True), old_label, new_label
    )
    text = "".join(_ensure_newlines(parts))
    if old_deps != new_deps:
        text += "".join(
            _ensure_newlines(
                difflib.unified_diff(
                    old_deps, new_deps, f"{old_label} dependencies", f"{new_label} dependencies", lineterm="\n"
                )
            )
        )
    return text


def _side(conn: Connection, row: Row, which: int | str) -> tuple[str, str, list[str]]:
    if which == "draft":
        action = action_model(conn, row)
        return "draft", action.code, [f"{d}\n" for d in action.dependencies]
    version = version_model(find_version(conn, row, int(which)), row.name, row.deployed_version_id)
    return f"v{version.number}", version.code, [f"{d}\n" for d in version.dependencies]


def _ensure_newlines(lines):  # noqa: ANN001, ANN202
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
