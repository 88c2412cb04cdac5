"""The ``%%action`` cell that holds an action: one spelling for templates ("Use in a notebook")
and for existing actions (the Lab's "Open as Notebook")."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Action
    from ..templates import Template


def action_cell(
    name: str,
    trigger: str,
    code: str,
    secrets: Iterable[str] = (),
    dependencies: Iterable[str] = (),
    template: str | None = None,
    modules: Iterable[str] = (),
) -> str:
    """``%%action NAME --trigger T [--secret S]... [--dependency D]... [--module M]...
    [--template ID]`` and the code; running it saves the same draft (secret values are never
    part of it)."""
    words = ["%%action", name, "--trigger", trigger]
    for secret in secrets:
        words += ["--secret", secret]
    for dependency in dependencies:
        words += ["--dependency", dependency]
    for module in modules:
        words += ["--module", module]
    if template is not None:
        words += ["--template", template]
    return f"{shlex.join(words)}\n{code}"


def template_cell(template: Template, name: str | None = None) -> str:
    """The cell that creates an action from ``template``; ``--template`` makes its first run
    save the template's test cases with the new action. It names the template's modules, which
    must be deployed before it runs (docs/templates.md)."""
    return action_cell(
        name or template.id,
        template.trigger,
        template.code,
        template.secrets,
        template.dependencies,
        template.id,
        [module.name for module in template.modules],
    )


def existing_action_cell(action: Action) -> str:
    """The cell that holds ``action``'s draft: its code, secret names and pinned dependencies."""
    return action_cell(
        action.name,
        action.trigger_id,
        action.code,
        [secret.name for secret in action.secrets],
        [str(dependency) for dependency in action.dependencies],
    )
