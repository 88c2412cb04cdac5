"""Builds the JupyterLab extension into ``jupyter_actions/labextension`` (docs/lab.md).

hatch-jupyter-builder calls ``build`` while pip builds the wheel (pyproject.toml); a developer
can run ``python labextension/build.py`` after editing the TypeScript. The only network it
needs is the npm registry: the JupyterLab core metadata comes from the installed jupyterlab's
``staging`` folder (``--core-path``), which ``jupyter labextension build`` would otherwise
download.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "jupyter_actions" / "labextension"
SOURCES = ("src", "style", "package.json", "package-lock.json", "tsconfig.json")


def build(target_name: str = "wheel", version: str = "standard") -> None:
    """The hatch-jupyter-builder build function: install the npm packages the lockfile names
    (``npm ci``), compile the TypeScript, bundle it with ``@jupyterlab/builder``. A build whose
    output is newer than every source is kept (pip calls this on every editable install)."""
    if _up_to_date():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError(
            "building the JupyterLab extension needs Node.js 20 and npm on PATH "
            "(or install a wheel of jupyter-actions, which carries the extension prebuilt)"
        )
    quiet = {
        **os.environ,
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
    }
    if not _installed():
        subprocess.run([npm, "ci"], cwd=HERE, env=quiet, check=True)
    subprocess.run([npm, "run", "build:lib"], cwd=HERE, env=quiet, check=True)
    subprocess.run(
        [sys.executable, "-m", "jupyter_builder.main", "build", "--core-path", str(_core_path()), str(HERE)],
        cwd=HERE,
        check=True,
    )


def _core_path() -> Path:
    """The installed JupyterLab's own build metadata: the extension is built against it."""
    import jupyterlab

    return Path(jupyterlab.__file__).parent / "staging"


def _installed() -> bool:
    """node_modules holds what the lockfile names (npm writes its own copy of the lock there)."""
    marker = HERE / "node_modules" / ".package-lock.json"
    return marker.exists() and marker.stat().st_mtime >= (HERE / "package-lock.json").stat().st_mtime


def _up_to_date() -> bool:
    built = OUTPUT / "package.json"
    if not built.exists():
        return False
    newest = max(
        path.stat().st_mtime
        for name in SOURCES
        for path in ([HERE / name] if (HERE / name).is_file() else (HERE / name).rglob("*"))
    )
    return built.stat().st_mtime >= newest


if __name__ == "__main__":
    build()
