"""Reading stored rows back as model objects."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from ..errors import ActionNotFound, MissingSecretValues, Remedy, VersionNotFound
from ..model import Action, ActionVersion, BuildState, Dependency, ModuleRef, SecretInfo
from .schema import action_modules, actions, dependencies, module_versions, modules, secrets, versions

MAX_NUMBER = 2**31 - 1
"""The largest version number (and count) a user may give: INTEGER columns hold 32 bits on
PostgreSQL, and SQLite's driver refuses integers beyond 64 bits."""


def action_row_by_id(conn: Connection, action_id: str) -> Row:
    """The action with this id (Auth0's Management API names actions by id)."""
    row = conn.execute(select(actions).where(actions.c.id == action_id)).first()
    if row is None:
        raise ActionNotFound(f"The action does not exist: no action has the id {action_id!r}")
    return row


def action_row(conn: Connection, name: str, *, for_update: bool = False) -> Row:
    query = select(actions).where(actions.c.name == name)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise ActionNotFound(f"action {name!r} does not exist", remedy=Remedy("list actions", "actions list"))
    return row


def draft_dependencies(conn: Connection, action_id: str) -> tuple[Dependency, ...]:
    rows = conn.execute(
        select(dependencies.c.name, dependencies.c.version)
        .where(dependencies.c.action_id == action_id)
        .order_by(dependencies.c.position)
    )
    return tuple(Dependency(name, version) for name, version in rows)


def secret_infos(conn: Connection, action_id: str) -> tuple[SecretInfo, ...]:
    rows = conn.execute(
        select(secrets.c.name, secrets.c.updated_at, secrets.c.ciphertext)
        .where(secrets.c.action_id == action_id)
        .order_by(secrets.c.name)
    )
    return tuple(SecretInfo(name, updated, ciphertext is not None) for name, updated, ciphertext in rows)


def secret_tokens(conn: Connection, action_id: str) -> dict[str, str]:
    """Ciphertexts of the draft's secrets that have a value."""
    rows = conn.execute(select(secrets.c.name, secrets.c.ciphertext).where(secrets.c.action_id == action_id))
    return {name: token for name, token in rows if token is not None}


def version_model(row: Row, action_name: str, deployed_id: str | None) -> ActionVersion:
    return ActionVersion(
        id=row.id,
        action_id=row.action_id,
        action_name=action_name,
        number=row.number,
        code=row.code,
        trigger_id=row.trigger_id,
        trigger_version=row.trigger_version,
        runtime=row.runtime,
        dependencies=tuple(Dependency(**d) for d in json.loads(row.dependencies)),
        secrets=tuple(SecretInfo(s["name"], s["updated_at"]) for s in json.loads(row.secret_names)),
        deployed=row.id == deployed_id,
        message=row.message,
        build=BuildState(row.build_status, row.build_error, row.built_at),
        created_at=row.created_at,
        lock=row.lock,
        modules=pinned_modules(row._mapping.get("modules")),
    )


def pinned_modules(text: str | None) -> tuple[ModuleRef, ...]:
    """A version's module pins, from its ``modules`` column (NULL: none)."""
    return tuple(ModuleRef(**ref) for ref in json.loads(text)) if text else ()


def _draft_modules_query():  # noqa: ANN202
    return (
        select(
            action_modules.c.action_id,
            modules.c.id,
            modules.c.name,
            module_versions.c.id.label("version_id"),
            module_versions.c.number,
        )
        .join(modules, modules.c.id == action_modules.c.module_id)
        .join(module_versions, module_versions.c.id == action_modules.c.module_version_id)
        .order_by(action_modules.c.action_id, action_modules.c.position)
    )


def draft_modules(conn: Connection, action_id: str) -> tuple[ModuleRef, ...]:
    """The modules an action's draft imports, each at the version it is pinned to."""
    rows = conn.execute(_draft_modules_query().where(action_modules.c.action_id == action_id))
    return tuple(ModuleRef(r.id, r.name, r.version_id, r.number) for r in rows)


def find_version(conn: Connection, action: Row, number: int) -> Row:
    """The action's version ``number``; a number no version can have is not found either."""
    if not 1 <= number <= MAX_NUMBER:
        raise VersionNotFound(
            f"action {action.name} has no version {number}: version numbers run from 1 to {MAX_NUMBER}",
            remedy=Remedy("list them", "versions", (action.name,)),
        )
    return version_row(conn, action, number)


def version_row(conn: Connection, action: Row, number: int) -> Row:
    row = conn.execute(select(versions).where(versions.c.action_id == action.id, versions.c.number == number)).first()
    if row is None:
        raise VersionNotFound(
            f"action {action.name} has no version {number}", remedy=Remedy("list them", "versions", (action.name,))
        )
    return row


