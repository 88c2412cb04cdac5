"""Frozen value objects; ``to_json()`` mirrors the Auth0 Management API shapes.

Auth0 shapes (reference 8.3 and 9.2): Action, ActionVersion, ActionBinding, execution. Where
we add fields (a version's ``message``, a binding's ``version`` it will run) they are extra keys;
no Auth0 key changes meaning. Secret values never appear in any of these objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import InvalidInputError
from .outcome import ExecutionStatus, Outcome, StepResult

RUNTIME = "python3.11"
DRAFT = "draft"


def version_ref(text: str) -> int | str:
    """A reference to one state of an action: ``"draft"``, or a version number written ``2`` or
    ``v2``. The one parser of it, for every front end."""
    if text == DRAFT:
        return DRAFT
    number = text.removeprefix("v")
    if not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise InvalidInputError(f"{text!r} is not a version: give a number such as 2, or 'draft'")
    return int(number)


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}

    def __str__(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True)
class SecretInfo:
    """A secret's name and when it was last set; ``is_set`` is False for a declared name."""

    name: str
    updated_at: str
    is_set: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "updated_at": self.updated_at, "is_set": self.is_set}


@dataclass(frozen=True)
class BuildState:
    status: str  # pending | building | built | failed
    error: str | None = None
    built_at: str | None = None


@dataclass(frozen=True)
class ModuleRef:
    """One module an action imports, pinned to one of its versions (Auth0's
    ``ActionModuleReference``)."""

    module_id: str
    module_name: str
    module_version_id: str
    module_version_number: int

    def to_json(self) -> dict[str, Any]:
        return {
            "module_id": self.module_id,
            "module_name": self.module_name,
            "module_version_id": self.module_version_id,
            "module_version_number": self.module_version_number,
        }

    def __str__(self) -> str:
        return f"{self.module_name}@{self.module_version_number}"


@dataclass(frozen=True)
class ModuleVersion:
    """An immutable, numbered version of an Actions Module (Auth0's ``ActionModuleVersion``)."""

    id: str
    module_id: str
    module_name: str
    number: int
    code: str
    dependencies: tuple[Dependency, ...]
    secrets: tuple[SecretInfo, ...]
    message: str | None
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "module_id": self.module_id,
            "version_number": self.number,
            "code": self.code,
            "secrets": [{"name": s.name, "updated_at": s.updated_at} for s in self.secrets],
            "dependencies": [d.to_json() for d in self.dependencies],
            "created_at": self.created_at,
            "message": self.message,
        }


@dataclass(frozen=True)
class Module:
    """An Actions Module with its draft (code, dependency pins, secret names)."""

    id: str
    name: str
    code: str
    dependencies: tuple[Dependency, ...]
    secrets: tuple[SecretInfo, ...]
    build: BuildState
    created_at: str
    updated_at: str
    latest_version: ModuleVersion | None = None
    actions_using_module_total: int = 0

    @property
    def all_changes_published(self) -> bool:
        latest = self.latest_version
        return (
            latest is not None
            and latest.code == self.code
            and latest.dependencies == self.dependencies
            and {s.name: s.updated_at for s in latest.secrets}
            == {s.name: s.updated_at for s in self.secrets if s.is_set}
            and all(s.is_set for s in self.secrets)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "code": self.code,
            "dependencies": [d.to_json() for d in self.dependencies],
            "secrets": [s.to_json() for s in self.secrets],
            "actions_using_module_total": self.actions_using_module_total,
            "all_changes_published": self.all_changes_published,
            "latest_version_number": self.latest_version.number if self.latest_version else None,
            "status": self.build.status,
            "errors": _build_errors(self.build),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class ActionVersion:
    id: str
    action_id: str
    action_name: str
    number: int
    code: str
    trigger_id: str
    trigger_version: str
    runtime: str
    dependencies: tuple[Dependency, ...]
    secrets: tuple[SecretInfo, ...]
    deployed: bool
    message: str | None
    build: BuildState
    created_at: str
    lock: str | None = None
    modules: tuple[ModuleRef, ...] = ()

    def to_json(self) -> dict[str, Any]:
        triggers = [{"id": self.trigger_id, "version": self.trigger_version}]
        return {
            "id": self.id,
            "action_id": self.action_id,
            "number": self.number,
            "deployed": self.deployed,
            "code": self.code,
            "dependencies": [d.to_json() for d in self.dependencies],
            "runtime": self.runtime,
            "secrets": [{"name": s.name, "updated_at": s.updated_at} for s in self.secrets],
            "status": self.build.status,
            "errors": _build_errors(self.build),
            "built_at": self.build.built_at,
            "created_at": self.created_at,
            "updated_at": self.build.built_at or self.created_at,
            "supported_triggers": triggers,
            "action": {"id": self.action_id, "name": self.action_name, "supported_triggers": triggers},
            "modules": [m.to_json() for m in self.modules],
            "message": self.message,
        }


@dataclass(frozen=True)
class Action:
    """An action with its draft (Auth0 keeps the draft on the action itself)."""

    id: str
    name: str
    trigger_id: str
    trigger_version: str
    runtime: str
    code: str
    dependencies: tuple[Dependency, ...]
    secrets: tuple[SecretInfo, ...]
    build: BuildState
    created_at: str
    updated_at: str
    deployed_version: ActionVersion | None = None
    all_changes_deployed: bool = False
    lock: str | None = None
    modules: tuple[ModuleRef, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "supported_triggers": [{"id": self.trigger_id, "version": self.trigger_version}],
            "all_changes_deployed": self.all_changes_deployed,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "built_at": self.build.built_at,
            "code": self.code,
            "dependencies": [d.to_json() for d in self.dependencies],
            "runtime": self.runtime,
            "secrets": [s.to_json() for s in self.secrets],
            "status": self.build.status,
            "errors": _build_errors(self.build),
            "deployed_version": self.deployed_version.to_json() if self.deployed_version else None,
            "modules": [m.to_json() for m in self.modules],
        }


@dataclass(frozen=True)
class Binding:
    id: str
    trigger_id: str
    position: int
    display_name: str
    action: Action
    created_at: str
    updated_at: str

    @property
    def version_number(self) -> int | None:
        """The version this binding runs now (bindings follow the deployed version)."""
        deployed = self.action.deployed_version
        return deployed.number if deployed else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trigger_id": self.trigger_id,
            "display_name": self.display_name,
            "action": self.action.to_json(),
            "version": self.version_number,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class DeployResult:
    """What a deploy did: ``created`` is False when the draft equalled the deployed version."""

    version: ActionVersion
    created: bool


@dataclass(frozen=True)
class Execution:
    """A recorded flow or test execution (reference 9.2, plus outcome and input event)."""

    id: str
    trigger_id: str
    kind: str
    status: ExecutionStatus
    outcome: Outcome  # the application applies it (docs/outcome.md)
    results: tuple[StepResult, ...]  # one per action that ran
    event: dict[str, Any]
    duration_ms: float
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trigger_id": self.trigger_id,
            "status": self.status,
            "kind": self.kind,
            "results": list(self.results),
            "outcome": self.outcome,
            "event": self.event,
            "duration_ms": self.duration_ms,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _build_errors(build: BuildState) -> list[dict[str, str]]:
    if build.status != "failed" or not build.error:
        return []
    return [{"id": "build_failed", "msg": build.error, "url": ""}]
