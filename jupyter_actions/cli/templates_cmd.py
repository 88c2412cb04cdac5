"""``templates list|show ID|use ID``: the template gallery."""

from __future__ import annotations

import argparse

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
        print(
            "test cases    "
            + "; ".join(case.name + ("" if case.for_actions else " (gallery only)") for case in template.cases)
        )
        print(f"create it     jupyter-actions templates use {template.id} [--name NAME]")
        print(f"in a notebook %action new --template {template.id}\n")
        print(template.code, end="")
    return 0


def _use(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.create_from_template(args.id, args.name)
        cases = tenant.test_cases(action.name)
    if args.json:
        output.emit_json(action.to_json())
        return 0
    print(
        f"saved draft of {action.name} ({action.trigger_id}) from template {args.id}, "
        f"with {len(cases)} test case{'' if len(cases) == 1 else 's'}"
    )
    for secret in action.secrets:
        print(f"set its secret: jupyter-actions secrets set {action.name} {secret.name}")
    print(f"run its cases:  jupyter-actions test {action.name} --cases")
    return 0


HANDLERS = {"templates list": _list, "templates show": _show, "templates use": _use}
