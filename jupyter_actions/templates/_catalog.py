"""Loading the gallery: ``gallery/<id>/code.py`` plus ``gallery/<id>/manifest.toml``.

docs/templates.md describes the manifest. A test case is "payload changes plus expected
outcome": ``payload`` is merged into the trigger's sample payload (tables merge key by key,
anything else replaces); ``expect.outcome`` must be a subset of the execution's outcome, the
keys in ``expect.unset`` must be empty in it (TOML has no null; ``a.b`` names a nested key),
``expect.requests`` are subsets of the JSON bodies the local HTTP provider received, and
``expect.logs`` is part of the action's logs.

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

from ..errors import NotFoundError


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
    folder = _gallery() / template_id
    manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    return Template(
        id=template_id,
        title=manifest["title"],
        description=" ".join(manifest["description"].split()),
        trigger=manifest["trigger"],
        code=(folder / "code.py").read_text(encoding="utf-8"),
        secrets=tuple(manifest.get("secrets", ())),
        dependencies=tuple(manifest.get("dependencies", ())),
        test_secrets=dict(manifest.get("test_secrets", {})),
        cases=tuple(_case(raw) for raw in manifest["cases"]),
    )


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
