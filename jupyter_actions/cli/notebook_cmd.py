"""``notebook run``: an authoring notebook headless against a named tenant (CI pipelines)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from ..executor.authoring import run_authoring_notebook

    notebook = Path(args.notebook)
    output = Path(args.output) if args.output else notebook.with_suffix(".executed.ipynb")
    run_authoring_notebook(notebook, output, getattr(args, "tenant", None), dict(args.parameter))
    print(f"executed notebook: {output}")
    return 0


HANDLERS = {"notebook run": _run}
