"""``deps add|remove|list``: an action's pinned dependencies, their lock and build status."""

from __future__ import annotations

import argparse
import json

from . import output


def _add(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.add_dependency(args.action, args.requirement)
    _report(action)
    return 1 if action.build.status == "failed" else 0


def _remove(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.remove_dependency(args.action, args.package)
    _report(action)
    return 0


def _report(action) -> None:  # noqa: ANN001
    pins = ", ".join(map(str, action.dependencies)) or "(none)"
    print(
        f"{action.name}: dependencies {pins}; build {action.build.status}"
        + (f": {action.build.error}" if action.build.error else "")
    )


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.get_action(args.action)
        status = tenant.dependency_status(args.action)
    locked = json.loads(action.lock)["packages"] if action.lock else []
    if args.json:
        output.emit_json(
            {
                "dependencies": [d.to_json() for d in action.dependencies],
                "status": status,
                "errors": action.to_json()["errors"],
                "lock": [{"name": n, "version": v} for n, v in locked],
            }
        )
        return 0
    pinned = {d.name for d in action.dependencies}
    output.table(["package", "version", "kind"], [(n, v, "pinned" if n in pinned else "dependency") for n, v in locked])
    print(f"build status: {status}" + (f": {action.build.error}" if action.build.error else ""))
    return 0


HANDLERS = {"deps add": _add, "deps remove": _remove, "deps list": _list}
