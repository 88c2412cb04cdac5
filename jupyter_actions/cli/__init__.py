"""``jupyter-actions`` (also ``jupyter actions``): the command line front end.

Thin by design: parse, call the `Tenant` API, print. Errors are one line on stderr with exit
status 1 (2 for usage errors, from argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import ActionsError
from . import (
    actions_cmd, deps_cmd, doctor_cmd, flows_cmd, notebook_cmd, replay_cmd, runs_cmd, secrets_cmd, settings_cmd,
    templates_cmd,
)

COMMAND_MODULES = (
    actions_cmd, secrets_cmd, deps_cmd, runs_cmd, flows_cmd, replay_cmd, templates_cmd, notebook_cmd, settings_cmd,
    doctor_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--tenant", default=argparse.SUPPRESS, help="tenant name (default: $JUPYTER_ACTIONS_TENANT or 'default')")
    common.add_argument("--database-url", default=argparse.SUPPRESS, help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://... (default: $JUPYTER_ACTIONS_DATABASE_URL or a SQLite file)")
    parser = argparse.ArgumentParser(
        prog="jupyter-actions",
        description="Auth0 Actions for Python: save drafts, test, deploy versions, bind flows, read executions.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ActionsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def open_tenant(args: argparse.Namespace):  # noqa: ANN201
    from ..tenant import Tenant

    return Tenant(getattr(args, "tenant", None), database_url=getattr(args, "database_url", None))


def _version() -> str:
    from .. import __version__

    return f"jupyter-actions {__version__}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
