"""``deps add|remove|list``: an action's pinned dependencies, their lock and build status."""

from __future__ import annotations

import argparse
import json

from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("deps", help="add, remove or list an action's dependencies", parents=[common])
    sub = parser.add_subparsers(dest="deps_command", metavar="SUBCOMMAND", required=True)
    add = sub.add_parser("add", help="pin a package (the latest release now, or ==VERSION) and build it", parents=[common],
                         description="Add a dependency to the draft: PKG is pinned to its latest release at this moment "
                                     "(it never floats afterwards), PKG==V to that version. The whole closure is locked "
                                     "and built; packages with compiled code are refused unless the tenant allows them.")
    add.add_argument("action")
    add.add_argument("requirement", metavar="PKG[==V]")
    add.set_defaults(func=_add)
    remove = sub.add_parser("remove", help="remove a dependency from the draft", parents=[common])
    remove.add_argument("action")
    remove.add_argument("name", metavar="PKG")
    remove.set_defaults(func=_remove)
    listing = sub.add_parser("list", help="pins, the locked closure and the build status", parents=[common])
    listing.add_argument("action")
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)


def _add(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.add_dependency(args.action, args.requirement)
    _report(action)
    return 1 if action.build.status == "failed" else 0


def _remove(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.remove_dependency(args.action, args.name)
    _report(action)
    return 0


def _report(action) -> None:  # noqa: ANN001
    pins = ", ".join(map(str, action.dependencies)) or "(none)"
    print(f"{action.name}: dependencies {pins}; build {action.build.status}"
          + (f": {action.build.error}" if action.build.error else ""))


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.get_action(args.action)
        status = tenant.dependency_status(args.action)
    locked = json.loads(action.lock)["packages"] if action.lock else []
    if args.json:
        output.emit_json({"dependencies": [d.to_json() for d in action.dependencies], "status": status,
                          "errors": action.to_json()["errors"],
                          "lock": [{"name": n, "version": v} for n, v in locked]})
        return 0
    pinned = {d.name for d in action.dependencies}
    output.table(["package", "version", "kind"],
                 [(n, v, "pinned" if n in pinned else "dependency") for n, v in locked])
    print(f"build status: {status}" + (f": {action.build.error}" if action.build.error else ""))
    return 0
