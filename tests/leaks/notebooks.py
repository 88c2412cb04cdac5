"""Notebooks run headless by papermill, as CI runs them: the executed notebook (its outputs,
and the widget state nbclient saves in its metadata) and papermill's log of every output
(``log_output``, the ``--log-output`` of papermill's command line)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from jupyter_actions.executor.notebook import NOTEBOOK as FLOW_EXECUTOR
from jupyter_actions.executor.papermill_import import import_papermill

from .actions import ENDINGS, TRIGGER
from .views import Views

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def papermill(views: Views, notebook: Path, output: Path, parameters: dict[str, Any] | None = None) -> None:
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        import_papermill().execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            log_output=True,
            progress_bar=False,
            kernel_name="python3",
            cwd=str(output.parent),
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    views.add("notebooks", f"papermill log of {notebook.name}", log.getvalue())
    views.add_file("notebooks", output)


def authoring(views: Views, events: dict[str, Path], folder: Path) -> None:
    """A notebook that tests the hostile actions and runs their flow with the magics."""
    lines = [
        "%load_ext jupyter_actions",
        "%action test talker",
        "%action test keeper --cases",
        "%action logs",
        f"%action flow {TRIGGER}",
    ]
    lines += [f"%action test ender --payload {events[mode]}" for mode in ENDINGS]
    lines += [f"%action run {TRIGGER} --event {path}" for path in events.values()]
    notebook = folder / "authoring.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(line) for line in lines], metadata=KERNEL), notebook)
    papermill(views, notebook, folder / "authoring.executed.ipynb")


def flow_executor(views: Views, events: Path, folder: Path) -> None:
    """The executor notebook of ``flows run`` over a batch."""
    results = folder / "papermill.results.jsonl"
    papermill(
        views,
        FLOW_EXECUTOR,
        folder / "flow-executor.ipynb",
        {"trigger": TRIGGER, "events_path": str(events), "results_path": str(results)},
    )
    views.add_file("notebooks", results)
    views.add_file("notebooks", Path(f"{results}.summary.json"))
