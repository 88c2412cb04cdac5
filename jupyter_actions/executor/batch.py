"""Running a flow over an events file: results JSONL, summary JSON, optional progress file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import ActionsError
from .events import read_events
from .summary import BatchSummary

PROGRESS_EVERY_S = 0.25


def execute_batch(tenant: str | None, trigger: str, events_path: str, results_path: str,
                  progress_path: str | None = None, on_progress=None) -> BatchSummary:  # noqa: ANN001
    """Run the trigger's flow over every event and record the executions.

    Writes one JSON line per event to ``results_path`` (``index``, ``execution_id``,
    ``status``, ``outcome``; secret values redacted), the summary beside it
    (``<results>.summary.json``), and the number of events done to ``progress_path``.
    """
    from ..tenant import Tenant

    summary = BatchSummary(trigger)
    results = Path(results_path)
    started = time.perf_counter()
    last_progress = 0.0
    with Tenant(tenant) as opened, results.open("w", encoding="utf-8") as out:
        for index, result in opened.engine.run_batch(trigger, read_events(events_path), redacted=True):
            if isinstance(result, ActionsError):
                summary.refuse(index, str(result))
                out.write(json.dumps({"index": index, "execution_id": None, "status": "invalid", "error": str(result)}) + "\n")
                continue
            summary.add(index, result)
            out.write(json.dumps({"index": index, "execution_id": result.id, "status": result.outcome["status"],
                                  "outcome": result.outcome}) + "\n")
            now = time.perf_counter()
            if now - last_progress > PROGRESS_EVERY_S:
                last_progress = now
                _progress(summary.events, progress_path, on_progress)
        summary.seconds = time.perf_counter() - started
    _progress(summary.events, progress_path, on_progress)
    summary.write(summary_path(results))
    return summary


def summary_path(results: str | Path) -> Path:
    return Path(f"{results}.summary.json")


def _progress(done: int, progress_path: str | None, on_progress) -> None:  # noqa: ANN001
    if progress_path:
        Path(progress_path).write_text(str(done))
    if on_progress:
        on_progress(done)
