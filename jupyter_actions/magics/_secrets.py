"""Reading a secret value without it ever entering the notebook, its outputs or the history.

A value comes from an environment variable (``--from-env VAR``) or a masked prompt: getpass,
which ipykernel forwards to the frontend as a password input request. Under papermill, nbclient
or nbval the kernel refuses input requests (``allow_stdin`` is False): then no prompt is
possible and the caller falls back to a value already stored in the tenant.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from IPython.core.error import StdinNotImplementedError, UsageError

INLINE_VALUE_REFUSED = (
    "secret values are never written in a notebook (the cell, its outputs and IPython's history would keep "
    "them): run `%action secret ACTION NAME` for a masked prompt, or `%action secret ACTION NAME --from-env VAR`"
)


def value_from_env(variable: str) -> str:
    value = os.environ.get(variable)
    if value is None:
        raise UsageError(
            f"environment variable {variable} is not set in the kernel: set it before starting Jupyter, or drop --from-env"
        )
    return value


def prompt_for_value(shell: Any, prompt: str) -> str | None:
    """The value typed into a masked prompt, or None where no prompt is possible."""
    if getattr(shell, "kernel", None) is None and not sys.stdin.isatty():
        return None  # a shell without a kernel and without a terminal (a script, a test)
    try:
        return getpass.getpass(prompt)
    except StdinNotImplementedError:
        return None  # papermill, nbclient, nbval: the frontend accepts no input
