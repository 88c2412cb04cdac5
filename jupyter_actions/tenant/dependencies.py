"""Dependencies of a draft: pin, lock and build before anything is stored.

The order matters for "a refusal leaves the action unchanged": requirements are pinned and
the whole closure locked and built first; only then are the pins, the lock and the build
status written, in one transaction. A build that the installer fails is stored as ``failed``
with the installer's reason (deploy then refuses with it); a refused native package stores
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExecutionError
from ..model import Dependency


@dataclass(frozen=True)
class Prepared:
    """Pins, their lock and the build outcome, ready to be stored with a draft."""

    pins: tuple[Dependency, ...]
    lock: str | None
    status: str
    reason: str | None


class Environments:
    """The tenant's view of dependency environments: index settings and the shared cache."""

    def __init__(self, cache_root: Path) -> None:
        self.cache_root = cache_root
        self._paths: dict[str, tuple[str, ...]] = {}

    def resolve(
        self, current: Sequence[Dependency], requested: Sequence[str], settings: dict[str, Any], *, keep_others: bool
    ) -> tuple[Dependency, ...]:
        """Pins for ``requested``.

        Saving a draft (``keep_others=False``) declares the whole set: a name already pinned
        without a new version keeps its pin, so re-running a cell never floats a version.
        Adding (``keep_others=True``) is an explicit request: a bare name is pinned to the
        latest release now; the other pins stay."""
        from .. import deps

        index = deps.IndexConfig.from_env(settings)
        pinned = {d.name: d for d in current}
        wanted = [deps.parse_requirement(text) for text in requested]
        result = dict(pinned) if keep_others else {}
        for requirement in wanted:
            previous = pinned.get(requirement.name)
            if previous and (
                requirement.version == previous.version or (requirement.version is None and not keep_others)
            ):
                result[requirement.name] = previous
            else:
                found = deps.pin(requirement, index)
                result[found.name] = Dependency(found.name, found.version)
        deps.check_count(list(result), settings["max_dependencies"])
        return tuple(sorted(result.values(), key=lambda d: d.name))

    def prepare(self, pins: Sequence[Dependency], settings: dict[str, Any]) -> Prepared:
        from .. import deps

        if not pins:
            return Prepared((), None, "built", None)
        index = deps.IndexConfig.from_env(settings)
        lock = deps.lock([deps.Pin(d.name, d.version) for d in pins], index)
        result = deps.EnvironmentCache(self.cache_root).build(
            lock, index, allow_native=settings["allow_native_dependencies"]
        )
        return Prepared(tuple(pins), lock.to_json(), result.status, result.reason)

    def live_status(self, lock: str | None, stored: str) -> str:
        """``building`` while any process builds this lock, else the stored status."""
        if not lock or stored == "built":
            return stored
        from .. import deps

        live = deps.EnvironmentCache(self.cache_root).status(deps.Lock.from_json(lock))
        return "building" if live == "building" else stored

    def sys_path(self, lock: str | None, settings: Callable[[], dict[str, Any]]) -> tuple[str, ...]:
        """The folders a worker puts on sys.path for ``lock``, building it if it is gone.

        ``settings`` is read only the first time a lock is seen: this runs for every execution."""
        if not lock:
            return ()
        if lock not in self._paths:
            from .. import deps

            values = settings()
            index = deps.IndexConfig.from_env(values)
            result = deps.EnvironmentCache(self.cache_root).build(
                deps.Lock.from_json(lock), index, allow_native=values["allow_native_dependencies"]
            )
            if result.status != "built":
                raise ExecutionError(f"the dependency environment cannot be built: {result.reason}")
            self._paths[lock] = (str(result.path),)
        return self._paths[lock]
