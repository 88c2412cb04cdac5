"""``save``, ``actions list|show|delete``, ``deploy``, ``versions``, ``rollback``, ``diff``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import _json_input as json_input
from ..errors import InvalidInputError
from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    save = commands.add_parser("save", help="save an action's draft (create or update)", parents=[common],
                               description="Save Draft: create or update an action. No traffic is affected until you deploy.")
    save.add_argument("name", help="action name: lowercase letters, digits, '-' or '_'")
    save.add_argument("--trigger", required=True, help="trigger id, e.g. post-login")
    save.add_argument("--code", required=True, metavar="FILE", help="Python file with the handler ('-' for stdin)")
    save.add_argument("--dependency", action="append", default=[], metavar="PKG[==V]", help="pinned dependency (repeatable)")
    save.add_argument("--secret", action="append", default=[], metavar="NAME", help="declare a secret name (repeatable); set values with `secrets set`")
    save.add_argument("--json", action="store_true", help="print the action as JSON")
    save.set_defaults(func=_save)

    actions = commands.add_parser("actions", help="list, show or delete actions", parents=[common])
    sub = actions.add_subparsers(dest="actions_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="every action with its trigger, deployed version and status", parents=[common])
    listing.add_argument("--trigger", help="only actions for this trigger")
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)
    show = sub.add_parser("show", help="one action: draft, deployed version, secrets, dependencies", parents=[common])
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print JSON only")
    show.set_defaults(func=_show)
    delete = sub.add_parser("delete", help="delete an action and all its versions", parents=[common])
    delete.add_argument("name")
    delete.add_argument("--force", action="store_true", help="also remove it from the flows it is bound to")
    delete.set_defaults(func=_delete)

    deploy = commands.add_parser("deploy", help="deploy the draft as a new immutable version", parents=[common])
    deploy.add_argument("name")
    deploy.add_argument("--message", help="a note kept with the version (e.g. a git SHA)")
    deploy.add_argument("--json", action="store_true", help="print the version as JSON")
    deploy.set_defaults(func=_deploy)

    history = commands.add_parser("versions", help="an action's version history", parents=[common])
    history.add_argument("name")
    history.add_argument("--json", action="store_true", help="print JSON only")
    history.set_defaults(func=_versions)

    rollback = commands.add_parser("rollback", help="deploy a copy of an earlier version as a new version", parents=[common])
    rollback.add_argument("name")
    rollback.add_argument("number", type=int, help="the version to roll back to")
    rollback.add_argument("--update-draft", action="store_true", help="also reset the draft to that version")
    rollback.add_argument("--json", action="store_true", help="print the new version as JSON")
    rollback.set_defaults(func=_rollback)

    diff = commands.add_parser("diff", help="unified diff between two versions, or a version and the draft", parents=[common])
    diff.add_argument("name")
    diff.add_argument("old", help="version number or 'draft'")
    diff.add_argument("new", nargs="?", default="draft", help="version number or 'draft' (default: draft)")
    diff.set_defaults(func=_diff)


def _save(args: argparse.Namespace) -> int:
    from . import open_tenant

    code = json_input.text(sys.stdin.buffer.read(), "the code on stdin") if args.code == "-" else _read_code(args.code)
    with open_tenant(args) as tenant:
        action, changed = tenant.save_draft(
            args.name, args.trigger, code, secrets=args.secret, dependencies=args.dependency or None
        )
    if args.json:
        output.emit_json(action.to_json())
    else:
        print(f"saved draft of {action.name} ({action.trigger_id})" if changed else f"{action.name}: draft unchanged")
    return 0


def _read_code(path: str) -> str:
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
        [(a.name, a.trigger_id, _deployed_label(a), a.build.status, output.short_time(a.updated_at)) for a in found],
    )
    return 0


def _deployed_label(action) -> str:  # noqa: ANN001
    if action.deployed_version is None:
        return "draft only"
    suffix = "" if action.all_changes_deployed else " (draft changed)"
    return f"v{action.deployed_version.number}{suffix}"


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        action = tenant.get_action(args.name)
    if args.json:
        output.emit_json(action.to_json())
        return 0
    print(f"action     {action.name}  ({action.id})")
    print(f"trigger    {action.trigger_id} {action.trigger_version}   runtime {action.runtime}")
    print(f"deployed   {_deployed_label(action)}")
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
        [(v.number, "DEPLOYED" if v.deployed else "", v.build.status, output.short_time(v.created_at),
          ", ".join(map(str, v.dependencies)), v.message or "") for v in found],
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
        text = tenant.diff(args.name, _version_ref(args.old), _version_ref(args.new))
    sys.stdout.write(text or "no differences\n")
    return 0


def _version_ref(text: str) -> int | str:
    if text == "draft":
        return text
    try:
        return int(text.lstrip("v"))
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a version: give a number such as 2, or 'draft'") from None
