"""``notebook run``: an authoring notebook headless against a named tenant (CI pipelines)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("notebook", help="run authoring notebooks headless (CI pipelines)", parents=[common])
    sub = parser.add_subparsers(dest="notebook_command", metavar="SUBCOMMAND", required=True)
    run = sub.add_parser("run", help="execute an authoring notebook with papermill against a tenant", parents=[common],
                         description="Execute NOTEBOOK with papermill; its magics work on --tenant (e.g. prod). Secrets "
                                     "come from environment variables read with `%action secret ... --from-env VAR`, "
                                     "never from parameters. Exit status 1 when a cell fails.")
    run.add_argument("notebook")
    run.add_argument("--output", metavar="NB", help="the executed notebook (default: NOTEBOOK.executed.ipynb)")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="a papermill parameter (never a secret)")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..executor.authoring import run_authoring_notebook

    notebook = Path(args.notebook)
    output = Path(args.output) if args.output else notebook.with_suffix(".executed.ipynb")
    run_authoring_notebook(notebook, output, getattr(args, "tenant", None), dict(args.parameter))
    print(f"executed notebook: {output}")
    return 0
