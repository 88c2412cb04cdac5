"""A batch on a Dask cluster: the events file in partitions, each run by a Dask worker.

The client (this process) reads the events, sends each partition as a task that carries names,
ids and the partition's lines (executor/partitions.py), writes the results file in input
order as partitions finish, and merges their summaries. Records go from each Dask worker's own
record sink to the tenant's PostgreSQL; nothing secret is in a task, and a Dask worker opens
the tenant with what its own environment gives it (docs/dask.md). ``distributed`` is imported
only here, only when a run asks for a scheduler.
"""

from __future__ import annotations

import math
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._ids import new_batch_run
from ..errors import ExecutionError, InvalidInputError, Remedy
from .batch import read_lines, refuse_malformed, summary_path
from .partitions import PartitionResult, PartitionTask, flow_of, run_partition
from .summary import BatchSummary

if TYPE_CHECKING:
    from distributed import Client

    from ..tenant import Tenant

CONNECT_TIMEOUT_S = 5.0
PARTITIONS_PER_WORKER = 4
MIN_PARTITION_EVENTS = 500


def require_postgres(tenant: Tenant) -> None:
    """A distributed run's records go from every Dask worker to the tenant's database: a SQLite
    file is on one machine and takes one writer at a time."""
    if tenant.on_sqlite:
        raise InvalidInputError(
            f"tenant {tenant.name!r} is stored in a SQLite file, which Dask workers on other machines cannot "
            "reach and which takes one writer at a time: put the tenant on PostgreSQL "
            "(JUPYTER_ACTIONS_DATABASE_URL, docs/dask.md) to run on a Dask cluster"
        )


def connect(address: str) -> Client:
    """A client of the scheduler at ``address`` that has a worker, or a one-line error."""
    try:
        from distributed import Client
    except ImportError:
        raise InvalidInputError(
            "the dask executor needs the distributed package: pip install 'jupyter-actions[dask]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ExecutionError(
            f"cannot reach the Dask scheduler at {address} ({_first_line(exc)}): start one (`dask scheduler`) or "
            "give the address of a running one with --scheduler"
        ) from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except TimeoutError:
        client.close()
        raise ExecutionError(
            f"the Dask scheduler at {address} has no workers: start some (`dask worker {address}`, with the "
            "environment docs/dask.md describes)"
        ) from None
    return client


def execute_distributed(
    tenant: str | None,
    trigger: str,
    events_path: str,
    results_path: str,
    scheduler: str,
    on_progress: Callable[[int], None],
) -> BatchSummary:
    """``executor.batch.execute_batch`` on the Dask cluster at ``scheduler``: the same results
    file (in input order), summary and errors; the summary says which partitions ran again."""
    from ..tenant import Tenant

    with Tenant(tenant) as opened:
        require_postgres(opened)
        flow = flow_of(opened, trigger)
        if not flow:
            raise ExecutionError(
                f"the {trigger} flow has no bound actions",
                remedy=Remedy("bind some", "flows bind", (trigger, "ACTION", "...")),
            )
        ordered = opened.flow_uses_cache(trigger)
        name = opened.name
    numbers: list[int] = []
    lines = [line if line.endswith(b"\n") else line + b"\n" for line in read_lines(events_path, numbers)]
    client = connect(scheduler)
    try:
        return _run(
            client, scheduler, name, trigger, flow, ordered, lines, numbers, events_path, results_path, on_progress
        )
    finally:
        client.close()


def _run(
    client: Client,
    scheduler: str,
    tenant: str,
    trigger: str,
    flow: tuple,
    ordered: bool,
    lines: list[bytes],
    numbers: list[int],
    events_path: str,
    results_path: str,
    on_progress: Callable[[int], None],
) -> BatchSummary:
    from distributed import as_completed

    workers = len(client.scheduler_info()["workers"])
    size = max(len(lines), 1) if ordered else partition_size(len(lines), workers)
    run = new_batch_run()
    topic = f"jupyter-actions-progress-{run:x}"
    progress = _Progress(on_progress)
    client.subscribe_topic(topic, progress.event)
    started = time.perf_counter()
    tasks = [
        PartitionTask(tenant, trigger, run, number, first, tuple(lines[first : first + size]), flow, topic)
        for number, first in enumerate(range(0, len(lines), size))
    ]
    lines.clear()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Ll]arge graph.*")  # the events travel in the tasks
        futures = [
            client.submit(run_partition, task, key=f"jupyter-actions-{run:x}-{task.number}", pure=False)
            for task in tasks
        ]
    summary = BatchSummary(trigger)
    finished: dict[int, PartitionResult] = {}
    malformed: list[tuple[int, str]] = []
    reran: list[dict[str, Any]] = []
    written = 0
    try:
        with Path(results_path).open("wb") as out:
            for future in as_completed(futures, loop=client.loop):
                result = result_of(future, "batch", "records of its events written before are kept, once each")
                finished[result.number] = result
                future.release()
                while written in finished:  # input order: each partition once those before it are written
                    done = finished.pop(written)
                    out.write(done.results)
                    summary.merge(done.summary)
                    malformed += [(numbers[index], problem) for index, problem in done.malformed]
                    attempts = max(progress.attempts[done.number], 2 if done.recorded_before else 1)
                    if attempts > 1:
                        task = tasks[done.number]
                        reran.append(
                            {
                                "partition": done.number,
                                "first_index": task.first_index,
                                "last_index": task.last_index,
                                "attempts": attempts,
                                "recorded_before": done.recorded_before,
                            }
                        )
                    written += 1
    finally:
        client.unsubscribe_topic(topic)
    summary.seconds = time.perf_counter() - started
    summary.distributed = {
        "scheduler": scheduler,
        "workers": workers,
        "partitions": len(tasks),
        "ordered": ordered,
        "reran": reran,
    }
    on_progress(summary.events)
    summary.write(summary_path(results_path))
    refuse_malformed(events_path, malformed)
    return summary


def partition_size(count: int, workers: int) -> int:
    """Items per partition: a few partitions per Dask worker (so a late one is short), none tiny."""
    return max(MIN_PARTITION_EVENTS, math.ceil(count / (workers * PARTITIONS_PER_WORKER)))


def result_of(future, run: str, aftermath: str) -> Any:  # noqa: ANN001 (a distributed Future)
    """A partition's result, or one line when its Dask workers kept dying (``run``: what it is
    a partition of; ``aftermath``: what stays of it)."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise ExecutionError(
            f"a partition of the {run} failed: the Dask workers that ran it kept dying ({_first_line(exc)}); "
            + aftermath
        ) from None


class _Progress:
    """Events done per partition, from the partitions' reports (a partition started again
    counts from zero again)."""

    def __init__(self, on_progress: Callable[[int], None]) -> None:
        self.on_progress = on_progress
        self.done: dict[int, int] = {}
        self.attempts: Counter = Counter()

    def event(self, event: tuple[float, dict]) -> None:
        message = event[1]
        number = message["partition"]
        if message.get("started"):
            self.attempts[number] += 1
            self.done[number] = 0
        else:
            self.done[number] = message["done"]
        self.on_progress(sum(self.done.values()))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
