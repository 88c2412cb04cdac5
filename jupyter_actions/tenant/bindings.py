"""Flows: the ordered bindings of one trigger, replaced as a whole (Auth0's PATCH bindings)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .._clock import now_iso
from ..errors import ActionNotFound, ConflictError, InvalidInputError, LimitExceeded, Remedy
from ..model import Binding
from ..store.rows import action_model
from ..store.schema import actions, bindings
from ..triggers import get_trigger


def bind(conn: Connection, trigger_id: str, names: Sequence[str], limit: int) -> list[Binding]:
    get_trigger(trigger_id)
    if len(set(names)) != len(names):
        twice = next(n for n in names if list(names).count(n) > 1)
        raise InvalidInputError(f"action {twice} is listed twice: a flow binds each action at most once")
    if len(names) > limit:
        raise LimitExceeded(f"a flow binds at most {limit} actions; {len(names)} were given")
    rows = []
    for name in names:
        row = conn.execute(select(actions).where(actions.c.name == name)).first()
        if row is None:
            raise ActionNotFound(f"That action does not exist: {name!r}", remedy=Remedy("list actions", "actions list"))
        if row.trigger_id != trigger_id:
            raise ConflictError(f"action {name} is for trigger {row.trigger_id}, not {trigger_id}")
        if row.deployed_version_id is None:
            raise ConflictError(
                f"action {name} has no deployed version", remedy=Remedy("deploy it first", "deploy", (name,))
            )
        rows.append(row)
    existing = {b.action_id: b for b in conn.execute(select(bindings).where(bindings.c.trigger_id == trigger_id))}
    now = now_iso()
    conn.execute(bindings.delete().where(bindings.c.trigger_id == trigger_id))
    if rows:
        conn.execute(
            bindings.insert(),
            [
                {
                    "id": existing[r.id].id if r.id in existing else str(uuid.uuid4()),
                    "trigger_id": trigger_id,
                    "action_id": r.id,
                    "position": i,
                    "display_name": r.name,
                    "created_at": existing[r.id].created_at if r.id in existing else now,
                    "updated_at": now,
                }
                for i, r in enumerate(rows)
            ],
        )
    return flow(conn, trigger_id)


def flow(conn: Connection, trigger_id: str) -> list[Binding]:
    get_trigger(trigger_id)
    query = select(bindings).where(bindings.c.trigger_id == trigger_id).order_by(bindings.c.position)
    result = []
    for row in conn.execute(query).all():
        action_row = conn.execute(select(actions).where(actions.c.id == row.action_id)).one()
        result.append(
            Binding(
                id=row.id,
                trigger_id=trigger_id,
                position=row.position,
                display_name=row.display_name,
                action=action_model(conn, action_row),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )
    return result


def bound_triggers(conn: Connection, action_id: str) -> list[str]:
    return list(conn.execute(select(bindings.c.trigger_id).where(bindings.c.action_id == action_id)).scalars())


def unbind_action(conn: Connection, action_id: str) -> None:
    """Remove an action from every flow, keeping the remaining bindings' order."""
    for trigger_id in bound_triggers(conn, action_id):
        conn.execute(bindings.delete().where(bindings.c.action_id == action_id))
        remaining = (
            conn.execute(select(bindings.c.id).where(bindings.c.trigger_id == trigger_id).order_by(bindings.c.position))
            .scalars()
            .all()
        )
        for position, binding_id in enumerate(remaining):
            conn.execute(bindings.update().where(bindings.c.id == binding_id).values(position=position))
