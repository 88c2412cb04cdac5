"""The wheel alone carries the tutorial: built, installed away from the checkout, and run."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("jupyter_actions-*.whl")
    return built


def test_the_wheel_carries_the_notebooks_and_py_typed(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"jupyter_actions/tutorial/notebooks/first_action.ipynb", "jupyter_actions/py.typed"} <= names


def test_the_tutorial_runs_from_the_installed_wheel_alone(wheel, tmp_path):
    """A venv with the wheel and no checkout: this test environment's packages serve as its
    dependencies (on PYTHONPATH, where the editable install's path file is not read), so the
    only jupyter_actions it can import is the wheel's."""
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {key: value for key, value in os.environ.items() if key not in ("SLACK_WEBHOOK_URL", "PYTHONPATH")}
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    where = subprocess.run(
        [str(python), "-c", "import jupyter_actions; print(jupyter_actions.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    done = subprocess.run(
        [str(python), "-m", "jupyter_actions.tutorial", "--output", str(tmp_path / "out.ipynb")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "post-login flow:   my-slack-action@v1" in done.stdout and "found in none of them" in done.stdout
