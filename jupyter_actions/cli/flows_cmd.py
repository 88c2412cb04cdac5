"""``flows list|show|bind``: the ordered bindings of each trigger."""

from __future__ import annotations

import argparse

from . import output, runs_cmd


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("flows", help="show and change flows (a trigger's ordered bound actions)", parents=[common])
    sub = parser.add_subparsers(dest="flows_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="every trigger with its bound actions", parents=[common])
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)
    show = sub.add_parser("show", help="one flow: bound actions in order with the version each runs", parents=[common])
    show.add_argument("trigger")
    show.add_argument("--json", action="store_true", help="print JSON only")
    show.set_defaults(func=_show)
    bind = sub.add_parser("bind", help="replace a flow's bound actions (in the order given; none to empty it)", parents=[common])
    bind.add_argument("trigger")
    bind.add_argument("actions", nargs="*", metavar="ACTION")
    bind.add_argument("--json", action="store_true", help="print JSON only")
    bind.set_defaults(func=_bind)
    runs_cmd.register_flow_commands(sub, common)


def _list(args: argparse.Namespace) -> int:
    from ..triggers import all_triggers
    from . import open_tenant

    with open_tenant(args) as tenant:
        flows = {t.id: tenant.flow(t.id) for t in all_triggers()}
    if args.json:
        output.emit_json({tid: [b.to_json() for b in bound] for tid, bound in flows.items()})
        return 0
    output.table(
        ["trigger", "actions"],
        [(tid, " -> ".join(f"{b.display_name}@v{b.version_number}" for b in bound) or "(empty)") for tid, bound in flows.items()],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        bound = tenant.flow(args.trigger)
    _print_flow(args, bound)
    return 0


def _bind(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        bound = tenant.bind(args.trigger, args.actions)
    _print_flow(args, bound)
    return 0


def _print_flow(args: argparse.Namespace, bound: list) -> None:
    if args.json:
        output.emit_json(output.paged("bindings", [b.to_json() for b in bound]))
        return
    output.table(["#", "action", "version", "binding"], [(b.position + 1, b.display_name, f"v{b.version_number}", b.id) for b in bound])
