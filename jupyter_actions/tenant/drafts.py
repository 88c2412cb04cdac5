"""Save Draft: create or update an action's draft (code, trigger, dependency pins, secret names)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from .._clock import now_iso
from .._code_flags import may_use_cache
from ..cipher import check_name
from ..errors import ConflictError, InvalidInputError, LimitExceeded, Remedy
from ..model import RUNTIME, Dependency
from ..store.rows import action_row, draft_dependencies
from ..store.schema import actions, dependencies, secrets, test_cases
from ..triggers import get_trigger
from . import bindings
from .codecheck import check_action_name, check_code
from .dependencies import Prepared


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
    prepared: Prepared | None,
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
                id=action_id,
                name=name,
                trigger_id=trigger_id,
                trigger_version=trigger_version,
                runtime=RUNTIME,
                code=code,
                lock=None,
                build_status="built",
                built_at=now,
                created_at=now,
                updated_at=now,
                uses_cache=may_use_cache(code),
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
            conn.execute(
                actions.update()
                .where(actions.c.id == action_id)
                .values(
                    code=code,
                    updated_at=now,
                    uses_cache=may_use_cache(code),
                )
            )
    if prepared is not None:
        changed |= store_dependencies(conn, action_id, prepared, now)
    changed |= declare_secrets(conn, action_id, secret_names, max_secrets, now)
    return changed


def store_dependencies(conn: Connection, action_id: str, prepared: Prepared, now: str) -> bool:
    """Write pins, lock and build status unless they are what is stored already."""
    row = conn.execute(select(actions.c.lock, actions.c.build_status).where(actions.c.id == action_id)).one()
    if (
        prepared.pins == draft_dependencies(conn, action_id)
        and prepared.lock == row.lock
        and prepared.status == row.build_status
    ):
        return False
    conn.execute(dependencies.delete().where(dependencies.c.action_id == action_id))
    if prepared.pins:
        conn.execute(
            dependencies.insert(),
            [
                {"action_id": action_id, "name": p.name, "version": p.version, "position": i}
                for i, p in enumerate(prepared.pins)
            ],
        )
    conn.execute(
        actions.update()
        .where(actions.c.id == action_id)
        .values(
            lock=prepared.lock,
            updated_at=now,
            build_status=prepared.status,
            build_error=prepared.reason,
            built_at=now if prepared.status == "built" else None,
        )
    )
    return True


def declare_secrets(conn: Connection, action_id: str, names: Sequence[str], limit: int, now: str) -> bool:
    existing = set(conn.execute(select(secrets.c.name).where(secrets.c.action_id == action_id)).scalars())
    new = [n for n in dict.fromkeys(names) if n not in existing]
    if not new:
        return False
    if len(existing) + len(new) > limit:
        raise LimitExceeded(f"an action can have at most {limit} secrets; this would make {len(existing) + len(new)}")
    conn.execute(
        secrets.insert(), [{"action_id": action_id, "name": n, "ciphertext": None, "updated_at": now} for n in new]
    )
    return True


def build_state(conn: Connection, name: str) -> tuple[Row | None, tuple[Dependency, ...]]:
    """The draft's id, lock and build status (None for an action not saved yet) and its pins."""
    row = conn.execute(
        select(actions.c.id, actions.c.lock, actions.c.build_status).where(actions.c.name == name)
    ).first()
    return row, draft_dependencies(conn, row.id) if row else ()


def delete_action(conn: Connection, name: str, force: bool) -> None:
    """Delete an action with its versions, secrets and test cases; one bound to a flow only
    with ``force`` (it leaves the flow)."""
    row = action_row(conn, name)
    bound = bindings.bound_triggers(conn, row.id)
    if bound and not force:
        raise ConflictError(
            f"action {name} is bound to the {', '.join(bound)} flow: remove it from the flow first, or "
            f"delete with force (which removes it from the flow too)",
            remedy=Remedy("delete it and its bindings", "actions delete", (name, "--force")),
        )
    bindings.unbind_action(conn, row.id)
    conn.execute(test_cases.delete().where(test_cases.c.scope == "action", test_cases.c.target == row.id))
    conn.execute(actions.delete().where(actions.c.id == row.id))
