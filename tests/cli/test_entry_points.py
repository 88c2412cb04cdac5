"""The ways a shell starts the command, in real processes: the point of these tests is the
process boundary (the entry point found, main's status becoming the process's exit status),
which the in-process ``cli`` fixture cannot see."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ENTRIES = {
    "python -m jupyter_actions": [sys.executable, "-m", "jupyter_actions"],
    "console script": [str(BIN / "jupyter-actions")],
    "jupyter actions": [str(BIN / "jupyter"), "actions"],
}


@pytest.fixture(params=sorted(ENTRIES))
def entry(request, actions_home) -> list[str]:
    argv = ENTRIES[request.param]
    if not shutil.which(argv[0]):
        pytest.fail(f"{argv[0]} is not installed: install the package with `pip install -e .`")
    return argv


def run(entry: list[str], *args: str) -> subprocess.CompletedProcess:
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # `jupyter` finds `jupyter-actions` on PATH
    return subprocess.run(
        [*entry, *args], capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "PATH": path}
    )


def test_each_entry_point_runs_the_command(entry):
    result = run(entry, "--version")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.startswith("jupyter-actions ")


def test_each_entry_point_exits_with_the_commands_status(entry):
    result = run(entry, "deploy")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
