"""An action made from a template brings the template's test cases and the modules it
imports (docs/templates.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .. import deps
from ..errors import ConflictError, InvalidInputError
from ..model import Dependency, SecretInfo
from ..store.schema import actions
from ..templates import Template, TemplateModule, get_template
from . import modules, secret_store, test_cases


def template_for(template_id: str, trigger: str) -> Template:
    """The template a draft is made from; it must be for the draft's trigger."""
    template = get_template(template_id)
    if template.trigger != trigger:
        raise InvalidInputError(
            f"template {template_id} is for trigger {template.trigger}, not {trigger}: "
            f"make the action for {template.trigger}"
        )
    return template


def exists(conn: Connection, name: str) -> bool:
    return conn.execute(select(actions.c.id).where(actions.c.name == name)).first() is not None


def refuse_taken(conn: Connection, name: str) -> None:
    if exists(conn, name):
        raise ConflictError(
            f"an action named {name} exists already: give the action made from the template "
            "another name, or delete the existing one first"
        )


def save_cases(conn: Connection, template: Template, action_id: str) -> None:
    """Save the template's cases that an action can run alone as the action's test cases."""
    for case in template.action_cases():
        test_cases.save(conn, "action", action_id, case.name, template.payload(case), case.expected())


@dataclasses.dataclass(frozen=True)
class ModuleStep:
    """What making an action from a template does with one of the template's modules: pin
    version ``reuse`` of an identical module, else save the template's module with ``values``
    set and deploy it."""

    module: TemplateModule
    reuse: int | None
    values: Mapping[str, str]


def module_steps(conn: Connection, template: Template, given: Mapping[str, Mapping[str, str]]) -> list[ModuleStep]:
    """The step for each of the template's modules (docs/templates.md); refuses, before anything
    is written, a module of the same name with other code, and secret values that are missing
    (for a module it deploys), unknown or not wanted (for a module it reuses)."""
    if not isinstance(given, Mapping):
        raise InvalidInputError("module secret values must map each module name to its secret values")
    names = [m.name for m in template.modules]
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise InvalidInputError(
            f"template {template.id} has no module {unknown[0]}: its modules are {', '.join(names) or 'none'}"
        )
    return [
        _step(conn, template.id, module, secret_store.check_values(given.get(module.name, {})))
        for module in template.modules
    ]


def _step(conn: Connection, template_id: str, module: TemplateModule, values: dict[str, str]) -> ModuleStep:
    where = f"module {module.name} of template {template_id}"
    stray = sorted(set(values) - set(module.secrets))
    if stray:
        raise InvalidInputError(
            f"{where} has no secret {stray[0]}: its secrets are {', '.join(module.secrets) or 'none'}"
        )
    row, _ = modules.build_state(conn, module.name)
    existing = modules.module_model(conn, row) if row is not None else None
    latest = existing.latest_version if existing is not None else None
    if latest is not None:
        if not _same(latest.code, latest.dependencies, latest.secrets, module):
            raise _other_code(where, module.name, f"version {latest.number}")
        if values:
            raise InvalidInputError(
                f"{where} exists already (version {latest.number}) with its own secret values: drop the values, "
                f"or change them with `jupyter-actions modules secrets set {module.name} NAME` and deploy the module"
            )
        return ModuleStep(module, latest.number, {})
    if existing is not None and not _same(existing.code, existing.dependencies, existing.secrets, module):
        raise _other_code(where, module.name, "draft")
    already = {s.name for s in existing.secrets if s.is_set} if existing is not None else set()
    missing = [s for s in module.secrets if s not in values and s not in already]
    if missing:
        raise InvalidInputError(
            f"{where} needs a value for its secret {missing[0]} before it is deployed: give it in module_secrets "
            f"(CLI: --module-secret-from-env {module.name}.{missing[0]}=VAR)"
        )
    return ModuleStep(module, None, values)


def _same(code: str, dependencies: Sequence[Dependency], secrets: Sequence[SecretInfo], module: TemplateModule) -> bool:
    """Whether a stored module (draft or version) is the template's: its code, its secret
    names, and its dependencies (by name, and version where the template pins one)."""
    pinned = {d.name: d.version for d in dependencies}
    wanted = [deps.parse_requirement(text) for text in module.dependencies]
    return (
        code == module.code
        and {s.name for s in secrets} == set(module.secrets)
        and set(pinned) == {r.name for r in wanted}
        and all(r.version in (None, pinned[r.name]) for r in wanted)
    )


def _other_code(where: str, name: str, which: str) -> ConflictError:
    return ConflictError(
        f"{where}: a module named {name} exists already with other code, secrets or dependencies (its {which}): "
        f"deploy the template's module as a new version of {name} (`templates show TEMPLATE --json` has it), "
        "or import the existing module from an action of your own"
    )
