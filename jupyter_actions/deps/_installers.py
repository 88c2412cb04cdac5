"""uv and pip, run as subprocesses, behind one small interface.

Both run wheels only (`--only-binary :all:`): no package build code runs at resolve or
build time, and builds stay fast and repeatable. Neither precompiles bytecode: an action
imports a small part of its packages, and Python compiles those on first import (compiling
a whole lock costs more than installing it). Their configuration files and index
environment variables are switched off so that `IndexConfig` alone decides where packages
come from; network settings (certificates, proxies, timeouts, caches) are passed through.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from jupyter_actions.errors import DependencyError, InvalidInputError

from ._index import IndexConfig

INSTALLERS = ("auto", "uv", "pip")
RESOLVE_TIMEOUT = 120.0  # seconds

_PASS_THROUGH = {
    "PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY", "PIP_TRUSTED_HOST", "PIP_TIMEOUT",
    "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES", "PIP_CACHE_DIR", "PIP_NO_CACHE_DIR",
    "UV_CACHE_DIR", "UV_NO_CACHE", "UV_NATIVE_TLS", "UV_INSECURE_HOST", "UV_HTTP_TIMEOUT",
    "UV_CONCURRENT_DOWNLOADS", "UV_CONCURRENT_INSTALLS", "UV_LINK_MODE",
}  # fmt: skip
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# prefixes of uv's and pip's error lines, including uv's tree glyphs (x, corner arrow, bar)
_PREFIX = re.compile(r"^(error|ERROR|cause|caused by|\u00d7|\u2570\u2500\u25b6|\u2502)[:\s]*")


class InstallerFailed(Exception):
    """The installer exited with an error; `reason` is the tail of what it printed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Installer(ABC):
    name: str

    @abstractmethod
    def resolve(
        self,
        requirements: Sequence[str],
        index: IndexConfig,
        python_version: str,
        *,
        with_deps: bool,
    ) -> list[tuple[str, str]]:
        """Exact (name, version) for `requirements`, and their dependencies if `with_deps`."""

    @abstractmethod
    def install(
        self, requirements: Sequence[str], index: IndexConfig, target: Path,
        python_version: str, timeout: float,
    ) -> None:  # fmt: skip
        """Install exactly `requirements` (no dependencies) into the site folder `target`."""

    @abstractmethod
    def reports_not_found(self, reason: str) -> bool:
        """Whether a failure says that a package does not exist at all."""


class UvInstaller(Installer):
    name = "uv"

    def __init__(self, binary: str) -> None:
        self.binary = binary

    def _common(self, index: IndexConfig, python_version: str) -> list[str]:
        offline = ["--offline"] if index.offline else []
        return [
            "--quiet", "--no-config", "--only-binary", ":all:",
            "--python-version", python_version, *offline, *_index_args(index),
        ]  # fmt: skip

    def resolve(
        self, requirements: Sequence[str], index: IndexConfig, python_version: str, *, with_deps: bool
    ) -> list[tuple[str, str]]:
        argv = [self.binary, "pip", "compile", "-", "--no-header", "--no-annotate"]
        argv += self._common(index, python_version) + ([] if with_deps else ["--no-deps"])
        out = _run(argv, RESOLVE_TIMEOUT, stdin="\n".join(requirements) + "\n")
        pins = (line.split("==", 1) for line in out.splitlines() if "==" in line)
        return [(canonicalize_name(name.strip()), version.strip()) for name, version in pins]

    def install(
        self, requirements: Sequence[str], index: IndexConfig, target: Path, python_version: str, timeout: float
    ) -> None:
        argv = [self.binary, "pip", "install", "--no-deps"]
        argv += ["--python", sys.executable, "--target", str(target)]
        _run(argv + self._common(index, python_version) + list(requirements), timeout)

    def reports_not_found(self, reason: str) -> bool:
        return "was not found in the p" in reason  # package registry / provided package locations


class PipInstaller(Installer):
    name = "pip"

    def resolve(
        self, requirements: Sequence[str], index: IndexConfig, python_version: str, *, with_deps: bool
    ) -> list[tuple[str, str]]:
        argv = _pip_install(index, python_version)
        argv += ["--dry-run", "--report", "-", "--ignore-installed"]
        argv += ([] if with_deps else ["--no-deps"]) + list(requirements)
        # pip before 23.3 takes --python-version only with --target; a dry run writes nothing there
        with tempfile.TemporaryDirectory(prefix="jupyter-actions-resolve-") as nowhere:
            report = json.loads(_run([*argv, "--target", nowhere], RESOLVE_TIMEOUT))
        return [
            (canonicalize_name(item["metadata"]["name"]), item["metadata"]["version"]) for item in report["install"]
        ]

    def install(
        self, requirements: Sequence[str], index: IndexConfig, target: Path, python_version: str, timeout: float
    ) -> None:
        argv = [*_pip_install(index, python_version), "--no-deps", "--no-compile"]
        _run([*argv, "--target", str(target), *requirements], timeout)

    def reports_not_found(self, reason: str) -> bool:
        return "(from versions: none)" in reason


def _pip_install(index: IndexConfig, python_version: str) -> list[str]:
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--only-binary=:all:",
        "--python-version", python_version, *_index_args(index),
    ]  # fmt: skip


def find_installer(name: str = "auto") -> Installer:
    """uv when available (or asked for), pip otherwise."""
    if name not in INSTALLERS:
        raise InvalidInputError(f"unknown installer {name!r}: use one of {', '.join(INSTALLERS)}")
    if name != "pip":
        binary = _uv_binary()
        if binary:
            return UvInstaller(binary)
        if name == "uv":
            raise DependencyError("uv is not installed: install it with 'pip install uv', or use installer='pip'")
    if importlib.util.find_spec("pip") is None:
        raise DependencyError(f"neither uv nor pip is installed for {sys.executable}: install uv")
    return PipInstaller()


def one_line(reason: str) -> str:
    """The sentence of an installer's output that says what went wrong."""
    lines = [_PREFIX.sub("", line.strip()) for line in reason.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("hint:", "help:"))]
    return lines[-1] if lines else "the installer failed without saying why"


def _uv_binary() -> str | None:
    try:
        from uv import find_uv_bin  # the `uv` package only locates its binary

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def _index_args(index: IndexConfig) -> list[str]:
    main, *extra = index.index_urls or (None,)
    args = ["--no-index"] if main is None else ["--index-url", main]
    for url in extra:
        args += ["--extra-index-url", url]
    for location in index.find_links:
        args += ["--find-links", location]
    return args


def _environment() -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "UV_")) or key in _PASS_THROUGH
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
        UV_NO_PROGRESS="1", NO_COLOR="1",
    )  # fmt: skip
    return env


def _run(argv: list[str], timeout: float, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout, env=_environment())
    except subprocess.TimeoutExpired:
        raise InstallerFailed(f"{Path(argv[0]).name} did not finish within {timeout:g} s") from None
    except OSError as error:
        raise InstallerFailed(f"cannot run {argv[0]}: {error}") from None
    if done.returncode != 0:
        raise InstallerFailed(_tail(done.stderr or done.stdout))
    return done.stdout


def _tail(text: str, lines: int = 20, chars: int = 2000) -> str:
    return "\n".join(_ANSI.sub("", text).strip().splitlines()[-lines:])[-chars:]
