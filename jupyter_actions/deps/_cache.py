"""Built environments, one folder per lock hash, shared by every action with that lock.

Layout of the cache root:

    <hash>/                 a complete environment (a --target site folder); it only ever
                            appears by an atomic rename, so its presence means "built"
    <hash>/.jupyter-actions-env.json   what built it and which packages are native
    <hash>.lock             flock(2) held while a process builds <hash>
    <hash>.failed           the reason of the last failed build (removed once built)
    .tmp-<hash>-*/          a build in progress (or left behind by a crashed one)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jupyter_actions.errors import DependencyError

from ._index import IndexConfig
from ._installers import Installer, InstallerFailed, find_installer
from ._lock import Lock
from ._native import find_native

BuildStatus = Literal["pending", "building", "built", "failed"]
BUILD_TIMEOUT = 600.0  # seconds
METADATA = ".jupyter-actions-env.json"


@dataclass(frozen=True)
class BuildResult:
    status: BuildStatus  # "built" or "failed"
    path: Path
    reason: str | None  # the installer's output tail when failed
    seconds: float
    installer: str  # the installer that built (or failed to build) the environment


class EnvironmentCache:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, lock: Lock) -> Path:
        """The folder an action worker puts on sys.path, once the lock is built."""
        return self.root / lock.hash

    def status(self, lock: Lock) -> BuildStatus:
        if self.path_for(lock).is_dir():
            return "built"
        if self._is_building(lock):
            return "building"
        return "failed" if self._failed_marker(lock).exists() else "pending"

    def failure_reason(self, lock: Lock) -> str | None:
        try:
            return self._failed_marker(lock).read_text()
        except FileNotFoundError:
            return None

    def build(
        self,
        lock: Lock,
        index: IndexConfig,
        installer: str = "auto",
        allow_native: bool = False,
        timeout: float = BUILD_TIMEOUT,
    ) -> BuildResult:
        """Build the environment of `lock` unless it is built already.

        Returns a failed result when the installer fails (the reason is kept for
        `failure_reason`); raises DependencyError when the environment has native code and
        `allow_native` is false, also for an environment that another tenant built with it.
        """
        started = time.perf_counter()
        path = self.path_for(lock)
        if not path.is_dir():
            self.root.mkdir(parents=True, exist_ok=True)
            with self._build_lock(lock):
                if not path.is_dir():  # another process may have built it while we waited
                    tool = find_installer(installer)
                    try:
                        self._install(lock, index, tool, allow_native, timeout)
                    except InstallerFailed as failure:
                        self._failed_marker(lock).write_text(failure.reason)
                        return BuildResult("failed", path, failure.reason, _since(started), tool.name)
        metadata = json.loads((path / METADATA).read_text())
        if metadata["native"] and not allow_native:
            raise DependencyError(_native_message(metadata["native"]))
        return BuildResult("built", path, None, _since(started), metadata["installer"])

    def _install(self, lock: Lock, index: IndexConfig, tool: Installer, allow_native: bool, timeout: float) -> None:
        """Install into a temporary folder, check it, and rename it into place."""
        for stale in self.root.glob(f".tmp-{lock.hash}-*"):  # left by a crashed build
            shutil.rmtree(stale, ignore_errors=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".tmp-{lock.hash}-", dir=self.root))
        try:
            if lock.packages:
                requirements = [f"{name}=={version}" for name, version in lock.packages]
                tool.install(requirements, index, temporary, lock.python_version, timeout)
            native = find_native(temporary)
            if native and not allow_native:
                message = _native_message(native)
                self._failed_marker(lock).write_text(message)
                raise DependencyError(message)
            metadata = {
                "installer": tool.name,
                "lock": json.loads(lock.to_json()),
                "native": native,
            }
            (temporary / METADATA).write_text(json.dumps(metadata, indent=1, sort_keys=True))
            os.rename(temporary, self.path_for(lock))
        finally:
            shutil.rmtree(temporary, ignore_errors=True)  # already gone after the rename
        self._failed_marker(lock).unlink(missing_ok=True)

    def _failed_marker(self, lock: Lock) -> Path:
        return self.root / f"{lock.hash}.failed"

    def _lock_file(self, lock: Lock) -> Path:
        return self.root / f"{lock.hash}.lock"

    @contextmanager
    def _build_lock(self, lock: Lock) -> Iterator[None]:
        """Exclusive per-lock build lock; a second builder waits here, then finds it built."""
        with open(self._lock_file(lock), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _is_building(self, lock: Lock) -> bool:
        try:
            with open(self._lock_file(lock)) as handle:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released on close
        except FileNotFoundError:
            return False
        except BlockingIOError:
            return True
        return False


def _native_message(native: dict[str, str]) -> str:
    listed = ", ".join(f"{name!r} ({why})" for name, why in sorted(native.items()))
    return (
        f"native code is not allowed in action dependencies: {listed}; use a pure-Python "
        "package instead, or let the tenant allow native packages"
    )


def _since(started: float) -> float:
    return time.perf_counter() - started
