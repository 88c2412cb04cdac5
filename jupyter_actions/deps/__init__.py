"""Per-action Python dependencies: pin, lock, build and cache environments.

Pure mechanics over requirement strings, locks and folders; the tenant stores what these
functions return (pins with the draft, the lock with the version, the build status).

    requirement = parse_requirement("slack-sdk")          # NAME or NAME==VERSION
    check_count(requirements)                             # at most 10 per action
    index = IndexConfig.from_env(tenant_settings)
    pinned = pin(requirement, index)                      # the latest now, stored forever
    locked = lock([pinned, ...], index)                   # the whole closure, exact versions
    result = EnvironmentCache(root).build(locked, index)  # result.path goes on sys.path

uv and pip are used as subprocesses only; importing this package costs `packaging` and the
standard library.
"""

from ._cache import BuildResult, BuildStatus, EnvironmentCache
from ._index import ENV_VARS, PYPI, IndexConfig
from ._installers import INSTALLERS
from ._lock import Lock
from ._requirements import MAX_DEPENDENCIES, Pin, Requirement, check_count, parse_requirement
from ._resolve import CURRENT_PYTHON, lock, pin

__all__ = [
    "CURRENT_PYTHON",
    "ENV_VARS",
    "INSTALLERS",
    "MAX_DEPENDENCIES",
    "PYPI",
    "BuildResult",
    "BuildStatus",
    "EnvironmentCache",
    "IndexConfig",
    "Lock",
    "Pin",
    "Requirement",
    "check_count",
    "lock",
    "parse_requirement",
    "pin",
]
