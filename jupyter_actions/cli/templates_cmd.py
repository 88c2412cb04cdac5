"""``templates list|show ID``: the template gallery."""

from __future__ import annotations

import argparse
import shlex

from . import output


def _list(args: argparse.Namespace) -> int:
    from ..templates import list_templates

    found = list_templates()
    if args.json:
        output.emit_json([t.to_json() for t in found])
        return 0
    output.table(["id", "trigger", "title", "secrets", "dependencies"],
                 [(t.id, t.trigger, t.title, ", ".join(t.secrets), ", ".join(t.dependencies)) for t in found])
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
        print("test cases    " + "; ".join(case.name for case in template.cases))
        save = ["jupyter-actions", "save", template.id, "--code", f"{template.id}.py", *template.options()]
        print(f"create it     jupyter-actions templates show {template.id} --code > {template.id}.py && {shlex.join(save)}")
        print(f"in a notebook %action new --template {template.id}\n")
        print(template.code, end="")
    return 0


HANDLERS = {"templates list": _list, "templates show": _show}
