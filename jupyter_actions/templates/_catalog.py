"""Loading the gallery: ``gallery/<id>/code.py`` plus ``gallery/<id>/manifest.toml``.

docs/templates.md describes the manifest. A test case is "payload changes plus expected
outcome": ``payload`` is merged into the trigger's sample payload (tables merge key by key,
anything else replaces); ``expect.outcome`` must be a subset of the execution's outcome, the
keys in ``expect.unset`` must be empty in it (TOML has no null; ``a.b`` names a nested key),
``expect.requests`` are subsets of the JSON bodies the local HTTP provider received, and
``expect.logs`` is part of the action's logs.

A template may need Actions Modules (docs/modules.md): ``modules/<name>.py`` in its folder plus
a ``[modules.<name>]`` table naming the module's secrets, dependencies and test secret values.
Making an action from the template creates (or reuses) and deploys each, and pins it.

A case that runs once against the provider's usual answer and states the whole outcome (not
``partial``) also becomes a saved test case of an action made from the template
(``Tenant.create_from_template``); the gallery's tests hold it to the saved cases' exact
comparison, so the two cannot drift apart.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ..errors import InvalidInputError, NotFoundError
from ..module_imports import check_module_name, imported_modules


@dataclasses.dataclass(frozen=True)
class TemplateCase:
    """One test case of a template."""

    name: str
    payload: Mapping[str, Any]
    expect_outcome: Mapping[str, Any]
    expect_unset: tuple[str, ...] = ()
    expect_requests: tuple[Mapping[str, Any], ...] | None = None
    expect_logs: str | None = None
    provider_status: int = 200
    provider_body: str = "ok"
    runs: int = 1
    partial: bool = False

    @property
    def for_actions(self) -> bool:
        """Whether an action made from the template gets this case as a saved test case: one
        run, the provider's usual answer (the user's own service answers there), the whole
        outcome stated (a saved case compares it exactly)."""
        return self.runs == 1 and (self.provider_status, self.provider_body) == (200, "ok") and not self.partial

    def expected(self) -> dict[str, Any]:
        """The expectation as a saved test case states it: ``expect.outcome``, with each nested
        ``unset`` key as null (a top-level one is left out, as a saved case leaves out what did
        not change)."""
        expected = copy.deepcopy(dict(self.expect_outcome))
        for path in self.expect_unset:
            *parents, leaf = path.split(".")
            if parents:
                functools.reduce(dict.__getitem__, parents, expected)[leaf] = None
        return expected


@dataclasses.dataclass(frozen=True)
class TemplateModule:
    """An Actions Module that a template's action imports: its code and what it declares."""

    name: str
    code: str
    secrets: tuple[str, ...]
    dependencies: tuple[str, ...]
    test_secrets: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "secrets": list(self.secrets),
            "dependencies": list(self.dependencies),
        }


@dataclasses.dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    trigger: str
    code: str
    secrets: tuple[str, ...]
    dependencies: tuple[str, ...]
    test_secrets: Mapping[str, str]
    cases: tuple[TemplateCase, ...]
    modules: tuple[TemplateModule, ...] = ()

    def action_cases(self) -> tuple[TemplateCase, ...]:
        """The cases an action made from this template brings as saved test cases."""
        return tuple(case for case in self.cases if case.for_actions)

    def payload(self, case: TemplateCase) -> dict[str, Any]:
        """The trigger's sample payload with the case's changes merged in."""
        from ..triggers import get_trigger

        return get_trigger(self.trigger).test_payload(case.payload)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "trigger": self.trigger,
            "secrets": list(self.secrets),
            "dependencies": list(self.dependencies),
            "code": self.code,
            "cases": [{**dataclasses.asdict(case), "for_actions": case.for_actions} for case in self.cases],
            "modules": [module.to_json() for module in self.modules],
        }


def list_templates() -> list[Template]:
    """Every template, sorted by id."""
    return [get_template(name) for name in _template_ids()]


def get_template(template_id: str) -> Template:
    if template_id not in _template_ids():
        raise NotFoundError(
            f"unknown template {template_id!r}: `jupyter-actions templates list` shows the {len(_template_ids())} templates"
        )
    return _load(template_id)


@functools.cache
def _template_ids() -> tuple[str, ...]:
    return tuple(
        sorted(entry.name for entry in _gallery().iterdir() if entry.is_dir() and not entry.name.startswith(("_", ".")))
    )


@functools.cache
def _load(template_id: str) -> Template:
    return load_template(_gallery() / template_id, template_id)


