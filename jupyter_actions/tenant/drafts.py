"""Save Draft: create or update an action's draft (code, trigger, dependency pins, secret names)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .._clock import now_iso
from ..errors import ConflictError, InvalidInputError, LimitExceeded
from ..model import RUNTIME, Dependency
from ..secrets import check_name
from ..store.schema import actions, dependencies, secrets
from ..triggers import get_trigger
from .codecheck import check_action_name, check_code
from ..store.rows import draft_dependencies


def validate(name: str, trigger_id: str, code: str) -> str:
    """Check everything about a draft that needs no database; returns the trigger version."""
    check_action_name(name)
    trigger = get_trigger(trigger_id)
    if not isinstance(code, str):
        raise InvalidInputError("the action code must be text")
    check_code(name, code, trigger.handler)
    return trigger.version


def save(
    conn: Connection,
    name: str,
    trigger_id: str,
    code: str,
    pins: Sequence[Dependency] | None,
    lock: str | None,
    secret_names: Sequence[str],
    max_secrets: int,
) -> bool:
    """Create or update the draft; returns whether anything changed."""
    trigger_version = validate(name, trigger_id, code)
    for secret in secret_names:
        check_name(secret)
    now = now_iso()
    row = conn.execute(select(actions).where(actions.c.name == name)).first()
    if row is None:
        action_id = str(uuid.uuid4())
        conn.execute(
            actions.insert().values(
                id=action_id, name=name, trigger_id=trigger_id, trigger_version=trigger_version,
                runtime=RUNTIME, code=code, lock=lock, build_status="built" if not pins else "pending",
                built_at=now if not pins else None, created_at=now, updated_at=now,
            )
        )
        changed = True
    else:
        action_id = row.id
        if row.trigger_id != trigger_id:
            raise ConflictError(
                f"action {name} is for trigger {row.trigger_id}, not {trigger_id}: an action targets one "
                "trigger; create a new action under another name"
            )
        changed = row.code != code
        if changed:
            conn.execute(actions.update().where(actions.c.id == action_id).values(code=code, updated_at=now))
    if pins is not None and tuple(pins) != draft_dependencies(conn, action_id):
        replace_dependencies(conn, action_id, pins, lock, now)
        changed = True
    changed |= declare_secrets(conn, action_id, secret_names, max_secrets, now)
    return changed


def replace_dependencies(conn: Connection, action_id: str, pins: Sequence[Dependency], lock: str | None, now: str) -> None:
    conn.execute(dependencies.delete().where(dependencies.c.action_id == action_id))
    if pins:
        conn.execute(
            dependencies.insert(),
            [{"action_id": action_id, "name": p.name, "version": p.version, "position": i} for i, p in enumerate(pins)],
        )
    conn.execute(
        actions.update()
        .where(actions.c.id == action_id)
        .values(
            lock=lock, updated_at=now,
            build_status="pending" if pins else "built", build_error=None, built_at=None if pins else now,
        )
    )


def declare_secrets(conn: Connection, action_id: str, names: Sequence[str], limit: int, now: str) -> bool:
    existing = set(conn.execute(select(secrets.c.name).where(secrets.c.action_id == action_id)).scalars())
    new = [n for n in dict.fromkeys(names) if n not in existing]
    if not new:
        return False
    if len(existing) + len(new) > limit:
        raise LimitExceeded(f"an action can have at most {limit} secrets; this would make {len(existing) + len(new)}")
    conn.execute(secrets.insert(), [{"action_id": action_id, "name": n, "ciphertext": None, "updated_at": now} for n in new])
    return True
