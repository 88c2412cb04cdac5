"""``templates list|show ID|use ID``: the template gallery."""

from __future__ import annotations

import argparse

from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("templates", help="the template gallery: starter actions with test cases", parents=[common])
    sub = parser.add_subparsers(dest="templates_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="every template with its trigger, secrets and dependencies", parents=[common])
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)
    show = sub.add_parser("show", help="one template: description, needs, test cases and code", parents=[common],
                          description="Show a template. `--code` prints only the action code; "
                                      "`jupyter-actions templates use ID` creates the action.")
    show.add_argument("id")
    show.add_argument("--code", action="store_true", help="print only the code")
    show.add_argument("--json", action="store_true", help="print JSON only")
    show.set_defaults(func=_show)
    use = sub.add_parser("use", help="create an action from a template, with the template's test cases", parents=[common],
                         description="Create an action from a template: its trigger, code, secret names and "
                                     "dependencies as the draft, and its test cases. Refuses a name that is taken.")
    use.add_argument("id")
    use.add_argument("--name", help="action name (default: the template id)")
    use.add_argument("--json", action="store_true", help="print the action as JSON")
    use.set_defaults(func=_use)


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
        print("test cases    " + "; ".join(case.name + ("" if case.for_actions else " (gallery only)")
                                      for case in template.cases))
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
    print(f"saved draft of {action.name} ({action.trigger_id}) from template {args.id}, "
          f"with {len(cases)} test case{'' if len(cases) == 1 else 's'}")
    for secret in action.secrets:
        print(f"set its secret: jupyter-actions secrets set {action.name} {secret.name}")
    print(f"run its cases:  jupyter-actions test {action.name} --cases")
    return 0
