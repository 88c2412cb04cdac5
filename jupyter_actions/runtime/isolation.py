"""What a worker can import and see: the overlay folder, the command line and the environment.

A worker starts as ``python -I -S -c BOOTSTRAP``: no site-packages, no user site, no PYTHON*
variables, no current directory on ``sys.path``. Its path is the standard library, then the
overlay, then the action's own environment folders; the sandbox (sandbox.py) lets it read
those and nothing else of the host. The overlay holds a *copy* of the few package modules a
worker runs (the runtime's worker side, the triggers, the errors), never the host side (the
store, the tenant, the key), and links to ``httpx`` and ``orjson`` with their dependency
closure. Its folder name is the digest of that content; the copy is checked against the
installed package when a process first uses it. The environment is an allow-list: the host's
variables can hold credentials (``JUPYTER_ACTIONS_MASTER_KEY`` among them).
"""

from __future__ import annotations

import compileall
import functools
import hashlib
import json
import os
import py_compile
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from ..errors import ExecutionError
from . import sandbox

BUILTIN_DISTRIBUTIONS = ("httpx", "orjson")
"""Packages every action may import without declaring them: httpx is Auth0's built-in
``fetch``; orjson is what the worker decodes events with (docs/runtime.md)."""

WORKER_MODULES = (
    "errors.py",
    "_json_numbers.py",
    "outcome.py",
    "triggers",
    "runtime/worker.py",
    "runtime/fetch.py",
    "runtime/limits.py",
    "runtime/capture.py",
    "runtime/redaction.py",
    "runtime/protocol.py",
    "runtime/tracebacks.py",
    "runtime/sandbox.py",
    "runtime/modules.py",
)
"""The package's files a worker imports, relative to the package folder."""

PASSED_ENVIRONMENT = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)

# Runs with only the standard library importable. It installs empty stand-ins for the two
# package roots (the overlay has no host-side ``__init__``), then hands over to
# ``worker.main``, which enters the sandbox before anything else.
BOOTSTRAP = """\
import sys
o=sys.argv[1];sys.path.append(o)
for n in ('jupyter_actions','jupyter_actions.runtime'):
    m=type(sys)(n);m.__path__=[o+'/'+n.replace('.','/')];sys.modules[n]=m
from jupyter_actions.runtime.worker import main
main(sys.argv[2:])
"""


def worker_command(
    overlay: Path, fd_in: int, fd_out: int, policy: sandbox.Policy, log_limit: int, sys_path: tuple[str, ...]
) -> list[str]:
    """The worker's argv: paths and numbers only, never a secret."""
    return [
        sys.executable,
        "-I",
        "-S",
        "-c",
        BOOTSTRAP,
        str(overlay),
        str(fd_in),
        str(fd_out),
        policy.to_json(),
        str(log_limit),
        *sys_path,
    ]


def worker_environment(tmp: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = env["TMPDIR"] = tmp
    return env


def readable(overlay: Path, sys_path: tuple[str, ...]) -> tuple[str, ...]:
    """Everything a worker of this environment may read: the interpreter and standard
    library, the overlay and what it links to, the action's environment."""
    return sandbox.default_read_only([str(overlay), *_overlay_entries()[1].values(), *sys_path])


def overlay(cache_dir: str | os.PathLike[str]) -> Path:
    """The overlay folder for this installation, created once and atomically, checked once
    per process against the installed package (a stale or altered copy is built again)."""
    digest, links = _overlay_entries()
    root = Path(cache_dir)
    final = root / f"overlay-{digest[:16]}"
    if _intact(final):
        return final
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".overlay-", dir=root))
    try:
        _copy_package(staging / "jupyter_actions")
        for name, target in links.items():
            os.symlink(target, staging / name)
        if final.exists() and not _intact(final):  # set the altered copy aside, then replace it
            stale = Path(tempfile.mkdtemp(prefix=".stale-", dir=root))
            try:
                os.rename(final, stale / final.name)
            except FileNotFoundError:
                pass  # another process set it aside first
            finally:
                shutil.rmtree(stale)
        os.rename(staging, final)
    except OSError:
        if not _intact(final):
            raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return final


def _intact(overlay_dir: Path) -> bool:
    """The overlay holds exactly the installed package's worker side."""
    try:
        return overlay_dir.is_dir() and _digest_of(overlay_dir / "jupyter_actions") == _package_digest()
    except OSError:  # being replaced by another process right now
        return False


def _package_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _worker_files(root: Path) -> list[Path]:
    """The worker's package files under ``root`` (sources only), sorted."""
    found: list[Path] = []
    for entry in WORKER_MODULES:
        path = root / entry
        if path.is_dir():
            found.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.exists():
            found.append(path)
    return sorted(found)


def _digest_of(root: Path) -> str:
    digest = hashlib.sha256()
    for path in _worker_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _package_digest() -> str:
    return _digest_of(_package_root())


def _copy_package(target: Path) -> None:
    source = _package_root()
    for path in _worker_files(source):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    # bytecode next to the copies (workers cannot write it); checked against the source's hash
    compileall.compile_dir(target, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


@functools.lru_cache(maxsize=1)
def _overlay_entries() -> tuple[str, dict[str, str]]:
    """The overlay's digest (package copy and links) and its links: name -> target."""
    links: dict[str, str] = {}
    for dist in _closure(BUILTIN_DISTRIBUTIONS):
        links.update(_top_level(dist))
    digest = hashlib.sha256((_package_digest() + json.dumps(links, sort_keys=True)).encode()).hexdigest()
    return digest, links


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
                f"the action runtime needs the package {name!r}, which is not installed: reinstall jupyter-actions"
            ) from None
        found[name] = dist
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return list(found.values())


def _top_level(dist: metadata.Distribution) -> dict[str, str]:
    """Top-level names a distribution installed (packages, modules, its .dist-info)."""
    base = Path(str(dist.locate_file("")))  # a SimplePath by its type, a Path in fact
    names = {f.parts[0] for f in dist.files or () if f.parts}
    names.discard("..")
    names.discard("__pycache__")
    return {name: str(base / name) for name in sorted(names) if not name.endswith(".pth") and (base / name).exists()}
