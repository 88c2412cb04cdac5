"""Pin a dependency when it is added, and lock the closure of an action's pins."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from jupyter_actions.errors import DependencyError, InvalidInputError

from ._index import IndexConfig
from ._installers import Installer, InstallerFailed, find_installer, one_line
from ._lock import Lock, check_python_version
from ._requirements import Pin, Requirement, parse_requirement

CURRENT_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def pin(
    requirement: Requirement | str,
    index: IndexConfig,
    python_version: str = CURRENT_PYTHON,
    installer: str = "auto",
) -> Pin:
    """The exact version to store for `requirement`: its own version, or the latest now."""
    if isinstance(requirement, str):
        requirement = parse_requirement(requirement)
    check_python_version(python_version)
    tool = find_installer(installer)
    try:
        return _pin_one(tool, str(requirement), index, python_version)
    except InstallerFailed as failure:
        raise _explain(tool, requirement, index, python_version, failure.reason) from None


def lock(
    pins: Iterable[Pin],
    index: IndexConfig,
    python_version: str = CURRENT_PYTHON,
    installer: str = "auto",
) -> Lock:
    """Resolve the pins and everything they depend on to exact versions."""
    check_python_version(python_version)
    pins = sorted(set(pins), key=str)
    names = [p.name for p in pins]
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise InvalidInputError(f"dependency {twice!r} is pinned at two versions: keep one")
    if not pins:
        return Lock((), python_version)
    tool = find_installer(installer)
    try:
        packages = tool.resolve([str(p) for p in pins], index, python_version, with_deps=True)
    except InstallerFailed as failure:
        listed = ", ".join(map(str, pins))
        raise DependencyError(f"cannot lock {listed} on {index.describe()}: {one_line(failure.reason)}") from None
    return Lock(tuple(packages), python_version)


def _pin_one(tool: Installer, requirement: str, index: IndexConfig, python_version: str) -> Pin:
    ((name, version),) = tool.resolve([requirement], index, python_version, with_deps=False)
    return Pin(name, version)


def _explain(
    tool: Installer, requirement: Requirement, index: IndexConfig, python_version: str, reason: str
) -> DependencyError:
    """Turn a failed pin into one line: unknown package, unknown version, or the installer's own."""
    if requirement.version is not None:
        try:
            latest = _pin_one(tool, requirement.name, index, python_version)
        except InstallerFailed:
            pass
        else:
            return DependencyError(
                f"version {requirement.version} of {requirement.name!r} does not exist on "
                f"{index.describe()} as a wheel for Python {python_version} "
                f"(the latest is {latest.version}): use '{latest}' or leave the version out"
            )
    if tool.reports_not_found(reason):
        return DependencyError(
            f"package {requirement.name!r} was not found on the index ({index.describe()}): check the name"
        )
    return DependencyError(f"cannot pin {str(requirement)!r}: {one_line(reason)}")
