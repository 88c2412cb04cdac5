"""``secrets set|list|delete``: values go in from stdin, a prompt or an environment variable."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from .. import _json_input as json_input
from ..errors import InvalidInputError
from ..frontends.present import short_time
from ..model import SecretInfo
from . import output


def read_secret_value(name: str, from_env: str | None) -> str:
    if from_env:
        value = os.environ.get(from_env)
        if value is None:
            raise InvalidInputError(f"environment variable {from_env} is not set: export it or drop --from-env")
        return value
    if sys.stdin.isatty():
        return getpass.getpass(f"value for {name}: ")
    return json_input.text(sys.stdin.buffer.read(), "the secret value on stdin").rstrip("\r\n")


def _set(args: argparse.Namespace) -> int:
    from . import open_tenant

    value = read_secret_value(args.name, args.from_env)
    with open_tenant(args) as tenant:
        info = tenant.set_secret(args.action, args.name, value)
    print(
        f"secret {info.name} of {args.action} set; it takes effect in the draft now and in traffic at the next deploy"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        show_secrets(args, tenant.list_secrets(args.action))
    return 0


def show_secrets(args: argparse.Namespace, found: Sequence[SecretInfo]) -> None:
    """Secret names and states (never a value), as JSON or a table: an action's or a module's."""
    if args.json:
        output.emit_json([s.to_json() for s in found])
    else:
        output.table(
            ["name", "state", "updated"],
            [(s.name, "set" if s.is_set else "missing", short_time(s.updated_at)) for s in found],
        )


def _delete(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        tenant.delete_secret(args.action, args.name)
    print(f"deleted secret {args.name} of {args.action}")
    return 0


HANDLERS = {"secrets set": _set, "secrets list": _list, "secrets delete": _delete}
