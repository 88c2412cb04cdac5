"""``settings list|set``: tenant limits and options."""

from __future__ import annotations

import argparse

from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("settings", help="show or change tenant settings (limits, options)", parents=[common])
    sub = parser.add_subparsers(dest="settings_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="every setting with its value and meaning", parents=[common])
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)
    setting = sub.add_parser("set", help="change one setting", parents=[common],
                             description="Change one setting. `jupyter-actions settings list` shows every setting "
                                         "with its value, its meaning and the values it takes: each number has a "
                                         "least and a greatest value (docs/lifecycle.md lists them).")
    setting.add_argument("key", help="setting name (see `settings list`)")
    setting.add_argument("value", help="new value")
    setting.set_defaults(func=_set)


def _list(args: argparse.Namespace) -> int:
    from ..store.settings import SETTINGS, described
    from . import open_tenant

    with open_tenant(args) as tenant:
        values = tenant.settings
    if args.json:
        output.emit_json(values)
    else:
        output.table(["setting", "value", "meaning"], [(k, values[k], described(k)) for k in SETTINGS])
    return 0


def _set(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        value = tenant.configure(args.key, args.value)
    print(f"{args.key} = {value}")
    return 0
