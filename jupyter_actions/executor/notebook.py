"""Running the shipped executor notebook with papermill (imported only when used: ~1 s)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from ..errors import ExecutionError
from .batch import summary_path
from .papermill_import import import_papermill

NOTEBOOK = Path(__file__).with_name("flow_executor.ipynb")


def run_notebook(
    tenant: str,
    trigger: str,
    events: Path,
    results: Path,
    output: Path,
    *,
    progress=None,  # noqa: ANN001
    scheduler: str | None = None,
) -> dict:
    """Execute the flow over ``events`` in a papermill kernel (on the Dask cluster at
    ``scheduler`` when given); returns the summary JSON.

    Only names, paths and the scheduler's address are parameters (papermill writes them into
    the output notebook in plain text); the kernel inherits the environment, so a database URL
    or master key given by environment variable reaches it without ever being written down.
    """
    papermill = import_papermill()
    from papermill.exceptions import PapermillExecutionError

    progress_file = Path(f"{results}.progress")
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(progress_file, progress, stop), daemon=True) if progress else None
    if watcher:
        watcher.start()
    parameters = {
        "tenant": tenant,
        "trigger": trigger,
        "events_path": str(events.resolve()),
        "results_path": str(results.resolve()),
        "progress_path": str(progress_file.resolve()),
        "scheduler": scheduler or "",
    }
    try:
        # The last cell has flushed every record, so the kernel is stopped without the
        # graceful shutdown's wait (~0.2 s); its workers and record sink exit on their own.
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(output),
            parameters=parameters,
            progress_bar=False,
            kernel_name="python3",
            cwd=str(output.resolve().parent),
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        raise ExecutionError(
            f"the executor notebook failed in cell {exc.exec_count}: {exc.ename}: {_first_line(exc.evalue)} "
            f"(see {output})"
        ) from None
    except Exception as exc:  # noqa: BLE001 (a dead kernel, a kernel that cannot start ...)
        raise ExecutionError(
            f"the executor notebook could not run: {type(exc).__name__}: {_first_line(str(exc))} (see {output})"
        ) from None
    finally:
        stop.set()
        if watcher:
            watcher.join()
        progress_file.unlink(missing_ok=True)
    return json.loads(summary_path(results).read_text())


def _watch(path: Path, progress, stop: threading.Event) -> None:  # noqa: ANN001
    while not stop.wait(0.2):
        try:
            progress(int(path.read_text() or 0))
        except (OSError, ValueError):
            continue


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""
