"""jupyter-actions: Auth0 Actions for Python, authored in Jupyter.

The public API is small and imported lazily so that ``import jupyter_actions`` and
``%load_ext jupyter_actions`` stay fast: ``Tenant``, the value types its methods return, the
outcome contract (``jupyter_actions.outcome``: statuses, result shapes, ``changes``,
``error_summary``) and the exception tree.
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
    MissingSecretValues,
    NotFoundError,
    PayloadError,
    SecretsError,
    StoreError,
    TenantNotFound,
    TestCaseNotFound,
    TriggerNotFound,
    VersionNotFound,
)

if typing.TYPE_CHECKING:
    from .engine.lean import BatchResult
    from .engine.replay import ReplayReport
    from .model import (
        Action,
        ActionVersion,
        Binding,
        Dependency,
        DeployResult,
        Execution,
        Module,
        ModuleRef,
        ModuleVersion,
        SecretInfo,
    )
    from .outcome import (
        ENGINE_KEYS,
        EXECUTION_STATUS,
        CacheEntry,
        Control,
        Deny,
        ErrorClass,
        ExecutionStatus,
        FlowError,
        JobOutput,
        Outcome,
        Phase,
        Status,
        StepError,
        StepResponse,
        StepResult,
        StepStats,
        WorkerResult,
        changes,
        error_class_of,
        error_identity,
        error_summary,
    )
    from .tenant import Tenant
    from .tenant.test_cases import CaseResult, TestCase

_OUTCOME_NAMES = (
    "ENGINE_KEYS",
    "EXECUTION_STATUS",
    "CacheEntry",
    "Control",
    "Deny",
    "ErrorClass",
    "ExecutionStatus",
    "FlowError",
    "JobOutput",
    "Outcome",
    "Phase",
    "Status",
    "StepError",
    "StepResponse",
    "StepResult",
    "StepStats",
    "WorkerResult",
    "changes",
    "error_class_of",
    "error_identity",
    "error_summary",
)
"""The outcome contract (``jupyter_actions.outcome``): statuses, result shapes, ``changes``."""

_LAZY = {
    "Tenant": "tenant",
    "Action": "model",
    "ActionVersion": "model",
    "Binding": "model",
    "DeployResult": "model",
    "Dependency": "model",
    "Execution": "model",
    "Module": "model",
    "ModuleRef": "model",
    "ModuleVersion": "model",
    "SecretInfo": "model",
    "TestCase": "tenant.test_cases",
    "CaseResult": "tenant.test_cases",
    "ReplayReport": "engine.replay",
    "BatchResult": "engine.lean",
    **dict.fromkeys(_OUTCOME_NAMES, "outcome"),
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
    "CacheEntry",
    "CaseResult",
    "CodeError",
    "ConflictError",
    "Control",
    "Deny",
    "Dependency",
    "DependencyError",
    "DeployResult",
    "ENGINE_KEYS",
    "EXECUTION_STATUS",
    "ErrorClass",
    "Execution",
    "ExecutionError",
    "ExecutionNotFound",
    "ExecutionStatus",
    "FlowError",
    "InvalidInputError",
    "JobOutput",
    "LimitExceeded",
    "MalformedInputError",
    "MissingSecretValues",
    "Module",
    "ModuleRef",
    "ModuleVersion",
    "NotFoundError",
    "Outcome",
    "PayloadError",
    "Phase",
    "ReplayReport",
    "SecretInfo",
    "SecretsError",
    "Status",
    "StepError",
    "StepResponse",
    "StepResult",
    "StepStats",
    "StoreError",
    "Tenant",
    "TenantNotFound",
    "TestCase",
    "TestCaseNotFound",
    "TriggerNotFound",
    "VersionNotFound",
    "WorkerResult",
    "__version__",
    "changes",
    "error_class_of",
    "error_identity",
    "error_summary",
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
