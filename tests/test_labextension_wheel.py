"""The wheel carries the JupyterLab extension prebuilt: a fresh virtual environment with only the
wheel (and its dependencies) installed lists it as enabled and OK, and the server extension as
enabled, with no Node and no build step at install time (docs/lab.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEXTENSION = "jupyter-actions-labextension"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.slow


def run(args: list[str | Path], env: dict[str, str]) -> str:
    done = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return ANSI.sub("", done.stdout + done.stderr)


def test_a_fresh_venv_with_the_wheel_lists_both_extensions(tmp_path):
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),  # nothing of the user's Jupyter set-up
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT], env)
    (wheel,) = (tmp_path / "dist").glob("jupyter_actions-*.whl")
    shared = f"share/jupyter/labextensions/{LABEXTENSION}/"
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(shared + "package.json") for n in names), names
    assert any(n.endswith(shared + "install.json") for n in names), names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], env)
    run([venv / "bin" / "pip", "install", "-q", wheel], env)

    labextensions = run([venv / "bin" / "jupyter", "labextension", "list"], env)
    assert re.search(rf"{LABEXTENSION} v0\.1\.0 enabled OK \(python, jupyter-actions\)", labextensions), labextensions
    server = run([venv / "bin" / "jupyter", "server", "extension", "list"], env)
    assert re.search(r"jupyter_actions\.server enabled", server), server
    assert re.search(r"jupyter_actions\.server\s+OK", server), server
