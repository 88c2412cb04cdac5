"""jupyter-actions: Auth0 Actions for Python, authored in Jupyter.

The public API is small and imported lazily so that ``import jupyter_actions`` and
``%load_ext jupyter_actions`` stay fast: ``Tenant`` and the exception tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ActionNotFound,
    ActionsError,
    CodeError,
    ConflictError,
    DependencyError,
    ExecutionError,
    InvalidInputError,
    LimitExceeded,
    MalformedInputError,
    NotFoundError,
    PayloadError,
    SecretsError,
    StoreError,
    TriggerNotFound,
    VersionNotFound,
)

if TYPE_CHECKING:
    from .tenant import Tenant

__version__ = "0.1.0"

__all__ = [
    "ActionNotFound",
    "ActionsError",
    "CodeError",
    "ConflictError",
    "DependencyError",
    "ExecutionError",
    "InvalidInputError",
    "LimitExceeded",
    "MalformedInputError",
    "NotFoundError",
    "PayloadError",
    "SecretsError",
    "StoreError",
    "Tenant",
    "TriggerNotFound",
    "VersionNotFound",
    "__version__",
    "load_ipython_extension",
]


def __getattr__(name: str) -> Any:
    if name == "Tenant":
        from .tenant import Tenant

        return Tenant
    raise AttributeError(f"module 'jupyter_actions' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext jupyter_actions``: register the ``%%action`` and ``%action`` magics."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unload_ipython_extension as unload

    unload(ipython)
