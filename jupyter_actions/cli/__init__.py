"""``jupyter-actions`` (also ``jupyter actions``): the command line front end.

Thin by design: parse, call the `Tenant` API, print. Every error is one line on stderr,
``error: ...``, with exit status 1 (2 for usage errors); cli/failures.py says how the rest ends.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence

from .. import _json_input as json_input
from ..errors import ActionsError, InvalidInputError
from ..frontends import commands, hints
from . import (
    actions_cmd,
    deps_cmd,
    doctor_cmd,
    executions_cmd,
    failures,
    flows_cmd,
    modules_cmd,
    notebook_cmd,
    replay_cmd,
    secrets_cmd,
    serve_cmd,
    settings_cmd,
    templates_cmd,
    tenants_cmd,
    test_cmd,
    triggers_cmd,
)

COMMAND_MODULES = (
    actions_cmd,
    test_cmd,
    secrets_cmd,
    deps_cmd,
    flows_cmd,
    executions_cmd,
    replay_cmd,
    templates_cmd,
    triggers_cmd,
    tenants_cmd,
    notebook_cmd,
    settings_cmd,
    doctor_cmd,
    serve_cmd,
    modules_cmd,
)
"""Each holds ``HANDLERS``: the functions of its commands, by key of the command table."""


class Parser(argparse.ArgumentParser):
    """argparse with usage errors in one line (its subcommands' parsers are of this class too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {self.prog}: {failures.one_line(message)} (see {self.prog} --help)\n")


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The parser, built once per process (parsing leaves it as it was; building it is most of
    the time a command that fails early takes)."""
    common = argparse.ArgumentParser(add_help=False)
    for option in commands.CLI_OPTIONS:
        common.add_argument(*option.flags, **option.options)
    parser = Parser(
        prog="jupyter-actions",
        description="Auth0 Actions for Python: save drafts, test, deploy versions, bind flows, read executions.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=_version())
    handlers = {key: handler for module in COMMAND_MODULES for key, handler in module.HANDLERS.items()}
    commands.add_commands(parser, commands.CLI, handlers, parser_class=Parser, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit status (0, 1 for a failure, 2 for a usage error)."""
    try:
        status = _run(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()
    except BrokenPipeError as exc:
        return failures.end_quietly() if failures.stdout_gone() else failures.crashed(exc)
    return status


def _run(argv: list[str]) -> int:
    try:
        _check_arguments(argv)
    except ActionsError as exc:
        return failures.fail(str(exc), 2)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has printed
        return int(exc.code or 0)
    try:
        return int(args.handler(args) or 0)
    except ActionsError as exc:
        return failures.fail(hints.message(exc, commands.CLI))
    except KeyboardInterrupt:
        return failures.fail("interrupted", 130)
    except BrokenPipeError:
        raise  # stdout's reader went away: main decides
    except OSError as exc:  # a file or folder the command was pointed at
        return failures.fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))
    except Exception as exc:  # noqa: BLE001 (a bug: its traceback goes to a log file)
        return failures.crashed(exc)


def _check_arguments(argv: list[str]) -> None:
    """Arguments are UTF-8 text; a NUL cannot come from a shell (only from a caller of main)
    and no file name holds one."""
    for argument in argv:
        subject = f"the command-line argument {argument!r}"
        json_input.text(os.fsencode(argument), subject)
        if "\x00" in argument:
            raise InvalidInputError(f"{subject} holds a NUL character: no file or name can hold one")


def open_tenant(args: argparse.Namespace):  # noqa: ANN201
    """The tenant ``--tenant`` names; only a command that creates things may create it."""
    from ..tenant import Tenant

    return Tenant(
        getattr(args, "tenant", None),
        database_url=getattr(args, "database_url", None),
        create=commands.BY_KEY[args.command].creates_tenant,
    )


def _version() -> str:
    from .. import __version__

    return f"jupyter-actions {__version__}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
