"""Turning stored actions into worker steps: which code, secrets and environment each runs."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from ..cipher import Cipher
from ..errors import ExecutionError
from ..runtime import Step
from ..store import integrity
from ..store.rows import action_row, draft_modules, find_version, pinned_modules, secret_tokens
from ..store.schema import actions, bindings, versions
from . import modules_plan


@dataclass(frozen=True)
class PlannedStep:
    """A step plus the dependency environment it needs (its lock, or None).

    ``uses_cache``: the code may reach ``api.cache`` (recorded when the draft was saved), so a
    batch must run it in order. ``refused``: a one-line platform error when the version failed
    its integrity check; the step then carries no secrets and must not run."""

    step: Step
    lock: str | None
    uses_cache: bool = True
    refused: str | None = None
    module_locks: tuple[str, ...] = ()  # the imported modules' environments, after the action's


def draft_step(conn: Connection, cipher: Cipher, name: str, handler: str) -> PlannedStep:
    """The draft of one action, with the draft's secrets (what Auth0's Test panel runs)."""
    row = action_row(conn, name)
    if row.build_status != "built":
        reason = f": {row.build_error}" if row.build_error else ""
        raise ExecutionError(f"the draft of {name} cannot run: its dependencies are {row.build_status}{reason}")
    refs = draft_modules(conn, row.id)
    modules_plan.check_environments(name, row.lock, modules_plan.module_locks(conn, refs))
    loaded, locks, refused = modules_plan.sources(conn, cipher, refs, name)
    pins = "\0".join(r.module_version_id for r in refs)
    key = "draft:" + hashlib.sha256((row.code + "\0" + (row.lock or "") + "\0" + pins).encode()).hexdigest()
    step = Step(
        key=key,
        action_name=name,
        code="" if refused else row.code,
        secrets={} if refused else {k: cipher.decrypt(v) for k, v in secret_tokens(conn, row.id).items()},
        handler=handler,
        action_id=row.id,
        modules=loaded,
    )
    return PlannedStep(step, None if refused else row.lock, row.uses_cache, refused, locks)


def version_step(conn: Connection, cipher: Cipher, name: str, number: int, handler: str) -> PlannedStep:
    row = action_row(conn, name)
    return _from_version(conn, cipher, find_version(conn, row, number), name, handler, None)


def flow_steps(conn: Connection, cipher: Cipher, trigger_id: str, handler: str) -> list[PlannedStep]:
    """Every binding of the trigger, in order, each at its action's deployed version."""
    query = (
        select(bindings.c.id.label("binding_id"), actions.c.name, versions)
        .join(actions, actions.c.id == bindings.c.action_id)
        .join(versions, versions.c.id == actions.c.deployed_version_id)
        .where(bindings.c.trigger_id == trigger_id)
        .order_by(bindings.c.position)
    )
    return [_from_version(conn, cipher, row, row.name, handler, row.binding_id) for row in conn.execute(query).all()]


def step_for_version_id(
    conn: Connection, cipher: Cipher, version_id: str, handler: str, binding_id: str | None
) -> PlannedStep:
    row = conn.execute(
        select(actions.c.name, versions)
        .join(actions, actions.c.id == versions.c.action_id)
        .where(versions.c.id == version_id)
    ).first()
    if row is None:
        raise ExecutionError(f"version {version_id} no longer exists (was its action deleted?)")
    return _from_version(conn, cipher, row, row.name, handler, binding_id)


def _from_version(
    conn: Connection,
    cipher: Cipher,
    row: Row,
    name: str,
    handler: str,
    binding_id: str | None,
) -> PlannedStep:
    """A deployed version; one that fails its integrity check keeps none of its stored content
    (code, lock, secrets): nothing of it may be built, decrypted or run."""
    refused = integrity.refusal(conn, cipher, row, name)
    loaded: tuple = ()
    locks: tuple[str, ...] = ()
    if not refused:  # its module pins are vouched for by its MAC: only now are they read
        loaded, locks, refused = modules_plan.sources(conn, cipher, pinned_modules(row.modules), name)
    step = Step(
        key=row.id,
        action_name=name,
        code="" if refused else row.code,
        secrets={} if refused else cipher.decrypt_mapping(row.secrets_ciphertext),
        handler=handler,
        action_id=row.action_id,
        version_id=row.id,
        version_number=row.number,
        binding_id=binding_id,
        modules=loaded,
    )
    return PlannedStep(step, None if refused else row.lock, row.uses_cache, refused, locks)


def secret_values(planned: Sequence[PlannedStep]) -> list[str]:
    """The planned steps' secret values, their modules' included."""
    return [
        value
        for p in planned
        for values in (p.step.secrets, *(m.secrets for m in p.step.modules))
        for value in values.values()
    ]


def redaction_values(conn: Connection, cipher: Cipher, trigger_id: str, planned: Sequence[PlannedStep]) -> list[str]:
    """What every record and view of a run on the trigger redacts: the planned steps' secret
    values and every other value the trigger's actions hold, in their drafts and in every
    stored version, and of every version of the modules they import. ``api.cache`` is shared by the trigger's actions and outlives a rotation,
    so a step can show a value cached by another action, by another version of its own, or
    before its secret was set anew; a version that fails its integrity check is not decrypted."""
    values = secret_values(planned)
    of_trigger = conn.execute(select(actions.c.id, actions.c.name).where(actions.c.trigger_id == trigger_id)).all()
    values += modules_plan.redaction_values(conn, cipher, [action_id for action_id, _ in of_trigger])
    for action_id, name in of_trigger:
        values += [cipher.decrypt(token) for token in secret_tokens(conn, action_id).values()]
        stored = conn.execute(
            select(versions).where(versions.c.action_id == action_id, versions.c.secrets_ciphertext.is_not(None))
        )
        for row in stored:
            if integrity.refusal(conn, cipher, row, name) is None:
                values += cipher.decrypt_mapping(row.secrets_ciphertext).values()
    return values
