"""Running an authoring notebook headless against a named tenant (CI: test, then deploy).

The tenant is chosen through ``JUPYTER_ACTIONS_TENANT`` in the kernel's environment, and
secrets reach the notebook only as environment variables that ``%action secret ... --from-env``
reads: papermill writes parameters into the output notebook in plain text, so parameters that
look like secrets are refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ExecutionError, InvalidInputError
from .papermill_import import import_papermill

SECRET_LIKE = re.compile(r"(secret|token|password|passwd|api_?key|private|credential|webhook)", re.IGNORECASE)


def check_parameters(parameters: dict[str, str]) -> None:
    for name in parameters:
        if SECRET_LIKE.search(name):
            raise InvalidInputError(
                f"parameter {name!r} looks like a secret: papermill writes parameters into the output notebook in "
                f"plain text; export it as an environment variable and read it with `%action secret ACTION NAME "
                f"--from-env VAR` instead"
            )


def run_authoring_notebook(notebook: Path, output: Path, tenant: str | None, parameters: dict[str, str]) -> Path:
    """Execute ``notebook`` with papermill; the kernel works on ``tenant``."""
    if not notebook.is_file():
        raise InvalidInputError(f"the notebook {notebook} does not exist")
    check_parameters(parameters)
    papermill = import_papermill()
    from papermill.exceptions import PapermillExecutionError

    saved = os.environ.get("JUPYTER_ACTIONS_TENANT")
    if tenant:
        os.environ["JUPYTER_ACTIONS_TENANT"] = tenant  # the kernel inherits it
    try:
        papermill.execute_notebook(str(notebook), str(output), parameters=parameters, progress_bar=False,
                                   kernel_name="python3", cwd=str(notebook.resolve().parent),
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except PapermillExecutionError as exc:
        first = (exc.evalue or "").strip().splitlines()
        raise ExecutionError(f"{notebook} failed in cell {exc.exec_count}: {exc.ename}: {first[0] if first else ''} "
                             f"(see {output})") from None
    finally:
        if tenant:
            if saved is None:
                os.environ.pop("JUPYTER_ACTIONS_TENANT", None)
            else:
                os.environ["JUPYTER_ACTIONS_TENANT"] = saved
    return output
