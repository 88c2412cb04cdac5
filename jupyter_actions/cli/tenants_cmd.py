"""``tenants list|create NAME|delete NAME [--yes]``: the tenants of this home
(jupyter_actions/tenant/registry.py)."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import InvalidInputError
from . import output


def _list(args: argparse.Namespace) -> int:
    from ..tenant import registry

    found = registry.names()
    if args.json:
        output.emit_json({"tenants": found})
    else:
        output.table(["tenant"], [(name,) for name in found])
    return 0


def _create(args: argparse.Namespace) -> int:
    from ..tenant import registry

    created = registry.create(args.name, database_url=getattr(args, "database_url", None))
    print(f"created tenant {args.name}" if created else f"tenant {args.name} exists already")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from ..tenant import DATABASE_URL_ENV, registry

    database_url = getattr(args, "database_url", None) or os.environ.get(DATABASE_URL_ENV)
    if not args.yes:
        _confirm(args.name)
    folder = registry.delete(args.name, database_url=database_url)
    print(f"deleted tenant {args.name} ({folder})")
    return 0


def _confirm(name: str) -> None:
    """Ask on a terminal; elsewhere --yes is required (a script must say what it means)."""
    if not sys.stdin.isatty():
        raise InvalidInputError(f"deleting tenant {name!r} removes its actions, secrets and records: add --yes")
    answer = input(f"delete tenant {name} with its actions, secrets and records? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise InvalidInputError(f"tenant {name} kept: answer y to delete it, or add --yes")


HANDLERS = {"tenants list": _list, "tenants create": _create, "tenants delete": _delete}
