"""``settings list|set``: tenant limits and options."""

from __future__ import annotations

import argparse

from . import output


def _list(args: argparse.Namespace) -> int:
    from ..tenant.settings import SETTINGS, described
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


HANDLERS = {"settings list": _list, "settings set": _set}
