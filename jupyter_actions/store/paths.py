"""Where tenants live on disk: ``JUPYTER_ACTIONS_HOME`` / Jupyter's data directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import InvalidInputError

DEFAULT_TENANT = "default"
_TENANT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def actions_home() -> Path:
    """``JUPYTER_ACTIONS_HOME``, else ``actions/`` under Jupyter's data directory."""
    configured = os.environ.get("JUPYTER_ACTIONS_HOME")
    if configured:
        return Path(configured).expanduser()
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "actions"


def tenant_name(name: str | None = None) -> str:
    """The tenant to use: the given name, ``JUPYTER_ACTIONS_TENANT``, or ``default``."""
    chosen = name or os.environ.get("JUPYTER_ACTIONS_TENANT") or DEFAULT_TENANT
    if not _TENANT_NAME.match(chosen):
        raise InvalidInputError(f"invalid tenant name {chosen!r}: use 1 to 63 lowercase letters, digits, '-' or '_'")
    return chosen


def tenant_dir(name: str, home: Path | None = None) -> Path:
    return (home or actions_home()) / "tenants" / name
