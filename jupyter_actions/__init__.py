"""jupyter-actions: Auth0 Actions for Python, authored in Jupyter.

The public API is small and imported lazily so that ``import jupyter_actions`` and
``%load_ext jupyter_actions`` stay fast: ``Tenant``, the value types its methods return, and
the exception tree.
"""

from __future__ import annotations

import typing

from .errors import (
    ActionNotFound,
    ActionsError,
    CodeError,
    ConflictError,
    DependencyError,
    ExecutionError,
    ExecutionNotFound,
    InvalidInputError,
    LimitExceeded,
    MalformedInputError,
    NotFoundError,
    PayloadError,
    SecretsError,
    StoreError,
    TestCaseNotFound,
    TriggerNotFound,
    VersionNotFound,
)

if typing.TYPE_CHECKING:
    from .engine.lean import BatchResult
    from .engine.replay import ReplayReport
    from .model import Action, ActionVersion, Binding, DeployResult, Dependency, Execution, SecretInfo
    from .tenant import Tenant
    from .tenant.test_cases import CaseResult, TestCase

_LAZY = {
    "Tenant": "tenant", "Action": "model", "ActionVersion": "model", "Binding": "model", "DeployResult": "model",
    "Dependency": "model", "Execution": "model", "SecretInfo": "model", "TestCase": "tenant.test_cases",
    "CaseResult": "tenant.test_cases", "ReplayReport": "engine.replay", "BatchResult": "engine.lean",
}
"""Public names imported on first use: module (relative to this package) of each."""

__version__ = "0.1.0"

__all__ = [
    "Action",
    "ActionNotFound",
    "ActionVersion",
    "ActionsError",
    "BatchResult",
    "Binding",
    "CaseResult",
    "CodeError",
    "ConflictError",
    "DependencyError",
    "DeployResult",
    "Dependency",
    "Execution",
    "ExecutionError",
    "ExecutionNotFound",
    "InvalidInputError",
    "LimitExceeded",
    "MalformedInputError",
    "NotFoundError",
    "PayloadError",
    "ReplayReport",
    "SecretInfo",
    "SecretsError",
    "StoreError",
    "Tenant",
    "TestCase",
    "TestCaseNotFound",
    "TriggerNotFound",
    "VersionNotFound",
    "__version__",
    "load_ipython_extension",
    "unload_ipython_extension",
]


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jupyter_actions' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def load_ipython_extension(ipython: typing.Any) -> None:
    """``%load_ext jupyter_actions``: register the ``%%action`` and ``%action`` magics."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: typing.Any) -> None:
    from .magics import unload_ipython_extension as unload

    unload(ipython)