def load_template(folder: Any, template_id: str) -> Template:
    """The template in ``folder`` (a path or Traversable); a manifest that is malformed, or
    whose modules do not match the ``modules/`` files and the action's imports, is an
    InvalidInputError of one line that names the template."""
    try:
        manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"template {template_id}: manifest.toml is not valid TOML ({exc})") from None
    missing = [key for key in ("title", "description", "trigger", "cases") if key not in manifest]
    if missing:
        raise InvalidInputError(f"template {template_id}: manifest.toml lacks {', '.join(missing)}: add it")
    code = (folder / "code.py").read_text(encoding="utf-8")
    found = _modules(folder, template_id, manifest.get("modules", {}))
    imported = imported_modules(code, f"<template {template_id}>")
    undeclared = sorted(imported - {module.name for module in found})
    if undeclared:
        raise InvalidInputError(
            f"template {template_id}: code.py imports module {undeclared[0]} that manifest.toml does not declare: "
            f"add [modules.{undeclared[0]}] and modules/{undeclared[0]}.py"
        )
    return Template(
        id=template_id,
        title=manifest["title"],
        description=" ".join(manifest["description"].split()),
        trigger=manifest["trigger"],
        code=code,
        secrets=tuple(manifest.get("secrets", ())),
        dependencies=tuple(manifest.get("dependencies", ())),
        test_secrets=dict(manifest.get("test_secrets", {})),
        cases=tuple(_case(raw) for raw in manifest["cases"]),
        modules=found,
    )


_MODULE_KEYS = ("secrets", "dependencies", "test_secrets")


def _modules(folder: Any, template_id: str, declared: object) -> tuple[TemplateModule, ...]:
    """The ``[modules.<name>]`` tables, each with its ``modules/<name>.py``."""
    where = f"template {template_id}"
    if not isinstance(declared, Mapping) or not all(isinstance(v, Mapping) for v in declared.values()):
        raise InvalidInputError(f"{where}: modules must be one table per module, such as [modules.logger]")
    for name in declared:
        try:
            check_module_name(name)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{where}: {exc}") from None
    directory = folder / "modules"
    files = {entry.name for entry in directory.iterdir()} if directory.is_dir() else set()
    stray = sorted(f for f in files if f.endswith(".py") and f[:-3] not in declared)
    if stray:
        raise InvalidInputError(
            f"{where}: modules/{stray[0]} is not declared: add [modules.{stray[0][:-3]}] to manifest.toml or remove the file"
        )
    found = []
    for name, table in declared.items():
        what = f"{where}: module {name}"
        unknown = sorted(set(table) - set(_MODULE_KEYS))
        if unknown:
            raise InvalidInputError(f"{what} has unknown key {unknown[0]!r}: use {', '.join(_MODULE_KEYS)}")
        if f"{name}.py" not in files:
            raise InvalidInputError(f"{what} has no code: put it in modules/{name}.py")
        secrets = _strings(table.get("secrets", []), f"{what}: secrets")
        test_secrets = table.get("test_secrets", {})
        if not isinstance(test_secrets, Mapping) or set(test_secrets) != set(secrets):
            raise InvalidInputError(
                f"{what}: test_secrets must give a value to each of its secrets ({', '.join(secrets) or 'none'})"
            )
        found.append(
            TemplateModule(
                name=name,
                code=(directory / f"{name}.py").read_text(encoding="utf-8"),
                secrets=secrets,
                dependencies=_strings(table.get("dependencies", []), f"{what}: dependencies"),
                test_secrets=_strings_by_name(test_secrets, f"{what}: test_secrets"),
            )
        )
    return tuple(found)


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInputError(f'{what} must be a list of strings, such as ["API_KEY"]')
    return tuple(value)


def _strings_by_name(value: Mapping[str, object], what: str) -> dict[str, str]:
    wrong = sorted(name for name, item in value.items() if not isinstance(item, str))
    if wrong:
        raise InvalidInputError(f"{what}: the value of {wrong[0]} must be a string")
    return dict(value)  # type: ignore[arg-type]  # every value checked above


def _case(raw: Mapping[str, Any]) -> TemplateCase:
    expect = raw["expect"]
    provider = raw.get("provider", {})
    requests = expect.get("requests")
    return TemplateCase(
        name=raw["name"],
        payload=raw.get("payload", {}),
        expect_outcome=expect.get("outcome", {}),
        expect_unset=tuple(expect.get("unset", ())),
        expect_requests=None if requests is None else tuple(requests),
        expect_logs=expect.get("logs"),
        provider_status=provider.get("status", 200),
        provider_body=provider.get("body", "ok"),
        runs=raw.get("runs", 1),
        partial=raw.get("partial", False),
    )


def _gallery():  # noqa: ANN202 (a Traversable)
    return resources.files(__package__) / "gallery"
