"""``templates list|show ID|use ID``: the template gallery."""

from __future__ import annotations

import argparse
import os

from ..errors import InvalidInputError
from . import output


def _list(args: argparse.Namespace) -> int:
    from ..templates import list_templates

    found = list_templates()
    if args.json:
        output.emit_json([t.to_json() for t in found])
        return 0
    output.table(
        ["id", "trigger", "title", "secrets", "dependencies"],
        [(t.id, t.trigger, t.title, ", ".join(t.secrets), ", ".join(t.dependencies)) for t in found],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from ..templates import get_template

    template = get_template(args.id)
    if args.json:
        output.emit_json(template.to_json())
    elif args.code:
        print(template.code, end="")
    else:
        print(f"{template.title}  ({template.id}, trigger {template.trigger})\n")
        print(template.description + "\n")
        print(f"secrets       {', '.join(template.secrets) or '(none)'}")
        print(f"dependencies  {', '.join(template.dependencies) or '(none)'}")
        for module in template.modules:
            needs = ", ".join([*module.secrets, *module.dependencies]) or "nothing"
            print(f"module        {module.name} (needs {needs}); its code: templates show {template.id} --json")
        print(
            "test cases    "
            + "; ".join(case.name + ("" if case.for_actions else " (gallery only)") for case in template.cases)
        )
        flags = "".join(
            f" --module-secret-from-env {module.name}.{secret}=VAR"
            for module in template.modules
            for secret in module.secrets
        )
        print(f"create it     jupyter-actions templates use {template.id} [--name NAME]{flags}")
        print(f"in a notebook %action new --template {template.id}\n")
        print(template.code, end="")
    return 0


def _use(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.create_from_template(
            args.id, args.name, module_secrets=_module_secrets(args.module_secret_from_env)
        )
        cases = tenant.test_cases(action.name)
    if args.json:
        output.emit_json(action.to_json())
        return 0
    print(
        f"saved draft of {action.name} ({action.trigger_id}) from template {args.id}, "
        f"with {len(cases)} test case{'' if len(cases) == 1 else 's'}"
    )
    for module in action.modules:
        print(f"imports module {module.module_name}, pinned to version {module.module_version_number}")
    for secret in action.secrets:
        print(f"set its secret: jupyter-actions secrets set {action.name} {secret.name}")
    print(f"run its cases:  jupyter-actions test {action.name} --cases")
    return 0


def _module_secrets(specs: list[str]) -> dict[str, dict[str, str]]:
    """``MODULE.SECRET=VAR`` values, read from the environment (never from the command line)."""
    values: dict[str, dict[str, str]] = {}
    for spec in specs:
        target, equals, variable = spec.partition("=")
        module, dot, secret = target.partition(".")
        if not (equals and dot and module and secret and variable):
            raise InvalidInputError(
                f"invalid --module-secret-from-env {spec!r}: write MODULE.SECRET=VAR, for example logger.API_KEY=LOGGER_API_KEY"
            )
        value = os.environ.get(variable)
        if value is None:
            raise InvalidInputError(
                f"environment variable {variable} is not set: export it or drop --module-secret-from-env {spec}"
            )
        values.setdefault(module, {})[secret] = value
    return values


HANDLERS = {"templates list": _list, "templates show": _show, "templates use": _use}