def action_model(conn: Connection, row: Row) -> Action:
    deployed = None
    if row.deployed_version_id:
        vrow = conn.execute(select(versions).where(versions.c.id == row.deployed_version_id)).first()
        deployed = version_model(vrow, row.name, row.deployed_version_id) if vrow else None
    return _action(
        row, draft_dependencies(conn, row.id), secret_infos(conn, row.id), deployed, draft_modules(conn, row.id)
    )


def all_actions(conn: Connection, trigger_id: str | None = None) -> list[Action]:
    """Every action (of one trigger), by name: four queries however many actions there are
    (a query per action and per part took 0.7 s for 500, what the Lab's sidebar lists)."""
    query = select(actions).order_by(actions.c.name)
    deps_query = select(dependencies.c.action_id, dependencies.c.name, dependencies.c.version).order_by(
        dependencies.c.action_id, dependencies.c.position
    )
    secrets_query = select(secrets.c.action_id, secrets.c.name, secrets.c.updated_at, secrets.c.ciphertext).order_by(
        secrets.c.action_id, secrets.c.name
    )
    versions_query = select(versions).join(actions, actions.c.deployed_version_id == versions.c.id)
    if trigger_id:
        query = query.where(actions.c.trigger_id == trigger_id)
        of_trigger = select(actions.c.id).where(actions.c.trigger_id == trigger_id)
        deps_query = deps_query.where(dependencies.c.action_id.in_(of_trigger))
        secrets_query = secrets_query.where(secrets.c.action_id.in_(of_trigger))
        versions_query = versions_query.where(actions.c.trigger_id == trigger_id)
    deps: dict[str, list[Dependency]] = {}
    for action_id, name, version in conn.execute(deps_query):
        deps.setdefault(action_id, []).append(Dependency(name, version))
    infos: dict[str, list[SecretInfo]] = {}
    for action_id, name, updated, ciphertext in conn.execute(secrets_query):
        infos.setdefault(action_id, []).append(SecretInfo(name, updated, ciphertext is not None))
    deployed_rows = {vrow.id: vrow for vrow in conn.execute(versions_query)}
    used: dict[str, list[ModuleRef]] = {}
    for r in conn.execute(_draft_modules_query()):
        used.setdefault(r.action_id, []).append(ModuleRef(r.id, r.name, r.version_id, r.number))
    listed = []
    for row in conn.execute(query).all():
        vrow = deployed_rows.get(row.deployed_version_id)
        deployed = version_model(vrow, row.name, row.deployed_version_id) if vrow is not None else None
        refs = tuple(used.get(row.id, ()))
        listed.append(_action(row, tuple(deps.get(row.id, ())), tuple(infos.get(row.id, ())), deployed, refs))
    return listed


def _action(
    row: Row,
    deps: tuple[Dependency, ...],
    infos: tuple[SecretInfo, ...],
    deployed: ActionVersion | None,
    refs: tuple[ModuleRef, ...],
) -> Action:
    return Action(
        id=row.id,
        name=row.name,
        trigger_id=row.trigger_id,
        trigger_version=row.trigger_version,
        runtime=row.runtime,
        code=row.code,
        dependencies=deps,
        secrets=infos,
        build=BuildState(row.build_status, row.build_error, row.built_at),
        created_at=row.created_at,
        updated_at=row.updated_at,
        deployed_version=deployed,
        all_changes_deployed=deployed is not None
        and _same_draft(row, deps, infos, deployed)
        and refs == deployed.modules,
        lock=row.lock,
        modules=refs,
    )


def _same_draft(row: Row, deps: tuple[Dependency, ...], infos: tuple[SecretInfo, ...], deployed: ActionVersion) -> bool:
    """Whether the draft matches the deployed version (secret values compared by updated_at)."""
    deployed_secrets = {(s.name, s.updated_at) for s in deployed.secrets}
    return (
        row.code == deployed.code
        and deps == deployed.dependencies
        and {(s.name, s.updated_at) for s in infos} == deployed_secrets
    )


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def require_values(conn: Connection, action: Row, doing: str) -> None:
    """Refuse, before anything runs or is deployed, a draft that declares a secret without a
    value (its code would read None). ``doing`` ends the message: ``testing``, ``deploying``."""
    missing = (
        conn.execute(
            select(secrets.c.name)
            .where(secrets.c.action_id == action.id, secrets.c.ciphertext.is_(None))
            .order_by(secrets.c.name)
        )
        .scalars()
        .all()
    )
    if missing:
        raise MissingSecretValues(action.name, missing, doing)
