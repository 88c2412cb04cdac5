"""The command line, through its ``main`` in this process."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from jupyter_actions.cli import main

from .views import Views


class Cli:
    """Runs ``jupyter-actions ARGS`` and keeps what it printed as a view of group ``cli``."""

    def __init__(self, views: Views) -> None:
        self.views = views

    def __call__(self, *args: str, stdin: str = "", expect: int | None = 0) -> str:
        out, err = io.StringIO(), io.StringIO()
        with (
            redirect_stdout(out),
            redirect_stderr(err),
            mock.patch("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()))),
        ):
            status = main(list(args))
        self.views.add("cli", " ".join(args), out.getvalue() + err.getvalue())
        assert expect is None or status == expect, (args, status, err.getvalue())
        return out.getvalue()

    def json(self, *args: str, expect: int | None = 0) -> dict:
        return json.loads(self(*args, "--json", expect=expect))

    def outputs(self, *paths: Path) -> None:
        """Files a command wrote outside the tenant (results, summaries)."""
        for path in paths:
            self.views.add_file("cli", path)
