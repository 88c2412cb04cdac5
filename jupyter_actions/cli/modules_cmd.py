"""``modules save|deploy|versions|list|show`` and ``modules secrets set|list``: Actions Modules."""

from __future__ import annotations

import argparse

from ..frontends.present import short_time
from . import output
from .actions_cmd import read_code
from .secrets_cmd import read_secret_value, show_secrets


def _save(args: argparse.Namespace) -> int:
    from . import open_tenant

    code = read_code(args.code)
    with open_tenant(args) as tenant:
        module, changed = tenant.save_module(args.name, code, secrets=args.secret, dependencies=args.dependency or None)
    if args.json:
        output.emit_json(module.to_json())
    else:
        print(f"saved draft of module {module.name}" if changed else f"module {module.name}: draft unchanged")
    return 0


def _secret_set(args: argparse.Namespace) -> int:
    from . import open_tenant

    value = read_secret_value(args.name, args.from_env)
    with open_tenant(args) as tenant:
        info = tenant.set_module_secret(args.module, args.name, value)
    print(
        f"secret {info.name} of module {args.module} set; actions get it with the module's next version "
        "once they are pinned to it and deployed"
    )
    return 0


def _secret_list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        show_secrets(args, tenant.module_secrets(args.module))
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        version = tenant.deploy_module(args.name, message=args.message)
    if args.json:
        output.emit_json(version.to_json())
    else:
        print(
            f"deployed module {args.name} version {version.number}; actions keep their pinned version until "
            f"saved with --module {args.name}@{version.number} and deployed"
        )
    return 0


def _versions(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.module_versions(args.name)
    if args.json:
        output.emit_json(output.paged("versions", [v.to_json() for v in found]))
        return 0
    output.table(
        ["version", "created", "message"], [(v.number, short_time(v.created_at), v.message or "") for v in found]
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.list_modules()
    if args.json:
        output.emit_json(output.paged("modules", [m.to_json() for m in found]))
        return 0
    output.table(
        ["name", "latest", "used by", "status", "updated"],
        [
            (
                m.name,
                m.latest_version.number if m.latest_version else "-",
                m.actions_using_module_total,
                m.build.status,
                short_time(m.updated_at),
            )
            for m in found
        ],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        if args.version is not None:
            version = tenant.get_module_version(args.name, args.version)
            if args.json:
                output.emit_json(version.to_json())
                return 0
            code, heading = version.code, f"code (version {version.number}):"
            deps, secrets = version.dependencies, [s.name for s in version.secrets]
        else:
            module = tenant.get_module(args.name)
            if args.json:
                output.emit_json(module.to_json())
                return 0
            latest = module.latest_version.number if module.latest_version else "none"
            print(f"module     {module.name}  ({module.id})")
            print(f"latest     {latest}   used by {module.actions_using_module_total} action(s)")
            code, heading = module.code, "code (draft):"
            deps = module.dependencies
            secrets = [f"{s.name} ({'set' if s.is_set else 'missing'})" for s in module.secrets]
    print(f"deps       {', '.join(str(d) for d in deps) or '(none)'}")
    print(f"secrets    {', '.join(secrets) or '(none)'}")
    print(heading)
    for line in code.splitlines():
        print(f"  {line}")
    return 0


HANDLERS = {
    "modules save": _save,
    "modules secrets set": _secret_set,
    "modules secrets list": _secret_list,
    "modules deploy": _deploy,
    "modules versions": _versions,
    "modules list": _list,
    "modules show": _show,
}
