"""Running an authoring notebook headless against a named tenant (CI: test, then deploy).

The tenant is chosen through ``JUPYTER_ACTIONS_TENANT`` in the kernel's environment, and
secrets reach the notebook only as environment variables that ``%action secret ... --from-env``
reads: papermill writes parameters into the output notebook in plain text, so a parameter is
refused when its name looks like a secret, or when its value is or contains a secret value of
the tenant (any action's, drafts' and deployed versions') or the value of an environment
variable the notebook reads with ``--from-env``, whatever its name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import ExecutionError, InvalidInputError
from .papermill_import import import_papermill

SECRET_LIKE = re.compile(r"(secret|token|password|passwd|api_?key|private|credential|webhook)", re.IGNORECASE)
_FROM_ENV = re.compile(r"--from-env[= ]+([A-Za-z_][A-Za-z0-9_]*)")
_INSTEAD = (
    "papermill writes parameters into the output notebook in plain text; export it as an environment "
    "variable and read it with `%action secret ACTION NAME --from-env VAR` instead"
)


def check_names(parameters: Mapping[str, str]) -> None:
    for name in parameters:
        if SECRET_LIKE.search(name):
            raise InvalidInputError(f"parameter {name!r} looks like a secret: {_INSTEAD}")


def check_values(parameters: Mapping[str, str], notebook: Path, tenant: str | None) -> None:
    """Refuse a parameter whose value is or contains a secret value of the tenant or the value
    of an environment variable the notebook reads with ``--from-env``; the message names the
    secret or the variable, never a value."""
    from ..tenant import Tenant
    from ..tenant.secret_store import contained

    variables = {
        f"the environment variable {var} (the notebook reads it with --from-env)": os.environ[var]
        for var in sorted(set(_FROM_ENV.findall(notebook.read_text(errors="replace"))))
        if os.environ.get(var)
    }
    with Tenant(tenant) as opened:
        for name, value in parameters.items():
            label = contained(value, variables) or opened.secret_in(value)
            if label:
                raise InvalidInputError(f"parameter {name!r} is or contains the value of {label}: {_INSTEAD}")


def run_authoring_notebook(notebook: Path, output: Path, tenant: str | None, parameters: dict[str, str]) -> Path:
    """Execute ``notebook`` with papermill; the kernel works on ``tenant``."""
    if not notebook.is_file():
        raise InvalidInputError(f"the notebook {notebook} does not exist")
    if parameters:
        check_names(parameters)
        check_values(parameters, notebook, tenant)
    papermill = import_papermill()
    from papermill.exceptions import PapermillExecutionError

    saved = os.environ.get("JUPYTER_ACTIONS_TENANT")
    if tenant:
        os.environ["JUPYTER_ACTIONS_TENANT"] = tenant  # the kernel inherits it
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            progress_bar=False,
            kernel_name="python3",
            cwd=str(notebook.resolve().parent),
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        first = (exc.evalue or "").strip().splitlines()
        raise ExecutionError(
            f"{notebook} failed in cell {exc.exec_count}: {exc.ename}: {first[0] if first else ''} (see {output})"
        ) from None
    finally:
        if tenant:
            if saved is None:
                os.environ.pop("JUPYTER_ACTIONS_TENANT", None)
            else:
                os.environ["JUPYTER_ACTIONS_TENANT"] = saved
    return output
