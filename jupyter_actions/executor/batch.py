"""Running a flow over an events file: results JSONL, summary JSON, optional progress file."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InvalidInputError
from .events import check_readable
from .summary import INVALID, BatchSummary

PROGRESS_EVERY_S = 0.25


def execute_batch(
    tenant: str | None,
    trigger: str,
    events_path: str,
    results_path: str,
    progress_path: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    scheduler: str | None = None,
) -> BatchSummary:
    """Run the trigger's flow over every line of the events file and record the executions.

    Writes one JSON line per event to ``results_path`` in the order they finish (``index``,
    ``execution_id``, ``status``, ``outcome``; secret values redacted), the summary beside it
    (``<results>.summary.json``) and the number of events done to ``progress_path``. A line
    that is not a JSON object is reported with its line number once the others are done.
    With ``scheduler`` (a Dask scheduler's address) the events run in partitions on its
    workers and the results are in input order (executor/dask_run.py).
    """
    if scheduler:
        from .dask_run import execute_distributed

        return execute_distributed(
            tenant,
            trigger,
            events_path,
            results_path,
            scheduler,
            lambda done: _progress(done, progress_path, on_progress),
        )
    gc.freeze()  # the host's objects (a kernel has many) stay out of the collector's way
    try:
        return _execute(tenant, trigger, events_path, results_path, progress_path, on_progress)
    finally:
        gc.unfreeze()


def _execute(
    tenant: str | None,
    trigger: str,
    events_path: str,
    results_path: str,
    progress_path: str | None,
    on_progress: Callable[[int], None] | None,
) -> BatchSummary:
    from ..tenant import Tenant

    summary = BatchSummary(trigger)
    numbers: list[int] = []  # line number of each event
    malformed: list[tuple[int, str]] = []
    results = Path(results_path)
    started = time.perf_counter()
    last_progress = 0.0
    with Tenant(tenant) as opened, results.open("w", encoding="utf-8") as out:
        for result in opened.run_flow_lines(trigger, read_lines(events_path, numbers)):
            summary.add(result)
            out.write(result_line(result) + "\n")
            if result.malformed:
                malformed.append((numbers[result.index], result.malformed))
            now = time.perf_counter()
            if now - last_progress > PROGRESS_EVERY_S:
                last_progress = now
                _progress(summary.events, progress_path, on_progress)
        summary.seconds = time.perf_counter() - started
    _progress(summary.events, progress_path, on_progress)
    summary.write(summary_path(results))
    refuse_malformed(events_path, malformed)
    return summary


def refuse_malformed(events_path: str, malformed: list[tuple[int, str]]) -> None:
    """The one-line error for the lines that are not JSON objects (line number, problem), once
    the others have run."""
    if malformed:
        number, message = min(malformed)
        more = f" (and {len(malformed) - 1} more lines)" if len(malformed) > 1 else ""
        raise InvalidInputError(f"{events_path} line {number}: {message}{more}")


def read_lines(path: str, numbers: list[int]) -> Iterator[bytes]:
    """The events file's non-blank lines as bytes: each is decoded on its own (a line that is
    not UTF-8 is refused alone, docs/input.md)."""
    with check_readable(path).open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                numbers.append(number)
                yield line


def result_line(result) -> str:  # noqa: ANN001
    if result.execution_id is None:
        return json.dumps(
            {
                "index": result.index,
                "execution_id": None,
                "status": INVALID,
                "error": result.invalid or result.malformed,
            }
        )
    head = json.dumps({"index": result.index, "execution_id": result.execution_id, "status": result.status})
    return f'{head[:-1]}, "outcome": {result.outcome_json}}}'


def summary_path(results: str | Path) -> Path:
    return Path(f"{results}.summary.json")


def _progress(done: int, progress_path: str | None, on_progress: Callable[[int], None] | None) -> None:
    if progress_path:
        Path(progress_path).write_text(str(done))
    if on_progress:
        on_progress(done)
