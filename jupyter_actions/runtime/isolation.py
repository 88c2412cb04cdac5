"""What a worker can import and see: the overlay folder, the command line and the environment.

A worker starts as ``python -I -S -c BOOTSTRAP``: no site-packages, no user site, no PYTHON*
variables, no current directory on ``sys.path``. Its path is the standard library, then the
overlay (symlinks to ``jupyter_actions`` and to ``httpx`` with its dependency closure), then the
action's own environment folders. The environment is an allow-list: the host's variables can
hold credentials (``JUPYTER_ACTIONS_MASTER_KEY`` among them) and action code can read
``os.environ``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from ..errors import ExecutionError

BUILTIN_DISTRIBUTIONS = ("httpx", "orjson")
"""Packages every action may import without declaring them: httpx is Auth0's built-in
``fetch``; orjson is what the worker decodes events and encodes results with (docs/runtime.md)."""

PASSED_ENVIRONMENT = (
    "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "HOME",
    "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
    "http_proxy", "https_proxy", "all_proxy", "no_proxy",
)

# Runs with only the standard library importable. It installs empty stand-ins for the two
# package roots, so that the host-side ``__init__`` modules (the public API, the pool) are not
# executed in the worker, then hands over to ``worker.main``.
BOOTSTRAP = """\
import sys
o=sys.argv[1];sys.path.append(o)
for n in ('jupyter_actions','jupyter_actions.runtime'):
    m=type(sys)(n);m.__path__=[o+'/'+n.replace('.','/')];sys.modules[n]=m
from jupyter_actions.runtime.worker import main
main(sys.argv[2:])
"""


def worker_command(overlay: Path, fd_in: int, fd_out: int, fd_progress: int, memory_mb: int,
                   log_limit: int, sys_path: tuple[str, ...]) -> list[str]:
    """The worker's argv: paths and numbers only, never a secret."""
    return [sys.executable, "-I", "-S", "-c", BOOTSTRAP, str(overlay),
            str(fd_in), str(fd_out), str(fd_progress), str(memory_mb), str(log_limit), *sys_path]


def worker_environment() -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    return env


def overlay(cache_dir: str | os.PathLike[str]) -> Path:
    """The overlay folder for this interpreter's packages, created once and atomically.

    Its name is a digest of its content, so a changed installation gets a new folder and a
    folder that exists is complete (it appears by one ``rename``).
    """
    entries = _overlay_entries()
    digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()[:16]
    root = Path(cache_dir)
    final = root / f"overlay-{digest}"
    if final.is_dir():
        return final
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".overlay-", dir=root))
    try:
        for name, target in entries.items():
            os.symlink(target, staging / name)
        os.rename(staging, final)
    except OSError:
        if not final.is_dir():
            raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return final


@functools.lru_cache(maxsize=1)
def _overlay_entries() -> dict[str, str]:
    package = Path(__file__).resolve().parent.parent
    entries = {package.name: str(package)}
    for dist in _closure(BUILTIN_DISTRIBUTIONS):
        entries.update(_top_level(dist))
    return entries


def _closure(roots: tuple[str, ...]) -> list[metadata.Distribution]:
    """The distributions ``roots`` need at run time on this interpreter (no extras)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise ExecutionError(
                f"the action runtime needs the package {name!r}, which is not installed: "
                f"reinstall jupyter-actions") from None
        found[name] = dist
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return list(found.values())


def _top_level(dist: metadata.Distribution) -> dict[str, str]:
    """Top-level names a distribution installed (packages, modules, its .dist-info)."""
    base = Path(dist.locate_file(""))
    names = {f.parts[0] for f in dist.files or () if f.parts}
    names.discard("..")
    names.discard("__pycache__")
    return {name: str(base / name) for name in sorted(names)
            if not name.endswith(".pth") and (base / name).exists()}
