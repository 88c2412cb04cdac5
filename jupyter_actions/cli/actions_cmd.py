"""``save``, ``actions list|show|delete``, ``deploy``, ``versions``, ``rollback``, ``diff``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import _json_input as json_input
from ..errors import InvalidInputError
from ..frontends.present import deployed_label, short_time
from . import output


def _save(args: argparse.Namespace) -> int:
    from . import open_tenant

    code = read_code(args.code)
    with open_tenant(args) as tenant:
        action, changed = tenant.save_draft(
            args.name,
            args.trigger,
            code,
            secrets=args.secret,
            dependencies=args.dependency or None,
            modules=args.module or None,
        )
    if args.json:
        output.emit_json(action.to_json())
    else:
        print(f"saved draft of {action.name} ({action.trigger_id})" if changed else f"{action.name}: draft unchanged")
    return 0


def read_code(path: str) -> str:
    """The code of ``--code FILE`` (``-``: stdin)."""
    if path == "-":
        return json_input.text(sys.stdin.buffer.read(), "the code on stdin")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read the code file {path}: {exc.strerror}") from None
    return json_input.text(data, f"the code file {path}")


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.list_actions(args.trigger)
    if args.json:
        output.emit_json(output.paged("actions", [a.to_json() for a in found]))
        return 0
    output.table(
        ["name", "trigger", "deployed", "status", "updated"],
        [(a.name, a.trigger_id, deployed_label(a), a.build.status, short_time(a.updated_at)) for a in found],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.get_action(args.name)
    if args.json:
        output.emit_json(action.to_json())
        return 0
    print(f"action     {action.name}  ({action.id})")
    print(f"trigger    {action.trigger_id} {action.trigger_version}   runtime {action.runtime}")
    print(f"deployed   {deployed_label(action)}")
    print(f"build      {action.build.status}" + (f": {action.build.error}" if action.build.error else ""))
    deps = ", ".join(str(d) for d in action.dependencies) or "(none)"
    print(f"deps       {deps}")
    secrets = ", ".join(f"{s.name} ({'set' if s.is_set else 'missing'})" for s in action.secrets) or "(none)"
    print(f"secrets    {secrets}")
    print("code (draft):")
    for line in action.code.splitlines():
        print(f"  {line}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        tenant.delete_action(args.name, force=args.force)
    print(f"deleted {args.name}")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        result = tenant.deploy(args.name, message=args.message)
    if args.json:
        output.emit_json({**result.version.to_json(), "created": result.created})
    elif result.created:
        print(f"deployed {args.name} version {result.version.number}")
    else:
        print(f"{args.name}: the draft equals deployed version {result.version.number}; no new version created")
    return 0


def _versions(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.versions(args.name)
    if args.json:
        output.emit_json(output.paged("versions", [v.to_json() for v in found]))
        return 0
    output.table(
        ["version", "deployed", "status", "created", "dependencies", "message"],
        [
            (
                v.number,
                "DEPLOYED" if v.deployed else "",
                v.build.status,
                short_time(v.created_at),
                ", ".join(map(str, v.dependencies)),
                v.message or "",
            )
            for v in found
        ],
    )
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        version = tenant.rollback(args.name, args.number, update_draft=args.update_draft)
    if args.json:
        output.emit_json(version.to_json())
    else:
        draft = " and reset the draft" if args.update_draft else ""
        print(f"rolled {args.name} back to version {args.number}: deployed as version {version.number}{draft}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        text = tenant.diff(args.name, args.old, args.new)
    sys.stdout.write(text or "no differences\n")
    return 0


HANDLERS = {
    "save": _save,
    "actions list": _list,
    "actions show": _show,
    "actions delete": _delete,
    "deploy": _deploy,
    "versions": _versions,
    "rollback": _rollback,
    "diff": _diff,
}
