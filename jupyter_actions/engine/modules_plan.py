"""The Actions Modules a step imports (tenant/modules.py stores them): their code, secret
values and environments as a worker loads them, checked against their MACs first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..cipher import Cipher
from ..errors import ConflictError
from ..model import ModuleRef
from ..runtime.jobs import ModuleSource
from ..store import integrity
from ..store.rows import pinned_modules
from ..store.schema import action_modules, module_versions, versions


def sources(
    conn: Connection, cipher: Cipher, refs: Sequence[ModuleRef], action: str
) -> tuple[tuple[ModuleSource, ...], tuple[str, ...], str | None]:
    """What a worker of ``action`` loads for its modules: their code and secret values, their
    dependency locks, and a one-line refusal when a module version fails its integrity check
    (then nothing of any module is returned: none of it may be decrypted or run)."""
    loaded, locks = [], []
    for ref in refs:
        row = conn.execute(select(module_versions).where(module_versions.c.id == ref.module_version_id)).first()
        if row is None:
            return (
                (),
                (),
                f"version {ref.module_version_number} of module {ref.module_name} used by {action} no longer exists",
            )
        if not integrity.module_intact(cipher, row):
            integrity.check_key(conn, cipher)
            return (
                (),
                (),
                (
                    f"version {ref.module_version_number} of module {ref.module_name} used by {action} failed its "
                    "integrity check: its stored code or dependencies changed outside jupyter-actions; deploy the "
                    "module again and pin the action to the new version"
                ),
            )
        loaded.append(ModuleSource(ref.module_name, row.code, cipher.decrypt_mapping(row.secrets_ciphertext)))
        if row.lock:
            locks.append(row.lock)
    return tuple(loaded), tuple(locks), None


def check_environments(action: str, lock: str | None, module_locks: Iterable[tuple[str, str | None]]) -> None:
    """The action's dependency environment and its modules' go on one ``sys.path``: refuse
    two of them that pin one package at different versions (the first on the path would win
    and the other would run with a version it was not built for)."""
    from .. import deps

    seen: dict[str, tuple[str, str]] = {}
    for owner, text in [(f"action {action}", lock), *((f"module {m}", t) for m, t in module_locks)]:
        if not text:
            continue
        for package, version in deps.Lock.from_json(text).packages:
            other = seen.setdefault(package, (owner, version))
            if other[1] != version:
                raise ConflictError(
                    f"{owner} needs {package}=={version} but {other[0]} needs {package}=={other[1]}: pin the same "
                    f"version in both (deps add / modules save --dependency {package}=={other[1]})"
                )


def module_locks(conn: Connection, refs: Sequence[ModuleRef]) -> list[tuple[str, str | None]]:
    ids = [r.module_version_id for r in refs]
    rows = conn.execute(select(module_versions.c.id, module_versions.c.lock).where(module_versions.c.id.in_(ids)))
    locks = dict(rows.all())
    return [(r.module_name, locks.get(r.module_version_id)) for r in refs]


def redaction_values(conn: Connection, cipher: Cipher, action_ids: Iterable[str]) -> list[str]:
    """Every secret value of every version of the modules these actions import, in their
    drafts or any of their versions (the trigger's cache may hold one from an older pin)."""
    ids = list(action_ids)
    module_ids = set(
        conn.execute(select(action_modules.c.module_id).where(action_modules.c.action_id.in_(ids))).scalars()
    )
    for text in conn.execute(
        select(versions.c.modules).where(versions.c.action_id.in_(ids), versions.c.modules.is_not(None))
    ).scalars():
        module_ids.update(r.module_id for r in pinned_modules(text))
    values: list[str] = []
    if not module_ids:
        return values
    rows = conn.execute(
        select(module_versions).where(
            module_versions.c.module_id.in_(module_ids), module_versions.c.secrets_ciphertext.is_not(None)
        )
    )
    for row in rows:
        if integrity.module_intact(cipher, row):
            values += cipher.decrypt_mapping(row.secrets_ciphertext).values()
    return values
